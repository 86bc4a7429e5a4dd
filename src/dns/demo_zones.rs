//! The forward zones of `ptrdesk demo` (SPEC "Operating it": the demo needs no internet), so
//! that its DNS checks can pass, wait and fail without asking anyone else.
//!
//! The demo's DNS server answers for all of `net.`, which holds two zones: `demo-hosting.net`
//! and `other-networks.net`, with an address record for each demo name that is meant to pass.
//! Every other name under `net.` does not exist (NXDOMAIN: `domain-exists` rejects a typo), a
//! name in a demo zone without records does not exist either (`forward-confirmed` waits: the
//! change is pending), and a name outside `net.` falls through to the reverse zones, which
//! refuse it (the checks say `unverified`). Static and in memory; only the demo turns it on
//! ([`super::Publishing::demo_forward_zones`]), never `serve`.

use super::answer::Answer;
use hickory_server::proto::op::ResponseCode;
use hickory_server::proto::rr::rdata::{A, AAAA, NS, SOA};
use hickory_server::proto::rr::{Name, RData, Record, RecordType};
use std::net::IpAddr;
use std::sync::LazyLock;

/// The TTL of every demo record and of negative answers.
const TTL: u32 = 300;

/// The zones below `net.`, and their hosts (relative name, address).
const ZONES: &[(&str, &[(&str, &str)])] = &[
    (
        "demo-hosting.net",
        &[
            ("www", "203.0.113.45"),
            ("mail", "203.0.113.10"),
            ("mail", "2001:db8:10::25"),
            ("node1", "198.51.100.17"),
            ("node2", "198.51.100.18"),
            ("dsl-100-19.pool", "198.51.100.19"),
            // For the README's Robot API session: names the demo customer moves to.
            ("web", "203.0.113.45"),
            ("shop", "2001:db8:10::80"),
        ],
    ),
    ("other-networks.net", &[("edge", "192.0.2.10")]),
];

/// One zone: its apex and its address records.
struct Zone {
    apex: Name,
    hosts: Vec<(Name, IpAddr)>,
}

/// `net.` first, then the zones below it; a question goes to the deepest zone holding it.
static ZONE_LIST: LazyLock<Vec<Zone>> = LazyLock::new(|| {
    let name = |text: &str| super::absolute_name(text).unwrap_or_else(Name::root);
    let mut zones = vec![Zone {
        apex: name("net"),
        hosts: Vec::new(),
    }];
    zones.extend(ZONES.iter().map(|(apex, hosts)| {
        Zone {
            apex: name(apex),
            hosts: hosts
                .iter()
                .filter_map(|(host, ip)| Some((name(&format!("{host}.{apex}")), ip.parse().ok()?)))
                .collect(),
        }
    }));
    zones
});

/// The answer to `qtype` at `qname` when it is under `net.`; `None` otherwise (the reverse
/// zones' turn). Answers carry the name as asked.
pub fn lookup(qname: &Name, qtype: RecordType) -> Option<Answer> {
    let zone = ZONE_LIST
        .iter()
        .rev()
        .find(|zone| zone.apex.zone_of(qname))?;
    let mut records: Vec<Record> = zone
        .hosts
        .iter()
        .filter(|(host, _)| host == qname)
        .map(|(_, ip)| {
            let data = match ip {
                IpAddr::V4(v4) => RData::A(A(*v4)),
                IpAddr::V6(v6) => RData::AAAA(AAAA(*v6)),
            };
            Record::from_rdata(qname.clone(), TTL, data)
        })
        .collect();
    if zone.apex == *qname {
        records.push(with_owner(soa(&zone.apex), qname));
        records.push(Record::from_rdata(
            qname.clone(),
            TTL,
            RData::NS(NS(nameserver())),
        ));
    }
    // A name with no records of its own but hosts below it (`pool.demo-hosting.net`) exists.
    let exists = !records.is_empty() || zone.hosts.iter().any(|(host, _)| qname.zone_of(host));
    if !exists {
        return Some(Answer::Authoritative {
            code: ResponseCode::NXDomain,
            answers: Vec::new(),
            authority: vec![soa(&zone.apex)],
        });
    }
    records.retain(|record| qtype == RecordType::ANY || record.record_type() == qtype);
    let authority = match records.is_empty() {
        true => vec![soa(&zone.apex)],
        false => Vec::new(),
    };
    Some(Answer::Authoritative {
        code: ResponseCode::NoError,
        answers: records,
        authority,
    })
}

/// The name server every demo zone names (it is ptrdesk itself).
fn nameserver() -> Name {
    super::absolute_name("ns1.demo-hosting.net").unwrap_or_else(Name::root)
}

/// The SOA of a demo zone; it never changes, so its serial is 1.
fn soa(apex: &Name) -> Record {
    let hostmaster = super::absolute_name("hostmaster.demo-hosting.net").unwrap_or_else(Name::root);
    let soa = SOA::new(
        nameserver(),
        hostmaster,
        1,
        super::SOA_REFRESH,
        super::SOA_RETRY,
        super::SOA_EXPIRE,
        TTL,
    );
    Record::from_rdata(apex.clone(), TTL, RData::SOA(soa))
}

fn with_owner(mut record: Record, owner: &Name) -> Record {
    record.name = owner.clone();
    record
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(name: &str, qtype: RecordType) -> Option<(ResponseCode, Vec<RData>)> {
        let name = crate::dns::absolute_name(name).expect("a name");
        lookup(&name, qtype).map(|answer| match answer {
            Answer::Authoritative { code, answers, .. } => (
                code,
                answers.into_iter().map(|record| record.data).collect(),
            ),
            Answer::Refused | Answer::Referral { .. } => {
                panic!("the demo zones never refuse or refer")
            }
        })
    }

    #[test]
    fn a_demo_name_has_its_address() {
        let (code, data) = ask("WWW.demo-hosting.net", RecordType::A).expect("an answer");
        assert_eq!(code, ResponseCode::NoError);
        assert_eq!(data, vec![RData::A(A("203.0.113.45".parse().unwrap()))]);
        let (_, data) = ask("mail.demo-hosting.net", RecordType::AAAA).expect("an answer");
        assert_eq!(
            data,
            vec![RData::AAAA(AAAA("2001:db8:10::25".parse().unwrap()))]
        );
    }

    #[test]
    fn the_demo_domains_have_an_soa_and_a_name_without_records_is_nodata_or_nxdomain() {
        let (code, data) = ask("other-networks.net", RecordType::SOA).expect("an answer");
        assert_eq!(code, ResponseCode::NoError);
        assert!(matches!(data.as_slice(), [RData::SOA(_)]));
        let (code, data) = ask("www.demo-hosting.net", RecordType::CNAME).expect("an answer");
        assert_eq!((code, data.len()), (ResponseCode::NoError, 0));
        let (code, _) = ask("pool.demo-hosting.net", RecordType::A).expect("an answer");
        assert_eq!(code, ResponseCode::NoError);
        let (code, _) = ask("new.demo-hosting.net", RecordType::A).expect("an answer");
        assert_eq!(code, ResponseCode::NXDomain);
    }

    #[test]
    fn an_invented_net_domain_does_not_exist_and_other_tlds_are_not_answered() {
        let (code, _) = ask("invented-shop.net", RecordType::SOA).expect("an answer");
        assert_eq!(code, ResponseCode::NXDomain);
        assert_eq!(ask("demo-hosting.org", RecordType::SOA), None);
        assert_eq!(ask("2.0.192.in-addr.arpa", RecordType::SOA), None);
    }
}

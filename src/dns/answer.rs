//! The answer to one ordinary question (not a zone transfer), from the node's zone store in
//! memory ([`super::store`]; never the database): PTR for an address with an entry or a
//! provider default, SOA and NS at a zone's apex, NODATA for a name that exists without the
//! asked type, NXDOMAIN for a name in a served zone that has nothing, REFUSED for names
//! outside the served zones. A served zone without a row gets a serial derived from its
//! content (as [`crate::db::zones::rowless_serial`] reads it).

use super::Publishing;
use super::delegation::Delegated;
use super::names::{Located, Node, ReverseZone};
use super::store::ZoneStore;
use hickory_server::proto::op::ResponseCode;
use hickory_server::proto::rr::{LowerName, Name, Record, RecordType};

/// How to answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Not a zone ptrdesk serves.
    Refused,
    /// A referral to the name servers of a delegated block (NOERROR, not authoritative, the
    /// NS in the authority section).
    Referral {
        /// The NS records at the cut.
        authority: Vec<Record>,
    },
    /// An authoritative answer.
    Authoritative {
        /// NOERROR or NXDOMAIN.
        code: ResponseCode,
        /// The answer section.
        answers: Vec<Record>,
        /// The authority section (the SOA of a negative answer).
        authority: Vec<Record>,
    },
}

/// Answers `qtype` at `qname`: `owner` is the name as asked (answers echo its case).
pub fn lookup(
    store: &ZoneStore,
    publishing: &Publishing,
    owner: &Name,
    located: Located,
    qtype: RecordType,
) -> Answer {
    let Located::Inside { zone, node } = located else {
        return Answer::Refused;
    };
    if let Some(answer) = delegated(store, publishing, owner, &zone, node) {
        return answer;
    }
    let (node_first, node_last) = match node {
        Node::Address(ip) => (ip, ip),
        Node::Branch(net) => (net.network(), net.broadcast()),
        Node::Apex | Node::Nowhere => (zone.first(), zone.last()),
    };
    let want_hostname = matches!(node, Node::Address(_) | Node::Branch(_));
    let Some(facts) = store.facts(
        (zone.first(), zone.last()),
        (node_first, node_last),
        want_hostname,
    ) else {
        return Answer::Refused;
    };
    let serial = facts.serial;
    let covered = facts.covered;
    let found = |answers: Vec<Record>| Answer::Authoritative {
        code: ResponseCode::NoError,
        answers,
        authority: Vec::new(),
    };
    let negative = |code: ResponseCode, zone: &ReverseZone| Answer::Authoritative {
        code,
        answers: Vec::new(),
        authority: vec![publishing.negative_soa(zone, serial)],
    };
    match node {
        Node::Apex => match qtype {
            RecordType::SOA => found(vec![with_owner(publishing.soa(&zone, serial), owner)]),
            RecordType::NS => found(
                publishing
                    .ns(&zone)
                    .into_iter()
                    .map(|record| with_owner(record, owner))
                    .collect(),
            ),
            RecordType::ANY => {
                let mut records = vec![publishing.soa(&zone, serial)];
                records.extend(publishing.ns(&zone));
                found(
                    records
                        .into_iter()
                        .map(|record| with_owner(record, owner))
                        .collect(),
                )
            }
            _ => negative(ResponseCode::NoError, &zone),
        },
        Node::Address(ip) => {
            let ptr = covered
                .then(|| publishing.ptr(owner.clone(), ip, facts.hostname.as_deref()))
                .flatten();
            match (ptr, qtype) {
                (Some(ptr), RecordType::PTR | RecordType::ANY) => found(vec![ptr]),
                (Some(_), _) => negative(ResponseCode::NoError, &zone),
                (None, _) => negative(ResponseCode::NXDomain, &zone),
            }
        }
        Node::Branch(net) => {
            let has_records = covered
                && (net.network().is_ipv4()
                    || publishing.has_v6_default()
                    || facts.hostname.is_some());
            if has_records {
                negative(ResponseCode::NoError, &zone)
            } else {
                negative(ResponseCode::NXDomain, &zone)
            }
        }
        Node::Nowhere => negative(ResponseCode::NXDomain, &zone),
    }
}

/// The answer for a name under a delegated block, if it is one: a referral at or below the
/// cut, or the CNAME of an address of a classless block into its child zone.
fn delegated(
    store: &ZoneStore,
    publishing: &Publishing,
    owner: &Name,
    zone: &ReverseZone,
    node: Node,
) -> Option<Answer> {
    let delegations = store.delegations_in(zone.first(), zone.last());
    if delegations.is_empty() {
        return None;
    }
    let asked = LowerName::from(owner);
    for (first, last, servers) in delegations {
        let Some(block) = Delegated::from_range(first, last, &servers, &publishing.cuts) else {
            continue;
        };
        if block.refers(&asked) {
            return Some(Answer::Referral {
                authority: block.ns(publishing),
            });
        }
        if let Node::Address(ip) = node
            && block.holds(ip)
            && let Some(cname) = block.cname(owner.clone(), ip, publishing)
        {
            return Some(Answer::Authoritative {
                code: ResponseCode::NoError,
                answers: vec![cname],
                authority: Vec::new(),
            });
        }
    }
    None
}

fn with_owner(mut record: Record, owner: &Name) -> Record {
    record.name = owner.clone();
    record
}

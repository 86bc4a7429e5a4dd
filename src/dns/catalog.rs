//! The catalog zone (RFC 9432, schema version 2): one zone listing every reverse zone
//! ptrdesk serves, so that a secondary configured once with the catalog (Knot's
//! `catalog-role: interpret`, BIND's `catalog-zones`, PowerDNS' consumer) picks up a new zone
//! — a newly imported /24 — without a change to its configuration.
//!
//! Setting `catalog_zone` names it (e.g. `catalog.ptrdesk.invalid`). Its members are the zone
//! rows of the node's zone store (every active reverse zone; zones beyond the first 4096 of
//! one huge assignment have no row and are not members); its serial lives beside the DNS
//! generation and moves in the transaction that makes a zone join or leave
//! ([`crate::db::dns_changes::catalog_changed`]), so a node serving generation N serves the
//! catalog of generation N. It is answered and transferred like the reverse zones (same
//! secondaries, same TSIG key) and announced by NOTIFY ([`super::notify`]).
//!
//! Content: SOA and `NS invalid.` at the apex, `version TXT "2"`, and per member
//! `<id>.zones PTR <member>.` where `<id>` is a stable label derived from the member's name
//! (the first 8 octets of its SHA-256, in hex), so a member keeps its id across serials.

use super::Publishing;
use super::answer::Answer;
use super::names::ReverseZone;
use super::store::ZoneStore;
use hickory_server::proto::op::ResponseCode;
use hickory_server::proto::rr::rdata::{NS, PTR, TXT};
use hickory_server::proto::rr::{LowerName, Name, RData, Record, RecordType};
use sha2::{Digest, Sha256};

/// The TTL of the catalog's records: RFC 9432 section 5.1 suggests 0 (no resolver should
/// cache them; only secondaries read the catalog).
const TTL: u32 = 0;

/// The catalog zone as one node serves it at one moment.
#[derive(Debug, Clone)]
pub struct CatalogZone {
    /// Its serial.
    pub serial: i64,
    /// Its records in transfer order, the apex SOA first (and not repeated at the end).
    pub records: Vec<Record>,
}

/// The catalog named `apex` from `store`, with the SOA (and its timers) of `publishing`.
pub fn build(store: &ZoneStore, publishing: &Publishing, apex: &Name) -> CatalogZone {
    let (serial, members) = store.catalog();
    let name = |label: &str| Name::from_ascii(label).ok()?.append_domain(apex).ok();
    let mut records = vec![
        publishing.soa_named(apex.clone(), serial),
        Record::from_rdata(apex.clone(), TTL, RData::NS(NS(invalid()))),
    ];
    if let Some(version) = name("version") {
        records.push(Record::from_rdata(
            version,
            TTL,
            RData::TXT(TXT::new(vec!["2".to_owned()])),
        ));
    }
    for (first, last) in members {
        let Some(zone) = ReverseZone::spanning(first, last) else {
            continue;
        };
        let Some(owner) = name(&format!("{}.zones", member_id(&zone))) else {
            continue;
        };
        records.push(Record::from_rdata(owner, TTL, RData::PTR(PTR(zone.name()))));
    }
    CatalogZone { serial, records }
}

/// `invalid.`: the catalog's NS target (RFC 9432 section 4.1).
fn invalid() -> Name {
    Name::from_ascii("invalid.").unwrap_or_else(|_| Name::root())
}

/// The stable unique label of a member zone.
pub fn member_id(zone: &ReverseZone) -> String {
    let digest = Sha256::digest(zone.to_string().as_bytes());
    hex::encode(&digest[..8])
}

/// Whether `name` is at or below the catalog zone `apex`.
pub fn holds(apex: &Name, name: &LowerName) -> bool {
    LowerName::from(apex).zone_of(name)
}

/// Answers `qtype` at `owner` (at or below the catalog's apex): the records of that name
/// and type, NODATA when the name holds others, NXDOMAIN when it holds none (an empty
/// non-terminal such as `zones.` is NODATA).
pub fn lookup(catalog: &CatalogZone, apex: &Name, owner: &Name, qtype: RecordType) -> Answer {
    let asked = LowerName::from(owner);
    let at_name: Vec<&Record> = catalog
        .records
        .iter()
        .filter(|record| LowerName::from(&record.name) == asked)
        .collect();
    let answers: Vec<Record> = at_name
        .iter()
        .filter(|record| qtype == RecordType::ANY || record.record_type() == qtype)
        .map(|record| {
            let mut record = (*record).clone();
            record.name = owner.clone();
            record
        })
        .collect();
    if !answers.is_empty() {
        return Answer::Authoritative {
            code: ResponseCode::NoError,
            answers,
            authority: Vec::new(),
        };
    }
    let exists = !at_name.is_empty()
        || catalog
            .records
            .iter()
            .any(|record| asked.zone_of(&LowerName::from(&record.name)));
    let mut soa = catalog.records[0].clone();
    soa.name = apex.clone();
    Answer::Authoritative {
        code: if exists {
            ResponseCode::NoError
        } else {
            ResponseCode::NXDomain
        },
        answers: Vec::new(),
        authority: vec![soa],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    #[test]
    fn a_member_keeps_its_id_and_two_members_differ() {
        let zone = |first: &str, last: &str| {
            ReverseZone::spanning(
                first.parse::<IpAddr>().expect("an address"),
                last.parse::<IpAddr>().expect("an address"),
            )
            .expect("a zone")
        };
        let a = zone("203.0.113.0", "203.0.113.255");
        let b = zone("198.51.100.0", "198.51.100.255");

        assert_eq!(a.to_string(), "113.0.203.in-addr.arpa");
        assert_eq!(member_id(&a), member_id(&a));
        assert_ne!(member_id(&a), member_id(&b));
        assert_eq!(member_id(&a).len(), 16);
    }

    #[test]
    fn a_range_that_is_no_network_is_no_zone() {
        let spanning = |first: &str, last: &str| {
            ReverseZone::spanning(
                first.parse().expect("an address"),
                last.parse().expect("an address"),
            )
        };

        assert!(spanning("203.0.113.0", "203.0.113.254").is_none());
        assert!(spanning("203.0.113.1", "203.0.114.0").is_none());
        assert_eq!(
            spanning("2001:db8::", "2001:db8:0:ffff:ffff:ffff:ffff:ffff")
                .map(|zone| zone.to_string())
                .as_deref(),
            Some("0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")
        );
    }
}

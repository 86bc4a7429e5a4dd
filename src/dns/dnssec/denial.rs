//! Authenticated denial with NSEC: online, minimally covering records (RFC 4470) for single
//! answers, and the zone's complete chain for transfers.
//!
//! Online, a name that exists without the asked type gets an NSEC at the name itself listing
//! its types, whose next name is the name's first possible child (`\000.NAME`); a name that
//! does not exist gets an NSEC covering just it and its subtree (from a sibling label just
//! before it to one just after its subtree) and one covering the wildcard `*` under its
//! parent. The made-up owner and next names use bytes no reverse-zone label holds (`~` and
//! `\000` after a label's digits), so no record covers a name that exists: the records of
//! reverse zones are digits and hex nibbles only.

use super::super::names::Node;
use hickory_server::proto::dnssec::rdata::{DNSSECRData, NSEC};
use hickory_server::proto::rr::domain::Label;
use hickory_server::proto::rr::{Name, RData, Record, RecordType};
use std::collections::BTreeMap;

/// The NSEC proving that `owner` (a name that exists, at `node`) has no record of the asked
/// type: the types it has, and the next name just below it.
pub(super) fn no_such_type(owner: &Name, node: Node, ttl: u32) -> Record {
    let owner = owner.to_lowercase();
    let types: &[RecordType] = match node {
        Node::Apex => &[RecordType::SOA, RecordType::NS, RecordType::DNSKEY],
        Node::Address(_) => &[RecordType::PTR],
        Node::Branch(_) | Node::Nowhere => &[],
    };
    let next = owner
        .prepend_label(Label::from_raw_bytes(&[0]).unwrap_or_else(|_| Label::wildcard()))
        .unwrap_or_else(|_| owner.clone());
    nsec(owner, next, types.iter().copied(), ttl)
}

/// The NSEC records proving that `owner` does not exist: one covering it, one covering the
/// wildcard under its parent (the closest encloser a validator derives from the first).
pub(super) fn no_such_name(owner: &Name, ttl: u32) -> Vec<Record> {
    let owner = owner.to_lowercase();
    let parent = owner.base_name();
    let mut proofs = Vec::with_capacity(2);
    if let Some(record) = covering(&owner, ttl) {
        proofs.push(record);
    }
    if let Ok(wildcard) = parent.prepend_label(Label::wildcard())
        && wildcard != owner
        && let Some(record) = covering(&wildcard, ttl)
    {
        proofs.push(record);
    }
    proofs
}

/// An NSEC covering `name` and its subtree, and nothing else.
fn covering(name: &Name, ttl: u32) -> Option<Record> {
    let label = name.iter().next()?;
    let parent = name.base_name();
    let (&last, rest) = label.split_last()?;
    // Just before the label: its last byte one lower, then `~` (above every digit and letter).
    let mut before = rest.to_vec();
    if last > 0 {
        before.push(last - 1);
        if before.len() < 63 {
            before.push(b'~');
        }
    }
    // Just after the label's subtree: the label and a zero byte.
    let mut after = label.to_vec();
    if after.len() < 63 {
        after.push(0);
    } else {
        *after.last_mut()? = after.last()?.checked_add(1)?;
    }
    let owner = parent
        .prepend_label(Label::from_raw_bytes(&before).ok()?)
        .ok()?;
    let next = parent
        .prepend_label(Label::from_raw_bytes(&after).ok()?)
        .ok()?;
    Some(nsec(owner, next, [], ttl))
}

/// The zone's NSEC chain for a transfer: one NSEC per name in `types` (canonical order, each
/// with its types), the last pointing back at the apex.
pub(super) fn chain(apex: &Name, types: &BTreeMap<Name, Vec<RecordType>>, ttl: u32) -> Vec<Record> {
    let names: Vec<&Name> = types.keys().collect();
    let mut records = Vec::with_capacity(names.len());
    for (at, name) in names.iter().enumerate() {
        let next = names
            .get(at + 1)
            .map_or_else(|| apex.clone(), |next| (*next).clone());
        records.push(nsec(
            (*name).clone(),
            next,
            types[*name].iter().copied(),
            ttl,
        ));
    }
    records
}

fn nsec(owner: Name, next: Name, types: impl IntoIterator<Item = RecordType>, ttl: u32) -> Record {
    Record::from_rdata(
        owner,
        ttl,
        RData::DNSSEC(DNSSECRData::NSEC(NSEC::new_cover_self(next, types))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> Name {
        Name::from_ascii(text).expect("a name")
    }

    #[test]
    fn a_missing_name_is_covered_tightly_and_its_parents_wildcard_too() {
        let missing = name("50.2.0.192.in-addr.arpa.");

        let proofs = no_such_name(&missing, 300);

        assert_eq!(proofs.len(), 2);
        let covers = |record: &Record, target: &Name| match &record.data {
            RData::DNSSEC(DNSSECRData::NSEC(nsec)) => {
                record.name < *target && *target < *nsec.next_domain_name()
            }
            _ => false,
        };
        assert!(covers(&proofs[0], &missing));
        assert!(covers(&proofs[1], &name("*.2.0.192.in-addr.arpa.")));
        for existing in [
            "5.2.0.192.in-addr.arpa.",
            "49.2.0.192.in-addr.arpa.",
            "51.2.0.192.in-addr.arpa.",
            "500.2.0.192.in-addr.arpa.",
            "0.2.0.192.in-addr.arpa.",
            "2.0.192.in-addr.arpa.",
        ] {
            for proof in &proofs {
                assert!(
                    !covers(proof, &name(existing)),
                    "{existing} is covered by {proof}"
                );
            }
        }
        assert!(
            covers(&proofs[0], &name("1.50.2.0.192.in-addr.arpa.")),
            "the subtree too"
        );
    }

    #[test]
    fn the_chain_closes_at_the_apex_in_canonical_order() {
        let apex = name("2.0.192.in-addr.arpa.");
        let mut types = BTreeMap::new();
        for owner in [
            "2.0.192.in-addr.arpa.",
            "10.2.0.192.in-addr.arpa.",
            "9.2.0.192.in-addr.arpa.",
        ] {
            types.insert(name(owner), vec![RecordType::PTR]);
        }

        let chain = chain(&apex, &types, 300);

        let links: Vec<(String, String)> = chain
            .iter()
            .map(|record| match &record.data {
                RData::DNSSEC(DNSSECRData::NSEC(nsec)) => {
                    (record.name.to_string(), nsec.next_domain_name().to_string())
                }
                _ => panic!("an NSEC"),
            })
            .collect();
        assert_eq!(
            links,
            [
                (
                    "2.0.192.in-addr.arpa.".to_owned(),
                    "10.2.0.192.in-addr.arpa.".to_owned()
                ),
                (
                    "10.2.0.192.in-addr.arpa.".to_owned(),
                    "9.2.0.192.in-addr.arpa.".to_owned()
                ),
                (
                    "9.2.0.192.in-addr.arpa.".to_owned(),
                    "2.0.192.in-addr.arpa.".to_owned()
                ),
            ]
        );
    }
}

//! The maps the zone store keeps ([`Served`]): per address family, the entries and the
//! assignments in B-trees keyed by address (IPv4 by 32 bits), and the zone rows' serials.
//! Pure data and look-ups; [`super::ZoneStore`] fills them and guards them with a lock.

use crate::db::delegations::ServedDelegation;
use crate::db::dns_changes::{ServedAssignment, ServedEntry, ServedZone};
use std::collections::BTreeMap;

/// One entry: the customer's PTR (`None`: the default applies) and when it was written
/// (Unix seconds; a rowless zone's serial).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    pub(super) hostname: Option<Box<str>>,
    pub(super) updated_at: u32,
}

/// A time as the store keeps it: Unix seconds in 32 bits (until 2106).
fn seconds(at: i64) -> u32 {
    at.clamp(0, i64::from(u32::MAX)) as u32
}

/// The first address number of IPv4 (`::ffff:0.0.0.0`, [`crate::domain::address_number`]).
const V4_FIRST: u128 = 0xffff_u128 << 32;
/// The last address number of IPv4.
const V4_LAST: u128 = V4_FIRST | 0xffff_ffff;

/// An address as one address family's map keys it: IPv4 in 32 bits (most of a provider's
/// addresses; 4 octets a key instead of 16), everything else in 128.
trait Key: Copy + Ord + std::fmt::Debug {
    /// Whether this is the IPv4 key.
    const V4: bool;
    fn from_number(number: u128) -> Self;
    fn number(self) -> u128;
}

impl Key for u32 {
    const V4: bool = true;

    fn from_number(number: u128) -> u32 {
        (number & 0xffff_ffff) as u32
    }

    fn number(self) -> u128 {
        V4_FIRST | u128::from(self)
    }
}

impl Key for u128 {
    const V4: bool = false;

    fn from_number(number: u128) -> u128 {
        number
    }

    fn number(self) -> u128 {
        self
    }
}

/// The entries and assignments of one address family.
#[derive(Debug)]
struct Space<K> {
    entries: BTreeMap<K, Entry>,
    /// first → (last, created_at); assignments never overlap.
    assignments: BTreeMap<K, (K, u32)>,
}

impl<K> Default for Space<K> {
    fn default() -> Space<K> {
        Space {
            entries: BTreeMap::new(),
            assignments: BTreeMap::new(),
        }
    }
}

impl<K: Key> Space<K> {
    /// Built in one pass from rows in address order (full B-tree nodes: half the memory of
    /// inserting one by one).
    fn build(entries: Vec<(K, Entry)>, assignments: Vec<(K, (K, u32))>) -> Space<K> {
        Space {
            entries: entries.into_iter().collect(),
            assignments: assignments.into_iter().collect(),
        }
    }

    fn assignment_overlapping(&self, first: K, last: K) -> Option<(K, K, u32)> {
        let (start, (end, created)) = self.assignments.range(..=last).next_back()?;
        (*end >= first).then_some((*start, *end, *created))
    }

    fn replace(
        &mut self,
        first: K,
        last: K,
        entries: &[ServedEntry],
        assignments: &[ServedAssignment],
    ) {
        let stale: Vec<K> = self
            .entries
            .range(first..=last)
            .map(|(at, _)| *at)
            .collect();
        for address in stale {
            self.entries.remove(&address);
        }
        let mine = |number: u128| (first..=last).contains(&K::from_number(number));
        for entry in entries {
            if is_v4::<K>(entry.address) && mine(entry.address) {
                self.entries
                    .insert(K::from_number(entry.address), to_entry(entry.clone()));
            }
        }
        let mut stale: Vec<K> = self
            .assignments
            .range(first..=last)
            .map(|(start, _)| *start)
            .collect();
        if let Some((start, _, _)) = self.assignment_overlapping(first, first) {
            stale.push(start);
        }
        for start in stale {
            self.assignments.remove(&start);
        }
        for assignment in assignments {
            if is_v4::<K>(assignment.first) {
                self.assignments.insert(
                    K::from_number(assignment.first),
                    (
                        K::from_number(assignment.last),
                        seconds(assignment.created_at),
                    ),
                );
            }
        }
    }
}

/// Whether `number` belongs to the space keyed by `K` (IPv4 to `u32`, the rest to `u128`).
fn is_v4<K: Key>(number: u128) -> bool {
    (V4_FIRST..=V4_LAST).contains(&number) == K::V4
}

fn to_entry(entry: ServedEntry) -> Entry {
    Entry {
        hostname: entry.hostname.map(String::into_boxed_str),
        updated_at: seconds(entry.updated_at),
    }
}

/// The IPv4 part of `first..=last`, as keys.
fn v4_part(first: u128, last: u128) -> Option<(u32, u32)> {
    let (from, to) = (first.max(V4_FIRST), last.min(V4_LAST));
    (from <= to).then(|| (u32::from_number(from), u32::from_number(to)))
}

/// The parts of `first..=last` outside IPv4.
fn v6_parts(first: u128, last: u128) -> impl Iterator<Item = (u128, u128)> {
    let below = (first < V4_FIRST).then(|| (first, last.min(V4_FIRST - 1)));
    let above = (last > V4_LAST).then(|| (first.max(V4_LAST + 1), last));
    below.into_iter().chain(above)
}

/// Entries in address order, split by family as they are read.
pub(super) type SplitEntries = (Vec<(u32, Entry)>, Vec<(u128, Entry)>);

/// Files one entry read from the database into its family's list.
pub(super) fn split_entry(split: &mut SplitEntries, entry: ServedEntry) {
    if (V4_FIRST..=V4_LAST).contains(&entry.address) {
        split
            .0
            .push((u32::from_number(entry.address), to_entry(entry)));
    } else {
        split.1.push((entry.address, to_entry(entry)));
    }
}

/// A delegated block's name servers, as typed by the customer.
pub(super) type NameServers = Box<[Box<str>]>;

/// What DNS serves, keyed by address number ([`crate::domain::address_number`]).
#[derive(Debug, Default)]
pub(super) struct Served {
    v4: Space<u32>,
    v6: Space<u128>,
    /// (first, last) → serial, of the active zone rows.
    pub(super) zones: BTreeMap<(u128, u128), i64>,
    /// The DNS generation this is current with.
    pub(super) generation: i64,
    /// The catalog zone's serial at that generation (its members are the zone rows).
    pub(super) catalog_serial: i64,
    /// The delegated assignments: first → (last, the customer's name servers). Few.
    pub(super) delegations: BTreeMap<u128, (u128, NameServers)>,
}

impl Served {
    /// Built from rows in address order.
    pub(super) fn build(
        generation: i64,
        zones: Vec<ServedZone>,
        assignments: Vec<ServedAssignment>,
        (v4_entries, v6_entries): SplitEntries,
    ) -> Served {
        let (mut v4_assignments, mut v6_assignments) = (Vec::new(), Vec::new());
        for assignment in assignments {
            let created = seconds(assignment.created_at);
            if (V4_FIRST..=V4_LAST).contains(&assignment.first) {
                v4_assignments.push((
                    u32::from_number(assignment.first),
                    (u32::from_number(assignment.last), created),
                ));
            } else {
                v6_assignments.push((assignment.first, (assignment.last, created)));
            }
        }
        Served {
            v4: Space::build(v4_entries, v4_assignments),
            v6: Space::build(v6_entries, v6_assignments),
            zones: zones
                .into_iter()
                .map(|zone| ((zone.first, zone.last), zone.serial))
                .collect(),
            generation,
            catalog_serial: 0,
            delegations: BTreeMap::new(),
        }
    }

    /// Files the delegated assignments `delegations` (replacing those starting in
    /// `first..=last`).
    pub(super) fn replace_delegations(
        &mut self,
        first: u128,
        last: u128,
        delegations: Vec<ServedDelegation>,
    ) {
        let stale: Vec<u128> = self
            .delegations
            .range(first..=last)
            .map(|(start, _)| *start)
            .collect();
        for start in stale {
            self.delegations.remove(&start);
        }
        for delegation in delegations {
            let servers = delegation
                .nameservers
                .into_iter()
                .map(String::into_boxed_str)
                .collect();
            self.delegations
                .insert(delegation.first, (delegation.last, servers));
        }
    }

    /// The assignment overlapping `first..=last`, if any: (first, last, created_at).
    pub(super) fn assignment_overlapping(
        &self,
        first: u128,
        last: u128,
    ) -> Option<(u128, u128, i64)> {
        let found = |(start, end, created): (u128, u128, u32)| (start, end, i64::from(created));
        if let Some((from, to)) = v4_part(first, last)
            && let Some((start, end, created)) = self.v4.assignment_overlapping(from, to)
        {
            return Some(found((start.number(), end.number(), created)));
        }
        v6_parts(first, last).find_map(|(from, to)| {
            self.v6
                .assignment_overlapping(from, to)
                .map(|(start, end, created)| found((start, end, created)))
        })
    }

    /// Every assignment overlapping `first..=last`, in address order.
    pub(super) fn assignments_overlapping(
        &self,
        first: u128,
        last: u128,
    ) -> Vec<(u128, u128, i64)> {
        fn collect<K: Key>(space: &Space<K>, first: K, last: K, into: &mut Vec<(u128, u128, i64)>) {
            if let Some((start, end, created)) = space.assignment_overlapping(first, first) {
                into.push((start.number(), end.number(), i64::from(created)));
            }
            for (start, (end, created)) in space.assignments.range(first..=last) {
                if into.last().map(|(at, _, _)| *at) != Some(start.number()) {
                    into.push((start.number(), end.number(), i64::from(*created)));
                }
            }
        }
        let mut found = Vec::new();
        for (from, to) in v6_parts(first, last).filter(|(from, _)| *from < V4_FIRST) {
            collect(&self.v6, from, to, &mut found);
        }
        if let Some((from, to)) = v4_part(first, last) {
            collect(&self.v4, from, to, &mut found);
        }
        for (from, to) in v6_parts(first, last).filter(|(from, _)| *from > V4_LAST) {
            collect(&self.v6, from, to, &mut found);
        }
        found
    }

    /// Calls `each` with every entry in `first..=last`, in address order, until it says stop.
    pub(super) fn each_entry(
        &self,
        first: u128,
        last: u128,
        mut each: impl FnMut(u128, &Entry) -> bool,
    ) {
        for (from, to) in v6_parts(first, last).filter(|(from, _)| *from < V4_FIRST) {
            for (at, entry) in self.v6.entries.range(from..=to) {
                if !each(*at, entry) {
                    return;
                }
            }
        }
        if let Some((from, to)) = v4_part(first, last) {
            for (at, entry) in self.v4.entries.range(from..=to) {
                if !each(at.number(), entry) {
                    return;
                }
            }
        }
        for (from, to) in v6_parts(first, last).filter(|(from, _)| *from > V4_LAST) {
            for (at, entry) in self.v6.entries.range(from..=to) {
                if !each(*at, entry) {
                    return;
                }
            }
        }
    }

    /// How many entries and assignments it holds.
    pub(super) fn sizes(&self) -> (usize, usize) {
        (
            self.v4.entries.len() + self.v6.entries.len(),
            self.v4.assignments.len() + self.v6.assignments.len(),
        )
    }

    /// Replaces what `loaded` read of `first..=last`.
    pub(super) fn replace(&mut self, first: u128, last: u128, loaded: Loaded) {
        let zones: Vec<(u128, u128)> = self
            .zones
            .keys()
            .filter(|(start, end)| *start <= last && *end >= first)
            .copied()
            .collect();
        for key in zones {
            self.zones.remove(&key);
        }
        for zone in loaded.zones {
            self.zones.insert((zone.first, zone.last), zone.serial);
        }
        let Some(entries) = loaded.entries else {
            return;
        };
        self.replace_delegations(first, last, loaded.delegations);
        if let Some((from, to)) = v4_part(first, last) {
            self.v4.replace(from, to, &entries, &loaded.assignments);
        }
        for (from, to) in v6_parts(first, last) {
            self.v6.replace(from, to, &entries, &loaded.assignments);
        }
    }
}

/// What one range's reload read.
pub(super) struct Loaded {
    pub(super) zones: Vec<ServedZone>,
    /// `None` for a change of serials only.
    pub(super) entries: Option<Vec<ServedEntry>>,
    pub(super) assignments: Vec<ServedAssignment>,
    pub(super) delegations: Vec<ServedDelegation>,
}

/// A served zone without a row: the latest moment its content changed.
pub(super) fn rowless_serial(served: &Served, first: u128, last: u128) -> i64 {
    let mut serial = 0;
    for (_, _, created) in served.assignments_overlapping(first, last) {
        serial = serial.max(created);
    }
    served.each_entry(first, last, |_, entry| {
        serial = serial.max(i64::from(entry.updated_at));
        true
    });
    serial
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::dns_changes;

    fn number(text: &str) -> u128 {
        crate::domain::address_number(text.parse().expect("an address"))
    }

    fn entry(address: &str, hostname: Option<&str>) -> ServedEntry {
        ServedEntry {
            address: number(address),
            hostname: hostname.map(str::to_owned),
            updated_at: 7,
        }
    }

    fn assignment(first: &str, last: &str) -> ServedAssignment {
        ServedAssignment {
            first: number(first),
            last: number(last),
            created_at: 5,
        }
    }

    fn served() -> Served {
        let mut entries = SplitEntries::default();
        for row in [
            entry("2001:db8::1", Some("six.example.net")),
            entry("192.0.2.1", None),
            entry("192.0.2.2", Some("four.example.net")),
        ] {
            split_entry(&mut entries, row);
        }
        Served::build(
            1,
            Vec::new(),
            vec![
                assignment("2001:db8::", "2001:db8::ffff"),
                assignment("192.0.2.0", "192.0.2.7"),
            ],
            entries,
        )
    }

    #[test]
    fn each_family_is_found_in_its_own_map_and_ranges_never_cross_families() {
        let served = served();

        assert_eq!(served.sizes(), (3, 2));
        assert_eq!(served.v4.entries.len(), 2);
        assert!(
            served
                .assignment_overlapping(number("192.0.2.5"), number("192.0.2.5"))
                .is_some()
        );
        assert!(
            served
                .assignment_overlapping(number("192.0.2.8"), number("192.0.2.8"))
                .is_none()
        );
        assert!(
            served
                .assignment_overlapping(number("2001:db8::42"), number("2001:db8::42"))
                .is_some()
        );
        let mut all = Vec::new();
        let (first, last) = dns_changes::EVERYTHING;
        served.each_entry(
            crate::domain::address_number(first),
            crate::domain::address_number(last),
            |at, _| {
                all.push(crate::domain::number_address(at).to_string());
                true
            },
        );
        assert_eq!(all, ["192.0.2.1", "192.0.2.2", "2001:db8::1"]);
    }

    #[test]
    fn replacing_a_range_drops_what_is_gone_and_keeps_the_rest() {
        let mut served = served();

        served.replace(
            number("192.0.2.0"),
            number("192.0.2.255"),
            Loaded {
                zones: Vec::new(),
                entries: Some(vec![entry("192.0.2.3", Some("new.example.net"))]),
                assignments: vec![assignment("192.0.2.0", "192.0.2.3")],
                delegations: Vec::new(),
            },
        );

        let mut v4 = Vec::new();
        served.each_entry(number("192.0.2.0"), number("192.0.2.255"), |at, entry| {
            v4.push((
                crate::domain::number_address(at).to_string(),
                entry.hostname.as_deref().map(str::to_owned),
            ));
            true
        });
        assert_eq!(
            v4,
            [("192.0.2.3".to_owned(), Some("new.example.net".to_owned()))]
        );
        assert!(
            served
                .assignment_overlapping(number("192.0.2.5"), number("192.0.2.5"))
                .is_none()
        );
        assert_eq!(served.sizes(), (2, 2), "IPv6 is untouched");
    }
}

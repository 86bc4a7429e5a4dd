//! The zone store: everything this node's DNS serves, in memory, in maps sorted by address —
//! the entries (customer PTRs and the rows of addresses reset to the default), the assignments
//! (which addresses are served at all) and the zone rows (serials). Every answer and every
//! zone transfer reads it, never the database; the default names, SOA and NS come from
//! [`Publishing`](super::Publishing) (configuration).
//!
//! Loaded in full at start ([`ZoneStore::load`]); kept current from the log of migration 0020
//! ([`crate::db::dns_changes`]): a write that changes what DNS serves moves the DNS generation
//! and logs the ranges it changed in its own transaction. The node that commits catches up
//! before its request is answered (it follows its own commits: [`crate::db::PublishFollower`]);
//! every node also reads the generation every [`FOLLOW_EVERY`] and catches up when it moved,
//! so other nodes serve a change within that. A catch-up reads the generation and the changed
//! ranges in one snapshot and replaces those ranges in memory.
//!
//! If the database goes away, the store keeps what it last knew and DNS keeps answering it;
//! [`ZoneStore::health`] calls the store stale while its catch-ups fail, or once it has not
//! reached the database for [`STALE_AFTER`] (`/healthz` shows it).

use crate::db::dns_changes::{self, ChangeKind, ServedAssignment, ServedEntry, ServedZone};
use crate::db::{self, Db};
use crate::shutdown::Shutdown;
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};
use std::time::{Duration, Instant};

/// How often a node reads the DNS generation to follow the other nodes' changes.
pub const FOLLOW_EVERY: Duration = Duration::from_millis(250);
/// How long the store may go without reaching the database before it counts as stale.
pub const STALE_AFTER: Duration = Duration::from_secs(5);
/// How often the log is pruned of changes older than [`dns_changes::KEEP_SECONDS`].
const PRUNE_EVERY: Duration = Duration::from_secs(600);

/// One entry: the customer's PTR (`None`: the default applies) and when it was written
/// (Unix seconds; a rowless zone's serial).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    hostname: Option<Box<str>>,
    updated_at: u32,
}

/// A time as the store keeps it: Unix seconds in 32 bits (until 2106).
fn seconds(at: i64) -> u32 {
    at.clamp(0, i64::from(u32::MAX)) as u32
}

/// The first address number of IPv4 (`::ffff:0.0.0.0`, [`dns_changes::address_number`]).
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
type SplitEntries = (Vec<(u32, Entry)>, Vec<(u128, Entry)>);

/// Files one entry read from the database into its family's list.
fn split_entry(split: &mut SplitEntries, entry: ServedEntry) {
    if (V4_FIRST..=V4_LAST).contains(&entry.address) {
        split
            .0
            .push((u32::from_number(entry.address), to_entry(entry)));
    } else {
        split.1.push((entry.address, to_entry(entry)));
    }
}

/// What DNS serves, keyed by address number ([`dns_changes::address_number`]).
#[derive(Debug, Default)]
struct Served {
    v4: Space<u32>,
    v6: Space<u128>,
    /// (first, last) → serial, of the active zone rows.
    zones: BTreeMap<(u128, u128), i64>,
    /// The DNS generation this is current with.
    generation: i64,
}

impl Served {
    /// Built from rows in address order.
    fn build(
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
        }
    }

    /// The assignment overlapping `first..=last`, if any: (first, last, created_at).
    fn assignment_overlapping(&self, first: u128, last: u128) -> Option<(u128, u128, i64)> {
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
    fn assignments_overlapping(&self, first: u128, last: u128) -> Vec<(u128, u128, i64)> {
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
    fn each_entry(&self, first: u128, last: u128, mut each: impl FnMut(u128, &Entry) -> bool) {
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
    fn sizes(&self) -> (usize, usize) {
        (
            self.v4.entries.len() + self.v6.entries.len(),
            self.v4.assignments.len() + self.v6.assignments.len(),
        )
    }

    /// Replaces what `loaded` read of `first..=last`.
    fn replace(&mut self, first: u128, last: u128, loaded: Loaded) {
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
        if let Some((from, to)) = v4_part(first, last) {
            self.v4.replace(from, to, &entries, &loaded.assignments);
        }
        for (from, to) in v6_parts(first, last) {
            self.v6.replace(from, to, &entries, &loaded.assignments);
        }
    }
}

/// What one range's reload read.
struct Loaded {
    zones: Vec<ServedZone>,
    /// `None` for a change of serials only.
    entries: Option<Vec<ServedEntry>>,
    assignments: Vec<ServedAssignment>,
}

/// The facts one DNS question is answered from (see [`super::answer`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The zone's serial: its row's, or for a served zone without a row the latest moment
    /// its content changed (the creation of its assignments, the last write of its entries).
    pub serial: i64,
    /// Whether an assignment overlaps the addresses under the name.
    pub covered: bool,
    /// The first customer PTR under the name.
    pub hostname: Option<String>,
}

/// Whether the store follows the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreHealth {
    /// The DNS generation the store is current with.
    pub generation: i64,
    /// How long ago it last reached the database (`None`: never since start).
    pub last_reached: Option<Duration>,
    /// Whether the last catch-up failed, or the last success is older than [`STALE_AFTER`]
    /// (a catch-up that hangs): the store may miss changes and DNS answers what it last knew.
    pub stale: bool,
}

/// A node's in-memory zone store; see the module documentation.
#[derive(Debug)]
pub struct ZoneStore {
    served: RwLock<Served>,
    /// Held while catching up, so two catch-ups never apply out of order.
    following: tokio::sync::Mutex<()>,
    reached: Mutex<Option<Instant>>,
    /// Whether the last catch-up failed (the database is away).
    failing: std::sync::atomic::AtomicBool,
    db: Db,
}

impl ZoneStore {
    /// Loads everything DNS serves from `db` (a snapshot) and follows this node's commits.
    pub async fn load(db: &Db) -> Result<Arc<ZoneStore>, sqlx::Error> {
        let served = load_everything(db).await?;
        let (entries, assignments) = served.sizes();
        tracing::info!(
            entries,
            assignments,
            zones = served.zones.len(),
            generation = served.generation,
            "DNS zone store loaded"
        );
        let store = Arc::new(ZoneStore {
            served: RwLock::new(served),
            following: tokio::sync::Mutex::new(()),
            reached: Mutex::new(Some(Instant::now())),
            failing: std::sync::atomic::AtomicBool::new(false),
            db: db.clone(),
        });
        db.follow_publishing(Arc::clone(&store) as Arc<dyn db::PublishFollower>);
        Ok(store)
    }

    fn read(&self) -> RwLockReadGuard<'_, Served> {
        match self.served.read() {
            Ok(served) => served,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Served> {
        match self.served.write() {
            Ok(served) => served,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The facts of a question about the zone `zone_first..=zone_last` and the addresses
    /// `node_first..=node_last` under its name; `None` when no assignment overlaps the zone
    /// (not served). `want_hostname`: look for the first customer PTR under the name.
    pub fn facts(
        &self,
        (zone_first, zone_last): (IpAddr, IpAddr),
        (node_first, node_last): (IpAddr, IpAddr),
        want_hostname: bool,
    ) -> Option<Facts> {
        let number = dns_changes::address_number;
        let (zone_first, zone_last) = (number(zone_first), number(zone_last));
        let (node_first, node_last) = (number(node_first), number(node_last));
        let served = self.read();
        served.assignment_overlapping(zone_first, zone_last)?;
        let serial = match served.zones.get(&(zone_first, zone_last)) {
            Some(serial) => *serial,
            None => rowless_serial(&served, zone_first, zone_last),
        };
        let covered = served
            .assignment_overlapping(node_first, node_last)
            .is_some();
        let mut hostname = None;
        if want_hostname {
            served.each_entry(node_first, node_last, |_, entry| {
                hostname = entry.hostname.as_deref().map(str::to_owned);
                hostname.is_none()
            });
        }
        Some(Facts {
            serial,
            covered,
            hostname,
        })
    }

    /// A zone as a transfer carries it: its serial, the ranges of the assignments overlapping
    /// it, and its entries in address order; `None` when no assignment overlaps it.
    pub fn zone_content(&self, first: IpAddr, last: IpAddr) -> Option<ZoneContent> {
        let number = dns_changes::address_number;
        let (first, last) = (number(first), number(last));
        let served = self.read();
        served.assignment_overlapping(first, last)?;
        let serial = match served.zones.get(&(first, last)) {
            Some(serial) => *serial,
            None => rowless_serial(&served, first, last),
        };
        let assignments = served
            .assignments_overlapping(first, last)
            .into_iter()
            .map(|(start, end, _)| {
                (
                    dns_changes::number_address(start),
                    dns_changes::number_address(end),
                )
            })
            .collect();
        let mut entries = Vec::new();
        served.each_entry(first, last, |address, entry| {
            entries.push((
                dns_changes::number_address(address),
                entry.hostname.as_deref().map(str::to_owned),
            ));
            true
        });
        Some(ZoneContent {
            serial,
            assignments,
            entries,
        })
    }

    /// How the store follows the database.
    pub fn health(&self) -> StoreHealth {
        let last_reached = self
            .reached
            .lock()
            .map(|reached| reached.map(|at| at.elapsed()))
            .unwrap_or(None);
        StoreHealth {
            generation: self.read().generation,
            last_reached,
            stale: self.failing.load(std::sync::atomic::Ordering::Relaxed)
                || last_reached.is_none_or(|ago| ago > STALE_AFTER),
        }
    }

    /// How many entries, assignments and zone rows it holds.
    pub fn counts(&self) -> (usize, usize, usize) {
        let served = self.read();
        let (entries, assignments) = served.sizes();
        (entries, assignments, served.zones.len())
    }

    /// Reads the DNS generation and, when it moved, the ranges changed since, replacing them
    /// in memory (everything, when the log no longer reaches back that far).
    pub async fn catch_up(&self) -> Result<(), sqlx::Error> {
        let _following = self.following.lock().await;
        let caught_up = self.catch_up_now().await;
        self.failing
            .store(caught_up.is_err(), std::sync::atomic::Ordering::Relaxed);
        caught_up
    }

    async fn catch_up_now(&self) -> Result<(), sqlx::Error> {
        let mine = self.read().generation;
        let current = dns_changes::generation(&self.db.pool).await?;
        if current > mine {
            let mut snapshot = self.db.pool.begin().await?;
            if self.db.engine == db::Engine::Postgres {
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    .execute(&mut *snapshot)
                    .await?;
            }
            let current = dns_changes::generation(&mut *snapshot).await?;
            let changes = dns_changes::since(&mut snapshot, mine, current).await?;
            let everything = changes.as_ref().is_none_or(|changes| {
                changes.iter().any(|change| {
                    change.kind == ChangeKind::Content
                        && (change.first, change.last) == dns_changes::EVERYTHING
                })
            });
            if everything {
                snapshot.commit().await?;
                let served = load_everything(&self.db).await?;
                tracing::info!(
                    from = mine,
                    to = served.generation,
                    entries = served.sizes().0,
                    "DNS zone store reloaded in full"
                );
                // The old maps are freed after the lock is let go: dropping a million
                // entries takes long enough to hold up answers.
                let old = std::mem::replace(&mut *self.write(), served);
                drop(old);
            } else {
                let mut ranges: Vec<(u128, u128, ChangeKind)> = Vec::new();
                for change in changes.unwrap_or_default() {
                    let range = (
                        dns_changes::address_number(change.first),
                        dns_changes::address_number(change.last),
                        change.kind,
                    );
                    if !ranges.contains(&range) {
                        ranges.push(range);
                    }
                }
                let mut loaded = Vec::with_capacity(ranges.len());
                for (first, last, kind) in ranges {
                    loaded.push((
                        first,
                        last,
                        load_range(&mut snapshot, first, last, kind).await?,
                    ));
                }
                snapshot.commit().await?;
                let mut served = self.write();
                for (first, last, range) in loaded {
                    served.replace(first, last, range);
                }
                served.generation = current;
                drop(served);
                tracing::debug!(from = mine, to = current, "DNS zone store caught up");
            }
        }
        if let Ok(mut reached) = self.reached.lock() {
            *reached = Some(Instant::now());
        }
        Ok(())
    }

    /// Catches up every [`FOLLOW_EVERY`] (and prunes the log every ten minutes) until
    /// `shutdown`; a failure is logged once until the database is reached again.
    pub async fn follow(&self, shutdown: Shutdown) {
        let mut ticker = tokio::time::interval(FOLLOW_EVERY);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut failing = false;
        let mut pruned = Instant::now();
        while shutdown.next_round(&mut ticker).await {
            match self.catch_up().await {
                Ok(()) if failing => {
                    failing = false;
                    tracing::info!("DNS zone store follows the database again");
                }
                Ok(()) => {}
                Err(err) if !failing => {
                    failing = true;
                    tracing::error!(
                        error = %err,
                        "the DNS zone store cannot reach the database; DNS answers what it last knew"
                    );
                }
                Err(_) => {}
            }
            if !failing && pruned.elapsed() >= PRUNE_EVERY {
                pruned = Instant::now();
                let before = crate::clock::now() - dns_changes::KEEP_SECONDS;
                if let Err(err) = dns_changes::prune(&self.db.pool, before).await {
                    tracing::warn!(error = %err, "pruning the DNS change log failed");
                }
            }
        }
    }
}

#[async_trait::async_trait]
impl db::PublishFollower for ZoneStore {
    async fn committed(&self) {
        if let Err(err) = self.catch_up().await {
            tracing::error!(
                error = %err,
                "the DNS zone store could not catch up after a commit; the next round retries"
            );
        }
    }
}

/// A zone's content for a transfer ([`ZoneStore::zone_content`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneContent {
    /// Its serial.
    pub serial: i64,
    /// The ranges of the assignments overlapping it, in address order.
    pub assignments: Vec<(IpAddr, IpAddr)>,
    /// Its entries in address order (`None`: the default applies).
    pub entries: Vec<(IpAddr, Option<String>)>,
}

/// A served zone without a row: the latest moment its content changed.
fn rowless_serial(served: &Served, first: u128, last: u128) -> i64 {
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

/// Everything DNS serves, read in one snapshot with the generation it is current with.
async fn load_everything(db: &Db) -> Result<Served, sqlx::Error> {
    let mut snapshot = db.pool.begin().await?;
    if db.engine == db::Engine::Postgres {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            .execute(&mut *snapshot)
            .await?;
    }
    let (first, last) = dns_changes::EVERYTHING;
    let generation = dns_changes::generation(&mut *snapshot).await?;
    let zones = dns_changes::zones_overlapping(&mut snapshot, first, last).await?;
    let assignments = dns_changes::assignments_overlapping(&mut snapshot, first, last).await?;
    let mut entries = SplitEntries::default();
    dns_changes::each_entry_between(&mut snapshot, first, last, |entry| {
        split_entry(&mut entries, entry);
    })
    .await?;
    let served = Served::build(generation, zones, assignments, entries);
    snapshot.commit().await?;
    Ok(served)
}

/// Reads what a change of `kind` in `first..=last` may have changed.
async fn load_range(
    conn: &mut sqlx::AnyConnection,
    first: u128,
    last: u128,
    kind: ChangeKind,
) -> Result<Loaded, sqlx::Error> {
    let (first, last) = (
        dns_changes::number_address(first),
        dns_changes::number_address(last),
    );
    let zones = dns_changes::zones_overlapping(&mut *conn, first, last).await?;
    if kind == ChangeKind::Serials {
        return Ok(Loaded {
            zones,
            entries: None,
            assignments: Vec::new(),
        });
    }
    let mut entries = Vec::new();
    dns_changes::each_entry_between(&mut *conn, first, last, |entry| entries.push(entry)).await?;
    let assignments = dns_changes::assignments_overlapping(&mut *conn, first, last).await?;
    Ok(Loaded {
        zones,
        entries: Some(entries),
        assignments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> u128 {
        dns_changes::address_number(text.parse().expect("an address"))
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
            dns_changes::address_number(first),
            dns_changes::address_number(last),
            |at, _| {
                all.push(dns_changes::number_address(at).to_string());
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
            },
        );

        let mut v4 = Vec::new();
        served.each_entry(number("192.0.2.0"), number("192.0.2.255"), |at, entry| {
            v4.push((
                dns_changes::number_address(at).to_string(),
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

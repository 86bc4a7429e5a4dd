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

mod served;

use crate::db::dns_changes::{self, ChangeKind};
use crate::db::{self, Db};
use crate::shutdown::Shutdown;
use served::{Loaded, Served, SplitEntries, rowless_serial, split_entry};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};
use std::time::{Duration, Instant};

/// How often a node reads the DNS generation to follow the other nodes' changes.
pub const FOLLOW_EVERY: Duration = Duration::from_millis(250);
/// How long the store may go without reaching the database before it counts as stale.
pub const STALE_AFTER: Duration = Duration::from_secs(5);

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
        let number = crate::domain::address_number;
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
        let number = crate::domain::address_number;
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
                    crate::domain::number_address(start),
                    crate::domain::number_address(end),
                )
            })
            .collect();
        let mut entries = Vec::new();
        served.each_entry(first, last, |address, entry| {
            entries.push((
                crate::domain::number_address(address),
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

    /// The catalog zone (RFC 9432) as this node serves it: its serial and the ranges of its
    /// members (every active zone row), in address order.
    pub fn catalog(&self) -> (i64, Vec<(IpAddr, IpAddr)>) {
        let served = self.read();
        let members = served
            .zones
            .keys()
            .map(|(first, last)| {
                (
                    crate::domain::number_address(*first),
                    crate::domain::number_address(*last),
                )
            })
            .collect();
        (served.catalog_serial, members)
    }

    /// The delegated assignments starting in `first..=last` (a zone's range): their ranges
    /// and the customer's name servers. Usually none, found with one look into a small map.
    pub fn delegations_in(
        &self,
        first: IpAddr,
        last: IpAddr,
    ) -> Vec<(IpAddr, IpAddr, Vec<String>)> {
        let number = crate::domain::address_number;
        let served = self.read();
        if served.delegations.is_empty() {
            return Vec::new();
        }
        served
            .delegations
            .range(number(first)..=number(last))
            .map(|(start, (end, servers))| {
                (
                    crate::domain::number_address(*start),
                    crate::domain::number_address(*end),
                    servers.iter().map(|server| server.to_string()).collect(),
                )
            })
            .collect()
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
                        crate::domain::address_number(change.first),
                        crate::domain::address_number(change.last),
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
                let catalog_serial = dns_changes::catalog_serial(&mut *snapshot).await?;
                snapshot.commit().await?;
                let mut served = self.write();
                for (first, last, range) in loaded {
                    served.replace(first, last, range);
                }
                served.generation = current;
                served.catalog_serial = catalog_serial;
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
    let mut served = Served::build(generation, zones, assignments, entries);
    served.catalog_serial = dns_changes::catalog_serial(&mut *snapshot).await?;
    let delegations = db::delegations::served_between(&mut snapshot, first, last).await?;
    let (all_first, all_last) = (
        crate::domain::address_number(first),
        crate::domain::address_number(last),
    );
    served.replace_delegations(all_first, all_last, delegations);
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
        crate::domain::number_address(first),
        crate::domain::number_address(last),
    );
    let zones = dns_changes::zones_overlapping(&mut *conn, first, last).await?;
    if kind == ChangeKind::Serials {
        return Ok(Loaded {
            zones,
            entries: None,
            assignments: Vec::new(),
            delegations: Vec::new(),
        });
    }
    let mut entries = Vec::new();
    dns_changes::each_entry_between(&mut *conn, first, last, |entry| entries.push(entry)).await?;
    let assignments = dns_changes::assignments_overlapping(&mut *conn, first, last).await?;
    let delegations = db::delegations::served_between(&mut *conn, first, last).await?;
    Ok(Loaded {
        zones,
        entries: Some(entries),
        assignments,
        delegations,
    })
}

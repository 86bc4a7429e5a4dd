//! The zone sync: derives the served zones from the assignments and the zone cuts, creates
//! the rows the assignment write paths have not created ([`create_zones_of`]; serial = now)
//! and bumps a zone's serial when what makes it up besides entries
//! changed — an assignment added, removed or resized, or the default names, NS or SOA
//! settings. Entries bump their zone themselves, in the transaction that publishes them.
//! Runs at start and then periodically on every node; the conditional updates make a second
//! node's identical round a no-op. A periodic round reads the assignments only when the
//! assignments generation (migration 0008) or the configuration moved since the node's last
//! complete round ([`ZoneSync`]); most rounds read that one number and stop.

use super::Publishing;
use super::names::{ReverseZone, ZoneCuts};
use crate::db::Db;
use crate::db::zones::{self, Synced, WantedZone};
use crate::domain::Network;
use crate::shutdown::Shutdown;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncSummary {
    /// Zones created.
    pub created: usize,
    /// Zones whose serial was bumped.
    pub bumped: usize,
    /// Zones no longer served.
    pub retired: usize,
}

/// One round over every assignment, in full (the commands and the seed run it once; the
/// periodic rounds go through [`ZoneSync`]).
pub async fn sync_all(
    db: &Db,
    publishing: &Publishing,
    now: i64,
) -> Result<SyncSummary, sqlx::Error> {
    let mut wanted: BTreeMap<ReverseZone, Vec<String>> = BTreeMap::new();
    for text in zones::all_networks(&db.pool).await? {
        let Ok(network) = Network::parse(&text) else {
            tracing::warn!(network = %text, "stored assignment does not parse; not served");
            continue;
        };
        for zone in publishing.cuts.zones_of(&network) {
            wanted.entry(zone).or_default().push(text.clone());
        }
    }
    let mut summary = SyncSummary::default();
    let fingerprint = publishing.fingerprint();
    let mut names = HashSet::new();
    for (zone, networks) in &wanted {
        let name = zone.to_string();
        let digest = digest(&fingerprint, networks);
        match sync_one(db, zone, &name, &digest, now).await? {
            Synced::Created => summary.created += 1,
            Synced::Bumped => summary.bumped += 1,
            Synced::Unchanged => {}
        }
        names.insert(name);
    }
    for row in zones::list(&db.pool).await? {
        // A zone beyond the first MAX_ZONES_PER_ASSIGNMENT of a large assignment is not
        // listed above but still served: it stays.
        if row.active == 1
            && !names.contains(&row.name)
            && !zones::overlaps_an_assignment(&db.pool, &row.name).await?
        {
            zones::deactivate(&db.pool, &row.name, now).await?;
            summary.retired += 1;
        }
    }
    if summary != SyncSummary::default() {
        // This node serves the new serials at once; the others follow the log.
        db.publishing_changed().await;
    }
    Ok(summary)
}

/// Creates the rows of the zones `network` spans (its first
/// [`MAX_ZONES_PER_ASSIGNMENT`](super::names::MAX_ZONES_PER_ASSIGNMENT)) that do not exist yet,
/// inside the transaction that adds the assignment (after it), with the digest the sync would
/// give them: the assignment write paths call this, so a new zone has its serial from the
/// moment it is served, and a DNS answer never writes.
pub async fn create_zones_of(
    tx: &mut crate::db::PublishTx,
    publishing: &Publishing,
    network: &Network,
    now: i64,
) -> Result<(), sqlx::Error> {
    let fingerprint = publishing.fingerprint();
    for zone in publishing.cuts.zones_of(network) {
        let name = zone.to_string();
        let networks = zones::networks_overlapping(&mut ***tx, zone.first(), zone.last()).await?;
        let digest = digest(&fingerprint, &networks);
        let wanted = WantedZone {
            name: &name,
            first: zone.first(),
            last: zone.last(),
            digest: &digest,
        };
        let upserted = zones::create_or_refresh(tx, &wanted, now).await?;
        if upserted.created {
            tracing::info!(zone = %name, "zone created for a new assignment");
        }
        if upserted.joined {
            tx.zone_joined();
        }
    }
    Ok(())
}

async fn sync_one(
    db: &Db,
    zone: &ReverseZone,
    name: &str,
    digest: &str,
    now: i64,
) -> Result<Synced, sqlx::Error> {
    let synced = zones::sync_zone(
        &db.pool,
        &WantedZone {
            name,
            first: zone.first(),
            last: zone.last(),
            digest,
        },
        now,
    )
    .await?;
    if synced != Synced::Unchanged {
        tracing::info!(zone = name, ?synced, "zone synced");
    }
    Ok(synced)
}

/// The fingerprint of a zone besides its entries: the configuration and its assignments.
fn digest(fingerprint: &str, networks: &[String]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(fingerprint.as_bytes());
    for network in networks {
        hasher.update(b"\n");
        hasher.update(network.as_bytes());
    }
    hex::encode(&hasher.finalize()[..16])
}

/// A node's zone sync across its rounds: it remembers what its last complete round derived
/// the zones from, and runs a round in full only when that moved.
#[derive(Debug, Default)]
pub struct ZoneSync {
    last: Option<Basis>,
}

/// What a round derives the zones from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Basis {
    generation: i64,
    fingerprint: String,
    cuts: ZoneCuts,
}

impl ZoneSync {
    /// One round: [`sync_all`] the first time, and whenever the assignments generation or
    /// the configuration moved since the last complete round; otherwise `None`, having read
    /// nothing but the generation.
    pub async fn round(
        &mut self,
        db: &Db,
        publishing: &Publishing,
        now: i64,
    ) -> Result<Option<SyncSummary>, sqlx::Error> {
        // Read before the networks: a change committed while this round reads them moves the
        // generation past the one recorded here, and the next round runs in full.
        let basis = Basis {
            generation: zones::assignments_generation(&db.pool).await?,
            fingerprint: publishing.fingerprint(),
            cuts: publishing.cuts,
        };
        match &self.last {
            Some(last) if *last == basis => {
                tracing::debug!(
                    generation = basis.generation,
                    "assignments and configuration unchanged: zone sync skipped"
                );
                return Ok(None);
            }
            Some(last) => tracing::info!(
                from = last.generation,
                to = basis.generation,
                "assignments or configuration changed: syncing every zone"
            ),
            None => {}
        }
        let summary = sync_all(db, publishing, now).await?;
        self.last = Some(basis);
        Ok(Some(summary))
    }
}

/// Syncs every `publishing.sync_every`, until `shutdown` (between two rounds).
pub async fn run(db: Db, publishing: std::sync::Arc<Publishing>, shutdown: Shutdown) {
    let mut ticker = tokio::time::interval(publishing.sync_every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut sync = ZoneSync::default();
    while shutdown.next_round(&mut ticker).await {
        match sync.round(&db, &publishing, crate::clock::now()).await {
            Ok(Some(summary)) if summary != SyncSummary::default() => {
                tracing::info!(?summary, "reverse zones synced");
            }
            Ok(_) => {}
            Err(err) => tracing::error!(error = ?err, "syncing the reverse zones failed"),
        }
    }
}

//! Background work of a node: re-checking pending changes with back-off. Each round claims
//! its changes with a conditional update, so two nodes never settle the same change twice.

use crate::changes::{self, RecheckSummary};
use crate::checks::Engine;
use crate::db::Db;
use std::time::Duration;

/// Re-checks due pending changes every `every`, forever.
pub async fn run_rechecks(db: Db, engine: Engine, every: Duration) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        match changes::recheck_pending(&db, &engine, crate::clock::now()).await {
            Ok(summary) if summary != RecheckSummary::default() => {
                tracing::info!(?summary, "re-checked pending changes");
            }
            Ok(_) => {}
            Err(err) => tracing::error!(error = ?err, "re-checking pending changes failed"),
        }
    }
}

/// Reloads the admins' stored policy every `every`, so a change made on another node reaches
/// this one too (the node where it was made puts it in force at once).
pub async fn refresh_policy(
    db: Db,
    engine: Engine,
    base: crate::checks::policy::Policy,
    every: Duration,
) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        match crate::db::policy::load(&db.pool).await {
            Ok(stored) => engine.set_policy(base.with_overrides(&stored)),
            Err(err) => tracing::error!(error = ?err, "reloading the validation policy failed"),
        }
    }
}

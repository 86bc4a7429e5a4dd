//! Background work of a node: re-checking pending changes with back-off (each round claims
//! its changes with a conditional update, so two nodes never settle the same change twice)
//! and reloading the validation policy ([`run_all`] runs them with the DNS jobs). Every loop
//! watches the node's [`Shutdown`] signal.
//!
//! Policy: a loop stops only at a safe point — before its next round, between two items of a
//! round, or amid questions to name servers that write nothing — never inside a transaction,
//! so a stopping node leaves no half-done work.

use crate::changes::{self, RecheckSummary};
use crate::checks::Engine;
use crate::checks::policy::Policy;
use crate::db::Db;
use crate::db::sessions::SessionLimits;
use crate::dns::Publishing;
use crate::shutdown::Shutdown;
use std::sync::Arc;
use std::time::Duration;

/// How often the periodic jobs run.
#[derive(Debug, Clone, Copy)]
pub struct Intervals {
    /// Re-checks, policy refresh, removal of ended sessions.
    pub recheck: Duration,
    /// Looks at the outbox for deliveries due.
    pub outbox: Duration,
    /// The wait before a failed delivery's first retry (doubling after).
    pub outbox_retry: Duration,
    /// The pace of the continuous re-verification of published entries; `None`: off.
    pub reverify: Option<crate::reverify::Pace>,
}

/// Every background job of a node, until `shutdown`: re-checks, policy refresh and the
/// removal of ended sessions, the outbox's deliveries ([`crate::outbox::run`]) and, with
/// `publishing`, the DNS jobs ([`crate::dns::server::run_jobs`]).
// Each argument is one part assembled by startup; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
pub async fn run_all(
    db: Db,
    engine: Engine,
    base_policy: Policy,
    intervals: Intervals,
    session_limits: SessionLimits,
    publishing: Option<Arc<Publishing>>,
    receivers: crate::outbox::Receivers,
    mailer: Option<crate::outbox::mail::Mailer>,
    shutdown: Shutdown,
) {
    let dns = async {
        match publishing {
            Some(publishing) => {
                crate::dns::server::run_jobs(db.clone(), publishing, shutdown.clone()).await;
            }
            None => shutdown.requested().await,
        }
    };
    let every = intervals.recheck;
    let reverify_engine = engine.clone();
    let reverify = async {
        let engine = reverify_engine;
        match intervals.reverify {
            // Without DNS checks there is nothing a published entry could drift from.
            Some(pace) if engine.asks_dns() => {
                crate::reverify::run(db.clone(), engine.clone(), pace, shutdown.clone()).await;
            }
            _ => shutdown.requested().await,
        }
    };
    tokio::join!(
        crate::outbox::run(
            db.clone(),
            receivers,
            intervals.outbox,
            intervals.outbox_retry,
            shutdown.clone()
        ),
        run_rechecks(db.clone(), engine.clone(), every, shutdown.clone()),
        refresh_policy(db.clone(), engine, base_policy, every, shutdown.clone()),
        tidy_up(db.clone(), session_limits, every, shutdown.clone()),
        reverify,
        crate::outbox::run_mail(
            db.clone(),
            mailer,
            intervals.outbox,
            intervals.outbox_retry,
            shutdown.clone()
        ),
        dns,
    );
}

/// Deletes the sessions past their idle timeout or lifetime, and the DNS change log past
/// [`crate::db::dns_changes::KEEP_SECONDS`], every `every`, until `shutdown`
/// (each would be refused at its next request anyway; this keeps the table to live ones).
pub async fn tidy_up(db: Db, limits: SessionLimits, every: Duration, shutdown: Shutdown) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while shutdown.next_round(&mut ticker).await {
        let now = crate::clock::now();
        match crate::db::sessions::delete_expired(&db.pool, limits, now).await {
            Ok(0) => {}
            Ok(removed) => tracing::debug!(removed, "removed ended sessions"),
            Err(err) => tracing::error!(error = ?err, "removing ended sessions failed"),
        }
        // On every node, DNS or not: every publishing write logs its ranges.
        let before = now - crate::db::dns_changes::KEEP_SECONDS;
        if let Err(err) = crate::db::dns_changes::prune(&db.pool, before).await {
            tracing::warn!(error = %err, "pruning the DNS change log failed");
        }
    }
}

/// Re-checks due pending changes every `every`, until `shutdown`; a round in progress stops
/// after the change it is checking.
pub async fn run_rechecks(db: Db, engine: Engine, every: Duration, shutdown: Shutdown) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while shutdown.next_round(&mut ticker).await {
        let round = changes::recheck_pending_until(&db, &engine, crate::clock::now(), &shutdown);
        match round.await {
            Ok(summary) if summary != RecheckSummary::default() => {
                tracing::info!(?summary, "re-checked pending changes");
            }
            Ok(_) => {}
            Err(err) => tracing::error!(error = ?err, "re-checking pending changes failed"),
        }
    }
    tracing::debug!("re-checks stopped");
}

/// Reloads the admins' stored policy every `every`, so a change made on another node reaches
/// this one too (the node where it was made puts it in force at once); until `shutdown`.
pub async fn refresh_policy(
    db: Db,
    engine: Engine,
    base: Policy,
    every: Duration,
    shutdown: Shutdown,
) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while shutdown.next_round(&mut ticker).await {
        match crate::db::policy::load(&db.pool).await {
            Ok(stored) => engine.set_policy(base.with_overrides(&stored)),
            Err(err) => tracing::error!(error = ?err, "reloading the validation policy failed"),
        }
    }
    tracing::debug!("policy refresh stopped");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_requested_shutdown_wins_over_a_due_tick() {
        let (sender, shutdown) = Shutdown::channel();
        let mut ticker = tokio::time::interval(Duration::from_millis(1));
        assert!(
            shutdown.next_round(&mut ticker).await,
            "the first tick is due at once"
        );

        sender.send();
        // Let the next tick fall due too.
        tokio::time::sleep(Duration::from_millis(5)).await;

        assert!(shutdown.is_requested());
        assert!(!shutdown.next_round(&mut ticker).await);
        assert!(!shutdown.clone().next_round(&mut ticker).await);
    }

    #[tokio::test]
    async fn a_signal_nobody_can_give_never_stops_a_loop() {
        let shutdown = Shutdown::never();
        let waited = tokio::time::timeout(Duration::from_millis(20), shutdown.requested()).await;
        assert!(waited.is_err());
        assert!(!shutdown.is_requested());
    }
}

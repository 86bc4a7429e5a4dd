//! Effects leave through the outbox (ARCHITECTURE "Effects leave through an outbox"): rows
//! written in the transaction of a change (today by the database's trigger on `audit`, one per
//! webhook endpoint subscribed to the event), delivered here by a job that claims due rows per
//! node, retries with back-off and records every attempt for the delivery log. A save never
//! waits on a receiver: the job runs apart, and a slow or failing receiver only delays its own
//! deliveries.
//!
//! Retry policy: `outbox_retry_seconds` (30 s) after the first failure, doubling up to one hour
//! between attempts, for 24 hours after the event; then the delivery is given up (and can be
//! sent again by hand).

pub mod mail;
pub mod webhook;

use crate::db::{self, Db, webhooks::Attempt};
use crate::http_client::HttpClient;
use crate::shutdown::Shutdown;
use std::time::Duration;

/// How long deliveries are retried after their event.
pub const RETRY_PERIOD_SECONDS: i64 = 24 * 3600;
/// How long a node holds the deliveries it claimed (longer than one attempt takes).
const CLAIM_SECONDS: i64 = 60;
/// Deliveries claimed at once.
const BATCH: i64 = 32;

/// Seconds until the next attempt after `attempts` failed ones: `first`, doubling, at most
/// one hour.
pub fn backoff_seconds(first: i64, attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 12)).unwrap_or(12);
    first.max(1).saturating_mul(1 << doublings).min(3600)
}

/// What became of one round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// Deliveries the receivers took (2xx).
    pub delivered: usize,
    /// Deliveries that failed this time.
    pub failed: usize,
}

/// Claims the due deliveries for `holder` and makes them, all at once (each with its own
/// deadline, so a slow receiver holds up nothing but its own); a failed one is tried again
/// after [`backoff_seconds`] from `retry_first`.
pub async fn deliver_due(
    db: &Db,
    http: &HttpClient,
    holder: &str,
    retry_first: i64,
) -> Result<Round, sqlx::Error> {
    let now = crate::clock::now();
    let due = db::webhooks::claim_due(db, holder, now, now + CLAIM_SECONDS, BATCH).await?;
    let attempts = due.iter().map(|delivery| async move {
        let outcome = webhook::deliver(http, delivery).await;
        let at = crate::clock::now();
        let delivered = matches!(outcome, Ok(status) if (200..300).contains(&status));
        let retry_at = at + backoff_seconds(retry_first, delivery.attempts + 1);
        let attempt = Attempt {
            at,
            status: outcome.as_ref().ok().map(|status| i64::from(*status)),
            error: match &outcome {
                Ok(status) if !delivered => Some(format!("the receiver answered {status}")),
                Ok(_) => None,
                Err(err) => Some(err.clone()),
            },
            delivered,
            next_attempt_at: (!delivered
                && retry_at <= delivery.created_at + RETRY_PERIOD_SECONDS)
                .then_some(retry_at),
        };
        if !delivered {
            tracing::warn!(delivery = delivery.id, url = %delivery.url, error = ?attempt.error, "webhook delivery failed");
        }
        (delivery.id, attempt)
    });
    let mut round = Round::default();
    for (id, attempt) in futures_util::future::join_all(attempts).await {
        if attempt.delivered {
            round.delivered += 1;
        } else {
            round.failed += 1;
        }
        db::webhooks::record(&db.pool, id, &attempt).await?;
    }
    Ok(round)
}

/// Delivers due deliveries every `every` until `shutdown`, retrying from `retry_first`.
pub async fn run(db: Db, every: Duration, retry_first: Duration, shutdown: Shutdown) {
    let retry_first = i64::try_from(retry_first.as_secs()).unwrap_or(30);
    let http = match crate::http_client::build() {
        Ok(http) => http,
        Err(err) => {
            tracing::error!(error = %err, "no HTTP client: webhooks are not delivered");
            return;
        }
    };
    let holder = db::leases::new_holder();
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = shutdown.requested() => return,
            _ = ticks.tick() => {}
        }
        if let Err(err) = deliver_due(&db, &http, &holder, retry_first).await {
            tracing::warn!(error = %err, "webhook deliveries: the database failed");
        }
    }
}

/// The mail side of the outbox ([`mail::run`]), looking every `every`; without a mailer
/// (`smtp_url` unset) it only waits for `shutdown`.
pub async fn run_mail(
    db: Db,
    mailer: Option<mail::Mailer>,
    every: Duration,
    retry_first: Duration,
    shutdown: Shutdown,
) {
    match mailer {
        Some(mailer) => mail::run(db, mailer, every, retry_first, shutdown).await,
        None => shutdown.requested().await,
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_seconds;

    #[test]
    fn retries_back_off_from_thirty_seconds_to_an_hour() {
        let waits: Vec<i64> = (1..=9).map(|n| backoff_seconds(30, n)).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(backoff_seconds(1, 1), 1);
    }
}

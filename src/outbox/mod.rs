//! Effects leave through the outbox (ARCHITECTURE "Effects leave through an outbox"): rows
//! written in the transaction of a change — webhook deliveries by the database's trigger on
//! `audit`, NOTIFYs by its trigger on `zones` whenever a served zone's serial moves, pushes to
//! a publishing backend by the publishing write path's commit — delivered here by a job that
//! claims due rows of every kind per node ([`db::outbox::claim`]), makes them all at once
//! (each with its own deadline), retries with back-off and records every attempt. A save
//! never waits on a receiver: the job runs apart (woken at once after each of this node's
//! publishing commits), and a slow or failing receiver only delays its own rows.
//!
//! Retry policy, one per kind: a webhook after `outbox_retry_seconds` (30 s), doubling up to
//! one hour, for 24 hours after its event, then given up (it can be sent again by hand); a
//! NOTIFY or a push after 1 s, doubling up to a minute — a NOTIFY for
//! `dns_notify_deadline_seconds` (the secondary finds the serial at its next refresh
//! anyway, and a newer serial supersedes it), a push until the backend takes it (what the
//! backend serves must end up being what the database holds; the customer's row says it is
//! not live meanwhile).

pub mod webhook;

use crate::db::outbox::{Attempt, DnsEffect, Kind};
use crate::db::{self, Db};
use crate::dns::Publishing;
use crate::dns::backend::Backend;
use crate::http_client::HttpClient;
use crate::shutdown::Shutdown;
use std::sync::Arc;
use std::time::Duration;

/// How long webhook deliveries are retried after their event.
pub const RETRY_PERIOD_SECONDS: i64 = 24 * 3600;
/// How long a node holds the rows it claimed (longer than one attempt takes).
const CLAIM_SECONDS: i64 = 60;
/// Rows claimed at once.
const BATCH: i64 = 32;
/// The longest pause between two attempts of a NOTIFY or a push.
const DNS_MAX_PAUSE: i64 = 60;

/// Seconds until the next attempt after `attempts` failed ones: `first`, doubling, at most
/// one hour.
pub fn backoff_seconds(first: i64, attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 12)).unwrap_or(12);
    first.max(1).saturating_mul(1 << doublings).min(3600)
}

/// What the job needs besides the database: where DNS effects go.
#[derive(Debug, Clone, Default)]
pub struct Receivers {
    /// What ptrdesk publishes (the SOA of a NOTIFY, the PTRs of a push, the TSIG key).
    pub publishing: Option<Arc<Publishing>>,
    /// The publishing backend, when `publish` names one.
    pub backend: Option<Backend>,
    /// How long a NOTIFY is retried.
    pub notify_deadline: Duration,
}

/// What became of one round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// Rows the receivers took.
    pub delivered: usize,
    /// Rows that failed this time.
    pub failed: usize,
}

/// Claims the due rows for `holder` and makes them, all at once (each with its own
/// deadline, so a slow receiver holds up nothing but its own); a failed webhook is tried
/// again after [`backoff_seconds`] from `retry_first`, a failed NOTIFY or push after 1 s,
/// doubling up to a minute.
pub async fn deliver_due(
    db: &Db,
    http: &HttpClient,
    receivers: &Receivers,
    holder: &str,
    retry_first: i64,
) -> Result<Round, sqlx::Error> {
    let now = crate::clock::now();
    let until = now + CLAIM_SECONDS;
    if !db::outbox::claim(db, holder, now, until, BATCH).await? {
        return Ok(Round::default());
    }
    let webhooks = db::webhooks::claimed(&db.pool, holder, until).await?;
    let effects = db::outbox::claimed_dns_effects(&db.pool, holder, until).await?;
    let webhook_attempts = webhooks.iter().map(|delivery| async move {
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
        (delivery.id, None, attempt)
    });
    let dns_attempts = effects.iter().map(|effect| async move {
        (
            effect.id,
            Some(effect),
            make(db, http, receivers, effect).await,
        )
    });
    let (webhook_done, dns_done) = futures_util::future::join(
        futures_util::future::join_all(webhook_attempts),
        futures_util::future::join_all(dns_attempts),
    )
    .await;
    let mut round = Round::default();
    for (id, effect, attempt) in webhook_done.into_iter().chain(dns_done) {
        if attempt.delivered {
            round.delivered += 1;
        } else {
            round.failed += 1;
        }
        db::outbox::record(&db.pool, id, &attempt).await?;
        if let Some(effect) = effect.filter(|effect| attempt.delivered && effect.kind.is_push()) {
            db::outbox::supersede_pushes(&db.pool, effect, attempt.at).await?;
        }
    }
    Ok(round)
}

/// Makes one NOTIFY or push, and says what came of it.
async fn make(db: &Db, http: &HttpClient, receivers: &Receivers, effect: &DnsEffect) -> Attempt {
    let outcome = match (&receivers.publishing, effect.kind) {
        (None, _) => {
            Err("this node does not publish DNS (no dns_listen and no publish backend)".to_owned())
        }
        (Some(publishing), Kind::Notify) => match (&effect.zone, effect.serial) {
            (Some(zone), Some(serial)) => {
                crate::dns::notify::deliver(
                    publishing,
                    &effect.target,
                    zone,
                    serial,
                    effect.attempts + 1,
                )
                .await
            }
            _ => Err("a NOTIFY row without zone or serial".to_owned()),
        },
        (Some(publishing), kind) => match (&receivers.backend, effect.addresses) {
            (Some(backend), Some((first, last)))
                if backend.target().kind == kind && backend.target().target == effect.target =>
            {
                let pushed = backend.push(db, publishing, http, first, last).await;
                if let Err(err) = &pushed {
                    tracing::warn!(backend = %effect.target, %first, %last, attempt = effect.attempts + 1, "push failed: {err}");
                }
                pushed
            }
            _ => Err(format!(
                "{} is no longer the configured publishing backend",
                effect.target
            )),
        },
    };
    let at = crate::clock::now();
    let delivered = outcome.is_ok();
    let pause = (1i64 << effect.attempts.clamp(0, 6)).min(DNS_MAX_PAUSE);
    let retry_at = at + pause;
    let deadline = i64::try_from(receivers.notify_deadline.as_secs()).unwrap_or(i64::MAX / 2);
    let keeps_trying = effect.kind.is_push() || retry_at <= effect.created_at + deadline;
    if !delivered
        && !keeps_trying
        && let (Some(zone), Some(serial)) = (&effect.zone, effect.serial)
    {
        crate::dns::notify::given_up(&effect.target, zone, serial);
    }
    Attempt {
        at,
        status: None,
        error: outcome.err(),
        delivered,
        next_attempt_at: (!delivered && keeps_trying).then_some(retry_at),
    }
}

/// Makes the due rows every `every` (and at once after each of this node's publishing
/// commits) until `shutdown`, retrying webhooks from `retry_first`.
pub async fn run(
    db: Db,
    receivers: Receivers,
    every: Duration,
    retry_first: Duration,
    shutdown: Shutdown,
) {
    let retry_first = i64::try_from(retry_first.as_secs()).unwrap_or(30);
    let http = match crate::http_client::build() {
        Ok(http) => http,
        Err(err) => {
            tracing::error!(error = %err, "no HTTP client: webhooks and PowerDNS pushes are not delivered");
            return;
        }
    };
    let wake = Arc::new(Wake(tokio::sync::Notify::new()));
    db.follow_publishing(Arc::clone(&wake) as Arc<dyn db::PublishFollower>);
    let holder = db::leases::new_holder();
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = shutdown.requested() => return,
            _ = ticks.tick() => {}
            () = wake.0.notified() => {}
        }
        if let Err(err) = deliver_due(&db, &http, &receivers, &holder, retry_first).await {
            tracing::warn!(error = %err, "outbox deliveries: the database failed");
        }
    }
}

/// Wakes the outbox job after a publishing commit of this node, so its NOTIFYs and pushes
/// leave at once instead of at the next look.
struct Wake(tokio::sync::Notify);

#[async_trait::async_trait]
impl db::PublishFollower for Wake {
    async fn committed(&self) {
        self.0.notify_one();
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

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

pub mod mail;
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
    /// This node serves DNS (`dns_listen`): it sends the NOTIFYs.
    pub serves_dns: bool,
}

impl Receivers {
    /// The kinds of rows this node can make: webhooks always; NOTIFY when it serves DNS (a
    /// node without the TSIG key and SOA would only fail them); pushes to its backend.
    pub fn kinds(&self) -> Vec<Kind> {
        let mut kinds = vec![Kind::Webhook];
        if self.serves_dns {
            kinds.push(Kind::Notify);
        }
        if let Some(backend) = &self.backend {
            kinds.push(backend.target().kind);
        }
        kinds
    }
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
    if !db::outbox::claim(db, holder, now, until, BATCH, &receivers.kinds()).await? {
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
    let (pushes, notifies): (Vec<&DnsEffect>, Vec<&DnsEffect>) =
        effects.iter().partition(|effect| effect.kind.is_push());
    let notify_attempts = notifies.into_iter().map(|effect| async move {
        let outcome = notify(receivers, effect).await;
        (effect.id, Some(effect), attempt(receivers, effect, outcome))
    });
    let (webhook_done, notify_done, push_done) = futures_util::future::join3(
        futures_util::future::join_all(webhook_attempts),
        futures_util::future::join_all(notify_attempts),
        push_round(db, http, receivers, &pushes),
    )
    .await;
    let mut round = Round::default();
    let done = webhook_done.into_iter().chain(notify_done).chain(push_done);
    for (id, effect, attempt) in done {
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

/// Sends one NOTIFY.
async fn notify(receivers: &Receivers, effect: &DnsEffect) -> Result<(), String> {
    let Some(publishing) = &receivers.publishing else {
        return Err("this node does not serve DNS (no dns_listen)".to_owned());
    };
    match (&effect.zone, effect.serial) {
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
    }
}

/// Makes the claimed pushes, one zone at a time (a backend such as PowerDNS on SQLite takes
/// one write at a time): the rows touching a zone go in one request, and each row is
/// delivered once every zone it touches was taken.
async fn push_round<'a>(
    db: &Db,
    http: &HttpClient,
    receivers: &Receivers,
    pushes: &[&'a DnsEffect],
) -> Vec<(i64, Option<&'a DnsEffect>, Attempt)> {
    use crate::dns::backend::ZonePush;
    use std::collections::BTreeMap;
    let mut outcomes: BTreeMap<i64, Result<(), String>> = BTreeMap::new();
    let mut zones: BTreeMap<crate::dns::names::ReverseZone, (ZonePush, Vec<i64>)> = BTreeMap::new();
    for effect in pushes {
        let configured = receivers.backend.as_ref().filter(|backend| {
            let target = backend.target();
            target.kind == effect.kind && target.target == effect.target
        });
        let outcome = match (&receivers.publishing, configured, effect.addresses) {
            (Some(publishing), Some(_), Some((first, last))) => {
                crate::dns::backend::wanted(db, publishing, first, last)
                    .await
                    .map_err(|err| format!("reading the entries failed: {err}"))
            }
            (_, _, None) => Err("a push without addresses".to_owned()),
            _ => Err(format!(
                "{} is no longer the configured publishing backend",
                effect.target
            )),
        };
        match outcome {
            Ok(wanted) => {
                outcomes.insert(effect.id, Ok(()));
                for push in wanted {
                    match zones.get_mut(&push.zone) {
                        Some((merged, ids)) => {
                            merged.merge(push);
                            ids.push(effect.id);
                        }
                        None => {
                            zones.insert(push.zone, (push, vec![effect.id]));
                        }
                    }
                }
            }
            Err(err) => {
                outcomes.insert(effect.id, Err(err));
            }
        }
    }
    if let (Some(backend), Some(publishing)) = (&receivers.backend, &receivers.publishing) {
        for (zone, (push, ids)) in zones {
            if let Err(err) = backend.push_zone(publishing, http, &push).await {
                tracing::warn!(backend = %backend.target().target, %zone, rows = ids.len(), "push failed: {err}");
                for id in ids {
                    if let Some(outcome @ Ok(())) = outcomes.get_mut(&id) {
                        *outcome = Err(err.clone());
                    }
                }
            }
        }
    }
    pushes
        .iter()
        .map(|effect| {
            let outcome = outcomes
                .remove(&effect.id)
                .unwrap_or_else(|| Err("not made".to_owned()));
            (
                effect.id,
                Some(*effect),
                attempt(receivers, effect, outcome),
            )
        })
        .collect()
}

/// What came of one NOTIFY or push: when it is tried again (1 s, doubling up to a minute; a
/// NOTIFY for `notify_deadline`, a push until the backend takes it).
fn attempt(receivers: &Receivers, effect: &DnsEffect, outcome: Result<(), String>) -> Attempt {
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

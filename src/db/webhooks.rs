//! Webhook endpoints and their deliveries in the outbox (rows written by the database's
//! trigger on `audit`, migration 0014; claimed and recorded as every outbox row is,
//! [`super::outbox`]): what a claimed delivery sends, the delivery log.

use sqlx::{Any, AnyPool, Executor};

/// A registered endpoint.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Endpoint {
    /// Row id.
    pub id: i64,
    /// Where deliveries are `POST`ed.
    pub url: String,
    /// The events it subscribes to, comma-separated.
    pub events: String,
    /// When it was registered.
    pub created_at: i64,
}

/// Registers an endpoint; its id.
pub async fn insert<'e>(
    db: impl Executor<'e, Database = Any>,
    url: &str,
    secret: &str,
    events: &str,
    created_by: Option<i64>,
    at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO webhooks (url, secret, events, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(url)
    .bind(secret)
    .bind(events)
    .bind(created_by)
    .bind(at)
    .fetch_one(db)
    .await
}

/// The endpoints in use, oldest first.
pub async fn endpoints<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<Vec<Endpoint>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, url, events, created_at FROM webhooks WHERE disabled_at IS NULL ORDER BY id",
    )
    .fetch_all(db)
    .await
}

/// Takes endpoint `id` out of use (its deliveries not yet made are given up); its URL, or
/// `None` when there is no such endpoint in use.
pub async fn remove<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    at: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE webhooks SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL RETURNING url",
    )
    .bind(id)
    .bind(at)
    .fetch_optional(db)
    .await
}

/// One delivery to make, with everything its body needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Due {
    /// The outbox row.
    pub id: i64,
    /// The event's name.
    pub event: String,
    /// The audit row it reports (its id is the event's id).
    pub audit_id: i64,
    /// Attempts made before this one.
    pub attempts: i64,
    /// When the event happened.
    pub created_at: i64,
    /// The endpoint's URL.
    pub url: String,
    /// The endpoint's signing secret.
    pub secret: String,
    /// The audited action.
    pub action: String,
    /// The customer's number.
    pub customer: Option<String>,
    /// The address (PTR events).
    pub ip: Option<String>,
    /// The audit row's value before.
    pub old_value: Option<String>,
    /// The audit row's value after.
    pub new_value: Option<String>,
    /// The change's requested name (PTR events).
    pub requested_hostname: Option<String>,
    /// The change's findings as stored (JSON).
    pub findings: Option<String>,
}

/// The webhook deliveries `holder` claimed until `until` ([`super::outbox::claim`]), with
/// everything their bodies need.
pub async fn claimed(db: &AnyPool, holder: &str, until: i64) -> Result<Vec<Due>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.id, o.event, o.audit_id, o.attempts, o.created_at, w.url, w.secret, a.action, \
                c.number AS customer, a.address_text AS ip, a.old_value, a.new_value, \
                ch.requested_hostname, ch.findings \
         FROM outbox o JOIN webhooks w ON w.id = o.webhook_id JOIN audit a ON a.id = o.audit_id \
         LEFT JOIN customers c ON c.id = a.customer_id LEFT JOIN changes ch ON ch.id = a.change_id \
         WHERE o.claimed_by = $1 AND o.claimed_until = $2 AND o.delivered_at IS NULL \
           AND o.kind = 'webhook' \
         ORDER BY o.id",
    )
    .bind(holder)
    .bind(until)
    .fetch_all(db)
    .await
}

pub use super::outbox::{Attempt, record};

/// A delivery as the log lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoggedDelivery {
    /// The outbox row.
    pub id: i64,
    /// The endpoint's URL.
    pub url: String,
    /// The event.
    pub event: String,
    /// The event's id (its audit row).
    pub audit_id: i64,
    /// When it happened.
    pub created_at: i64,
    /// Attempts made.
    pub attempts: i64,
    /// The last answer's status.
    pub last_status: Option<i64>,
    /// The last failure.
    pub last_error: Option<String>,
    /// When it was delivered.
    pub delivered_at: Option<i64>,
    /// When the next attempt is due.
    pub next_attempt_at: i64,
    /// When it was given up.
    pub given_up_at: Option<i64>,
}

/// The latest `limit` deliveries, newest first.
pub async fn log<'e>(
    db: impl Executor<'e, Database = Any>,
    limit: i64,
) -> Result<Vec<LoggedDelivery>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.id, w.url, o.event, o.audit_id, o.created_at, o.attempts, o.last_status, \
                o.last_error, o.delivered_at, o.next_attempt_at, o.given_up_at \
         FROM outbox o JOIN webhooks w ON w.id = o.webhook_id WHERE o.kind = 'webhook' \
         ORDER BY o.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Queues delivery `id` to be sent again now (delivered, failing or given up alike); false
/// when there is no such delivery.
pub async fn send_again<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE outbox SET delivered_at = NULL, given_up_at = NULL, next_attempt_at = $2, \
         claimed_by = NULL, claimed_until = NULL WHERE id = $1 AND kind = 'webhook'",
    )
    .bind(id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives up the deliveries of endpoint `webhook_id` not yet made.
pub async fn give_up_for<'e>(
    db: impl Executor<'e, Database = Any>,
    webhook_id: i64,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET given_up_at = $2 WHERE webhook_id = $1 AND delivered_at IS NULL \
         AND given_up_at IS NULL",
    )
    .bind(webhook_id)
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}

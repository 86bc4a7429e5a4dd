//! The admin review queue: every open `rejected` and `in-review` change (not superseded), oldest
//! first, narrowed by finding id, customer and age. State moves are not here: they go through
//! [`crate::changes::decide_review`] and [`crate::changes::request_review`].

use crate::db::inventory::like_pattern;
use crate::domain::finding::{Finding, FindingId};
use crate::domain::{ChangeState, address_from_key};
use sqlx::{Any, Executor};
use std::net::IpAddr;

/// Changes shown per queue page.
pub const PAGE_SIZE: i64 = 50;

/// What the queue is narrowed to; `None` everywhere lists every change awaiting a decision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// Only changes with a finding of this check.
    pub finding: Option<FindingId>,
    /// A fragment of the customer's name or number (case-insensitive).
    pub customer: Option<String>,
    /// Only changes requested before this time (Unix seconds).
    pub created_before: Option<i64>,
}

impl QueueFilter {
    /// The finding filter as a LIKE pattern on the stored findings JSON (serde writes
    /// `"id":"embeds-ip"` without spaces; the ids hold no LIKE characters but `-`).
    fn finding_pattern(&self) -> Option<String> {
        self.finding
            .map(|id| format!("%\"id\":\"{}\"%", id.as_str()))
    }

    fn customer_pattern(&self) -> Option<String> {
        self.customer
            .as_deref()
            .map(|text| like_pattern(&text.to_lowercase()))
    }
}

/// One change in the queue (also the head of its detail page).
#[derive(Debug, Clone)]
pub struct QueueItem {
    /// The change's row id.
    pub id: i64,
    /// The address.
    pub ip: IpAddr,
    /// Its owner's row id.
    pub customer_id: i64,
    /// Its owner's number.
    pub customer_number: String,
    /// Its owner's name.
    pub customer_name: String,
    /// The server holding the address.
    pub server_name: String,
    /// The assignment holding the address (canonical network text).
    pub network: String,
    /// The requested name (canonical ASCII; `None`: the default).
    pub requested_hostname: Option<String>,
    /// `rejected` or `in-review`.
    pub state: ChangeState,
    /// What the checks found (the latest run).
    pub findings: Vec<Finding>,
    /// The customer's justification, once they asked for review.
    pub justification: Option<String>,
    /// When the change was requested.
    pub created_at: i64,
    /// When it last moved (or was checked again).
    pub updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    id: i64,
    address: Vec<u8>,
    customer_id: i64,
    customer_number: String,
    customer_name: String,
    server_name: String,
    network: String,
    requested_hostname: Option<String>,
    state: String,
    findings: String,
    justification: Option<String>,
    created_at: i64,
    updated_at: i64,
}

impl QueueRow {
    fn into_item(self) -> Result<QueueItem, sqlx::Error> {
        let ip = address_from_key(&self.address)
            .ok_or_else(|| sqlx::Error::Decode("stored address is not 16 bytes".into()))?;
        let state = ChangeState::parse(&self.state)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown state {:?}", self.state).into()))?;
        let findings = serde_json::from_str(&self.findings)
            .map_err(|err| sqlx::Error::Decode(Box::new(err)))?;
        Ok(QueueItem {
            id: self.id,
            ip,
            customer_id: self.customer_id,
            customer_number: self.customer_number,
            customer_name: self.customer_name,
            server_name: self.server_name,
            network: self.network,
            requested_hostname: self.requested_hostname,
            state,
            findings,
            justification: self.justification,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The columns and joins every queue query reads.
macro_rules! queue_from {
    () => {
        " FROM changes c \
          JOIN customers cu ON cu.id = c.customer_id \
          JOIN assignments a ON a.id = c.assignment_id \
          JOIN servers s ON s.id = a.server_id "
    };
}

/// The queue's condition: open, awaiting a decision, and the filter (`$1` finding pattern,
/// `$2` customer pattern, `$3` created before).
macro_rules! queue_where {
    () => {
        " WHERE c.superseded_by IS NULL AND c.state IN ('rejected', 'in-review') \
            AND ($1 IS NULL OR c.findings LIKE $1) \
            AND ($2 IS NULL OR LOWER(cu.name) LIKE $2 ESCAPE '\\' OR LOWER(cu.number) LIKE $2 ESCAPE '\\') \
            AND ($3 IS NULL OR c.created_at < $3) "
    };
}

const COLUMNS: &str = "SELECT c.id, c.address, c.customer_id, cu.number AS customer_number, \
    cu.name AS customer_name, s.name AS server_name, a.network, c.requested_hostname, c.state, \
    c.findings, c.justification, c.created_at, c.updated_at";

/// How many changes in the queue match `filter`.
pub async fn count<'e>(
    db: impl Executor<'e, Database = Any>,
    filter: &QueueFilter,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(concat!("SELECT COUNT(*)", queue_from!(), queue_where!()))
        .bind(filter.finding_pattern())
        .bind(filter.customer_pattern())
        .bind(filter.created_before)
        .fetch_one(db)
        .await
}

/// One page of the queue, oldest first.
pub async fn page<'e>(
    db: impl Executor<'e, Database = Any>,
    filter: &QueueFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<QueueItem>, sqlx::Error> {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "{COLUMNS}{}{} ORDER BY c.created_at, c.id LIMIT $4 OFFSET $5",
            queue_from!(),
            queue_where!()
        )
    });
    let rows: Vec<QueueRow> = sqlx::query_as(SQL.as_str())
        .bind(filter.finding_pattern())
        .bind(filter.customer_pattern())
        .bind(filter.created_before)
        .bind(limit)
        .bind(offset)
        .fetch_all(db)
        .await?;
    rows.into_iter().map(QueueRow::into_item).collect()
}

/// Change `id` if it is in the queue (open, `rejected` or `in-review`).
pub async fn item<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<QueueItem>, sqlx::Error> {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "{COLUMNS}{} WHERE c.id = $1 AND c.superseded_by IS NULL \
               AND c.state IN ('rejected', 'in-review')",
            queue_from!()
        )
    });
    let row: Option<QueueRow> = sqlx::query_as(SQL.as_str())
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.map(QueueRow::into_item).transpose()
}

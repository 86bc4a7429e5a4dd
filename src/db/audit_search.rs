//! Reading the audit log for admins: rows filtered by customer, address range, actor, door and
//! time, newest first, a page at a time or all of them for the CSV export.
//!
//! Each filter is optional (a NULL parameter switches it off), so one statement text serves
//! every combination. The address and customer filters use the `audit_by_address` and
//! `audit_by_customer` indexes; the rest narrow what those (or the newest-first walk of the
//! primary key) find.

use crate::domain::{Door, address_key};
use sqlx::{Any, Executor};
use std::net::IpAddr;

/// What the audit log is narrowed to; every field is optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only rows about this customer (row id).
    pub customer_id: Option<i64>,
    /// Only rows about addresses in this range (first, last).
    pub range: Option<(IpAddr, IpAddr)>,
    /// Only rows of this actor (exact name, e.g. `alice`, `cli`, `system`).
    pub actor: Option<String>,
    /// Only rows that came through this door.
    pub door: Option<Door>,
    /// Only rows at or after this time (Unix seconds).
    pub from: Option<i64>,
    /// Only rows before this time (Unix seconds).
    pub until: Option<i64>,
}

/// One audit row with its customer, as the log screen and the export show it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRow {
    /// Row id.
    pub id: i64,
    /// When (Unix seconds).
    pub at: i64,
    /// Who.
    pub actor: String,
    /// From where.
    pub source: String,
    /// Through which door (`page`, `api`, …).
    pub door: String,
    /// What, e.g. `ptr.set`.
    pub action: String,
    /// The customer's number, when the row is about a customer.
    pub customer_number: Option<String>,
    /// The customer's name.
    pub customer_name: Option<String>,
    /// The address, when the row is about one.
    pub address_text: Option<String>,
    /// Before.
    pub old_value: Option<String>,
    /// After.
    pub new_value: Option<String>,
    /// The change it records.
    pub change_id: Option<i64>,
}

macro_rules! audit_select {
    () => {
        "SELECT l.id, l.at, l.actor, l.source, l.door, l.action, c.number AS customer_number, \
                c.name AS customer_name, l.address_text, l.old_value, l.new_value, l.change_id \
         FROM audit l LEFT JOIN customers c ON c.id = l.customer_id \
         WHERE ($1 IS NULL OR l.customer_id = $1) \
           AND ($2 IS NULL OR (l.address >= $2 AND l.address <= $3)) \
           AND ($4 IS NULL OR l.actor = $4) \
           AND ($5 IS NULL OR l.door = $5) \
           AND ($6 IS NULL OR l.at >= $6) \
           AND ($7 IS NULL OR l.at < $7) \
         ORDER BY l.id DESC LIMIT $8 OFFSET $9"
    };
}

/// Rows matching `filter`, newest first: `limit` of them after skipping `offset`.
pub async fn search<'e>(
    db: impl Executor<'e, Database = Any>,
    filter: &AuditFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as(audit_select!())
        .bind(filter.customer_id)
        .bind(filter.range.map(|(first, _)| address_key(first)))
        .bind(filter.range.map(|(_, last)| address_key(last)))
        .bind(filter.actor.as_deref())
        .bind(filter.door.map(Door::as_str))
        .bind(filter.from)
        .bind(filter.until)
        .bind(limit)
        .bind(offset)
        .fetch_all(db)
        .await
}

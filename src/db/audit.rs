//! The audit log: one row for every change to a PTR and every operator action, written in the
//! same transaction as the change itself.

use crate::db::batch::{self, Placeholders};
use crate::domain::AuditAction;
use crate::domain::{Door, address_key};
use sqlx::{Any, AnyConnection, Executor};
use std::net::IpAddr;

/// Who did something, from where.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user, when a user acted.
    pub user_id: Option<i64>,
    /// Their name (or `system`, `cli`).
    pub name: String,
    /// The source address of the request (or `local`).
    pub source: String,
}

/// One row to write.
#[derive(Debug, Clone)]
pub struct NewAuditRow<'a> {
    /// Who.
    pub actor: &'a Actor,
    /// Through which door.
    pub door: Door,
    /// What.
    pub action: AuditAction,
    /// Whose data.
    pub customer_id: Option<i64>,
    /// Which address, for PTR changes.
    pub ip: Option<IpAddr>,
    /// The value before.
    pub old_value: Option<&'a str>,
    /// The value after.
    pub new_value: Option<&'a str>,
    /// The change it records.
    pub change_id: Option<i64>,
    /// When.
    pub at: i64,
}

/// Writes one audit row.
pub async fn insert<'e>(
    db: impl Executor<'e, Database = Any>,
    row: &NewAuditRow<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit (at, actor_user_id, actor, source, door, action, customer_id, address, address_text, \
                            old_value, new_value, change_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(row.at)
    .bind(row.actor.user_id)
    .bind(row.actor.name.as_str())
    .bind(row.actor.source.as_str())
    .bind(row.door.as_str())
    .bind(row.action.as_str())
    .bind(row.customer_id)
    .bind(row.ip.map(address_key))
    .bind(row.ip.map(|ip| ip.to_string()))
    .bind(row.old_value)
    .bind(row.new_value)
    .bind(row.change_id)
    .execute(db)
    .await?;
    Ok(())
}

/// Writes many audit rows ([`insert`]), a statement per [`batch::MAX_ROWS`] rows.
pub async fn insert_all(
    conn: &mut AnyConnection,
    rows: &[NewAuditRow<'_>],
) -> Result<(), sqlx::Error> {
    const COLUMNS: &[&str] = &[
        "at",
        "actor_user_id",
        "actor",
        "source",
        "door",
        "action",
        "customer_id",
        "address",
        "address_text",
        "old_value",
        "new_value",
        "change_id",
    ];
    let placeholders = Placeholders::of(conn);
    for chunk in rows.chunks(batch::rows_per_statement(COLUMNS.len())) {
        let statement = batch::insert_statement("audit", COLUMNS, chunk.len(), placeholders);
        let mut query = sqlx::query(statement.into_sql());
        for row in chunk {
            query = query
                .bind(row.at)
                .bind(row.actor.user_id)
                .bind(row.actor.name.as_str())
                .bind(row.actor.source.as_str())
                .bind(row.door.as_str())
                .bind(row.action.as_str())
                .bind(row.customer_id)
                .bind(row.ip.map(address_key))
                .bind(row.ip.map(|ip| ip.to_string()))
                .bind(row.old_value)
                .bind(row.new_value)
                .bind(row.change_id);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// An audit row as read back.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    /// When.
    pub at: i64,
    /// Who.
    pub actor: String,
    /// From where.
    pub source: String,
    /// Through which door.
    pub door: String,
    /// What.
    pub action: String,
    /// Before.
    pub old_value: Option<String>,
    /// After.
    pub new_value: Option<String>,
}

/// The history of one address, oldest first.
pub async fn for_address<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT at, actor, source, door, action, old_value, new_value FROM audit WHERE address = $1 ORDER BY id",
    )
    .bind(address_key(ip))
    .fetch_all(db)
    .await
}

//! PTR entries: at most one per single address; `hostname` NULL means the provider default.
//! Only [`crate::changes`] calls the writing functions here.

use crate::domain::address_key;
use sqlx::{Any, Executor};
use std::net::IpAddr;

/// The entry in force for an address.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Entry {
    /// The customer's PTR; `None` when the default applies.
    pub hostname: Option<String>,
    /// Bumped by every change.
    pub version: i64,
}

/// The entry of `ip`, if one was ever written.
pub async fn current<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
) -> Result<Option<Entry>, sqlx::Error> {
    sqlx::query_as("SELECT hostname, version FROM entries WHERE address = $1")
        .bind(address_key(ip))
        .fetch_optional(db)
        .await
}

/// Writes the first entry of an address (version 1).
pub async fn insert<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
    assignment_id: i64,
    hostname: Option<&str>,
    change_id: i64,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO entries (address, address_text, assignment_id, hostname, version, change_id, updated_at) \
         VALUES ($1, $2, $3, $4, 1, $5, $6)",
    )
    .bind(address_key(ip))
    .bind(ip.to_string())
    .bind(assignment_id)
    .bind(hostname)
    .bind(change_id)
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}

/// Replaces the entry of `ip` if it is still at `version`; false when someone else got there
/// first.
pub async fn update<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
    version: i64,
    hostname: Option<&str>,
    change_id: i64,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE entries SET hostname = $3, version = version + 1, change_id = $4, updated_at = $5 \
         WHERE address = $1 AND version = $2",
    )
    .bind(address_key(ip))
    .bind(version)
    .bind(hostname)
    .bind(change_id)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

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

/// A customer's own PTR in force for one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnPtr {
    /// The address.
    pub ip: IpAddr,
    /// The customer's hostname (never the provider default), as the client that set it sent
    /// it ([`crate::domain::Hostname::as_sent`]; canonical where that was not recorded).
    pub hostname: String,
}

#[derive(sqlx::FromRow)]
struct OwnPtrRow {
    address: Vec<u8>,
    hostname: String,
}

/// The customer's own PTR in force for `ip`, as the client that set it sent it (canonical
/// where that was not recorded); `None` when the default applies.
pub async fn own_ptr_as_sent<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
) -> Result<Option<String>, sqlx::Error> {
    let name: Option<Option<String>> = sqlx::query_scalar(
        "SELECT COALESCE(CASE WHEN c.requested_hostname = e.hostname THEN c.requested_as_sent END, e.hostname) \
         FROM entries e LEFT JOIN changes c ON c.id = e.change_id \
         WHERE e.address = $1 AND e.hostname IS NOT NULL",
    )
    .bind(address_key(ip))
    .fetch_optional(db)
    .await?;
    Ok(name.flatten())
}

/// The customer's own PTRs in force (entries with a hostname), in address order; with
/// `server_of_assignment`, only those on the server that holds that assignment.
pub async fn own_ptrs<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    server_of_assignment: Option<i64>,
) -> Result<Vec<OwnPtr>, sqlx::Error> {
    let rows: Vec<OwnPtrRow> = sqlx::query_as(
        "SELECT e.address, COALESCE(CASE WHEN c.requested_hostname = e.hostname THEN c.requested_as_sent END, e.hostname) AS hostname \
         FROM entries e \
         JOIN assignments a ON a.id = e.assignment_id \
         LEFT JOIN changes c ON c.id = e.change_id \
         JOIN servers s ON s.id = a.server_id \
         WHERE s.customer_id = $1 AND e.hostname IS NOT NULL \
           AND ($2 IS NULL OR s.id = (SELECT server_id FROM assignments WHERE id = $2)) \
         ORDER BY e.address",
    )
    .bind(customer_id)
    .bind(server_of_assignment)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            let ip = crate::domain::address_from_key(&row.address)
                .ok_or_else(|| sqlx::Error::Decode("stored address is not 16 bytes".into()))?;
            Ok(OwnPtr {
                ip,
                hostname: row.hostname,
            })
        })
        .collect()
}

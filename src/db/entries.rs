//! PTR entries: at most one per single address; `hostname` NULL means the provider default.
//! Only [`crate::changes`] calls the writing functions here.

use crate::db::batch::{self, Placeholders, Statement};
use crate::domain::address_key;
use sqlx::{Any, AnyConnection, Executor};
use std::collections::{HashMap, HashSet};
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

fn decode_address(key: &[u8]) -> Result<IpAddr, sqlx::Error> {
    crate::domain::address_from_key(key)
        .ok_or_else(|| sqlx::Error::Decode("stored address is not 16 bytes".into()))
}

/// The entries of `ips` that were ever written, by address: [`current`] for many addresses,
/// one statement per [`batch::MAX_ROWS`].
pub async fn current_of(
    conn: &mut AnyConnection,
    ips: &[IpAddr],
) -> Result<HashMap<IpAddr, Entry>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        address: Vec<u8>,
        hostname: Option<String>,
        version: i64,
    }
    let mut found = HashMap::with_capacity(ips.len());
    for chunk in ips.chunks(batch::MAX_ROWS) {
        let mut statement = Statement::new(
            Placeholders::of(conn),
            "SELECT address, hostname, version FROM entries WHERE address IN (",
        );
        statement.list(chunk.len()).push(")");
        let mut query = sqlx::query_as::<_, Row>(statement.into_sql());
        for ip in chunk {
            query = query.bind(address_key(*ip));
        }
        for row in query.fetch_all(&mut *conn).await? {
            found.insert(
                decode_address(&row.address)?,
                Entry {
                    hostname: row.hostname,
                    version: row.version,
                },
            );
        }
    }
    Ok(found)
}

/// An entry to write in force by [`write_all`].
#[derive(Debug, Clone)]
pub struct EntryWrite<'a> {
    /// The address.
    pub ip: IpAddr,
    /// The assignment holding it (for a first entry).
    pub assignment_id: i64,
    /// The version read before (`None`: there is no entry yet, version 1 is written).
    pub version: Option<i64>,
    /// The customer's PTR; `None` for the default.
    pub hostname: Option<&'a str>,
    /// The published change.
    pub change_id: i64,
}

/// [`insert`] and [`update`] for many addresses (each at most once), a statement per
/// [`batch::MAX_ROWS`] rows; `at` for all. Returns the addresses written: one missing was
/// written by someone else first (its version moved, or its first entry exists already).
pub async fn write_all(
    conn: &mut AnyConnection,
    writes: &[EntryWrite<'_>],
    at: i64,
) -> Result<HashSet<IpAddr>, sqlx::Error> {
    let placeholders = Placeholders::of(conn);
    let mut written = HashSet::with_capacity(writes.len());
    let (updates, inserts): (Vec<&EntryWrite>, Vec<&EntryWrite>) =
        writes.iter().partition(|write| write.version.is_some());
    for chunk in updates.chunks(batch::rows_per_statement(4)) {
        // `UPDATE … FROM` a list of values (SQLite ≥ 3.33, PostgreSQL): the list as a common
        // table expression, whose column names both engines take. The `IN` repeats the join
        // for SQLite's planner: without it SQLite 3.51 scans every entry against a Bloom
        // filter of the list (90 ms for 1,000 rows at 1.1 M entries) instead of looking each
        // address up (6 ms). PostgreSQL's plan and time are the same either way.
        let mut statement = Statement::new(
            placeholders,
            "WITH v (address, version, hostname, change_id) AS (VALUES ",
        );
        statement.tuples(chunk.len(), 4).push(
            ") UPDATE entries SET hostname = v.hostname, version = entries.version + 1, \
               change_id = v.change_id, updated_at = ",
        );
        statement.parameter().push(
            " FROM v WHERE entries.address = v.address AND entries.version = v.version \
               AND entries.address IN (SELECT address FROM v) RETURNING entries.address",
        );
        let mut query = sqlx::query_scalar::<_, Vec<u8>>(statement.into_sql());
        for write in chunk {
            query = query
                .bind(address_key(write.ip))
                .bind(write.version.unwrap_or_default())
                .bind(write.hostname)
                .bind(write.change_id);
        }
        for key in query.bind(at).fetch_all(&mut *conn).await? {
            written.insert(decode_address(&key)?);
        }
    }
    for chunk in inserts.chunks(batch::rows_per_statement(7)) {
        let mut statement = batch::insert_statement(
            "entries",
            &[
                "address",
                "address_text",
                "assignment_id",
                "hostname",
                "version",
                "change_id",
                "updated_at",
            ],
            chunk.len(),
            placeholders,
        );
        // On PostgreSQL a racing writer may have created one first: that one is not written.
        statement.push(" ON CONFLICT (address) DO NOTHING RETURNING address");
        let mut query = sqlx::query_scalar::<_, Vec<u8>>(statement.into_sql());
        for write in chunk {
            query = query
                .bind(address_key(write.ip))
                .bind(write.ip.to_string())
                .bind(write.assignment_id)
                .bind(write.hostname)
                .bind(1_i64)
                .bind(write.change_id)
                .bind(at);
        }
        for key in query.fetch_all(&mut *conn).await? {
            written.insert(decode_address(&key)?);
        }
    }
    Ok(written)
}

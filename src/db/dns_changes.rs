//! The log a node's DNS zone store follows (migration 0020), and the reads that fill the
//! store: everything DNS serves, in full at start or for one changed range.
//!
//! Policy: a write that changes what DNS serves calls [`record`] last in its transaction (the
//! generation row is the last lock it takes), so generations become visible in commit order
//! and a reader that saw generation N has seen every change up to N.

use crate::domain::{address_from_key, address_key};
use futures_util::TryStreamExt;
use sqlx::{Any, Executor};
use std::net::{IpAddr, Ipv6Addr};

/// How long a logged change is kept: a node further behind reloads everything.
pub const KEEP_SECONDS: i64 = 86_400;

/// What a logged change may have changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Entries, assignments and zone serials in the range.
    Content,
    /// Only the serials of the zones overlapping the range.
    Serials,
}

impl ChangeKind {
    fn stored(self) -> i64 {
        match self {
            ChangeKind::Content => 0,
            ChangeKind::Serials => 1,
        }
    }
}

/// One logged change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The generation that made it.
    pub generation: i64,
    /// The first address it concerns.
    pub first: IpAddr,
    /// The last address it concerns.
    pub last: IpAddr,
    /// What may have changed there.
    pub kind: ChangeKind,
}

/// The whole address space (IPv4 as mapped IPv6 included): a change of everything.
pub const EVERYTHING: (IpAddr, IpAddr) = (
    IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    IpAddr::V6(Ipv6Addr::new(
        0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff,
    )),
);

/// Moves the generation by one and logs `ranges` under it; call it last in the writing
/// transaction. Nothing is written (and no lock taken) for no ranges.
pub async fn record(
    conn: &mut sqlx::AnyConnection,
    ranges: &[(IpAddr, IpAddr)],
    kind: ChangeKind,
    at: i64,
) -> Result<(), sqlx::Error> {
    if ranges.is_empty() {
        return Ok(());
    }
    let generation: i64 = sqlx::query_scalar(
        "UPDATE dns_generation SET generation = generation + 1 WHERE id = 1 RETURNING generation",
    )
    .fetch_one(&mut *conn)
    .await?;
    for (first, last) in ranges {
        sqlx::query(
            "INSERT INTO dns_changes (generation, first_addr, last_addr, kind, at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(generation)
        .bind(address_key(*first))
        .bind(address_key(*last))
        .bind(kind.stored())
        .bind(at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A zone joined or left the served zones: moves the catalog zone's serial (RFC 1982 style:
/// at least one more, at least the clock), and writes its NOTIFYs to the outbox
/// ([`super::outbox::notify_catalog`]). Call it at the end of the transaction, right before
/// [`record`] (it takes the same row's lock, the last one).
pub async fn catalog_changed(conn: &mut sqlx::AnyConnection, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE dns_generation SET catalog_serial = \
           CASE WHEN catalog_serial + 1 > $1 THEN catalog_serial + 1 ELSE $1 END WHERE id = 1",
    )
    .bind(at)
    .execute(&mut *conn)
    .await?;
    super::outbox::notify_catalog(conn, at).await
}

/// The catalog zone's serial.
pub async fn catalog_serial<'e>(db: impl Executor<'e, Database = Any>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT catalog_serial FROM dns_generation WHERE id = 1")
        .fetch_one(db)
        .await
}

/// The current generation.
pub async fn generation<'e>(db: impl Executor<'e, Database = Any>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT generation FROM dns_generation WHERE id = 1")
        .fetch_one(db)
        .await
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    generation: i64,
    first_addr: Vec<u8>,
    last_addr: Vec<u8>,
    kind: i64,
}

/// The changes after generation `after` up to `upto`, in generation order; `None` when some
/// of them were pruned already (the reader must reload everything).
pub async fn since(
    conn: &mut sqlx::AnyConnection,
    after: i64,
    upto: i64,
) -> Result<Option<Vec<Change>>, sqlx::Error> {
    let rows: Vec<ChangeRow> = sqlx::query_as(
        "SELECT generation, first_addr, last_addr, kind FROM dns_changes \
         WHERE generation > $1 AND generation <= $2 ORDER BY generation",
    )
    .bind(after)
    .bind(upto)
    .fetch_all(&mut *conn)
    .await?;
    // Every generation of the span must be there (each logs at least one row): a gap means
    // a pruned one, and the reader reloads everything.
    let mut generations: Vec<i64> = rows.iter().map(|row| row.generation).collect();
    generations.dedup();
    if i64::try_from(generations.len()).ok() != Some(upto - after) && upto > after {
        return Ok(None);
    }
    rows.into_iter()
        .map(|row| {
            Ok(Change {
                generation: row.generation,
                first: key(&row.first_addr)?,
                last: key(&row.last_addr)?,
                kind: if row.kind == 1 {
                    ChangeKind::Serials
                } else {
                    ChangeKind::Content
                },
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map(Some)
}

/// Deletes the changes logged before `before`.
pub async fn prune<'e>(
    db: impl Executor<'e, Database = Any>,
    before: i64,
) -> Result<u64, sqlx::Error> {
    // Whole generations from the oldest on, never one in the middle: `at` is read before a
    // writer waits for its locks, so its order is not quite the generations' order.
    let done = sqlx::query(
        "DELETE FROM dns_changes WHERE generation <= \
         (SELECT MAX(generation) FROM dns_changes WHERE at < $1)",
    )
    .bind(before)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

fn key(bytes: &[u8]) -> Result<IpAddr, sqlx::Error> {
    address_from_key(bytes)
        .ok_or_else(|| sqlx::Error::Decode("stored address is not 16 bytes".into()))
}

fn number(bytes: &[u8]) -> Result<u128, sqlx::Error> {
    let octets: [u8; 16] = bytes
        .try_into()
        .map_err(|_| sqlx::Error::Decode("stored address is not 16 bytes".into()))?;
    Ok(u128::from_be_bytes(octets))
}

/// One entry as DNS sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedEntry {
    /// The address ([`crate::domain::address_number`]).
    pub address: u128,
    /// The customer's PTR; `None` when the default applies.
    pub hostname: Option<String>,
    /// When it was last written (a rowless zone's serial).
    pub updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct ServedEntryRow {
    address: Vec<u8>,
    hostname: Option<String>,
    updated_at: i64,
}

/// Every entry in `first..=last`, streamed into `each` in address order (the full load at
/// start reads 1 M rows without holding them twice).
pub async fn each_entry_between(
    conn: &mut sqlx::AnyConnection,
    first: IpAddr,
    last: IpAddr,
    mut each: impl FnMut(ServedEntry),
) -> Result<(), sqlx::Error> {
    let mut rows = sqlx::query_as::<_, ServedEntryRow>(
        "SELECT address, hostname, updated_at FROM entries \
         WHERE address >= $1 AND address <= $2 ORDER BY address",
    )
    .bind(address_key(first))
    .bind(address_key(last))
    .fetch(&mut *conn);
    while let Some(row) = rows.try_next().await? {
        each(ServedEntry {
            address: number(&row.address)?,
            hostname: row.hostname,
            updated_at: row.updated_at,
        });
    }
    Ok(())
}

/// One assignment as DNS sees it: its range and when it was made (a rowless zone's serial).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServedAssignment {
    /// Its first address ([`crate::domain::address_number`]).
    pub first: u128,
    /// Its last address.
    pub last: u128,
    /// When it was created.
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct ServedAssignmentRow {
    first_addr: Vec<u8>,
    last_addr: Vec<u8>,
    created_at: i64,
}

/// The assignments overlapping `first..=last` (assignments never overlap: the one starting
/// before the range that reaches into it, and those starting inside).
pub async fn assignments_overlapping(
    conn: &mut sqlx::AnyConnection,
    first: IpAddr,
    last: IpAddr,
) -> Result<Vec<ServedAssignment>, sqlx::Error> {
    let rows: Vec<ServedAssignmentRow> = sqlx::query_as(
        "SELECT first_addr, last_addr, created_at FROM ( \
           SELECT a.first_addr, a.last_addr, a.created_at FROM assignments a \
           WHERE a.id = (SELECT id FROM assignments WHERE first_addr < $1 ORDER BY first_addr DESC LIMIT 1) \
             AND a.last_addr >= $1 \
           UNION ALL \
           SELECT first_addr, last_addr, created_at FROM assignments WHERE first_addr >= $1 AND first_addr <= $2 \
         ) overlapping ORDER BY first_addr",
    )
    .bind(address_key(first))
    .bind(address_key(last))
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(ServedAssignment {
                first: number(&row.first_addr)?,
                last: number(&row.last_addr)?,
                created_at: row.created_at,
            })
        })
        .collect()
}

/// One served zone row: its range and serial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServedZone {
    /// Its first address ([`crate::domain::address_number`]).
    pub first: u128,
    /// Its last address.
    pub last: u128,
    /// Its serial.
    pub serial: i64,
}

#[derive(sqlx::FromRow)]
struct ServedZoneRow {
    first_addr: Vec<u8>,
    last_addr: Vec<u8>,
    serial: i64,
}

/// The active zone rows overlapping `first..=last`.
pub async fn zones_overlapping(
    conn: &mut sqlx::AnyConnection,
    first: IpAddr,
    last: IpAddr,
) -> Result<Vec<ServedZone>, sqlx::Error> {
    let rows: Vec<ServedZoneRow> = sqlx::query_as(
        "SELECT first_addr, last_addr, serial FROM zones \
         WHERE active = 1 AND first_addr <= $2 AND last_addr >= $1",
    )
    .bind(address_key(first))
    .bind(address_key(last))
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(ServedZone {
                first: number(&row.first_addr)?,
                last: number(&row.last_addr)?,
                serial: row.serial,
            })
        })
        .collect()
}

//! Reverse zones and their serials, and the zone reads of the drift check (the DNS server
//! answers from its zone store in memory, filled by [`super::dns_changes`]).
//!
//! Serial policy: a zone's serial lives only here and is allocated by the database, in the
//! transaction of the change that alters the zone ([`bump_changed`], once per zone and
//! transaction however many entries it writes), so two nodes never publish
//! one serial for different contents. It follows the clock where it can: a new zone starts at
//! the current Unix time, and a bump gives `max(serial + 1, now)`, so even a re-created
//! database goes on above what secondaries hold (unless a zone saw more changes than seconds
//! passed).

use super::dns_changes::{self, ChangeKind};
use crate::domain::{address_from_key, address_key};
use sqlx::{Any, Executor};
use std::net::IpAddr;

/// A zone bumped by [`bump_changed`], with its range.
struct Bumped {
    name: String,
    serial: i64,
    first: Vec<u8>,
    last: Vec<u8>,
}

#[derive(sqlx::FromRow)]
struct BumpedRow {
    name: String,
    serial: i64,
    first_addr: Vec<u8>,
    last_addr: Vec<u8>,
}

impl From<BumpedRow> for Bumped {
    fn from(row: BumpedRow) -> Bumped {
        Bumped {
            name: row.name,
            serial: row.serial,
            first: row.first_addr,
            last: row.last_addr,
        }
    }
}

/// Bumps, once each, the serial of every active zone whose content a write transaction
/// changed: those overlapping `ranges` (assignments added or removed) and those holding
/// `published` (entries written), and stamps each of those entries with its zone and the new
/// serial (its live status compares it with what the public servers serve). Call it last in
/// the transaction, after the entries are written: zones come last in the lock order, taken
/// in address order. On PostgreSQL the row lock makes a second writer wait and then count on
/// from the first one's serial. A zone the sync has not created yet is left alone: it starts
/// at the clock with whatever is stored then.
pub async fn bump_changed(
    conn: &mut sqlx::AnyConnection,
    ranges: &[(IpAddr, IpAddr)],
    published: &[IpAddr],
    at: i64,
) -> Result<(), sqlx::Error> {
    let mut bumped: Vec<Bumped> = Vec::new();
    let mut ranges = ranges.to_vec();
    ranges.sort();
    for (first, last) in ranges {
        let rows: Vec<BumpedRow> = sqlx::query_as(
            "UPDATE zones SET serial = CASE WHEN serial + 1 > $3 THEN serial + 1 ELSE $3 END, updated_at = $3 \
             WHERE active = 1 AND first_addr <= $2 AND last_addr >= $1 \
             RETURNING name, serial, first_addr, last_addr",
        )
        .bind(address_key(first))
        .bind(address_key(last))
        .bind(at)
        .fetch_all(&mut *conn)
        .await?;
        for row in rows {
            if !bumped.iter().any(|zone| zone.name == row.name) {
                bumped.push(row.into());
            }
        }
    }
    let mut keys: Vec<Vec<u8>> = published.iter().map(|ip| address_key(*ip)).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let holding = bumped
            .iter()
            .position(|zone| zone.first <= key && key <= zone.last);
        let zone = match holding {
            Some(index) => &bumped[index],
            None => {
                let row: Option<BumpedRow> = sqlx::query_as(
                    "UPDATE zones SET serial = CASE WHEN serial + 1 > $2 THEN serial + 1 ELSE $2 END, updated_at = $2 \
                     WHERE name = (SELECT name FROM zones WHERE active = 1 AND first_addr <= $1 \
                                   ORDER BY first_addr DESC LIMIT 1) \
                       AND last_addr >= $1 \
                     RETURNING name, serial, first_addr, last_addr",
                )
                .bind(&key)
                .bind(at)
                .fetch_optional(&mut *conn)
                .await?;
                let Some(row) = row else { continue };
                bumped.push(row.into());
                &bumped[bumped.len() - 1]
            }
        };
        sqlx::query("UPDATE entries SET zone = $2, zone_serial = $3 WHERE address = $1")
            .bind(&key)
            .bind(&zone.name)
            .bind(zone.serial)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A zone as the sync wants it.
#[derive(Debug, Clone)]
pub struct WantedZone<'a> {
    /// `2.0.192.in-addr.arpa`.
    pub name: &'a str,
    /// Its first address.
    pub first: IpAddr,
    /// Its last address.
    pub last: IpAddr,
    /// The fingerprint of what makes up the zone besides its entries.
    pub digest: &'a str,
}

/// What [`sync_zone`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Synced {
    /// The zone is new, at serial `now`.
    Created,
    /// The zone changed (or came back) and its serial was bumped.
    Bumped,
    /// Nothing to do.
    Unchanged,
}

/// Creates the zone, or bumps its serial when its digest changed or it was inactive, and logs
/// the new serial for the nodes' DNS zone stores.
pub async fn sync_zone(
    db: &sqlx::AnyPool,
    zone: &WantedZone<'_>,
    now: i64,
) -> Result<Synced, sqlx::Error> {
    let mut tx = db.begin().await?;
    let (synced, joined) = if create(&mut tx, zone, now).await? {
        (Synced::Created, true)
    } else {
        // `member_since` moves only when the zone was retired: it joins the catalog again.
        let bumped: Option<Option<i64>> = sqlx::query_scalar(
            "UPDATE zones SET serial = CASE WHEN serial + 1 > $3 THEN serial + 1 ELSE $3 END, \
                              digest = $2, active = 1, updated_at = $3, \
                              member_since = CASE WHEN active = 0 THEN $3 ELSE member_since END \
             WHERE name = $1 AND (digest IS NULL OR digest <> $2 OR active = 0) \
             RETURNING member_since",
        )
        .bind(zone.name)
        .bind(zone.digest)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        match bumped {
            Some(member_since) => (Synced::Bumped, member_since == Some(now)),
            None => (Synced::Unchanged, false),
        }
    };
    if joined {
        dns_changes::catalog_changed(&mut tx, now).await?;
    }
    if synced != Synced::Unchanged {
        // What the zone is made of changed (its assignments, the configuration): the stores
        // reload the zone whole, not just its serial.
        let range = [(zone.first, zone.last)];
        dns_changes::record(&mut tx, &range, ChangeKind::Content, now).await?;
    }
    tx.commit().await?;
    Ok(synced)
}

/// Creates the zone (serial = `now`) unless it exists; whether it was created.
pub async fn create(
    conn: &mut sqlx::AnyConnection,
    zone: &WantedZone<'_>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let upserted = insert(
        conn,
        zone,
        now,
        "INSERT INTO zones (name, first_addr, last_addr, serial, digest, active, updated_at, member_since) \
         VALUES ($1, $2, $3, $4, $5, 1, $4, $4) ON CONFLICT (name) DO NOTHING \
         RETURNING CAST(1 AS BIGINT), CAST(1 AS BIGINT)",
    )
    .await?;
    Ok(upserted.created)
}

/// What [`create_or_refresh`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Upserted {
    /// The row is new (serial = now).
    pub created: bool,
    /// The zone joined the served zones — new, or served again after it was retired: the
    /// catalog zone changed ([`dns_changes::catalog_changed`]).
    pub joined: bool,
}

/// For a write path that changes what a zone holds: creates the zone, or gives an existing
/// row the new digest and makes it served again, leaving its serial to the transaction's
/// bump ([`super::PublishTx::range_changed`]).
pub async fn create_or_refresh(
    conn: &mut sqlx::AnyConnection,
    zone: &WantedZone<'_>,
    now: i64,
) -> Result<Upserted, sqlx::Error> {
    insert(
        conn,
        zone,
        now,
        "INSERT INTO zones (name, first_addr, last_addr, serial, digest, active, updated_at, member_since) \
         VALUES ($1, $2, $3, $4, $5, 1, $4, $4) \
         ON CONFLICT (name) DO UPDATE SET digest = excluded.digest, active = 1, updated_at = $4, \
             member_since = CASE WHEN zones.active = 0 THEN $4 ELSE zones.member_since END \
         RETURNING CAST(CASE WHEN serial = $4 THEN 1 ELSE 0 END AS BIGINT), \
                   CAST(CASE WHEN member_since = $4 THEN 1 ELSE 0 END AS BIGINT)",
    )
    .await
}

async fn insert(
    conn: &mut sqlx::AnyConnection,
    zone: &WantedZone<'_>,
    now: i64,
    sql: &'static str,
) -> Result<Upserted, sqlx::Error> {
    let upserted: Option<(i64, i64)> = sqlx::query_as(sql)
        .bind(zone.name)
        .bind(address_key(zone.first))
        .bind(address_key(zone.last))
        .bind(now)
        .bind(zone.digest)
        .fetch_optional(&mut *conn)
        .await?;
    let Some((created, joined)) = upserted else {
        return Ok(Upserted::default());
    };
    let upserted = Upserted {
        created: created == 1,
        joined: joined == 1,
    };
    if !upserted.created {
        return Ok(upserted);
    }
    // Entries published before their zone existed are part of its first serial.
    sqlx::query(
        "UPDATE entries SET zone = $1, zone_serial = $2 \
         WHERE address >= $3 AND address <= $4 AND zone IS NULL",
    )
    .bind(zone.name)
    .bind(now)
    .bind(address_key(zone.first))
    .bind(address_key(zone.last))
    .execute(&mut *conn)
    .await?;
    Ok(upserted)
}

/// The serial of a served zone that has no row (a zone beyond the first
/// [`MAX_ZONES_PER_ASSIGNMENT`](crate::dns::names::MAX_ZONES_PER_ASSIGNMENT) of a large
/// assignment), read without writing: the latest moment its content changed — the creation
/// of the assignments overlapping it, or the last write of an entry in it. Entries are never
/// deleted while their assignment stays, so it never goes back.
pub async fn rowless_serial<'e>(
    db: impl Executor<'e, Database = Any>,
    first: IpAddr,
    last: IpAddr,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT MAX(at) FROM ( \
           SELECT COALESCE(MAX(created_at), 0) AS at FROM assignments \
             WHERE first_addr <= $2 AND last_addr >= $1 \
           UNION ALL \
           SELECT COALESCE(MAX(updated_at), 0) AS at FROM entries \
             WHERE address >= $1 AND address <= $2) AS changed",
    )
    .bind(address_key(first))
    .bind(address_key(last))
    .fetch_one(db)
    .await
}

/// Whether an assignment overlaps the range of zone `name` (so the zone is still served).
/// Assignments never overlap, so besides those starting inside the range only the one
/// starting last before it can reach in: two indexed look-ups.
pub async fn overlaps_an_assignment<'e>(
    db: impl Executor<'e, Database = Any>,
    name: &str,
) -> Result<bool, sqlx::Error> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM zones z WHERE z.name = $1 AND ( \
           EXISTS (SELECT 1 FROM assignments a \
                    WHERE a.first_addr >= z.first_addr AND a.first_addr <= z.last_addr) \
           OR (SELECT a.last_addr FROM assignments a WHERE a.first_addr < z.first_addr \
                ORDER BY a.first_addr DESC LIMIT 1) >= z.first_addr)",
    )
    .bind(name)
    .fetch_one(db)
    .await?;
    Ok(count > 0)
}

/// Marks a zone as no longer served (its row and serial stay), and logs it for the nodes'
/// DNS zone stores.
pub async fn deactivate(db: &sqlx::AnyPool, name: &str, at: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let range: Option<(Vec<u8>, Vec<u8>)> = sqlx::query_as(
        "UPDATE zones SET active = 0, updated_at = $2 WHERE name = $1 AND active = 1 \
         RETURNING first_addr, last_addr",
    )
    .bind(name)
    .bind(at)
    .fetch_optional(&mut *tx)
    .await?;
    if range.is_some() {
        // It leaves the catalog zone.
        dns_changes::catalog_changed(&mut tx, at).await?;
    }
    log_zone(&mut tx, range, at).await?;
    tx.commit().await
}

/// Logs a zone's serial change for the nodes' DNS zone stores, given its stored range.
async fn log_zone(
    conn: &mut sqlx::AnyConnection,
    range: Option<(Vec<u8>, Vec<u8>)>,
    at: i64,
) -> Result<(), sqlx::Error> {
    let Some((first, last)) = range else {
        return Ok(());
    };
    let (Some(first), Some(last)) = (address_from_key(&first), address_from_key(&last)) else {
        return Err(sqlx::Error::Decode("stored address is not 16 bytes".into()));
    };
    dns_changes::record(conn, &[(first, last)], ChangeKind::Serials, at).await
}

/// One zone row.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ZoneRow {
    /// `2.0.192.in-addr.arpa`.
    pub name: String,
    /// The current serial.
    pub serial: i64,
    /// 1 while served.
    pub active: i64,
}

/// Every zone row, by name.
pub async fn list<'e>(db: impl Executor<'e, Database = Any>) -> Result<Vec<ZoneRow>, sqlx::Error> {
    sqlx::query_as("SELECT name, serial, active FROM zones ORDER BY name")
        .fetch_all(db)
        .await
}

/// Moves the serial of every active zone past its own, past `floor`, and past any serial a
/// public name server was last seen serving for it (`ptrdesk dns bump`, after a restore); the
/// zones with their new serials, by name. Their NOTIFYs leave through the outbox (the
/// trigger on `zones`).
pub async fn bump_all(db: &sqlx::AnyPool, floor: i64) -> Result<Vec<ZoneRow>, sqlx::Error> {
    let at = crate::clock::now();
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE zones SET serial = CASE WHEN serial + 1 > $1 THEN serial + 1 ELSE $1 END, updated_at = $2 \
         WHERE active = 1",
    )
    .bind(floor)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE zones SET serial = (SELECT MAX(s.serial) + 1 FROM zone_servers s WHERE s.zone = zones.name) \
         WHERE active = 1 \
           AND (SELECT MAX(s.serial) FROM zone_servers s WHERE s.zone = zones.name) >= serial",
    )
    .execute(&mut *tx)
    .await?;
    let zones =
        sqlx::query_as("SELECT name, serial, active FROM zones WHERE active = 1 ORDER BY name")
            .fetch_all(&mut *tx)
            .await?;
    dns_changes::record(&mut tx, &[dns_changes::EVERYTHING], ChangeKind::Serials, at).await?;
    tx.commit().await?;
    Ok(zones)
}

/// Moves the serial of active zone `name` to `seen + 1` if it is not past `seen` already (a
/// public name server serves `seen`); true when it moved (logged for the DNS zone stores).
pub async fn bump_past(
    db: &sqlx::AnyPool,
    name: &str,
    seen: i64,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let range: Option<(Vec<u8>, Vec<u8>)> = sqlx::query_as(
        "UPDATE zones SET serial = $2 + 1, updated_at = $3 \
         WHERE name = $1 AND active = 1 AND serial <= $2 \
         RETURNING first_addr, last_addr",
    )
    .bind(name)
    .bind(seen)
    .bind(at)
    .fetch_optional(&mut *tx)
    .await?;
    let moved = range.is_some();
    log_zone(&mut tx, range, at).await?;
    tx.commit().await?;
    Ok(moved)
}

/// The serial of one served zone, if it has an active row (a retired zone that is served
/// again gets a new serial from the sync first, never the one it was retired with).
pub async fn serial_of<'e>(
    db: impl Executor<'e, Database = Any>,
    name: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT serial FROM zones WHERE name = $1 AND active = 1")
        .bind(name)
        .fetch_optional(db)
        .await
}

/// The assignments generation: it moves, in the writing transaction, whenever an assignment
/// is added, removed or changes its network (triggers of migration 0008). The zone sync reads
/// it before the networks; where it stands still, so do the networks.
pub async fn assignments_generation<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT generation FROM assignment_generation WHERE id = 1")
        .fetch_one(db)
        .await
}

/// Every assignment's network text, in address order (for the zone sync).
pub async fn all_networks<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT network FROM assignments ORDER BY first_addr")
        .fetch_all(db)
        .await
}

/// The networks of the assignments that overlap `first..=last`, in address order. Both parts
/// are index range scans: the assignment that starts before `first` and reaches into the
/// range (assignments never overlap, so there is at most one), then those starting inside.
pub async fn networks_overlapping<'e>(
    db: impl Executor<'e, Database = Any>,
    first: IpAddr,
    last: IpAddr,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT network FROM ( \
           SELECT a.network, a.first_addr FROM assignments a \
           WHERE a.id = (SELECT id FROM assignments WHERE first_addr < $1 ORDER BY first_addr DESC LIMIT 1) \
             AND a.last_addr >= $1 \
           UNION ALL \
           SELECT network, first_addr FROM assignments WHERE first_addr >= $1 AND first_addr <= $2 \
         ) overlapping ORDER BY first_addr",
    )
    .bind(address_key(first))
    .bind(address_key(last))
    .fetch_all(db)
    .await
}

/// One stored entry inside a zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneEntry {
    /// The address.
    pub ip: IpAddr,
    /// The customer's PTR; `None` when the default applies.
    pub hostname: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ZoneEntryRow {
    address: Vec<u8>,
    hostname: Option<String>,
}

/// The entries with addresses in `first..=last`, in address order.
pub async fn entries_between<'e>(
    db: impl Executor<'e, Database = Any>,
    first: IpAddr,
    last: IpAddr,
) -> Result<Vec<ZoneEntry>, sqlx::Error> {
    let rows: Vec<ZoneEntryRow> = sqlx::query_as(
        "SELECT address, hostname FROM entries WHERE address >= $1 AND address <= $2 ORDER BY address",
    )
    .bind(address_key(first))
    .bind(address_key(last))
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            let ip = address_from_key(&row.address)
                .ok_or_else(|| sqlx::Error::Decode("stored address is not 16 bytes".into()))?;
            Ok(ZoneEntry {
                ip,
                hostname: row.hostname,
            })
        })
        .collect()
}

/// What one public name server last said about one zone.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ServerSerial {
    /// The zone.
    pub zone: String,
    /// The server, as configured (`IP` or `IP:PORT`).
    pub server: String,
    /// The serial it served; `None` when it did not answer with one.
    pub serial: Option<i64>,
    /// Why there is no serial.
    pub problem: Option<String>,
    /// When it was asked.
    pub checked_at: i64,
}

/// Records what a public server said about a zone (a newer look wins over an older one).
pub async fn record_server_serial<'e>(
    db: impl Executor<'e, Database = Any>,
    seen: &ServerSerial,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO zone_servers (zone, server, serial, problem, checked_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (zone, server) DO UPDATE SET serial = $3, problem = $4, checked_at = $5 \
         WHERE zone_servers.checked_at <= $5",
    )
    .bind(&seen.zone)
    .bind(&seen.server)
    .bind(seen.serial)
    .bind(seen.problem.as_deref())
    .bind(seen.checked_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Everything the public servers last said.
pub async fn server_serials<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<Vec<ServerSerial>, sqlx::Error> {
    sqlx::query_as(
        "SELECT zone, server, serial, problem, checked_at FROM zone_servers ORDER BY zone, server",
    )
    .fetch_all(db)
    .await
}

/// Forgets what a server (no longer configured) said.
pub async fn forget_server<'e>(
    db: impl Executor<'e, Database = Any>,
    server: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM zone_servers WHERE server = $1")
        .bind(server)
        .execute(db)
        .await?;
    Ok(())
}

/// The publication of one entry against what one public server serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryServer {
    /// The entry's address.
    pub ip: IpAddr,
    /// The serial its zone had when it was published.
    pub published_at: i64,
    /// The server.
    pub server: String,
    /// The serial the server last served (`None`: no answer).
    pub serving: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct EntryServerRow {
    address: Vec<u8>,
    zone_serial: i64,
    server: String,
    serial: Option<i64>,
}

/// For the entries of a page's assignments (at most `PAGE_SIZE` ids): their published serial
/// against each public server's, one row per entry and server. One statement whatever the
/// page holds.
pub async fn page_entry_servers<'e>(
    db: impl Executor<'e, Database = Any>,
    assignment_ids: &[i64],
) -> Result<Vec<EntryServer>, sqlx::Error> {
    use crate::db::inventory::PAGE_SIZE;
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let ids: Vec<String> = (1..=PAGE_SIZE).map(|n| format!("${n}")).collect();
        format!(
            "SELECT e.address, e.zone_serial, s.server, s.serial FROM entries e \
             JOIN zone_servers s ON s.zone = e.zone \
             WHERE e.assignment_id IN ({}) AND e.zone_serial IS NOT NULL \
             ORDER BY e.address, s.server",
            ids.join(", ")
        )
    });
    let mut query = sqlx::query_as::<_, EntryServerRow>(SQL.as_str());
    for n in 0..PAGE_SIZE as usize {
        query = query.bind(assignment_ids.get(n).copied().unwrap_or(-1));
    }
    let rows = query.fetch_all(db).await?;
    rows.into_iter()
        .map(|row| {
            let ip = address_from_key(&row.address)
                .ok_or_else(|| sqlx::Error::Decode("stored address is not 16 bytes".into()))?;
            Ok(EntryServer {
                ip,
                published_at: row.zone_serial,
                server: row.server,
                serving: row.serial,
            })
        })
        .collect()
}

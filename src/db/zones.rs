//! Reverse zones and their serials, and the reads the DNS server answers from.
//!
//! Serial policy: a zone's serial lives only here and is allocated by the database, in the
//! transaction of the change that alters the zone ([`bump_serial`]), so two nodes never publish
//! one serial for different contents. It follows the clock where it can: a new zone starts at
//! the current Unix time, and a bump gives `max(serial + 1, now)`, so even a re-created
//! database goes on above what secondaries hold (unless a zone saw more changes than seconds
//! passed).

use crate::domain::{address_from_key, address_key};
use sqlx::{Any, Executor};
use std::net::IpAddr;

/// Bumps the serial of the active zone that holds `ip` (if the zone sync has created it yet)
/// and returns the zone's name and new serial. Call it inside the write transaction of every
/// published change: on PostgreSQL the row lock makes a second writer wait and then count on
/// from the first one's serial.
///
/// The entry of `ip` is stamped with the zone and serial it is published at, for its live
/// status; so call it after the entry is written.
pub async fn bump_serial(
    conn: &mut sqlx::AnyConnection,
    ip: IpAddr,
    at: i64,
) -> Result<Option<(String, i64)>, sqlx::Error> {
    let bumped: Option<(String, i64)> = sqlx::query_as(
        "UPDATE zones SET serial = CASE WHEN serial + 1 > $2 THEN serial + 1 ELSE $2 END, updated_at = $2 \
         WHERE name = (SELECT name FROM zones WHERE active = 1 AND first_addr <= $1 \
                       ORDER BY first_addr DESC LIMIT 1) \
           AND last_addr >= $1 \
         RETURNING name, serial",
    )
    .bind(address_key(ip))
    .bind(at)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((zone, serial)) = &bumped {
        sqlx::query("UPDATE entries SET zone = $2, zone_serial = $3 WHERE address = $1")
            .bind(address_key(ip))
            .bind(zone)
            .bind(serial)
            .execute(&mut *conn)
            .await?;
    }
    Ok(bumped)
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

/// Creates the zone, or bumps its serial when its digest changed or it was inactive.
pub async fn sync_zone(
    db: &sqlx::AnyPool,
    zone: &WantedZone<'_>,
    now: i64,
) -> Result<Synced, sqlx::Error> {
    let created = sqlx::query(
        "INSERT INTO zones (name, first_addr, last_addr, serial, digest, active, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $4) ON CONFLICT (name) DO NOTHING",
    )
    .bind(zone.name)
    .bind(address_key(zone.first))
    .bind(address_key(zone.last))
    .bind(now)
    .bind(zone.digest)
    .execute(db)
    .await?;
    if created.rows_affected() == 1 {
        // Entries published before their zone existed are part of its first serial.
        sqlx::query(
            "UPDATE entries SET zone = $1, zone_serial = $2 \
             WHERE address >= $3 AND address <= $4 AND zone IS NULL",
        )
        .bind(zone.name)
        .bind(now)
        .bind(address_key(zone.first))
        .bind(address_key(zone.last))
        .execute(db)
        .await?;
        return Ok(Synced::Created);
    }
    let bumped = sqlx::query(
        "UPDATE zones SET serial = CASE WHEN serial + 1 > $3 THEN serial + 1 ELSE $3 END, \
                          digest = $2, active = 1, updated_at = $3 \
         WHERE name = $1 AND (digest IS NULL OR digest <> $2 OR active = 0)",
    )
    .bind(zone.name)
    .bind(zone.digest)
    .bind(now)
    .execute(db)
    .await?;
    Ok(if bumped.rows_affected() == 1 {
        Synced::Bumped
    } else {
        Synced::Unchanged
    })
}

/// Marks a zone as no longer served (its row and serial stay).
pub async fn deactivate<'e>(
    db: impl Executor<'e, Database = Any>,
    name: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE zones SET active = 0, updated_at = $2 WHERE name = $1 AND active = 1")
        .bind(name)
        .bind(at)
        .execute(db)
        .await?;
    Ok(())
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

/// Claims the NOTIFY of `serial` of zone `name`: true for exactly one caller across nodes
/// (the first to move `notified_serial` up to it), which then notifies the secondaries;
/// false when this serial (or a later one) was claimed already.
pub async fn claim_notify<'e>(
    db: impl Executor<'e, Database = Any>,
    name: &str,
    serial: i64,
) -> Result<bool, sqlx::Error> {
    let claimed = sqlx::query(
        "UPDATE zones SET notified_serial = $2 \
         WHERE name = $1 AND (notified_serial IS NULL OR notified_serial < $2)",
    )
    .bind(name)
    .bind(serial)
    .execute(db)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// The serial of one zone, if it has a row.
pub async fn serial_of<'e>(
    db: impl Executor<'e, Database = Any>,
    name: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT serial FROM zones WHERE name = $1")
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

/// The ranges one DNS question is about: its zone, and the addresses under its name (the
/// zone's own range at the apex, one address for an address name).
#[derive(Debug, Clone, Copy)]
pub struct Question<'a> {
    /// The zone's name.
    pub zone: &'a str,
    /// The zone's first address.
    pub zone_first: IpAddr,
    /// The zone's last address.
    pub zone_last: IpAddr,
    /// The first address under the question's name.
    pub node_first: IpAddr,
    /// The last address under the question's name.
    pub node_last: IpAddr,
}

/// What the database knows about one question's name.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NameFacts {
    /// The zone's serial, if the zone has an active row.
    pub serial: Option<i64>,
    /// An assignment overlapping the zone: the zone is served.
    pub zone_assignment: Option<i64>,
    /// An assignment overlapping the addresses under the name (holding the address, for an
    /// address name).
    pub node_assignment: Option<i64>,
    /// The first customer PTR under the name (the address's own, for an address name).
    pub hostname: Option<String>,
}

/// Everything needed to answer one question, in one statement of indexed look-ups: the
/// zone's serial, whether an assignment overlaps the zone and the name's addresses, and the
/// customer PTR under the name.
pub async fn facts<'e>(
    db: impl Executor<'e, Database = Any>,
    question: &Question<'_>,
) -> Result<NameFacts, sqlx::Error> {
    sqlx::query_as(
        "SELECT \
           (SELECT serial FROM zones WHERE name = $1 AND active = 1) AS serial, \
           (SELECT a.id FROM assignments a \
              WHERE a.id = (SELECT id FROM assignments WHERE first_addr <= $3 ORDER BY first_addr DESC LIMIT 1) \
                AND a.last_addr >= $2) AS zone_assignment, \
           (SELECT a.id FROM assignments a \
              WHERE a.id = (SELECT id FROM assignments WHERE first_addr <= $5 ORDER BY first_addr DESC LIMIT 1) \
                AND a.last_addr >= $4) AS node_assignment, \
           (SELECT e.hostname FROM entries e \
              WHERE e.address >= $4 AND e.address <= $5 AND e.hostname IS NOT NULL \
              ORDER BY e.address LIMIT 1) AS hostname",
    )
    .bind(question.zone)
    .bind(address_key(question.zone_first))
    .bind(address_key(question.zone_last))
    .bind(address_key(question.node_first))
    .bind(address_key(question.node_last))
    .fetch_one(db)
    .await
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

//! The staff side's look-ups (help-desk and admins): who holds an address, what a search
//! text finds, and what the IP dossier shows. Unlike [`crate::db::inventory::owned_ip`]
//! these take no customer: staff may see every customer's data, and only the `StaffUser`
//! extractor lets a request reach them.
//!
//! Speed: address and network searches are indexed range look-ups on `first_addr`
//! (assignments never overlap, so the one holding an address is the one with the greatest
//! start at or below it). Customer and server names are matched with `LIKE` on their small
//! tables; a hostname fragment is a `LIKE '%…%'` over `entries`, which no B-tree index can
//! serve: it scans, capped by the page's `LIMIT`.

use crate::domain::finding::Finding;
use crate::domain::{ChangeState, Network, address_from_key, address_key};
use sqlx::{Any, Executor};
use std::net::IpAddr;

/// An assignment with its server and customer, as staff see it.
#[derive(Debug, Clone)]
pub struct Holding {
    /// The assignment's row id.
    pub assignment_id: i64,
    /// What it covers.
    pub network: Network,
    /// The server it is on.
    pub server_name: String,
    /// The owner's row id.
    pub customer_id: i64,
    /// The owner's number.
    pub customer_number: String,
    /// The owner's name.
    pub customer_name: String,
}

#[derive(sqlx::FromRow)]
struct HoldingRow {
    id: i64,
    network: String,
    server_name: String,
    customer_id: i64,
    customer_number: String,
    customer_name: String,
}

impl HoldingRow {
    fn into_holding(self) -> Result<Holding, sqlx::Error> {
        let network = Network::parse(&self.network).map_err(|err| {
            sqlx::Error::Decode(format!("stored network {:?}: {err}", self.network).into())
        })?;
        Ok(Holding {
            assignment_id: self.id,
            network,
            server_name: self.server_name,
            customer_id: self.customer_id,
            customer_number: self.customer_number,
            customer_name: self.customer_name,
        })
    }
}

/// The columns and joins every assignment-shaped result shares.
macro_rules! holding_select {
    () => {
        "SELECT a.id, a.network, s.name AS server_name, c.id AS customer_id, \
                c.number AS customer_number, c.name AS customer_name \
         FROM assignments a JOIN servers s ON s.id = a.server_id JOIN customers c ON c.id = s.customer_id "
    };
}

/// Who holds `ip`: the assignment containing it (a single address, or any address inside a
/// subnet), with its server and customer; `None` when it is not assigned.
pub async fn holder<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
) -> Result<Option<Holding>, sqlx::Error> {
    let row: Option<HoldingRow> = sqlx::query_as(concat!(
        holding_select!(),
        "WHERE a.id = (SELECT id FROM assignments WHERE first_addr <= $1 ORDER BY first_addr DESC LIMIT 1) \
           AND a.last_addr >= $1"
    ))
    .bind(address_key(ip))
    .fetch_optional(db)
    .await?;
    match row {
        Some(row) => {
            let holding = row.into_holding()?;
            Ok(holding.network.contains(ip).then_some(holding))
        }
        None => Ok(None),
    }
}

/// Assignments starting inside `first..=last`, in address order, at most `limit`. With
/// [`holder`] of `first` this gives every assignment overlapping the range, both indexed.
pub async fn starting_between<'e>(
    db: impl Executor<'e, Database = Any>,
    first: IpAddr,
    last: IpAddr,
    limit: i64,
) -> Result<Vec<Holding>, sqlx::Error> {
    let rows: Vec<HoldingRow> = sqlx::query_as(concat!(
        holding_select!(),
        "WHERE a.first_addr >= $1 AND a.first_addr <= $2 ORDER BY a.first_addr LIMIT $3"
    ))
    .bind(address_key(first))
    .bind(address_key(last))
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(HoldingRow::into_holding).collect()
}

/// Assignments of customers whose number is `text` or whose name contains it (case
/// insensitive), by customer and address, at most `limit`.
pub async fn of_customers_matching<'e>(
    db: impl Executor<'e, Database = Any>,
    text: &str,
    limit: i64,
) -> Result<Vec<Holding>, sqlx::Error> {
    let rows: Vec<HoldingRow> = sqlx::query_as(concat!(
        holding_select!(),
        "WHERE LOWER(c.number) = $1 OR LOWER(c.name) LIKE $2 ESCAPE '\\' \
         ORDER BY c.number, a.first_addr LIMIT $3"
    ))
    .bind(text.to_lowercase())
    .bind(crate::db::inventory::like_pattern(&text.to_lowercase()))
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(HoldingRow::into_holding).collect()
}

/// Assignments on servers whose name contains `text` (case insensitive), at most `limit`.
pub async fn on_servers_matching<'e>(
    db: impl Executor<'e, Database = Any>,
    text: &str,
    limit: i64,
) -> Result<Vec<Holding>, sqlx::Error> {
    let rows: Vec<HoldingRow> = sqlx::query_as(concat!(
        holding_select!(),
        "WHERE LOWER(s.name) LIKE $1 ESCAPE '\\' ORDER BY s.name, c.number, a.first_addr LIMIT $2"
    ))
    .bind(crate::db::inventory::like_pattern(&text.to_lowercase()))
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(HoldingRow::into_holding).collect()
}

/// An entry whose PTR matched a hostname search.
#[derive(Debug, Clone)]
pub struct HostnameHit {
    /// The address.
    pub ip: IpAddr,
    /// Its PTR.
    pub hostname: String,
    /// The assignment holding it, with owner and server.
    pub holding: Holding,
}

#[derive(sqlx::FromRow)]
struct HostnameRow {
    address: Vec<u8>,
    hostname: String,
    id: i64,
    network: String,
    server_name: String,
    customer_id: i64,
    customer_number: String,
    customer_name: String,
}

/// Entries whose customer PTR contains `fragment` (stored names are lower-case ASCII), in
/// address order, at most `limit`. A `LIKE '%…%'` scan of `entries` (see the module doc).
pub async fn hostnames_containing<'e>(
    db: impl Executor<'e, Database = Any>,
    fragment: &str,
    limit: i64,
) -> Result<Vec<HostnameHit>, sqlx::Error> {
    let rows: Vec<HostnameRow> = sqlx::query_as(
        "SELECT e.address, e.hostname, a.id, a.network, s.name AS server_name, c.id AS customer_id, \
                c.number AS customer_number, c.name AS customer_name \
         FROM entries e JOIN assignments a ON a.id = e.assignment_id \
         JOIN servers s ON s.id = a.server_id JOIN customers c ON c.id = s.customer_id \
         WHERE e.hostname LIKE $1 ESCAPE '\\' ORDER BY e.address LIMIT $2",
    )
    .bind(crate::db::inventory::like_pattern(&fragment.to_lowercase()))
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            let ip = address_from_key(&row.address)
                .ok_or_else(|| sqlx::Error::Decode("stored address is not 16 bytes".into()))?;
            let holding = HoldingRow {
                id: row.id,
                network: row.network,
                server_name: row.server_name,
                customer_id: row.customer_id,
                customer_number: row.customer_number,
                customer_name: row.customer_name,
            }
            .into_holding()?;
            Ok(HostnameHit {
                ip,
                hostname: row.hostname,
                holding,
            })
        })
        .collect()
}

/// The entry in force for an address, with what the checks found when it was published.
#[derive(Debug, Clone)]
pub struct EntryInForce {
    /// The customer's PTR; `None` when the default applies.
    pub hostname: Option<String>,
    /// Bumped by every change.
    pub version: i64,
    /// When it was last written.
    pub updated_at: i64,
    /// The findings of the change that published it (warnings kept).
    pub findings: Vec<Finding>,
    /// The zone it was published in, and that zone's serial then.
    pub published_in: Option<(String, i64)>,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    hostname: Option<String>,
    version: i64,
    updated_at: i64,
    findings: Option<String>,
    zone: Option<String>,
    zone_serial: Option<i64>,
}

fn decode_findings(json: &str) -> Result<Vec<Finding>, sqlx::Error> {
    serde_json::from_str(json).map_err(|err| sqlx::Error::Decode(Box::new(err)))
}

/// The entry of `ip` with its findings, if one was ever written.
pub async fn entry_in_force<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
) -> Result<Option<EntryInForce>, sqlx::Error> {
    let row: Option<EntryRow> = sqlx::query_as(
        "SELECT e.hostname, e.version, e.updated_at, c.findings, e.zone, e.zone_serial \
         FROM entries e LEFT JOIN changes c ON c.id = e.change_id WHERE e.address = $1",
    )
    .bind(address_key(ip))
    .fetch_optional(db)
    .await?;
    row.map(|row| {
        Ok(EntryInForce {
            hostname: row.hostname,
            version: row.version,
            updated_at: row.updated_at,
            findings: match row.findings {
                Some(json) => decode_findings(&json)?,
                None => Vec::new(),
            },
            published_in: row.zone.zip(row.zone_serial),
        })
    })
    .transpose()
}

/// A change of one address as the dossier shows it.
#[derive(Debug, Clone)]
pub struct ChangeSummary {
    /// Row id.
    pub id: i64,
    /// The requested name; `None` for a reset.
    pub requested_hostname: Option<String>,
    /// Where it stands.
    pub state: ChangeState,
    /// What the checks found.
    pub findings: Vec<Finding>,
    /// The customer's justification of a review request.
    pub justification: Option<String>,
    /// An admin's note.
    pub note: Option<String>,
    /// Whether a newer request replaced it.
    pub superseded: bool,
    /// When it was asked for.
    pub created_at: i64,
    /// When it last moved.
    pub updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    id: i64,
    requested_hostname: Option<String>,
    state: String,
    findings: String,
    justification: Option<String>,
    note: Option<String>,
    superseded_by: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

/// The latest change of `ip` (any state): its findings are the last ones recorded.
pub async fn latest_change<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
) -> Result<Option<ChangeSummary>, sqlx::Error> {
    let row: Option<ChangeRow> = sqlx::query_as(
        "SELECT id, requested_hostname, state, findings, justification, note, superseded_by, created_at, updated_at \
         FROM changes WHERE address = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(address_key(ip))
    .fetch_optional(db)
    .await?;
    row.map(|row| {
        let state = ChangeState::parse(&row.state)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown state {:?}", row.state).into()))?;
        Ok(ChangeSummary {
            id: row.id,
            requested_hostname: row.requested_hostname,
            state,
            findings: decode_findings(&row.findings)?,
            justification: row.justification,
            note: row.note,
            superseded: row.superseded_by.is_some(),
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    })
    .transpose()
}

/// The reverse zone ptrdesk's DNS serves `ip` in, with its serial; `None` when no active
/// zone covers it (DNS publishing is off, or the zone sync has not seen it yet).
pub async fn serving_zone<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
) -> Result<Option<(String, i64)>, sqlx::Error> {
    let key = address_key(ip);
    sqlx::query_as(
        "SELECT name, serial FROM zones WHERE active = 1 AND first_addr <= $1 AND last_addr >= $1 \
         ORDER BY first_addr DESC LIMIT 1",
    )
    .bind(key)
    .fetch_optional(db)
    .await
}

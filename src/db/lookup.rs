//! The staff side's look-ups (help-desk and admins): who holds an address, what a search
//! text finds, and what the IP dossier shows. Unlike [`crate::db::inventory::owned_ip`]
//! these take no customer: staff may see every customer's data, and only the `StaffUser`
//! extractor lets a request reach them.
//!
//! Speed: address and network searches are indexed range look-ups on `first_addr`
//! (assignments never overlap, so the one holding an address is the one with the greatest
//! start at or below it). "Contains this fragment" searches of customer and server names go
//! through trigram indexes, which no portable SQL can express: this module holds the one
//! engine-specific query of each, side by side — SQLite's FTS5 `trigram` tables
//! (`customers_search`, `servers_search`, kept in step by triggers) and PostgreSQL's `pg_trgm`
//! GIN indexes under a plain `LIKE` (migrations 0007). Host names have had no trigram index
//! since migration 0076 (keeping it cost every write of an entry more than the rest of the
//! write): each node's in-memory host-name index ([`crate::search`]) lists the entries whose
//! PTR contains a fragment, in address order, and [`hostnames_among`] checks them against
//! what the database holds. A fragment needs [`MIN_FRAGMENT`] characters; and a fragment can
//! match half the data, so a customer or server name search looks at most at [`MAX_MATCHES`]
//! matching rows (the first found), then orders those; a host-name search shows the first
//! matches in address order.

use crate::db::batch::{self, Placeholders, Statement};
use crate::db::inventory::like_pattern;
use crate::db::{Db, Engine};
use crate::domain::finding::Finding;
use crate::domain::{ChangeState, Network, address_from_key, address_key};
use sqlx::{Any, AnyConnection, Executor};
use std::net::IpAddr;

/// The shortest fragment a name search takes: a trigram index finds nothing shorter (and a
/// host-name search of one or two characters would list half the data).
pub const MIN_FRAGMENT: usize = 3;
/// The most matching rows a name search looks at; past that, the search must be narrowed.
/// One more than the 1,000 results the lookup page can show, so it knows there are more.
pub const MAX_MATCHES: i64 = 1_001;

/// Starts the transaction a text search's queries run in (`READ ONLY` on PostgreSQL; on
/// SQLite a deferred one, which only reads): one snapshot for the customer, server and
/// host-name parts. On PostgreSQL it also plans those statements once
/// (`plan_cache_mode = force_generic_plan`, for this transaction only): a statement whose
/// plan depends on a `LIKE` pattern is otherwise planned again at every execution, and
/// planning the customer and server queries cost PostgreSQL more than running them (a
/// customer-number search went from 1,650 to 3,120/s at 16 connections, scale 1). The
/// generic plans keep the trigram indexes: the pattern's selectivity does not change which
/// index answers a `LIKE` with a leading `%`.
pub async fn begin_text_search(
    conn: &mut AnyConnection,
    engine: Engine,
) -> Result<sqlx::Transaction<'_, Any>, sqlx::Error> {
    match engine {
        Engine::Postgres => {
            sqlx::Connection::begin_with(
                conn,
                "BEGIN READ ONLY; SET LOCAL plan_cache_mode = force_generic_plan",
            )
            .await
        }
        Engine::Sqlite => sqlx::Connection::begin(conn).await,
    }
}

/// Merges the name search indexes into one segment each, after a bulk load. SQLite's FTS5 tables
/// grow a segment per write and merge them only now and then: after a million rows written
/// one by one, a search reads several segments per trigram and takes about six times as long
/// as on a merged index. PostgreSQL's GIN indexes need nothing of the sort.
pub async fn compact_search_indexes(db: &Db) -> Result<(), sqlx::Error> {
    if db.engine == Engine::Sqlite {
        for statement in [
            "INSERT INTO customers_search (customers_search) VALUES ('optimize')",
            "INSERT INTO servers_search (servers_search) VALUES ('optimize')",
        ] {
            sqlx::query(statement).execute(&db.pool).await?;
        }
    }
    Ok(())
}

/// Whether `text` is long enough for a name search.
pub fn searchable(text: &str) -> bool {
    text.chars().count() >= MIN_FRAGMENT
}

/// `text` as an FTS5 string (a phrase): with the trigram tokenizer it matches every value that
/// contains `text`, whatever the case.
fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

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
/// insensitive; the name only for a [`searchable`] text), by customer and address, at most
/// `limit`. Only the first `limit` matching customers (by number) that hold anything are
/// joined, so a text that matches thousands of customers stays cheap.
pub async fn of_customers_matching(
    conn: &mut AnyConnection,
    engine: Engine,
    text: &str,
    limit: i64,
) -> Result<Vec<Holding>, sqlx::Error> {
    // The matching customers first, each way of matching its own indexed query (an `OR` of
    // the two would have PostgreSQL scan every customer).
    macro_rules! customers_where {
        ($name_match:literal) => {
            concat!(
                "WITH matched AS (\
                   SELECT id, number FROM customers WHERE LOWER(number) = $1 AND assignment_count > 0",
                $name_match,
                " ORDER BY number LIMIT $2) ",
                holding_select!(),
                "JOIN matched m ON m.id = c.id ORDER BY c.number, a.first_addr LIMIT $2"
            )
        };
    }
    let lower = text.to_lowercase();
    if !searchable(text) {
        let rows: Vec<HoldingRow> = sqlx::query_as(customers_where!(""))
            .bind(lower)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?;
        return rows.into_iter().map(HoldingRow::into_holding).collect();
    }
    // Engine-specific: the name match goes through the trigram index (see the module doc).
    let (sql, name_match) = match engine {
        Engine::Sqlite => (
            customers_where!(
                " UNION SELECT id, number FROM customers WHERE assignment_count > 0 AND id IN \
                   (SELECT rowid FROM customers_search WHERE customers_search MATCH $3 LIMIT $4)"
            ),
            fts_phrase(text),
        ),
        Engine::Postgres => (
            customers_where!(
                " UNION SELECT id, number FROM customers WHERE assignment_count > 0 AND id IN \
                   (SELECT id FROM customers WHERE LOWER(name) LIKE $3 ESCAPE '\\' LIMIT $4)"
            ),
            like_pattern(&lower),
        ),
    };
    let rows: Vec<HoldingRow> = sqlx::query_as(sql)
        .bind(lower)
        .bind(limit)
        .bind(name_match)
        .bind(MAX_MATCHES)
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter().map(HoldingRow::into_holding).collect()
}

/// Assignments on servers whose name contains `text` (case insensitive, a [`searchable`]
/// text), by server name, customer and address, at most `limit`. Only the first `limit`
/// matching servers that hold anything are joined.
pub async fn on_servers_matching(
    conn: &mut AnyConnection,
    engine: Engine,
    text: &str,
    limit: i64,
) -> Result<Vec<Holding>, sqlx::Error> {
    macro_rules! servers_where {
        ($name_match:literal) => {
            concat!(
                "WITH matched AS (SELECT s.id FROM servers s JOIN customers c ON c.id = s.customer_id \
                   WHERE s.id IN (",
                $name_match,
                ") AND EXISTS (SELECT 1 FROM assignments a WHERE a.server_id = s.id) \
                   ORDER BY s.name, c.number LIMIT $2) ",
                holding_select!(),
                "JOIN matched m ON m.id = s.id ORDER BY s.name, c.number, a.first_addr LIMIT $2"
            )
        };
    }
    if !searchable(text) {
        return Ok(Vec::new());
    }
    // Engine-specific: the name match goes through the trigram index (see the module doc).
    let (sql, name_match) = match engine {
        Engine::Sqlite => (
            servers_where!(
                "SELECT rowid FROM servers_search WHERE servers_search MATCH $1 LIMIT $3"
            ),
            fts_phrase(text),
        ),
        Engine::Postgres => (
            servers_where!("SELECT id FROM servers WHERE LOWER(name) LIKE $1 ESCAPE '\\' LIMIT $3"),
            like_pattern(&text.to_lowercase()),
        ),
    };
    let rows: Vec<HoldingRow> = sqlx::query_as(sql)
        .bind(name_match)
        .bind(limit)
        .bind(MAX_MATCHES)
        .fetch_all(&mut *conn)
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

impl HostnameRow {
    fn into_hit(self) -> Result<HostnameHit, sqlx::Error> {
        let ip = address_from_key(&self.address)
            .ok_or_else(|| sqlx::Error::Decode("stored address is not 16 bytes".into()))?;
        let holding = HoldingRow {
            id: self.id,
            network: self.network,
            server_name: self.server_name,
            customer_id: self.customer_id,
            customer_number: self.customer_number,
            customer_name: self.customer_name,
        }
        .into_holding()?;
        Ok(HostnameHit {
            ip,
            hostname: self.hostname,
            holding,
        })
    }
}

/// Entries among `ids` whose customer PTR contains `fragment` (lower-case ASCII, as stored),
/// in address order, at most `limit`: the candidates of the in-memory host-name index
/// ([`crate::search`]) checked against what the database holds now. A statement per
/// [`batch::MAX_ROWS`] ids.
pub async fn hostnames_among(
    conn: &mut AnyConnection,
    engine: Engine,
    ids: &[i64],
    fragment: &str,
    limit: i64,
) -> Result<Vec<HostnameHit>, sqlx::Error> {
    let mut hits = Vec::new();
    for chunk in ids.chunks(batch::MAX_ROWS) {
        // Engine-specific: the position of a substring (`instr` / `strpos`; no pattern, so
        // the fragment needs no escaping).
        let contains = match engine {
            Engine::Sqlite => "instr(e.hostname, ",
            Engine::Postgres => "strpos(e.hostname, ",
        };
        let mut statement = Statement::new(
            Placeholders::of(conn),
            "SELECT e.address, e.hostname, a.id, a.network, s.name AS server_name, \
                    c.id AS customer_id, c.number AS customer_number, c.name AS customer_name \
             FROM entries e JOIN assignments a ON a.id = e.assignment_id \
             JOIN servers s ON s.id = a.server_id JOIN customers c ON c.id = s.customer_id \
             WHERE ",
        );
        statement
            .push(contains)
            .parameter()
            .push(") > 0 AND e.id IN (");
        statement
            .list(chunk.len())
            .push(") ORDER BY e.address LIMIT ");
        statement.parameter();
        let mut query = sqlx::query_as::<_, HostnameRow>(statement.into_sql()).bind(fragment);
        for id in chunk {
            query = query.bind(*id);
        }
        for row in query.bind(limit).fetch_all(&mut *conn).await? {
            hits.push(row.into_hit()?);
        }
    }
    if ids.len() > batch::MAX_ROWS {
        hits.sort_by_key(|hit| crate::domain::address_number(hit.ip));
        hits.truncate(usize::try_from(limit).unwrap_or(0));
    }
    Ok(hits)
}

/// Every entry in `first..=last`, in address order, streamed into `each` as (id, address,
/// PTR; `None` for the default): what the host-name index ([`crate::search`]) reads at start
/// and after a change of the range.
pub async fn each_entry_between(
    conn: &mut AnyConnection,
    first: IpAddr,
    last: IpAddr,
    mut each: impl FnMut(i64, u128, Option<String>),
) -> Result<(), sqlx::Error> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query_as::<_, (i64, Vec<u8>, Option<String>)>(
        "SELECT id, address, hostname FROM entries \
         WHERE address >= $1 AND address <= $2 ORDER BY address",
    )
    .bind(address_key(first))
    .bind(address_key(last))
    .fetch(&mut *conn);
    while let Some((id, address, hostname)) = rows.try_next().await? {
        let number = address_from_key(&address)
            .map(crate::domain::address_number)
            .ok_or_else(|| sqlx::Error::Decode("stored address is not 16 bytes".into()))?;
        each(id, number, hostname);
    }
    Ok(())
}

/// A host name fragment as stored names spell it: lower case, and each dot-separated part
/// that is not ASCII in its `xn--` form (so `bücher.example` finds `xn--bcher-kva.example`;
/// a part of a label only matches when it is ASCII). `None` when a part cannot be a label.
pub fn ascii_fragment(fragment: &str) -> Option<String> {
    let lower = fragment.to_lowercase();
    if lower.is_ascii() {
        return Some(lower);
    }
    lower
        .split('.')
        .map(|part| {
            if part.is_ascii() {
                Some(part.to_owned())
            } else {
                idna::domain_to_ascii(part).ok()
            }
        })
        .collect::<Option<Vec<_>>>()
        .map(|parts| parts.join("."))
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

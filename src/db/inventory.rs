//! Servers and IP assignments, and THE ownership query: [`owned_ip`] (and [`owned_ips`], the
//! same question for many addresses in one statement) is the only way to get an [`OwnedIp`],
//! and the write path takes nothing else, so no door can skip it.

use crate::domain::finding::Finding;
use crate::domain::{ChangeState, Network, address_from_key, address_key};
use sqlx::{Any, Executor};
use std::net::IpAddr;
use std::sync::LazyLock;

/// An IP proven to belong to a customer, with the assignment that holds it.
#[derive(Debug, Clone)]
pub struct OwnedIp {
    ip: IpAddr,
    customer_id: i64,
    assignment_id: i64,
    network: Network,
}

impl OwnedIp {
    /// The address.
    pub fn ip(&self) -> IpAddr {
        self.ip
    }
    /// The customer it belongs to.
    pub fn customer_id(&self) -> i64 {
        self.customer_id
    }
    /// The assignment holding it.
    pub fn assignment_id(&self) -> i64 {
        self.assignment_id
    }
    /// What that assignment covers.
    pub fn network(&self) -> Network {
        self.network
    }
}

#[derive(sqlx::FromRow)]
struct HoldingRow {
    id: i64,
    network: String,
}

/// Does `customer_id` own `ip`? Returns it with its assignment, or `None` (a 404 for every
/// door). Assignments never overlap, so the one with the greatest start at or below the
/// address is the only candidate; the index on `first_addr` finds it directly.
pub async fn owned_ip<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    ip: IpAddr,
) -> Result<Option<OwnedIp>, sqlx::Error> {
    let key = address_key(ip);
    let row: Option<HoldingRow> = sqlx::query_as(
        "SELECT a.id, a.network FROM assignments a JOIN servers s ON s.id = a.server_id \
         WHERE a.id = (SELECT id FROM assignments WHERE first_addr <= $2 ORDER BY first_addr DESC LIMIT 1) \
           AND a.last_addr >= $2 AND s.customer_id = $1",
    )
    .bind(customer_id)
    .bind(key)
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|row| {
        let network = Network::parse(&row.network).ok()?;
        network.contains(ip).then_some(OwnedIp {
            ip,
            customer_id,
            assignment_id: row.id,
            network,
        })
    }))
}

/// [`owned_ip`] for many addresses at once (a bulk's): the same look-up for each address, a
/// statement per [`super::batch::MAX_ROWS`] addresses instead of one per address. Answers
/// the addresses `customer_id` owns; the others are not in the map.
pub async fn owned_ips(
    conn: &mut sqlx::AnyConnection,
    customer_id: i64,
    ips: &[IpAddr],
) -> Result<std::collections::HashMap<IpAddr, OwnedIp>, sqlx::Error> {
    use super::batch::{self, Placeholders, Statement};
    let mut owned = std::collections::HashMap::with_capacity(ips.len());
    for chunk in ips.chunks(batch::MAX_ROWS) {
        // `column1`: the name both engines give a VALUES list's first column.
        let mut statement = Statement::new(
            Placeholders::of(conn),
            "SELECT v.column1 AS address, a.id, a.network FROM (VALUES ",
        );
        statement.tuples(chunk.len(), 1).push(
            ") AS v JOIN assignments a ON a.id = (SELECT id FROM assignments \
               WHERE first_addr <= v.column1 ORDER BY first_addr DESC LIMIT 1) \
             JOIN servers s ON s.id = a.server_id \
             WHERE a.last_addr >= v.column1 AND s.customer_id = ",
        );
        statement.parameter();
        let mut query = sqlx::query_as::<_, (Vec<u8>, i64, String)>(statement.into_sql());
        for ip in chunk {
            query = query.bind(address_key(*ip));
        }
        for (key, id, network) in query.bind(customer_id).fetch_all(&mut *conn).await? {
            let (Some(ip), Ok(network)) = (address_from_key(&key), Network::parse(&network)) else {
                continue;
            };
            if network.contains(ip) {
                owned.insert(
                    ip,
                    OwnedIp {
                        ip,
                        customer_id,
                        assignment_id: id,
                        network,
                    },
                );
            }
        }
    }
    Ok(owned)
}

/// Who holds `ip` now, whoever it is: the address with its customer and assignment, or
/// `None` when no assignment holds it (for the operator's tools, never a customer's door).
pub async fn holder_of<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
) -> Result<Option<OwnedIp>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct HolderRow {
        id: i64,
        network: String,
        customer_id: i64,
    }
    let row: Option<HolderRow> = sqlx::query_as(
        "SELECT a.id, a.network, s.customer_id FROM assignments a JOIN servers s ON s.id = a.server_id \
         WHERE a.id = (SELECT id FROM assignments WHERE first_addr <= $1 ORDER BY first_addr DESC LIMIT 1) \
           AND a.last_addr >= $1",
    )
    .bind(address_key(ip))
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|row| {
        let network = Network::parse(&row.network).ok()?;
        network.contains(ip).then_some(OwnedIp {
            ip,
            customer_id: row.customer_id,
            assignment_id: row.id,
            network,
        })
    }))
}

/// Locks assignment `id` for the rest of the write transaction, shared, and answers the
/// customer holding it now (`None`: it was removed). Writers of its addresses hold it
/// together; a move or a removal ([`super::admin::lock_assignment`]) waits until they commit,
/// and they wait for it, then read who holds it after it. SQLite's `BEGIN IMMEDIATE` already
/// serialises every writer. In the lock order (see [`super::lock_address`]) assignments come
/// first.
pub async fn holder_locked(tx: &mut super::Tx, id: i64) -> Result<Option<i64>, sqlx::Error> {
    Ok(held_locked(tx, id).await?.map(|held| held.customer_id))
}

/// Who holds an assignment, read under its lock ([`holder_locked`]).
struct HeldNow {
    customer_id: i64,
    /// The name servers it is delegated to, space-separated (`None`: not delegated).
    delegated_to: Option<String>,
}

async fn held_locked(tx: &mut super::Tx, id: i64) -> Result<Option<HeldNow>, sqlx::Error> {
    let sql = if tx.backend_name() == "PostgreSQL" {
        "SELECT server_id, delegated_to FROM assignments WHERE id = $1 FOR SHARE"
    } else {
        "SELECT server_id, delegated_to FROM assignments WHERE id = $1"
    };
    let row: Option<(i64, Option<String>)> = sqlx::query_as(sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some((server, delegated_to)) = row else {
        return Ok(None);
    };
    let customer: Option<i64> = sqlx::query_scalar("SELECT customer_id FROM servers WHERE id = $1")
        .bind(server)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(customer.map(|customer_id| HeldNow {
        customer_id,
        delegated_to,
    }))
}

/// What a write finds when it asks again, under the assignment's lock, about an address it
/// proved to be the customer's before its checks ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StillOwned {
    /// The customer still holds it through the same assignment.
    Yes,
    /// It does, but the assignment is delegated to these name servers.
    Delegated(Vec<String>),
    /// The assignment moved to another customer or went away.
    No,
}

/// Whether the customer of `owned` still holds it through the same assignment, asked under
/// the assignment's lock ([`holder_locked`]): the check a write makes again inside its
/// transaction, since the first one ran before seconds of DNS checks; with the delegation,
/// read in the same look.
pub async fn still_owned(tx: &mut super::Tx, owned: &OwnedIp) -> Result<StillOwned, sqlx::Error> {
    let held = held_locked(tx, owned.assignment_id).await?;
    Ok(still_owned_by(held.as_ref(), owned))
}

/// What `held` (the assignment of `owned` as read under its lock) says about `owned`.
fn still_owned_by(held: Option<&HeldNow>, owned: &OwnedIp) -> StillOwned {
    match held {
        Some(held) if held.customer_id == owned.customer_id => match &held.delegated_to {
            Some(servers) => {
                StillOwned::Delegated(servers.split_whitespace().map(str::to_owned).collect())
            }
            None => StillOwned::Yes,
        },
        _ => StillOwned::No,
    }
}

/// [`still_owned`] for many addresses at once, in the order given: one statement per
/// [`super::batch::MAX_ROWS`] assignments. Only for a transaction that holds every one of
/// their assignments exclusively already ([`super::PublishTx::lock_assignments`]), so the
/// answer cannot move before it commits.
pub async fn still_owned_all(
    tx: &mut super::Tx,
    owned: &[&OwnedIp],
) -> Result<Vec<StillOwned>, sqlx::Error> {
    use super::batch::{self, Placeholders, Statement};
    let mut ids: Vec<i64> = owned.iter().map(|owned| owned.assignment_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut held: std::collections::HashMap<i64, HeldNow> =
        std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(batch::MAX_ROWS) {
        let mut statement = Statement::new(
            Placeholders::of(tx),
            "SELECT a.id, s.customer_id, a.delegated_to FROM assignments a \
             JOIN servers s ON s.id = a.server_id WHERE a.id IN (",
        );
        statement.list(chunk.len()).push(")");
        let mut query = sqlx::query_as::<_, (i64, i64, Option<String>)>(statement.into_sql());
        for id in chunk {
            query = query.bind(*id);
        }
        for (id, customer_id, delegated_to) in query.fetch_all(&mut **tx).await? {
            held.insert(
                id,
                HeldNow {
                    customer_id,
                    delegated_to,
                },
            );
        }
    }
    Ok(owned
        .iter()
        .map(|owned| still_owned_by(held.get(&owned.assignment_id), owned))
        .collect())
}

/// A server of a customer, for the filter.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Server {
    /// Row id.
    pub id: i64,
    /// The customer's name for it.
    pub name: String,
}

/// Adds a server and returns its id.
pub async fn insert_server<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    name: &str,
    at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO servers (customer_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(customer_id)
    .bind(name)
    .bind(at)
    .fetch_one(db)
    .await
}

/// The id of the customer's server called `name`.
pub async fn find_server<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    name: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM servers WHERE customer_id = $1 AND name = $2")
        .bind(customer_id)
        .bind(name)
        .fetch_optional(db)
        .await
}

/// The customer's first `limit` servers by name (the page's server filter lists a few; past
/// that, the customer types a name).
pub async fn first_servers_of<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    limit: i64,
) -> Result<Vec<Server>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM servers WHERE customer_id = $1 ORDER BY name, id LIMIT $2")
        .bind(customer_id)
        .bind(limit)
        .fetch_all(db)
        .await
}

/// The customer's servers by name.
pub async fn servers_of<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
) -> Result<Vec<Server>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM servers WHERE customer_id = $1 ORDER BY name, id")
        .bind(customer_id)
        .fetch_all(db)
        .await
}

/// Adds an assignment to a server and returns its id.
pub async fn insert_assignment<'e>(
    db: impl Executor<'e, Database = Any>,
    server_id: i64,
    network: &Network,
    at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO assignments (server_id, network, family, prefix_len, first_addr, last_addr, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(server_id)
    .bind(network.to_string())
    .bind(network.family())
    .bind(i64::from(network.prefix_len()))
    .bind(address_key(network.first()))
    .bind(address_key(network.last()))
    .bind(at)
    .fetch_one(db)
    .await
}

/// Adds an assignment unless it overlaps one: `Ok(Err(existing))` names the overlapped
/// network (`None`: one added by another transaction at the same moment, refused by the
/// database's trigger of migration 0010; on PostgreSQL the transaction is then aborted).
pub async fn add_assignment(
    tx: &mut super::Tx,
    server_id: i64,
    network: &Network,
    at: i64,
) -> Result<Result<i64, Option<String>>, sqlx::Error> {
    if let Some(existing) = overlapping(&mut **tx, network).await? {
        return Ok(Err(Some(existing)));
    }
    match insert_assignment(&mut **tx, server_id, network, at).await {
        Ok(id) => Ok(Ok(id)),
        Err(err) if is_overlap_violation(&err) => Ok(Err(None)),
        Err(err) => Err(err),
    }
}

/// Whether an insert was refused by the constraint that assignments never overlap
/// (the trigger of migration 0010 on either engine; SQLSTATE 23P01 on PostgreSQL).
pub fn is_overlap_violation(err: &sqlx::Error) -> bool {
    err.as_database_error().is_some_and(|db_err| {
        db_err.code().as_deref() == Some("23P01")
            || db_err.message().contains("assignments_never_overlap")
    })
}

/// An existing assignment that overlaps `network`, if any. Assignments never overlap, so the
/// one starting last at or before the network's end is the only one that can reach into it:
/// one indexed look-up (the trigger of migration 0010 asks the same), where `first_addr <= end
/// AND last_addr >= start` walked half the index at provider scale.
pub async fn overlapping<'e>(
    db: impl Executor<'e, Database = Any>,
    network: &Network,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT network FROM (SELECT network, last_addr FROM assignments WHERE first_addr <= $2 \
         ORDER BY first_addr DESC LIMIT 1) AS last_before WHERE last_addr >= $1",
    )
    .bind(address_key(network.first()))
    .bind(address_key(network.last()))
    .fetch_optional(db)
    .await
}

/// What the customer's page is narrowed to; every field is optional.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only this server.
    pub server_id: Option<i64>,
    /// Only servers whose name contains this (lower case).
    pub server_name: Option<String>,
    /// Only assignments overlapping this address range (first, last).
    pub range: Option<(IpAddr, IpAddr)>,
    /// Only assignments whose network text contains this.
    pub network_text: Option<String>,
    /// Only assignments with an entry whose hostname contains this (lower case).
    pub hostname: Option<String>,
}

impl ListFilter {
    /// Whether nothing narrows the list.
    pub fn is_empty(&self) -> bool {
        self.server_id.is_none()
            && self.server_name.is_none()
            && self.range.is_none()
            && self.network_text.is_none()
            && self.hostname.is_none()
    }
}

/// One assignment of a listing page.
#[derive(Debug, Clone)]
pub struct ListedAssignment {
    /// Row id.
    pub id: i64,
    /// The server it is on.
    pub server_id: i64,
    /// That server's name.
    pub server_name: String,
    /// What it covers.
    pub network: Network,
    /// Whether an admin allows delegating it to the customer's name servers.
    pub delegation_allowed: bool,
    /// The name servers it is delegated to (empty: not delegated).
    pub delegated_to: Vec<String>,
}

/// The filter clause shared by [`count_assignments`] and [`assignments_page`]; `$1` is the
/// customer, `$2`–`$7` the optional filters (NULL means "not filtered").
macro_rules! listing_where {
    () => {
        " FROM assignments a JOIN servers s ON s.id = a.server_id \
          WHERE s.customer_id = $1 \
            AND ($2 IS NULL OR s.id = $2) \
            AND ($3 IS NULL OR (a.first_addr <= $4 AND a.last_addr >= $3)) \
            AND ($5 IS NULL OR a.network LIKE $5 ESCAPE '\\' \
                 OR EXISTS (SELECT 1 FROM entries e WHERE e.assignment_id = a.id AND e.address_text LIKE $5 ESCAPE '\\')) \
            AND ($6 IS NULL OR EXISTS (SELECT 1 FROM entries e WHERE e.assignment_id = a.id AND e.hostname LIKE $6 ESCAPE '\\')) \
            AND ($7 IS NULL OR LOWER(s.name) LIKE $7 ESCAPE '\\') "
    };
}

fn bind_filter<'q>(
    query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments>,
    customer_id: i64,
    filter: &ListFilter,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments> {
    query
        .bind(customer_id)
        .bind(filter.server_id)
        .bind(filter.range.map(|(first, _)| address_key(first)))
        .bind(filter.range.map(|(_, last)| address_key(last)))
        .bind(filter.network_text.as_deref().map(like_pattern))
        .bind(filter.hostname.as_deref().map(like_pattern))
        .bind(filter.server_name.as_deref().map(like_pattern))
}

/// Assignments on one page of the customer's list.
pub const PAGE_SIZE: i64 = 25;

/// `$1, …, $25`: a page's assignment ids. The SQL text stays fixed whatever the page holds;
/// unused places get -1, which no row has.
pub(super) fn page_id_placeholders() -> String {
    (1..=PAGE_SIZE)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn bind_page_ids<'q>(
    mut query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments>,
    ids: &[i64],
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments> {
    debug_assert!(
        ids.len() as i64 <= PAGE_SIZE,
        "a page has at most PAGE_SIZE assignments"
    );
    for n in 0..PAGE_SIZE as usize {
        query = query.bind(ids.get(n).copied().unwrap_or(-1));
    }
    query
}

/// `%text%` with LIKE's own characters escaped.
pub fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// What the customer's unfiltered page needs to know before its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListingFacts {
    /// How many assignments the customer holds.
    pub assignments: i64,
    /// Whether any public name server's serial is known (without, no entry has a live status).
    pub live_status_kept: bool,
}

#[derive(sqlx::FromRow)]
struct ListingFactsRow {
    assignment_count: i64,
    live_status_kept: i64,
}

/// [`ListingFacts`] in one statement: the assignment count is a counter the database keeps
/// (migration 0007), so the page does not count thousands of rows each time; whether live
/// statuses are kept is one look at `zone_servers` and one at the publishing backends
/// (`outbox_targets`), so a node without public name servers
/// skips the live-status query.
pub async fn listing_facts<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
) -> Result<ListingFacts, sqlx::Error> {
    let row: Option<ListingFactsRow> = sqlx::query_as(
        "SELECT c.assignment_count, \
                (SELECT COUNT(*) FROM (SELECT 1 AS known FROM zone_servers LIMIT 1) AS z) \
                + (SELECT COUNT(*) FROM (SELECT 1 AS known FROM outbox_targets \
                                         WHERE kind <> 'notify' LIMIT 1) AS p) AS live_status_kept \
         FROM customers c WHERE c.id = $1",
    )
    .bind(customer_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map_or(
        ListingFacts {
            assignments: 0,
            live_status_kept: false,
        },
        |row| ListingFacts {
            assignments: row.assignment_count,
            live_status_kept: row.live_status_kept > 0,
        },
    ))
}

/// What validates the customer's cached page: the number the triggers of migration 0075 move
/// with every write the page shows, and whether live statuses are kept (see [`ListingFacts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageStamp {
    /// The customer's page version (0 before the first write).
    pub version: i64,
    /// Whether any public name server or publishing backend is configured.
    pub live_status_kept: bool,
}

#[derive(sqlx::FromRow)]
struct PageStampRow {
    version: i64,
    live_status_kept: i64,
}

/// [`PageStamp`] in one statement: one primary-key look-up and two one-row looks.
pub async fn page_stamp<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
) -> Result<PageStamp, sqlx::Error> {
    let row: PageStampRow = sqlx::query_as(
        "SELECT COALESCE((SELECT version FROM page_versions WHERE customer_id = $1), 0) AS version, \
                (SELECT COUNT(*) FROM (SELECT 1 AS known FROM zone_servers LIMIT 1) AS z) \
                + (SELECT COUNT(*) FROM (SELECT 1 AS known FROM outbox_targets \
                                         WHERE kind <> 'notify' LIMIT 1) AS p) AS live_status_kept",
    )
    .bind(customer_id)
    .fetch_one(db)
    .await?;
    Ok(PageStamp {
        version: row.version,
        live_status_kept: row.live_status_kept > 0,
    })
}

/// How many of the customer's assignments match `filter`.
pub async fn count_assignments<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    filter: &ListFilter,
) -> Result<i64, sqlx::Error> {
    let query = sqlx::query(concat!("SELECT COUNT(*) AS n", listing_where!()));
    let row = bind_filter(query, customer_id, filter)
        .fetch_one(db)
        .await?;
    sqlx::Row::try_get(&row, "n")
}

/// One page of a customer's assignments.
#[derive(Debug, Clone)]
pub struct AssignmentsPage {
    /// The assignments, by server name and address.
    pub assignments: Vec<ListedAssignment>,
    /// Whether any of them has an open change (else the page need not look for them).
    pub with_open_changes: bool,
}

#[derive(sqlx::FromRow)]
struct PageRow {
    id: i64,
    server_id: i64,
    server_name: String,
    network: String,
    delegation_allowed: i64,
    delegated_to: Option<String>,
    open_changes: i64,
}

/// Whether the page row `p` has an open change: the condition of [`page_open_changes`], on the
/// same partial index.
macro_rules! open_change_flag {
    () => {
        ", CAST(CASE WHEN EXISTS (SELECT 1 FROM changes c WHERE c.assignment_id = p.id \
              AND c.superseded_by IS NULL AND c.state <> 'published') THEN 1 ELSE 0 END AS BIGINT) \
           AS open_changes"
    };
}

/// The page's rows (`$inner`: a query of the assignment columns and the sort keys, limited
/// to the page) with their open-change flag. The flag is computed for the page's rows only:
/// in the page's own SELECT list PostgreSQL computed it for every row skipped by the OFFSET
/// too (the last page of 5,000 addresses took 14 ms instead of 1).
macro_rules! page_with_open_change_flag {
    ($($inner:expr),+) => {
        concat!(
            "SELECT p.id, p.server_id, p.server_name, p.network, p.delegation_allowed, p.delegated_to",
            open_change_flag!(),
            " FROM (",
            $($inner),+,
            ") p ORDER BY p.server_name, p.server_id, p.first_addr"
        )
    };
}

/// One page of the customer's assignments matching `filter`, by server name and address.
pub async fn assignments_page<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    filter: &ListFilter,
    limit: i64,
    offset: i64,
) -> Result<AssignmentsPage, sqlx::Error> {
    let rows: Vec<PageRow> = if filter.is_empty() {
        // The common case gets a plain query of its own, without the six optional conditions.
        sqlx::query_as(page_with_open_change_flag!(
            "SELECT a.id, a.server_id, s.name AS server_name, a.network, a.first_addr, \
                    a.delegation_allowed, a.delegated_to \
             FROM assignments a JOIN servers s ON s.id = a.server_id WHERE s.customer_id = $1 \
             ORDER BY s.name, s.id, a.first_addr LIMIT $2 OFFSET $3"
        ))
        .bind(customer_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(db)
        .await?
    } else {
        let query = sqlx::query(page_with_open_change_flag!(
            "SELECT a.id, a.server_id, s.name AS server_name, a.network, a.first_addr, \
             a.delegation_allowed, a.delegated_to",
            listing_where!(),
            "ORDER BY s.name, s.id, a.first_addr LIMIT $8 OFFSET $9"
        ));
        let rows = bind_filter(query, customer_id, filter)
            .bind(limit)
            .bind(offset)
            .fetch_all(db)
            .await?;
        rows.iter()
            .map(<PageRow as sqlx::FromRow<_>>::from_row)
            .collect::<Result<_, _>>()?
    };
    page_of_rows(rows)
}

fn page_of_rows(rows: Vec<PageRow>) -> Result<AssignmentsPage, sqlx::Error> {
    let with_open_changes = rows.iter().any(|row| row.open_changes > 0);
    let assignments = rows
        .into_iter()
        .map(|row| {
            let network = Network::parse(&row.network).map_err(|err| {
                sqlx::Error::Decode(format!("stored network {:?}: {err}", row.network).into())
            })?;
            Ok(ListedAssignment {
                id: row.id,
                server_id: row.server_id,
                server_name: row.server_name,
                network,
                delegation_allowed: row.delegation_allowed != 0,
                delegated_to: row
                    .delegated_to
                    .as_deref()
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(AssignmentsPage {
        assignments,
        with_open_changes,
    })
}

/// Where a keyset page starts: the list position (server name, server id, first address) of
/// an assignment on the customer's unfiltered list.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ListPosition {
    server_name: String,
    server_id: i64,
    first_addr: Vec<u8>,
}

/// The list position of the customer's assignment `assignment_id`; `None` when it is not
/// (or no longer) theirs.
pub async fn list_position<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    assignment_id: i64,
) -> Result<Option<ListPosition>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.name AS server_name, s.id AS server_id, a.first_addr \
         FROM assignments a JOIN servers s ON s.id = a.server_id \
         WHERE a.id = $1 AND s.customer_id = $2",
    )
    .bind(assignment_id)
    .bind(customer_id)
    .fetch_optional(db)
    .await
}

/// Which side of a [`ListPosition`] a keyset page lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The `limit` assignments following it (a "next" link).
    After,
    /// The `limit` assignments before it (a "previous" link).
    Before,
}

/// One page of the customer's unfiltered list next to `position` (keyset paging): two index
/// seeks, the rest of the position's server (`assignments_by_server`) and the servers after
/// it by name (`servers (customer_id, name)`), so that page 200 costs what page 1 does,
/// where an OFFSET walks every row before the page.
pub async fn assignments_page_at<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    position: &ListPosition,
    side: Side,
    limit: i64,
) -> Result<AssignmentsPage, sqlx::Error> {
    macro_rules! keyset {
        ($cmp:literal, $cmp_or_equal:literal, $order:literal) => {
            page_with_open_change_flag!(
                "SELECT id, server_id, server_name, network, first_addr, delegation_allowed, delegated_to \
                 FROM (SELECT a.id, a.server_id, s.name AS server_name, a.network, a.first_addr, \
                              a.delegation_allowed, a.delegated_to \
                       FROM assignments a JOIN servers s ON s.id = a.server_id \
                       WHERE a.server_id = $2 AND a.first_addr ", $cmp, " $3 \
                       ORDER BY a.first_addr ", $order, " LIMIT $5) AS same_server \
                 UNION ALL \
                 SELECT id, server_id, server_name, network, first_addr, delegation_allowed, delegated_to \
                 FROM (SELECT a.id, a.server_id, s.name AS server_name, a.network, a.first_addr, \
                              a.delegation_allowed, a.delegated_to \
                       FROM servers s JOIN assignments a ON a.server_id = s.id \
                       WHERE s.customer_id = $1 AND s.name ", $cmp_or_equal, " $4 \
                         AND (s.name ", $cmp, " $4 OR s.id ", $cmp, " $2) \
                       ORDER BY s.name ", $order, ", s.id ", $order, ", a.first_addr ", $order, " \
                       LIMIT $5) AS later_servers \
                 ORDER BY server_name ", $order, ", server_id ", $order, ", first_addr ", $order, " \
                 LIMIT $5"
            )
        };
    }
    let sql = match side {
        Side::After => keyset!(">", ">=", "ASC"),
        Side::Before => keyset!("<", "<=", "DESC"),
    };
    let rows: Vec<PageRow> = sqlx::query_as(sql)
        .bind(customer_id)
        .bind(position.server_id)
        .bind(position.first_addr.clone())
        .bind(position.server_name.clone())
        .bind(limit)
        .fetch_all(db)
        .await?;
    page_of_rows(rows)
}

/// A stored entry shown on a listing page.
#[derive(Debug, Clone)]
pub struct ListedEntry {
    /// The assignment it belongs to.
    pub assignment_id: i64,
    /// The address.
    pub ip: IpAddr,
    /// The customer's PTR; `None` when the default applies.
    pub hostname: Option<String>,
    /// Bumped by every change; a save names the version it was based on.
    pub version: i64,
    /// What the checks found when the entry in force was published (warnings kept).
    pub findings: Vec<Finding>,
}

#[derive(sqlx::FromRow)]
struct ListedEntryRow {
    assignment_id: i64,
    address: Vec<u8>,
    hostname: Option<String>,
    version: i64,
    findings: Option<String>,
}

/// The stored entries of one page's assignments (at most [`PAGE_SIZE`] ids), at most
/// `per_assignment` of each (IPv6 subnets can hold very many), in address order; with a
/// hostname fragment, only the entries that contain it.
pub async fn page_entries<'e>(
    db: impl Executor<'e, Database = Any>,
    assignment_ids: &[i64],
    hostname: Option<&str>,
    per_assignment: i64,
) -> Result<Vec<ListedEntry>, sqlx::Error> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT t.assignment_id, t.address, t.hostname, t.version, c.findings FROM ( \
               SELECT e.assignment_id, e.address, e.hostname, e.version, e.change_id, \
                      ROW_NUMBER() OVER (PARTITION BY e.assignment_id ORDER BY e.address) AS n \
               FROM entries e \
               WHERE e.assignment_id IN ({ids}) \
                 AND (${h} IS NULL OR e.hostname LIKE ${h} ESCAPE '\\')) t \
             LEFT JOIN changes c ON c.id = t.change_id \
             WHERE t.n <= ${n} ORDER BY t.assignment_id, t.address",
            ids = page_id_placeholders(),
            h = PAGE_SIZE + 1,
            n = PAGE_SIZE + 2,
        )
    });
    let rows = bind_page_ids(sqlx::query(SQL.as_str()), assignment_ids)
        .bind(hostname.map(like_pattern))
        .bind(per_assignment)
        .fetch_all(db)
        .await?;
    rows.iter()
        .map(|row| {
            let row = <ListedEntryRow as sqlx::FromRow<_>>::from_row(row)?;
            let ip = address_from_key(&row.address)
                .ok_or_else(|| sqlx::Error::Decode("stored address is not 16 bytes".into()))?;
            Ok(ListedEntry {
                assignment_id: row.assignment_id,
                ip,
                hostname: row.hostname,
                version: row.version,
                findings: match row.findings {
                    Some(json) => serde_json::from_str(&json)
                        .map_err(|err| sqlx::Error::Decode(Box::new(err)))?,
                    None => Vec::new(),
                },
            })
        })
        .collect()
}

/// An open (not published, not superseded) change shown on a listing page.
#[derive(Debug, Clone)]
pub struct ListedChange {
    /// Row id (the customer's "ask for review" form names it).
    pub id: i64,
    /// The assignment it belongs to.
    pub assignment_id: i64,
    /// The address.
    pub ip: IpAddr,
    /// The requested name; `None` for a reset.
    pub requested_hostname: Option<String>,
    /// Where it stands.
    pub state: ChangeState,
    /// What the checks found.
    pub findings: Vec<Finding>,
    /// An admin's note, if any.
    pub note: Option<String>,
    /// For a pending change: when it gives up.
    pub deadline: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct ListedChangeRow {
    id: i64,
    assignment_id: i64,
    address: Vec<u8>,
    requested_hostname: Option<String>,
    state: String,
    findings: String,
    note: Option<String>,
    deadline: Option<i64>,
}

/// The open changes of one page's assignments (at most [`PAGE_SIZE`] ids): every state but
/// `published` (the condition of the index `changes_open_by_assignment`, word for word).
pub async fn page_open_changes<'e>(
    db: impl Executor<'e, Database = Any>,
    assignment_ids: &[i64],
) -> Result<Vec<ListedChange>, sqlx::Error> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT c.id, c.assignment_id, c.address, c.requested_hostname, c.state, c.findings, c.note, c.deadline \
             FROM changes c \
             WHERE c.assignment_id IN ({ids}) AND c.superseded_by IS NULL \
               AND c.state <> 'published' \
             ORDER BY c.assignment_id, c.address",
            ids = page_id_placeholders(),
        )
    });
    let rows = bind_page_ids(sqlx::query(SQL.as_str()), assignment_ids)
        .fetch_all(db)
        .await?;
    rows.iter()
        .map(|row| {
            let row = <ListedChangeRow as sqlx::FromRow<_>>::from_row(row)?;
            let ip = address_from_key(&row.address)
                .ok_or_else(|| sqlx::Error::Decode("stored address is not 16 bytes".into()))?;
            let state = ChangeState::parse(&row.state).ok_or_else(|| {
                sqlx::Error::Decode(format!("unknown state {:?}", row.state).into())
            })?;
            let findings = serde_json::from_str(&row.findings)
                .map_err(|err| sqlx::Error::Decode(Box::new(err)))?;
            Ok(ListedChange {
                id: row.id,
                assignment_id: row.assignment_id,
                ip,
                requested_hostname: row.requested_hostname,
                state,
                findings,
                note: row.note,
                deadline: row.deadline,
            })
        })
        .collect()
}

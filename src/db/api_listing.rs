//! The native API's listing of a customer's addresses, page by page in address order with a
//! cursor (the last address of the previous page), so that a page costs the same whatever
//! page it is and rows written meanwhile neither repeat nor vanish.
//!
//! The addresses listed are those the customer's page shows: every address of a single IPv4
//! address or of an IPv4 subnet up to a /24 ("listed" assignments, see
//! [`crate::domain::Network::listed_addresses`]), and in larger subnets the addresses with a
//! PTR of their own or an open change. With a hostname filter: the addresses whose PTR in force
//! contains it.

use crate::db::inventory::{ListFilter, ListedAssignment, ListedChange, ListedEntry, like_pattern};
use crate::domain::{ChangeState, Network, address_from_key, address_key};
use sqlx::{Any, Executor};
use std::net::IpAddr;

/// The SQL condition of an assignment whose addresses are all listed, kept equal to
/// [`Network::listed_addresses`] (a test below holds them together).
macro_rules! listed {
    ($a:literal) => {
        concat!("(", $a, ".family = 4 AND ", $a, ".prefix_len >= 24)")
    };
}

/// Open states, as in `db::changes`.
macro_rules! open_change {
    ($c:literal) => {
        concat!(
            $c,
            ".superseded_by IS NULL AND ",
            $c,
            ".state IN ('pending', 'rejected', 'in-review', 'denied')"
        )
    };
}

/// A key below every address: where the first page starts.
fn start_key(after: Option<IpAddr>) -> Vec<u8> {
    after.map(address_key).unwrap_or_default()
}

/// The range filter as keys; the whole address space when there is none.
fn range_keys(filter: &ListFilter) -> (Vec<u8>, Vec<u8>) {
    match filter.range {
        Some((first, last)) => (address_key(first), address_key(last)),
        None => (vec![0; 16], vec![0xff; 16]),
    }
}

#[derive(sqlx::FromRow)]
struct AssignmentRow {
    id: i64,
    server_id: i64,
    server_name: String,
    network: String,
}

impl AssignmentRow {
    fn into_listed(self) -> Result<ListedAssignment, sqlx::Error> {
        let network = Network::parse(&self.network).map_err(|err| {
            sqlx::Error::Decode(format!("stored network {:?}: {err}", self.network).into())
        })?;
        Ok(ListedAssignment {
            id: self.id,
            server_id: self.server_id,
            server_name: self.server_name,
            network,
            // The API's listing does not show delegations (the customer page does).
            delegation_allowed: false,
            delegated_to: Vec::new(),
        })
    }
}

fn decode_address(key: &[u8]) -> Result<IpAddr, sqlx::Error> {
    address_from_key(key)
        .ok_or_else(|| sqlx::Error::Decode("stored address is not 16 bytes".into()))
}

/// The customer's listed assignments (every address shown) ending after `after`, in address
/// order, at most `limit`; narrowed by the server, range and text filters. Without a
/// hostname filter only: with one, [`named_or_subnet_items`] lists everything.
pub async fn listed_assignments_after<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    filter: &ListFilter,
    after: Option<IpAddr>,
    limit: i64,
) -> Result<Vec<ListedAssignment>, sqlx::Error> {
    let (first, last) = range_keys(filter);
    let rows: Vec<AssignmentRow> = sqlx::query_as(concat!(
        "SELECT a.id, a.server_id, s.name AS server_name, a.network \
         FROM assignments a JOIN servers s ON s.id = a.server_id \
         WHERE s.customer_id = $1 AND ",
        listed!("a"),
        " AND a.last_addr > $2 AND a.first_addr <= $4 AND a.last_addr >= $3 \
           AND ($5 IS NULL OR s.id = $5) \
           AND ($6 IS NULL OR a.network LIKE $6 ESCAPE '\\' \
                OR EXISTS (SELECT 1 FROM entries e WHERE e.assignment_id = a.id AND e.address_text LIKE $6 ESCAPE '\\')) \
         ORDER BY a.first_addr LIMIT $7"
    ))
    .bind(customer_id)
    .bind(start_key(after))
    .bind(first)
    .bind(last)
    .bind(filter.server_id)
    .bind(filter.network_text.as_deref().map(like_pattern))
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(AssignmentRow::into_listed).collect()
}

/// One address of a listing page with the assignment holding it.
#[derive(Debug, Clone)]
pub struct ItemRef {
    /// The address.
    pub ip: IpAddr,
    /// Its assignment.
    pub assignment: ListedAssignment,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    address: Vec<u8>,
    id: i64,
    server_id: i64,
    server_name: String,
    network: String,
}

/// Addresses after `after`, in address order, at most `limit`: without a hostname filter,
/// those in the customer's larger subnets with a PTR of their own or an open change; with one,
/// those (in any assignment) whose PTR in force contains it. Narrowed by every filter.
pub async fn named_or_subnet_items<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    filter: &ListFilter,
    after: Option<IpAddr>,
    limit: i64,
) -> Result<Vec<ItemRef>, sqlx::Error> {
    let (first, last) = range_keys(filter);
    let rows: Vec<ItemRow> = sqlx::query_as(concat!(
        "SELECT e.address AS address, a.id AS id, a.server_id AS server_id, s.name AS server_name, a.network AS network \
         FROM entries e JOIN assignments a ON a.id = e.assignment_id JOIN servers s ON s.id = a.server_id \
         WHERE s.customer_id = $1 AND e.address > $2 AND e.address >= $3 AND e.address <= $4 \
           AND ($5 IS NULL OR s.id = $5) \
           AND ($6 IS NULL OR e.address_text LIKE $6 ESCAPE '\\' OR a.network LIKE $6 ESCAPE '\\') \
           AND (($8 IS NULL AND e.hostname IS NOT NULL AND NOT ",
        listed!("a"),
        ") OR e.hostname LIKE $8 ESCAPE '\\') \
         UNION \
         SELECT c.address AS address, a.id AS id, a.server_id AS server_id, s.name AS server_name, a.network AS network \
         FROM changes c JOIN assignments a ON a.id = c.assignment_id JOIN servers s ON s.id = a.server_id \
         WHERE $8 IS NULL AND c.customer_id = $1 AND s.customer_id = $1 AND ",
        open_change!("c"),
        " AND NOT ",
        listed!("a"),
        " AND c.address > $2 AND c.address >= $3 AND c.address <= $4 \
           AND ($5 IS NULL OR s.id = $5) \
           AND ($6 IS NULL OR c.address_text LIKE $6 ESCAPE '\\' OR a.network LIKE $6 ESCAPE '\\') \
         ORDER BY address LIMIT $7"
    ))
    .bind(customer_id)
    .bind(start_key(after))
    .bind(first)
    .bind(last)
    .bind(filter.server_id)
    .bind(filter.network_text.as_deref().map(like_pattern))
    .bind(limit)
    .bind(filter.hostname.as_deref().map(like_pattern))
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(ItemRef {
                ip: decode_address(&row.address)?,
                assignment: AssignmentRow {
                    id: row.id,
                    server_id: row.server_id,
                    server_name: row.server_name,
                    network: row.network,
                }
                .into_listed()?,
            })
        })
        .collect()
}

/// One assignment with its server's name.
pub async fn assignment<'e>(
    db: impl Executor<'e, Database = Any>,
    assignment_id: i64,
) -> Result<Option<ListedAssignment>, sqlx::Error> {
    let row: Option<AssignmentRow> = sqlx::query_as(
        "SELECT a.id, a.server_id, s.name AS server_name, a.network \
         FROM assignments a JOIN servers s ON s.id = a.server_id WHERE a.id = $1",
    )
    .bind(assignment_id)
    .fetch_optional(db)
    .await?;
    row.map(AssignmentRow::into_listed).transpose()
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    assignment_id: i64,
    address: Vec<u8>,
    hostname: Option<String>,
    version: i64,
    findings: Option<String>,
}

fn decode_findings<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(json).map_err(|err| sqlx::Error::Decode(Box::new(err)))
}

/// The customer's stored entries from `first` to `last` (inclusive), in address order, with
/// the findings kept with each; only those on the filter's server and, with a hostname
/// fragment, containing it.
pub async fn entries_between<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    filter: &ListFilter,
    first: IpAddr,
    last: IpAddr,
) -> Result<Vec<ListedEntry>, sqlx::Error> {
    let rows: Vec<EntryRow> = sqlx::query_as(
        "SELECT e.assignment_id, e.address, e.hostname, e.version, c.findings \
         FROM entries e JOIN assignments a ON a.id = e.assignment_id JOIN servers s ON s.id = a.server_id \
         LEFT JOIN changes c ON c.id = e.change_id \
         WHERE s.customer_id = $1 AND e.address >= $2 AND e.address <= $3 \
           AND ($4 IS NULL OR s.id = $4) AND ($5 IS NULL OR e.hostname LIKE $5 ESCAPE '\\') \
         ORDER BY e.address",
    )
    .bind(customer_id)
    .bind(address_key(first))
    .bind(address_key(last))
    .bind(filter.server_id)
    .bind(filter.hostname.as_deref().map(like_pattern))
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(ListedEntry {
                assignment_id: row.assignment_id,
                ip: decode_address(&row.address)?,
                hostname: row.hostname,
                version: row.version,
                findings: match row.findings {
                    Some(json) => decode_findings(&json)?,
                    None => Vec::new(),
                },
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    id: i64,
    assignment_id: i64,
    address: Vec<u8>,
    requested_hostname: Option<String>,
    state: String,
    findings: String,
    note: Option<String>,
    deadline: Option<i64>,
}

/// The customer's open changes from `first` to `last` (inclusive), in address order.
pub async fn open_changes_between<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    first: IpAddr,
    last: IpAddr,
) -> Result<Vec<ListedChange>, sqlx::Error> {
    let rows: Vec<ChangeRow> = sqlx::query_as(concat!(
        "SELECT c.id, c.assignment_id, c.address, c.requested_hostname, c.state, c.findings, c.note, c.deadline \
         FROM changes c JOIN assignments a ON a.id = c.assignment_id JOIN servers s ON s.id = a.server_id \
         WHERE c.customer_id = $1 AND s.customer_id = $1 AND ",
        open_change!("c"),
        " AND c.address >= $2 AND c.address <= $3 ORDER BY c.address, c.id"
    ))
    .bind(customer_id)
    .bind(address_key(first))
    .bind(address_key(last))
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            let state = ChangeState::parse(&row.state).ok_or_else(|| {
                sqlx::Error::Decode(format!("unknown state {:?}", row.state).into())
            })?;
            Ok(ListedChange {
                id: row.id,
                assignment_id: row.assignment_id,
                ip: decode_address(&row.address)?,
                requested_hostname: row.requested_hostname,
                state,
                findings: decode_findings(&row.findings)?,
                note: row.note,
                deadline: row.deadline,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::domain::Network;

    #[test]
    fn the_sql_listed_condition_matches_the_networks_that_list_every_address() {
        // listed!: family 4 and a prefix of 24 or longer.
        for (network, listed) in [
            ("192.0.2.10", true),
            ("192.0.2.16/29", true),
            ("192.0.2.0/24", true),
            ("192.0.2.0/23", false),
            ("2001:db8::/64", false),
            ("2001:db8::/120", false),
        ] {
            let network = Network::parse(network).expect("a network");
            let sql_says = network.family() == 4 && network.prefix_len() >= 24;
            assert_eq!(sql_says, listed, "{network}");
            assert_eq!(network.listed_addresses().is_some(), listed, "{network}");
        }
    }
}

//! The administration screens' queries: listing and changing customers, users, servers and
//! assignments. The ownership query and the PTR write path stay in [`super::inventory`] and
//! [`crate::changes`]; this file only reads them or moves whole assignments.

use crate::domain::{Network, Role, address_from_key};
use sqlx::{Any, Executor};
use std::net::IpAddr;

/// At most this many customers, and users, are listed at once; a search finds the others.
pub const LIST_CAP: i64 = 100;

/// Rows of a capped list, and whether there were more than it shows.
#[derive(Debug, Clone)]
pub struct Capped<T> {
    /// The first [`LIST_CAP`] rows.
    pub rows: Vec<T>,
    /// More matched than are shown.
    pub more: bool,
}

impl<T> Capped<T> {
    /// Cuts `rows` (fetched with a limit of one more than the cap) to the cap.
    fn of(mut rows: Vec<T>) -> Capped<T> {
        let more = rows.len() as i64 > LIST_CAP;
        rows.truncate(LIST_CAP as usize);
        Capped { rows, more }
    }
}

/// A customer row of the administration list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CustomerRow {
    /// Row id.
    pub id: i64,
    /// Customer number.
    pub number: String,
    /// Name.
    pub name: String,
    /// How many servers it has.
    pub servers: i64,
    /// How many assignments it has.
    pub assignments: i64,
}

/// Customers whose number or name contains `search` (all with an empty one), by number, at
/// most [`LIST_CAP`].
pub async fn customers<'e>(
    db: impl Executor<'e, Database = Any>,
    search: &str,
) -> Result<Capped<CustomerRow>, sqlx::Error> {
    let pattern =
        (!search.is_empty()).then(|| super::inventory::like_pattern(&search.to_lowercase()));
    let rows = sqlx::query_as(
        "SELECT c.id, c.number, c.name, \
                (SELECT COUNT(*) FROM servers s WHERE s.customer_id = c.id) AS servers, \
                (SELECT COUNT(*) FROM assignments a JOIN servers s ON s.id = a.server_id \
                  WHERE s.customer_id = c.id) AS assignments \
         FROM customers c \
         WHERE $1 IS NULL OR LOWER(c.number) LIKE $1 ESCAPE '\\' OR LOWER(c.name) LIKE $1 ESCAPE '\\' \
         ORDER BY c.number, c.id LIMIT $2",
    )
    .bind(pattern)
    .bind(LIST_CAP + 1)
    .fetch_all(db)
    .await?;
    Ok(Capped::of(rows))
}

/// Renames a customer; false when there is no such customer.
pub async fn rename_customer<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    name: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE customers SET name = $2 WHERE id = $1")
        .bind(id)
        .bind(name)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A user row of the administration list.
#[derive(Debug, Clone)]
pub struct UserRow {
    /// Row id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Role.
    pub role: Role,
    /// The customer's number, for customer users.
    pub customer_number: Option<String>,
    /// The customer's name, for customer users.
    pub customer_name: Option<String>,
    /// When the user was disabled.
    pub disabled_at: Option<i64>,
    /// Where their notification mails go.
    pub email: Option<String>,
}

#[derive(sqlx::FromRow)]
struct UserSqlRow {
    id: i64,
    username: String,
    role: String,
    customer_number: Option<String>,
    customer_name: Option<String>,
    disabled_at: Option<i64>,
    email: Option<String>,
}

/// Users whose name, customer number or customer name contains `search` (all with an empty
/// one), by name, at most [`LIST_CAP`].
pub async fn users<'e>(
    db: impl Executor<'e, Database = Any>,
    search: &str,
) -> Result<Capped<UserRow>, sqlx::Error> {
    let pattern =
        (!search.is_empty()).then(|| super::inventory::like_pattern(&search.to_lowercase()));
    let rows: Vec<UserSqlRow> = sqlx::query_as(
        "SELECT u.id, u.username, u.role, c.number AS customer_number, c.name AS customer_name, \
                u.disabled_at, u.email \
         FROM users u LEFT JOIN customers c ON c.id = u.customer_id \
         WHERE $1 IS NULL OR LOWER(u.username) LIKE $1 ESCAPE '\\' \
            OR LOWER(c.number) LIKE $1 ESCAPE '\\' OR LOWER(c.name) LIKE $1 ESCAPE '\\' \
         ORDER BY u.username LIMIT $2",
    )
    .bind(pattern)
    .bind(LIST_CAP + 1)
    .fetch_all(db)
    .await?;
    let rows = rows
        .into_iter()
        .map(|row| {
            let role = Role::parse(&row.role).ok_or_else(|| {
                sqlx::Error::Decode(format!("unknown role {:?}", row.role).into())
            })?;
            Ok(UserRow {
                id: row.id,
                username: row.username,
                role,
                customer_number: row.customer_number,
                customer_name: row.customer_name,
                disabled_at: row.disabled_at,
                email: row.email,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Capped::of(rows))
}

/// Sets a user's role and customer; false when there is no such user.
pub async fn set_role<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    role: Role,
    customer_id: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET role = $2, customer_id = $3 WHERE id = $1")
        .bind(id)
        .bind(role.as_str())
        .bind(customer_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces a user's password hash; false when there is no such user.
pub async fn set_password_hash<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    password_hash: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(password_hash)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Disables a user at `at` (`None`: enables them again); false when there is no such user.
/// The `SignedIn` extractor reloads the account on every request, so a disabled user's
/// sessions stop working at once even before they are ended.
pub async fn set_disabled<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    at: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET disabled_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// One assignment of a customer, for the administration page.
#[derive(Debug, Clone)]
pub struct AssignmentRow {
    /// Row id.
    pub id: i64,
    /// The server holding it.
    pub server_id: i64,
    /// That server's name.
    pub server_name: String,
    /// What it covers.
    pub network: Network,
    /// How many addresses in it have a PTR of the customer's own.
    pub own_ptrs: i64,
    /// Whether the customer may delegate it to their own name servers.
    pub delegation_allowed: bool,
    /// The name servers it is delegated to (empty: not delegated).
    pub delegated_to: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct AssignmentSqlRow {
    id: i64,
    server_id: i64,
    server_name: String,
    network: String,
    own_ptrs: i64,
    delegation_allowed: i64,
    delegated_to: Option<String>,
}

pub(crate) fn network_of(text: &str) -> Result<Network, sqlx::Error> {
    Network::parse(text)
        .map_err(|err| sqlx::Error::Decode(format!("stored network {text:?}: {err}").into()))
}

/// The customer's assignments whose network or server name contains `search` (all with an
/// empty one), an exact network first, then by server and address; at most [`LIST_CAP`].
pub async fn assignments_of<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    search: &str,
) -> Result<Capped<AssignmentRow>, sqlx::Error> {
    let pattern =
        (!search.is_empty()).then(|| super::inventory::like_pattern(&search.to_lowercase()));
    let rows: Vec<AssignmentSqlRow> = sqlx::query_as(
        "SELECT a.id, a.server_id, s.name AS server_name, a.network, a.delegation_allowed, a.delegated_to, \
                (SELECT COUNT(*) FROM entries e WHERE e.assignment_id = a.id AND e.hostname IS NOT NULL) AS own_ptrs \
         FROM assignments a JOIN servers s ON s.id = a.server_id \
         WHERE s.customer_id = $1 \
           AND ($2 IS NULL OR a.network LIKE $2 ESCAPE '\\' OR LOWER(s.name) LIKE $2 ESCAPE '\\') \
         ORDER BY CASE WHEN a.network = $3 THEN 0 ELSE 1 END, s.name, s.id, a.first_addr LIMIT $4",
    )
    .bind(customer_id)
    .bind(pattern)
    .bind(search.to_lowercase())
    .bind(LIST_CAP + 1)
    .fetch_all(db)
    .await?;
    let rows = rows
        .into_iter()
        .map(|row| {
            Ok(AssignmentRow {
                id: row.id,
                server_id: row.server_id,
                server_name: row.server_name,
                network: network_of(&row.network)?,
                own_ptrs: row.own_ptrs,
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
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Capped::of(rows))
}

/// An assignment with the customer it belongs to.
#[derive(Debug, Clone)]
pub struct HeldAssignment {
    /// Row id.
    pub id: i64,
    /// The server holding it.
    pub server_id: i64,
    /// That server's name.
    pub server_name: String,
    /// The customer owning that server.
    pub customer_id: i64,
    /// What it covers.
    pub network: Network,
}

#[derive(sqlx::FromRow)]
struct HeldSqlRow {
    id: i64,
    server_id: i64,
    server_name: String,
    customer_id: i64,
    network: String,
}

/// The assignment with this id.
pub async fn assignment<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<HeldAssignment>, sqlx::Error> {
    let row: Option<HeldSqlRow> = sqlx::query_as(
        "SELECT a.id, a.server_id, s.name AS server_name, s.customer_id, a.network \
         FROM assignments a JOIN servers s ON s.id = a.server_id WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    row.map(|row| {
        Ok(HeldAssignment {
            id: row.id,
            server_id: row.server_id,
            server_name: row.server_name,
            customer_id: row.customer_id,
            network: network_of(&row.network)?,
        })
    })
    .transpose()
}

/// Locks assignment `id` for the rest of the transaction, exclusively (PostgreSQL; SQLite's
/// `BEGIN IMMEDIATE` already serialises writers): a move or removal waits for the writers of
/// its addresses in flight ([`super::inventory::holder_locked`]) and they for it. Read the
/// assignment after this, inside the same transaction.
pub async fn lock_assignment(tx: &mut super::Tx, id: i64) -> Result<(), sqlx::Error> {
    if tx.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT id FROM assignments WHERE id = $1 FOR UPDATE")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// [`lock_assignment`] for many: `ids` (ascending, each once) locked in ascending order, a
/// statement per [`super::batch::MAX_ROWS`] of them instead of one each.
pub async fn lock_assignments(tx: &mut super::Tx, ids: &[i64]) -> Result<(), sqlx::Error> {
    use super::batch::{self, Placeholders, Statement};
    if tx.backend_name() != "PostgreSQL" {
        return Ok(());
    }
    for chunk in ids.chunks(batch::MAX_ROWS) {
        // Rows are locked as the sort hands them up: in id order.
        let mut statement = Statement::new(
            Placeholders::of(tx),
            "SELECT id FROM assignments WHERE id IN (",
        );
        statement.list(chunk.len()).push(") ORDER BY id FOR UPDATE");
        let mut query = sqlx::query(statement.into_sql());
        for id in chunk {
            query = query.bind(*id);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// The addresses of an assignment that would need a reset to be back at the default: those
/// with a PTR of their own, and those with an open (not superseded, not published) change.
pub async fn addresses_to_reset<'e>(
    db: impl Executor<'e, Database = Any>,
    assignment_id: i64,
) -> Result<Vec<IpAddr>, sqlx::Error> {
    let keys: Vec<Vec<u8>> = sqlx::query_scalar(
        "SELECT address FROM entries WHERE assignment_id = $1 AND hostname IS NOT NULL \
         UNION \
         SELECT address FROM changes WHERE assignment_id = $1 AND superseded_by IS NULL \
           AND state IN ('pending', 'rejected', 'in-review', 'denied') \
         ORDER BY address",
    )
    .bind(assignment_id)
    .fetch_all(db)
    .await?;
    keys.iter()
        .map(|key| {
            address_from_key(key)
                .ok_or_else(|| sqlx::Error::Decode("stored address is not 16 bytes".into()))
        })
        .collect()
}

/// Puts an assignment on another server. On another customer's, its delegation ends and is
/// no longer allowed (the new customer's admin decides again).
pub async fn move_assignment<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    server_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE assignments SET \
           delegated_to = CASE WHEN same.customer THEN delegated_to ELSE NULL END, \
           delegation_allowed = CASE WHEN same.customer THEN delegation_allowed ELSE 0 END, \
           server_id = $2 \
         FROM (SELECT (SELECT customer_id FROM servers WHERE id = $2) = \
                      (SELECT s.customer_id FROM servers s JOIN assignments a ON a.server_id = s.id WHERE a.id = $1) \
                      AS customer) AS same \
         WHERE id = $1",
    )
        .bind(id)
        .bind(server_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Deletes an assignment with its entries and change records. The audit rows stay (their
/// link to the deleted change records is cleared); call it only once every entry is back at
/// the default, inside the transaction that did so.
pub async fn delete_assignment(tx: &mut super::Tx, id: i64) -> Result<(), sqlx::Error> {
    for sql in [
        "DELETE FROM entries WHERE assignment_id = $1",
        "UPDATE audit SET change_id = NULL WHERE change_id IN (SELECT id FROM changes WHERE assignment_id = $1)",
        "UPDATE changes SET superseded_by = NULL WHERE superseded_by IN (SELECT id FROM changes WHERE assignment_id = $1)",
        "DELETE FROM changes WHERE assignment_id = $1",
        "DELETE FROM assignments WHERE id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut **tx).await?;
    }
    Ok(())
}

/// A server with its customer, for moves.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ServerOf {
    /// Row id.
    pub id: i64,
    /// The customer.
    pub customer_id: i64,
    /// Name.
    pub name: String,
}

/// The server with this id.
pub async fn server<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<ServerOf>, sqlx::Error> {
    sqlx::query_as("SELECT id, customer_id, name FROM servers WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

//! What the provider's provisioning reconciles against ([`crate::admin::inventory`]): every
//! customer, server and assignment as rows to compare with a desired state, and the few writes
//! a reconciliation needs beyond those of the admin pages (removing a server, cancelling a
//! customer).

use super::admin::network_of;
use crate::domain::{Network, address_key};
// Dynamic SQL here is column lists and lists of row ids (integers), never input text.
use sqlx::{Any, AssertSqlSafe, Executor};

/// A customer as provisioning sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CustomerRow {
    /// Row id.
    pub id: i64,
    /// The provider's customer number.
    pub number: String,
    /// Its name.
    pub name: String,
    /// When provisioning cancelled it (its history stays).
    pub cancelled_at: Option<i64>,
}

/// A server with its customer.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ServerRow {
    /// Row id.
    pub id: i64,
    /// Whose.
    pub customer_id: i64,
    /// Its name.
    pub name: String,
}

/// An assignment with the server holding it.
#[derive(Debug, Clone)]
pub struct AssignmentRow {
    /// Row id.
    pub id: i64,
    /// What it covers.
    pub network: Network,
    /// The server holding it.
    pub server_id: i64,
}

#[derive(sqlx::FromRow)]
struct AssignmentSqlRow {
    id: i64,
    network: String,
    server_id: i64,
}

impl AssignmentSqlRow {
    fn into_row(self) -> Result<AssignmentRow, sqlx::Error> {
        Ok(AssignmentRow {
            id: self.id,
            network: network_of(&self.network)?,
            server_id: self.server_id,
        })
    }
}

const CUSTOMER_COLUMNS: &str = "SELECT id, number, name, cancelled_at FROM customers";

/// Every customer.
pub async fn customers<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<Vec<CustomerRow>, sqlx::Error> {
    sqlx::query_as(AssertSqlSafe(format!("{CUSTOMER_COLUMNS} ORDER BY id")))
        .fetch_all(db)
        .await
}

/// The customers with these row ids.
pub async fn customers_by_id<'e>(
    db: impl Executor<'e, Database = Any>,
    ids: &[i64],
) -> Result<Vec<CustomerRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    sqlx::query_as(AssertSqlSafe(format!(
        "{CUSTOMER_COLUMNS} WHERE id IN ({list}) ORDER BY id"
    )))
    .fetch_all(db)
    .await
}

/// The customer with this number.
pub async fn customer<'e>(
    db: impl Executor<'e, Database = Any>,
    number: &str,
) -> Result<Option<CustomerRow>, sqlx::Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{CUSTOMER_COLUMNS} WHERE number = $1"
    )))
    .bind(number)
    .fetch_optional(db)
    .await
}

/// Every server (`customer_id` set: only that customer's).
pub async fn servers<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_ids: Option<&[i64]>,
) -> Result<Vec<ServerRow>, sqlx::Error> {
    let sql = match customer_ids {
        None => "SELECT id, customer_id, name FROM servers ORDER BY id".to_owned(),
        Some([]) => return Ok(Vec::new()),
        Some(ids) => format!(
            "SELECT id, customer_id, name FROM servers WHERE customer_id IN ({}) ORDER BY id",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        ),
    };
    sqlx::query_as(AssertSqlSafe(sql)).fetch_all(db).await
}

/// Every assignment (`customer_ids` set: only theirs).
pub async fn assignments<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_ids: Option<&[i64]>,
) -> Result<Vec<AssignmentRow>, sqlx::Error> {
    let sql = match customer_ids {
        None => "SELECT id, network, server_id FROM assignments ORDER BY id".to_owned(),
        Some([]) => return Ok(Vec::new()),
        Some(ids) => format!(
            "SELECT a.id, a.network, a.server_id FROM assignments a \
             JOIN servers s ON s.id = a.server_id WHERE s.customer_id IN ({}) ORDER BY a.id",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        ),
    };
    let rows: Vec<AssignmentSqlRow> = sqlx::query_as(AssertSqlSafe(sql)).fetch_all(db).await?;
    rows.into_iter().map(AssignmentSqlRow::into_row).collect()
}

/// The customers holding an assignment that overlaps `network`.
pub async fn holders_overlapping<'e>(
    db: impl Executor<'e, Database = Any>,
    network: &Network,
) -> Result<Vec<i64>, sqlx::Error> {
    // Those starting inside the network, and the one starting last before it if it reaches
    // in: two indexed range look-ups (assignments never overlap).
    sqlx::query_scalar(
        "SELECT DISTINCT s.customer_id FROM assignments a JOIN servers s ON s.id = a.server_id \
         WHERE a.first_addr BETWEEN $1 AND $2 \
            OR a.id = (SELECT b.id FROM assignments b WHERE b.first_addr < $1 \
                       ORDER BY b.first_addr DESC LIMIT 1) AND a.last_addr >= $1",
    )
    .bind(address_key(network.first()))
    .bind(address_key(network.last()))
    .fetch_all(db)
    .await
}

/// Deletes a server that holds no assignment any more.
pub async fn delete_server<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM servers WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Marks a customer cancelled (`Some(at)`) or active again (`None`).
pub async fn set_cancelled<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE customers SET cancelled_at = $2 WHERE id = $1")
        .bind(customer_id)
        .bind(at)
        .execute(db)
        .await?;
    Ok(())
}

/// The ids of the customer's users that are not disabled.
pub async fn active_users_of<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, username FROM users WHERE customer_id = $1 AND disabled_at IS NULL ORDER BY id",
    )
    .bind(customer_id)
    .fetch_all(db)
    .await
}

/// Serialises reconciliations of the inventory with each other until the transaction ends
/// (PostgreSQL; SQLite's `BEGIN IMMEDIATE` already serialises every writer), so that two
/// provisioning runs never plan against the same state and both apply.
pub async fn lock_reconciliation(tx: &mut super::Tx) -> Result<(), sqlx::Error> {
    if tx.backend_name() == "PostgreSQL" {
        // A key of its own, outside the address locks' 0..1024.
        sqlx::query("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(7015001)) AS taken")
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A customer's user as provisioning lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CustomerLogin {
    /// The user name.
    pub username: String,
    /// Whether it is disabled.
    pub disabled: bool,
}

/// The users of customer `customer_id`, by name.
pub async fn users_of<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
) -> Result<Vec<CustomerLogin>, sqlx::Error> {
    let rows: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT username, disabled_at FROM users WHERE customer_id = $1 ORDER BY username",
    )
    .bind(customer_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(username, disabled_at)| CustomerLogin {
            username,
            disabled: disabled_at.is_some(),
        })
        .collect())
}

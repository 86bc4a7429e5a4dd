//! Customers: the provider's clients, each with a number and a name.

use sqlx::{Any, Executor};

/// A customer as listed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Customer {
    /// Row id.
    pub id: i64,
    /// The provider's customer number, e.g. `K10001`.
    pub number: String,
    /// Company or person.
    pub name: String,
}

/// Adds a customer and returns its id.
pub async fn insert<'e>(
    db: impl Executor<'e, Database = Any>,
    number: &str,
    name: &str,
    at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO customers (number, name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(number)
    .bind(name)
    .bind(at)
    .fetch_one(db)
    .await
}

/// The customer with this number or, failing that, this exact name.
pub async fn find<'e>(
    db: impl Executor<'e, Database = Any>,
    number_or_name: &str,
) -> Result<Option<Customer>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, number, name FROM customers WHERE number = $1 OR name = $1 ORDER BY id LIMIT 1",
    )
    .bind(number_or_name)
    .fetch_optional(db)
    .await
}

/// The customer with this row id.
pub async fn by_id<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<Customer>, sqlx::Error> {
    sqlx::query_as("SELECT id, number, name FROM customers WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// How many customers and users the database holds that `ptrdesk demo` did not make: customers
/// other than K10001 and K10002, users other than demo, other, admin and helpdesk (the demo's,
/// see `crate::demo`). The demo refuses a database where either is not zero.
pub async fn count_outside_demo<'e>(
    executor: impl Executor<'e, Database = Any>,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM customers WHERE number NOT IN ('K10001', 'K10002')) AS customers, \
                (SELECT COUNT(*) FROM users \
                  WHERE username NOT IN ('demo', 'other', 'admin', 'helpdesk')) AS users",
    )
    .fetch_one(executor)
    .await
}

//! API credentials of customers and the request counts of the API rate limit. Secrets are
//! stored as SHA-256 hashes (they are long random strings, so a slow hash adds nothing but
//! latency to every API call).

use sqlx::{Any, Executor};

/// A credential as listed to its customer (never with its secret).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credential {
    /// Row id.
    pub id: i64,
    /// The basic-auth user name.
    pub username: String,
    /// The customer's name for it.
    pub label: String,
    /// When it was made.
    pub created_at: i64,
    /// When it was last used successfully.
    pub last_used_at: Option<i64>,
    /// When it was revoked.
    pub revoked_at: Option<i64>,
}

/// What authenticating a request needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredSecret {
    /// Row id.
    pub id: i64,
    /// Whose.
    pub customer_id: i64,
    /// Hex SHA-256 of the secret.
    pub secret_hash: String,
}

/// Adds a credential and returns its id.
pub async fn insert<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    username: &str,
    secret_hash: &str,
    label: &str,
    created_by: Option<i64>,
    at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO api_credentials (customer_id, username, secret_hash, label, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(customer_id)
    .bind(username)
    .bind(secret_hash)
    .bind(label)
    .bind(created_by)
    .bind(at)
    .fetch_one(db)
    .await
}

/// How many credentials of the customer are not revoked.
pub async fn active_count<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM api_credentials WHERE customer_id = $1 AND revoked_at IS NULL",
    )
    .bind(customer_id)
    .fetch_one(db)
    .await
}

/// The customer's credentials, newest first.
pub async fn of_customer<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
) -> Result<Vec<Credential>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, username, label, created_at, last_used_at, revoked_at FROM api_credentials \
         WHERE customer_id = $1 ORDER BY id DESC",
    )
    .bind(customer_id)
    .fetch_all(db)
    .await
}

/// Revokes one of the customer's credentials; false when it is not theirs or already revoked.
pub async fn revoke<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    id: i64,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE api_credentials SET revoked_at = $3 WHERE id = $2 AND customer_id = $1 AND revoked_at IS NULL",
    )
    .bind(customer_id)
    .bind(id)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The secret of the usable credential called `username`: not revoked, and not made by a
/// user who is disabled now (enabling the user makes it usable again).
pub async fn usable<'e>(
    db: impl Executor<'e, Database = Any>,
    username: &str,
) -> Result<Option<StoredSecret>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.customer_id, c.secret_hash FROM api_credentials c \
         LEFT JOIN users u ON u.id = c.created_by \
         WHERE c.username = $1 AND c.revoked_at IS NULL AND u.disabled_at IS NULL",
    )
    .bind(username)
    .fetch_optional(db)
    .await
}

/// Notes a successful use, at most once a minute per credential.
pub async fn touch<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_credentials SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)")
        .bind(id)
        .bind(at)
        .bind(at - 60)
        .execute(db)
        .await?;
    Ok(())
}

/// The requests of all of a customer's credentials in the window starting at
/// `window_start`.
pub async fn customer_requests<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    window_start: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(u.requests), 0) AS BIGINT) FROM api_usage u \
         JOIN api_credentials c ON c.id = u.credential_id \
         WHERE c.customer_id = $1 AND u.window_start = $2",
    )
    .bind(customer_id)
    .bind(window_start)
    .fetch_one(db)
    .await
}

/// Counts one request of `credential_id` in the window starting at `window_start` and
/// returns the window's count so far, this request included.
pub async fn count_request<'e>(
    db: impl Executor<'e, Database = Any>,
    credential_id: i64,
    window_start: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO api_usage (credential_id, window_start, requests) VALUES ($1, $2, 1) \
         ON CONFLICT (credential_id, window_start) DO UPDATE SET requests = api_usage.requests + 1 \
         RETURNING requests",
    )
    .bind(credential_id)
    .bind(window_start)
    .fetch_one(db)
    .await
}

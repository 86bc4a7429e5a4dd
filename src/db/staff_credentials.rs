//! API credentials of staff (scopes `inventory` and `read`) and their request counts per
//! rate-limit window. Hashed, last use noted and revoked like customers' credentials
//! ([`super::credentials`]); they belong to no customer.

use crate::domain::StaffScope;
use sqlx::{Any, Executor};

/// A staff credential as listed (never with its secret).
#[derive(Debug, Clone)]
pub struct StaffCredential {
    /// Row id.
    pub id: i64,
    /// The basic-auth user name.
    pub username: String,
    /// What it is for (the audit log's actor is `api:LABEL`).
    pub label: String,
    /// What it may do.
    pub scope: StaffScope,
    /// When it was made.
    pub created_at: i64,
    /// When it was last used successfully.
    pub last_used_at: Option<i64>,
    /// When it was revoked.
    pub revoked_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    username: String,
    label: String,
    scope: String,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

fn scope_of(text: &str) -> Result<StaffScope, sqlx::Error> {
    StaffScope::parse(text)
        .ok_or_else(|| sqlx::Error::Decode(format!("unknown scope {text:?}").into()))
}

/// What authenticating a request needs.
#[derive(Debug, Clone)]
pub struct StoredStaffSecret {
    /// Row id.
    pub id: i64,
    /// Its label.
    pub label: String,
    /// What it may do.
    pub scope: StaffScope,
    /// Hex SHA-256 of the secret.
    pub secret_hash: String,
}

/// Adds a credential and returns its id.
pub async fn insert<'e>(
    db: impl Executor<'e, Database = Any>,
    username: &str,
    secret_hash: &str,
    label: &str,
    scope: StaffScope,
    created_by: Option<i64>,
    at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO staff_credentials (username, secret_hash, label, scope, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(username)
    .bind(secret_hash)
    .bind(label)
    .bind(scope.as_str())
    .bind(created_by)
    .bind(at)
    .fetch_one(db)
    .await
}

/// Every staff credential, newest first.
pub async fn listing<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<Vec<StaffCredential>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, username, label, scope, created_at, last_used_at, revoked_at \
         FROM staff_credentials ORDER BY id DESC",
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(StaffCredential {
                scope: scope_of(&row.scope)?,
                id: row.id,
                username: row.username,
                label: row.label,
                created_at: row.created_at,
                last_used_at: row.last_used_at,
                revoked_at: row.revoked_at,
            })
        })
        .collect()
}

/// Revokes credential `id`; its label, or `None` when there is no such usable credential.
pub async fn revoke<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    at: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE staff_credentials SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL \
         RETURNING label",
    )
    .bind(id)
    .bind(at)
    .fetch_optional(db)
    .await
}

/// The secret of the usable credential called `username`: not revoked, and not made by a
/// user who is disabled now.
pub async fn usable<'e>(
    db: impl Executor<'e, Database = Any>,
    username: &str,
) -> Result<Option<StoredStaffSecret>, sqlx::Error> {
    let row: Option<(i64, String, String, String)> = sqlx::query_as(
        "SELECT c.id, c.label, c.scope, c.secret_hash FROM staff_credentials c \
         LEFT JOIN users u ON u.id = c.created_by \
         WHERE c.username = $1 AND c.revoked_at IS NULL AND u.disabled_at IS NULL",
    )
    .bind(username)
    .fetch_optional(db)
    .await?;
    row.map(|(id, label, scope, secret_hash)| {
        Ok(StoredStaffSecret {
            id,
            label,
            scope: scope_of(&scope)?,
            secret_hash,
        })
    })
    .transpose()
}

/// Notes a successful use, at most once a minute per credential.
pub async fn touch<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE staff_credentials SET last_used_at = $2 \
         WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)",
    )
    .bind(id)
    .bind(at)
    .bind(at - 60)
    .execute(db)
    .await?;
    Ok(())
}

/// Counts one request of `credential_id` in the window starting at `window_start` and
/// returns the window's count so far, this request included.
pub async fn count_request<'e>(
    db: impl Executor<'e, Database = Any>,
    credential_id: i64,
    window_start: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO staff_api_usage (credential_id, window_start, requests) VALUES ($1, $2, 1) \
         ON CONFLICT (credential_id, window_start) \
         DO UPDATE SET requests = staff_api_usage.requests + 1 RETURNING requests",
    )
    .bind(credential_id)
    .bind(window_start)
    .fetch_one(db)
    .await
}

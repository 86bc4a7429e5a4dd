//! Server-side sessions (see migrations 0009): the store behind actix-session and the lists
//! of "where you're signed in". Rows are found by the SHA-256 of the cookie's key, never by
//! the key itself.

use crate::db::users::{Account, AccountRow, account_columns, account_joins};
use sqlx::{Any, Executor};

/// How long a session may last.
#[derive(Debug, Clone, Copy)]
pub struct SessionLimits {
    /// Ended when no request used it for this many seconds.
    pub idle_seconds: i64,
    /// Ended this many seconds after it began, however active.
    pub lifetime_seconds: i64,
}

impl SessionLimits {
    /// Limits of `idle_minutes` without a request and `lifetime_hours` in all (at least one
    /// of each).
    pub fn new(idle_minutes: u64, lifetime_hours: u64) -> SessionLimits {
        SessionLimits {
            idle_seconds: (idle_minutes.max(1) * 60) as i64,
            lifetime_seconds: (lifetime_hours.max(1) * 3600) as i64,
        }
    }
}

/// A session as its store loads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredSession {
    /// Row id: the handle the session pages use.
    pub id: i64,
    /// What the session holds (a JSON object of strings).
    pub state: String,
    /// When it began.
    pub created_at: i64,
    /// When a request last used it (kept to the minute).
    pub last_seen_at: i64,
}

/// A signed-in session as its user (or an admin) sees it in a list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionListing {
    /// Row id.
    pub id: i64,
    /// When the user signed in.
    pub created_at: i64,
    /// When a request last used it.
    pub last_seen_at: i64,
    /// The address the user signed in from.
    pub address: Option<String>,
    /// The browser's `User-Agent` at sign-in.
    pub user_agent: Option<String>,
}

/// The facts kept beside a session's state.
#[derive(Debug, Clone, Default)]
pub struct SessionFacts<'a> {
    /// The signed-in user, if any.
    pub user_id: Option<i64>,
    /// Where the user signed in from.
    pub address: Option<&'a str>,
    /// Their browser.
    pub user_agent: Option<&'a str>,
}

/// Stores a new session and returns its row id.
pub async fn insert<'e>(
    db: impl Executor<'e, Database = Any>,
    key_hash: &str,
    state: &str,
    facts: &SessionFacts<'_>,
    at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO sessions (key_hash, user_id, state, created_at, last_seen_at, address, user_agent) \
         VALUES ($1, $2, $3, $4, $4, $5, $6) RETURNING id",
    )
    .bind(key_hash)
    .bind(facts.user_id)
    .bind(state)
    .bind(at)
    .bind(facts.address)
    .bind(facts.user_agent)
    .fetch_one(db)
    .await
}

/// A session row with its user's account columns (all empty for a session no one signed in
/// to).
#[derive(sqlx::FromRow)]
struct SessionRow {
    session_id: i64,
    state: String,
    created_at: i64,
    last_seen_at: i64,
    id: Option<i64>,
    username: Option<String>,
    role: Option<String>,
    customer_id: Option<i64>,
    customer_name: Option<String>,
    disabled_at: Option<i64>,
    language: Option<String>,
    time_zone: Option<String>,
    page_version: i64,
}

/// The session whose key hashes to `key_hash`, if it still exists, with the account of the
/// user it was signed in to (as [`crate::db::users::account`] reads it): the one query every
/// signed-in request makes before its own.
pub async fn find<'e>(
    db: impl Executor<'e, Database = Any>,
    key_hash: &str,
) -> Result<Option<(StoredSession, Option<Account>)>, sqlx::Error> {
    let row: Option<SessionRow> = sqlx::query_as(concat!(
        "SELECT s.id AS session_id, s.state, s.created_at, s.last_seen_at, ",
        account_columns!(),
        " FROM sessions s LEFT JOIN users u ON u.id = s.user_id ",
        account_joins!(),
        " WHERE s.key_hash = $1"
    ))
    .bind(key_hash)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let session = StoredSession {
        id: row.session_id,
        state: row.state,
        created_at: row.created_at,
        last_seen_at: row.last_seen_at,
    };
    let account = match (row.id, row.username, row.role) {
        (Some(id), Some(username), Some(role)) => Some(
            AccountRow {
                id,
                username,
                role,
                customer_id: row.customer_id,
                customer_name: row.customer_name,
                disabled_at: row.disabled_at,
                language: row.language,
                time_zone: row.time_zone,
                page_version: row.page_version,
            }
            .into_account()?,
        ),
        _ => None,
    };
    Ok(Some((session, account)))
}

/// Replaces a session's state; false when it no longer exists (ended meanwhile: it stays
/// ended, the new state is dropped).
pub async fn update_state<'e>(
    db: impl Executor<'e, Database = Any>,
    key_hash: &str,
    state: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE sessions SET state = $2, last_seen_at = $3 WHERE key_hash = $1")
        .bind(key_hash)
        .bind(state)
        .bind(at)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Notes that the session was used at `at`.
pub async fn touch<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends the session whose key hashes to `key_hash`.
pub async fn delete_by_key<'e>(
    db: impl Executor<'e, Database = Any>,
    key_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE key_hash = $1")
        .bind(key_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends one session of `user_id`; false when it is not theirs or already ended.
pub async fn end_one<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
    id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE id = $2 AND user_id = $1")
        .bind(user_id)
        .bind(id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends every session of `user_id` but `keep` (`None`: all of them); returns how many ended.
pub async fn end_all_of_user<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
    keep: Option<i64>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or(0))
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// The signed-in sessions of `user_id`, most recently used first.
pub async fn of_user<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
) -> Result<Vec<SessionListing>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, created_at, last_seen_at, address, user_agent FROM sessions \
         WHERE user_id = $1 ORDER BY last_seen_at DESC, id DESC",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// Removes the sessions that `limits` ended by `now` (their next request would find them
/// ended anyway); returns how many.
pub async fn delete_expired<'e>(
    db: impl Executor<'e, Database = Any>,
    limits: SessionLimits,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(now - limits.idle_seconds)
        .bind(now - limits.lifetime_seconds)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

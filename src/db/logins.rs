//! Failed sign-ins and the locks they lead to, kept in the database so that every node of a
//! cluster sees the same count.

use sqlx::{Any, Executor};

/// Records one failed sign-in.
pub async fn record_failure<'e>(
    db: impl Executor<'e, Database = Any>,
    username: &str,
    source: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO login_failures (at, username, source) VALUES ($1, $2, $3)")
        .bind(at)
        .bind(username)
        .bind(source)
        .execute(db)
        .await?;
    Ok(())
}

/// Failed sign-ins for `username` since `since`.
pub async fn failures_for_user<'e>(
    db: impl Executor<'e, Database = Any>,
    username: &str,
    since: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at >= $2")
        .bind(username)
        .bind(since)
        .fetch_one(db)
        .await
}

/// Failed sign-ins from `source` since `since`.
pub async fn failures_from_source<'e>(
    db: impl Executor<'e, Database = Any>,
    source: &str,
    since: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE source = $1 AND at >= $2")
        .bind(source)
        .bind(since)
        .fetch_one(db)
        .await
}

/// Locks `subject` (`user:NAME` or `source:ADDRESS`) until `until`.
pub async fn lock<'e>(
    db: impl Executor<'e, Database = Any>,
    subject: &str,
    until: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO login_locks (subject, until) VALUES ($1, $2)")
        .bind(subject)
        .bind(until)
        .execute(db)
        .await?;
    Ok(())
}

/// The latest end of a lock on any of `subjects` that is still in force at `now`.
pub async fn locked_until<'e>(
    db: impl Executor<'e, Database = Any>,
    user_subject: &str,
    source_subject: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT MAX(until) FROM login_locks WHERE (subject = $1 OR subject = $2) AND until > $3",
    )
    .bind(user_subject)
    .bind(source_subject)
    .bind(now)
    .fetch_one(db)
    .await
}

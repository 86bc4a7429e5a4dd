//! The links between ptrdesk users and the OpenID Connect identities (issuer + subject) they
//! sign in with.

use sqlx::{Any, Executor};

/// The user linked to `issuer` + `subject`, if any.
pub async fn linked_user<'e>(
    db: impl Executor<'e, Database = Any>,
    issuer: &str,
    subject: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM oidc_identities WHERE issuer = $1 AND subject = $2")
        .bind(issuer)
        .bind(subject)
        .fetch_optional(db)
        .await
}

/// Links `user_id` to `issuer` + `subject`.
pub async fn link<'e>(
    db: impl Executor<'e, Database = Any>,
    issuer: &str,
    subject: &str,
    user_id: i64,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO oidc_identities (issuer, subject, user_id, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(issuer)
    .bind(subject)
    .bind(user_id)
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}

/// Whether a user called `username` exists.
pub async fn username_taken<'e>(
    db: impl Executor<'e, Database = Any>,
    username: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}

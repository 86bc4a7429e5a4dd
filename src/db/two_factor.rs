//! The second factor of users who sign in with a password: their TOTP secret and the steps
//! already used, and their recovery codes (hashed).

use sqlx::{Any, Executor};

/// A user's TOTP secret as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredTotp {
    /// Base32.
    pub secret: String,
    /// When the user confirmed it with a code; `None` while enrolling.
    pub enabled_at: Option<i64>,
}

/// The user's TOTP secret, enabled or being enrolled.
pub async fn totp<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
) -> Result<Option<StoredTotp>, sqlx::Error> {
    sqlx::query_as("SELECT secret, enabled_at FROM user_totp WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(db)
        .await
}

/// Stores a new secret for the user to enrol with, replacing one not confirmed yet; false
/// when the user has an enabled one (which this never replaces).
pub async fn start_enrolment<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
    secret: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO user_totp (user_id, secret, enabled_at, last_step) VALUES ($1, $2, NULL, 0) \
         ON CONFLICT (user_id) DO UPDATE SET secret = $2 WHERE user_totp.enabled_at IS NULL",
    )
    .bind(user_id)
    .bind(secret)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Accepts time step `step` for the user: true only when it is later than every step
/// accepted before (a code is used once), and, with `enable`, enables the secret.
pub async fn accept_step<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
    step: i64,
    enable_at: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE user_totp SET last_step = $2, enabled_at = COALESCE(enabled_at, $3) \
         WHERE user_id = $1 AND last_step < $2",
    )
    .bind(user_id)
    .bind(step)
    .bind(enable_at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the user's recovery codes with these hashes.
pub async fn replace_recovery_codes(
    tx: &mut super::Tx,
    user_id: i64,
    hashes: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    for hash in hashes {
        sqlx::query(
            "INSERT INTO recovery_codes (user_id, code_hash, used_at) VALUES ($1, $2, NULL)",
        )
        .bind(user_id)
        .bind(hash)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Uses the recovery code with this hash; false when it is not the user's or already used.
pub async fn use_recovery_code<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
    code_hash: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
    )
    .bind(user_id)
    .bind(code_hash)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes the user's second factor (secret and recovery codes): they enrol again.
pub async fn remove(tx: &mut super::Tx, user_id: i64) -> Result<(), sqlx::Error> {
    for sql in [
        "DELETE FROM user_totp WHERE user_id = $1",
        "DELETE FROM recovery_codes WHERE user_id = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut **tx).await?;
    }
    Ok(())
}

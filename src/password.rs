//! Password hashing with argon2id. Hashing is deliberately slow, so it always runs on the
//! blocking pool, never on an async worker.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use secrecy::{ExposeSecret, SecretString};
use std::sync::OnceLock;

/// The shortest password a person may set (the admin page, the command line).
pub const MIN_LENGTH: usize = 12;

/// A hash to verify against when the username does not exist, so that a missing user takes
/// as long to refuse as a wrong password. Made once, from a password nobody knows.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        Argon2::default()
            .hash_password(crate::token::random_token(16).as_bytes())
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    })
}

/// Hashes a password into an argon2id PHC string.
pub async fn hash(password: SecretString) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.expose_secret().as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|err| anyhow::anyhow!("hashing failed: {err}"))
    })
    .await?
}

/// Whether `password` matches `stored` (or, with `None`, burns the same time and says no).
pub async fn verify(password: SecretString, stored: Option<String>) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let matches = Argon2::default()
            .verify_password(password.expose_secret().as_bytes(), hash.as_str())
            .is_ok();
        known && matches
    })
    .await
    .map_err(Into::into)
}

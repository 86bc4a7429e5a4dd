//! API credentials: a generated user name and secret per credential, shown once; only the
//! SHA-256 of the secret is kept.

use sha2::{Digest, Sha256};

/// A credential as made, with its secret in clear (show it once, then forget it).
#[derive(Debug, Clone)]
pub struct NewCredential {
    /// The basic-auth user name.
    pub username: String,
    /// The basic-auth password.
    pub secret: String,
}

/// Makes a user name (`ptr-` + customer number + random) and a 32-byte random secret.
pub fn generate(customer_number: &str) -> NewCredential {
    let number: String = customer_number
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    NewCredential {
        username: format!("ptr-{number}-{}", crate::token::random_token(4)),
        secret: crate::token::random_token(32),
    }
}

/// Makes a staff credential's user name (`staff-` + random) and a 32-byte random secret.
pub fn generate_staff() -> NewCredential {
    NewCredential {
        username: format!("staff-{}", crate::token::random_token(4)),
        secret: crate::token::random_token(32),
    }
}

/// The stored form of a secret.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Whether `secret` matches the stored hash, in constant time.
pub fn secret_matches(secret: &str, stored_hash: &str) -> bool {
    crate::token::constant_time_eq(hash_secret(secret).as_bytes(), stored_hash.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_secret_matches_its_hash_and_nothing_else() {
        let credential = generate("K10001");
        let stored = hash_secret(&credential.secret);
        assert!(secret_matches(&credential.secret, &stored));
        assert!(!secret_matches("demo-api", &stored));
        assert!(credential.username.starts_with("ptr-k10001-"));
    }
}

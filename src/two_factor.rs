//! Two factors for staff who sign in with a password: TOTP codes (RFC 6238: HMAC-SHA-1,
//! 6 digits, 30-second steps, one step of clock skew either way — what every authenticator
//! app does by default) and recovery codes.
//!
//! Policy: a code is accepted once: its time step must be later than the last one accepted
//! for the user (so neither a replayed code nor an older one still in its window passes).
//! Recovery codes are 10 random `xxxx-xxxx` codes shown once; only their SHA-256 is kept,
//! each works once. Wrong codes count as failed sign-ins ([`crate::auth`]).

use crate::db::{self, Db};
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Builder, Secret, Totp};

/// How many recovery codes a user gets.
pub const RECOVERY_CODES: usize = 10;
/// The issuer shown in authenticator apps.
const ISSUER: &str = "ptrdesk";

/// What a user enrolling needs to set up their app.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// The secret in base32, to type in by hand.
    pub secret: String,
    /// The `otpauth://` URL the QR code carries.
    pub url: String,
    /// The QR code as an SVG document.
    pub qr_svg: String,
}

/// A new random secret (160 bits, as RFC 4226 recommends), in base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::fill(&mut bytes[..]);
    Secret::new_stack(bytes).to_base32()
}

fn totp(secret: &str, account: &str) -> Result<Totp, String> {
    let secret =
        Secret::try_from_base32(secret).map_err(|err| format!("stored secret: {err:?}"))?;
    // ':' separates issuer and account in the URL; a user name never needs it.
    let account = account.replace(':', "_");
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        .with_account_name(account)
        .build()
        .map_err(|err| format!("TOTP: {err:?}"))
}

/// The set-up of `secret` for the user called `username`.
pub fn enrolment(secret: &str, username: &str) -> Result<Enrolment, String> {
    let url = totp(secret, username)?
        .to_url()
        .map_err(|err| format!("TOTP URL: {err:?}"))?;
    let qr = qrcode::QrCode::new(url.as_bytes()).map_err(|err| format!("QR code: {err}"))?;
    let qr_svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok(Enrolment {
        secret: secret.to_owned(),
        url,
        qr_svg,
    })
}

/// The time step `code` is valid for at `now` with `secret` (this step or one either side),
/// if any.
pub fn matching_step(secret: &str, code: &str, now: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let totp = totp(secret, "check").ok()?;
    let now = u64::try_from(now).ok()?;
    totp.check(&code, now)
        .and_then(|step| i64::try_from(step).ok())
}

/// New recovery codes, in clear (show them once).
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let token = crate::token::random_token(4);
            format!("{}-{}", &token[..4], &token[4..])
        })
        .collect()
}

/// The stored form of a recovery code: spaces and dashes dropped, lower case, SHA-256.
pub fn hash_recovery_code(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex::encode(Sha256::digest(normal.as_bytes()))
}

/// Whether `code` (a TOTP code or a recovery code) is good for the user's enabled second
/// factor at `now`; a good one is used up as it is accepted.
pub async fn accept_code(db: &Db, user_id: i64, code: &str, now: i64) -> Result<bool, sqlx::Error> {
    let Some(stored) = db::two_factor::totp(&db.pool, user_id).await? else {
        return Ok(false);
    };
    if stored.enabled_at.is_none() {
        return Ok(false);
    }
    let digits = code.chars().filter(|c| !c.is_whitespace()).count();
    if digits == 6 {
        return match matching_step(&stored.secret, code, now) {
            Some(step) => db::two_factor::accept_step(&db.pool, user_id, step, None).await,
            None => Ok(false),
        };
    }
    db::two_factor::use_recovery_code(&db.pool, user_id, &hash_recovery_code(code), now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_6238_sha1_vectors_hold() {
        // RFC 6238 appendix B, SHA-1 seed "12345678901234567890", last 6 of the 8 digits.
        let secret = Secret::new(b"12345678901234567890".to_vec().into_boxed_slice()).to_base32();
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (2_000_000_000, "279037"),
        ] {
            let step = matching_step(&secret, code, time).expect("the code is valid");
            assert_eq!(step, time / 30, "{time}");
        }
        assert_eq!(matching_step(&secret, "287083", 59), None);
    }

    #[test]
    fn a_code_of_the_step_before_or_after_is_accepted_but_not_two_away() {
        let secret = new_secret();
        let totp = totp(&secret, "x").expect("a TOTP");
        let now: i64 = 1_800_000_015;
        let code_at = |time: i64| totp.generate(time as u64).to_string();
        assert!(matching_step(&secret, &code_at(now - 30), now).is_some());
        assert!(matching_step(&secret, &code_at(now + 30), now).is_some());
        assert_eq!(matching_step(&secret, &code_at(now - 60), now), None);
    }

    #[test]
    fn recovery_codes_hash_the_same_however_they_are_typed() {
        assert_eq!(
            hash_recovery_code("ab12-cd34"),
            hash_recovery_code(" AB12 CD34 ")
        );
        assert_ne!(
            hash_recovery_code("ab12-cd34"),
            hash_recovery_code("ab12-cd35")
        );
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert!(
            codes
                .iter()
                .all(|code| code.len() == 9 && code.as_bytes()[4] == b'-')
        );
    }
}

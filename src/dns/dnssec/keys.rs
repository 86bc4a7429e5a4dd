//! The life of the keys: every served zone gets a KSK and a ZSK when `dnssec` is on
//! ([`ensure_keys`]), and a ZSK is rolled over by pre-publishing (RFC 6781 section 4.1.1.1):
//!
//! 1. [`start_rollover`] (`ptrdesk dns rollover ZONE`) adds the new ZSK to the DNSKEY set
//!    without signing with it.
//! 2. Once the DNSKEY set's TTL (plus the margin `dnssec_rollover_margin_seconds`, the
//!    secondaries' time to transfer) has passed, every validator's cached DNSKEY set holds the
//!    new key: the new ZSK signs, the old one is retired (still in the DNSKEY set).
//! 3. Once the longest TTL of the signed records (plus the margin) has passed, no cache holds a
//!    signature of the old key: it leaves the DNSKEY set.
//!
//! [`run`] takes the steps when they are due, on whichever node gets there first (the writes
//! are conditional), keeps the node's [`Keyring`] current with the database, and moves every
//! signed zone's serial once per signature window.

use super::{ALGORITHM, Keyring, window_of};
use crate::db::Db;
use crate::db::dnssec::{self as stored, KeyRole, KeyState, NewKey, RolloverError};
use crate::dns::Publishing;
use crate::shutdown::Shutdown;
use base64::Engine as _;
use hickory_server::proto::dnssec::crypto::EcdsaSigningKey;
use std::sync::Arc;
use std::time::Duration;

/// How often a node looks at its keys in the database (and at due rollover steps).
pub const FOLLOW_EVERY: Duration = Duration::from_millis(250);

/// Why keys could not be made or changed.
#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    /// The system's random source or the key encoding failed.
    #[error("generating a DNSSEC key failed: {0}")]
    Generate(String),
    /// Starting a rollover was refused.
    #[error(transparent)]
    Rollover(#[from] RolloverError),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// A new private key of [`ALGORITHM`]: PKCS#8, base64.
pub fn generate() -> Result<String, KeysError> {
    let der = EcdsaSigningKey::generate_pkcs8(ALGORITHM)
        .map_err(|err| KeysError::Generate(err.to_string()))?;
    Ok(base64::engine::general_purpose::STANDARD.encode(der.secret_pkcs8_der()))
}

/// Gives every active zone in `zones` that has no keys a KSK and a ZSK (and moves its
/// serial); how many zones got keys.
pub async fn ensure_keys(db: &Db, zones: &[String], now: i64) -> Result<usize, KeysError> {
    let mut made = 0;
    let signed: std::collections::HashSet<String> = stored::live_keys(&db.pool)
        .await?
        .into_iter()
        .map(|key| key.zone)
        .collect();
    for zone in zones {
        if signed.contains(zone) {
            continue;
        }
        let (ksk, zsk) = (generate()?, generate()?);
        let keys = [
            NewKey {
                role: KeyRole::Ksk,
                algorithm: u8::from(ALGORITHM),
                private_key: &ksk,
                state: KeyState::Active,
            },
            NewKey {
                role: KeyRole::Zsk,
                algorithm: u8::from(ALGORITHM),
                private_key: &zsk,
                state: KeyState::Active,
            },
        ];
        if stored::create_zone_keys(&db.pool, zone, &keys, window_of(now), now).await? {
            tracing::info!(zone = %zone, "DNSSEC keys generated");
            made += 1;
        }
    }
    if made > 0 {
        db.publishing_changed().await;
    }
    Ok(made)
}

/// Step 1 of a ZSK rollover of `zone`, asked by `actor` (audited): a new ZSK is published
/// (not signing yet).
pub async fn start_rollover(
    db: &Db,
    zone: &str,
    actor: &crate::db::audit::Actor,
    now: i64,
) -> Result<(), KeysError> {
    let key = generate()?;
    let what = format!("{zone}: new ZSK published");
    let audit = crate::db::audit::NewAuditRow {
        actor,
        door: crate::domain::Door::System,
        action: crate::domain::AuditAction::DnssecRollover,
        customer_id: None,
        ip: None,
        old_value: None,
        new_value: Some(&what),
        change_id: None,
        at: now,
    };
    stored::start_rollover(
        &db.pool,
        zone,
        NewKey {
            role: KeyRole::Zsk,
            algorithm: u8::from(ALGORITHM),
            private_key: &key,
            state: KeyState::Published,
        },
        &audit,
        now,
    )
    .await?;
    db.publishing_changed().await;
    tracing::info!(zone = %zone, "ZSK rollover started: new key published");
    Ok(())
}

/// A step of a rollover that is due.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// The published ZSK `id` starts signing; the active one retires.
    Activate { zone: String, id: i64 },
    /// The retired ZSK `id` leaves the DNSKEY set.
    Remove { zone: String, id: i64 },
}

/// The rollover steps due at `now` (each wait: `ttl` plus the keyring's margin).
fn due_steps(keyring: &Keyring, ttl: u32, now: i64) -> Vec<Step> {
    let wait = i64::from(ttl) + keyring.margin;
    let mut steps = Vec::new();
    for name in keyring.zone_names() {
        let Some(keys) = keyring.zone(&name) else {
            continue;
        };
        for key in keys
            .keys
            .iter()
            .filter(|key| key.stored.role == KeyRole::Zsk)
        {
            // Strictly later: times are whole seconds, so this leaves at least `wait` seconds.
            let due = key.stored.state_since + wait < now;
            match key.stored.state {
                KeyState::Published if due => steps.push(Step::Activate {
                    zone: name.clone(),
                    id: key.stored.id,
                }),
                KeyState::Retired if due => steps.push(Step::Remove {
                    zone: name.clone(),
                    id: key.stored.id,
                }),
                _ => {}
            }
        }
    }
    steps
}

/// What the job of one node remembers between rounds.
#[derive(Debug, Default)]
struct Rounds {
    /// The signature window whose serials it moved.
    window: Option<i64>,
}

/// One round: read changed keys, give new zones keys, take due rollover steps, move serials
/// for a new signature window.
async fn round(
    db: &Db,
    publishing: &Publishing,
    keyring: &Keyring,
    rounds: &mut Rounds,
    now: i64,
) -> Result<(), KeysError> {
    keyring.reload_if_changed(&db.pool).await?;
    let unsigned = stored::unsigned_zones(&db.pool).await?;
    if !unsigned.is_empty() && ensure_keys(db, &unsigned, now).await? > 0 {
        keyring.reload_if_changed(&db.pool).await?;
    }
    let mut moved = false;
    for step in due_steps(keyring, publishing.ttl, now) {
        let done = match &step {
            Step::Activate { zone, id } => {
                stored::move_key(
                    &db.pool,
                    zone,
                    *id,
                    (KeyState::Published, KeyState::Active),
                    Some((KeyState::Active, KeyState::Retired)),
                    now,
                )
                .await?
            }
            Step::Remove { zone, id } => {
                stored::move_key(
                    &db.pool,
                    zone,
                    *id,
                    (KeyState::Retired, KeyState::Removed),
                    None,
                    now,
                )
                .await?
            }
        };
        if done {
            tracing::info!(?step, "ZSK rollover step taken");
            moved = true;
        }
    }
    let window = window_of(now);
    if rounds.window != Some(window) {
        for (zone, signed) in stored::signed_windows(&db.pool).await? {
            if signed < window {
                moved |= stored::claim_window(&db.pool, &zone, window, now).await?;
            }
        }
        rounds.window = Some(window);
    }
    if moved {
        keyring.reload_if_changed(&db.pool).await?;
        db.publishing_changed().await;
    }
    Ok(())
}

/// Keeps `keyring` current and takes the keys' steps every [`FOLLOW_EVERY`] until `shutdown`.
pub async fn run(db: Db, publishing: Arc<Publishing>, keyring: Arc<Keyring>, shutdown: Shutdown) {
    let mut ticker = tokio::time::interval(FOLLOW_EVERY);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut rounds = Rounds::default();
    let mut failing = false;
    while shutdown.next_round(&mut ticker).await {
        match round(&db, &publishing, &keyring, &mut rounds, crate::clock::now()).await {
            Ok(()) => failing = false,
            Err(err) if !failing => {
                failing = true;
                tracing::error!(error = %err, "DNSSEC keys could not be followed; the next rounds retry");
            }
            Err(_) => {}
        }
    }
}

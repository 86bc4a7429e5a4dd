//! The DNSSEC keys of the signed reverse zones and the signature windows their serials were
//! moved for (migration 0021). Every write here moves the zone's serial in its own transaction
//! (and logs it for the zone stores), so secondaries transfer the new DNSKEY set at once.
//!
//! Policy: writes are conditional (a state moves only from the state it was read in), so two
//! nodes doing the same step at once do it once.

use super::dns_changes::{self, ChangeKind};
use crate::domain::address_from_key;
use sqlx::{Any, Executor};

/// What a key signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRole {
    /// The key-signing key: signs the DNSKEY set; its DS is what the parent holds.
    Ksk,
    /// A zone-signing key: signs everything else.
    Zsk,
}

impl KeyRole {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyRole::Ksk => "ksk",
            KeyRole::Zsk => "zsk",
        }
    }

    fn parse(text: &str) -> Option<KeyRole> {
        match text {
            "ksk" => Some(KeyRole::Ksk),
            "zsk" => Some(KeyRole::Zsk),
            _ => None,
        }
    }
}

/// Where a key stands in its life (a rollover moves a ZSK through them in order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyState {
    /// In the DNSKEY set, not signing yet (pre-published).
    Published,
    /// Signing.
    Active,
    /// In the DNSKEY set, no longer signing (signatures made with it may still be cached).
    Retired,
    /// Gone from the DNSKEY set.
    Removed,
}

impl KeyState {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Published => "published",
            KeyState::Active => "active",
            KeyState::Retired => "retired",
            KeyState::Removed => "removed",
        }
    }

    fn parse(text: &str) -> Option<KeyState> {
        match text {
            "published" => Some(KeyState::Published),
            "active" => Some(KeyState::Active),
            "retired" => Some(KeyState::Retired),
            "removed" => Some(KeyState::Removed),
            _ => None,
        }
    }
}

/// One stored key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKey {
    /// Its row.
    pub id: i64,
    /// The zone's name (`2.0.192.in-addr.arpa`).
    pub zone: String,
    /// KSK or ZSK.
    pub role: KeyRole,
    /// The DNSSEC algorithm number (13: ECDSA P-256 with SHA-256).
    pub algorithm: u8,
    /// The PKCS#8 document of the private key, base64.
    pub private_key: String,
    /// Where it stands.
    pub state: KeyState,
    /// When it was made (Unix seconds).
    pub created_at: i64,
    /// Since when it is in its state.
    pub state_since: i64,
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    id: i64,
    zone: String,
    role: String,
    algorithm: i64,
    private_key: String,
    state: String,
    created_at: i64,
    state_since: i64,
}

impl KeyRow {
    fn into_key(self) -> Option<StoredKey> {
        Some(StoredKey {
            id: self.id,
            zone: self.zone,
            role: KeyRole::parse(&self.role)?,
            algorithm: u8::try_from(self.algorithm).ok()?,
            private_key: self.private_key,
            state: KeyState::parse(&self.state)?,
            created_at: self.created_at,
            state_since: self.state_since,
        })
    }
}

/// What moves whenever a key is written (the count of rows, and the highest revision: every
/// write stamps its row past it): nodes compare it to know when to reload their keys.
pub async fn fingerprint<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as("SELECT COUNT(*), COALESCE(MAX(revision), 0) FROM dnssec_keys")
        .fetch_one(db)
        .await
}

/// Every key not removed, by zone and age.
pub async fn live_keys<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<Vec<StoredKey>, sqlx::Error> {
    let rows: Vec<KeyRow> = sqlx::query_as(
        "SELECT id, zone, role, algorithm, private_key, state, created_at, state_since \
         FROM dnssec_keys WHERE state <> 'removed' ORDER BY zone, id",
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().filter_map(KeyRow::into_key).collect())
}

/// Every key of `zone`, removed ones included, oldest first.
pub async fn keys_of<'e>(
    db: impl Executor<'e, Database = Any>,
    zone: &str,
) -> Result<Vec<StoredKey>, sqlx::Error> {
    let rows: Vec<KeyRow> = sqlx::query_as(
        "SELECT id, zone, role, algorithm, private_key, state, created_at, state_since \
         FROM dnssec_keys WHERE zone = $1 ORDER BY id",
    )
    .bind(zone)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().filter_map(KeyRow::into_key).collect())
}

/// A new key as [`create_zone_keys`] and [`start_rollover`] store it.
#[derive(Debug, Clone, Copy)]
pub struct NewKey<'a> {
    /// KSK or ZSK.
    pub role: KeyRole,
    /// The algorithm number.
    pub algorithm: u8,
    /// PKCS#8, base64.
    pub private_key: &'a str,
    /// Its first state.
    pub state: KeyState,
}

async fn insert_key(
    conn: &mut sqlx::AnyConnection,
    zone: &str,
    key: NewKey<'_>,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO dnssec_keys (zone, role, algorithm, private_key, state, created_at, state_since, revision) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, (SELECT COALESCE(MAX(revision), 0) + 1 FROM dnssec_keys))",
    )
    .bind(zone)
    .bind(key.role.as_str())
    .bind(i64::from(key.algorithm))
    .bind(key.private_key)
    .bind(key.state.as_str())
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Stores the first keys of `zone` and claims its signature `window`; false (nothing written)
/// when the zone has keys already (another node was first).
pub async fn create_zone_keys(
    pool: &sqlx::AnyPool,
    zone: &str,
    keys: &[NewKey<'_>],
    window: i64,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM dnssec_keys WHERE zone = $1")
        .bind(zone)
        .fetch_one(&mut *tx)
        .await?;
    if existing > 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    let claimed = sqlx::query(
        "INSERT INTO dnssec_zones (zone, signed_window) VALUES ($1, $2) ON CONFLICT (zone) DO NOTHING",
    )
    .bind(zone)
    .bind(window)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    for key in keys {
        insert_key(&mut tx, zone, *key, at).await?;
    }
    bump_zone(&mut tx, zone, at).await?;
    tx.commit().await?;
    Ok(true)
}

/// Why a rollover could not start.
#[derive(Debug, thiserror::Error)]
pub enum RolloverError {
    /// The zone has no keys (DNSSEC off, or not served yet).
    #[error("zone {0} has no DNSSEC keys (is dnssec = true, and is the zone served?)")]
    NoKeys(String),
    /// A rollover is under way.
    #[error("a ZSK rollover of zone {0} is under way already")]
    UnderWay(String),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Starts a ZSK rollover of `zone`: stores `new` as a published ZSK (step 1 of pre-publish),
/// with `audit` (the operator's row) in the same transaction.
pub async fn start_rollover(
    pool: &sqlx::AnyPool,
    zone: &str,
    new: NewKey<'_>,
    audit: &super::audit::NewAuditRow<'_>,
    at: i64,
) -> Result<(), RolloverError> {
    let mut tx = pool.begin().await?;
    let states: Vec<String> = sqlx::query_scalar(
        "SELECT state FROM dnssec_keys WHERE zone = $1 AND role = 'zsk' AND state <> 'removed'",
    )
    .bind(zone)
    .fetch_all(&mut *tx)
    .await?;
    if states.is_empty() {
        return Err(RolloverError::NoKeys(zone.to_owned()));
    }
    if states.iter().any(|state| state != "active") {
        return Err(RolloverError::UnderWay(zone.to_owned()));
    }
    insert_key(&mut tx, zone, new, at).await?;
    super::audit::insert(&mut *tx, audit).await?;
    bump_zone(&mut tx, zone, at).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves key `id` of `zone` from `from` to `to`, and the zone's other ZSKs in `others_from`
/// (if any) to `others_to`; false when the key was not in `from` (another node moved it).
pub async fn move_key(
    pool: &sqlx::AnyPool,
    zone: &str,
    id: i64,
    (from, to): (KeyState, KeyState),
    others: Option<(KeyState, KeyState)>,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let moved = sqlx::query(
        "UPDATE dnssec_keys SET state = $3, state_since = $4, \
                revision = (SELECT COALESCE(MAX(revision), 0) + 1 FROM dnssec_keys) \
         WHERE id = $1 AND state = $2",
    )
    .bind(id)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(at)
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    if let Some((others_from, others_to)) = others {
        sqlx::query(
            "UPDATE dnssec_keys SET state = $4, state_since = $5, \
                    revision = (SELECT COALESCE(MAX(revision), 0) + 1 FROM dnssec_keys) \
             WHERE zone = $1 AND role = 'zsk' AND id <> $2 AND state = $3",
        )
        .bind(zone)
        .bind(id)
        .bind(others_from.as_str())
        .bind(others_to.as_str())
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    bump_zone(&mut tx, zone, at).await?;
    tx.commit().await?;
    Ok(true)
}

/// Claims signature `window` for `zone` and moves its serial (the secondaries then transfer
/// fresh signatures); false when the zone is at that window already.
pub async fn claim_window(
    pool: &sqlx::AnyPool,
    zone: &str,
    window: i64,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let claimed = sqlx::query(
        "UPDATE dnssec_zones SET signed_window = $2 WHERE zone = $1 AND signed_window < $2",
    )
    .bind(zone)
    .bind(window)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    bump_zone(&mut tx, zone, at).await?;
    tx.commit().await?;
    Ok(true)
}

/// The active zones without keys (not yet signed), by name.
pub async fn unsigned_zones<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT name FROM zones WHERE active = 1 \
           AND NOT EXISTS (SELECT 1 FROM dnssec_zones d WHERE d.zone = zones.name) \
         ORDER BY name",
    )
    .fetch_all(db)
    .await
}

/// The signature window each zone's serial was last moved for.
pub async fn signed_windows<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT zone, signed_window FROM dnssec_zones ORDER BY zone")
        .fetch_all(db)
        .await
}

/// Moves the serial of active zone `zone` (as a change of its content would) and logs it for
/// the zone stores.
async fn bump_zone(conn: &mut sqlx::AnyConnection, zone: &str, at: i64) -> Result<(), sqlx::Error> {
    let range: Option<(Vec<u8>, Vec<u8>)> = sqlx::query_as(
        "UPDATE zones SET serial = CASE WHEN serial + 1 > $2 THEN serial + 1 ELSE $2 END, updated_at = $2 \
         WHERE name = $1 AND active = 1 \
         RETURNING first_addr, last_addr",
    )
    .bind(zone)
    .bind(at)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((first, last)) = range
        && let (Some(first), Some(last)) = (address_from_key(&first), address_from_key(&last))
    {
        dns_changes::record(conn, &[(first, last)], ChangeKind::Serials, at).await?;
    }
    Ok(())
}

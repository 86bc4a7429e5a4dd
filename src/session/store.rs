//! The session store behind actix-session: sessions are rows of the database (see
//! [`crate::db::sessions`]), so every node sees the same ones and ending a session is a
//! `DELETE` that takes effect on the next request, wherever it lands.
//!
//! The cookie carries only a random 32-byte key (actix-session signs and encrypts it); the
//! row is found by the key's SHA-256. Loading a session enforces the idle timeout and the
//! absolute lifetime and notes when it was last used (at most once a minute, so an active
//! session costs one read per request and one write a minute).
//!
//! A database that cannot be read does not fail the request here (actix-session would
//! answer a bare 500): the session comes back marked unreadable, and whatever needs it
//! answers ptrdesk's own error page with the request id.

use crate::db::{self, Db, sessions::SessionFacts, sessions::SessionLimits};
use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The state key of the signed-in user's id.
pub(super) const USER_ID: &str = "user_id";
/// State keys that go to their own columns at sign-in and are not kept in the state.
pub(super) const ADDRESS: &str = "sign_in_address";
pub(super) const USER_AGENT: &str = "sign_in_user_agent";
/// The state key that marks a session whose row could not be read (never stored): see
/// [`super::AppSession::readable`].
pub(super) const STORE_FAILED: &str = "store_failed";
/// The state key under which a loaded session carries its own row id (never stored).
pub(super) const SESSION_ID: &str = "session_id";
/// The state key under which a loaded session carries its user's account, read in the same
/// query (never stored): the signed-in extractor takes it instead of a query of its own.
pub(super) const ACCOUNT: &str = "account";

/// Sessions kept in the database.
#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: Db,
    limits: SessionLimits,
}

/// How often a session's `last_seen_at` is written at most.
const TOUCH_EVERY_SECONDS: i64 = 60;

impl DbSessionStore {
    /// A store on `db` with these limits.
    pub fn new(db: Db, limits: SessionLimits) -> DbSessionStore {
        DbSessionStore { db, limits }
    }
}

fn key_hash(key: &SessionKey) -> String {
    hex::encode(Sha256::digest(key.as_ref().as_bytes()))
}

/// A JSON-encoded string value of the state, decoded.
fn string_value(state: &HashMap<String, String>, key: &str) -> Option<String> {
    state
        .get(key)
        .and_then(|value| serde_json::from_str::<String>(value).ok())
}

impl SessionStore for DbSessionStore {
    async fn load(
        &self,
        session_key: &SessionKey,
    ) -> Result<Option<HashMap<String, String>>, LoadError> {
        let hash = key_hash(session_key);
        let pool = &self.db.pool;
        let (session, account) = match db::sessions::find(pool, &hash).await {
            Ok(Some(found)) => found,
            Ok(None) => return Ok(None),
            Err(err) => {
                let _ = db::note_error(&err);
                tracing::error!(error = ?err, "the session store could not be read");
                let unreadable = [(STORE_FAILED.to_owned(), "true".to_owned())];
                return Ok(Some(unreadable.into_iter().collect()));
            }
        };
        let now = crate::clock::now();
        let idle = now - session.last_seen_at > self.limits.idle_seconds;
        let too_old = now - session.created_at > self.limits.lifetime_seconds;
        if idle || too_old {
            db::sessions::delete_by_key(pool, &hash)
                .await
                .map_err(|err| LoadError::Other(err.into()))?;
            return Ok(None);
        }
        if now - session.last_seen_at >= TOUCH_EVERY_SECONDS {
            db::sessions::touch(pool, session.id, now)
                .await
                .map_err(|err| LoadError::Other(err.into()))?;
        }
        let mut state: HashMap<String, String> = serde_json::from_str(&session.state)
            .map_err(|err| LoadError::Deserialization(err.into()))?;
        state.insert(SESSION_ID.to_owned(), session.id.to_string());
        if let Some(account) = account {
            let account = serde_json::to_string(&account)
                .map_err(|err| LoadError::Deserialization(err.into()))?;
            state.insert(ACCOUNT.to_owned(), account);
        }
        Ok(Some(state))
    }

    async fn save(
        &self,
        mut session_state: HashMap<String, String>,
        _ttl: &Duration,
    ) -> Result<SessionKey, SaveError> {
        let key = SessionKey::try_from(crate::token::random_token(32))
            .map_err(|err| SaveError::Other(err.into()))?;
        let address = string_value(&session_state, ADDRESS);
        let user_agent = string_value(&session_state, USER_AGENT);
        for derived in [ADDRESS, USER_AGENT, SESSION_ID, STORE_FAILED, ACCOUNT] {
            session_state.remove(derived);
        }
        let facts = SessionFacts {
            user_id: session_state
                .get(USER_ID)
                .and_then(|value| value.parse().ok()),
            address: address.as_deref(),
            user_agent: user_agent.as_deref(),
        };
        let state = serde_json::to_string(&session_state)
            .map_err(|err| SaveError::Serialization(err.into()))?;
        db::sessions::insert(
            &self.db.pool,
            &key_hash(&key),
            &state,
            &facts,
            crate::clock::now(),
        )
        .await
        .map_err(|err| SaveError::Other(err.into()))?;
        Ok(key)
    }

    async fn update(
        &self,
        session_key: SessionKey,
        mut session_state: HashMap<String, String>,
        _ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        if session_state.contains_key(STORE_FAILED) {
            // Loaded unreadable: what this request holds is not the session; keep the stored one.
            return Ok(session_key);
        }
        session_state.remove(SESSION_ID);
        session_state.remove(ACCOUNT);
        let state = serde_json::to_string(&session_state)
            .map_err(|err| UpdateError::Serialization(err.into()))?;
        // A session ended while this request ran stays ended: nothing is written back.
        db::sessions::update_state(
            &self.db.pool,
            &key_hash(&session_key),
            &state,
            crate::clock::now(),
        )
        .await
        .map_err(|err| UpdateError::Other(err.into()))?;
        Ok(session_key)
    }

    async fn update_ttl(&self, _session_key: &SessionKey, _ttl: &Duration) -> anyhow::Result<()> {
        // Expiry is this store's own (idle timeout and lifetime, checked at load).
        Ok(())
    }

    async fn delete(&self, session_key: &SessionKey) -> anyhow::Result<()> {
        db::sessions::delete_by_key(&self.db.pool, &key_hash(session_key)).await?;
        Ok(())
    }
}

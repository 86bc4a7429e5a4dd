//! The one path that changes a PTR, for every door (page, API, import, review, system).
//!
//! `submit` parses the requested name, runs the checks, decides the state and writes the
//! change, the entry and the audit row in one transaction. No other code writes entries.
//! The check engine plugs in at [`decide`]; today a name that parses is published.

use crate::db::audit::{self, Actor, NewAuditRow};
use crate::db::inventory::OwnedIp;
use crate::db::{self, Db, changes::NewChange, entries};
use crate::domain::{ChangeState, Door, Hostname, HostnameError, finding::Finding};

/// What the customer asks for.
#[derive(Debug, Clone)]
pub enum Requested {
    /// This hostname, as typed.
    Hostname(String),
    /// The provider default again (the customer's entry is removed).
    Default,
}

/// One requested change, from any door.
#[derive(Debug, Clone)]
pub struct ChangeRequest {
    /// The address, proven to be the customer's.
    pub owned: OwnedIp,
    /// What is asked for.
    pub requested: Requested,
    /// The entry version the request was based on; `None` to apply whatever is there now.
    pub based_on_version: Option<i64>,
    /// Which door.
    pub door: Door,
    /// Who, from where.
    pub actor: Actor,
}

/// What became of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submitted {
    /// Stored and in force; `hostname` `None` means the default now applies.
    Published {
        /// The canonical name now in force.
        hostname: Option<Hostname>,
        /// The recorded change.
        change_id: i64,
    },
    /// The request asked for what is already in force; nothing was written.
    Unchanged,
}

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// Not a host name: a form error, nothing is stored.
    #[error(transparent)]
    Syntax(#[from] HostnameError),
    /// The entry changed since the request's version.
    #[error("this PTR was changed by someone else since you loaded it")]
    Conflict {
        /// The hostname in force now (`None`: the default).
        current: Option<String>,
    },
    /// The database failed.
    #[error("database error")]
    Database(#[from] sqlx::Error),
}

/// Checks and applies one change; see the module documentation.
#[tracing::instrument(skip_all, fields(ip = %request.owned.ip(), door = request.door.as_str()))]
pub async fn submit(db: &Db, request: ChangeRequest) -> Result<Submitted, SubmitError> {
    let hostname = match &request.requested {
        Requested::Hostname(raw) => Some(Hostname::parse(raw)?),
        Requested::Default => None,
    };
    let (state, findings) = decide(hostname.as_ref());
    let new_value = hostname.as_ref().map(Hostname::as_ascii);
    let ip = request.owned.ip();
    let at = crate::clock::now();

    let mut tx = db.begin_write().await?;
    let current = entries::current(&mut *tx, ip).await?;
    let current_version = current.as_ref().map_or(0, |entry| entry.version);
    let current_value = current.as_ref().and_then(|entry| entry.hostname.clone());
    if current_value.as_deref() == new_value {
        return Ok(Submitted::Unchanged);
    }
    if request
        .based_on_version
        .is_some_and(|version| version != current_version)
    {
        return Err(SubmitError::Conflict {
            current: current_value,
        });
    }
    let change_id = db::changes::insert(
        &mut *tx,
        &NewChange {
            ip,
            assignment_id: request.owned.assignment_id(),
            customer_id: request.owned.customer_id(),
            requested_hostname: new_value,
            state,
            findings: &findings,
            created_by: request.actor.user_id,
            at,
        },
    )
    .await?;
    let written = match current {
        Some(_) => entries::update(&mut *tx, ip, current_version, new_value, change_id, at).await?,
        None => match entries::insert(
            &mut *tx,
            ip,
            request.owned.assignment_id(),
            new_value,
            change_id,
            at,
        )
        .await
        {
            Ok(()) => true,
            Err(err) if db::is_unique_violation(&err) => false,
            Err(err) => return Err(err.into()),
        },
    };
    if !written {
        return Err(SubmitError::Conflict {
            current: current_value,
        });
    }
    audit::insert(
        &mut *tx,
        &NewAuditRow {
            actor: &request.actor,
            door: request.door,
            action: if new_value.is_some() {
                "ptr.set"
            } else {
                "ptr.reset"
            },
            customer_id: Some(request.owned.customer_id()),
            ip: Some(ip),
            old_value: current_value.as_deref(),
            new_value,
            change_id: Some(change_id),
            at,
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        change_id,
        new = new_value.unwrap_or("(default)"),
        "PTR published"
    );
    Ok(Submitted::Published {
        hostname,
        change_id,
    })
}

/// The state a parsed request goes to, with what the checks found. The check engine (SPEC
/// "The checks a PTR hostname goes through") replaces this body; every door already calls it
/// through [`submit`].
fn decide(_hostname: Option<&Hostname>) -> (ChangeState, Vec<Finding>) {
    (ChangeState::Published, Vec::new())
}

//! A customer delegates an assignment's reverse names to their own name servers, or ends the
//! delegation (issue 16): allowed per assignment by an admin
//! ([`crate::admin::assignments::allow_delegation`]).
//!
//! Policy: two or more distinct host names; each must answer authoritatively for the zone to
//! delegate, with the same serial (the `delegation` check, asked live before anything is
//! written); any error or unanswered question refuses it with the findings. Written in one
//! transaction with its audit row, under the assignment's lock; the assignment's range is
//! logged so every node's DNS serves the cut at once. While delegated, the block's PTRs are
//! not edited in ptrdesk ([`super::SubmitError::Delegated`]); its entries stay and are served
//! again when the delegation ends.

use crate::checks::Engine;
use crate::db::audit::{self, Actor, NewAuditRow};
use crate::db::{self, Db};
use crate::dns::delegation::{Cut, NotDelegable, cut_of};
use crate::dns::names::ZoneCuts;
use crate::domain::finding::{Finding, Severity};
use crate::domain::{AuditAction, Door, Hostname, HostnameError, Network};

/// Most name servers one delegation may name.
pub const MAX_NAMESERVERS: usize = 8;

/// Who asks to delegate which assignment, to whom.
#[derive(Debug, Clone)]
pub struct DelegationRequest {
    /// The assignment.
    pub assignment_id: i64,
    /// The customer asking (must hold it).
    pub customer_id: i64,
    /// The name servers as typed, one per item (empty items are ignored).
    pub nameservers: Vec<String>,
    /// Which door.
    pub door: Door,
    /// Who, from where.
    pub actor: Actor,
}

/// Why a delegation was not made; nothing was written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refused {
    /// The admin has not allowed it for this assignment.
    #[error("Delegation is not enabled for this assignment; ask your provider to allow it.")]
    NotAllowed,
    /// The block cannot be delegated (a whole zone, an unaligned prefix).
    #[error("{0}")]
    NotDelegable(NotDelegable),
    /// Fewer than two distinct name servers, or too many.
    #[error("Name at least two name servers (and at most {MAX_NAMESERVERS}).")]
    Count,
    /// A name server is not a host name.
    #[error("{name} is not a host name: {reason}")]
    NotAHostname {
        /// As typed.
        name: String,
        /// Why.
        reason: HostnameError,
    },
    /// The name servers do not (all, alike) answer for the zone.
    #[error("The name servers are not ready for the delegation.")]
    Findings(Vec<Finding>),
}

impl Refused {
    /// The sentence in the reader's language (`Display` stays English, for the logs and the
    /// audit log).
    pub fn text(&self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            Refused::NotAllowed => Text::new("delegation-not-allowed"),
            Refused::NotDelegable(not) => not.text(),
            Refused::Count => Text::new("delegation-count").arg("max", MAX_NAMESERVERS),
            Refused::NotAHostname { name, reason } => Text::new("delegation-not-a-hostname")
                .arg("name", name)
                .arg("reason", reason.text()),
            Refused::Findings(_) => Text::new("delegation-not-ready"),
        }
    }
}

/// Why a delegation could not be handled at all.
#[derive(Debug, thiserror::Error)]
pub enum DelegationError {
    /// The assignment is not the customer's (or gone): every door answers it like any
    /// assignment not theirs.
    #[error("this assignment is not yours")]
    NotOwned,
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// What a delegation would be: its zone to serve and where its cut lies.
#[derive(Debug, Clone)]
pub struct Delegable {
    /// The block.
    pub network: Network,
    /// Its cut (the zone the customer's servers must serve is its apex).
    pub cut: Cut,
}

/// The customer's assignment `id`, its cut, if delegation is allowed for it.
pub async fn delegable(
    db: &Db,
    cuts: &ZoneCuts,
    assignment_id: i64,
    customer_id: i64,
) -> Result<Result<Delegable, Refused>, DelegationError> {
    let held = db::admin::assignment(&db.pool, assignment_id)
        .await?
        .filter(|held| held.customer_id == customer_id)
        .ok_or(DelegationError::NotOwned)?;
    let state = db::delegations::state(&db.pool, assignment_id)
        .await?
        .ok_or(DelegationError::NotOwned)?;
    if !state.allowed {
        return Ok(Err(Refused::NotAllowed));
    }
    Ok(cut_of(&held.network, cuts)
        .map(|cut| Delegable {
            network: held.network,
            cut,
        })
        .map_err(Refused::NotDelegable))
}

/// Checks the name servers live and, when they are ready, delegates; the findings of the
/// check either way.
pub async fn delegate(
    db: &Db,
    engine: &Engine,
    cuts: &ZoneCuts,
    request: &DelegationRequest,
) -> Result<Result<Vec<Finding>, Refused>, DelegationError> {
    let delegable = match delegable(db, cuts, request.assignment_id, request.customer_id).await? {
        Ok(delegable) => delegable,
        Err(refused) => return Ok(Err(refused)),
    };
    let servers = match parse_servers(&request.nameservers) {
        Ok(servers) => servers,
        Err(refused) => return Ok(Err(refused)),
    };
    let findings = engine
        .check_delegation(delegable.cut.apex(), &servers)
        .await;
    if findings
        .iter()
        .any(|finding| matches!(finding.severity, Severity::Error | Severity::Unverified))
    {
        return Ok(Err(Refused::Findings(findings)));
    }
    let names: Vec<String> = servers
        .iter()
        .map(|server| server.as_ascii().to_owned())
        .collect();
    let mut tx = db.begin_publish().await?;
    tx.lock_assignments(&[request.assignment_id]).await?;
    let still_mine = db::admin::assignment(&mut **tx, request.assignment_id)
        .await?
        .is_some_and(|held| held.customer_id == request.customer_id);
    if !still_mine {
        tx.rollback().await?;
        return Err(DelegationError::NotOwned);
    }
    let before = db::delegations::state(&mut **tx, request.assignment_id).await?;
    let at = crate::clock::now();
    if !db::delegations::delegate(&mut **tx, request.assignment_id, &names, at).await? {
        tx.rollback().await?;
        return Ok(Err(Refused::NotAllowed));
    }
    let old = before
        .filter(|state| state.delegated())
        .map(|state| state.nameservers.join(" "));
    audited(
        &mut tx,
        request,
        AuditAction::DelegationSet,
        old,
        Some(names.join(" ")),
        &delegable.network,
    )
    .await?;
    tx.range_changed(delegable.network.first(), delegable.network.last());
    tx.commit().await?;
    Ok(Ok(findings))
}

/// Ends the customer's delegation of the assignment; whether there was one.
pub async fn undelegate(db: &Db, request: &DelegationRequest) -> Result<bool, DelegationError> {
    let mut tx = db.begin_publish().await?;
    tx.lock_assignments(&[request.assignment_id]).await?;
    let held = db::admin::assignment(&mut **tx, request.assignment_id)
        .await?
        .filter(|held| held.customer_id == request.customer_id);
    let Some(held) = held else {
        tx.rollback().await?;
        return Err(DelegationError::NotOwned);
    };
    let before = db::delegations::state(&mut **tx, request.assignment_id).await?;
    if !db::delegations::undelegate(&mut **tx, request.assignment_id).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    let old = before.map(|state| state.nameservers.join(" "));
    audited(
        &mut tx,
        request,
        AuditAction::DelegationEnd,
        old,
        None,
        &held.network,
    )
    .await?;
    tx.range_changed(held.network.first(), held.network.last());
    tx.commit().await?;
    Ok(true)
}

/// The audit row of a delegation change: the old and new name servers, the block.
async fn audited(
    tx: &mut db::PublishTx,
    request: &DelegationRequest,
    action: AuditAction,
    old: Option<String>,
    new: Option<String>,
    network: &Network,
) -> Result<(), sqlx::Error> {
    let shown = network.to_string();
    let new = new.map(|servers| format!("{network} → {servers}"));
    let old = old.map(|servers| format!("{network} → {servers}"));
    audit::insert(
        &mut ***tx,
        &NewAuditRow {
            actor: &request.actor,
            door: request.door,
            action,
            customer_id: Some(request.customer_id),
            ip: None,
            old_value: old.as_deref(),
            new_value: new.as_deref().or(Some(&shown)),
            change_id: None,
            at: crate::clock::now(),
        },
    )
    .await
}

/// Two or more distinct host names (empty items ignored), at most [`MAX_NAMESERVERS`].
fn parse_servers(typed: &[String]) -> Result<Vec<Hostname>, Refused> {
    let mut servers: Vec<Hostname> = Vec::new();
    for text in typed
        .iter()
        .map(|text| text.trim())
        .filter(|text| !text.is_empty())
    {
        let server = Hostname::parse(text).map_err(|err| Refused::NotAHostname {
            name: text.to_owned(),
            reason: err,
        })?;
        if !servers
            .iter()
            .any(|known| known.as_ascii() == server.as_ascii())
        {
            servers.push(server);
        }
    }
    if servers.len() < 2 || servers.len() > MAX_NAMESERVERS {
        return Err(Refused::Count);
    }
    Ok(servers)
}

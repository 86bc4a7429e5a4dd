//! The one path that changes a PTR, for every door (page, API, import, review, system).
//!
//! [`submit`] parses the requested name, runs the check engine, decides the state and writes
//! the change (and, when published, the entry) with its audit row in one transaction. The PTR
//! in force stays until a change is published. [`recheck_pending`] is the background side of
//! the same machine. No other code writes entries.

use crate::checks::{Engine, Report};
use crate::db::audit::{self, Actor, NewAuditRow};
use crate::db::inventory::{OwnedIp, StillOwned};
use crate::db::{self, Db, PublishTx, Tx, changes::NewChange, entries};
use crate::domain::AuditAction;
use crate::domain::finding::{Finding, FindingId, Severity};
use crate::domain::{ChangeState, Door, Hostname, HostnameError};
use std::net::IpAddr;

mod batch;
pub mod delegation;
mod drift;
mod drift_review;
mod recheck;
mod review;

pub use batch::record_all;
pub use drift::{Reverified, ReverifySummary, record as record_reverified, reverify};
pub use drift_review::{DriftDecision, DriftReviewError, decide_drift};
pub use recheck::{RecheckSummary, backoff_seconds, recheck_pending, recheck_pending_until};
pub use review::{Decision, ReviewError, decide_review, request_review, store_recheck};

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
        /// Warnings and notes kept with it.
        findings: Vec<Finding>,
    },
    /// Stored, waiting for DNS; the PTR in force stays until it passes.
    Pending {
        /// The recorded change.
        change_id: i64,
        /// What the checks found.
        report: Report,
    },
    /// Stored with its errors; not published.
    Rejected {
        /// The recorded change.
        change_id: i64,
        /// What the checks found.
        report: Report,
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
    /// The address is no longer the customer's: its assignment moved to another customer or
    /// was removed while the checks ran. Every door answers it like any address not the
    /// customer's (404).
    #[error("this address is not yours")]
    NotOwned,
    /// The address's block is delegated to the customer's own name servers: its PTRs are
    /// set there, not in ptrdesk.
    #[error(
        "the reverse names of this address are delegated to {}: set its PTR on those name servers, or end the delegation first",
        nameservers.join(", ")
    )]
    Delegated {
        /// Where.
        nameservers: Vec<String>,
    },
    /// The database failed.
    #[error("database error")]
    Database(#[from] sqlx::Error),
}

impl SubmitError {
    /// The sentence kept language-neutral (catalogue `refusals.ftl`), in English the same words
    /// as `Display` (which logs, the audit log and the Robot-compatible API keep).
    pub fn text(&self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            SubmitError::Syntax(err) => err.text(),
            SubmitError::Conflict { .. } => Text::new("refusal-conflict"),
            SubmitError::NotOwned => Text::new("refusal-not-owned"),
            SubmitError::Delegated { nameservers } => {
                Text::new("refusal-delegated").arg("nameservers", nameservers.join(", "))
            }
            SubmitError::Database(_) => Text::new("refusal-database"),
        }
    }

    /// [`Self::text`] as a sentence of its own on a page: a capital first letter and a full
    /// stop where the words are a clause (the delegated refusal).
    pub fn sentence(&self) -> crate::i18n::Text {
        match self {
            SubmitError::Delegated { nameservers } => {
                crate::i18n::Text::new("refusal-delegated-sentence")
                    .arg("nameservers", nameservers.join(", "))
            }
            other => other.text(),
        }
    }
}

/// The state a checked request goes to (SPEC "States"): an error rejects it, except that a
/// name not yet resolving to its IP (forward policy `require`) or an unanswered DNS question
/// waits as pending; anything else is published, warnings kept.
pub fn decide(report: &Report) -> ChangeState {
    let waits_for_dns = |finding: &Finding| {
        finding.severity == Severity::Unverified
            || (finding.id == FindingId::ForwardConfirmed && finding.severity == Severity::Error)
    };
    if report
        .findings
        .iter()
        .any(|finding| finding.severity == Severity::Error && !waits_for_dns(finding))
    {
        ChangeState::Rejected
    } else if report.findings.iter().any(waits_for_dns) {
        ChangeState::Pending
    } else {
        ChangeState::Published
    }
}

/// A request that passed parsing and the checks, ready to be recorded.
#[derive(Debug, Clone)]
pub struct Prepared {
    request: ChangeRequest,
    hostname: Option<Hostname>,
    report: Report,
    state: ChangeState,
    pending_deadline: i64,
}

impl Prepared {
    /// What the checks found.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The state the change will be recorded in.
    pub fn state(&self) -> ChangeState {
        self.state
    }

    /// The address.
    pub fn ip(&self) -> IpAddr {
        self.request.owned.ip()
    }

    /// The assignment holding it (when the checks started).
    pub fn assignment_id(&self) -> i64 {
        self.request.owned.assignment_id()
    }

    /// A PTR carried over from the provider's previous primary (`ptrdesk import zone`,
    /// without `--strict`): published whatever the checks found — it is what DNS served
    /// until now — with the findings kept on the change for the operator's listing.
    pub fn carried_over(mut self) -> Prepared {
        if self.request.requested_hostname().is_some() {
            self.state = ChangeState::Published;
        }
        self
    }
}

impl ChangeRequest {
    /// The hostname asked for, as typed (`None`: the default).
    fn requested_hostname(&self) -> Option<&str> {
        match &self.requested {
            Requested::Hostname(raw) => Some(raw),
            Requested::Default => None,
        }
    }
}

/// Parses the requested name and runs the check engine; touches no database. A name that
/// is not a host name is a [`SubmitError::Syntax`].
pub async fn prepare(engine: &Engine, request: ChangeRequest) -> Result<Prepared, SubmitError> {
    let ip = request.owned.ip();
    let (hostname, report) = match &request.requested {
        Requested::Hostname(raw) => {
            let hostname = Hostname::parse(raw)?;
            let report = engine.check(ip, raw).await;
            (Some(hostname), report)
        }
        Requested::Default => (
            None,
            Report {
                hostname: None,
                findings: Vec::new(),
            },
        ),
    };
    Ok(Prepared {
        state: decide(&report),
        pending_deadline: engine.policy().pending_deadline.as_secs() as i64,
        request,
        hostname,
        report,
    })
}

/// Checks and records one change in its own transaction; see the module documentation.
#[tracing::instrument(skip_all, fields(ip = %request.owned.ip(), door = request.door.as_str()))]
pub async fn submit(
    db: &Db,
    engine: &Engine,
    request: ChangeRequest,
) -> Result<Submitted, SubmitError> {
    let prepared = prepare(engine, request).await?;
    submit_prepared(db, prepared).await
}

/// The writing half of [`submit`].
async fn submit_prepared(db: &Db, prepared: Prepared) -> Result<Submitted, SubmitError> {
    let mut tx = db.begin_publish().await?;
    match record(&mut tx, prepared.clone()).await {
        Ok(submitted) => {
            tx.commit().await?;
            Ok(submitted)
        }
        Err(SubmitError::Conflict { .. }) => {
            // On PostgreSQL the transaction may be aborted by now: answer from a fresh look.
            drop(tx);
            let current = entries::current(&db.pool, prepared.ip())
                .await?
                .and_then(|entry| entry.hostname);
            record_refusal(db, &prepared, current.as_deref()).await?;
            Err(SubmitError::Conflict { current })
        }
        Err(err) => Err(err),
    }
}

/// A request [`submit_unless_pending`] did not record because it would only wait for DNS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WouldWait(pub Report);

/// Like [`submit`], but a request that would be recorded as pending is not recorded at all:
/// its findings come back as [`WouldWait`] (the Robot API's `robot_pending = "refuse"`). A
/// request of the name already in force is still [`Submitted::Unchanged`].
pub async fn submit_unless_pending(
    db: &Db,
    engine: &Engine,
    request: ChangeRequest,
) -> Result<Result<Submitted, WouldWait>, SubmitError> {
    let prepared = prepare(engine, request).await?;
    if prepared.state() != ChangeState::Pending {
        return submit_prepared(db, prepared).await.map(Ok);
    }
    let in_force = entries::current(&db.pool, prepared.ip())
        .await?
        .and_then(|entry| entry.hostname);
    let asked = prepared.hostname.as_ref().map(Hostname::as_ascii);
    if in_force.is_some() && in_force.as_deref() == asked {
        return Ok(Ok(Submitted::Unchanged));
    }
    Ok(Err(WouldWait(prepared.report)))
}

/// Records a prepared change inside the caller's write transaction: the change row, the
/// entry when it is published, the audit row. Every door's writes end here (bulk changes
/// record many in one transaction, for all-or-nothing).
pub async fn record(tx: &mut PublishTx, prepared: Prepared) -> Result<Submitted, SubmitError> {
    let Prepared {
        request,
        hostname,
        report,
        state,
        pending_deadline,
    } = prepared;
    let ip = request.owned.ip();
    let new_value = hostname.as_ref().map(Hostname::as_ascii);
    let as_sent = match &request.requested {
        Requested::Hostname(raw) => Some(Hostname::as_sent(raw)),
        Requested::Default => None,
    };
    let at = crate::clock::now();
    // Ownership was asked before the checks, seconds ago; ask again under the assignment's
    // lock, which a move or removal of the assignment takes exclusively.
    match db::inventory::still_owned(tx, &request.owned).await? {
        StillOwned::Yes => {}
        // ptrdesk's own resets (a move, a removal) still go through while delegated.
        StillOwned::Delegated(_) if request.door == Door::System => {}
        StillOwned::Delegated(nameservers) => return Err(SubmitError::Delegated { nameservers }),
        StillOwned::No => return Err(SubmitError::NotOwned),
    }
    if !tx.holds_exclusively(request.owned.assignment_id()) {
        db::lock_address(tx, ip).await?;
    }
    let current = entries::current(&mut ***tx, ip).await?;
    let current_version = current.as_ref().map_or(0, |entry| entry.version);
    let current_value = current.as_ref().and_then(|entry| entry.hostname.clone());
    if current_value.as_deref() == new_value && !db::changes::has_open(&mut ***tx, ip).await? {
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
    let pending = state == ChangeState::Pending;
    let change_id = db::changes::insert(
        &mut ***tx,
        &NewChange {
            ip,
            assignment_id: request.owned.assignment_id(),
            customer_id: request.owned.customer_id(),
            requested_hostname: new_value,
            requested_as_sent: as_sent,
            state,
            findings: &report.findings,
            created_by: request.actor.user_id,
            next_check_at: pending.then(|| at + backoff_seconds(0)),
            deadline: pending.then(|| at + pending_deadline),
            at,
        },
    )
    .await?;
    db::changes::supersede_open(&mut ***tx, ip, change_id, at).await?;
    let action = match state {
        ChangeState::Published => {
            let version = current.as_ref().map(|entry| entry.version);
            let owned = &request.owned;
            if !put_in_force(
                tx,
                ip,
                owned.assignment_id(),
                version,
                new_value,
                change_id,
                at,
            )
            .await?
            {
                return Err(SubmitError::Conflict {
                    current: current_value,
                });
            }
            if new_value.is_some() {
                AuditAction::PtrSet
            } else {
                AuditAction::PtrReset
            }
        }
        ChangeState::Pending => AuditAction::PtrRequestPending,
        _ => AuditAction::PtrRequestRejected,
    };
    audit::insert(
        &mut ***tx,
        &NewAuditRow {
            actor: &request.actor,
            door: request.door,
            action,
            customer_id: Some(request.owned.customer_id()),
            ip: Some(ip),
            old_value: current_value.as_deref(),
            new_value,
            change_id: Some(change_id),
            at,
        },
    )
    .await?;
    tracing::info!(
        change_id,
        state = state.as_str(),
        new = new_value.unwrap_or("(default)"),
        "change recorded"
    );
    Ok(match state {
        ChangeState::Published => Submitted::Published {
            hostname,
            change_id,
            findings: report.findings,
        },
        ChangeState::Pending => Submitted::Pending { change_id, report },
        _ => Submitted::Rejected { change_id, report },
    })
}

/// What [`withdraw_and_reset`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    /// The requests not yet in force that were withdrawn (usually none or one).
    pub withdrawn: Vec<db::changes::Withdrawn>,
    /// The reset to the default: [`Submitted::Published`] when a PTR of the customer's own was
    /// in force, else [`Submitted::Unchanged`].
    pub reset: Submitted,
}

/// Withdraws every request of the address not yet in force (pending, rejected, in review,
/// denied: nothing will ever publish it; one audit row `ptr.request.withdrawn` each) and puts
/// the provider default back in force, in one transaction. `request` asks for the default.
#[tracing::instrument(skip_all, fields(ip = %request.owned.ip(), door = request.door.as_str()))]
pub async fn withdraw_and_reset(
    db: &Db,
    engine: &Engine,
    request: ChangeRequest,
) -> Result<Withdrawal, SubmitError> {
    let request = ChangeRequest {
        requested: Requested::Default,
        ..request
    };
    let prepared = prepare(engine, request).await?;
    let mut tx = db.begin_publish().await?;
    let request = &prepared.request;
    let ip = request.owned.ip();
    match db::inventory::still_owned(&mut tx, &request.owned).await? {
        StillOwned::Yes => {}
        StillOwned::Delegated(nameservers) => return Err(SubmitError::Delegated { nameservers }),
        StillOwned::No => return Err(SubmitError::NotOwned),
    }
    if !tx.holds_exclusively(request.owned.assignment_id()) {
        db::lock_address(&mut tx, ip).await?;
    }
    let at = crate::clock::now();
    let withdrawn = db::changes::withdraw_open(&mut tx, ip, at).await?;
    for change in &withdrawn {
        audit::insert(
            &mut **tx,
            &NewAuditRow {
                actor: &request.actor,
                door: request.door,
                action: AuditAction::PtrRequestWithdrawn,
                customer_id: Some(request.owned.customer_id()),
                ip: Some(ip),
                old_value: None,
                new_value: change.requested_hostname.as_deref(),
                change_id: Some(change.id),
                at,
            },
        )
        .await?;
        tracing::info!(change_id = change.id, "request withdrawn");
    }
    let reset = record(&mut tx, prepared.clone()).await?;
    tx.commit().await?;
    Ok(Withdrawal { withdrawn, reset })
}

/// Writes the audit row of a save refused because someone else changed the entry first, so
/// the log tells what happened to both edits.
async fn record_refusal(
    db: &Db,
    prepared: &Prepared,
    current: Option<&str>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    audit::insert(
        &mut *tx,
        &NewAuditRow {
            actor: &prepared.request.actor,
            door: prepared.request.door,
            action: AuditAction::PtrRefusedConflict,
            customer_id: Some(prepared.request.owned.customer_id()),
            ip: Some(prepared.ip()),
            old_value: current,
            new_value: prepared.hostname.as_ref().map(Hostname::as_ascii),
            change_id: None,
            at: crate::clock::now(),
        },
    )
    .await?;
    tx.commit().await
}

/// The change a settle or a review decision is about to move on, and the customer it was
/// made for.
pub(super) struct OpenChange<'a> {
    pub(super) id: i64,
    pub(super) ip: IpAddr,
    pub(super) assignment_id: i64,
    pub(super) customer_id: i64,
    pub(super) requested_hostname: Option<&'a str>,
}

/// Whether the customer of `change` still holds its address, asked under the assignment's
/// lock (take it before the address lock: assignments come first in the lock order). When it
/// does not, the change is closed as superseded with an audit row and nothing is published:
/// a PTR never follows an address to another owner. Returns whether it is still held.
pub(super) async fn still_held(
    tx: &mut Tx,
    change: &OpenChange<'_>,
    actor: &Actor,
    door: Door,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let holder = db::inventory::holder_locked(tx, change.assignment_id).await?;
    if holder == Some(change.customer_id) {
        return Ok(true);
    }
    if db::changes::supersede_orphaned(&mut **tx, change.id, at).await? {
        audit::insert(
            &mut **tx,
            &NewAuditRow {
                actor,
                door,
                action: AuditAction::ChangeSuperseded,
                customer_id: Some(change.customer_id),
                ip: Some(change.ip),
                old_value: None,
                new_value: change.requested_hostname,
                change_id: Some(change.id),
                at,
            },
        )
        .await?;
        tracing::info!(
            change_id = change.id,
            "change closed: its customer no longer holds the address"
        );
    }
    Ok(false)
}

/// Puts a published change in force: writes the entry of `ip` (over `version`, the one the
/// caller read, or as the first entry when there was none) and notes it for its zone's serial
/// (bumped when the transaction commits, [`PublishTx::commit`]).
/// False when someone else wrote the entry first. Every way a change gets published (a door,
/// the background re-check, an admin's approval) ends here.
pub(super) async fn put_in_force(
    tx: &mut PublishTx,
    ip: IpAddr,
    assignment_id: i64,
    version: Option<i64>,
    hostname: Option<&str>,
    change_id: i64,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let written = match version {
        Some(version) => entries::update(&mut ***tx, ip, version, hostname, change_id, at).await?,
        None => {
            match entries::insert(&mut ***tx, ip, assignment_id, hostname, change_id, at).await {
                Ok(()) => true,
                // On PostgreSQL a racing writer created it first.
                Err(err) if db::is_unique_violation(&err) => false,
                Err(err) => return Err(err),
            }
        }
    };
    if written {
        tx.entry_written(ip);
    }
    Ok(written)
}

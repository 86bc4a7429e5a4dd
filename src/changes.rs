//! The one path that changes a PTR, for every door (page, API, import, review, system).
//!
//! [`submit`] parses the requested name, runs the check engine, decides the state and writes
//! the change (and, when published, the entry) with its audit row in one transaction. The PTR
//! in force stays until a change is published. [`recheck_pending`] is the background side of
//! the same machine. No other code writes entries.

use crate::checks::{Engine, Report};
use crate::db::audit::{self, Actor, NewAuditRow};
use crate::db::inventory::OwnedIp;
use crate::db::{self, Db, Tx, changes::NewChange, entries};
use crate::domain::finding::{Finding, FindingId, Severity};
use crate::domain::{ChangeState, Door, Hostname, HostnameError};
use std::net::IpAddr;

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
    /// The database failed.
    #[error("database error")]
    Database(#[from] sqlx::Error),
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
    let mut tx = db.begin_write().await?;
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

/// Records a prepared change inside the caller's write transaction: the change row, the
/// entry when it is published, the audit row. Every door's writes end here (bulk changes
/// record many in one transaction, for all-or-nothing).
pub async fn record(tx: &mut Tx, prepared: Prepared) -> Result<Submitted, SubmitError> {
    let Prepared {
        request,
        hostname,
        report,
        state,
        pending_deadline,
    } = prepared;
    let ip = request.owned.ip();
    let new_value = hostname.as_ref().map(Hostname::as_ascii);
    let at = crate::clock::now();
    db::lock_address(tx, ip).await?;
    let current = entries::current(&mut **tx, ip).await?;
    let current_version = current.as_ref().map_or(0, |entry| entry.version);
    let current_value = current.as_ref().and_then(|entry| entry.hostname.clone());
    if current_value.as_deref() == new_value && !db::changes::has_open(&mut **tx, ip).await? {
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
        &mut **tx,
        &NewChange {
            ip,
            assignment_id: request.owned.assignment_id(),
            customer_id: request.owned.customer_id(),
            requested_hostname: new_value,
            state,
            findings: &report.findings,
            created_by: request.actor.user_id,
            next_check_at: pending.then(|| at + backoff_seconds(0)),
            deadline: pending.then(|| at + pending_deadline),
            at,
        },
    )
    .await?;
    db::changes::supersede_open(&mut **tx, ip, change_id, at).await?;
    let action = match state {
        ChangeState::Published => {
            let exists = current.is_some();
            if !publish(
                tx,
                &request.owned,
                exists,
                current_version,
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
            db::zones::bump_serial(tx, ip, at).await?;
            if new_value.is_some() {
                "ptr.set"
            } else {
                "ptr.reset"
            }
        }
        ChangeState::Pending => "ptr.request.pending",
        _ => "ptr.request.rejected",
    };
    audit::insert(
        &mut **tx,
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
            action: "ptr.refused.conflict",
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

/// Writes the entry of a change being published; false when someone else changed it first.
/// With SQLite's `BEGIN IMMEDIATE` no one can slip in between; on PostgreSQL a racing writer
/// loses here.
async fn publish(
    tx: &mut Tx,
    owned: &OwnedIp,
    exists: bool,
    version: i64,
    hostname: Option<&str>,
    change_id: i64,
    at: i64,
) -> Result<bool, SubmitError> {
    let ip = owned.ip();
    if exists {
        return Ok(entries::update(&mut **tx, ip, version, hostname, change_id, at).await?);
    }
    match entries::insert(
        &mut **tx,
        ip,
        owned.assignment_id(),
        hostname,
        change_id,
        at,
    )
    .await
    {
        Ok(()) => Ok(true),
        Err(err) if db::is_unique_violation(&err) => Ok(false),
        Err(err) => Err(err.into()),
    }
}

/// Seconds until the next check of a pending change after `attempts` re-checks: 1 minute,
/// doubling, at most an hour.
pub fn backoff_seconds(attempts: i64) -> i64 {
    (60i64 << attempts.clamp(0, 6)).min(3600)
}

/// How long a node holds a due change it is checking before another node may take it.
const CLAIM_SECONDS: i64 = 300;

/// What a round of re-checks did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecheckSummary {
    /// Changes now published.
    pub published: usize,
    /// Changes now rejected (an error, or the deadline passed).
    pub rejected: usize,
    /// Changes still pending.
    pub still_pending: usize,
}

/// Re-checks the pending changes due at `now` and moves each on: published when it passes,
/// rejected on an error or when its deadline passed, otherwise checked again later.
pub async fn recheck_pending(
    db: &Db,
    engine: &Engine,
    now: i64,
) -> Result<RecheckSummary, sqlx::Error> {
    let mut summary = RecheckSummary::default();
    let actor = Actor {
        user_id: None,
        name: "system".to_owned(),
        source: "local".to_owned(),
    };
    for due in db::changes::due_pending(&db.pool, now, 100).await? {
        // Claim it for a while, so that another node does not check it at the same time.
        if !db::changes::claim_due(&db.pool, due.id, due.next_check_at, now + CLAIM_SECONDS).await?
        {
            continue;
        }
        let mut report = engine.check(due.ip, &due.requested_hostname).await;
        let mut state = decide(&report);
        if state == ChangeState::Pending && now >= due.deadline {
            report.findings.push(Finding::new(
                FindingId::ForwardConfirmed,
                Severity::Error,
                "DNS did not confirm this name before the deadline; fix the forward record and save again.",
            ));
            state = ChangeState::Rejected;
        }
        match settle(db, &due, state, &report, &actor, now).await? {
            Some(ChangeState::Published) => summary.published += 1,
            Some(ChangeState::Rejected) => summary.rejected += 1,
            Some(_) => summary.still_pending += 1,
            None => {}
        }
    }
    Ok(summary)
}

/// Moves one due change to `state` in one transaction (entry and audit row when published).
/// `None` when another node or a newer request got there first.
async fn settle(
    db: &Db,
    due: &db::changes::DueChange,
    state: ChangeState,
    report: &Report,
    actor: &Actor,
    now: i64,
) -> Result<Option<ChangeState>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    if state == ChangeState::Pending {
        let next = now + backoff_seconds(due.attempts + 1);
        let kept = db::changes::reschedule(&mut *tx, due.id, &report.findings, next, now).await?;
        tx.commit().await?;
        return Ok(kept.then_some(state));
    }
    debug_assert!(ChangeState::Pending.can_become(state));
    if !db::changes::settle_pending(&mut *tx, due.id, state, &report.findings, now).await? {
        return Ok(None);
    }
    let current = entries::current(&mut *tx, due.ip).await?;
    let old_value = current.as_ref().and_then(|entry| entry.hostname.clone());
    if state == ChangeState::Published {
        let hostname = Some(due.requested_hostname.as_str());
        let written = match &current {
            Some(entry) => {
                entries::update(&mut *tx, due.ip, entry.version, hostname, due.id, now).await?
            }
            None => {
                entries::insert(&mut *tx, due.ip, due.assignment_id, hostname, due.id, now).await?;
                true
            }
        };
        if !written {
            return Ok(None);
        }
        db::zones::bump_serial(&mut tx, due.ip, now).await?;
    }
    audit::insert(
        &mut *tx,
        &NewAuditRow {
            actor,
            door: Door::System,
            action: if state == ChangeState::Published {
                "ptr.set"
            } else {
                "ptr.request.rejected"
            },
            customer_id: Some(due.customer_id),
            ip: Some(due.ip),
            old_value: old_value.as_deref(),
            new_value: Some(&due.requested_hostname),
            change_id: Some(due.id),
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Some(state))
}

//! The background side of the state machine: pending changes are checked again with back-off
//! until they pass (published) or their deadline passes (rejected).

use super::{OpenChange, decide, put_in_force, still_held};
use crate::checks::{Engine, Report};
use crate::db::audit::{self, Actor, NewAuditRow};
use crate::db::{self, Db, entries};
use crate::domain::AuditAction;
use crate::domain::finding::{Finding, FindingId, Severity};
use crate::domain::{ChangeState, Door};
use crate::shutdown::Shutdown;

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
    recheck_pending_until(db, engine, now, &Shutdown::never()).await
}

/// Like [`recheck_pending`], but stops before the next change once `shutdown` is asked for;
/// the changes not reached stay due (they were not claimed).
pub async fn recheck_pending_until(
    db: &Db,
    engine: &Engine,
    now: i64,
    shutdown: &Shutdown,
) -> Result<RecheckSummary, sqlx::Error> {
    let mut summary = RecheckSummary::default();
    let actor = Actor {
        user_id: None,
        name: "system".to_owned(),
        source: "local".to_owned(),
    };
    // `now` is the round's start (tests give a later one); each change is claimed, judged
    // against its deadline and scheduled from the moment the round reaches it, which is later
    // by whatever the checks before it took: a claim "until" a moment already past would let
    // another node check it at the same time.
    let started = crate::clock::now();
    for due in db::changes::due_pending(&db.pool, now, 100).await? {
        if shutdown.is_requested() {
            break;
        }
        let now = now + (crate::clock::now() - started).max(0);
        // Claim it for a while, so that another node does not check it at the same time.
        if !db::changes::claim_due(&db.pool, due.id, due.next_check_at, now + CLAIM_SECONDS).await?
        {
            continue;
        }
        let mut report = engine.check(due.ip, &due.requested_hostname).await;
        let mut state = decide(&report);
        if state == ChangeState::Pending && now >= due.deadline {
            report.findings.push(Finding::said(
                FindingId::ForwardConfirmed,
                Severity::Error,
                crate::i18n::Text::new("finding-forward-deadline"),
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
    let mut tx = db.begin_publish().await?;
    // The lock order: the assignment, then the address, then the change row.
    let change = OpenChange {
        id: due.id,
        ip: due.ip,
        assignment_id: due.assignment_id,
        customer_id: due.customer_id,
        requested_hostname: Some(&due.requested_hostname),
    };
    if !still_held(&mut tx, &change, actor, Door::System, now).await? {
        tx.commit().await?;
        return Ok(None);
    }
    db::lock_address(&mut tx, due.ip).await?;
    if state == ChangeState::Pending {
        let next = now + backoff_seconds(due.attempts + 1);
        let kept = db::changes::reschedule(&mut **tx, due.id, &report.findings, next, now).await?;
        tx.commit().await?;
        return Ok(kept.then_some(state));
    }
    debug_assert!(ChangeState::Pending.can_become(state));
    if !db::changes::settle_pending(&mut **tx, due.id, state, &report.findings, now).await? {
        return Ok(None);
    }
    let current = entries::current(&mut **tx, due.ip).await?;
    let old_value = current.as_ref().and_then(|entry| entry.hostname.clone());
    if state == ChangeState::Published {
        let hostname = Some(due.requested_hostname.as_str());
        let version = current.as_ref().map(|entry| entry.version);
        if !put_in_force(
            &mut tx,
            due.ip,
            due.assignment_id,
            version,
            hostname,
            due.id,
            now,
        )
        .await?
        {
            return Ok(None);
        }
    }
    audit::insert(
        &mut **tx,
        &NewAuditRow {
            actor,
            door: Door::System,
            action: if state == ChangeState::Published {
                AuditAction::PtrSet
            } else {
                AuditAction::PtrRequestRejected
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

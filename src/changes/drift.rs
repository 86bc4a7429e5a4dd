//! Continuous re-verification (issue 22): a published entry is checked again with the same
//! engine; one that now fails gets an *entry drift* (named so apart from the secondaries'
//! drift of `dns::verify`), audited and notified, and stays published — ptrdesk never
//! changes a customer's PTR by itself. Fixed again, the drift ends (audited too).
//!
//! Policy: an error finding starts (or keeps) a drift; an `unverified` check (no answer)
//! changes nothing either way, so a resolver's bad minute neither starts nor ends one.

use crate::checks::{Engine, Report};
use crate::db::audit::{self, Actor, NewAuditRow};
use crate::db::drift::{self as stored, Failing, Published};
use crate::db::{Db, entries};
use crate::domain::finding::Severity;
use crate::domain::{AuditAction, Door};

/// What re-verifying one entry did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reverified {
    /// It passes, as before.
    Healthy,
    /// It fails now; a drift began.
    DriftStarted,
    /// It still fails.
    StillDrifting,
    /// It passes again; its drift ended.
    DriftEnded,
    /// No answer from DNS, or the entry changed meanwhile: nothing was written.
    Unknown,
}

/// The counts of one batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReverifySummary {
    /// Entries checked.
    pub checked: usize,
    /// Drifts begun.
    pub started: usize,
    /// Drifts ended.
    pub ended: usize,
    /// Entries still drifting.
    pub drifting: usize,
}

impl ReverifySummary {
    /// Counts one outcome.
    pub fn add(&mut self, outcome: Reverified) {
        self.checked += 1;
        match outcome {
            Reverified::DriftStarted => self.started += 1,
            Reverified::DriftEnded => self.ended += 1,
            Reverified::StillDrifting => self.drifting += 1,
            Reverified::Healthy | Reverified::Unknown => {}
        }
    }
}

/// The actor of the re-verification's audit rows.
fn system() -> Actor {
    Actor {
        user_id: None,
        name: "system".to_owned(),
        source: "local".to_owned(),
    }
}

/// Runs the checks of one published entry and records what changed (see the module
/// documentation), at `now`.
#[tracing::instrument(skip_all, fields(ip = %entry.ip))]
pub async fn reverify(
    db: &Db,
    engine: &Engine,
    entry: &Published,
    now: i64,
) -> Result<Reverified, sqlx::Error> {
    let report = engine.check(entry.ip, &entry.hostname).await;
    record(db, entry, &report, now).await
}

/// Records the outcome of `report` for `entry` in one transaction: the drift row and, when a
/// drift begins or ends, the audit row (from which notifications follow).
pub async fn record(
    db: &Db,
    entry: &Published,
    report: &Report,
    now: i64,
) -> Result<Reverified, sqlx::Error> {
    let first_error = report
        .findings
        .iter()
        .find(|finding| finding.severity == Severity::Error);
    let unanswered = report
        .findings
        .iter()
        .any(|finding| finding.severity == Severity::Unverified);
    if first_error.is_none() && unanswered {
        return Ok(Reverified::Unknown);
    }
    let mut tx = db.begin_write().await?;
    // The entry may have changed while the checks ran: its new version is checked afresh.
    let current = entries::current(&mut *tx, entry.ip).await?;
    let still = current.is_some_and(|current| {
        current.version == entry.version
            && current.hostname.as_deref() == Some(entry.hostname.as_str())
    });
    if !still {
        tx.commit().await?;
        return Ok(Reverified::Unknown);
    }
    let before = stored::of_address(&mut *tx, entry.ip)
        .await?
        .filter(|drift| drift.entry_version == entry.version);
    let outcome = match (first_error, before) {
        (Some(first), before) => {
            let failing = Failing {
                entry_version: entry.version,
                customer_id: entry.customer_id,
                first,
                findings: &report.findings,
            };
            let since = before.as_ref().map_or(now, |drift| drift.since);
            stored::record(&mut *tx, entry.ip, failing, since, now).await?;
            if before.is_some() {
                Reverified::StillDrifting
            } else {
                write_audit(
                    &mut tx,
                    entry,
                    AuditAction::PtrDriftStart,
                    Some(&first.message),
                    now,
                )
                .await?;
                Reverified::DriftStarted
            }
        }
        (None, Some(_)) => {
            stored::remove(&mut *tx, entry.ip).await?;
            write_audit(&mut tx, entry, AuditAction::PtrDriftEnd, None, now).await?;
            Reverified::DriftEnded
        }
        (None, None) => Reverified::Healthy,
    };
    tx.commit().await?;
    Ok(outcome)
}

async fn write_audit(
    tx: &mut crate::db::Tx,
    entry: &Published,
    action: AuditAction,
    what_fails: Option<&str>,
    at: i64,
) -> Result<(), sqlx::Error> {
    audit::insert(
        &mut **tx,
        &NewAuditRow {
            actor: &system(),
            door: Door::System,
            action,
            customer_id: Some(entry.customer_id),
            ip: Some(entry.ip),
            old_value: Some(&entry.hostname),
            new_value: what_fails,
            change_id: None,
            at,
        },
    )
    .await
}

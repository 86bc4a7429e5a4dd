//! Long drift as a review item (issue 22): an admin decides what becomes of a PTR that has
//! failed its checks for longer than the policy's `drift_review_days` — keep it as it is, ask
//! the customer to fix it, or reset it to the provider default. Each decision is one
//! transaction with its audit row; the two the customer must hear of (`drift.review.asked`,
//! `drift.review.reset`) are mailed by the audit trigger like every customer event. A reset
//! goes through [`super::record`], the one write path, like any change from the review door.

use crate::checks::Engine;
use crate::db::audit::{self, Actor, NewAuditRow};
use crate::db::drift_review::{self as stored, DriftReviewState};
use crate::db::{self, Db};
use crate::domain::{AuditAction, Door};
use std::net::IpAddr;

use super::{ChangeRequest, Requested, SubmitError, Submitted};

/// An admin's decision on a long drift.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriftDecision {
    /// It stays published as it is; the item leaves the queue for this drift.
    Keep,
    /// The customer is told (the note is the message); back on the queue if it still drifts
    /// a review period later.
    AskCustomer,
    /// The provider default goes back in force; the customer is told why.
    Reset,
}

/// Why a decision was not taken.
#[derive(Debug, thiserror::Error)]
pub enum DriftReviewError {
    /// The entry does not drift (any more): fixed, reset or published anew meanwhile.
    #[error("this PTR no longer drifts: it passes again, or it was changed meanwhile")]
    NotDrifting,
    /// A note is required.
    #[error(
        "A note is required: it says why in the audit log, and the customer reads it when you ask them or reset their PTR."
    )]
    NoteRequired,
    /// The reset was refused by the write path (delegated, no longer the customer's …).
    #[error("{0}")]
    Reset(SubmitError),
    /// The database failed.
    #[error("database error")]
    Database(#[from] sqlx::Error),
}

/// Takes `decision` on the drift of `ip` found on entry version `entry_version` (the one the
/// admin looked at), with the admin's `note`.
#[tracing::instrument(skip_all, fields(ip = %ip, decision = ?decision))]
pub async fn decide_drift(
    db: &Db,
    engine: &Engine,
    ip: IpAddr,
    entry_version: i64,
    decision: DriftDecision,
    note: &str,
    admin: &Actor,
) -> Result<(), DriftReviewError> {
    let note = note.trim();
    if note.is_empty() {
        return Err(DriftReviewError::NoteRequired);
    }
    let item = stored::item(&db.pool, ip)
        .await?
        .filter(|item| item.entry_version == entry_version)
        .ok_or(DriftReviewError::NotDrifting)?;
    let hostname = item.queued.listed.hostname.clone();
    let at = crate::clock::now();
    let state = match decision {
        DriftDecision::Keep => DriftReviewState::Kept,
        DriftDecision::AskCustomer => DriftReviewState::Asked,
        DriftDecision::Reset => {
            return reset(db, engine, ip, &item, note, admin).await;
        }
    };
    let mut tx = db.begin_write().await?;
    if !stored::decide(&mut *tx, ip, entry_version, state, admin.user_id, note, at).await? {
        return Err(DriftReviewError::NotDrifting);
    }
    audit::insert(
        &mut *tx,
        &NewAuditRow {
            actor: admin,
            door: Door::Review,
            action: match decision {
                DriftDecision::Keep => AuditAction::DriftReviewKept,
                _ => AuditAction::DriftReviewAsked,
            },
            customer_id: Some(item.customer_id),
            ip: Some(ip),
            old_value: Some(&hostname),
            new_value: Some(note),
            change_id: None,
            at,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The reset: the default goes back in force through [`super::record`] (based on the drifting
/// entry's version, so a PTR changed meanwhile is not reset), the decision's own audit row
/// (the note, mailed to the customer) and the drift row removed, in one transaction.
async fn reset(
    db: &Db,
    engine: &Engine,
    ip: IpAddr,
    item: &stored::DriftItem,
    note: &str,
    admin: &Actor,
) -> Result<(), DriftReviewError> {
    let owned = db::inventory::holder_of(&db.pool, ip)
        .await?
        .filter(|owned| owned.customer_id() == item.customer_id)
        .ok_or(DriftReviewError::NotDrifting)?;
    let request = ChangeRequest {
        owned,
        requested: Requested::Default,
        based_on_version: Some(item.entry_version),
        door: Door::Review,
        actor: admin.clone(),
    };
    let prepared = super::prepare(engine, request)
        .await
        .map_err(DriftReviewError::Reset)?;
    let mut tx = db.begin_publish().await?;
    let change_id = match super::record(&mut tx, prepared).await {
        Ok(Submitted::Published { change_id, .. }) => Some(change_id),
        Ok(_) => None,
        Err(SubmitError::Conflict { .. } | SubmitError::NotOwned) => {
            return Err(DriftReviewError::NotDrifting);
        }
        Err(SubmitError::Database(err)) => return Err(err.into()),
        Err(err) => return Err(DriftReviewError::Reset(err)),
    };
    audit::insert(
        &mut **tx,
        &NewAuditRow {
            actor: admin,
            door: Door::Review,
            action: AuditAction::DriftReviewReset,
            customer_id: Some(item.customer_id),
            ip: Some(ip),
            old_value: Some(&item.queued.listed.hostname),
            new_value: Some(note),
            change_id,
            at: crate::clock::now(),
        },
    )
    .await?;
    db::drift::remove(&mut **tx, ip).await?;
    tx.commit().await?;
    Ok(())
}

//! The human side of the state machine: a customer asks for review of a rejected change with
//! a justification (`rejected → in-review`); an admin approves (→ `published`, despite its
//! errors, note required) or denies (→ `denied`, note shown to the customer). Every step is an
//! audit row in the same transaction; an approval writes the entry and bumps the zone serial
//! like any published change.

use crate::db::audit::{self, Actor, NewAuditRow};
use crate::db::{self, Db, entries};
use crate::domain::AuditAction;
use crate::domain::finding::{self, Finding};
use crate::domain::{ChangeState, Door};

use super::{OpenChange, put_in_force, still_held};

/// An admin's decision on a change in the review queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Publish it despite its findings.
    Approve,
    /// Refuse it for good.
    Deny,
}

/// Why a review step was not taken.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// No such open change (or not the customer's).
    #[error("no such change")]
    NotFound,
    /// The change is not in a state that allows this step (already decided, superseded …).
    #[error("this change is {0} and cannot take this step")]
    WrongState(&'static str),
    /// A justification or note is required.
    #[error("{0}")]
    TextRequired(&'static str),
    /// The address left the change's customer (moved or removed); the change was closed.
    #[error("this address no longer belongs to the customer who asked; the change was closed")]
    NoLongerHeld,
    /// The entry changed since; someone else's change is in force.
    #[error("someone else changed this PTR in the meantime")]
    Conflict,
    /// The database failed.
    #[error("database error")]
    Database(#[from] sqlx::Error),
}

impl ReviewError {
    /// The sentence in the reader's language (`Display` stays English, for the logs and the
    /// audit log).
    pub fn text(&self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            ReviewError::NotFound => Text::new("form-review-not-found"),
            ReviewError::WrongState(state) => {
                Text::new("form-review-wrong-state").arg("state", *state)
            }
            ReviewError::TextRequired(JUSTIFICATION_REQUIRED) => {
                Text::new("form-review-justification-required")
            }
            ReviewError::TextRequired(_) => Text::new("form-review-note-required"),
            ReviewError::NoLongerHeld => Text::new("form-review-no-longer-held"),
            ReviewError::Conflict => Text::new("form-review-conflict"),
            ReviewError::Database(_) => Text::new("form-review-database"),
        }
    }
}

/// Why a request for review needs its justification.
const JUSTIFICATION_REQUIRED: &str =
    "Say why this name is right for this address, so that an admin can decide.";
/// Why a decision needs its note.
const NOTE_REQUIRED: &str = "A note is required: the customer sees it beside their entry.";

/// `rejected → in-review`: the customer asks an admin to decide, with a justification.
/// `customer_id` must own the change (else [`ReviewError::NotFound`]).
pub async fn request_review(
    db: &Db,
    change_id: i64,
    customer_id: i64,
    justification: &str,
    actor: &Actor,
) -> Result<(), ReviewError> {
    let justification = justification.trim();
    if justification.is_empty() {
        return Err(ReviewError::TextRequired(JUSTIFICATION_REQUIRED));
    }
    let mut tx = db.begin_write().await?;
    let change = db::changes::open_change(&mut *tx, change_id)
        .await?
        .filter(|change| change.customer_id == customer_id)
        .ok_or(ReviewError::NotFound)?;
    if !change.state.can_become(ChangeState::InReview) {
        return Err(ReviewError::WrongState(change.state.as_str()));
    }
    let at = crate::clock::now();
    if !db::changes::move_state(
        &mut *tx,
        change_id,
        change.state,
        ChangeState::InReview,
        None,
        None,
        at,
    )
    .await?
    {
        return Err(ReviewError::WrongState(change.state.as_str()));
    }
    db::changes::set_justification(&mut *tx, change_id, justification).await?;
    audit::insert(
        &mut *tx,
        &NewAuditRow {
            actor,
            door: Door::Page,
            action: AuditAction::ChangeReviewRequested,
            customer_id: Some(customer_id),
            ip: Some(change.ip),
            old_value: None,
            new_value: Some(justification),
            change_id: Some(change_id),
            at,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An admin's decision on a `rejected` or `in-review` change: approve publishes it (writes the
/// entry, bumps the serial), deny closes it; the note is required and shown to the customer.
pub async fn decide_review(
    db: &Db,
    change_id: i64,
    decision: Decision,
    note: &str,
    admin: &Actor,
) -> Result<ChangeState, ReviewError> {
    let note = note.trim();
    if note.is_empty() {
        return Err(ReviewError::TextRequired(NOTE_REQUIRED));
    }
    let target = match decision {
        Decision::Approve => ChangeState::Published,
        Decision::Deny => ChangeState::Denied,
    };
    let mut tx = db.begin_publish().await?;
    let change = db::changes::open_change(&mut **tx, change_id)
        .await?
        .ok_or(ReviewError::NotFound)?;
    if !change.state.can_become(target) {
        return Err(ReviewError::WrongState(change.state.as_str()));
    }
    let at = crate::clock::now();
    // The lock order: the assignment, then the address, then the change row.
    let open = OpenChange {
        id: change_id,
        ip: change.ip,
        assignment_id: change.assignment_id,
        customer_id: change.customer_id,
        requested_hostname: change.requested_hostname.as_deref(),
    };
    if !still_held(&mut tx, &open, admin, Door::Review, at).await? {
        tx.commit().await?;
        return Err(ReviewError::NoLongerHeld);
    }
    db::lock_address(&mut tx, change.ip).await?;
    if !db::changes::move_state(
        &mut **tx,
        change_id,
        change.state,
        target,
        admin.user_id,
        Some(note),
        at,
    )
    .await?
    {
        return Err(ReviewError::WrongState(change.state.as_str()));
    }
    let current = entries::current(&mut **tx, change.ip).await?;
    let old_value = current.as_ref().and_then(|entry| entry.hostname.clone());
    if target == ChangeState::Published {
        let hostname = change.requested_hostname.as_deref();
        let version = current.as_ref().map(|entry| entry.version);
        let ip = change.ip;
        if !put_in_force(
            &mut tx,
            ip,
            change.assignment_id,
            version,
            hostname,
            change_id,
            at,
        )
        .await?
        {
            return Err(ReviewError::Conflict);
        }
    }
    audit::insert(
        &mut **tx,
        &NewAuditRow {
            actor: admin,
            door: Door::Review,
            action: match decision {
                Decision::Approve => AuditAction::ChangeApproved,
                Decision::Deny => AuditAction::ChangeDenied,
            },
            customer_id: Some(change.customer_id),
            ip: Some(change.ip),
            old_value: old_value.as_deref(),
            new_value: change.requested_hostname.as_deref(),
            change_id: Some(change_id),
            at,
        },
    )
    .await?;
    db::audit::insert(
        &mut **tx,
        &NewAuditRow {
            actor: admin,
            door: Door::Review,
            action: AuditAction::ChangeNote,
            customer_id: Some(change.customer_id),
            ip: Some(change.ip),
            old_value: None,
            new_value: Some(note),
            change_id: Some(change_id),
            at,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(target)
}

/// Stores the findings of a fresh run of the checks on open change `change` (its state stays:
/// the admin decides), with its audit row, in one transaction; false when the change was
/// superseded or decided meanwhile (nothing written).
pub async fn store_recheck(
    db: &Db,
    admin: &Actor,
    change: &db::review::QueueItem,
    findings: &[Finding],
) -> Result<bool, sqlx::Error> {
    let at = crate::clock::now();
    let mut tx = db.begin_write().await?;
    if !db::changes::update_findings(&mut *tx, change.id, findings, at).await? {
        return Ok(false);
    }
    audit::insert(
        &mut *tx,
        &NewAuditRow {
            actor: admin,
            door: Door::Review,
            action: AuditAction::ChangeRechecked,
            customer_id: Some(change.customer_id),
            ip: Some(change.ip),
            old_value: Some(&finding::summary(&change.findings)),
            new_value: Some(&finding::summary(findings)),
            change_id: Some(change.id),
            at,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

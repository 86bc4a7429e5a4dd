//! [`record`](super::record) for many changes in one transaction: the same rules and the same
//! rows, read and written a thousand at a time. A bulk of 10,000 changes otherwise waits for
//! about 80,000 round trips to the database (ownership, entry, open changes, change row, entry
//! write, audit row — each its own statement per item); here it makes a few dozen.

use super::{Prepared, Requested, SubmitError, Submitted, backoff_seconds};
use crate::db::audit::{self, NewAuditRow};
use crate::db::changes::NewChange;
use crate::db::entries::{self, Entry, EntryWrite};
use crate::db::inventory::StillOwned;
use crate::db::{self, PublishTx};
use crate::domain::{AuditAction, ChangeState, Door, Hostname};
use std::collections::HashSet;

/// Records `prepared` inside `tx` as [`super::record`] would one after the other, and answers
/// each in the order given. `tx` must hold every item's assignment exclusively
/// ([`PublishTx::lock_assignments`]) and the addresses must differ; otherwise (and for a
/// single item) the items are recorded one by one. An item that fails leaves the rows of the
/// others written: a caller that wants all or nothing drops the transaction on any error.
pub async fn record_all(
    tx: &mut PublishTx,
    prepared: Vec<Prepared>,
) -> Result<Vec<Result<Submitted, SubmitError>>, sqlx::Error> {
    let mut addresses = HashSet::with_capacity(prepared.len());
    let batchable = prepared.len() > 1
        && prepared
            .iter()
            .all(|item| tx.holds_exclusively(item.assignment_id()) && addresses.insert(item.ip()));
    if !batchable {
        let mut results = Vec::with_capacity(prepared.len());
        for item in prepared {
            match super::record(tx, item).await {
                Err(SubmitError::Database(err)) => return Err(err),
                result => results.push(result),
            }
        }
        return Ok(results);
    }
    let at = crate::clock::now();
    let owned: Vec<_> = prepared.iter().map(|item| &item.request.owned).collect();
    let still_owned = db::inventory::still_owned_all(tx, &owned).await?;
    let ips: Vec<_> = prepared.iter().map(Prepared::ip).collect();
    let current = entries::current_of(tx, &ips).await?;
    let open = db::changes::open_of(tx, &ips).await?;

    // What each item comes to before anything is written: an answer, or a change to write.
    let mut results: Vec<Option<Result<Submitted, SubmitError>>> =
        Vec::with_capacity(prepared.len());
    let mut to_write: Vec<(usize, &Prepared, Option<&Entry>)> = Vec::new();
    for (index, (item, owned)) in prepared.iter().zip(still_owned).enumerate() {
        let request = &item.request;
        match owned {
            StillOwned::Yes => {}
            // ptrdesk's own resets (a move, a removal) still go through while delegated.
            StillOwned::Delegated(_) if request.door == Door::System => {}
            StillOwned::Delegated(nameservers) => {
                results.push(Some(Err(SubmitError::Delegated { nameservers })));
                continue;
            }
            StillOwned::No => {
                results.push(Some(Err(SubmitError::NotOwned)));
                continue;
            }
        }
        let ip = item.ip();
        let entry = current.get(&ip);
        let current_value = entry.and_then(|entry| entry.hostname.as_deref());
        let new_value = item.hostname.as_ref().map(Hostname::as_ascii);
        if current_value == new_value && !open.contains(&ip) {
            results.push(Some(Ok(Submitted::Unchanged)));
            continue;
        }
        let current_version = entry.map_or(0, |entry| entry.version);
        if request
            .based_on_version
            .is_some_and(|version| version != current_version)
        {
            results.push(Some(Err(SubmitError::Conflict {
                current: current_value.map(str::to_owned),
            })));
            continue;
        }
        results.push(None);
        to_write.push((index, item, entry));
    }

    let as_sent: Vec<Option<&str>> = to_write
        .iter()
        .map(|(_, item, _)| match &item.request.requested {
            Requested::Hostname(raw) => Some(Hostname::as_sent(raw)),
            Requested::Default => None,
        })
        .collect();
    let new_changes: Vec<NewChange> = to_write
        .iter()
        .zip(&as_sent)
        .map(|((_, item, _), as_sent)| {
            let pending = item.state == ChangeState::Pending;
            NewChange {
                ip: item.ip(),
                assignment_id: item.assignment_id(),
                customer_id: item.request.owned.customer_id(),
                requested_hostname: item.hostname.as_ref().map(Hostname::as_ascii),
                requested_as_sent: *as_sent,
                state: item.state,
                findings: &item.report.findings,
                created_by: item.request.actor.user_id,
                next_check_at: pending.then(|| at + backoff_seconds(0)),
                deadline: pending.then(|| at + item.pending_deadline),
                at,
            }
        })
        .collect();
    let change_ids = db::changes::insert_all(tx, &new_changes).await?;
    for ((_, item, _), change_id) in to_write.iter().zip(&change_ids) {
        // Rare in a batch (an earlier request of the address still open): one statement each.
        if open.contains(&item.ip()) {
            db::changes::supersede_open(&mut ***tx, item.ip(), *change_id, at).await?;
        }
    }
    let writes: Vec<EntryWrite> = to_write
        .iter()
        .zip(&change_ids)
        .filter(|((_, item, _), _)| item.state == ChangeState::Published)
        .map(|((_, item, entry), change_id)| EntryWrite {
            ip: item.ip(),
            assignment_id: item.assignment_id(),
            version: entry.map(|entry| entry.version),
            hostname: item.hostname.as_ref().map(Hostname::as_ascii),
            change_id: *change_id,
        })
        .collect();
    let written = entries::write_all(tx, &writes, at).await?;

    let mut audit_rows = Vec::with_capacity(to_write.len());
    for ((index, item, entry), change_id) in to_write.iter().zip(&change_ids) {
        let ip = item.ip();
        let new_value = item.hostname.as_ref().map(Hostname::as_ascii);
        let current_value = entry.and_then(|entry| entry.hostname.as_deref());
        let action = match item.state {
            ChangeState::Published => {
                if !written.contains(&ip) {
                    // Someone else wrote the entry first (a racing first entry on PostgreSQL).
                    results[*index] = Some(Err(SubmitError::Conflict {
                        current: current_value.map(str::to_owned),
                    }));
                    continue;
                }
                tx.entry_written(ip);
                if new_value.is_some() {
                    AuditAction::PtrSet
                } else {
                    AuditAction::PtrReset
                }
            }
            ChangeState::Pending => AuditAction::PtrRequestPending,
            _ => AuditAction::PtrRequestRejected,
        };
        audit_rows.push(NewAuditRow {
            actor: &item.request.actor,
            door: item.request.door,
            action,
            customer_id: Some(item.request.owned.customer_id()),
            ip: Some(ip),
            old_value: current_value,
            new_value,
            change_id: Some(*change_id),
            at,
        });
        results[*index] = Some(Ok(match item.state {
            ChangeState::Published => Submitted::Published {
                hostname: item.hostname.clone(),
                change_id: *change_id,
                findings: item.report.findings.clone(),
            },
            ChangeState::Pending => Submitted::Pending {
                change_id: *change_id,
                report: item.report.clone(),
            },
            _ => Submitted::Rejected {
                change_id: *change_id,
                report: item.report.clone(),
            },
        }));
    }
    audit::insert_all(tx, &audit_rows).await?;
    tracing::info!(
        changes = audit_rows.len(),
        items = prepared.len(),
        "changes recorded"
    );
    Ok(results
        .into_iter()
        .map(|result| result.unwrap_or(Ok(Submitted::Unchanged)))
        .collect())
}

//! Many PTR changes in one request, for the API's bulk endpoint and the bulk page alike.
//!
//! Policy: every item goes through the ownership query and [`changes::prepare`] (parse +
//! checks, in parallel); nothing is written for a dry run. An item fails when its address is
//! not an address, is not the customer's ([`ItemErrorCode::IpNotFound`], whatever the reason),
//! repeats an earlier item's address, or its name is not a host name. Non-atomic: each item is
//! recorded on its own savepoint, in transactions of up to 500 items, and failures do not stop
//! the others; an item whose checks find an error is stored as `rejected` (SPEC "States"). Atomic: any failed item, or any item
//! that would be `rejected`, means nothing is written; otherwise every item is recorded in one
//! write transaction, committed together.

mod check;
mod csv;

pub use csv::{CsvError, CsvLine, parse_csv};

use crate::changes::{self, Prepared, SubmitError, Submitted};
use crate::checks::Engine;
use crate::db::Db;
use crate::db::audit::Actor;
use crate::domain::finding::Finding;
use crate::domain::{ChangeState, Door};
use crate::i18n::Text;
use serde::Serialize;

/// Most changes one request may carry.
pub const MAX_ITEMS: usize = 10_000;

/// One requested change, as read from the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// An address and a name (`None`: back to the provider default).
    Change {
        /// The address as written.
        ip: String,
        /// The name as written; `None` resets.
        ptr: Option<String>,
    },
    /// A line or item that could not be read, with the reason.
    Unreadable {
        /// The address, if one could be made out.
        ip: String,
        /// What is wrong.
        message: String,
    },
}

/// How to run a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// All or nothing.
    pub atomic: bool,
}

/// Why an item was not (or would not be) applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ItemErrorCode {
    /// Not one of the customer's addresses (or not an address at all).
    IpNotFound,
    /// The name is not a host name, or the item could not be read.
    InvalidInput,
    /// The same address appears earlier in the batch.
    DuplicateIp,
    /// The checks found an error; an atomic batch does not store rejected changes.
    Rejected,
    /// Someone else changed the entry while the batch was written.
    Conflict,
    /// The database failed to store this item (non-atomic batches: the others stand).
    WriteFailed,
    /// The address's reverse names are delegated to the customer's own name servers.
    Delegated,
}

/// What is wrong with one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemError {
    /// Stable code.
    pub code: ItemErrorCode,
    /// A sentence for people, kept language-neutral: answered in the reader's language.
    #[serde(serialize_with = "crate::i18n::serialize_text")]
    pub message: Text,
}

/// What became (or would become) of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemResult {
    /// Position in the request, from 0.
    pub index: usize,
    /// The address: canonical when it parsed, else as written.
    pub ip: String,
    /// The canonical requested name (ASCII); `None` for a reset or an unreadable name.
    pub requested: Option<String>,
    /// The state the change got (or would get); `None` when the item failed before the checks.
    pub state: Option<ChangeState>,
    /// The name asked for is already in force: nothing to write.
    pub unchanged: bool,
    /// What the checks found (`message` in the reader's language).
    #[serde(serialize_with = "crate::domain::finding::serialize_for_reader")]
    pub findings: Vec<Finding>,
    /// Why it was not applied, if it was not.
    pub error: Option<ItemError>,
}

impl ItemResult {
    fn failed(index: usize, ip: String, code: ItemErrorCode, message: Text) -> ItemResult {
        ItemResult {
            index,
            ip,
            requested: None,
            state: None,
            unchanged: false,
            findings: Vec::new(),
            error: Some(ItemError { code, message }),
        }
    }
}

/// Counts of a batch's results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Items in the batch.
    pub total: usize,
    /// Published (or that would be).
    pub published: usize,
    /// Pending.
    pub pending: usize,
    /// Stored as rejected (non-atomic), or that would be.
    pub rejected: usize,
    /// Already in force.
    pub unchanged: usize,
    /// Items with an error.
    pub failed: usize,
}

/// The result of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// Whether the batch was carried out: false for a dry run and for a refused atomic batch
    /// (nothing written); true otherwise, even when some items of a non-atomic batch failed.
    pub applied: bool,
    /// Counts.
    pub summary: Summary,
    /// One result per item, in request order.
    pub items: Vec<ItemResult>,
}

impl Outcome {
    fn new(applied: bool, items: Vec<ItemResult>) -> Outcome {
        let mut summary = Summary {
            total: items.len(),
            ..Summary::default()
        };
        for item in &items {
            if item.error.is_some() {
                summary.failed += 1;
            } else if item.unchanged {
                summary.unchanged += 1;
            } else {
                match item.state {
                    Some(ChangeState::Published) => summary.published += 1,
                    Some(ChangeState::Pending) => summary.pending += 1,
                    Some(_) => summary.rejected += 1,
                    None => {}
                }
            }
        }
        Outcome {
            applied,
            summary,
            items,
        }
    }
}

/// Who is asking, through which door.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The customer whose addresses may be changed.
    pub customer_id: i64,
    /// For the audit log.
    pub actor: Actor,
    /// For the audit log.
    pub door: Door,
}

/// An item after the ownership query and the checks.
enum Checked {
    Failed(ItemResult),
    Ready {
        prepared: Box<Prepared>,
        result: ItemResult,
    },
}

/// Why a batch could not be run at all.
#[derive(Debug, thiserror::Error)]
pub enum BulkError {
    /// The database failed (an atomic batch is rolled back).
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// A check task panicked or was cancelled.
    #[error("a check task failed")]
    Task(#[from] tokio::task::JoinError),
}

/// Runs a batch; see the module documentation for the rules.
#[tracing::instrument(skip_all, fields(items = inputs.len(), dry_run = options.dry_run, atomic = options.atomic))]
pub async fn run(
    db: &Db,
    engine: &Engine,
    caller: &Caller,
    inputs: Vec<Input>,
    options: Options,
) -> Result<Outcome, BulkError> {
    let mut checked = check::check_all(db, engine, caller, inputs, options).await?;
    if options.atomic {
        for item in &mut checked {
            if let Checked::Ready { result, prepared } = item {
                refuse_if_rejected(result, prepared);
            }
        }
    }
    let any_failed = checked.iter().any(|item| match item {
        Checked::Failed(_) => true,
        Checked::Ready { result, .. } => result.error.is_some(),
    });
    if options.dry_run || (options.atomic && any_failed) {
        let items = checked.into_iter().map(Checked::into_result).collect();
        return Ok(Outcome::new(false, items));
    }
    let outcome = if options.atomic {
        record_atomically(db, checked).await?
    } else {
        record_each(db, checked).await?
    };
    Ok(outcome)
}

/// In an atomic batch, an item the checks reject fails the batch (unless it is already in
/// force, which changes nothing).
fn refuse_if_rejected(result: &mut ItemResult, prepared: &Prepared) {
    if prepared.state() == ChangeState::Rejected && !result.unchanged {
        refuse_as_rejected(result);
    }
}

fn refuse_as_rejected(result: &mut ItemResult) {
    result.error = Some(ItemError {
        code: ItemErrorCode::Rejected,
        message: Text::new("refusal-bulk-rejected"),
    });
}

impl Checked {
    fn into_result(self) -> ItemResult {
        match self {
            Checked::Failed(result) | Checked::Ready { result, .. } => result,
        }
    }
}

/// Fills an item's result from what recording it did.
fn settle(result: &mut ItemResult, submitted: &Submitted) {
    // What recording found under the lock, not what the look before it saw.
    result.unchanged = matches!(submitted, Submitted::Unchanged);
    match submitted {
        Submitted::Unchanged => result.unchanged = true,
        Submitted::Published { .. } => result.state = Some(ChangeState::Published),
        Submitted::Pending { .. } => result.state = Some(ChangeState::Pending),
        Submitted::Rejected { .. } => result.state = Some(ChangeState::Rejected),
    }
}

fn conflict(result: &mut ItemResult, current: Option<String>) {
    let now = match current {
        Some(name) => crate::i18n::Arg::Text(name),
        None => crate::i18n::Arg::Sentence(Box::new(Text::new("refusal-bulk-provider-default"))),
    };
    result.error = Some(ItemError {
        code: ItemErrorCode::Conflict,
        message: Text::new("refusal-bulk-conflict")
            .arg("ip", &result.ip)
            .arg("now", now),
    });
}

/// The address left the customer while the batch was checked (moved or removed).
fn not_owned(result: &mut ItemResult) {
    result.state = None;
    result.error = Some(ItemError {
        code: ItemErrorCode::IpNotFound,
        message: Text::new("refusal-bulk-not-owned").arg("ip", &result.ip),
    });
}

/// What an item's refusal by the write path says (every [`SubmitError`] but the database's).
fn not_applied(result: &mut ItemResult, err: SubmitError) {
    match err {
        SubmitError::Conflict { current } => conflict(result, current),
        SubmitError::Syntax(err) => {
            result.error = Some(ItemError {
                code: ItemErrorCode::InvalidInput,
                message: err.text(),
            });
        }
        SubmitError::NotOwned => not_owned(result),
        err @ SubmitError::Delegated { .. } => delegated(result, &err),
        SubmitError::Database(err) => {
            tracing::error!(error = ?err, ip = %result.ip, "a bulk item could not be stored");
            write_failed(result);
        }
    }
}

/// Every item in one transaction: all committed, or (on a conflict) none.
async fn record_atomically(db: &Db, checked: Vec<Checked>) -> Result<Outcome, sqlx::Error> {
    let mut tx = db.begin_publish().await?;
    // Every assignment of the batch up front, in one order, instead of an address lock per
    // item in request order: two batches never lock in opposite orders, and only this
    // customer's assignments are held.
    let assignments: Vec<i64> = checked
        .iter()
        .filter_map(|item| match item {
            Checked::Ready { prepared, .. } => Some(prepared.assignment_id()),
            Checked::Failed(_) => None,
        })
        .collect();
    tx.lock_assignments(&assignments).await?;
    let mut results = Vec::with_capacity(checked.len());
    let mut ready = Vec::with_capacity(assignments.len());
    for item in checked {
        match item {
            Checked::Ready { prepared, result } => {
                ready.push(*prepared);
                results.push((result, true));
            }
            failed @ Checked::Failed(_) => results.push((failed.into_result(), false)),
        }
    }
    let mut recorded = changes::record_all(&mut tx, ready).await?.into_iter();
    let mut refused = false;
    let mut items = Vec::with_capacity(results.len());
    for (mut result, was_ready) in results {
        let recorded = if was_ready { recorded.next() } else { None };
        match recorded {
            // Found in force when checked, so not refused then, but changed since: it would
            // store a rejected change now, which an atomic batch never does.
            Some(Ok(Submitted::Rejected { .. })) => {
                result.unchanged = false;
                refuse_as_rejected(&mut result);
                refused = true;
            }
            Some(Ok(submitted)) => settle(&mut result, &submitted),
            Some(Err(SubmitError::Database(err))) => return Err(err),
            Some(Err(err)) => {
                not_applied(&mut result, err);
                refused = true;
            }
            None => {}
        }
        items.push(result);
    }
    let results = items;
    if refused {
        drop(tx);
        return Ok(Outcome::new(false, results));
    }
    tx.commit().await?;
    Ok(Outcome::new(true, results))
}

/// Items written together in one transaction by a non-atomic batch.
const CHUNK: usize = 500;

/// In transactions of up to [`CHUNK`] items, each item on its own savepoint: a failure leaves
/// the others as they are, and a zone's serial moves once per transaction, not once per item.
/// Each transaction holds its items' assignments (this customer's only) until it commits. An
/// item the database fails to store fails alone (`WRITE_FAILED`): the answer still says what
/// was applied, never a bare error after some items were committed.
async fn record_each(db: &Db, checked: Vec<Checked>) -> Result<Outcome, sqlx::Error> {
    let mut results: Vec<Option<ItemResult>> = Vec::with_capacity(checked.len());
    let mut ready = Vec::new();
    for (index, item) in checked.into_iter().enumerate() {
        match item {
            Checked::Ready { prepared, result } => {
                results.push(None);
                ready.push((index, *prepared, result));
            }
            failed @ Checked::Failed(_) => results.push(Some(failed.into_result())),
        }
    }
    let mut ready = ready.into_iter().peekable();
    while ready.peek().is_some() {
        let chunk: Vec<_> = ready.by_ref().take(CHUNK).collect();
        for (index, result) in record_chunk(db, chunk).await {
            results[index] = Some(result);
        }
    }
    Ok(Outcome::new(true, results.into_iter().flatten().collect()))
}

/// One transaction of a non-atomic batch; the results by the items' positions.
async fn record_chunk(
    db: &Db,
    chunk: Vec<(usize, Prepared, ItemResult)>,
) -> Vec<(usize, ItemResult)> {
    let assignments: Vec<i64> = chunk.iter().map(|(_, p, _)| p.assignment_id()).collect();
    let begun = async {
        let mut tx = db.begin_publish().await?;
        tx.lock_assignments(&assignments).await?;
        Ok::<_, sqlx::Error>(tx)
    }
    .await;
    let mut tx = match begun {
        Ok(tx) => tx,
        Err(err) => {
            tracing::error!(error = ?err, "a bulk transaction could not be started");
            return chunk
                .into_iter()
                .map(|(index, _, mut result)| {
                    write_failed(&mut result);
                    (index, result)
                })
                .collect();
        }
    };
    let (mut done, applied) = match record_chunk_at_once(&mut tx, &chunk).await {
        Ok(Some(all)) => all,
        // An item failed (or the statements did): the chunk again item by item, each on its
        // own savepoint, so that the others stand.
        _ => record_chunk_each(&mut tx, chunk).await,
    };
    if let Err(err) = tx.commit().await {
        tracing::error!(error = ?err, "a bulk transaction could not be committed");
        for position in applied {
            write_failed(&mut done[position].1);
        }
    }
    done
}

/// A chunk's items recorded together ([`changes::record_all`]) on one savepoint; `None`
/// (and nothing kept) when any item failed. With the results, the positions of those applied.
async fn record_chunk_at_once(
    tx: &mut crate::db::PublishTx,
    chunk: &[(usize, Prepared, ItemResult)],
) -> Result<Option<(Vec<(usize, ItemResult)>, Vec<usize>)>, sqlx::Error> {
    let savepoint = tx.savepoint().await?;
    let prepared = chunk
        .iter()
        .map(|(_, prepared, _)| prepared.clone())
        .collect();
    let recorded = match changes::record_all(tx, prepared).await {
        Ok(recorded) if recorded.iter().all(Result::is_ok) => recorded,
        _ => {
            tx.rollback_to(savepoint).await?;
            return Ok(None);
        }
    };
    tx.release(savepoint).await?;
    let mut done = Vec::with_capacity(chunk.len());
    for ((index, _, result), submitted) in chunk.iter().zip(recorded.into_iter().flatten()) {
        let mut result = result.clone();
        settle(&mut result, &submitted);
        done.push((*index, result));
    }
    let applied = (0..done.len()).collect();
    Ok(Some((done, applied)))
}

/// A chunk's items recorded one by one, each on its own savepoint; with the results, the
/// positions of those applied.
async fn record_chunk_each(
    tx: &mut crate::db::PublishTx,
    chunk: Vec<(usize, Prepared, ItemResult)>,
) -> (Vec<(usize, ItemResult)>, Vec<usize>) {
    let mut done = Vec::with_capacity(chunk.len());
    let mut applied = Vec::new();
    for (index, prepared, mut result) in chunk {
        match record_on_savepoint(tx, prepared).await {
            Ok(submitted) => {
                settle(&mut result, &submitted);
                applied.push(done.len());
            }
            Err(err) => not_applied(&mut result, err),
        }
        done.push((index, result));
    }
    (done, applied)
}

/// Records one item on a savepoint of `tx`, undone alone when it fails.
async fn record_on_savepoint(
    tx: &mut crate::db::PublishTx,
    prepared: Prepared,
) -> Result<Submitted, SubmitError> {
    let savepoint = tx.savepoint().await?;
    match changes::record(tx, prepared).await {
        Ok(submitted) => {
            tx.release(savepoint).await?;
            Ok(submitted)
        }
        Err(err) => {
            tx.rollback_to(savepoint).await?;
            Err(err)
        }
    }
}

fn write_failed(result: &mut ItemResult) {
    result.state = None;
    result.unchanged = false;
    result.error = Some(ItemError {
        code: ItemErrorCode::WriteFailed,
        message: Text::new("refusal-bulk-write-failed").arg("ip", &result.ip),
    });
}

/// The item's address is delegated: not written.
fn delegated(result: &mut ItemResult, err: &SubmitError) {
    result.unchanged = false;
    result.error = Some(ItemError {
        code: ItemErrorCode::Delegated,
        message: err.text(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_counts_each_kind_of_result() {
        let ok = |state| ItemResult {
            index: 0,
            ip: "192.0.2.1".to_owned(),
            requested: None,
            state: Some(state),
            unchanged: false,
            findings: Vec::new(),
            error: None,
        };
        let mut unchanged = ok(ChangeState::Published);
        unchanged.unchanged = true;
        let failed = ItemResult::failed(
            1,
            "x".to_owned(),
            ItemErrorCode::IpNotFound,
            Text::new("refusal-bulk-not-owned"),
        );
        let outcome = Outcome::new(
            true,
            vec![
                ok(ChangeState::Published),
                ok(ChangeState::Pending),
                ok(ChangeState::Rejected),
                unchanged,
                failed,
            ],
        );
        assert_eq!(
            outcome.summary,
            Summary {
                total: 5,
                published: 1,
                pending: 1,
                rejected: 1,
                unchanged: 1,
                failed: 1
            }
        );
    }
}

//! Long drift as a review item (issue 22): the entries drifting longer than the policy's
//! `drift_review_days` that wait for an admin's decision, and the decision kept on the drift
//! row (`kept`, or `asked` with the time the customer was asked). Like every drift read, rows
//! are joined with `entries` on address and version, so a drift that ended, or an entry
//! published anew or reset, leaves the queue by itself. Only [`crate::changes`] writes here.

use super::drift::{DriftFilter, Listed, PAGE_SIZE, Shown};
use crate::domain::finding::Finding;
use crate::domain::{address_from_key, address_key};
use sqlx::{Any, AnyPool, Executor};
use std::net::IpAddr;

/// What an admin decided about a long drift.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriftReviewState {
    /// It stays as it is; the item leaves the queue for this drift.
    Kept,
    /// The customer was asked to fix it; the item comes back if it still drifts a review
    /// period later.
    Asked,
}

impl DriftReviewState {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            DriftReviewState::Kept => "kept",
            DriftReviewState::Asked => "asked",
        }
    }

    /// The state named `text`.
    pub fn parse(text: &str) -> Option<DriftReviewState> {
        match text {
            "kept" => Some(DriftReviewState::Kept),
            "asked" => Some(DriftReviewState::Asked),
            _ => None,
        }
    }
}

/// The decision taken on a drift so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewed {
    /// Which.
    pub state: DriftReviewState,
    /// When.
    pub at: i64,
    /// By whom (user name, if the user still exists).
    pub by: Option<String>,
    /// The admin's note.
    pub note: Option<String>,
}

/// One long drift in the review queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedDrift {
    /// The drift and its entry.
    pub listed: Listed,
    /// An earlier decision (only `asked` ones come back).
    pub reviewed: Option<Reviewed>,
}

/// The conditions of a review item: drifting since before `$3`, matching the filter
/// (`$1` finding id, `$2` customer LIKE pattern), and not decided, or asked before `$4`.
const QUEUED_FROM: &str = "FROM entry_drift d JOIN entries e \
     ON e.address = d.address AND e.version = d.entry_version \
     JOIN customers c ON c.id = d.customer_id \
     LEFT JOIN users u ON u.id = d.reviewed_by \
     WHERE d.since < $3 \
     AND ($1 IS NULL OR d.finding_id = $1) \
     AND ($2 IS NULL OR LOWER(c.number) LIKE $2 ESCAPE '\\' OR LOWER(c.name) LIKE $2 ESCAPE '\\') \
     AND (d.review_state IS NULL OR (d.review_state = 'asked' AND d.reviewed_at < $4))";

#[derive(sqlx::FromRow)]
struct QueuedRow {
    address: Vec<u8>,
    since: i64,
    checked_at: i64,
    finding_id: String,
    message: String,
    hostname: String,
    number: String,
    name: String,
    review_state: Option<String>,
    reviewed_at: Option<i64>,
    username: Option<String>,
    review_note: Option<String>,
    /// The drift's stored findings (JSON), for the sentence in the reader's language.
    drift_findings: String,
}

fn bad_address() -> sqlx::Error {
    sqlx::Error::Decode("stored address is not 16 bytes".into())
}

impl QueuedRow {
    fn queued(self) -> Result<QueuedDrift, sqlx::Error> {
        let reviewed = match (self.review_state.as_deref(), self.reviewed_at) {
            (Some(state), Some(at)) => DriftReviewState::parse(state).map(|state| Reviewed {
                state,
                at,
                by: self.username,
                note: self.review_note,
            }),
            _ => None,
        };
        let text = super::drift::text_of(&self.drift_findings, &self.finding_id, &self.message);
        Ok(QueuedDrift {
            listed: Listed {
                drift: Shown {
                    ip: address_from_key(&self.address).ok_or_else(bad_address)?,
                    since: self.since,
                    checked_at: self.checked_at,
                    finding_id: self.finding_id,
                    message: self.message,
                    text,
                },
                hostname: self.hostname,
                customer_number: self.number,
                customer_name: self.name,
            },
            reviewed,
        })
    }
}

/// The long drifts waiting for a decision — drifting since before `long_before` and matching
/// `filter` (its `since_before` narrows further), undecided or asked before `asked_before` —
/// the first page of them, longest drift first, and how many there are.
pub async fn queued(
    db: &AnyPool,
    filter: &DriftFilter,
    long_before: i64,
    asked_before: i64,
) -> Result<(Vec<QueuedDrift>, i64), sqlx::Error> {
    let finding = filter.finding.map(|id| id.as_str().to_owned());
    let customer = filter
        .customer
        .as_deref()
        .map(|text| super::inventory::like_pattern(&text.to_lowercase()));
    let before = filter
        .since_before
        .map_or(long_before, |since| since.min(long_before));
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) {QUEUED_FROM}"
    )))
    .bind(finding.clone())
    .bind(customer.clone())
    .bind(before)
    .bind(asked_before)
    .fetch_one(db)
    .await?;
    if total == 0 {
        return Ok((Vec::new(), 0));
    }
    let rows: Vec<QueuedRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT d.address, d.since, d.checked_at, d.finding_id, d.message, e.hostname, \
         c.number, c.name, d.review_state, d.reviewed_at, u.username, d.review_note, \
         d.findings AS drift_findings {QUEUED_FROM} ORDER BY d.since, d.address LIMIT $5"
    )))
    .bind(finding)
    .bind(customer)
    .bind(before)
    .bind(asked_before)
    .bind(PAGE_SIZE)
    .fetch_all(db)
    .await?;
    let queued = rows
        .into_iter()
        .map(QueuedRow::queued)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((queued, total))
}

/// A drifting entry as its review page shows it.
#[derive(Debug, Clone)]
pub struct DriftItem {
    /// The drift, its entry and owner, and an earlier decision.
    pub queued: QueuedDrift,
    /// The entry's version the drift was found on.
    pub entry_version: i64,
    /// The owner's row id.
    pub customer_id: i64,
    /// Every finding of the last check.
    pub findings: Vec<Finding>,
}

/// The current drift of `ip` with what its review page needs (`None`: it does not drift).
pub async fn item<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
) -> Result<Option<DriftItem>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct ItemRow {
        #[sqlx(flatten)]
        queued: QueuedRow,
        entry_version: i64,
        customer_id: i64,
        findings: String,
    }
    let row: Option<ItemRow> = sqlx::query_as(
        "SELECT d.address, d.since, d.checked_at, d.finding_id, d.message, e.hostname, \
         c.number, c.name, d.review_state, d.reviewed_at, u.username, d.review_note, \
         d.findings AS drift_findings, d.entry_version, d.customer_id, d.findings \
         FROM entry_drift d JOIN entries e \
         ON e.address = d.address AND e.version = d.entry_version \
         JOIN customers c ON c.id = d.customer_id \
         LEFT JOIN users u ON u.id = d.reviewed_by WHERE d.address = $1",
    )
    .bind(address_key(ip))
    .fetch_optional(db)
    .await?;
    row.map(|row| {
        Ok(DriftItem {
            queued: row.queued.queued()?,
            entry_version: row.entry_version,
            customer_id: row.customer_id,
            findings: serde_json::from_str(&row.findings)
                .map_err(|err| sqlx::Error::Decode(Box::new(err)))?,
        })
    })
    .transpose()
}

/// Stores `state` as the decision on the drift of `ip` found on `entry_version`; false when
/// that drift is no longer there.
pub async fn decide<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
    entry_version: i64,
    state: DriftReviewState,
    by: Option<i64>,
    note: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE entry_drift SET review_state = $3, reviewed_at = $4, reviewed_by = $5, \
         review_note = $6 WHERE address = $1 AND entry_version = $2 \
         AND EXISTS (SELECT 1 FROM entries e WHERE e.address = entry_drift.address \
         AND e.version = entry_drift.entry_version)",
    )
    .bind(address_key(ip))
    .bind(entry_version)
    .bind(state.as_str())
    .bind(at)
    .bind(by)
    .bind(note)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The published entry of `ip` as the re-verification checks it (`None`: the default applies).
pub async fn published_of(
    db: &AnyPool,
    ip: IpAddr,
) -> Result<Option<super::drift::Published>, sqlx::Error> {
    let row: Option<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT e.id, e.hostname, e.version, s.customer_id \
         FROM entries e JOIN assignments a ON a.id = e.assignment_id \
         JOIN servers s ON s.id = a.server_id \
         WHERE e.address = $1 AND e.hostname IS NOT NULL",
    )
    .bind(address_key(ip))
    .fetch_optional(db)
    .await?;
    Ok(row.map(
        |(id, hostname, version, customer_id)| super::drift::Published {
            id,
            ip,
            hostname,
            version,
            customer_id,
        },
    ))
}

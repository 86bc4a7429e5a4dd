//! Entry drift (issue 22): published entries that failed their checks when re-verified, and
//! where the re-verification pass stands. Not the secondaries' drift of [`crate::dns::verify`].
//! A drift row names the entry version it was found on; every read joins `entries` on address
//! and version, so a newer publication or a removed entry leaves the row stale (and the job
//! sweeps it). Only [`crate::changes`] calls the writing functions here.

use crate::domain::finding::{Finding, FindingId};
use crate::domain::{address_from_key, address_key};
use crate::i18n::Text;
use sqlx::{Any, AnyPool, Executor};
use std::net::IpAddr;

/// The name of the re-verification's progress row (and of its job lease).
pub const REVERIFY: &str = "checks.reverify";

/// Drifting entries shown per staff page.
pub const PAGE_SIZE: i64 = 50;

/// A published entry due for re-verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// The entry's row id (the pass walks them in this order).
    pub id: i64,
    /// The address.
    pub ip: IpAddr,
    /// The PTR in force (canonical ASCII).
    pub hostname: String,
    /// The entry's version when read.
    pub version: i64,
    /// Its owner.
    pub customer_id: i64,
}

#[derive(sqlx::FromRow)]
struct PublishedRow {
    id: i64,
    address: Vec<u8>,
    hostname: String,
    version: i64,
    customer_id: i64,
}

fn bad_address() -> sqlx::Error {
    sqlx::Error::Decode("stored address is not 16 bytes".into())
}

/// Up to `limit` published entries (with a customer's own name) after entry id `after_id`, in
/// id order.
pub async fn published_after(
    db: &AnyPool,
    after_id: i64,
    limit: i64,
) -> Result<Vec<Published>, sqlx::Error> {
    let rows: Vec<PublishedRow> = sqlx::query_as(
        "SELECT e.id, e.address, e.hostname, e.version, s.customer_id \
         FROM entries e JOIN assignments a ON a.id = e.assignment_id \
         JOIN servers s ON s.id = a.server_id \
         WHERE e.id > $1 AND e.hostname IS NOT NULL ORDER BY e.id LIMIT $2",
    )
    .bind(after_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Published {
                id: row.id,
                ip: address_from_key(&row.address).ok_or_else(bad_address)?,
                hostname: row.hostname,
                version: row.version,
                customer_id: row.customer_id,
            })
        })
        .collect()
}

/// How many published entries with a customer's own name there are (one pass checks each).
pub async fn count_published(db: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM entries WHERE hostname IS NOT NULL")
        .fetch_one(db)
        .await
}

/// Where a pass stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The last entry id checked in this pass (0: the pass has not begun).
    pub after_id: i64,
    /// When this pass began.
    pub pass_started_at: i64,
    /// When the last whole pass ended.
    pub last_pass_at: Option<i64>,
}

/// The progress of the pass `name`, if one ever began.
pub async fn progress(db: &AnyPool, name: &str) -> Result<Option<Progress>, sqlx::Error> {
    let row: Option<(i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT after_id, pass_started_at, last_pass_at FROM reverify_progress WHERE name = $1",
    )
    .bind(name)
    .fetch_optional(db)
    .await?;
    Ok(
        row.map(|(after_id, pass_started_at, last_pass_at)| Progress {
            after_id,
            pass_started_at,
            last_pass_at,
        }),
    )
}

/// Stores the progress of the pass `name`.
pub async fn save_progress(
    db: &AnyPool,
    name: &str,
    progress: Progress,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO reverify_progress (name, after_id, pass_started_at, last_pass_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET after_id = $2, \
         pass_started_at = $3, last_pass_at = $4",
    )
    .bind(name)
    .bind(progress.after_id)
    .bind(progress.pass_started_at)
    .bind(progress.last_pass_at)
    .execute(db)
    .await?;
    Ok(())
}

/// An entry's drift as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// The entry version it was found on.
    pub entry_version: i64,
    /// Since when the entry fails.
    pub since: i64,
    /// When it was last checked.
    pub checked_at: i64,
    /// The first failing check.
    pub finding_id: String,
    /// Its sentence.
    pub message: String,
}

/// The drift row of `ip`, stale or not.
pub async fn of_address<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
) -> Result<Option<Drift>, sqlx::Error> {
    let row: Option<(i64, i64, i64, String, String)> = sqlx::query_as(
        "SELECT entry_version, since, checked_at, finding_id, message FROM entry_drift \
         WHERE address = $1",
    )
    .bind(address_key(ip))
    .fetch_optional(db)
    .await?;
    Ok(row.map(
        |(entry_version, since, checked_at, finding_id, message)| Drift {
            entry_version,
            since,
            checked_at,
            finding_id,
            message,
        },
    ))
}

/// What a check found wrong with a published entry.
#[derive(Debug, Clone, Copy)]
pub struct Failing<'a> {
    /// The entry version checked.
    pub entry_version: i64,
    /// Its owner.
    pub customer_id: i64,
    /// The first error finding.
    pub first: &'a Finding,
    /// Every finding of the check.
    pub findings: &'a [Finding],
}

/// Records that `ip` fails since `since` (replacing a stale row, whose review decision goes
/// with it), checked at `at`.
pub async fn record<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
    failing: Failing<'_>,
    since: i64,
    at: i64,
) -> Result<(), sqlx::Error> {
    let findings = crate::domain::finding::stored_json(failing.findings)
        .map_err(|err| sqlx::Error::Encode(Box::new(err)))?;
    sqlx::query(
        "INSERT INTO entry_drift (address, entry_version, customer_id, since, checked_at, \
         finding_id, message, findings) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (address) DO UPDATE SET entry_version = $2, customer_id = $3, since = $4, \
         checked_at = $5, finding_id = $6, message = $7, findings = $8, \
         review_state = CASE WHEN entry_drift.entry_version = $2 THEN entry_drift.review_state END, \
         reviewed_at = CASE WHEN entry_drift.entry_version = $2 THEN entry_drift.reviewed_at END, \
         reviewed_by = CASE WHEN entry_drift.entry_version = $2 THEN entry_drift.reviewed_by END, \
         review_note = CASE WHEN entry_drift.entry_version = $2 THEN entry_drift.review_note END",
    )
    .bind(address_key(ip))
    .bind(failing.entry_version)
    .bind(failing.customer_id)
    .bind(since)
    .bind(at)
    .bind(failing.first.id.as_str())
    .bind(&failing.first.message)
    .bind(findings)
    .execute(db)
    .await?;
    Ok(())
}

/// Removes the drift row of `ip` (fixed again, or stale).
pub async fn remove<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM entry_drift WHERE address = $1")
        .bind(address_key(ip))
        .execute(db)
        .await?;
    Ok(())
}

/// The drift rows of entries no longer there, or since published anew, removed; how many.
pub async fn sweep_stale(db: &AnyPool) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM entry_drift WHERE NOT EXISTS (SELECT 1 FROM entries e \
         WHERE e.address = entry_drift.address AND e.version = entry_drift.entry_version \
         AND e.hostname IS NOT NULL)",
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// How many entries drift now (for `/metrics` and the overview).
pub async fn count(db: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM entry_drift d JOIN entries e \
         ON e.address = d.address AND e.version = d.entry_version",
    )
    .fetch_one(db)
    .await
}

/// How many entries drift since before `before`.
pub async fn count_since_before(db: &AnyPool, before: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM entry_drift d JOIN entries e \
         ON e.address = d.address AND e.version = d.entry_version WHERE d.since < $1",
    )
    .bind(before)
    .fetch_one(db)
    .await
}

/// The drift of one address shown beside its entry (the customer's row, the dossier).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The address.
    pub ip: IpAddr,
    /// Since when.
    pub since: i64,
    /// When last checked.
    pub checked_at: i64,
    /// The first failing check.
    pub finding_id: String,
    /// What fails now, in English (as the audit log has it).
    pub message: String,
    /// The same sentence kept language-neutral: that of the stored finding it was taken from
    /// (`None` for drift stored before sentences were).
    pub text: Option<Text>,
}

impl Shown {
    /// What fails now, in the reader's language.
    pub fn sentence(&self) -> String {
        Text::render_or(self.text.as_ref(), &self.message)
    }
}

/// The language-neutral sentence of the drift's first failing finding, found again among the
/// stored findings by its check and English message.
pub(crate) fn text_of(findings: &str, finding_id: &str, message: &str) -> Option<Text> {
    let findings: Vec<Finding> = serde_json::from_str(findings).ok()?;
    findings
        .into_iter()
        .find(|finding| finding.id.as_str() == finding_id && finding.message == message)?
        .text
}

#[derive(sqlx::FromRow)]
struct ShownRow {
    address: Vec<u8>,
    since: i64,
    checked_at: i64,
    finding_id: String,
    message: String,
    findings: String,
}

impl ShownRow {
    fn shown(self) -> Result<Shown, sqlx::Error> {
        Ok(Shown {
            ip: address_from_key(&self.address).ok_or_else(bad_address)?,
            since: self.since,
            checked_at: self.checked_at,
            text: text_of(&self.findings, &self.finding_id, &self.message),
            finding_id: self.finding_id,
            message: self.message,
        })
    }
}

/// The current drift of the entries of a page's assignments (at most
/// [`super::inventory::PAGE_SIZE`] ids).
pub async fn of_assignments<'e>(
    db: impl Executor<'e, Database = Any>,
    assignment_ids: &[i64],
) -> Result<Vec<Shown>, sqlx::Error> {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT d.address, d.since, d.checked_at, d.finding_id, d.message, d.findings \
             FROM entry_drift d JOIN entries e \
             ON e.address = d.address AND e.version = d.entry_version \
             WHERE e.assignment_id IN ({ids})",
            ids = super::inventory::page_id_placeholders(),
        )
    });
    let rows = super::inventory::bind_page_ids(sqlx::query(SQL.as_str()), assignment_ids)
        .fetch_all(db)
        .await?;
    rows.iter()
        .map(|row| <ShownRow as sqlx::FromRow<_>>::from_row(row)?.shown())
        .collect()
}

/// The current drift of one address.
pub async fn current<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
) -> Result<Option<Shown>, sqlx::Error> {
    let row: Option<ShownRow> = sqlx::query_as(
        "SELECT d.address, d.since, d.checked_at, d.finding_id, d.message, d.findings \
         FROM entry_drift d JOIN entries e \
         ON e.address = d.address AND e.version = d.entry_version WHERE d.address = $1",
    )
    .bind(address_key(ip))
    .fetch_optional(db)
    .await?;
    row.map(ShownRow::shown).transpose()
}

/// What the staff drift list is narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DriftFilter {
    /// Only drift found by this check.
    pub finding: Option<FindingId>,
    /// A fragment of the customer's name or number (case-insensitive).
    pub customer: Option<String>,
    /// Only drift that began before this time (Unix seconds).
    pub since_before: Option<i64>,
}

/// One drifting entry in the staff list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The drift.
    pub drift: Shown,
    /// The PTR in force.
    pub hostname: String,
    /// The owner's number.
    pub customer_number: String,
    /// The owner's name.
    pub customer_name: String,
}

#[derive(sqlx::FromRow)]
struct ListedRow {
    address: Vec<u8>,
    since: i64,
    checked_at: i64,
    finding_id: String,
    message: String,
    findings: String,
    hostname: String,
    number: String,
    name: String,
}

/// One page (1-based) of drifting entries matching `filter`, longest drift first, and how
/// many match in all.
pub async fn list(
    db: &AnyPool,
    filter: &DriftFilter,
    page: i64,
) -> Result<(Vec<Listed>, i64), sqlx::Error> {
    const FROM: &str = "FROM entry_drift d JOIN entries e \
         ON e.address = d.address AND e.version = d.entry_version \
         JOIN customers c ON c.id = d.customer_id \
         WHERE ($1 IS NULL OR d.finding_id = $1) \
         AND ($2 IS NULL OR LOWER(c.number) LIKE $2 ESCAPE '\\' OR LOWER(c.name) LIKE $2 ESCAPE '\\') \
         AND ($3 IS NULL OR d.since < $3)";
    let finding = filter.finding.map(|id| id.as_str().to_owned());
    let customer = filter
        .customer
        .as_deref()
        .map(|text| super::inventory::like_pattern(&text.to_lowercase()));
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {FROM}")))
        .bind(finding.clone())
        .bind(customer.clone())
        .bind(filter.since_before)
        .fetch_one(db)
        .await?;
    let rows: Vec<ListedRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT d.address, d.since, d.checked_at, d.finding_id, d.message, d.findings, e.hostname, \
         c.number, c.name {FROM} ORDER BY d.since, d.address LIMIT $4 OFFSET $5"
    )))
    .bind(finding)
    .bind(customer)
    .bind(filter.since_before)
    .bind(PAGE_SIZE)
    .bind((page.max(1) - 1) * PAGE_SIZE)
    .fetch_all(db)
    .await?;
    let listed = rows
        .into_iter()
        .map(|row| {
            Ok(Listed {
                drift: Shown {
                    ip: address_from_key(&row.address).ok_or_else(bad_address)?,
                    since: row.since,
                    checked_at: row.checked_at,
                    text: text_of(&row.findings, &row.finding_id, &row.message),
                    finding_id: row.finding_id,
                    message: row.message,
                },
                hostname: row.hostname,
                customer_number: row.number,
                customer_name: row.name,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok((listed, total))
}

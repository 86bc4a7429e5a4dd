//! Requested changes with their state and findings (SPEC "States").

use crate::db::batch::{self, Placeholders, Statement};
use crate::domain::{ChangeState, address_from_key, address_key, finding::Finding};
use sqlx::{Any, AnyConnection, Executor};
use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

/// A change as it is first recorded.
#[derive(Debug, Clone)]
pub struct NewChange<'a> {
    /// The address it is for.
    pub ip: IpAddr,
    /// The assignment holding the address.
    pub assignment_id: i64,
    /// The customer owning it.
    pub customer_id: i64,
    /// The canonical hostname asked for; `None` asks for the default.
    pub requested_hostname: Option<&'a str>,
    /// The name as its client sent it ([`crate::domain::Hostname::as_sent`]); `None` with the
    /// default.
    pub requested_as_sent: Option<&'a str>,
    /// Where it stands.
    pub state: ChangeState,
    /// What the checks found.
    pub findings: &'a [Finding],
    /// The user who asked, if a user did.
    pub created_by: Option<i64>,
    /// When a pending change is checked again.
    pub next_check_at: Option<i64>,
    /// When a pending change gives up and is rejected.
    pub deadline: Option<i64>,
    /// When.
    pub at: i64,
}

/// Records a change and returns its id.
pub async fn insert<'e>(
    db: impl Executor<'e, Database = Any>,
    change: &NewChange<'_>,
) -> Result<i64, sqlx::Error> {
    let findings = crate::domain::finding::stored_json(change.findings)
        .map_err(|err| sqlx::Error::Encode(Box::new(err)))?;
    sqlx::query_scalar(
        "INSERT INTO changes (address, address_text, assignment_id, customer_id, requested_hostname, state, \
                              findings, created_by, next_check_at, deadline, created_at, updated_at, requested_as_sent) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12) RETURNING id",
    )
    .bind(address_key(change.ip))
    .bind(change.ip.to_string())
    .bind(change.assignment_id)
    .bind(change.customer_id)
    .bind(change.requested_hostname)
    .bind(change.state.as_str())
    .bind(findings)
    .bind(change.created_by)
    .bind(change.next_check_at)
    .bind(change.deadline)
    .bind(change.at)
    .bind(change.requested_as_sent)
    .fetch_one(db)
    .await
}

/// Records many changes (each of a different address), a statement per [`batch::MAX_ROWS`];
/// returns their ids in the order given.
pub async fn insert_all(
    conn: &mut AnyConnection,
    changes: &[NewChange<'_>],
) -> Result<Vec<i64>, sqlx::Error> {
    const COLUMNS: &[&str] = &[
        "address",
        "address_text",
        "assignment_id",
        "customer_id",
        "requested_hostname",
        "state",
        "findings",
        "created_by",
        "next_check_at",
        "deadline",
        "created_at",
        "updated_at",
        "requested_as_sent",
    ];
    let placeholders = Placeholders::of(conn);
    let mut ids = Vec::with_capacity(changes.len());
    for chunk in changes.chunks(batch::rows_per_statement(COLUMNS.len())) {
        let mut statement = batch::insert_statement("changes", COLUMNS, chunk.len(), placeholders);
        // The order of the rows a multi-row INSERT returns is not promised: matched by address.
        statement.push(" RETURNING id, address");
        let mut query = sqlx::query_as::<_, (i64, Vec<u8>)>(statement.into_sql());
        for change in chunk {
            let findings = serde_json::to_string(change.findings)
                .map_err(|err| sqlx::Error::Encode(Box::new(err)))?;
            query = query
                .bind(address_key(change.ip))
                .bind(change.ip.to_string())
                .bind(change.assignment_id)
                .bind(change.customer_id)
                .bind(change.requested_hostname)
                .bind(change.state.as_str())
                .bind(findings)
                .bind(change.created_by)
                .bind(change.next_check_at)
                .bind(change.deadline)
                .bind(change.at)
                .bind(change.at)
                .bind(change.requested_as_sent);
        }
        let returned: HashMap<Vec<u8>, i64> = query
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|(id, address)| (address, id))
            .collect();
        for change in chunk {
            let id = returned
                .get(&address_key(change.ip))
                .copied()
                .ok_or_else(|| {
                    sqlx::Error::Protocol(format!("no id returned for the change of {}", change.ip))
                })?;
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Which of `ips` have an open change ([`has_open`] for many addresses).
pub async fn open_of(
    conn: &mut AnyConnection,
    ips: &[IpAddr],
) -> Result<HashSet<IpAddr>, sqlx::Error> {
    let mut open = HashSet::new();
    for chunk in ips.chunks(batch::MAX_ROWS) {
        let mut statement = Statement::new(
            Placeholders::of(conn),
            // Through the address index: for a long list SQLite otherwise picks the index of
            // `superseded_by` (NULL in almost every row) or of the open states (16,000 rows at
            // provider scale); `+` and `|| ''` keep it off those.
            "SELECT DISTINCT address FROM changes WHERE +superseded_by IS NULL \
               AND (state || '') IN ('pending', 'rejected', 'in-review', 'denied') AND address IN (",
        );
        statement.list(chunk.len()).push(")");
        let mut query = sqlx::query_scalar::<_, Vec<u8>>(statement.into_sql());
        for ip in chunk {
            query = query.bind(address_key(*ip));
        }
        for key in query.fetch_all(&mut *conn).await? {
            open.insert(
                address_from_key(&key)
                    .ok_or_else(|| sqlx::Error::Decode("stored address is not 16 bytes".into()))?,
            );
        }
    }
    Ok(open)
}

/// Closes every open change of `ip` other than `newer`: the newer request replaces them.
pub async fn supersede_open<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
    newer: i64,
    at: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE changes SET superseded_by = $2, next_check_at = NULL, updated_at = $3 \
         WHERE address = $1 AND id <> $2 AND superseded_by IS NULL \
           AND state IN ('pending', 'rejected', 'in-review', 'denied')",
    )
    .bind(address_key(ip))
    .bind(newer)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Closes open change `id` because its customer no longer holds the address: it is marked
/// superseded by itself (no newer request replaced it), so nothing ever publishes it. False
/// when it was closed already.
pub async fn supersede_orphaned<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE changes SET superseded_by = id, next_check_at = NULL, updated_at = $2 \
         WHERE id = $1 AND superseded_by IS NULL AND state <> 'published'",
    )
    .bind(id)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An open change of an address, closed by [`withdraw_open`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawn {
    /// The change row.
    pub id: i64,
    /// The canonical name it asked for (`None`: the default).
    pub requested_hostname: Option<String>,
    /// The name as its client sent it, where recorded.
    pub requested_as_sent: Option<String>,
    /// Where it stood.
    pub state: ChangeState,
}

#[derive(sqlx::FromRow)]
struct WithdrawnRow {
    id: i64,
    requested_hostname: Option<String>,
    requested_as_sent: Option<String>,
    state: String,
}

/// Closes every open change of `ip` (pending, rejected, in review, denied) because its customer
/// withdrew it: each is marked superseded by itself (no newer request replaced it), so nothing
/// ever publishes it. Returns those it closed, oldest first.
pub async fn withdraw_open(
    tx: &mut sqlx::AnyConnection,
    ip: IpAddr,
    at: i64,
) -> Result<Vec<Withdrawn>, sqlx::Error> {
    let rows: Vec<WithdrawnRow> = sqlx::query_as(
        "SELECT id, requested_hostname, requested_as_sent, state FROM changes \
         WHERE address = $1 AND superseded_by IS NULL \
           AND state IN ('pending', 'rejected', 'in-review', 'denied') ORDER BY id",
    )
    .bind(address_key(ip))
    .fetch_all(&mut *tx)
    .await?;
    let mut closed = Vec::with_capacity(rows.len());
    for row in rows {
        if supersede_orphaned(&mut *tx, row.id, at).await? {
            closed.push(Withdrawn {
                id: row.id,
                requested_hostname: row.requested_hostname,
                requested_as_sent: row.requested_as_sent,
                state: ChangeState::parse(&row.state).unwrap_or(ChangeState::Pending),
            });
        }
    }
    Ok(closed)
}

/// The open pending change of an address, as a client that asked for it sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingName {
    /// The address.
    pub ip: IpAddr,
    /// The name as its client sent it (the canonical name for changes recorded without it).
    pub hostname: String,
    /// What the checks last found.
    pub findings: Vec<Finding>,
}

#[derive(sqlx::FromRow)]
struct PendingRow {
    address: Vec<u8>,
    hostname: Option<String>,
    findings: String,
}

impl PendingRow {
    fn into_pending(self) -> Option<PendingName> {
        Some(PendingName {
            ip: address_from_key(&self.address)?,
            hostname: self.hostname?,
            findings: serde_json::from_str(&self.findings).unwrap_or_default(),
        })
    }
}

/// The pending change of `ip`, if one is open (at most one is: a newer request supersedes).
pub async fn pending_of<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
) -> Result<Option<PendingName>, sqlx::Error> {
    let row: Option<PendingRow> = sqlx::query_as(
        "SELECT address, COALESCE(requested_as_sent, requested_hostname) AS hostname, findings \
         FROM changes WHERE address = $1 AND state = 'pending' AND superseded_by IS NULL \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(address_key(ip))
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(PendingRow::into_pending))
}

/// The customer's open pending changes, in address order; with `server_of_assignment`, only
/// those on the server holding that assignment.
pub async fn pending_of_customer<'e>(
    db: impl Executor<'e, Database = Any>,
    customer_id: i64,
    server_of_assignment: Option<i64>,
) -> Result<Vec<PendingName>, sqlx::Error> {
    let rows: Vec<PendingRow> = sqlx::query_as(
        "SELECT c.address, COALESCE(c.requested_as_sent, c.requested_hostname) AS hostname, c.findings \
         FROM changes c \
         JOIN assignments a ON a.id = c.assignment_id \
         JOIN servers s ON s.id = a.server_id \
         WHERE s.customer_id = $1 AND c.customer_id = $1 AND c.state = 'pending' AND c.superseded_by IS NULL \
           AND ($2 IS NULL OR s.id = (SELECT server_id FROM assignments WHERE id = $2)) \
         ORDER BY c.address, c.id",
    )
    .bind(customer_id)
    .bind(server_of_assignment)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(PendingRow::into_pending)
        .collect())
}

/// Whether `ip` has an open change (not yet published, not superseded).
pub async fn has_open<'e>(
    db: impl Executor<'e, Database = Any>,
    ip: IpAddr,
) -> Result<bool, sqlx::Error> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM changes WHERE address = $1 AND superseded_by IS NULL \
           AND state IN ('pending', 'rejected', 'in-review', 'denied')",
    )
    .bind(address_key(ip))
    .fetch_one(db)
    .await?;
    Ok(count > 0)
}

/// A pending change whose next check is due.
#[derive(Debug, Clone)]
pub struct DueChange {
    /// Row id.
    pub id: i64,
    /// The address.
    pub ip: IpAddr,
    /// Its assignment.
    pub assignment_id: i64,
    /// Its owner.
    pub customer_id: i64,
    /// The requested name (canonical ASCII).
    pub requested_hostname: String,
    /// Checks run so far after the first.
    pub attempts: i64,
    /// When it gives up.
    pub deadline: i64,
    /// When it was due (the claim compares it).
    pub next_check_at: i64,
}

#[derive(sqlx::FromRow)]
struct DueRow {
    id: i64,
    address: Vec<u8>,
    assignment_id: i64,
    customer_id: i64,
    requested_hostname: Option<String>,
    attempts: i64,
    deadline: Option<i64>,
    next_check_at: Option<i64>,
}

/// Pending changes due for a check at `now`, oldest first.
pub async fn due_pending<'e>(
    db: impl Executor<'e, Database = Any>,
    now: i64,
    limit: i64,
) -> Result<Vec<DueChange>, sqlx::Error> {
    let rows: Vec<DueRow> = sqlx::query_as(
        "SELECT id, address, assignment_id, customer_id, requested_hostname, attempts, deadline, next_check_at FROM changes \
         WHERE state = 'pending' AND superseded_by IS NULL AND next_check_at <= $1 \
         ORDER BY next_check_at, id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(DueChange {
                id: row.id,
                ip: address_from_key(&row.address)?,
                assignment_id: row.assignment_id,
                customer_id: row.customer_id,
                requested_hostname: row.requested_hostname?,
                attempts: row.attempts,
                deadline: row.deadline.unwrap_or(now),
                next_check_at: row.next_check_at.unwrap_or(now),
            })
        })
        .collect())
}

/// Claims a due change for a re-check until `until`; false when another node claimed it (or
/// it was settled) since it was read as due.
pub async fn claim_due<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    due_at: i64,
    until: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE changes SET next_check_at = $3 \
         WHERE id = $1 AND next_check_at = $2 AND state = 'pending' AND superseded_by IS NULL",
    )
    .bind(id)
    .bind(due_at)
    .bind(until)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a still-pending, not superseded change to `state` with `findings`; false when it is no
/// longer pending (another node or a newer request got there first).
pub async fn settle_pending<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    state: ChangeState,
    findings: &[Finding],
    at: i64,
) -> Result<bool, sqlx::Error> {
    let findings = crate::domain::finding::stored_json(findings)
        .map_err(|err| sqlx::Error::Encode(Box::new(err)))?;
    let done = sqlx::query(
        "UPDATE changes SET state = $2, findings = $3, next_check_at = NULL, attempts = attempts + 1, updated_at = $4 \
         WHERE id = $1 AND state = 'pending' AND superseded_by IS NULL",
    )
    .bind(id)
    .bind(state.as_str())
    .bind(findings)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Keeps a pending change pending with fresh findings and its next check at `next_check_at`.
pub async fn reschedule<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    findings: &[Finding],
    next_check_at: i64,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let findings = crate::domain::finding::stored_json(findings)
        .map_err(|err| sqlx::Error::Encode(Box::new(err)))?;
    let done = sqlx::query(
        "UPDATE changes SET findings = $2, next_check_at = $3, attempts = attempts + 1, updated_at = $4 \
         WHERE id = $1 AND state = 'pending' AND superseded_by IS NULL",
    )
    .bind(id)
    .bind(findings)
    .bind(next_check_at)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A change that is still open (not superseded), as a review step reads it.
#[derive(Debug, Clone)]
pub struct OpenChangeRow {
    /// The address.
    pub ip: IpAddr,
    /// Its assignment.
    pub assignment_id: i64,
    /// Its owner.
    pub customer_id: i64,
    /// The requested name (`None`: the default).
    pub requested_hostname: Option<String>,
    /// Where it stands.
    pub state: ChangeState,
}

#[derive(sqlx::FromRow)]
struct OpenRow {
    address: Vec<u8>,
    assignment_id: i64,
    customer_id: i64,
    requested_hostname: Option<String>,
    state: String,
}

/// The change `id` if it is not superseded by a newer request.
pub async fn open_change<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<OpenChangeRow>, sqlx::Error> {
    let row: Option<OpenRow> = sqlx::query_as(
        "SELECT address, assignment_id, customer_id, requested_hostname, state FROM changes \
         WHERE id = $1 AND superseded_by IS NULL",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|row| {
        Some(OpenChangeRow {
            ip: address_from_key(&row.address)?,
            assignment_id: row.assignment_id,
            customer_id: row.customer_id,
            requested_hostname: row.requested_hostname,
            state: ChangeState::parse(&row.state)?,
        })
    }))
}

/// Moves change `id` from `from` to `to` (a review step), recording who decided and the note;
/// false when it is no longer in `from` or was superseded.
pub async fn move_state<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    from: ChangeState,
    to: ChangeState,
    decided_by: Option<i64>,
    note: Option<&str>,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE changes SET state = $3, decided_by = COALESCE($4, decided_by), note = COALESCE($5, note), \
                next_check_at = NULL, updated_at = $6 \
         WHERE id = $1 AND state = $2 AND superseded_by IS NULL",
    )
    .bind(id)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(decided_by)
    .bind(note)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores the customer's justification of a review request.
pub async fn set_justification<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    text: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE changes SET justification = $2 WHERE id = $1")
        .bind(id)
        .bind(text)
        .execute(db)
        .await?;
    Ok(())
}

/// Replaces the findings of open change `id` with a fresh run of the checks (an admin's
/// "run the checks again"); the state stays. False when it is no longer in the review queue
/// (`rejected`, `in-review`): superseded, or decided while the checks ran — an approved
/// change keeps the findings it was approved with.
pub async fn update_findings<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    findings: &[Finding],
    at: i64,
) -> Result<bool, sqlx::Error> {
    let findings = crate::domain::finding::stored_json(findings)
        .map_err(|err| sqlx::Error::Encode(Box::new(err)))?;
    let done = sqlx::query(
        "UPDATE changes SET findings = $2, updated_at = $3 \
         WHERE id = $1 AND superseded_by IS NULL AND state IN ('rejected', 'in-review')",
    )
    .bind(id)
    .bind(findings)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many changes are in each state, counting only those no newer request replaced (the
/// metrics' changes gauge); states without a change are left out.
pub async fn count_by_state<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<Vec<(ChangeState, i64)>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT state, COUNT(*) FROM changes WHERE superseded_by IS NULL GROUP BY state",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(state, count)| ChangeState::parse(&state).map(|state| (state, count)))
        .collect())
}

//! Notification mail (issue 22): users' addresses and opt-outs, and the mail outbox
//! (`mail_outbox`, filled by the database's trigger on `audit` for customers' events and by
//! the digest job for admins), claimed per node and recorded attempt by attempt.

use crate::domain::MailTopic;
use sqlx::{Any, AnyPool, Executor};

/// Sets (or, with `None`, removes) the e-mail address of user `user_id`.
pub async fn set_email<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
    email: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET email = $2 WHERE id = $1")
        .bind(user_id)
        .bind(email)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The e-mail address of user `user_id`.
pub async fn email_of<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let email: Option<Option<String>> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(db)
        .await?;
    Ok(email.flatten())
}

/// The topics user `user_id` turned off.
pub async fn opt_outs<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
) -> Result<Vec<MailTopic>, sqlx::Error> {
    let topics: Vec<String> =
        sqlx::query_scalar("SELECT topic FROM mail_opt_outs WHERE user_id = $1 ORDER BY topic")
            .bind(user_id)
            .fetch_all(db)
            .await?;
    Ok(topics
        .iter()
        .filter_map(|topic| MailTopic::parse(topic))
        .collect())
}

/// Turns `topic` off (`off`) or on again for user `user_id`.
pub async fn set_opt_out<'e, E>(
    db: E,
    user_id: i64,
    topic: MailTopic,
    off: bool,
) -> Result<(), sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let sql = if off {
        "INSERT INTO mail_opt_outs (user_id, topic) VALUES ($1, $2) \
         ON CONFLICT (user_id, topic) DO NOTHING"
    } else {
        "DELETE FROM mail_opt_outs WHERE user_id = $1 AND topic = $2"
    };
    sqlx::query(sql)
        .bind(user_id)
        .bind(topic.as_str())
        .execute(db)
        .await?;
    Ok(())
}

/// One mail to send, with what its text needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueMail {
    /// The outbox row.
    pub id: i64,
    /// The recipient.
    pub user_id: i64,
    /// Their user name.
    pub username: String,
    /// Their address now (`None`: removed since; the mail is dropped).
    pub email: Option<String>,
    /// When they were disabled, if they were since.
    pub disabled_at: Option<i64>,
    /// The topic (stored text).
    pub topic: String,
    /// The event's audit row (a digest: the last one it covers).
    pub audit_id: i64,
    /// A digest covers the audit rows after this id.
    pub digest_after_id: Option<i64>,
    /// Attempts so far.
    pub attempts: i64,
    /// When the event happened.
    pub created_at: i64,
    /// The event's action (stored text).
    pub action: String,
    /// The address concerned.
    pub address_text: Option<String>,
    /// The audit row's value before.
    pub old_value: Option<String>,
    /// The audit row's value after.
    pub new_value: Option<String>,
    /// The admin's note of the change, if any.
    pub note: Option<String>,
    /// The change's findings (JSON), or those of the address's drift for an event without a
    /// change (an admin's question about a long drift), if any.
    pub findings: Option<String>,
    /// The language the recipient chose, if any: the mail is written in it.
    pub language: Option<String>,
    /// The time zone the recipient chose, if any.
    pub time_zone: Option<String>,
}

/// Claims up to `limit` due mails for `holder` until `until`, and returns them.
pub async fn claim_due(
    db: &super::Db,
    holder: &str,
    now: i64,
    until: i64,
    limit: i64,
) -> Result<Vec<DueMail>, sqlx::Error> {
    // A read first: a node with nothing due (the usual case) writes nothing.
    let due: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM mail_outbox WHERE sent_at IS NULL AND given_up_at IS NULL \
         AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1) LIMIT 1",
    )
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    if due.is_none() {
        return Ok(Vec::new());
    }
    let skip_locked = if db.engine == super::Engine::Postgres {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let claim = format!(
        "UPDATE mail_outbox SET claimed_by = $1, claimed_until = $2 WHERE id IN (\
           SELECT id FROM mail_outbox WHERE sent_at IS NULL AND given_up_at IS NULL \
           AND next_attempt_at <= $3 AND (claimed_until IS NULL OR claimed_until < $3) \
           ORDER BY next_attempt_at, id LIMIT $4{skip_locked})"
    );
    sqlx::query(sqlx::AssertSqlSafe(claim))
        .bind(holder)
        .bind(until)
        .bind(now)
        .bind(limit)
        .execute(&db.pool)
        .await?;
    sqlx::query_as(
        "SELECT m.id, m.user_id, u.username, u.email, \
                u.disabled_at, \
                m.topic, m.audit_id, m.digest_after_id, m.attempts, m.created_at, \
                a.action, a.address_text, a.old_value, a.new_value, c.note, \
                COALESCE(c.findings, d.findings) AS findings, u.language, u.time_zone \
         FROM mail_outbox m JOIN users u ON u.id = m.user_id \
         JOIN audit a ON a.id = m.audit_id LEFT JOIN changes c ON c.id = a.change_id \
         LEFT JOIN entry_drift d ON d.address = a.address AND a.change_id IS NULL \
         WHERE m.claimed_by = $1 AND m.claimed_until = $2 AND m.sent_at IS NULL \
         AND m.given_up_at IS NULL ORDER BY m.id",
    )
    .bind(holder)
    .bind(until)
    .fetch_all(&db.pool)
    .await
}

/// The outcome of one attempt.
#[derive(Debug, Clone)]
pub struct MailAttempt {
    /// When.
    pub at: i64,
    /// Whether the SMTP server took it (or it was dropped on purpose).
    pub done: bool,
    /// What went wrong.
    pub error: Option<String>,
    /// When to try again; `None` with `done` false: given up.
    pub next_attempt_at: Option<i64>,
}

/// Records one attempt and releases the claim.
pub async fn record(db: &AnyPool, id: i64, attempt: &MailAttempt) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE mail_outbox SET attempts = attempts + 1, last_attempt_at = $2, last_error = $3, \
         sent_at = CASE WHEN $4 THEN $2 ELSE NULL END, \
         next_attempt_at = COALESCE($5, next_attempt_at), \
         given_up_at = CASE WHEN $4 OR $5 IS NOT NULL THEN NULL ELSE $2 END, \
         claimed_by = NULL, claimed_until = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(attempt.at)
    .bind(attempt.error.as_deref())
    .bind(attempt.done)
    .bind(attempt.next_attempt_at)
    .execute(db)
    .await?;
    Ok(())
}

/// A mail as the outbox holds it, for tests and the staff.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OutboxMail {
    /// The recipient.
    pub user_id: i64,
    /// The topic.
    pub topic: String,
    /// Attempts so far.
    pub attempts: i64,
    /// When it was sent.
    pub sent_at: Option<i64>,
    /// The last error.
    pub last_error: Option<String>,
}

/// Every mail of the outbox, oldest first.
pub async fn all(db: &AnyPool) -> Result<Vec<OutboxMail>, sqlx::Error> {
    sqlx::query_as(
        "SELECT user_id, topic, attempts, sent_at, last_error FROM mail_outbox ORDER BY id",
    )
    .fetch_all(db)
    .await
}

/// Where the digest `name` stands: the last audit id it covered and when it last ran.
pub async fn digest_progress(db: &AnyPool, name: &str) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT last_audit_id, last_run_at FROM mail_digests WHERE name = $1")
        .bind(name)
        .fetch_optional(db)
        .await
}

/// The last audit row id (0 when there is none).
pub async fn last_audit_id(db: &AnyPool) -> Result<i64, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM audit")
        .fetch_one(db)
        .await?;
    Ok(id.unwrap_or(0))
}

/// The review requests after audit id `after` (up to `last`): how many, and the highest id.
pub async fn review_requests_after(
    db: &AnyPool,
    after: i64,
    last: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit WHERE action = 'change.review-requested' \
         AND id > $1 AND id <= $2",
    )
    .bind(after)
    .bind(last)
    .fetch_one(db)
    .await
}

/// One review request a digest lists.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReviewRequest {
    /// When it was asked for.
    pub at: i64,
    /// The address.
    pub address_text: Option<String>,
    /// The customer's number.
    pub customer_number: Option<String>,
    /// The requested name.
    pub requested: Option<String>,
    /// The customer's justification.
    pub justification: Option<String>,
    /// The change.
    pub change_id: Option<i64>,
}

/// Up to `limit` review requests with audit ids in (`after`, `last`], oldest first.
pub async fn review_requests(
    db: &AnyPool,
    after: i64,
    last: i64,
    limit: i64,
) -> Result<Vec<ReviewRequest>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.at, a.address_text, cu.number AS customer_number, \
                c.requested_hostname AS requested, a.new_value AS justification, a.change_id \
         FROM audit a LEFT JOIN customers cu ON cu.id = a.customer_id \
         LEFT JOIN changes c ON c.id = a.change_id \
         WHERE a.action = 'change.review-requested' AND a.id > $1 AND a.id <= $2 \
         ORDER BY a.id LIMIT $3",
    )
    .bind(after)
    .bind(last)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// With `send`, queues the digest of the review requests in (`after`, `last`] for every
/// enabled admin with an address who did not turn it off; moves the digest `name` on to
/// `last` either way, in one transaction.
pub async fn queue_digest(
    db: &super::Db,
    name: &str,
    after: i64,
    last: i64,
    now: i64,
    send: bool,
) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let queued = if send && last > after {
        sqlx::query(
            "INSERT INTO mail_outbox (user_id, topic, audit_id, digest_after_id, created_at, \
             next_attempt_at) \
             SELECT u.id, $1, $2, $3, $4, $4 FROM users u \
             WHERE u.role = 'admin' AND u.disabled_at IS NULL AND u.email IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM mail_opt_outs o WHERE o.user_id = u.id AND o.topic = $1)",
        )
        .bind(MailTopic::ReviewDigest.as_str())
        .bind(last)
        .bind(after)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
    } else {
        0
    };
    sqlx::query(
        "INSERT INTO mail_digests (name, last_audit_id, last_run_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET last_audit_id = $2, last_run_at = $3",
    )
    .bind(name)
    .bind(last)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(queued)
}

/// One event of a user's notification list.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RecentEvent {
    /// When.
    pub at: i64,
    /// The audit action (stored text).
    pub action: String,
    /// The address concerned.
    pub address_text: Option<String>,
    /// The audit row's value before.
    pub old_value: Option<String>,
    /// The audit row's value after.
    pub new_value: Option<String>,
}

/// The latest `limit` events a customer's users are told of (the mail topics' events), newest
/// first.
pub async fn customer_events(
    db: &AnyPool,
    customer_id: i64,
    limit: i64,
) -> Result<Vec<RecentEvent>, sqlx::Error> {
    sqlx::query_as(
        "SELECT at, action, address_text, old_value, new_value FROM audit \
         WHERE customer_id = $1 AND ((actor = 'system' AND door = 'system' \
           AND action IN ('ptr.set', 'ptr.request.rejected')) \
           OR action IN ('change.approved', 'change.denied', 'ptr.drift.start', 'ptr.drift.end', \
             'drift.review.asked', 'drift.review.reset')) \
         ORDER BY at DESC, id DESC LIMIT $2",
    )
    .bind(customer_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// The latest `limit` review requests (what admins are told of), newest first.
pub async fn review_request_events(
    db: &AnyPool,
    limit: i64,
) -> Result<Vec<RecentEvent>, sqlx::Error> {
    sqlx::query_as(
        "SELECT at, action, address_text, old_value, new_value FROM audit \
         WHERE action = 'change.review-requested' ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Where a mail of the outbox stands, for the admins' view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailState {
    /// Not tried yet, or due again (no error so far).
    Waiting,
    /// Tried and failed; tried again at `next_attempt_at`.
    Failing,
    /// Failed for the whole retry period; not tried again unless an admin says so.
    GivenUp,
    /// Not sent on purpose (no address any more, a disabled user).
    Dropped,
    /// The SMTP server took it.
    Sent,
}

impl MailState {
    /// Every state, in the filter's order.
    pub const ALL: [MailState; 5] = [
        MailState::Waiting,
        MailState::Failing,
        MailState::GivenUp,
        MailState::Dropped,
        MailState::Sent,
    ];

    /// The filter's value.
    pub fn as_str(self) -> &'static str {
        match self {
            MailState::Waiting => "waiting",
            MailState::Failing => "failing",
            MailState::GivenUp => "given-up",
            MailState::Dropped => "dropped",
            MailState::Sent => "sent",
        }
    }

    /// The state named `text`.
    pub fn parse(text: &str) -> Option<MailState> {
        MailState::ALL
            .into_iter()
            .find(|state| state.as_str() == text)
    }

    /// The condition on `mail_outbox m` (fixed SQL, no input).
    fn condition(self) -> &'static str {
        match self {
            MailState::Waiting => {
                "m.sent_at IS NULL AND m.given_up_at IS NULL AND m.last_error IS NULL"
            }
            MailState::Failing => {
                "m.sent_at IS NULL AND m.given_up_at IS NULL AND m.last_error IS NOT NULL"
            }
            MailState::GivenUp => "m.sent_at IS NULL AND m.given_up_at IS NOT NULL",
            MailState::Dropped => "m.sent_at IS NOT NULL AND m.last_error IS NOT NULL",
            MailState::Sent => "m.sent_at IS NOT NULL AND m.last_error IS NULL",
        }
    }

    fn of(sent_at: Option<i64>, given_up_at: Option<i64>, error: bool) -> MailState {
        match (sent_at, given_up_at, error) {
            (Some(_), _, false) => MailState::Sent,
            (Some(_), _, true) => MailState::Dropped,
            (None, Some(_), _) => MailState::GivenUp,
            (None, None, true) => MailState::Failing,
            (None, None, false) => MailState::Waiting,
        }
    }
}

/// One mail as the admins' view lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedMail {
    /// The outbox row.
    pub id: i64,
    /// The recipient's user name.
    pub username: String,
    /// Their address now.
    pub email: Option<String>,
    /// The topic (stored text).
    pub topic: String,
    /// The event's action (stored text).
    pub action: String,
    /// The address the event is about.
    pub address_text: Option<String>,
    /// When the event happened.
    pub created_at: i64,
    /// Attempts so far.
    pub attempts: i64,
    /// The last attempt.
    pub last_attempt_at: Option<i64>,
    /// What went wrong last.
    pub last_error: Option<String>,
    /// When it is tried next (while waiting or failing).
    pub next_attempt_at: i64,
    /// When it was sent (or dropped).
    pub sent_at: Option<i64>,
    /// Where it stands.
    pub state: MailState,
}

#[derive(sqlx::FromRow)]
struct LoggedRow {
    id: i64,
    username: String,
    email: Option<String>,
    topic: String,
    action: String,
    address_text: Option<String>,
    created_at: i64,
    attempts: i64,
    last_attempt_at: Option<i64>,
    last_error: Option<String>,
    next_attempt_at: i64,
    sent_at: Option<i64>,
    given_up_at: Option<i64>,
}

/// One page of the mail outbox (newest first), `state` only when given, and how many match.
pub async fn log(
    db: &AnyPool,
    state: Option<MailState>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<LoggedMail>, i64), sqlx::Error> {
    let condition = state.map_or("1 = 1", MailState::condition);
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM mail_outbox m WHERE {condition}"
    )))
    .fetch_one(db)
    .await?;
    let rows: Vec<LoggedRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT m.id, u.username, u.email, m.topic, a.action, a.address_text, m.created_at, \
                m.attempts, m.last_attempt_at, m.last_error, m.next_attempt_at, m.sent_at, \
                m.given_up_at \
         FROM mail_outbox m JOIN users u ON u.id = m.user_id JOIN audit a ON a.id = m.audit_id \
         WHERE {condition} ORDER BY m.id DESC LIMIT $1 OFFSET $2"
    )))
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await?;
    let mails = rows
        .into_iter()
        .map(|row| LoggedMail {
            state: MailState::of(row.sent_at, row.given_up_at, row.last_error.is_some()),
            id: row.id,
            username: row.username,
            email: row.email,
            topic: row.topic,
            action: row.action,
            address_text: row.address_text,
            created_at: row.created_at,
            attempts: row.attempts,
            last_attempt_at: row.last_attempt_at,
            last_error: row.last_error,
            next_attempt_at: row.next_attempt_at,
            sent_at: row.sent_at,
        })
        .collect();
    Ok((mails, total))
}

/// Makes mail `id`, not sent (waiting, failing, given up or dropped), due now; false when there
/// is no such mail, it was sent, or a node is sending it this moment.
pub async fn retry_now<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE mail_outbox SET sent_at = NULL, given_up_at = NULL, next_attempt_at = $2, \
         claimed_by = NULL, claimed_until = NULL \
         WHERE id = $1 AND NOT (sent_at IS NOT NULL AND last_error IS NULL) \
         AND (claimed_until IS NULL OR claimed_until < $2)",
    )
    .bind(id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

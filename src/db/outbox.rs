//! The outbox every effect of a change leaves through (migrations 0014 and 0040): webhook
//! deliveries, NOTIFY to the secondaries, pushes to a publishing backend. Rows are written in
//! the transaction of their change (the triggers on `audit` and `zones`, and
//! [`enqueue_pushes`] from [`super::PublishTx::commit`]); here they are claimed per node,
//! their attempts recorded, and the backends' open pushes read for the live status.

use crate::domain::{address_from_key, address_key};
use sqlx::{Any, AnyPool, Executor};
use std::net::IpAddr;

/// What a row asks for: a closed set, stored as its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `POST` an event to a webhook endpoint.
    Webhook,
    /// NOTIFY a secondary of a zone's serial.
    Notify,
    /// Push PTRs to PowerDNS over its HTTP API.
    PowerDns,
    /// Push PTRs to a primary with RFC 2136 dynamic updates.
    Rfc2136,
    /// The catalog zone's name: a target only (its NOTIFYs are rows of kind `notify`).
    Catalog,
}

impl Kind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Webhook => "webhook",
            Kind::Notify => "notify",
            Kind::PowerDns => "powerdns",
            Kind::Rfc2136 => "rfc2136",
            Kind::Catalog => "catalog",
        }
    }

    /// The kind of a stored name.
    pub fn parse(text: &str) -> Option<Kind> {
        [
            Kind::Webhook,
            Kind::Notify,
            Kind::PowerDns,
            Kind::Rfc2136,
            Kind::Catalog,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == text)
    }

    /// A push to a publishing backend.
    pub fn is_push(self) -> bool {
        matches!(self, Kind::PowerDns | Kind::Rfc2136)
    }
}

/// One receiver the configuration names: a secondary to notify, or the publishing backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// What it is told.
    pub kind: Kind,
    /// Where (`IP:PORT`, or the API's URL).
    pub target: String,
}

/// Makes the stored targets of `kinds` those of the configuration. A publishing backend new to the
/// database gets every assignment pushed (one row per assignment), so what was published
/// before it was configured reaches it too; the open rows of a target no longer configured
/// are given up. Returns the targets added.
pub async fn set_targets(
    db: &AnyPool,
    kinds: &[Kind],
    targets: &[Target],
    at: i64,
) -> Result<Vec<Target>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let stored: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, target FROM outbox_targets ORDER BY kind, target")
            .fetch_all(&mut *tx)
            .await?;
    for (kind, target) in &stored {
        if !kinds.iter().any(|managed| managed.as_str() == kind)
            || targets
                .iter()
                .any(|wanted| wanted.kind.as_str() == kind && &wanted.target == target)
        {
            continue;
        }
        sqlx::query("DELETE FROM outbox_targets WHERE kind = $1 AND target = $2")
            .bind(kind)
            .bind(target)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE outbox SET given_up_at = $3, last_error = 'no longer configured' \
             WHERE kind = $1 AND target = $2 AND delivered_at IS NULL AND given_up_at IS NULL",
        )
        .bind(kind)
        .bind(target)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    let mut added = Vec::new();
    for wanted in targets {
        let known = stored
            .iter()
            .any(|(kind, target)| kind == wanted.kind.as_str() && target == &wanted.target);
        if known {
            continue;
        }
        sqlx::query("INSERT INTO outbox_targets (kind, target) VALUES ($1, $2)")
            .bind(wanted.kind.as_str())
            .bind(&wanted.target)
            .execute(&mut *tx)
            .await?;
        if wanted.kind == Kind::Notify {
            // A new secondary hears of every served zone's serial once.
            sqlx::query(
                "INSERT INTO outbox (kind, target, zone, serial, created_at, next_attempt_at) \
                 SELECT 'notify', $1, name, serial, $2, $2 FROM zones WHERE active = 1",
            )
            .bind(&wanted.target)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        if wanted.kind.is_push() {
            sqlx::query(
                "INSERT INTO outbox (kind, target, first_addr, last_addr, created_at, next_attempt_at) \
                 SELECT $1, $2, first_addr, last_addr, $3, $3 FROM assignments ORDER BY first_addr",
            )
            .bind(wanted.kind.as_str())
            .bind(&wanted.target)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        added.push(wanted.clone());
    }
    if added.iter().any(|target| target.kind == Kind::Catalog) {
        notify_catalog(&mut tx, at).await?;
    }
    tx.commit().await?;
    Ok(added)
}

/// Writes the NOTIFYs of the catalog zone's new serial (moved on the generation row by
/// [`super::dns_changes::catalog_changed`], in this transaction): one per secondary, when a
/// catalog zone is served; older ones not yet answered are superseded.
pub async fn notify_catalog(conn: &mut sqlx::AnyConnection, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET given_up_at = $1, last_error = 'superseded by a newer serial' \
         WHERE kind = 'notify' AND delivered_at IS NULL AND given_up_at IS NULL \
           AND zone IN (SELECT target FROM outbox_targets WHERE kind = 'catalog')",
    )
    .bind(at)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO outbox (kind, target, zone, serial, created_at, next_attempt_at) \
         SELECT 'notify', t.target, c.target, g.catalog_serial, $1, $1 \
         FROM outbox_targets t, outbox_targets c, dns_generation g \
         WHERE t.kind = 'notify' AND c.kind = 'catalog' AND g.id = 1",
    )
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes the pushes of a publishing transaction, one row per written address and per
/// changed range, for each configured backend (none: nothing is written).
pub async fn enqueue_pushes(
    conn: &mut sqlx::AnyConnection,
    published: &[IpAddr],
    ranges: &[(IpAddr, IpAddr)],
    at: i64,
) -> Result<(), sqlx::Error> {
    if published.is_empty() && ranges.is_empty() {
        return Ok(());
    }
    let backends: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox_targets WHERE kind IN ('powerdns', 'rfc2136')",
    )
    .fetch_one(&mut *conn)
    .await?;
    if backends == 0 {
        return Ok(());
    }
    let mut spans: Vec<(IpAddr, IpAddr)> = published.iter().map(|ip| (*ip, *ip)).collect();
    spans.sort();
    spans.dedup();
    spans.extend_from_slice(ranges);
    // A bulk of 10,000 addresses writes 40 statements, not 10,000.
    for chunk in spans.chunks(PUSHES_PER_STATEMENT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|n| format!("(${}, ${})", 2 * n + 2, 2 * n + 3))
            .collect();
        let sql = format!(
            "INSERT INTO outbox (kind, target, first_addr, last_addr, created_at, next_attempt_at) \
             SELECT t.kind, t.target, v.column1, v.column2, $1, $1 \
             FROM outbox_targets t, (VALUES {}) AS v WHERE t.kind IN ('powerdns', 'rfc2136')",
            values.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(at);
        for (first, last) in chunk {
            query = query.bind(address_key(*first)).bind(address_key(*last));
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Address ranges written by one statement of [`enqueue_pushes`] (two parameters each).
const PUSHES_PER_STATEMENT: usize = 250;

/// Claims up to `limit` due rows of `kinds` (those this node can make) for `holder` until
/// `until`, so that no other node makes them meanwhile (the one claiming mechanism of every
/// kind); whether it claimed any.
pub async fn claim(
    db: &super::Db,
    holder: &str,
    now: i64,
    until: i64,
    limit: i64,
    kinds: &[Kind],
) -> Result<bool, sqlx::Error> {
    if kinds.is_empty() {
        return Ok(false);
    }
    // The kinds are names of a closed set, never input: safe to write into the statement.
    let kinds: Vec<String> = kinds
        .iter()
        .map(|kind| format!("'{}'", kind.as_str()))
        .collect();
    let kinds = kinds.join(", ");
    // A read first: a node with nothing due (the usual case) writes nothing, and never waits
    // for the write lock of a long transaction (SQLite).
    let look = format!(
        "SELECT id FROM outbox WHERE delivered_at IS NULL AND given_up_at IS NULL \
         AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1) \
         AND kind IN ({kinds}) LIMIT 1"
    );
    let due: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(look))
        .bind(now)
        .fetch_optional(&db.pool)
        .await?;
    if due.is_none() {
        return Ok(false);
    }
    // Two nodes claiming at once each take other rows (PostgreSQL); SQLite's writers are
    // serialised anyway.
    let skip_locked = if db.engine == super::Engine::Postgres {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let claim = format!(
        "UPDATE outbox SET claimed_by = $1, claimed_until = $2 WHERE id IN (\
           SELECT id FROM outbox WHERE delivered_at IS NULL AND given_up_at IS NULL \
           AND next_attempt_at <= $3 AND (claimed_until IS NULL OR claimed_until < $3) \
           AND kind IN ({kinds}) ORDER BY next_attempt_at, id LIMIT $4{skip_locked})"
    );
    let claimed = sqlx::query(sqlx::AssertSqlSafe(claim))
        .bind(holder)
        .bind(until)
        .bind(now)
        .bind(limit)
        .execute(&db.pool)
        .await?;
    Ok(claimed.rows_affected() > 0)
}

/// A claimed DNS effect: a NOTIFY or a push.
#[derive(Debug, Clone)]
pub struct DnsEffect {
    /// The outbox row.
    pub id: i64,
    /// NOTIFY or a backend's push.
    pub kind: Kind,
    /// The secondary or backend.
    pub target: String,
    /// The zone (NOTIFY).
    pub zone: Option<String>,
    /// The serial announced (NOTIFY).
    pub serial: Option<i64>,
    /// The addresses whose PTRs are pushed (pushes).
    pub addresses: Option<(IpAddr, IpAddr)>,
    /// Attempts made before this one.
    pub attempts: i64,
    /// When the change happened.
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct DnsEffectRow {
    id: i64,
    kind: String,
    target: Option<String>,
    zone: Option<String>,
    serial: Option<i64>,
    first_addr: Option<Vec<u8>>,
    last_addr: Option<Vec<u8>>,
    attempts: i64,
    created_at: i64,
}

/// The DNS effects (NOTIFY, pushes) `holder` claimed until `until`, oldest first.
pub async fn claimed_dns_effects(
    db: &AnyPool,
    holder: &str,
    until: i64,
) -> Result<Vec<DnsEffect>, sqlx::Error> {
    let rows: Vec<DnsEffectRow> = sqlx::query_as(
        "SELECT id, kind, target, zone, serial, first_addr, last_addr, attempts, created_at \
         FROM outbox WHERE claimed_by = $1 AND claimed_until = $2 AND delivered_at IS NULL \
           AND kind IN ('notify', 'powerdns', 'rfc2136') ORDER BY id",
    )
    .bind(holder)
    .bind(until)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let addresses = match (&row.first_addr, &row.last_addr) {
                (Some(first), Some(last)) => {
                    Some((address_from_key(first)?, address_from_key(last)?))
                }
                _ => None,
            };
            Some(DnsEffect {
                id: row.id,
                kind: Kind::parse(&row.kind)?,
                target: row.target?,
                zone: row.zone,
                serial: row.serial,
                addresses,
                attempts: row.attempts,
                created_at: row.created_at,
            })
        })
        .collect())
}

/// What one attempt came to.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// When it was made.
    pub at: i64,
    /// The receiver's HTTP status (webhooks, PowerDNS) or DNS response code, if it answered.
    pub status: Option<i64>,
    /// What went wrong, if anything.
    pub error: Option<String>,
    /// Delivered (the receiver took it).
    pub delivered: bool,
    /// When to try again (not delivered, still within the retry period).
    pub next_attempt_at: Option<i64>,
}

/// Records an attempt of row `id`, and lets go of its claim.
pub async fn record(db: &AnyPool, id: i64, attempt: &Attempt) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, last_attempt_at = $2, last_status = $3, \
         last_error = $4, delivered_at = CASE WHEN $5 THEN $2 ELSE NULL END, \
         next_attempt_at = COALESCE($6, next_attempt_at), \
         given_up_at = CASE WHEN $5 OR $6 IS NOT NULL THEN NULL ELSE $2 END, \
         claimed_by = NULL, claimed_until = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(attempt.at)
    .bind(attempt.status)
    .bind(attempt.error.as_deref())
    .bind(attempt.delivered)
    .bind(attempt.next_attempt_at)
    .execute(db)
    .await?;
    Ok(())
}

/// After push `id` was delivered: the older open pushes of the same addresses to the same
/// backend are done too (a push sends what the database holds when it is made, not what it
/// held when it was written).
pub async fn supersede_pushes(
    db: &AnyPool,
    effect: &DnsEffect,
    at: i64,
) -> Result<(), sqlx::Error> {
    let Some((first, last)) = effect.addresses else {
        return Ok(());
    };
    sqlx::query(
        "UPDATE outbox SET delivered_at = $6, last_error = 'superseded by a later push' \
         WHERE kind = $1 AND target = $2 AND first_addr >= $3 AND last_addr <= $4 AND id < $5 \
           AND delivered_at IS NULL AND given_up_at IS NULL \
           AND (claimed_until IS NULL OR claimed_until < $6)",
    )
    .bind(effect.kind.as_str())
    .bind(&effect.target)
    .bind(address_key(first))
    .bind(address_key(last))
    .bind(effect.id)
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}

/// One entry against one backend: whether a push of its address is still open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryPush {
    /// The entry's address.
    pub ip: IpAddr,
    /// The backend's kind.
    pub kind: Kind,
    /// The backend.
    pub target: String,
    /// A push of it is not confirmed yet.
    pub open: bool,
    /// The last failure of the oldest open push.
    pub problem: Option<String>,
}

#[derive(sqlx::FromRow)]
struct EntryPushRow {
    address: Vec<u8>,
    kind: String,
    target: String,
    open: i64,
    problem: Option<String>,
}

/// For the entries of a page's assignments (at most `PAGE_SIZE` ids): whether each
/// configured backend confirmed it. One statement whatever the page holds.
pub async fn page_entry_pushes<'e>(
    db: impl Executor<'e, Database = Any>,
    assignment_ids: &[i64],
) -> Result<Vec<EntryPush>, sqlx::Error> {
    use crate::db::inventory::PAGE_SIZE;
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let ids: Vec<String> = (1..=PAGE_SIZE).map(|n| format!("${n}")).collect();
        let open = "FROM outbox o WHERE o.kind = t.kind AND o.target = t.target \
                    AND o.first_addr <= e.address AND o.last_addr >= e.address \
                    AND o.delivered_at IS NULL AND o.given_up_at IS NULL";
        format!(
            "SELECT e.address, t.kind, t.target, \
                    (SELECT COUNT(*) FROM (SELECT 1 AS one {open} LIMIT 1) AS x) AS open, \
                    (SELECT o.last_error {open} ORDER BY o.id LIMIT 1) AS problem \
             FROM entries e JOIN outbox_targets t ON t.kind IN ('powerdns', 'rfc2136') \
             WHERE e.assignment_id IN ({}) ORDER BY e.address, t.kind, t.target",
            ids.join(", ")
        )
    });
    let mut query = sqlx::query_as::<_, EntryPushRow>(SQL.as_str());
    for n in 0..PAGE_SIZE as usize {
        query = query.bind(assignment_ids.get(n).copied().unwrap_or(-1));
    }
    let rows = query.fetch_all(db).await?;
    rows.into_iter()
        .filter_map(|row| Some((Kind::parse(&row.kind)?, row)))
        .map(|(kind, row)| {
            let ip = address_from_key(&row.address)
                .ok_or_else(|| sqlx::Error::Decode("stored address is not 16 bytes".into()))?;
            Ok(EntryPush {
                ip,
                kind,
                target: row.target,
                open: row.open > 0,
                problem: row.problem,
            })
        })
        .collect()
}

/// The open (not yet confirmed) rows of one kind, for tests and the operator.
pub async fn open_count<'e>(
    db: impl Executor<'e, Database = Any>,
    kind: Kind,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE kind = $1 AND delivered_at IS NULL AND given_up_at IS NULL",
    )
    .bind(kind.as_str())
    .fetch_one(db)
    .await
}

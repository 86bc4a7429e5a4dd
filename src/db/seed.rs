//! The bulk writes of `ptrdesk seed` (a provider-scale data set for benchmarks): many rows per
//! `INSERT` statement, with the ids chosen by the caller, inside the caller's transaction. The
//! rows are exactly those the write paths produce one at a time ([`crate::import`],
//! [`crate::changes`]); only the batching differs. Nothing else uses these functions.

use super::{Engine, Tx, batch};
use crate::domain::AuditAction;
use sqlx::{Any, AnyConnection};

/// A customer row.
#[derive(Debug, Clone)]
pub struct CustomerRow {
    /// The id to give it.
    pub id: i64,
    /// Customer number.
    pub number: String,
    /// Company name.
    pub name: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// A server row.
#[derive(Debug, Clone)]
pub struct ServerRow {
    /// The id to give it.
    pub id: i64,
    /// Its owner.
    pub customer_id: i64,
    /// Name, unique per customer.
    pub name: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// An assignment row (see [`crate::db::inventory::insert_assignment`] for the columns).
#[derive(Debug, Clone)]
pub struct AssignmentRow {
    /// The id to give it.
    pub id: i64,
    /// The server holding it.
    pub server_id: i64,
    /// Canonical network text.
    pub network: String,
    /// 4 or 6.
    pub family: i64,
    /// Prefix length.
    pub prefix_len: i64,
    /// 16-byte key of the first address.
    pub first_addr: Vec<u8>,
    /// 16-byte key of the last address.
    pub last_addr: Vec<u8>,
    /// Unix seconds.
    pub created_at: i64,
}

/// A change row (see [`crate::db::changes::insert`]).
#[derive(Debug, Clone)]
pub struct ChangeRow {
    /// The id to give it.
    pub id: i64,
    /// 16-byte address key.
    pub address: Vec<u8>,
    /// The address as text.
    pub address_text: String,
    /// The assignment holding the address.
    pub assignment_id: i64,
    /// The owner.
    pub customer_id: i64,
    /// The canonical name asked for.
    pub requested_hostname: Option<String>,
    /// `published`, `pending`, `rejected`, `in-review` or `denied`.
    pub state: &'static str,
    /// The findings as JSON.
    pub findings: String,
    /// The customer's reason, for a change in review.
    pub justification: Option<String>,
    /// The admin who decided.
    pub decided_by: Option<i64>,
    /// The admin's note.
    pub note: Option<String>,
    /// When a pending change is checked again.
    pub next_check_at: Option<i64>,
    /// When a pending change gives up.
    pub deadline: Option<i64>,
    /// Unix seconds.
    pub created_at: i64,
}

/// An entry row (see [`crate::db::entries::insert`]); its zone is stamped by the zone sync.
#[derive(Debug, Clone)]
pub struct EntryRow {
    /// 16-byte address key.
    pub address: Vec<u8>,
    /// The address as text.
    pub address_text: String,
    /// The assignment holding the address.
    pub assignment_id: i64,
    /// The customer's PTR.
    pub hostname: Option<String>,
    /// Published changes so far.
    pub version: i64,
    /// The change in force.
    pub change_id: i64,
    /// Unix seconds.
    pub updated_at: i64,
}

/// An audit row (see [`crate::db::audit::insert`]).
#[derive(Debug, Clone)]
pub struct AuditRow {
    /// Unix seconds.
    pub at: i64,
    /// The acting user, if a user acted.
    pub actor_user_id: Option<i64>,
    /// Their name.
    pub actor: String,
    /// From where.
    pub source: &'static str,
    /// `page`, `api`, `import`, `review` or `system`.
    pub door: &'static str,
    /// What.
    pub action: AuditAction,
    /// Whose data.
    pub customer_id: Option<i64>,
    /// 16-byte address key, for PTR changes.
    pub address: Option<Vec<u8>>,
    /// The address as text.
    pub address_text: Option<String>,
    /// Before.
    pub old_value: Option<String>,
    /// After.
    pub new_value: Option<String>,
    /// The change it records.
    pub change_id: Option<i64>,
}

/// Whether the database holds no customers, users, assignments, changes or audit rows (the
/// seed refuses to mix its data with anything else).
pub async fn is_empty(conn: &mut AnyConnection) -> Result<bool, sqlx::Error> {
    let rows: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM customers) + (SELECT COUNT(*) FROM users) \
              + (SELECT COUNT(*) FROM assignments) + (SELECT COUNT(*) FROM changes) \
              + (SELECT COUNT(*) FROM audit) AS total",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(rows == 0)
}

/// Deletes every row of every table (children first), for `ptrdesk seed --wipe`.
pub async fn wipe(tx: &mut Tx) -> Result<(), sqlx::Error> {
    for statement in [
        "DELETE FROM audit",
        "DELETE FROM entries",
        "UPDATE changes SET superseded_by = NULL",
        "DELETE FROM changes",
        "DELETE FROM api_usage",
        "DELETE FROM api_credentials",
        "DELETE FROM users",
        "DELETE FROM assignments",
        "DELETE FROM servers",
        "DELETE FROM customers",
        "DELETE FROM zone_servers",
        "DELETE FROM zones",
        "DELETE FROM login_failures",
        "DELETE FROM login_locks",
        "DELETE FROM job_leases",
        "DELETE FROM policy_settings",
        "DELETE FROM protected_domains",
        "DELETE FROM brand_domains",
    ] {
        sqlx::query(statement).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Makes SQLite keep more of the database in memory for the rest of the connection's life (a
/// seed inserts into several large indexes at once); nothing on PostgreSQL.
pub async fn prepare_connection(tx: &mut Tx, engine: Engine) -> Result<(), sqlx::Error> {
    if engine == Engine::Sqlite {
        // 256 MiB, given in KiB as a negative number.
        sqlx::query("PRAGMA cache_size = -262144")
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Writes customers.
pub async fn insert_customers(tx: &mut Tx, rows: &[CustomerRow]) -> Result<(), sqlx::Error> {
    insert_rows(
        tx,
        "customers",
        &["id", "number", "name", "created_at"],
        rows,
        |query, row| {
            query
                .bind(row.id)
                .bind(row.number.as_str())
                .bind(row.name.as_str())
                .bind(row.created_at)
        },
    )
    .await
}

/// Writes servers.
pub async fn insert_servers(tx: &mut Tx, rows: &[ServerRow]) -> Result<(), sqlx::Error> {
    insert_rows(
        tx,
        "servers",
        &["id", "customer_id", "name", "created_at"],
        rows,
        |query, row| {
            query
                .bind(row.id)
                .bind(row.customer_id)
                .bind(row.name.as_str())
                .bind(row.created_at)
        },
    )
    .await
}

/// Writes assignments.
pub async fn insert_assignments(tx: &mut Tx, rows: &[AssignmentRow]) -> Result<(), sqlx::Error> {
    insert_rows(
        tx,
        "assignments",
        &[
            "id",
            "server_id",
            "network",
            "family",
            "prefix_len",
            "first_addr",
            "last_addr",
            "created_at",
        ],
        rows,
        |query, row| {
            query
                .bind(row.id)
                .bind(row.server_id)
                .bind(row.network.as_str())
                .bind(row.family)
                .bind(row.prefix_len)
                .bind(row.first_addr.as_slice())
                .bind(row.last_addr.as_slice())
                .bind(row.created_at)
        },
    )
    .await
}

/// Writes changes (`updated_at` = `created_at`, no re-check attempts, not superseded).
pub async fn insert_changes(tx: &mut Tx, rows: &[ChangeRow]) -> Result<(), sqlx::Error> {
    insert_rows(
        tx,
        "changes",
        &[
            "id",
            "address",
            "address_text",
            "assignment_id",
            "customer_id",
            "requested_hostname",
            "state",
            "findings",
            "justification",
            "decided_by",
            "note",
            "next_check_at",
            "deadline",
            "created_at",
            "updated_at",
        ],
        rows,
        |query, row| {
            query
                .bind(row.id)
                .bind(row.address.as_slice())
                .bind(row.address_text.as_str())
                .bind(row.assignment_id)
                .bind(row.customer_id)
                .bind(row.requested_hostname.as_deref())
                .bind(row.state)
                .bind(row.findings.as_str())
                .bind(row.justification.as_deref())
                .bind(row.decided_by)
                .bind(row.note.as_deref())
                .bind(row.next_check_at)
                .bind(row.deadline)
                .bind(row.created_at)
                .bind(row.created_at)
        },
    )
    .await
}

/// Writes entries.
pub async fn insert_entries(tx: &mut Tx, rows: &[EntryRow]) -> Result<(), sqlx::Error> {
    insert_rows(
        tx,
        "entries",
        &[
            "address",
            "address_text",
            "assignment_id",
            "hostname",
            "version",
            "change_id",
            "updated_at",
        ],
        rows,
        |query, row| {
            query
                .bind(row.address.as_slice())
                .bind(row.address_text.as_str())
                .bind(row.assignment_id)
                .bind(row.hostname.as_deref())
                .bind(row.version)
                .bind(row.change_id)
                .bind(row.updated_at)
        },
    )
    .await
}

/// Writes audit rows.
pub async fn insert_audit(tx: &mut Tx, rows: &[AuditRow]) -> Result<(), sqlx::Error> {
    insert_rows(
        tx,
        "audit",
        &[
            "at",
            "actor_user_id",
            "actor",
            "source",
            "door",
            "action",
            "customer_id",
            "address",
            "address_text",
            "old_value",
            "new_value",
            "change_id",
        ],
        rows,
        |query, row| {
            query
                .bind(row.at)
                .bind(row.actor_user_id)
                .bind(row.actor.as_str())
                .bind(row.source)
                .bind(row.door)
                .bind(row.action.as_str())
                .bind(row.customer_id)
                .bind(row.address.as_deref())
                .bind(row.address_text.as_deref())
                .bind(row.old_value.as_deref())
                .bind(row.new_value.as_deref())
                .bind(row.change_id)
        },
    )
    .await
}

/// After rows were written with chosen ids, moves PostgreSQL's identity sequences past them so
/// that the application's own inserts get fresh ids (SQLite takes the largest id + 1 anyway).
pub async fn advance_id_sequences(tx: &mut Tx, engine: Engine) -> Result<(), sqlx::Error> {
    if engine != Engine::Postgres {
        return Ok(());
    }
    for statement in [
        "SELECT setval(pg_get_serial_sequence('customers', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM customers), false)",
        "SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM users), false)",
        "SELECT setval(pg_get_serial_sequence('servers', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM servers), false)",
        "SELECT setval(pg_get_serial_sequence('assignments', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM assignments), false)",
        "SELECT setval(pg_get_serial_sequence('changes', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM changes), false)",
        "SELECT setval(pg_get_serial_sequence('entries', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM entries), false)",
        "SELECT setval(pg_get_serial_sequence('audit', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM audit), false)",
    ] {
        sqlx::query(statement).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Brings PostgreSQL to the state its autovacuum reaches a minute or so after a bulk load,
/// so that benchmarks measure the steady state: planner statistics, the visibility map
/// (index-only scans) and the GIN indexes' pending lists merged. SQLite keeps no statistics
/// unless asked, and a deployed panel never asks, so it is left as it would be.
pub async fn settle(pool: &sqlx::AnyPool, engine: Engine) -> Result<(), sqlx::Error> {
    if engine == Engine::Postgres {
        sqlx::query("VACUUM ANALYZE").execute(pool).await?;
    }
    Ok(())
}

/// How many rows a table holds (for the seed's summary and its tests).
pub async fn count_rows(pool: &sqlx::AnyPool, table: SeededTable) -> Result<i64, sqlx::Error> {
    let sql = match table {
        SeededTable::Customers => "SELECT COUNT(*) FROM customers",
        SeededTable::Servers => "SELECT COUNT(*) FROM servers",
        SeededTable::Assignments => "SELECT COUNT(*) FROM assignments",
        SeededTable::Changes => "SELECT COUNT(*) FROM changes",
        SeededTable::Entries => "SELECT COUNT(*) FROM entries",
        SeededTable::Audit => "SELECT COUNT(*) FROM audit",
        SeededTable::Zones => "SELECT COUNT(*) FROM zones",
    };
    sqlx::query_scalar(sql).fetch_one(pool).await
}

/// The tables a seed fills, for [`count_rows`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeededTable {
    /// `customers`
    Customers,
    /// `servers`
    Servers,
    /// `assignments`
    Assignments,
    /// `changes`
    Changes,
    /// `entries`
    Entries,
    /// `audit`
    Audit,
    /// `zones`
    Zones,
}

type AnyQuery<'q> = sqlx::query::Query<'q, Any, sqlx::any::AnyArguments>;

/// `INSERT INTO table (columns) VALUES (…), (…), …` for `rows`, as few statements as the
/// parameter limit allows. The statement text depends only on the row count, so every full
/// chunk reuses one prepared statement.
async fn insert_rows<R>(
    tx: &mut Tx,
    table: &str,
    columns: &[&str],
    rows: &[R],
    bind: for<'q> fn(AnyQuery<'q>, &'q R) -> AnyQuery<'q>,
) -> Result<(), sqlx::Error> {
    let per_statement = batch::rows_per_statement(columns.len());
    let placeholders = batch::Placeholders::of(tx);
    for chunk in rows.chunks(per_statement) {
        let statement = batch::insert_statement(table, columns, chunk.len(), placeholders);
        let mut query: AnyQuery<'_> = sqlx::query(statement.into_sql());
        for row in chunk {
            query = bind(query, row);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

//! When a pooled PostgreSQL connection is asked whether it is still there before it is used.
//!
//! sqlx asks every connection when it goes back to the pool (a round trip after each use) and,
//! by default, again before each use: a second round trip that doubled the cost of a page's
//! one query. Here a connection used within the last [`PING_WHEN_IDLE`] is taken as it is
//! (sqlx found it alive when it came back); one idle longer is asked first, and so is every
//! one for [`PING_AFTER_TROUBLE`] after a query found a connection broken ([`note_error`]),
//! so that the connections of a restarted or failed-over server are dropped before they fail
//! a request. What stays: a request whose connection the server dropped within the second
//! after its last use fails once, as it would have if the server had gone away mid-query.

use sqlx::pool::PoolConnectionMetadata;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A connection idle longer than this is asked before it is used.
const PING_WHEN_IDLE: Duration = Duration::from_secs(1);

/// For this long after a query failed for want of a working connection, every connection is
/// asked before it is used, however recently it worked.
const PING_AFTER_TROUBLE: Duration = Duration::from_secs(60);

/// When a query of this process last failed for want of a working connection: milliseconds
/// since [`PROCESS_START`], plus one (0: never).
static CONNECTION_TROUBLE: AtomicU64 = AtomicU64::new(0);
static PROCESS_START: LazyLock<Instant> = LazyLock::new(Instant::now);

/// Whether `err` says the connection did not work (the server went away or ended it, the
/// pool found none), rather than that the statement was refused.
fn is_connection_trouble(err: &sqlx::Error) -> bool {
    use sqlx::Error::{Database, Io, PoolTimedOut, Protocol, Tls, WorkerCrashed};
    match err {
        Io(_) | Protocol(_) | Tls(_) | PoolTimedOut | WorkerCrashed => true,
        // PostgreSQL ending the connection (57P01: terminated by an administrator, 57P02/03:
        // shutting down) or a connection exception (class 08).
        Database(err) => err
            .code()
            .is_some_and(|code| code.starts_with("57P") || code.starts_with("08")),
        _ => false,
    }
}

/// Notes `err` when it says the connection did not work: pooled connections are then checked
/// before use for a while. Call it where a query's error is handled rather than passed on (a
/// request's error, the session store, the health check). Returns whether it was such an
/// error.
pub fn note_error(err: &sqlx::Error) -> bool {
    let trouble = is_connection_trouble(err);
    if trouble {
        let since_start = PROCESS_START.elapsed().as_millis() as u64;
        CONNECTION_TROUBLE.store(since_start + 1, Ordering::Relaxed);
    }
    trouble
}

/// Whether a connection failed within the last [`PING_AFTER_TROUBLE`].
fn troubled_lately() -> bool {
    match CONNECTION_TROUBLE.load(Ordering::Relaxed) {
        0 => false,
        noted => {
            let now = PROCESS_START.elapsed().as_millis() as u64;
            now.saturating_sub(noted - 1) < PING_AFTER_TROUBLE.as_millis() as u64
        }
    }
}

/// The pool's `before_acquire` on PostgreSQL: asks the connection when it idled or trouble
/// was noted lately; an error drops it and the pool takes or opens another.
pub(super) async fn check_before_use(
    conn: &mut sqlx::AnyConnection,
    meta: PoolConnectionMetadata,
) -> Result<bool, sqlx::Error> {
    if meta.idle_for > PING_WHEN_IDLE || troubled_lately() {
        sqlx::Connection::ping(conn).await?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    /// A database error with only a SQLSTATE, as PostgreSQL sends them.
    #[derive(Debug)]
    struct Refused(&'static str);

    impl std::fmt::Display for Refused {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "SQLSTATE {}", self.0)
        }
    }

    impl std::error::Error for Refused {}

    impl sqlx::error::DatabaseError for Refused {
        fn message(&self) -> &str {
            self.0
        }
        fn code(&self) -> Option<Cow<'_, str>> {
            Some(Cow::Borrowed(self.0))
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> sqlx::error::ErrorKind {
            sqlx::error::ErrorKind::Other
        }
    }

    fn refused(code: &'static str) -> sqlx::Error {
        sqlx::Error::Database(Box::new(Refused(code)))
    }

    #[test]
    fn a_lost_or_ended_connection_is_trouble_and_a_refused_statement_is_not() {
        let lost = std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "eof");
        assert!(is_connection_trouble(&sqlx::Error::Io(lost)));
        assert!(is_connection_trouble(&sqlx::Error::PoolTimedOut));
        assert!(is_connection_trouble(&refused("57P01")), "admin shutdown");
        assert!(
            is_connection_trouble(&refused("08006")),
            "connection failure"
        );

        assert!(!is_connection_trouble(&sqlx::Error::RowNotFound));
        assert!(
            !is_connection_trouble(&refused("23505")),
            "unique violation"
        );
        assert!(
            !is_connection_trouble(&refused("40001")),
            "serialization failure"
        );
        assert!(
            !is_connection_trouble(&refused("25006")),
            "read-only transaction"
        );
    }

    #[test]
    fn noting_trouble_makes_every_connection_checked_for_a_while() {
        assert!(!note_error(&sqlx::Error::RowNotFound));
        assert!(note_error(&sqlx::Error::PoolTimedOut));
        assert!(troubled_lately());
    }
}

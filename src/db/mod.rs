//! All SQL of ptrdesk: one function per operation, one file per table family. Rows become
//! domain types here. Queries are plain runtime SQL with `$1` placeholders that both engines
//! (SQLite, PostgreSQL) accept, run through sqlx's `Any` driver.

pub mod admin;
pub mod api_listing;
pub mod audit;
pub mod audit_search;
pub mod batch;
pub mod changes;
mod connection_checks;
pub mod credentials;
pub mod customers;
pub mod delegations;
pub mod dns_changes;
pub mod dnssec;
pub mod drift;
pub mod drift_review;
pub mod entries;
pub mod identities;
pub mod inventory;
pub mod leases;
pub mod logins;
pub mod lookup;
pub mod mail;
pub mod mail_readiness;
pub mod open;
pub mod outbox;
pub mod overview;
pub mod policy;
pub mod provisioning;
pub mod review;
pub mod seed;
pub mod sessions;
pub mod staff_credentials;
pub mod two_factor;
pub mod users;
pub mod webhooks;
pub mod zones;

pub use connection_checks::note_error;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Transaction};
use std::str::FromStr;

/// Which engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// The embedded default.
    Sqlite,
    /// For several nodes.
    Postgres,
}

/// The connection pool and what it is connected to.
#[derive(Debug, Clone)]
pub struct Db {
    /// The pool every query runs on.
    pub pool: AnyPool,
    /// The engine behind it.
    pub engine: Engine,
    /// The SQLite file, for the health check's look at whether it is still writable.
    file: Option<std::path::PathBuf>,
    /// Told after each [`PublishTx`] commits (shared by every clone of this `Db`).
    followers: Followers,
}

/// What follows the changes to what DNS serves: the node's DNS zone store, which catches up
/// with the database after each commit of this node before the request that made it is
/// answered ([`Db::follow_publishing`]). Defined here, implemented above (in `dns`), so the
/// write path needs no DNS code.
#[async_trait::async_trait]
pub trait PublishFollower: Send + Sync {
    /// A [`PublishTx`] of this node committed: catch up with it.
    async fn committed(&self);
}

#[derive(Clone, Default)]
struct Followers(std::sync::Arc<std::sync::RwLock<Vec<std::sync::Arc<dyn PublishFollower>>>>);

impl std::fmt::Debug for Followers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Followers")
    }
}

impl Followers {
    async fn committed(&self) {
        let followers = match self.0.read() {
            Ok(followers) => followers.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        for follower in followers {
            follower.committed().await;
        }
    }
}

/// An open write transaction.
pub type Tx = Transaction<'static, Any>;

/// A write transaction that may change what DNS serves (entries, assignments): it notes the
/// addresses and ranges whose content it changed, and [`PublishTx::commit`] bumps the serial
/// of each zone concerned once, then logs the changed ranges for the DNS zone stores
/// ([`dns_changes`]), last, then commits and lets this node's store catch up; so DNS never
/// answers new content under an old serial, and a 10,000-item bulk moves a zone's serial by
/// one, not by 10,000. Dropped without commit, it rolls back like a [`Tx`].
pub struct PublishTx {
    tx: Tx,
    followers: Followers,
    published: Vec<std::net::IpAddr>,
    ranges: Vec<(std::net::IpAddr, std::net::IpAddr)>,
    exclusive: std::collections::HashSet<i64>,
    /// A zone joined the served zones ([`Self::zone_joined`]).
    zone_joined: bool,
}

impl PublishTx {
    /// Locks the assignments `ids` exclusively for the rest of the transaction, in ascending
    /// id order ([`admin::lock_assignment`]). Every other writer of their addresses takes the
    /// assignment's lock shared first, so while these are held no address lock is needed for
    /// them ([`PublishTx::holds_exclusively`]): a bulk change or a move takes no address lock
    /// at all, and never waits for, or blocks, another customer's writes.
    pub async fn lock_assignments(&mut self, ids: &[i64]) -> Result<(), sqlx::Error> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        ids.retain(|id| !self.exclusive.contains(id));
        admin::lock_assignments(&mut self.tx, &ids).await?;
        self.exclusive.extend(ids);
        Ok(())
    }

    /// Starts a savepoint: what follows can be undone alone ([`Self::rollback_to`]), the rest
    /// of the transaction kept (on PostgreSQL also after a failed statement).
    pub async fn savepoint(&mut self) -> Result<Savepoint, sqlx::Error> {
        sqlx::query("SAVEPOINT item").execute(&mut *self.tx).await?;
        Ok(Savepoint {
            published: self.published.len(),
            ranges: self.ranges.len(),
        })
    }

    /// Keeps what was done since `savepoint`.
    pub async fn release(&mut self, _savepoint: Savepoint) -> Result<(), sqlx::Error> {
        sqlx::query("RELEASE SAVEPOINT item")
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Undoes what was done since `savepoint`, and forgets the content it changed.
    pub async fn rollback_to(&mut self, savepoint: Savepoint) -> Result<(), sqlx::Error> {
        self.published.truncate(savepoint.published);
        self.ranges.truncate(savepoint.ranges);
        sqlx::query("ROLLBACK TO SAVEPOINT item")
            .execute(&mut *self.tx)
            .await?;
        sqlx::query("RELEASE SAVEPOINT item")
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Whether this transaction holds assignment `id` exclusively ([`Self::lock_assignments`]).
    pub fn holds_exclusively(&self, id: i64) -> bool {
        self.exclusive.contains(&id)
    }

    /// The entry of `ip` was written: its zone gets a new serial at commit.
    pub fn entry_written(&mut self, ip: std::net::IpAddr) {
        self.published.push(ip);
    }

    /// What DNS serves in `first..=last` changed (an assignment added or removed): every zone
    /// overlapping it gets a new serial at commit.
    pub fn range_changed(&mut self, first: std::net::IpAddr, last: std::net::IpAddr) {
        self.ranges.push((first, last));
    }

    /// A zone joined the served zones (created, or served again): the catalog zone's serial
    /// moves at commit.
    pub fn zone_joined(&mut self) {
        self.zone_joined = true;
    }

    /// Undoes everything, at once: its locks (PostgreSQL's advisory ones included) are let go
    /// now, not when the pooled connection is next used, as after a plain drop.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }

    /// Bumps the serials of the zones concerned ([`zones::bump_changed`]; the NOTIFYs of the
    /// new serials are written by the database's trigger on `zones`), writes the pushes to a
    /// publishing backend ([`outbox::enqueue_pushes`]), logs what changed
    /// for the nodes' DNS zone stores ([`dns_changes::record`], last), commits, and lets this
    /// node's store catch up before it returns ([`Db::follow_publishing`]).
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        let at = crate::clock::now();
        zones::bump_changed(&mut self.tx, &self.ranges, &self.published, at).await?;
        outbox::enqueue_pushes(&mut self.tx, &self.published, &self.ranges, at).await?;
        let changed = changed_ranges(&self.ranges, &self.published);
        if self.zone_joined {
            dns_changes::catalog_changed(&mut self.tx, at).await?;
        }
        dns_changes::record(&mut self.tx, &changed, dns_changes::ChangeKind::Content, at).await?;
        self.tx.commit().await?;
        if !changed.is_empty() {
            self.followers.committed().await;
        }
        Ok(())
    }
}

/// The most ranges one transaction logs: beyond it, the nearest ranges are merged (a superset
/// of what changed, which a store reloads whole), so that a bulk of 10,000 scattered addresses
/// writes a few rows and its readers run a few look-ups, not 10,000.
const MOST_LOGGED_RANGES: usize = 64;

/// The ranges a transaction changed, for the log: its ranges and its written addresses, runs
/// of near addresses (at most 256 apart) in one range, at most [`MOST_LOGGED_RANGES`].
fn changed_ranges(
    ranges: &[(std::net::IpAddr, std::net::IpAddr)],
    published: &[std::net::IpAddr],
) -> Vec<(std::net::IpAddr, std::net::IpAddr)> {
    use crate::domain::{address_number, number_address};
    let mut spans: Vec<(u128, u128)> = ranges
        .iter()
        .map(|(first, last)| (address_number(*first), address_number(*last)))
        .chain(published.iter().map(|ip| {
            let number = address_number(*ip);
            (number, number)
        }))
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(u128, u128)> = Vec::new();
    for (first, last) in spans {
        match merged.last_mut() {
            Some(run) if first <= run.1.saturating_add(256) => run.1 = run.1.max(last),
            _ => merged.push((first, last)),
        }
    }
    if merged.len() > MOST_LOGGED_RANGES {
        // Keep the widest gaps as cuts, merge across the others.
        let mut gaps: Vec<(u128, usize)> = merged
            .windows(2)
            .enumerate()
            .map(|(index, pair)| (pair[1].0 - pair[0].1, index))
            .collect();
        gaps.sort_unstable_by(|a, b| b.cmp(a));
        let mut cuts: Vec<usize> = gaps[..MOST_LOGGED_RANGES - 1]
            .iter()
            .map(|(_, index)| *index)
            .collect();
        cuts.sort_unstable();
        let mut coarse = Vec::with_capacity(MOST_LOGGED_RANGES);
        let mut start = 0;
        for cut in cuts.into_iter().chain([merged.len() - 1]) {
            coarse.push((merged[start].0, merged[cut].1));
            start = cut + 1;
        }
        merged = coarse;
    }
    merged
        .into_iter()
        .map(|(first, last)| (number_address(first), number_address(last)))
        .collect()
}

/// A savepoint of a [`PublishTx`] (one at a time).
#[derive(Debug)]
#[must_use = "release it or roll back to it"]
pub struct Savepoint {
    published: usize,
    ranges: usize,
}

impl std::ops::Deref for PublishTx {
    type Target = Tx;

    fn deref(&self) -> &Tx {
        &self.tx
    }
}

impl std::ops::DerefMut for PublishTx {
    fn deref_mut(&mut self) -> &mut Tx {
        &mut self.tx
    }
}

/// How long a query waits for a connection (a free one, or a new one while the server refuses
/// them) before it fails: a request then answers an error page instead of hanging while the
/// database is down or stuck. sqlx's default is 30 s.
pub const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Connects to `url` (`sqlite://FILE`, a bare path, `postgres://…`; see [`open`]),
    /// creating an SQLite file and its directory if missing, brings the schema up to date and
    /// makes sure the database takes writes. Every error names the URL (without password) and
    /// says what to do.
    pub async fn connect(url: &str) -> Result<Db, open::OpenError> {
        sqlx::any::install_default_drivers();
        let target = open::target(url)?;
        let explain = |err: sqlx::Error| open::explain(url, &target, &err);
        let (connect, engine, file) = match &target {
            open::Target::Sqlite { path, connect } => {
                if let Some(path) = path {
                    open::create_directory(url, path)?;
                }
                (connect.clone(), Engine::Sqlite, path.clone())
            }
            open::Target::Postgres { connect } => (connect.clone(), Engine::Postgres, None),
        };
        let options = AnyConnectOptions::from_str(&connect).map_err(explain)?;
        // One connection first, alone: the pool retries a failing connection until its
        // acquire timeout and then reports only that it timed out, not why.
        let mut first = <sqlx::AnyConnection as sqlx::Connection>::connect_with(&options)
            .await
            .map_err(explain)?;
        if engine == Engine::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&mut first)
                .await
                .map_err(explain)?;
        }
        sqlx::Connection::close(first).await.map_err(explain)?;
        let pool_options = AnyPoolOptions::new()
            .max_connections(if engine == Engine::Sqlite { 8 } else { 16 })
            .acquire_timeout(ACQUIRE_TIMEOUT)
            // sqlx's own check before every use is a round trip that doubled the cost of a
            // page's one query; PostgreSQL's connections are checked by `connection_checks`
            // instead, and a local SQLite file does not hang up.
            .test_before_acquire(false);
        let pool_options = match engine {
            Engine::Postgres => pool_options.before_acquire(|conn, meta| {
                Box::pin(connection_checks::check_before_use(conn, meta))
            }),
            Engine::Sqlite => pool_options,
        };
        let pool = pool_options
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        // WAL lets readers proceed during a write; the busy timeout makes a
                        // second writer wait instead of failing.
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA busy_timeout = 5000",
                            "PRAGMA foreign_keys = ON",
                            "PRAGMA synchronous = NORMAL",
                        ] {
                            sqlx::query(pragma).execute(&mut *conn).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(explain)?;
        let migrator = match engine {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&pool)
            .await
            .map_err(|err| explain(sqlx::Error::from(err)))?;
        let db = Db {
            pool,
            engine,
            file,
            followers: Followers::default(),
        };
        if let Err(reason) = db.takes_writes().await {
            db.close().await;
            return Err(open::not_writable(&open::shown(url), &target, &reason));
        }
        Ok(db)
    }

    /// Whether a write goes through: a statement that would change a row runs in a
    /// transaction that is rolled back (it changes nothing). A read-only SQLite file, a
    /// read-only mount, a PostgreSQL replica or a read-only role fail it.
    async fn takes_writes(&self) -> Result<(), String> {
        let probe = async {
            let mut tx = self.begin_write().await?;
            sqlx::query("UPDATE _sqlx_migrations SET description = description WHERE version < 0")
                .execute(&mut *tx)
                .await?;
            tx.rollback().await
        };
        probe.await.map_err(|err: sqlx::Error| err.to_string())
    }

    /// Whether the database would still take writes, without waiting for a writer: on SQLite
    /// whether the file may be opened for writing, on PostgreSQL whether the session is
    /// read-only (a replica, `default_transaction_read_only`). For the health check.
    pub async fn still_writable(&self) -> Result<(), String> {
        match (&self.file, self.engine) {
            (Some(file), _) => open::writable_file(file)
                .map_err(|err| format!("the database file cannot be opened for writing: {err}")),
            (None, Engine::Sqlite) => Ok(()),
            (None, Engine::Postgres) => {
                let (read_only, recovery): (String, bool) = sqlx::query_as(
                    "SELECT current_setting('transaction_read_only'), pg_is_in_recovery()",
                )
                .fetch_one(&self.pool)
                .await
                .map_err(|err| err.to_string())?;
                match (read_only.as_str(), recovery) {
                    (_, true) => Err("the database is a replica in recovery".to_owned()),
                    ("on", _) => {
                        Err("the database takes no writes (transaction_read_only)".to_owned())
                    }
                    _ => Ok(()),
                }
            }
        }
    }

    /// Runs `SELECT 1`: whether the database answers at all (the health check).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        // A pooled connection the server dropped since its last use (a restart, a failover)
        // fails once (see `connect`); then every connection is checked before use, so the
        // second try tells how the database is, not how that connection was.
        let select_one = || sqlx::query("SELECT 1").execute(&self.pool);
        match select_one().await {
            Err(err) if note_error(&err) => select_one().await.map(drop),
            done => done.map(drop),
        }
    }

    /// Closes the pool: waits for the connections in use to come back, then closes every
    /// connection. On SQLite the last one to close checkpoints the WAL into the database file
    /// and removes it, so a stopped node leaves one self-contained file.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Lets `follower` catch up after every [`PublishTx`] this node commits, before the commit
    /// returns (so a save is answered by the node's own DNS at once).
    pub fn follow_publishing(&self, follower: std::sync::Arc<dyn PublishFollower>) {
        match self.followers.0.write() {
            Ok(mut followers) => followers.push(follower),
            Err(poisoned) => poisoned.into_inner().push(follower),
        }
    }

    /// Lets this node's followers catch up now: for a write outside a [`PublishTx`] that
    /// changed what DNS serves (the zone sync's serials), so this node serves it at once.
    pub async fn publishing_changed(&self) {
        self.followers.committed().await;
    }

    /// Starts a write transaction ([`Db::begin_write`]) that may change what DNS serves; see
    /// [`PublishTx`].
    pub async fn begin_publish(&self) -> Result<PublishTx, sqlx::Error> {
        Ok(PublishTx {
            tx: self.begin_write().await?,
            followers: self.followers.clone(),
            published: Vec::new(),
            ranges: Vec::new(),
            exclusive: std::collections::HashSet::new(),
            zone_joined: false,
        })
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so a transaction that reads before it writes cannot fail with
    /// "database is locked" half-way; PostgreSQL needs no such thing.
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Engine::Postgres => self.pool.begin().await,
        }
    }
}

/// Advisory locks the addresses are spread over (see [`lock_address`]).
const LOCK_BUCKETS: i64 = 1024;

/// Serialises the writers of one address until the transaction ends.
///
/// The lock order on PostgreSQL, the same in every write path, so that no two writers wait
/// for each other in a circle: the assignment rows (one shared, [`inventory::holder_locked`],
/// or several exclusive in ascending id order, [`PublishTx::lock_assignments`]), then the
/// address lock (one, and only under a shared assignment lock: an exclusive one stands for
/// all its addresses), then the rows of the changes and entries of those addresses, then the
/// zone rows (serials, at commit, in address order). SQLite's
/// `BEGIN IMMEDIATE` already serialises every writer; on PostgreSQL a transaction-scoped
/// advisory lock does it per address, so two nodes saving one IP at once queue up (the second
/// then sees the first's version and gets a conflict) instead of deadlocking.
pub async fn lock_address(tx: &mut Tx, ip: std::net::IpAddr) -> Result<(), sqlx::Error> {
    if tx.backend_name() != "PostgreSQL" {
        return Ok(());
    }
    // Addresses share LOCK_BUCKETS locks: a bulk change of 10,000 addresses in one transaction
    // then holds at most that many, well inside PostgreSQL's lock table.
    let key = crate::domain::address_key(ip)
        .chunks(8)
        .fold(0i64, |acc, half| {
            acc ^ i64::from_be_bytes(half.try_into().unwrap_or([0; 8]))
        })
        .rem_euclid(LOCK_BUCKETS);
    sqlx::query("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock($1)) AS taken")
        .bind(key)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether an error is a unique-constraint violation (two writers raced for one row).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .is_some_and(|db_err| db_err.is_unique_violation())
}

#[cfg(test)]
mod tests {
    use super::Db;

    #[test]
    fn a_bulk_of_scattered_addresses_logs_at_most_64_ranges_covering_every_one() {
        use std::net::{IpAddr, Ipv4Addr};
        // One address in each of 10,000 /24s, as a provider's bulk of single IPs is.
        let written: Vec<IpAddr> = (0..10_000u32)
            .map(|n| IpAddr::V4(Ipv4Addr::from(0x0a00_0001 + (n << 8))))
            .collect();
        let v6: IpAddr = "2001:db8::1".parse().expect("an address");

        let logged = super::changed_ranges(&[(v6, v6)], &written);

        assert!(
            logged.len() <= super::MOST_LOGGED_RANGES,
            "{}",
            logged.len()
        );
        for ip in written.iter().chain([&v6]) {
            assert!(
                logged.iter().any(|(first, last)| first <= ip
                    && ip <= last
                    && first.is_ipv4() == ip.is_ipv4()),
                "{ip} is covered"
            );
        }
        let near: Vec<IpAddr> = ["192.0.2.1", "192.0.2.200", "198.51.100.7"]
            .iter()
            .map(|ip| ip.parse().expect("an address"))
            .collect();
        assert_eq!(
            super::changed_ranges(&[], &near).len(),
            2,
            "near addresses share a range"
        );
    }

    #[tokio::test]
    async fn the_bundled_sqlite_plans_each_statement_once() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = dir.path().join("plans.sqlite").display().to_string();
        let db = Db::connect(&url).await.expect("an SQLite database");

        let options: Vec<String> = sqlx::query_scalar("PRAGMA compile_options")
            .fetch_all(&db.pool)
            .await
            .expect("the compile options");

        assert!(
            options.iter().any(|option| option == "ENABLE_QPSG"),
            "SQLite was built without SQLITE_ENABLE_QPSG (see .cargo/config.toml): {options:?}"
        );
    }
}

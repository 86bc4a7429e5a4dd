//! Leases of periodic background jobs (drift, live-status probes), so that of several nodes on
//! one database only one runs each round. A lease is one row of `job_leases`: whoever holds
//! it runs the job until `until` and renews it each round; another node takes it over only
//! once it has run out (the holder stopped or stalled).

use sqlx::AnyPool;

/// The lease of the periodic drift check.
pub const DRIFT: &str = "dns.drift";
/// The lease of the live-status probes of the public name servers.
pub const LIVE: &str = "dns.live";

/// A name for one claimant, unique across nodes and across the job loops of one process:
/// the process id for the logs, and random bytes for uniqueness.
pub fn new_holder() -> String {
    format!(
        "pid{}-{}",
        std::process::id(),
        crate::token::random_token(8)
    )
}

/// Takes (or renews) the lease `name` for `holder` until `until`, when it is free at `now`
/// (never taken, run out) or already `holder`'s. True when `holder` holds it now and may
/// run the round; false when another node does.
pub async fn claim(
    db: &AnyPool,
    name: &str,
    holder: &str,
    until: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO job_leases (name, holder, until) VALUES ($1, NULL, 0) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .execute(db)
    .await?;
    let taken = sqlx::query(
        "UPDATE job_leases SET holder = $2, until = $3 \
         WHERE name = $1 AND (until <= $4 OR holder = $2)",
    )
    .bind(name)
    .bind(holder)
    .bind(until)
    .bind(now)
    .execute(db)
    .await?;
    Ok(taken.rows_affected() == 1)
}

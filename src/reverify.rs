//! The continuous re-verification job (issue 22): every published entry is checked again once
//! per period (`reverify_period_seconds`, 7 days by default), one entry at a time at an even
//! pace, so that the name servers asked see a steady trickle of questions, never a burst; the
//! pace is also capped at `reverify_questions_per_second`. What each check finds is recorded by
//! [`crate::changes::reverify`] (entry drift begins or ends).
//!
//! Across nodes: one node holds the job's lease ([`crate::db::leases`]) and renews it with
//! every check; the pass's progress (the last entry id checked) is stored, so the node that
//! takes the lease over after a holder stopped goes on where it was.

use crate::changes::{self, Reverified, ReverifySummary};
use crate::checks::Engine;
use crate::db::drift::{self, Progress, Published};
use crate::db::{Db, leases};
use crate::shutdown::Shutdown;
use std::collections::VecDeque;
use std::time::Duration;

/// DNS questions one check asks, about: `domain-exists` one SOA, `forward-confirmed` one
/// CNAME and one A or AAAA (a resolver's view; an authoritative check asks a little more the
/// first time it meets a zone).
pub const QUESTIONS_PER_CHECK: f64 = 3.0;

/// Entries read from the database at once.
const BATCH: i64 = 64;
/// Checks in flight at most (one that waits for a slow server does not hold up the pace).
const IN_FLIGHT: usize = 16;
/// Seconds between recounts of the published entries (the pace follows the count).
const RECOUNT_SECONDS: i64 = 600;

/// How fast a pass goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    /// One pass over every published entry takes this long (when the cap allows).
    pub period: Duration,
    /// The most DNS questions per second the job may cause.
    pub questions_per_second: f64,
}

impl Pace {
    /// Checks per second for `entries` published entries: spread evenly over the period,
    /// capped by the question rate. 0 when there is nothing to check.
    pub fn checks_per_second(&self, entries: i64) -> f64 {
        let period = self.period.as_secs_f64().max(0.001);
        let even = entries.max(0) as f64 / period;
        even.min(self.questions_per_second.max(0.001) / QUESTIONS_PER_CHECK)
    }

    /// The wait between two checks for `entries` published entries.
    pub fn spacing(&self, entries: i64) -> Option<Duration> {
        let rate = self.checks_per_second(entries);
        (rate > 0.0).then(|| Duration::from_secs_f64(1.0 / rate))
    }

    /// How long a whole pass over `entries` takes at this pace.
    pub fn pass_duration(&self, entries: i64) -> Duration {
        match self.spacing(entries) {
            Some(spacing) => spacing.saturating_mul(u32::try_from(entries).unwrap_or(u32::MAX)),
            None => Duration::ZERO,
        }
    }
}

/// Runs the re-verification until `shutdown` (see the module documentation).
pub async fn run(db: Db, engine: Engine, pace: Pace, shutdown: Shutdown) {
    let holder = leases::new_holder();
    let mut walk = Walk::default();
    let mut in_flight = tokio::task::JoinSet::new();
    let mut summary = ReverifySummary::default();
    let mut logged_at = crate::clock::now();
    loop {
        let wait = match walk.next(&db, pace, &holder).await {
            Ok(Step::Check(entry, spacing)) => {
                while in_flight.len() >= IN_FLIGHT {
                    collect(in_flight.join_next().await, &mut summary);
                }
                let (db, engine) = (db.clone(), engine.clone());
                in_flight.spawn(async move {
                    changes::reverify(&db, &engine, &entry, crate::clock::now()).await
                });
                spacing
            }
            Ok(Step::Idle(wait)) => wait,
            Err(err) => {
                tracing::warn!(error = %err, "re-verification: the database failed");
                Duration::from_secs(10)
            }
        };
        while let Some(done) = in_flight.try_join_next() {
            collect(Some(done), &mut summary);
        }
        // One line a minute at most (a thousand checks take ten minutes at 1.7 per second).
        let now = crate::clock::now();
        if summary.checked > 0 && (summary.checked >= 1000 || now - logged_at >= 60) {
            tracing::info!(?summary, "re-verified published entries");
            summary = ReverifySummary::default();
            logged_at = now;
        }
        tokio::select! {
            _ = shutdown.requested() => break,
            _ = tokio::time::sleep(wait) => {}
        }
    }
    in_flight.abort_all();
    tracing::debug!("re-verification stopped");
}

fn collect(
    done: Option<Result<Result<Reverified, sqlx::Error>, tokio::task::JoinError>>,
    summary: &mut ReverifySummary,
) {
    match done {
        Some(Ok(Ok(outcome))) => summary.add(outcome),
        Some(Ok(Err(err))) => tracing::warn!(error = %err, "re-verifying an entry failed"),
        Some(Err(err)) if err.is_panic() => tracing::error!("re-verifying an entry panicked"),
        _ => {}
    }
}

/// What to do next.
enum Step {
    /// Check this entry, then wait this long.
    Check(Published, Duration),
    /// Nothing now; look again after this long.
    Idle(Duration),
}

/// Where this node is in the pass: entries read ahead, the count the pace follows.
#[derive(Default)]
struct Walk {
    ahead: VecDeque<Published>,
    count: i64,
    counted_at: i64,
}

impl Walk {
    async fn next(&mut self, db: &Db, pace: Pace, holder: &str) -> Result<Step, sqlx::Error> {
        let now = crate::clock::now();
        if now - self.counted_at >= RECOUNT_SECONDS {
            self.count = drift::count_published(&db.pool).await?;
            self.counted_at = now;
        }
        let Some(spacing) = pace.spacing(self.count) else {
            self.ahead.clear();
            self.counted_at = 0;
            return Ok(Step::Idle(Duration::from_secs(60).min(pace.period)));
        };
        // Hold the lease a while past the next check; another node takes it only once this
        // one stopped renewing.
        let hold = i64::try_from(spacing.as_secs()).unwrap_or(i64::MAX / 2) + 120;
        if !leases::claim(&db.pool, drift::REVERIFY, holder, now + hold, now).await? {
            // Another node runs the pass; what this one read ahead may be stale by the time
            // it gets the lease.
            self.ahead.clear();
            return Ok(Step::Idle(Duration::from_secs(30).min(spacing)));
        }
        let mut progress = drift::progress(&db.pool, drift::REVERIFY)
            .await?
            .unwrap_or(Progress {
                after_id: 0,
                pass_started_at: now,
                last_pass_at: None,
            });
        if self
            .ahead
            .front()
            .is_none_or(|entry| entry.id <= progress.after_id)
        {
            self.ahead = drift::published_after(&db.pool, progress.after_id, BATCH)
                .await?
                .into();
        }
        let Some(entry) = self.ahead.pop_front() else {
            // The pass is through: the next begins at the first entry.
            let swept = drift::sweep_stale(&db.pool).await?;
            tracing::info!(
                seconds = now - progress.pass_started_at,
                entries = self.count,
                swept,
                "re-verification pass done"
            );
            progress = Progress {
                after_id: 0,
                pass_started_at: now,
                last_pass_at: Some(now),
            };
            drift::save_progress(&db.pool, drift::REVERIFY, progress).await?;
            self.counted_at = 0;
            return Ok(Step::Idle(spacing.min(Duration::from_secs(1))));
        };
        progress.after_id = entry.id;
        drift::save_progress(&db.pool, drift::REVERIFY, progress).await?;
        Ok(Step::Check(entry, spacing))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEEK: Duration = Duration::from_secs(7 * 24 * 3600);

    #[test]
    fn a_million_entries_are_spread_evenly_over_a_week() {
        let pace = Pace {
            period: WEEK,
            questions_per_second: 20.0,
        };
        let rate = pace.checks_per_second(1_100_000);
        assert!((rate - 1.8187).abs() < 0.001, "{rate}");
        assert!((rate * QUESTIONS_PER_CHECK - 5.456).abs() < 0.01);
        let pass = pace.pass_duration(1_100_000).as_secs_f64();
        assert!((pass - WEEK.as_secs_f64()).abs() < 60.0, "{pass}");
    }

    #[test]
    fn the_question_cap_slows_a_pass_that_would_ask_too_fast() {
        let pace = Pace {
            period: WEEK,
            questions_per_second: 3.0,
        };
        assert!((pace.checks_per_second(1_100_000) - 1.0).abs() < 1e-9);
        assert_eq!(pace.pass_duration(1_100_000).as_secs(), 1_100_000);
    }

    #[test]
    fn nothing_to_check_means_no_pace() {
        let pace = Pace {
            period: WEEK,
            questions_per_second: 20.0,
        };
        assert_eq!(pace.spacing(0), None);
    }
}

//! Request rate limits kept in memory, per key (a user, a client address …), for endpoints too
//! hot to count in the database.
//!
//! The algorithm is GCRA, the token bucket written as one instant per key: a [`Quota`] of `N`
//! requests per `interval` lets `N` through at once and then one every `interval / N`; a key
//! that has been quiet for a whole interval is back to `N`. A key whose bucket is full carries
//! no information, so it is forgotten (swept at most once a minute, and whenever the table is
//! full); the table never holds more than its `max_keys` — when every key is still counting,
//! the one closest to full goes first. Memory is therefore bounded whatever the clients do.
//!
//! Per process: with several nodes behind a load balancer each counts on its own, so the
//! effective limit is the number of nodes times the quota.

pub mod live_check;

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How often idle keys are swept out even when the table is not full.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// `requests` per `interval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// The pause one request adds: `interval / requests`.
    emission: Duration,
    /// How far ahead of now a key may run: `interval - emission` (so `requests` fit at once).
    tolerance: Duration,
}

impl Quota {
    /// `requests` per `interval`; `None` (no limit) when `requests` is 0.
    pub fn per(requests: u64, interval: Duration) -> Option<Quota> {
        if requests == 0 {
            return None;
        }
        let interval = interval.max(Duration::from_millis(1));
        let emission = Duration::from_nanos(
            u64::try_from(interval.as_nanos() / u128::from(requests)).unwrap_or(u64::MAX),
        )
        .max(Duration::from_nanos(1));
        Some(Quota {
            emission,
            tolerance: interval.saturating_sub(emission),
        })
    }
}

/// The request was over a quota; it may be tried again after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Whole seconds to wait, at least 1 (what `Retry-After` carries).
    pub fn seconds(&self) -> u64 {
        let whole = self.0.as_secs();
        if self.0.subsec_nanos() > 0 || whole == 0 {
            whole + 1
        } else {
            whole
        }
    }
}

/// A table of keys and how far ahead of the clock each one's requests have run.
#[derive(Debug)]
pub struct RateLimiter<K> {
    table: Mutex<Table<K>>,
    max_keys: usize,
}

#[derive(Debug)]
struct Table<K> {
    /// Per key, GCRA's "theoretical arrival time": the bucket is full again at that instant.
    full_at: HashMap<K, Instant>,
    last_sweep: Option<Instant>,
}

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    /// An empty table that holds at most `max_keys` keys (at least 1).
    pub fn new(max_keys: usize) -> RateLimiter<K> {
        RateLimiter {
            table: Mutex::new(Table {
                full_at: HashMap::new(),
                last_sweep: None,
            }),
            max_keys: max_keys.max(1),
        }
    }

    /// Counts one request against every key's quota at `now`: all of them, or — when any one
    /// is over — none, and the wait until every one would let it through.
    pub fn check(&self, keys: &[(K, Quota)], now: Instant) -> Result<(), RetryAfter> {
        // A poisoned lock only means another request panicked mid-update of plain instants;
        // the table is still usable.
        let mut table = self
            .table
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut wait = Duration::ZERO;
        let mut updates = Vec::with_capacity(keys.len());
        for (key, quota) in keys {
            let full_at = table
                .full_at
                .get(key)
                .map_or(now, |&full_at| full_at.max(now));
            let ahead = full_at - now;
            if ahead > quota.tolerance {
                wait = wait.max(ahead - quota.tolerance);
            } else {
                updates.push((key, full_at + quota.emission));
            }
        }
        if !wait.is_zero() {
            return Err(RetryAfter(wait));
        }
        table.sweep_if_due(now);
        for (key, full_at) in updates {
            if !table.full_at.contains_key(key) && table.full_at.len() >= self.max_keys {
                table.make_room(now, self.max_keys);
            }
            table.full_at.insert(key.clone(), full_at);
        }
        Ok(())
    }

    /// How many keys the table holds now.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.table
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .full_at
            .len()
    }
}

impl<K: Hash + Eq + Clone> Table<K> {
    fn sweep_if_due(&mut self, now: Instant) {
        let due = self
            .last_sweep
            .is_none_or(|last| now.saturating_duration_since(last) >= SWEEP_EVERY);
        if due {
            self.full_at.retain(|_, full_at| *full_at > now);
            self.last_sweep = Some(now);
        }
    }

    /// Forgets idle keys; if every key is still counting, the one closest to full.
    fn make_room(&mut self, now: Instant, max_keys: usize) {
        self.full_at.retain(|_, full_at| *full_at > now);
        self.last_sweep = Some(now);
        if self.full_at.len() >= max_keys
            && let Some(closest) = self
                .full_at
                .iter()
                .min_by_key(|(_, full_at)| **full_at)
                .map(|(key, _)| key.clone())
        {
            self.full_at.remove(&closest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    fn quota(requests: u64) -> Quota {
        Quota::per(requests, SECOND).expect("a quota")
    }

    #[test]
    fn a_quota_lets_its_requests_through_at_once_and_then_refuses() {
        let limiter = RateLimiter::new(100);
        let now = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check(&[("alice", quota(3))], now), Ok(()));
        }
        let Err(wait) = limiter.check(&[("alice", quota(3))], now) else {
            panic!("the fourth request is refused");
        };
        // A third of the interval, to the nanosecond the division rounds to.
        assert!(
            wait.0.abs_diff(SECOND / 3) < Duration::from_nanos(10),
            "{wait:?}"
        );
        assert_eq!(wait.seconds(), 1);
    }

    #[test]
    fn one_request_comes_back_after_each_share_of_the_interval_and_all_after_the_interval() {
        let limiter = RateLimiter::new(100);
        let start = Instant::now();
        for _ in 0..4 {
            assert_eq!(limiter.check(&[("alice", quota(4))], start), Ok(()));
        }
        let quarter = start + SECOND / 4;
        assert_eq!(limiter.check(&[("alice", quota(4))], quarter), Ok(()));
        assert!(limiter.check(&[("alice", quota(4))], quarter).is_err());
        let later = quarter + SECOND;
        for _ in 0..4 {
            assert_eq!(limiter.check(&[("alice", quota(4))], later), Ok(()));
        }
        assert!(limiter.check(&[("alice", quota(4))], later).is_err());
    }

    #[test]
    fn keys_count_apart() {
        let limiter = RateLimiter::new(100);
        let now = Instant::now();
        assert_eq!(limiter.check(&[("alice", quota(1))], now), Ok(()));
        assert!(limiter.check(&[("alice", quota(1))], now).is_err());
        assert_eq!(limiter.check(&[("bob", quota(1))], now), Ok(()));
    }

    #[test]
    fn a_request_refused_by_one_key_costs_the_other_keys_nothing() {
        let limiter = RateLimiter::new(100);
        let now = Instant::now();
        assert_eq!(limiter.check(&[("address", quota(1))], now), Ok(()));
        for _ in 0..5 {
            let both = [("alice", quota(2)), ("address", quota(1))];
            assert!(limiter.check(&both, now).is_err());
        }
        assert_eq!(limiter.check(&[("alice", quota(2))], now), Ok(()));
        assert_eq!(limiter.check(&[("alice", quota(2))], now), Ok(()));
    }

    #[test]
    fn the_wait_is_the_longest_any_key_needs() {
        let limiter = RateLimiter::new(100);
        let now = Instant::now();
        let slow = Quota::per(1, 10 * SECOND).expect("a quota");
        assert_eq!(
            limiter.check(&[("slow", slow), ("fast", quota(1))], now),
            Ok(())
        );
        let refused = limiter.check(&[("fast", quota(1)), ("slow", slow)], now);
        assert_eq!(refused, Err(RetryAfter(10 * SECOND)));
    }

    #[test]
    fn no_more_keys_are_kept_than_allowed_and_idle_ones_are_forgotten_first() {
        let limiter = RateLimiter::new(3);
        let now = Instant::now();
        let long = Quota::per(1, 60 * SECOND).expect("a quota");
        assert_eq!(limiter.check(&[(1, quota(1))], now), Ok(()));
        assert_eq!(limiter.check(&[(2, long)], now), Ok(()));
        assert_eq!(limiter.check(&[(3, long)], now + SECOND / 2), Ok(()));
        // Two seconds on, key 1 is full again (idle): it makes room, the busy keys stay.
        let later = now + 2 * SECOND;
        assert_eq!(limiter.check(&[(4, long)], later), Ok(()));
        assert_eq!(limiter.len(), 3);
        assert!(limiter.check(&[(2, long)], later).is_err());
        assert!(limiter.check(&[(3, long)], later).is_err());
        // Every key busy: the one closest to full (key 2, the oldest) goes.
        assert_eq!(limiter.check(&[(5, long)], later), Ok(()));
        assert_eq!(limiter.len(), 3);
        assert_eq!(limiter.check(&[(2, long)], later), Ok(()));
    }

    #[test]
    fn a_quiet_key_is_swept_out_within_a_minute() {
        let limiter = RateLimiter::new(100);
        let now = Instant::now();
        assert_eq!(limiter.check(&[("alice", quota(5))], now), Ok(()));
        assert_eq!(limiter.len(), 1);
        let later = now + SWEEP_EVERY + SECOND;
        assert_eq!(limiter.check(&[("bob", quota(5))], later), Ok(()));
        assert_eq!(limiter.len(), 1, "alice's full bucket was forgotten");
    }

    #[test]
    fn zero_requests_means_no_limit() {
        assert_eq!(Quota::per(0, SECOND), None);
    }
}

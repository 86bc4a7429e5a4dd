//! The live-check rate limits of a node: per user and per client address (an IPv6 client
//! counts by its /64), counted in memory. See [`crate::routes::live_check`] for which stages
//! count.

use super::{Quota, RateLimiter, RetryAfter};
use crate::config::Settings;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Users and addresses the limits remember at once: a few MB at most, whatever clients do.
const MAX_TRACKED: usize = 50_000;

/// The live-check rate limits of this node: per user and per client address, counted in
/// memory (see [`crate::rate_limit`]). Each node counts on its own, so with N nodes behind a
/// load balancer the effective limit is N times the configured one.
#[derive(Debug, Clone)]
pub struct LiveCheckLimits {
    limiter: Arc<RateLimiter<Requester>>,
    per_user: Option<Quota>,
    per_address: Option<Quota>,
}

/// Who a live check is counted against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Requester {
    User(i64),
    /// An IPv4 address, or the /64 of an IPv6 one (one customer's network hands out many).
    Address(IpAddr),
}

impl LiveCheckLimits {
    /// The limits `settings` ask for (`live_check_per_user`, `live_check_per_address`,
    /// `live_check_interval_seconds`; 0 turns one off).
    pub fn new(settings: &Settings) -> LiveCheckLimits {
        let interval = Duration::from_secs(settings.live_check_interval_seconds.max(1));
        LiveCheckLimits {
            limiter: Arc::new(RateLimiter::new(MAX_TRACKED)),
            per_user: Quota::per(settings.live_check_per_user, interval),
            per_address: Quota::per(settings.live_check_per_address, interval),
        }
    }

    /// Counts one check by `user_id` from `source` (the client address as the audit log
    /// records it), or says how long to wait.
    pub fn count(&self, user_id: i64, source: &str) -> Result<(), RetryAfter> {
        self.count_at(user_id, source, Instant::now())
    }

    /// [`Self::count`] at the instant `now` (the tests' clock).
    fn count_at(&self, user_id: i64, source: &str, now: Instant) -> Result<(), RetryAfter> {
        let mut keys = Vec::with_capacity(2);
        if let Some(quota) = self.per_user {
            keys.push((Requester::User(user_id), quota));
        }
        if let (Some(quota), Some(address)) = (self.per_address, address_key(source)) {
            keys.push((Requester::Address(address), quota));
        }
        self.limiter.check(&keys, now)
    }
}

/// The address a client is counted by: IPv4 as it is, IPv6 by its /64.
fn address_key(source: &str) -> Option<IpAddr> {
    match source.parse::<IpAddr>().ok()?.to_canonical() {
        IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & (u128::MAX << 64);
            Some(IpAddr::V6(prefix.into()))
        }
        v4 => Some(v4),
    }
}

#[cfg(test)]
mod tests {
    use super::{LiveCheckLimits, address_key};
    use crate::config::Settings;
    use std::time::{Duration, Instant};

    #[test]
    fn a_user_over_the_limit_waits_one_interval_and_is_let_through_again() {
        let limits = LiveCheckLimits::new(&Settings {
            live_check_per_user: 2,
            live_check_per_address: 0,
            live_check_interval_seconds: 60,
            ..Settings::default()
        });
        let start = Instant::now();
        let at = |seconds: u64| start + Duration::from_secs(seconds);

        assert!(limits.count_at(7, "192.0.2.1", at(0)).is_ok());
        assert!(limits.count_at(7, "192.0.2.1", at(0)).is_ok());
        let refused = limits
            .count_at(7, "192.0.2.1", at(1))
            .expect_err("over the limit");
        assert_eq!(
            refused.seconds(),
            29,
            "one of two checks back after half the interval"
        );
        assert!(
            limits.count_at(8, "192.0.2.1", at(1)).is_ok(),
            "another user"
        );

        assert!(limits.count_at(7, "192.0.2.1", at(61)).is_ok());
        assert!(limits.count_at(7, "192.0.2.1", at(61)).is_ok());
        assert!(limits.count_at(7, "192.0.2.1", at(61)).is_err());
    }

    #[test]
    fn an_ipv6_client_counts_by_its_64_and_a_mapped_ipv4_as_ipv4() {
        assert_eq!(
            address_key("2001:db8:1:2:aaaa::1"),
            address_key("2001:db8:1:2:ffff::9")
        );
        assert_ne!(
            address_key("2001:db8:1:2::1"),
            address_key("2001:db8:1:3::1")
        );
        assert_eq!(address_key("::ffff:192.0.2.7"), address_key("192.0.2.7"));
        assert_eq!(address_key("unknown"), None);
    }
}

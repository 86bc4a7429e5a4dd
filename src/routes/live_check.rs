//! Live checks while the customer types: `GET /ptr/check` answers the findings for a name as
//! an HTML fragment (templates/customer/_findings.html). Writes nothing; only for the
//! customer's own addresses, like every other door.
//!
//! Rate-limit policy: the stages that send something out on the customer's behalf — `full`
//! (DNS questions) and `mail` (an SMTP connection) — count against `live_check_per_user` per
//! user and `live_check_per_address` per client address, per `live_check_interval_seconds`
//! ([`LiveCheckLimits`]). `offline` does not count: it runs on the CPU alone, costs what a page
//! view costs, and the page's script sends one before every `full`, so counting it would only
//! halve what a person may type without stopping anything the limits are for. Over a limit the
//! answer is 429 with `Retry-After` and a fragment the page shows in place of the findings.

use crate::auth::CustomerUser;
use crate::config::Settings;
use crate::domain::Hostname;
use crate::domain::finding::{Finding, FindingId, Severity};
use crate::error::AppError;
use crate::rate_limit::{Quota, RateLimiter, RetryAfter};
use crate::routes::customer::owned;
use crate::startup::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Users and addresses the limits remember at once: a few MB at most, whatever clients do.
const MAX_TRACKED: usize = 50_000;

/// The query of a live check.
#[derive(Deserialize)]
pub struct CheckQuery {
    ip: String,
    #[serde(default)]
    hostname: String,
    #[serde(default)]
    stage: String,
}

#[derive(Template)]
#[template(path = "customer/_findings.html")]
struct FindingsFragment {
    findings: Vec<Finding>,
    final_stage: bool,
    syntax_error: bool,
    empty: bool,
    /// Set when the check was refused for the rate limit: what to tell the customer.
    refused: Option<String>,
}

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
    fn count(&self, user_id: i64, source: &str) -> Result<(), RetryAfter> {
        let mut keys = Vec::with_capacity(2);
        if let Some(quota) = self.per_user {
            keys.push((Requester::User(user_id), quota));
        }
        if let (Some(quota), Some(address)) = (self.per_address, address_key(source)) {
            keys.push((Requester::Address(address), quota));
        }
        self.limiter.check(&keys, Instant::now())
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

/// What the customer is told when a check was refused.
fn refusal_message(stage: &str, wait: &RetryAfter) -> String {
    let seconds = wait.seconds();
    let unit = if seconds == 1 { "second" } else { "seconds" };
    let not_done = match stage {
        "mail" => "the mail server was not asked",
        _ => "this name was not checked against DNS",
    };
    format!(
        "Too many checks in a short time \u{2014} wait {seconds} {unit}; {not_done}. Saving checks it in full."
    )
}

/// `GET /ptr/check?ip=…&hostname=…&stage=offline|full|mail`: the findings for a name as the
/// customer types it, as an HTML fragment. Writes nothing. `offline` answers at once, `full`
/// adds the DNS checks, `mail` runs `mail-banner` against the customer's own IP; those two
/// count against the rate limits (429 with `Retry-After` over them).
pub async fn check(
    user: CustomerUser,
    state: web::Data<AppState>,
    query: web::Query<CheckQuery>,
) -> Result<HttpResponse, AppError> {
    let raw = query.hostname.as_str();
    let empty = raw.trim().is_empty();
    let sends_queries = !empty && query.stage != "offline";
    if sends_queries
        && let Err(wait) = state
            .live_check_limits
            .count(user.user.account.id, &user.user.source)
    {
        let fragment = FindingsFragment {
            findings: Vec::new(),
            final_stage: true,
            syntax_error: false,
            empty: false,
            refused: Some(refusal_message(&query.stage, &wait)),
        };
        return Ok(HttpResponse::TooManyRequests()
            .insert_header((header::RETRY_AFTER, wait.seconds().to_string()))
            .content_type("text/html; charset=utf-8")
            .body(fragment.render()?));
    }
    let owned = owned(&state, &user, &query.ip).await?;
    let ip = owned.ip();
    let (findings, final_stage) = if empty {
        (Vec::new(), true)
    } else {
        match query.stage.as_str() {
            "offline" => (state.engine.offline(ip, raw).findings, false),
            "mail" => match Hostname::parse(raw) {
                Ok(hostname) => (
                    vec![
                        state
                            .engine
                            .mail_banner(ip, &hostname, state.mail_port)
                            .await,
                    ],
                    true,
                ),
                Err(_) => (state.engine.offline(ip, raw).findings, true),
            },
            _ => (state.engine.check(ip, raw).await.findings, true),
        }
    };
    let syntax_error = findings
        .iter()
        .any(|finding| finding.id == FindingId::Syntax);
    let fragment = FindingsFragment {
        findings,
        final_stage: final_stage || syntax_error,
        syntax_error,
        empty,
        refused: None,
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(fragment.render()?))
}

#[cfg(test)]
mod tests {
    use super::address_key;

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

//! DNS blocklists (DNSBL) for the mail-readiness checks: is an address listed on the lists the
//! provider configured (`dnsbl_zones`)? Asked the standard way (RFC 5782): the address
//! reversed under the list's zone — `2.0.0.127.zen.spamhaus.org` for 127.0.0.2, the 32
//! nibbles of an IPv6 address reversed — an `A` answer in 127.0.0.0/24 means listed (the
//! address says why, as `dnsbl_return_codes` maps it), NXDOMAIN means not listed.
//!
//! Lists throttle heavy askers, so answers are kept per address and list for
//! `dnsbl_cache_seconds`, and this node sends at most `dnsbl_questions_per_second` questions to
//! all lists together; a question that would have to wait past the check's deadline is not
//! sent, and the result says so.

use super::dns::{DnsChecker, Lookup, RData, RecordType};
use crate::config::{ConfigError, Settings};
use crate::i18n::t_args;
use crate::rate_limit::{Quota, RateLimiter};
use serde::Serialize;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Answers kept at most; past that the oldest go first.
const MAX_CACHED: usize = 20_000;

/// One return code of a list: answers from `first` to `last` (last octets of 127.0.0.x) mean
/// `meaning`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ReturnCode {
    first: u8,
    last: u8,
    meaning: String,
}

/// One configured list.
#[derive(Debug, Clone, PartialEq, Eq)]
struct List {
    zone: String,
    codes: Vec<ReturnCode>,
}

/// Where an address stands on one list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum Listing {
    /// The list does not know the address (NXDOMAIN, or no `A` record).
    NotListed,
    /// Listed: the answers and what each means.
    Listed {
        /// The `127.0.0.x` answers with their meaning from the configuration.
        codes: Vec<Code>,
    },
    /// No answer that can be read: why, as a sentence.
    Unverified {
        /// Why.
        reason: String,
    },
}

/// One answer of a list that lists the address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Code {
    /// The answer, `127.0.0.2`.
    pub answer: Ipv4Addr,
    /// What the configuration says it means (`SBL`); `None` when it says nothing.
    pub meaning: Option<String>,
}

/// The result for one address on one list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListResult {
    /// The list's zone.
    pub zone: String,
    /// The name asked (`45.113.0.203.zen.spamhaus.org`).
    pub asked: String,
    /// Where the address stands.
    #[serde(flatten)]
    pub listing: Listing,
    /// Whether the answer came from the cache (no question was sent now).
    pub cached: bool,
}

impl ListResult {
    /// One sentence on the result.
    pub fn message(&self) -> String {
        match &self.listing {
            Listing::NotListed => t_args("rc-bl-not-listed", &[("zone", &self.zone)]),
            Listing::Listed { codes } => {
                let codes: Vec<String> = codes
                    .iter()
                    .map(|code| match &code.meaning {
                        Some(meaning) => format!("{} {meaning}", code.answer),
                        None => code.answer.to_string(),
                    })
                    .collect();
                t_args(
                    "rc-bl-listed",
                    &[("zone", &self.zone), ("codes", &codes.join(", "))],
                )
            }
            Listing::Unverified { reason } => t_args(
                "rc-bl-unverified",
                &[("zone", &self.zone), ("reason", &reason)],
            ),
        }
    }

    /// The badge of the result: its CSS class and text.
    pub fn badge(&self) -> (&'static str, &'static str) {
        match self.listing {
            Listing::NotListed => ("pass", "Not listed"),
            Listing::Listed { .. } => ("fail", "Listed"),
            Listing::Unverified { .. } => ("unverified", "No answer"),
        }
    }

    /// Whether the address is listed.
    pub fn is_listed(&self) -> bool {
        matches!(self.listing, Listing::Listed { .. })
    }
}

/// The configured lists, the kept answers and the question rate limit of this node.
#[derive(Debug)]
pub struct Blocklists {
    lists: Vec<List>,
    keep_for: Duration,
    kept: Mutex<HashMap<(IpAddr, String), (Instant, Listing)>>,
    limiter: RateLimiter<()>,
    quota: Option<Quota>,
    per_second: u64,
}

impl Blocklists {
    /// No lists.
    pub fn none() -> Blocklists {
        Blocklists::new(Vec::new(), Duration::ZERO, 0)
    }

    fn new(lists: Vec<List>, keep_for: Duration, per_second: u64) -> Blocklists {
        Blocklists {
            lists,
            keep_for,
            kept: Mutex::new(HashMap::new()),
            limiter: RateLimiter::new(1),
            quota: Quota::per(per_second, Duration::from_secs(1)),
            per_second,
        }
    }

    /// The lists `settings` name (`dnsbl_zones`, `dnsbl_return_codes`, `dnsbl_cache_seconds`,
    /// `dnsbl_questions_per_second`); a zone or code that cannot be one is named in the error.
    pub fn from_settings(settings: &Settings) -> Result<Blocklists, ConfigError> {
        let mut lists = Vec::new();
        for zone in &settings.dnsbl_zones {
            let zone = zone_name(zone).ok_or_else(|| {
                ConfigError::Invalid(format!("dnsbl_zones: {zone:?} is not a DNS zone name"))
            })?;
            if lists.iter().any(|list: &List| list.zone == zone) {
                continue;
            }
            lists.push(List {
                zone,
                codes: Vec::new(),
            });
        }
        for text in &settings.dnsbl_return_codes {
            let (zone, code) = return_code(text).ok_or_else(|| {
                ConfigError::Invalid(format!(
                    "dnsbl_return_codes: {text:?} is not ZONE=127.0.0.X:MEANING \
                     (or ZONE=127.0.0.X-Y:MEANING)"
                ))
            })?;
            let list = lists
                .iter_mut()
                .find(|list| list.zone == zone)
                .ok_or_else(|| {
                    ConfigError::Invalid(format!(
                        "dnsbl_return_codes: {text:?} names {zone}, which is not in dnsbl_zones"
                    ))
                })?;
            list.codes.push(code);
        }
        Ok(Blocklists::new(
            lists,
            Duration::from_secs(settings.dnsbl_cache_seconds),
            settings.dnsbl_questions_per_second,
        ))
    }

    /// The configured zones, in order.
    pub fn zones(&self) -> Vec<String> {
        self.lists.iter().map(|list| list.zone.clone()).collect()
    }

    /// Where `ip` stands on every list, asked in parallel; a question waits for the rate
    /// limit at most until `deadline`, and is not sent when it would have to wait longer.
    pub async fn look_up(
        &self,
        dns: &DnsChecker,
        ip: IpAddr,
        deadline: Instant,
    ) -> Vec<ListResult> {
        let asks = self
            .lists
            .iter()
            .map(|list| self.on_list(dns, list, ip, deadline));
        futures_util::future::join_all(asks).await
    }

    async fn on_list(
        &self,
        dns: &DnsChecker,
        list: &List,
        ip: IpAddr,
        deadline: Instant,
    ) -> ListResult {
        let asked = query_name(ip, &list.zone);
        let result = |listing, cached| ListResult {
            zone: list.zone.clone(),
            asked: asked.clone(),
            listing,
            cached,
        };
        if let Some(listing) = self.kept(ip, &list.zone) {
            return result(listing, true);
        }
        if let Err(wait) = self.take_turn(deadline).await {
            let per_second = self.per_second;
            let reason = t_args(
                "rc-bl-throttled",
                &[
                    ("per_second", &per_second),
                    ("seconds", &wait.as_secs().max(1)),
                ],
            );
            return result(Listing::Unverified { reason }, false);
        }
        let listing = match dns.lookup(&asked, RecordType::A).await {
            Ok(Lookup::NxDomain | Lookup::NoData) => Listing::NotListed,
            Ok(Lookup::Records(records)) => listed(list, &records),
            Err(reason) => Listing::Unverified {
                reason: reason.render(),
            },
        };
        if !matches!(listing, Listing::Unverified { .. }) {
            self.keep(ip, &list.zone, &listing);
        }
        result(listing, false)
    }

    /// Waits until this node may send one more question, or says how long that would take
    /// past `deadline`.
    async fn take_turn(&self, deadline: Instant) -> Result<(), Duration> {
        let Some(quota) = self.quota else {
            return Ok(());
        };
        loop {
            let now = Instant::now();
            match self.limiter.check(&[((), quota)], now) {
                Ok(()) => return Ok(()),
                Err(retry) if now + retry.0 <= deadline => tokio::time::sleep(retry.0).await,
                Err(retry) => return Err(retry.0),
            }
        }
    }

    fn kept(&self, ip: IpAddr, zone: &str) -> Option<Listing> {
        if self.keep_for.is_zero() {
            return None;
        }
        let kept = self
            .kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (at, listing) = kept.get(&(ip, zone.to_owned()))?;
        (at.elapsed() < self.keep_for).then(|| listing.clone())
    }

    fn keep(&self, ip: IpAddr, zone: &str, listing: &Listing) {
        if self.keep_for.is_zero() {
            return;
        }
        let mut kept = self
            .kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if kept.len() >= MAX_CACHED {
            let keep_for = self.keep_for;
            kept.retain(|_, (at, _)| at.elapsed() < keep_for);
            if kept.len() >= MAX_CACHED
                && let Some(oldest) = kept
                    .iter()
                    .min_by_key(|(_, (at, _))| *at)
                    .map(|(key, _)| key.clone())
            {
                kept.remove(&oldest);
            }
        }
        kept.insert((ip, zone.to_owned()), (Instant::now(), listing.clone()));
    }
}

/// What a list's `A` records say: listed with the codes in 127.0.0.0/24; an answer outside it
/// is not a listing (127.255.255.x is how Spamhaus refuses a question from a public resolver).
fn listed(list: &List, records: &[RData]) -> Listing {
    let answers: Vec<Ipv4Addr> = records
        .iter()
        .filter_map(|data| match data {
            RData::A(a) => Some(a.0),
            _ => None,
        })
        .collect();
    let codes: Vec<Code> = answers
        .iter()
        .filter(|answer| answer.octets()[..3] == [127, 0, 0])
        .map(|answer| Code {
            answer: *answer,
            meaning: list
                .codes
                .iter()
                .find(|code| (code.first..=code.last).contains(&answer.octets()[3]))
                .map(|code| code.meaning.clone()),
        })
        .collect();
    if !codes.is_empty() {
        return Listing::Listed { codes };
    }
    let shown: Vec<String> = answers.iter().map(Ipv4Addr::to_string).collect();
    Listing::Unverified {
        reason: t_args("rc-bl-not-a-listing", &[("answers", &shown.join(", "))]),
    }
}

/// The name asked for `ip` on `zone`: the octets (IPv4) or nibbles (IPv6) reversed.
pub fn query_name(ip: IpAddr, zone: &str) -> String {
    let reversed: Vec<String> = match ip {
        IpAddr::V4(v4) => v4.octets().iter().rev().map(u8::to_string).collect(),
        IpAddr::V6(v6) => v6
            .octets()
            .iter()
            .rev()
            .flat_map(|byte| [byte & 0x0f, byte >> 4])
            .map(|nibble| format!("{nibble:x}"))
            .collect(),
    };
    format!("{}.{zone}", reversed.join("."))
}

/// A zone as configured, lower case without the root dot; `None` when it is no name.
fn zone_name(text: &str) -> Option<String> {
    let zone = text.trim().trim_end_matches('.').to_ascii_lowercase();
    let labels_ok = zone.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
    });
    (labels_ok && zone.contains('.') && zone.len() <= 200).then_some(zone)
}

/// `ZONE=127.0.0.X:MEANING` or `ZONE=127.0.0.X-Y:MEANING`.
fn return_code(text: &str) -> Option<(String, ReturnCode)> {
    let (zone, rest) = text.split_once('=')?;
    let (answer, meaning) = rest.split_once(':')?;
    let last = answer.trim().strip_prefix("127.0.0.")?;
    let (first, last) = match last.split_once('-') {
        Some((first, last)) => (first.parse().ok()?, last.parse().ok()?),
        None => {
            let only: u8 = last.parse().ok()?;
            (only, only)
        }
    };
    let meaning = meaning.trim();
    if first > last || meaning.is_empty() {
        return None;
    }
    Some((
        zone_name(zone)?,
        ReturnCode {
            first,
            last,
            meaning: meaning.to_owned(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_resolver::proto::rr::rdata::A;

    #[test]
    fn addresses_are_asked_reversed_under_the_zone() {
        assert_eq!(
            query_name("203.0.113.45".parse().unwrap(), "zen.spamhaus.org"),
            "45.113.0.203.zen.spamhaus.org"
        );
        assert_eq!(
            query_name("2001:db8::1".parse().unwrap(), "zen.spamhaus.org"),
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.spamhaus.org"
        );
    }

    #[test]
    fn return_codes_are_read_with_ranges_and_bad_ones_are_named() {
        let settings = Settings {
            dnsbl_zones: vec!["Zen.Spamhaus.org.".to_owned()],
            dnsbl_return_codes: vec![
                "zen.spamhaus.org=127.0.0.2:SBL".to_owned(),
                "zen.spamhaus.org=127.0.0.4-7:XBL".to_owned(),
            ],
            ..Settings::default()
        };
        let lists = Blocklists::from_settings(&settings).expect("valid");
        assert_eq!(lists.zones(), vec!["zen.spamhaus.org".to_owned()]);
        let records = [
            RData::A(A("127.0.0.5".parse().unwrap())),
            RData::A(A("127.0.0.10".parse().unwrap())),
        ];
        assert_eq!(
            listed(&lists.lists[0], &records),
            Listing::Listed {
                codes: vec![
                    Code {
                        answer: "127.0.0.5".parse().unwrap(),
                        meaning: Some("XBL".to_owned())
                    },
                    Code {
                        answer: "127.0.0.10".parse().unwrap(),
                        meaning: None
                    },
                ]
            }
        );

        for (bad, says) in [
            (
                "zen.spamhaus.org=127.0.0.2",
                "is not ZONE=127.0.0.X:MEANING",
            ),
            (
                "zen.spamhaus.org=10.0.0.2:SBL",
                "is not ZONE=127.0.0.X:MEANING",
            ),
            ("bl.example.org=127.0.0.2:X", "which is not in dnsbl_zones"),
        ] {
            let settings = Settings {
                dnsbl_return_codes: vec![bad.to_owned()],
                ..settings.clone()
            };
            let refused = Blocklists::from_settings(&settings).expect_err("refused");
            assert!(refused.to_string().contains(says), "{refused}");
        }
    }

    #[test]
    fn an_answer_outside_127_0_0_is_not_a_listing() {
        let list = List {
            zone: "zen.spamhaus.org".to_owned(),
            codes: Vec::new(),
        };
        let records = [RData::A(A("127.255.255.254".parse().unwrap()))];
        assert!(matches!(
            listed(&list, &records),
            Listing::Unverified { .. }
        ));
    }
}

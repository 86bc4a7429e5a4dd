//! Rules about how the name relates to the address: `embeds-ip`, `provider-default`,
//! `generic-looking`.
//!
//! Numbers are read from the name as whole runs of digits (or hex digits), and runs count as one
//! address only when a single `.` or `-` stands between them: `dhcp203-000-113-045` carries
//! 203.0.113.45, `mail-we0-f182` carries no address, and no match ever starts or ends inside
//! a run.

use super::names;
use crate::domain::finding::{Finding, FindingId, Severity};
use crate::domain::{DefaultNames, Hostname};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::i18n::{Arg, Text, ToArg};
use embedded::*;

/// A score at or above this reads as automatically generated (see [`generic_looking`]).
const GENERIC_THRESHOLD: u32 = 3;

/// Words that ISPs put into the names they generate for dial-up, DSL, cable and pool
/// addresses; each one found adds [`DYNAMIC_WORD_POINTS`].
#[rustfmt::skip]
const DYNAMIC_WORDS: &[&str] = &[
    // access technologies
    "dsl", "adsl", "vdsl", "xdsl", "sdsl", "cable", "cpe", "broadband", "fiber", "fibre", "ftth",
    "fttb", "fttc", "dial", "dialup", "dialin", "ppp", "pppoe", "pptp", "modem", "wireless",
    "wlan", "lte", "mobile", "gprs",
    // how the address is handed out
    "pool", "dyn", "dyna", "dynamic", "dynip", "dinamico", "dinamica", "dinamic", "dhcp",
    "static", "nat", "cgnat", "unassigned", "unused", "generic",
    // who uses it
    "client", "clients", "customer", "customers", "cust", "user", "users", "res", "resident",
    "residential", "host",
    // the address itself
    "ip", "ips", "ipv4", "ipv6", "ip4", "ip6", "addr", "reverse", "rev", "ptr",
];

/// Words that servers are named by both by hand and by machine; each adds one point, so they
/// only tip the balance together with numbers of the address.
const WEAK_WORDS: &[&str] = &[
    "server", "srv", "node", "vps", "vm", "box", "machine", "hosted",
];

const DYNAMIC_WORD_POINTS: u32 = 2;
const WEAK_WORD_POINTS: u32 = 1;
/// Runs of this many digits or more look like serial numbers; each adds [`LONG_RUN_POINTS`].
const LONG_RUN: usize = 5;
const LONG_RUN_POINTS: u32 = 2;

/// `embeds-ip`: the name carries this IP's full address in some encoding.
pub fn embeds_ip(hostname: &Hostname, ip: IpAddr) -> Option<Finding> {
    let found = embedded(hostname.as_ascii(), ip)?;
    let text = Text::new("finding-embeds-ip")
        .arg("ip", ip)
        .arg("found", &found.text);
    let details = vec![format!("{} found as \"{}\": {}", ip, found.text, found.how)];
    Some(Finding::said(FindingId::EmbedsIp, Severity::Error, text).with_details(details))
}

/// `provider-default`: the provider's own default name, or inside its default-name domain.
pub fn provider_default(
    hostname: &Hostname,
    ip: IpAddr,
    defaults: &DefaultNames,
) -> Option<Finding> {
    let name = hostname.as_ascii();
    let text = if defaults.for_ip(ip).as_deref() == Some(name) {
        Text::new("finding-provider-default-name")
            .arg("name", name)
            .arg("ip", ip)
    } else {
        let domain = defaults
            .domains()
            .into_iter()
            .find(|domain| is_within(name, domain))?;
        Text::new("finding-provider-default-domain")
            .arg("domain", domain)
            .arg("ip", ip)
    };
    Some(Finding::said(
        FindingId::ProviderDefault,
        Severity::Error,
        text,
    ))
}

/// `generic-looking`: scored from partial octets, dynamic-style tokens and digit runs.
///
/// Only the labels left of the registrable domain are read, so the customer's own domain never
/// counts (`mail.dsl-shop.com` is fine). The score adds up:
/// - numbers of this address appearing as separate numbers: one octet 1 point, two octets
///   3 points, three or four 4 points (IPv6: the non-zero hextets, as separate hex words);
/// - 2 points per dynamic-style word (`dsl`, `pool`, `dhcp`, `static`, `client`, … — whole
///   words only, so `hostmaster` is not `host`);
/// - 1 point per weak word (`server`, `node`, `vps`, …);
/// - 2 points per run of 5 or more digits.
///
/// At 3 points the name warns: two octets alone (`113-45`), a dynamic word next to one octet
/// (`client-45`) or two dynamic words (`static-ip`) do; one octet (`mx1`, `mail-we0-f182`), one
/// dynamic word (`pool.example.com`) or a weak word with an octet (`server1`) do not.
pub fn generic_looking(hostname: &Hostname, ip: IpAddr) -> Option<Finding> {
    // The whole address is `embeds-ip`'s finding; its parts would only say the same again.
    if embedded(hostname.as_ascii(), ip).is_some() {
        return None;
    }
    let part = customer_part(hostname);
    let score = Score::of(&part, ip);
    if score.total() < GENERIC_THRESHOLD {
        return None;
    }
    let text = Text::new("finding-generic-looking").arg("reasons", score.reasons());
    let details = vec![format!(
        "score {} (warns from {GENERIC_THRESHOLD}): {}",
        score.total(),
        score.breakdown()
    )];
    Some(Finding::said(FindingId::GenericLooking, Severity::Warning, text).with_details(details))
}

/// How generated a name looks for `ip`, for the mail-readiness page: the `generic-looking`
/// score and whether the name carries the whole address (`embeds-ip`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GenericScore {
    /// The score (see [`generic_looking`]).
    pub score: u32,
    /// The score from which the name reads as generated.
    pub threshold: u32,
    /// What the score is made of.
    pub breakdown: String,
    /// The name carries the whole address (mail servers read it as dynamic whatever the score).
    pub embeds_ip: bool,
}

impl GenericScore {
    /// Whether receivers will likely take the name for a generated (dynamic) one.
    pub fn looks_generated(&self) -> bool {
        self.embeds_ip || self.score >= self.threshold
    }
}

/// The [`GenericScore`] of `hostname` for `ip`.
pub fn generic_score(hostname: &Hostname, ip: IpAddr) -> GenericScore {
    let score = Score::of(&customer_part(hostname), ip);
    GenericScore {
        score: score.total(),
        threshold: GENERIC_THRESHOLD,
        breakdown: score.breakdown_in(crate::i18n::t),
        embeds_ip: embedded(hostname.as_ascii(), ip).is_some(),
    }
}

/// `name` equals `domain` or lies below it (both lower-case ASCII).
fn is_within(name: &str, domain: &str) -> bool {
    name == domain
        || name
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// The labels left of the registrable domain, joined by dots (empty for a bare domain); for a
/// name without one (public suffix, unknown TLD) all but the last two labels. `xn--` labels
/// are left out: their letters and digits are an encoding, not words.
fn customer_part(hostname: &Hostname) -> String {
    let labels: Vec<&str> = hostname.labels().collect();
    let kept = match names::registrable_domain(hostname) {
        Some(domain) => labels.len() - domain.split('.').count(),
        None => labels.len().saturating_sub(2),
    };
    let labels = labels[..kept]
        .iter()
        .filter(|label| !label.starts_with("xn--"));
    labels.copied().collect::<Vec<_>>().join(".")
}

/// The parts of the `generic-looking` score, as found.
#[derive(Debug, Default)]
struct Score {
    /// Numbers of the address found (octets, or hextets in hex).
    parts: Vec<String>,
    dynamic_words: Vec<String>,
    weak_words: Vec<String>,
    long_runs: Vec<String>,
}

impl Score {
    fn of(part: &str, ip: IpAddr) -> Score {
        let mut score = Score::default();
        for word in runs(part, u8::is_ascii_alphabetic) {
            if DYNAMIC_WORDS.contains(&word.text) {
                score.dynamic_words.push(word.text.to_owned());
            } else if WEAK_WORDS.contains(&word.text) {
                score.weak_words.push(word.text.to_owned());
            }
        }
        for run in runs(part, u8::is_ascii_digit) {
            if run.text.len() >= LONG_RUN {
                score.long_runs.push(run.text.to_owned());
            }
        }
        score.parts = match ip {
            IpAddr::V4(v4) => {
                let numbers = runs(part, u8::is_ascii_digit);
                let values = numbers.iter().filter(|run| run.text.len() <= 3);
                let values = values
                    .filter_map(|run| run.text.parse::<u16>().ok().map(|value| (run.text, value)));
                matched(values, v4.octets().map(u16::from).to_vec())
            }
            IpAddr::V6(v6) => {
                let words = part.split(['.', '-']).filter(|word| word.len() <= 4);
                let values = words.filter_map(|word| {
                    u16::from_str_radix(word, 16)
                        .ok()
                        .map(|value| (word, value))
                });
                let hextets = v6
                    .segments()
                    .into_iter()
                    .filter(|hextet| *hextet != 0)
                    .collect();
                matched(values, hextets)
            }
        };
        score
    }

    fn part_points(&self) -> u32 {
        match self.parts.len() {
            0 => 0,
            1 => 1,
            2 => 3,
            _ => 4,
        }
    }

    fn total(&self) -> u32 {
        let count = |words: &[String]| u32::try_from(words.len()).unwrap_or(u32::MAX);
        self.part_points()
            + DYNAMIC_WORD_POINTS * count(&self.dynamic_words)
            + WEAK_WORD_POINTS * count(&self.weak_words)
            + LONG_RUN_POINTS * count(&self.long_runs)
    }

    /// What was found, for the customer: "the numbers 113 and 45 of the address and the word dsl".
    fn reasons(&self) -> Arg {
        let mut reasons = Vec::new();
        let listed = |key: &str, items: &[String]| {
            (!items.is_empty()).then(|| {
                Text::new(key)
                    .arg("count", items.len())
                    .arg(
                        "items",
                        super::listed(items.iter().map(ToArg::to_arg).collect()),
                    )
                    .to_arg()
            })
        };
        reasons.extend(listed("finding-generic-numbers", &self.parts));
        let words: Vec<String> = self
            .dynamic_words
            .iter()
            .chain(&self.weak_words)
            .cloned()
            .collect();
        reasons.extend(listed("finding-generic-words", &words));
        reasons.extend(listed("finding-generic-long-numbers", &self.long_runs));
        super::listed(reasons)
    }

    /// The score part by part, for staff (in English: kept with the finding).
    fn breakdown(&self) -> String {
        self.breakdown_in(|key| {
            match key {
                "rc-breakdown-address-numbers" => "address numbers",
                "rc-breakdown-dynamic-words" => "dynamic words",
                "rc-breakdown-weak-words" => "weak words",
                _ => "long digit runs",
            }
            .to_owned()
        })
    }

    /// The score part by part, each part named by `label` from its catalogue key.
    fn breakdown_in(&self, label: impl Fn(&str) -> String) -> String {
        let count = |items: &[String]| u32::try_from(items.len()).unwrap_or(u32::MAX);
        let parts = [
            (
                "rc-breakdown-address-numbers",
                &self.parts,
                self.part_points(),
            ),
            (
                "rc-breakdown-dynamic-words",
                &self.dynamic_words,
                DYNAMIC_WORD_POINTS * count(&self.dynamic_words),
            ),
            (
                "rc-breakdown-weak-words",
                &self.weak_words,
                WEAK_WORD_POINTS * count(&self.weak_words),
            ),
            (
                "rc-breakdown-long-runs",
                &self.long_runs,
                LONG_RUN_POINTS * count(&self.long_runs),
            ),
        ];
        let shown = parts.iter().filter(|(_, items, _)| !items.is_empty());
        let shown: Vec<String> = shown
            .map(|(key, items, points)| format!("{} {} +{points}", label(key), items.join(", ")))
            .collect();
        shown.join("; ")
    }
}

/// The texts among `values` that equal a part of the address, each part used once.
fn matched<'t>(values: impl Iterator<Item = (&'t str, u16)>, mut unused: Vec<u16>) -> Vec<String> {
    let mut found = Vec::new();
    for (text, value) in values {
        if let Some(at) = unused.iter().position(|part| *part == value) {
            unused.swap_remove(at);
            found.push(text.to_owned());
        }
    }
    found
}

pub mod default_names;
mod embedded;
#[cfg(test)]
mod tests;

/// "a", "a and b", "a, b and c" (English: the default-names report for staff).
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

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

/// What every message of this module proposes instead.
const SUGGESTION: &str = "Use a name of your own, such as mail.example.com.";

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
    let message = format!(
        "The name contains the address {ip} (as {}); mail servers treat such names as dynamic. \
         {SUGGESTION}",
        found.text
    );
    let details = vec![format!("{} found as \"{}\": {}", ip, found.text, found.how)];
    Some(Finding::new(FindingId::EmbedsIp, Severity::Error, message).with_details(details))
}

/// `provider-default`: the provider's own default name, or inside its default-name domain.
pub fn provider_default(
    hostname: &Hostname,
    ip: IpAddr,
    defaults: &DefaultNames,
) -> Option<Finding> {
    let name = hostname.as_ascii();
    let message = if defaults.for_ip(ip).as_deref() == Some(name) {
        format!(
            "{name} is the provider's default name of {ip}; to go back to it, use Reset to \
             default instead."
        )
    } else {
        let domain = defaults
            .domains()
            .into_iter()
            .find(|domain| is_within(name, domain))?;
        format!(
            "{domain} holds the provider's default names; to go back to the default name of {ip}, \
             use Reset to default instead."
        )
    };
    Some(Finding::new(
        FindingId::ProviderDefault,
        Severity::Error,
        message,
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
    let message = format!(
        "The name looks automatically generated ({}); mail servers often treat such names as \
         dynamic. {SUGGESTION}",
        score.reasons()
    );
    let details = vec![format!(
        "score {} (warns from {GENERIC_THRESHOLD}): {}",
        score.total(),
        score.breakdown()
    )];
    Some(Finding::new(FindingId::GenericLooking, Severity::Warning, message).with_details(details))
}

/// How an address was found in a name.
#[derive(Debug, PartialEq, Eq)]
struct Embedded {
    /// The part of the name that carries it.
    text: String,
    /// The encoding, for staff.
    how: &'static str,
}

/// A maximal run of digits (or of hex digits) in the name, by byte range.
#[derive(Debug, Clone, Copy)]
struct Run<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

/// The maximal runs of bytes that `member` accepts.
fn runs(name: &str, member: fn(&u8) -> bool) -> Vec<Run<'_>> {
    let bytes = name.as_bytes();
    let mut found = Vec::new();
    let mut start = None;
    for i in 0..=bytes.len() {
        match (start, bytes.get(i).is_some_and(member)) {
            (None, true) => start = Some(i),
            (Some(from), false) => {
                found.push(Run {
                    text: &name[from..i],
                    start: from,
                    end: i,
                });
                start = None;
            }
            _ => {}
        }
    }
    found
}

/// The runs split into chains whose neighbours have exactly one `.` or `-` between them.
fn chains<'a>(name: &str, runs: &[Run<'a>]) -> Vec<Vec<Run<'a>>> {
    let mut chains: Vec<Vec<Run<'a>>> = Vec::new();
    for run in runs {
        let linked = chains
            .last()
            .and_then(|chain| chain.last())
            .is_some_and(|last| {
                let gap = &name[last.end..run.start];
                gap == "." || gap == "-"
            });
        match chains.last_mut() {
            Some(chain) if linked => chain.push(*run),
            _ => chains.push(vec![*run]),
        }
    }
    chains
}

/// Windows of `n` consecutive runs of one chain, with the text they span.
fn windows<'a, 'n>(
    name: &'n str,
    chains: &'a [Vec<Run<'n>>],
    n: usize,
) -> impl Iterator<Item = (&'a [Run<'n>], &'n str)> {
    chains
        .iter()
        .flat_map(move |chain| chain.windows(n))
        .map(move |window| {
            let span = &name[window[0].start..window[window.len() - 1].end];
            (window, span)
        })
}

/// Octet values in the order written, when all of `texts` are 1–3 digit numbers up to 255.
fn octets_of<'t>(texts: impl Iterator<Item = &'t str>) -> Option<Vec<u8>> {
    texts
        .map(|text| {
            if text.len() <= 3 {
                text.parse::<u8>().ok()
            } else {
                None
            }
        })
        .collect()
}

/// How four numbers as written relate to the address's octets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Forward,
    Reversed,
    Permuted,
}

/// The order of `written` against `octets`, when they are the same four values.
fn order_of(written: &[u8], octets: [u8; 4]) -> Option<Order> {
    let mut reversed = octets;
    reversed.reverse();
    let (mut sorted_written, mut sorted) = (written.to_vec(), octets);
    sorted_written.sort_unstable();
    sorted.sort_unstable();
    if written == octets {
        Some(Order::Forward)
    } else if written == reversed {
        Some(Order::Reversed)
    } else if sorted_written == sorted {
        Some(Order::Permuted)
    } else {
        None
    }
}

/// Where and how `name` carries the whole of `ip`, if it does.
fn embedded(name: &str, ip: IpAddr) -> Option<Embedded> {
    match ip {
        IpAddr::V4(v4) => embedded_v4(name, v4),
        IpAddr::V6(v6) => embedded_v6(name, v6),
    }
}

fn embedded_v4(name: &str, ip: Ipv4Addr) -> Option<Embedded> {
    let octets = ip.octets();
    let found = |text: &str, how: &'static str| {
        Some(Embedded {
            text: text.to_owned(),
            how,
        })
    };
    let digits = runs(name, u8::is_ascii_digit);
    // Four separate numbers: 203-0-113-45, 45.113.0.203, 203-000-113-045.
    for (window, span) in windows(name, &chains(name, &digits), 4) {
        let Some(written) = octets_of(window.iter().map(|run| run.text)) else {
            continue;
        };
        if let Some(order) = order_of(&written, octets) {
            let padded = window
                .iter()
                .any(|run| run.text.len() > 1 && run.text.starts_with('0'));
            let how = match (order, padded) {
                (Order::Forward, false) => "four numbers, in order",
                (Order::Reversed, false) => "four numbers, reversed",
                (Order::Permuted, false) => "four numbers, in another order",
                (Order::Forward, true) => "four zero-padded numbers, in order",
                (Order::Reversed, true) => "four zero-padded numbers, reversed",
                (Order::Permuted, true) => "four zero-padded numbers, in another order",
            };
            return found(span, how);
        }
    }
    let integer = u32::from(ip).to_string();
    for run in &digits {
        // Twelve digits: 203000113045, three per octet.
        if run.text.len() == 12 {
            let groups = (0..4).map(|i| &run.text[3 * i..3 * i + 3]);
            if octets_of(groups).is_some_and(|written| order_of(&written, octets).is_some()) {
                return found(run.text, "twelve digits, three per octet");
            }
        }
        // The address as one number: 3405803821 (never shorter than 8 digits for a public one).
        if run.text.len() >= 8 && run.text.trim_start_matches('0') == integer {
            return found(run.text, "the address as one decimal number");
        }
    }
    let hex = runs(name, u8::is_ascii_hexdigit);
    let forward = hex::encode(octets);
    let mut backward = octets;
    backward.reverse();
    let backward = hex::encode(backward);
    for run in &hex {
        // cb00712d, also after 0x (the x ends the run).
        if run.text == forward || run.text == backward {
            return found(run.text, "hexadecimal");
        }
    }
    // cb-00-71-2d: four hex pairs, at least one of them not a decimal number.
    for (window, span) in windows(name, &chains(name, &hex), 4) {
        let pairs = window.iter().all(|run| run.text.len() == 2);
        let has_letter = span.bytes().any(|b| b.is_ascii_alphabetic());
        let joined: String = window.iter().map(|run| run.text).collect();
        if pairs && has_letter && (joined == forward || joined == backward) {
            return found(span, "four hexadecimal octets");
        }
    }
    None
}

fn embedded_v6(name: &str, ip: Ipv6Addr) -> Option<Embedded> {
    let found = |text: &str, how: &'static str| {
        Some(Embedded {
            text: text.to_owned(),
            how,
        })
    };
    let full = hex::encode(ip.octets());
    let nibbles_backward: String = full.chars().rev().collect();
    let hex = runs(name, u8::is_ascii_hexdigit);
    for run in &hex {
        if run.text == full {
            return found(run.text, "32 hexadecimal digits");
        }
        if run.text == nibbles_backward {
            return found(run.text, "32 hexadecimal digits, reversed");
        }
    }
    // Nibbles one by one, as in ip6.arpa: 5.2.0.0.…, forward or reversed.
    for (window, span) in windows(name, &chains(name, &hex), 32) {
        if window.iter().all(|run| run.text.len() == 1) {
            let joined: String = window.iter().map(|run| run.text).collect();
            if joined == full {
                return found(span, "nibbles, in order");
            }
            if joined == nibbles_backward {
                return found(span, "nibbles, reversed");
            }
        }
    }
    // Hextets with dashes for colons, compressed or full: 2001-db8--25.
    let dashed = runs(name, |b| b.is_ascii_hexdigit() || *b == b'-');
    for run in &dashed {
        let parts: Vec<&str> = run.text.split('-').collect();
        for from in 0..parts.len() {
            for to in from + 1..=parts.len() {
                let text = parts[from..to].join(":");
                if text.parse::<Ipv6Addr>().is_ok_and(|parsed| parsed == ip) {
                    return found(&parts[from..to].join("-"), "hextets joined by dashes");
                }
            }
        }
    }
    None
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
    fn reasons(&self) -> String {
        let mut reasons = Vec::new();
        let listed = |singular: &str, plural: &str, items: &[String]| match items {
            [] => None,
            [one] => Some(format!("{singular} {one}")),
            many => Some(format!("{plural} {}", join_and(many))),
        };
        reasons.extend(
            listed("the number", "the numbers", &self.parts).map(|text| text + " of the address"),
        );
        let words: Vec<String> = self
            .dynamic_words
            .iter()
            .chain(&self.weak_words)
            .cloned()
            .collect();
        reasons.extend(listed("the word", "the words", &words));
        reasons.extend(listed(
            "the long number",
            "the long numbers",
            &self.long_runs,
        ));
        format!("it has {}", join_and(&reasons))
    }

    /// The score part by part, for staff.
    fn breakdown(&self) -> String {
        let count = |items: &[String]| u32::try_from(items.len()).unwrap_or(u32::MAX);
        let parts = [
            ("address numbers", &self.parts, self.part_points()),
            (
                "dynamic words",
                &self.dynamic_words,
                DYNAMIC_WORD_POINTS * count(&self.dynamic_words),
            ),
            (
                "weak words",
                &self.weak_words,
                WEAK_WORD_POINTS * count(&self.weak_words),
            ),
            (
                "long digit runs",
                &self.long_runs,
                LONG_RUN_POINTS * count(&self.long_runs),
            ),
        ];
        let shown = parts.iter().filter(|(_, items, _)| !items.is_empty());
        let shown: Vec<String> = shown
            .map(|(what, items, points)| format!("{what} {} +{points}", items.join(", ")))
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

/// "a", "a and b", "a, b and c".
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DefaultNamePattern;

    fn host(name: &str) -> Hostname {
        Hostname::parse(name).unwrap()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    /// The text of the name that `embeds-ip` blames, if any.
    fn blamed(name: &str, address: &str) -> Option<String> {
        let finding = embeds_ip(&host(name), ip(address))?;
        let text = finding.message.split("(as ").nth(1)?.split(')').next()?;
        Some(text.to_owned())
    }

    #[test]
    fn the_full_address_is_found_in_every_encoding() {
        let address = "203.0.113.45";
        for (name, text) in [
            ("203-0-113-45.example.com", "203-0-113-45"),
            ("45.113.0.203.example.com", "45.113.0.203"),
            ("mail.113-45-203-0.example.com", "113-45-203-0"),
            ("dhcp203-000-113-045.example.net", "203-000-113-045"),
            ("203000113045.example.com", "203000113045"),
            ("h3405803821.example.com", "3405803821"),
            ("0xcb00712d.dhcp.example.net", "cb00712d"),
            ("ipcb00712d.example.net", "cb00712d"),
            ("x-cb-00-71-2d.example.net", "cb-00-71-2d"),
            ("static.45.113.0.203.clients.your-server.de", "45.113.0.203"),
        ] {
            assert_eq!(blamed(name, address).as_deref(), Some(text), "{name}");
        }
    }

    #[test]
    fn the_message_says_where_the_address_is_and_what_to_do() {
        let finding = embeds_ip(&host("203-0-113-45.example.com"), ip("203.0.113.45")).unwrap();
        assert_eq!(
            finding.message,
            "The name contains the address 203.0.113.45 (as 203-0-113-45); mail servers treat \
             such names as dynamic. Use a name of your own, such as mail.example.com."
        );
        assert_eq!(finding.severity, Severity::Error);
    }

    #[test]
    fn numbers_that_merely_border_each_other_are_not_an_address() {
        let address = "203.0.113.45";
        for name in [
            "mail.example.com",
            "113-45.example.com",
            "0-113-45.example.com",
            "203-0-113-46.example.com",
            "2030-113-45.example.com",
            "1203-0-113-45x.example.com",
            "203x0-113-45.example.com",
            "203-0-113--45.example.com",
            "2203000113045.example.com",
            "dcb00712d.example.com",
            "cb00712d5.example.com",
        ] {
            assert_eq!(blamed(name, address), None, "{name}");
        }
    }

    #[test]
    fn ipv6_addresses_are_found_as_hextets_nibbles_and_hex() {
        let address = "2001:db8::25";
        let reversed = "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2";
        for name in [
            "2001-db8--25.example.net".to_owned(),
            "v6-2001-0db8-0000-0000-0000-0000-0000-0025.example.net".to_owned(),
            "h20010db8000000000000000000000025.example.net".to_owned(),
            format!("{reversed}.ip6.example.net"),
        ] {
            assert!(blamed(&name, address).is_some(), "{name}");
        }
        assert_eq!(blamed("2001-db8--26.example.net", address), None);
        assert_eq!(blamed("db8--25.example.net", address), None);
    }

    fn defaults() -> DefaultNames {
        let sample = ip("192.0.2.1");
        let v4 =
            DefaultNamePattern::parse("static.{reversed}.clients.example.net", sample).unwrap();
        DefaultNames { v4, v6: None }
    }

    #[test]
    fn the_default_name_offers_reset_to_default() {
        let name = host("static.45.113.0.203.clients.example.net");
        let finding = provider_default(&name, ip("203.0.113.45"), &defaults()).unwrap();
        assert_eq!(
            finding.message,
            "static.45.113.0.203.clients.example.net is the provider's default name of \
             203.0.113.45; to go back to it, use Reset to default instead."
        );
    }

    #[test]
    fn any_name_in_the_default_name_domain_is_refused() {
        for name in [
            "mail.clients.example.net",
            "clients.example.net",
            "static.1.2.3.4.clients.example.net",
        ] {
            let finding = provider_default(&host(name), ip("203.0.113.45"), &defaults());
            assert!(
                finding
                    .unwrap()
                    .message
                    .contains("use Reset to default instead"),
                "{name}"
            );
        }
        for name in [
            "mail.example.net",
            "myclients.example.net",
            "mail.example.com",
        ] {
            assert_eq!(
                provider_default(&host(name), ip("203.0.113.45"), &defaults()),
                None,
                "{name}"
            );
        }
    }

    fn warns(name: &str, address: &str) -> bool {
        generic_looking(&host(name), ip(address)).is_some()
    }

    #[test]
    fn partial_octets_and_dynamic_words_read_as_generated() {
        for name in [
            "dsl-113-45.pool.example.net",
            "113-45.example.com",
            "113.0.45.example.com",
            "client-45.example.com",
            "static-ip.example.com",
            "cust123456.example.com",
        ] {
            assert!(warns(name, "203.0.113.45"), "{name}");
        }
    }

    #[test]
    fn one_octet_one_word_or_the_customers_domain_do_not_warn() {
        for (name, address) in [
            ("mail-we0-f182.google.com", "74.125.82.182"),
            ("mx1.example.com", "203.0.113.1"),
            ("server1.example.com", "203.0.113.45"),
            ("pool.example.com", "203.0.113.45"),
            ("mail.dsl-113-45.com", "203.0.113.45"),
            ("mail.static-ip.co.uk", "203.0.113.45"),
            ("hostmaster.example.com", "203.0.113.45"),
            ("mail2024.example.com", "203.0.113.45"),
        ] {
            assert!(!warns(name, address), "{name}");
        }
    }

    #[test]
    fn the_generic_message_names_what_was_found() {
        let finding =
            generic_looking(&host("dsl-113-45.pool.example.net"), ip("203.0.113.45")).unwrap();
        assert_eq!(
            finding.message,
            "The name looks automatically generated (it has the numbers 113 and 45 of the address \
             and the words dsl and pool); mail servers often treat such names as dynamic. Use a \
             name of your own, such as mail.example.com."
        );
        assert_eq!(
            finding.details,
            ["score 7 (warns from 3): address numbers 113, 45 +3; dynamic words dsl, pool +4"]
        );
    }

    #[test]
    fn a_name_with_the_whole_address_is_left_to_embeds_ip() {
        assert!(!warns("pool-203-0-113-45.example.net", "203.0.113.45"));
        assert!(warns("pool-203-0-113-46.example.net", "203.0.113.45"));
    }

    #[test]
    fn ipv6_hextets_count_as_partial_numbers() {
        assert!(warns("db8-25.example.net", "2001:db8::25"));
        assert!(!warns("mail.example.net", "2001:db8::25"));
    }
}

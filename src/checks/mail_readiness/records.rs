//! MX, SPF and DMARC of the PTR's domain: present or absent, and their syntax (RFC 7208, RFC
//! 7489), nothing about what they allow.

use super::{Check, Line, Status};
use crate::checks::dns::{DnsChecker, Lookup, RData, RecordType};
use crate::i18n::{Text, t, t_args};

/// MX, SPF and DMARC of `domain`, asked in parallel.
pub(super) async fn domain_records(dns: &DnsChecker, domain: &str) -> Vec<Line> {
    let dmarc_name = format!("_dmarc.{domain}");
    let (mx, txt, dmarc) = tokio::join!(
        dns.lookup(domain, RecordType::MX),
        dns.lookup(domain, RecordType::TXT),
        dns.lookup(&dmarc_name, RecordType::TXT),
    );
    vec![
        mx_line(domain, mx),
        spf_line(domain, txt),
        dmarc_line(domain, &dmarc_name, dmarc),
    ]
}

fn unanswered(id: Check, name: &str, why: Text) -> Line {
    Line {
        id,
        status: Status::Unverified,
        message: t_args("rc-could-not-ask", &[("name", &name), ("why", &why)]),
        details: Vec::new(),
    }
}

fn mx_line(domain: &str, found: Result<Lookup, Text>) -> Line {
    let line = |status, message, details| Line {
        id: Check::Mx,
        status,
        message,
        details,
    };
    match found {
        Err(why) => unanswered(Check::Mx, domain, why),
        Ok(Lookup::Records(records)) => {
            let exchanges: Vec<String> = records
                .iter()
                .filter_map(|data| match data {
                    RData::MX(mx) => Some(format!(
                        "MX {} {}",
                        mx.preference,
                        mx.exchange.to_ascii().trim_end_matches('.')
                    )),
                    _ => None,
                })
                .collect();
            line(
                Status::Pass,
                t_args("rc-mx-found", &[("domain", &domain)]),
                exchanges,
            )
        }
        Ok(Lookup::NoData) => line(
            Status::Warning,
            t_args("rc-mx-none", &[("domain", &domain)]),
            Vec::new(),
        ),
        Ok(Lookup::NxDomain) => line(
            Status::Fail,
            t_args("rc-nxdomain", &[("domain", &domain)]),
            Vec::new(),
        ),
    }
}

/// The TXT records of `found` as strings (a record's character-strings joined).
fn texts(records: &[RData]) -> Vec<String> {
    records
        .iter()
        .filter_map(|data| match data {
            RData::TXT(txt) => Some(
                txt.txt_data
                    .iter()
                    .map(|part| String::from_utf8_lossy(part).into_owned())
                    .collect::<String>(),
            ),
            _ => None,
        })
        .collect()
}

/// Whether `text` begins with the version tag `tag` (case-insensitive), followed by the end
/// or `separator`.
fn tagged(text: &str, tag: &str, separator: char) -> bool {
    let text = text.trim_start();
    text.len() >= tag.len()
        && text[..tag.len()].eq_ignore_ascii_case(tag)
        && text[tag.len()..]
            .chars()
            .next()
            .is_none_or(|next| next == separator || (separator == ' ' && next.is_whitespace()))
}

fn spf_line(domain: &str, found: Result<Lookup, Text>) -> Line {
    let line = |status, message, details| Line {
        id: Check::Spf,
        status,
        message,
        details,
    };
    let records = match found {
        Err(why) => return unanswered(Check::Spf, domain, why),
        Ok(Lookup::NxDomain) => {
            return line(
                Status::Fail,
                t_args("rc-nxdomain", &[("domain", &domain)]),
                Vec::new(),
            );
        }
        Ok(Lookup::NoData) => Vec::new(),
        Ok(Lookup::Records(records)) => records,
    };
    let spf: Vec<String> = texts(&records)
        .into_iter()
        .filter(|text| tagged(text, "v=spf1", ' '))
        .collect();
    match spf.as_slice() {
        [] => line(
            Status::Fail,
            t_args("rc-spf-none", &[("domain", &domain)]),
            Vec::new(),
        ),
        [record] => match spf_problem(record) {
            None => line(
                Status::Pass,
                t_args("rc-spf-found", &[("domain", &domain)]),
                vec![format!("TXT \"{record}\"")],
            ),
            Some(problem) => line(
                Status::Fail,
                t_args(
                    "rc-spf-invalid",
                    &[("domain", &domain), ("problem", &problem)],
                ),
                vec![format!("TXT \"{record}\"")],
            ),
        },
        several => line(
            Status::Fail,
            t_args(
                "rc-spf-several",
                &[("domain", &domain), ("count", &several.len())],
            ),
            several
                .iter()
                .map(|text| format!("TXT \"{text}\""))
                .collect(),
        ),
    }
}

/// What is wrong with the syntax of an SPF record (RFC 7208, 12), if anything.
fn spf_problem(record: &str) -> Option<String> {
    const MECHANISMS: [&str; 8] = ["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"];
    for term in record.split_whitespace().skip(1) {
        let body = term.trim_start_matches(['+', '-', '~', '?']);
        if body.len() + 1 < term.len() {
            return Some(t_args("rc-spf-qualifiers", &[("term", &term)]));
        }
        let name_end = body.find([':', '/', '=']).unwrap_or(body.len());
        let (name, rest) = body.split_at(name_end);
        if rest.starts_with('=') {
            // A modifier: `redirect=`, `exp=` or one unknown to us (allowed).
            let valid = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !valid || rest.len() == 1 {
                return Some(t_args("rc-spf-not-modifier", &[("term", &term)]));
            }
            continue;
        }
        let name = name.to_ascii_lowercase();
        if !MECHANISMS.contains(&name.as_str()) {
            return Some(t_args("rc-spf-not-mechanism", &[("term", &term)]));
        }
        let value = rest.strip_prefix(':');
        let needs_value = matches!(name.as_str(), "include" | "exists" | "ip4" | "ip6");
        if needs_value && value.is_none_or(str::is_empty) {
            return Some(t_args("rc-spf-needs-value", &[("term", &term)]));
        }
        if name == "all" && !rest.is_empty() {
            return Some(t_args("rc-spf-all-value", &[("term", &term)]));
        }
        if let Some(value) = value
            && (name == "ip4" || name == "ip6")
        {
            let (address, prefix) = value.split_once('/').unwrap_or((value, ""));
            let parsed = match name.as_str() {
                "ip4" => address.parse::<std::net::Ipv4Addr>().is_ok(),
                _ => address.parse::<std::net::Ipv6Addr>().is_ok(),
            };
            let max = if name == "ip4" { 32 } else { 128 };
            let prefix_ok = prefix.is_empty() || prefix.parse::<u8>().is_ok_and(|bits| bits <= max);
            if !parsed || !prefix_ok {
                return Some(t_args(
                    "rc-spf-not-network",
                    &[("term", &term), ("name", &name)],
                ));
            }
        }
    }
    None
}

fn dmarc_line(domain: &str, name: &str, found: Result<Lookup, Text>) -> Line {
    let line = |status, message, details| Line {
        id: Check::Dmarc,
        status,
        message,
        details,
    };
    let records = match found {
        Err(why) => return unanswered(Check::Dmarc, name, why),
        Ok(Lookup::NxDomain | Lookup::NoData) => Vec::new(),
        Ok(Lookup::Records(records)) => records,
    };
    let dmarc: Vec<String> = texts(&records)
        .into_iter()
        .filter(|text| tagged(text, "v=DMARC1", ';'))
        .collect();
    match dmarc.as_slice() {
        [] => line(
            Status::Warning,
            t_args("rc-dmarc-none", &[("domain", &domain), ("name", &name)]),
            Vec::new(),
        ),
        [record] => match dmarc_problem(record) {
            None => line(
                Status::Pass,
                t_args("rc-dmarc-found", &[("domain", &domain)]),
                vec![format!("{name} TXT \"{record}\"")],
            ),
            Some(problem) => line(
                Status::Fail,
                t_args(
                    "rc-dmarc-invalid",
                    &[("domain", &domain), ("problem", &problem)],
                ),
                vec![format!("{name} TXT \"{record}\"")],
            ),
        },
        several => line(
            Status::Fail,
            t_args(
                "rc-dmarc-several",
                &[("name", &name), ("count", &several.len())],
            ),
            several
                .iter()
                .map(|text| format!("TXT \"{text}\""))
                .collect(),
        ),
    }
}

/// What is wrong with the syntax of a DMARC record (RFC 7489, 6.4), if anything.
fn dmarc_problem(record: &str) -> Option<String> {
    let mut policy = None;
    for (index, tag) in record.split(';').map(str::trim).enumerate() {
        if tag.is_empty() {
            continue;
        }
        let Some((name, value)) = tag.split_once('=') else {
            return Some(t_args("rc-dmarc-not-pair", &[("tag", &tag)]));
        };
        let (name, value) = (name.trim(), value.trim());
        if index == 0 {
            continue; // v=DMARC1, matched already
        }
        if name == "p" {
            policy = Some(value.to_ascii_lowercase());
        }
    }
    match policy.as_deref() {
        Some("none" | "quarantine" | "reject") => None,
        Some(other) => Some(t_args("rc-dmarc-bad-policy", &[("policy", &other)])),
        None => Some(t("rc-dmarc-no-policy")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spf_syntax_is_read_term_by_term() {
        assert_eq!(
            spf_problem(
                "v=spf1 mx ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.example.com ~all"
            ),
            None
        );
        assert_eq!(spf_problem("v=spf1 redirect=_spf.example.com"), None);
        assert!(spf_problem("v=spf1 ip4:192.0.2.300 -all").is_some());
        assert!(spf_problem("v=spf1 include -all").is_some());
        assert!(spf_problem("v=spf1 mx allow").is_some());
    }

    #[test]
    fn dmarc_needs_a_policy() {
        assert_eq!(
            dmarc_problem("v=DMARC1; p=reject; rua=mailto:d@example.com"),
            None
        );
        assert!(dmarc_problem("v=DMARC1; rua=mailto:d@example.com").is_some());
        assert!(dmarc_problem("v=DMARC1; p=maybe").is_some());
        assert!(tagged("v=DMARC1; p=none", "v=DMARC1", ';'));
        assert!(tagged("V=spf1 -all", "v=spf1", ' '));
        assert!(!tagged("v=spf10 -all", "v=spf1", ' '));
    }
}

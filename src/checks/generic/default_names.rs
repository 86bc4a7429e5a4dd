//! How receivers are likely to read the provider's own default names (the admin policy page):
//! every default name carries its address and so looks generated (`generic-looking`), but its
//! words say what kind of space it is. `static.4.3.2.1.clients.example.net` marks static
//! hosting; `dsl-1-2-3-4.pool.example.net` invites listings of dynamic space (Spamhaus PBL
//! and the like) and refusals by mail servers that turn away home connections.

use super::{GENERIC_THRESHOLD, Score, customer_part, join_and};
use crate::domain::{DefaultNamePattern, Hostname};
use std::net::IpAddr;

/// Words that mark an address as dynamic or residential (access technologies, address pools).
#[rustfmt::skip]
const DYNAMIC_MARKS: &[&str] = &[
    "dsl", "adsl", "vdsl", "xdsl", "sdsl", "cable", "cpe", "broadband", "fiber", "fibre", "ftth",
    "fttb", "fttc", "dial", "dialup", "dialin", "ppp", "pppoe", "pptp", "modem", "wireless",
    "wlan", "lte", "mobile", "gprs", "pool", "dyn", "dyna", "dynamic", "dynip", "dinamico",
    "dinamica", "dinamic", "dhcp", "nat", "cgnat", "res", "resident", "residential",
];

/// Words that mark an address as statically assigned hosting.
#[rustfmt::skip]
const STATIC_MARKS: &[&str] = &[
    "static", "server", "servers", "srv", "host", "hosted", "hosting", "vps", "dedicated", "colo",
];

/// What the words of a default name say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Statically assigned (hosting): what a provider of servers wants.
    Static,
    /// Dynamic or residential: invites listings as dynamic space.
    Dynamic,
    /// Neither: receivers guess.
    Unmarked,
}

/// The reading of one default-name pattern.
#[derive(Debug, Clone)]
pub struct Reading {
    /// The pattern as configured.
    pub pattern: String,
    /// The default name of a sample address.
    pub sample: String,
    /// The `generic-looking` score of that name, the address counted like any numbers.
    pub score: u32,
    /// The score from which `generic-looking` warns.
    pub threshold: u32,
    /// What the score is made of.
    pub breakdown: String,
    /// What the words say.
    pub kind: Kind,
    /// The words that say it.
    pub marks: Vec<String>,
    /// What to change, in a sentence; `None` when nothing needs to.
    pub suggestion: Option<String>,
}

impl Reading {
    /// The kind as the page names it.
    pub fn kind_text(&self) -> String {
        crate::i18n::t(match self.kind {
            Kind::Static => "default-name-static",
            Kind::Dynamic => "default-name-dynamic",
            Kind::Unmarked => "default-name-unmarked",
        })
    }

    /// One sentence on what receivers make of it.
    pub fn verdict(&self) -> String {
        let marks = join_and(&self.marks);
        let key = match self.kind {
            Kind::Static => "default-name-static-verdict",
            Kind::Dynamic => "default-name-dynamic-verdict",
            Kind::Unmarked => "default-name-unmarked-verdict",
        };
        crate::i18n::t_args(key, &[("marks", &marks), ("count", &self.marks.len())])
    }
}

/// Reads `pattern` as receivers would, on the default name of `sample`.
pub fn read(pattern: &DefaultNamePattern, sample: IpAddr) -> Reading {
    let name = pattern.render(sample);
    let (score, breakdown, words) = match Hostname::parse(&name) {
        Ok(hostname) => {
            let part = customer_part(&hostname);
            let score = Score::of(&part, sample);
            let words: Vec<String> = part
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|word| !word.is_empty())
                .map(str::to_owned)
                .collect();
            (score.total(), score.breakdown(), words)
        }
        Err(_) => (0, String::new(), Vec::new()),
    };
    let marked = |list: &[&str]| {
        let mut found: Vec<String> = Vec::new();
        for word in &words {
            if list.contains(&word.as_str()) && !found.contains(word) {
                found.push(word.clone());
            }
        }
        found
    };
    let dynamic = marked(DYNAMIC_MARKS);
    let fixed = marked(STATIC_MARKS);
    let (kind, marks) = if !dynamic.is_empty() {
        (Kind::Dynamic, dynamic)
    } else if !fixed.is_empty() {
        (Kind::Static, fixed)
    } else {
        (Kind::Unmarked, Vec::new())
    };
    let suggestion = match kind {
        Kind::Static => None,
        Kind::Dynamic | Kind::Unmarked => Some(crate::i18n::t_args(
            "default-name-suggestion",
            &[
                (
                    "setting",
                    &format!(
                        "default_name_{}",
                        if sample.is_ipv4() { "v4" } else { "v6" }
                    ),
                ),
                ("pattern", &suggested(pattern)),
            ],
        )),
    };
    Reading {
        pattern: pattern.as_str().to_owned(),
        sample: name,
        score,
        threshold: GENERIC_THRESHOLD,
        breakdown,
        kind,
        marks,
        suggestion,
    }
}

/// `static.{reversed}.` before the pattern's domain without its dynamic words
/// (`dsl-{dashed}.pool.example.net` → `static.{reversed}.example.net`).
fn suggested(pattern: &DefaultNamePattern) -> String {
    let domain = pattern.domain().unwrap_or("your-provider.net");
    let labels: Vec<&str> = domain
        .split('.')
        .filter(|label| !label.split('-').any(|word| DYNAMIC_MARKS.contains(&word)))
        .collect();
    let domain = if labels.len() >= 2 {
        labels.join(".")
    } else {
        domain.to_owned()
    };
    format!("static.{{reversed}}.{domain}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(pattern: &str) -> Reading {
        let sample: IpAddr = "203.0.113.45".parse().unwrap();
        read(&DefaultNamePattern::parse(pattern, sample).unwrap(), sample)
    }

    #[test]
    fn a_static_default_reads_as_static_hosting_and_needs_no_change() {
        let read = reading("static.{reversed}.clients.example.net");

        assert_eq!(read.sample, "static.45.113.0.203.clients.example.net");
        assert_eq!(read.kind, Kind::Static);
        assert_eq!(read.marks, ["static"]);
        assert!(read.score >= read.threshold, "{read:?}");
        assert_eq!(read.suggestion, None);
    }

    #[test]
    fn a_dsl_pool_default_reads_as_dynamic_and_static_is_suggested() {
        let read = reading("dsl-{dashed}.pool.example.net");

        assert_eq!(read.kind, Kind::Dynamic);
        assert_eq!(read.marks, ["dsl", "pool"]);
        assert_eq!(
            read.suggestion.as_deref(),
            Some(
                "Mark the space as static hosting, e.g. default_name_v4 = \"static.{reversed}.example.net\"."
            )
        );
        assert!(
            read.verdict()
                .starts_with("The words dsl and pool mark the space as dynamic")
        );
    }

    #[test]
    fn a_default_without_a_marking_word_is_unmarked() {
        let read = reading("ip-{dashed}.example.net");

        assert_eq!(read.kind, Kind::Unmarked);
        assert_eq!(
            read.suggestion.as_deref(),
            Some(
                "Mark the space as static hosting, e.g. default_name_v4 = \"static.{reversed}.example.net\"."
            )
        );
    }
}

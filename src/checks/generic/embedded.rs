//! Finding a whole address inside a name: numbers are read as maximal runs of digits (or hex
//! digits), and runs count as one address only across a single `.` or `-`.

use super::*;
/// How an address was found in a name.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Embedded {
    /// The part of the name that carries it.
    pub(super) text: String,
    /// The encoding, for staff.
    pub(super) how: &'static str,
}

/// A maximal run of digits (or of hex digits) in the name, by byte range.
#[derive(Debug, Clone, Copy)]
pub(super) struct Run<'a> {
    pub(super) text: &'a str,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// The maximal runs of bytes that `member` accepts.
pub(super) fn runs(name: &str, member: fn(&u8) -> bool) -> Vec<Run<'_>> {
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
pub(super) fn chains<'a>(name: &str, runs: &[Run<'a>]) -> Vec<Vec<Run<'a>>> {
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
pub(super) fn windows<'a, 'n>(
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
pub(super) fn octets_of<'t>(texts: impl Iterator<Item = &'t str>) -> Option<Vec<u8>> {
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
pub(super) enum Order {
    Forward,
    Reversed,
    Permuted,
}

/// The order of `written` against `octets`, when they are the same four values.
pub(super) fn order_of(written: &[u8], octets: [u8; 4]) -> Option<Order> {
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
pub(super) fn embedded(name: &str, ip: IpAddr) -> Option<Embedded> {
    match ip {
        IpAddr::V4(v4) => embedded_v4(name, v4),
        IpAddr::V6(v6) => embedded_v6(name, v6),
    }
}

pub(super) fn embedded_v4(name: &str, ip: Ipv4Addr) -> Option<Embedded> {
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

pub(super) fn embedded_v6(name: &str, ip: Ipv6Addr) -> Option<Embedded> {
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

//! Every row of the shared test vectors (`tests/testdata/hostnames.tsv`,
//! `tests/testdata/generic-names.tsv` and `tests/testdata/idn-names.tsv`) through
//! `Engine::offline`: the verdict must match and the finding the row names must be present.

use super::Engine;
use super::policy::Policy;
use crate::domain::{DefaultNamePattern, DefaultNames};
use std::net::IpAddr;
use std::time::Duration;

const HOSTNAMES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/testdata/hostnames.tsv"
));
const GENERIC_NAMES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/testdata/generic-names.tsv"
));
const IDN_NAMES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/testdata/idn-names.tsv"
));

/// The address `hostnames.tsv` and `idn-names.tsv` are checked for.
const HOSTNAMES_IP: &str = "192.0.2.10";

/// An offline engine whose default names (under `clients.example.net`) meet no row, so that
/// `static.45.113.0.203.clients.your-server.de` is judged by `embeds-ip` alone.
fn engine() -> Engine {
    let sample: IpAddr = HOSTNAMES_IP.parse().unwrap();
    let v4 = DefaultNamePattern::parse("static.{reversed}.clients.example.net", sample).unwrap();
    let policy = Policy::new(DefaultNames { v4, v6: None });
    Engine::new(policy, None, Duration::from_secs(3))
}

/// The engine of `idn-names.tsv`: [`engine`] with the protected domain and the brands its
/// header names.
fn engine_with_originals() -> Engine {
    let mut policy = (*engine().policy()).clone();
    policy.protected_domains = vec!["your-server.de".to_owned()];
    policy.brand_domains = [
        "paypal.com",
        "google.com",
        "apple.com",
        "microsoft.com",
        "amazon.com",
    ]
    .map(str::to_owned)
    .to_vec();
    Engine::new(policy, None, Duration::from_secs(3))
}

/// What is wrong with the engine's answer for one row, if anything: the verdict, the finding
/// that must be present (`id`), and for `ok` rows of `hostnames.tsv` the canonical form.
fn problem(
    engine: &Engine,
    ip: IpAddr,
    input: &str,
    verdict: &str,
    id: &str,
    canonical: Option<&str>,
) -> Option<String> {
    let report = engine.offline(ip, input);
    let found: Vec<String> = report
        .findings
        .iter()
        .map(|f| format!("{} {}: {}", f.severity.as_str(), f.id.as_str(), f.message))
        .collect();
    let mut problems = Vec::new();
    if report.verdict().as_str() != verdict {
        problems.push(format!(
            "verdict {} instead of {verdict}",
            report.verdict().as_str()
        ));
    }
    if !id.is_empty()
        && !report
            .findings
            .iter()
            .any(|finding| finding.id.as_str() == id)
    {
        problems.push(format!("no {id} finding"));
    }
    let ascii = report.hostname.as_ref().map(|hostname| hostname.as_ascii());
    if let Some(canonical) = canonical
        && ascii != Some(canonical)
    {
        problems.push(format!("canonical {ascii:?} instead of {canonical}"));
    }
    (!problems.is_empty())
        .then(|| format!("{} [found: {}]", problems.join(", "), found.join(" | ")))
}

/// The data rows of a vector file, by line number, split on tabs only (a column may be empty
/// or end with a space).
fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    let lines = text.lines().zip(1..);
    let data = lines.filter(|(line, _)| !line.starts_with('#') && !line.is_empty());
    data.map(|(line, number)| (number, line.split('\t').collect()))
}

/// The failures among the rows of `text` (columns as in `hostnames.tsv`), and how many rows
/// were read.
fn hostname_rows(engine: &Engine, file: &str, text: &str) -> (Vec<String>, usize) {
    let ip = HOSTNAMES_IP.parse().unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (number, columns) in rows(text) {
        let [input, verdict, expected, ..] = columns.as_slice() else {
            failures.push(format!("line {number}: malformed row {columns:?}"));
            continue;
        };
        // The third column is the canonical form on `ok` rows, else the finding id.
        let (id, canonical) = if *verdict == "ok" {
            ("", Some(*expected))
        } else {
            (*expected, None)
        };
        if let Some(problem) = problem(engine, ip, input, verdict, id, canonical) {
            failures.push(format!("{file} line {number}: {input:?}: {problem}"));
        }
        checked += 1;
    }
    (failures, checked)
}

#[test]
fn every_row_of_hostnames_tsv_gets_its_verdict_and_finding() {
    let (failures, checked) = hostname_rows(&engine(), "hostnames.tsv", HOSTNAMES);
    assert!(checked >= 40, "only {checked} rows read");
    assert!(
        failures.is_empty(),
        "rows that fail:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_row_of_generic_names_tsv_gets_its_verdict_and_finding() {
    let engine = engine();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (number, columns) in rows(GENERIC_NAMES) {
        let [input, ip, verdict, id, ..] = columns.as_slice() else {
            failures.push(format!("line {number}: malformed row {columns:?}"));
            continue;
        };
        let Ok(ip) = ip.parse::<IpAddr>() else {
            failures.push(format!(
                "generic-names.tsv line {number}: {ip:?} is not an address"
            ));
            continue;
        };
        if let Some(problem) = problem(&engine, ip, input, verdict, id, None) {
            failures.push(format!(
                "generic-names.tsv line {number}: {input:?} for {ip}: {problem}"
            ));
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} rows read");
    assert!(
        failures.is_empty(),
        "rows that fail:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_row_of_idn_names_tsv_gets_its_verdict_and_finding() {
    let (failures, _) = hostname_rows(&engine_with_originals(), "idn-names.tsv", IDN_NAMES);
    let confusable = rows(IDN_NAMES)
        .filter(|(_, columns)| columns.get(2) == Some(&"confusable"))
        .count();
    let fine_idn = rows(IDN_NAMES)
        .filter(|(_, columns)| columns.get(1) == Some(&"ok") && !columns[0].is_ascii())
        .count();
    assert!(confusable >= 20, "only {confusable} confusable rows");
    assert!(fine_idn >= 20, "only {fine_idn} rows of fine IDNs");
    assert!(
        failures.is_empty(),
        "rows that fail:\n{}",
        failures.join("\n")
    );
}

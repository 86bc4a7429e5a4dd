//! Benchmarks of the check engine: `cargo bench --bench checks`.
//!
//! - `offline`: every row of both test-vector files through `Engine::offline` on one core;
//!   criterion reports hostnames per second.
//! - `offline/idn names with brands`: every row of `idn-names.tsv` (confusable and fine
//!   internationalised names) with a protected domain and 50 brands, the worst case of the
//!   `confusable` check's skeleton comparisons.
//! - `live-check`: one full check (offline rules, then `domain-exists` and `forward-confirmed`
//!   in parallel) against a real DNS server on loopback (in-process hickory-server), the
//!   latency a customer waits for after typing.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ptrdesk::checks::policy::Policy;
use ptrdesk::checks::{Engine, Verdict};
use ptrdesk::config::Settings;
use std::hint::black_box;
use std::net::IpAddr;
use std::time::Duration;

#[allow(dead_code)]
#[path = "../tests/api/helpers/dns_server.rs"]
mod dns_server;

/// (IP, hostname) of every row of both test-vector files.
fn vectors() -> Vec<(IpAddr, String)> {
    let hostnames = include_str!("../tests/testdata/hostnames.tsv");
    let generic = include_str!("../tests/testdata/generic-names.tsv");
    let fixed_ip: IpAddr = "192.0.2.10".parse().expect("an address");
    let rows = |text: &'static str| text.lines().filter(|line| !line.starts_with('#'));
    rows(hostnames)
        .map(|line| {
            (
                fixed_ip,
                line.split('\t').next().unwrap_or_default().to_owned(),
            )
        })
        .chain(rows(generic).filter_map(|line| {
            let mut fields = line.split('\t');
            let name = fields.next()?.to_owned();
            Some((fields.next()?.parse().ok()?, name))
        }))
        .collect()
}

fn offline(c: &mut Criterion) {
    let settings = Settings::default();
    let engine = Engine::new(
        Policy::new(settings.default_names().expect("default names")),
        None,
        Duration::from_secs(3),
    );
    let rows = vectors();
    let mut group = c.benchmark_group("offline");
    group.throughput(Throughput::Elements(rows.len() as u64));
    group.bench_function("all test vectors", |b| {
        b.iter(|| {
            for (ip, name) in &rows {
                black_box(engine.offline(*ip, name));
            }
        })
    });
    group.finish();
}

fn offline_idn(c: &mut Criterion) {
    let settings = Settings::default();
    let mut policy = Policy::new(settings.default_names().expect("default names"));
    policy.protected_domains = vec!["your-server.de".to_owned()];
    policy.brand_domains = (0..50).map(|n| format!("brand{n}-example.com")).collect();
    policy.brand_domains.push("paypal.com".to_owned());
    let engine = Engine::new(policy, None, Duration::from_secs(3));
    let fixed_ip: IpAddr = "192.0.2.10".parse().expect("an address");
    let names: Vec<&str> = include_str!("../tests/testdata/idn-names.tsv")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split('\t').next())
        .collect();
    let mut group = c.benchmark_group("offline");
    group.throughput(Throughput::Elements(names.len() as u64));
    group.bench_function("idn names with brands", |b| {
        b.iter(|| {
            for name in &names {
                black_box(engine.offline(fixed_ip, name));
            }
        })
    });
    group.finish();
}

fn live_check(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let server = runtime.block_on(dns_server::DnsServer::serving([
        dns_server::Zone::new("net"),
        dns_server::Zone::new("bench-hosting.net").a("mail.bench-hosting.net", "203.0.113.45"),
    ]));
    // Resolver mode: the loopback server is asked directly (authoritative mode would walk
    // from the real root servers, which a benchmark must never ask).
    let settings = Settings {
        dns_servers: vec![server.address.to_string()],
        check_mode: ptrdesk::domain::CheckMode::Resolver,
        ..Settings::default()
    };
    let engine = ptrdesk::checks::Engine::from_settings(&settings).expect("an engine");
    let ip: IpAddr = "203.0.113.45".parse().expect("an address");
    let report = runtime.block_on(engine.check(ip, "mail.bench-hosting.net"));
    assert_eq!(report.verdict(), Verdict::Ok, "{report:#?}");
    c.bench_function("live-check/full check against a loopback DNS server", |b| {
        b.iter(|| runtime.block_on(engine.check(ip, black_box("mail.bench-hosting.net"))))
    });
}

criterion_group!(benches, offline, offline_idn, live_check);
criterion_main!(benches);

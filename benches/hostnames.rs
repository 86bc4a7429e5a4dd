//! Benchmarks of hostname handling on one core: `cargo bench --bench hostnames`.
//!
//! - `parse`: `Hostname::parse` (syntax, IDNA to ASCII, case folding) over every name of both
//!   test-vector files, and over 10,000 names as `ptrdesk seed` makes them (the everyday kind:
//!   `www.nord-hosting-004711.de`);
//! - `offline`: the whole offline check (`Engine::offline`: parse plus every offline rule)
//!   over those 10,000 names, each with its own address.
//!
//! Criterion reports hostnames per second; issue #8's target for the offline checks is
//! 200,000 per second per core.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ptrdesk::checks::Engine;
use ptrdesk::checks::policy::Policy;
use ptrdesk::config::Settings;
use ptrdesk::domain::Hostname;
use ptrdesk::seed::names;
use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

/// The first column of both test-vector files.
fn vector_names() -> Vec<String> {
    let hostnames = include_str!("../tests/testdata/hostnames.tsv");
    let generic = include_str!("../tests/testdata/generic-names.tsv");
    hostnames
        .lines()
        .chain(generic.lines())
        .filter(|line| !line.starts_with('#'))
        .map(|line| line.split('\t').next().unwrap_or_default().to_owned())
        .collect()
}

/// 10,000 (address, name) pairs as the seed makes them: 100 customers' domains, 100 names each.
fn seeded_names() -> Vec<(IpAddr, String)> {
    (0..10_000u32)
        .map(|n| {
            let ip = IpAddr::V4(Ipv4Addr::from(u32::from(Ipv4Addr::new(100, 64, 0, 0)) + n));
            let domain = names::customer_domain(u64::from(n / 100));
            (ip, names::hostname(u64::from(n % 100), &domain))
        })
        .collect()
}

fn parse(c: &mut Criterion) {
    let vectors = vector_names();
    let seeded: Vec<String> = seeded_names().into_iter().map(|(_, name)| name).collect();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Elements(vectors.len() as u64));
    group.bench_function("test vectors", |b| {
        b.iter(|| {
            for name in &vectors {
                let _ = black_box(Hostname::parse(black_box(name)));
            }
        })
    });
    group.throughput(Throughput::Elements(seeded.len() as u64));
    group.bench_function("seeded names", |b| {
        b.iter(|| {
            for name in &seeded {
                let _ = black_box(Hostname::parse(black_box(name)));
            }
        })
    });
    group.finish();
}

fn offline(c: &mut Criterion) {
    let settings = Settings::default();
    let engine = Engine::new(
        Policy::new(settings.default_names().expect("default names")),
        None,
        Duration::from_secs(3),
    );
    let seeded = seeded_names();
    let mut group = c.benchmark_group("offline");
    group.throughput(Throughput::Elements(seeded.len() as u64));
    group.bench_function("seeded names", |b| {
        b.iter(|| {
            for (ip, name) in &seeded {
                black_box(engine.offline(*ip, name));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, parse, offline);
criterion_main!(benches);

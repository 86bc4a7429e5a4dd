//! The Prometheus metrics of the process (`GET /metrics`, see [`crate::routes::metrics`]):
//! HTTP requests, checks and their findings, DNS answers, NOTIFY and zone transfers, the
//! changes by state (read from the database at scrape time), and the DNS zone store (its size,
//! generation and staleness, read from it at scrape time).
//!
//! The registry is global, one per process: the counters are bumped deep inside the check
//! engine, the DNS server and the NOTIFY tasks, which also run outside the web app (the
//! `check` command, benchmarks), and passing a handle through every one of those layers would
//! add a parameter everywhere for nothing a user sees. One process serves one panel; the test
//! suite runs under nextest, one process per test, so tests never see each other's counts.
//!
//! Policy: every label has a bounded set of values (route *patterns*, never raw paths;
//! methods, query types and response codes outside the usual ones become `other`), so a
//! client cannot grow the number of series.

use crate::domain::ChangeState;
use crate::domain::finding::{Finding, Verdict};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::LazyLock;
use std::time::Duration;

/// The `Content-Type` of [`encode`]'s output (Prometheus text format 0.0.4).
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

/// Upper bounds of the request latency buckets, in seconds.
const LATENCY_BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Every state a change can be in, so that a state with no change reads 0 rather than
/// keeping its last value.
const STATES: [ChangeState; 5] = [
    ChangeState::Published,
    ChangeState::Pending,
    ChangeState::Rejected,
    ChangeState::InReview,
    ChangeState::Denied,
];

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    route: String,
    method: &'static str,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CheckLabels {
    kind: &'static str,
    verdict: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FindingLabels {
    finding: &'static str,
    severity: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DnsLabels {
    qtype: &'static str,
    rcode: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct NotifyLabels {
    secondary: String,
    outcome: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SecondaryLabels {
    secondary: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TransferLabels {
    kind: &'static str,
    outcome: &'static str,
}

type LatencyFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// A gauge that is left out while it has nothing to say (no zone store on this node): a
/// family with one label-less series.
type OptionalGauge = Family<Vec<(String, String)>, Gauge<f64, std::sync::atomic::AtomicU64>>;

struct Metrics {
    registry: Registry,
    http_requests: Family<HttpLabels, Counter>,
    http_duration: LatencyFamily,
    checks: Family<CheckLabels, Counter>,
    findings: Family<FindingLabels, Counter>,
    dns_queries: Family<DnsLabels, Counter>,
    changes: Family<StateLabels, Gauge>,
    /// No labels: a family only so that it can be left out when the database did not answer.
    entries_drifting: Family<Vec<(String, String)>, Gauge>,
    notify_attempts: Family<NotifyLabels, Counter>,
    notify_given_up: Family<SecondaryLabels, Counter>,
    zone_transfers: Family<TransferLabels, Counter>,
    store_entries: OptionalGauge,
    store_generation: OptionalGauge,
    store_reached_ago: OptionalGauge,
    store_stale: OptionalGauge,
    dnssec_zones: OptionalGauge,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("ptrdesk");
    let http_requests = Family::default();
    registry.register(
        "http_requests",
        "HTTP requests answered, by route pattern, method and status",
        http_requests.clone(),
    );
    let http_duration: LatencyFamily =
        Family::new_with_constructor(|| Histogram::new(LATENCY_BUCKETS));
    registry.register(
        "http_request_duration_seconds",
        "Time from the request to its response, by route pattern",
        http_duration.clone(),
    );
    let checks = Family::default();
    registry.register(
        "checks",
        "Hostname checks run by the engine, by kind (offline, full) and verdict",
        checks.clone(),
    );
    let findings = Family::default();
    registry.register(
        "check_findings",
        "Findings of the checks run, by finding id and severity",
        findings.clone(),
    );
    let dns_queries = Family::default();
    registry.register(
        "dns_queries",
        "DNS requests answered by the embedded server, by query type and response code",
        dns_queries.clone(),
    );
    let changes = Family::default();
    registry.register(
        "changes",
        "Requested changes not replaced by a newer request, by state (read at scrape time)",
        changes.clone(),
    );
    let entries_drifting = Family::default();
    registry.register(
        "entries_drifting",
        "Published entries that fail their checks since they were re-verified (read at scrape time)",
        entries_drifting.clone(),
    );
    let notify_attempts = Family::default();
    registry.register(
        "notify_attempts",
        "NOTIFY messages sent to a secondary, by outcome (answered, timeout, failed, refused)",
        notify_attempts.clone(),
    );
    let notify_given_up = Family::default();
    registry.register(
        "notify_given_up",
        "Serials whose NOTIFY to a secondary was given up after its deadline",
        notify_given_up.clone(),
    );
    let zone_transfers = Family::default();
    registry.register(
        "zone_transfers",
        "Zone transfer requests, by kind (axfr, ixfr) and outcome",
        zone_transfers.clone(),
    );
    let gauge = |registry: &mut Registry, name: &str, help: &str| {
        let gauge = OptionalGauge::default();
        registry.register(name, help, gauge.clone());
        gauge
    };
    let store_entries = gauge(
        &mut registry,
        "dns_store_entries",
        "Entries (customer PTRs and reset addresses) held by this node's DNS zone store",
    );
    let store_generation = gauge(
        &mut registry,
        "dns_store_generation",
        "The DNS generation this node's zone store is current with",
    );
    let store_reached_ago = gauge(
        &mut registry,
        "dns_store_last_reached_seconds",
        "Seconds since this node's zone store last reached the database",
    );
    let store_stale = gauge(
        &mut registry,
        "dns_store_stale",
        "1 while this node's zone store cannot follow the database (DNS answers what it last knew)",
    );
    let dnssec_zones = gauge(
        &mut registry,
        "dnssec_signed_zones",
        "Zones this node signs (dnssec = true), with a KSK and an active ZSK",
    );
    Metrics {
        registry,
        store_entries,
        store_generation,
        store_reached_ago,
        store_stale,
        dnssec_zones,
        http_requests,
        http_duration,
        checks,
        findings,
        dns_queries,
        changes,
        entries_drifting,
        notify_attempts,
        notify_given_up,
        zone_transfers,
    }
});

/// Counts one answered HTTP request; `route` is the matched pattern (`/admin/review/{id}`).
pub fn http_request(route: &str, method: &str, status: u16, took: Duration) {
    let route = route.to_owned();
    METRICS
        .http_duration
        .get_or_create(&RouteLabels {
            route: route.clone(),
        })
        .observe(took.as_secs_f64());
    METRICS
        .http_requests
        .get_or_create(&HttpLabels {
            route,
            method: method_label(method),
            status,
        })
        .inc();
}

/// The method as a label: the common ones by name, anything else as `other` (a client may
/// send any token as a method; the labels must stay few).
fn method_label(method: &str) -> &'static str {
    ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
        .into_iter()
        .find(|known| *known == method)
        .unwrap_or("other")
}

/// How deep a counted check went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckKind {
    /// `syntax` and the offline rules (live feedback while typing).
    Offline,
    /// Every check but `mail-banner`, DNS included.
    Full,
}

/// Counts one check run by the engine: its verdict and each of its findings.
pub fn check(kind: CheckKind, findings: &[Finding]) {
    let kind = match kind {
        CheckKind::Offline => "offline",
        CheckKind::Full => "full",
    };
    METRICS
        .checks
        .get_or_create(&CheckLabels {
            kind,
            verdict: Verdict::of(findings).as_str(),
        })
        .inc();
    for found in findings {
        finding(found);
    }
}

/// Counts one finding (also the `mail-banner` finding, which is not part of a report).
pub fn finding(finding: &Finding) {
    METRICS
        .findings
        .get_or_create(&FindingLabels {
            finding: finding.id.as_str(),
            severity: finding.severity.as_str(),
        })
        .inc();
}

/// Counts one DNS request answered: its first question's type and the response code.
pub fn dns_query(
    qtype: Option<hickory_server::proto::rr::RecordType>,
    rcode: hickory_server::proto::op::ResponseCode,
) {
    use hickory_server::proto::op::ResponseCode;
    use hickory_server::proto::rr::RecordType;
    let qtype = match qtype {
        Some(RecordType::PTR) => "PTR",
        Some(RecordType::SOA) => "SOA",
        Some(RecordType::NS) => "NS",
        Some(RecordType::ANY) => "ANY",
        Some(RecordType::AXFR) => "AXFR",
        Some(RecordType::IXFR) => "IXFR",
        Some(RecordType::A) => "A",
        Some(RecordType::AAAA) => "AAAA",
        Some(RecordType::TXT) => "TXT",
        Some(RecordType::MX) => "MX",
        Some(_) => "other",
        None => "none",
    };
    let rcode = match rcode {
        ResponseCode::NoError => "NOERROR",
        ResponseCode::NXDomain => "NXDOMAIN",
        ResponseCode::Refused => "REFUSED",
        ResponseCode::ServFail => "SERVFAIL",
        ResponseCode::NotImp => "NOTIMP",
        ResponseCode::FormErr => "FORMERR",
        ResponseCode::NotAuth => "NOTAUTH",
        _ => "other",
    };
    METRICS
        .dns_queries
        .get_or_create(&DnsLabels { qtype, rcode })
        .inc();
}

/// How one NOTIFY message to a secondary ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotifyOutcome {
    /// Answered NOERROR or NOTIMP: done.
    Answered,
    /// No answer within the deadline.
    Timeout,
    /// The exchange failed (network, TSIG of the answer).
    Failed,
    /// Answered with an error code.
    Refused,
}

/// Counts one NOTIFY message to `secondary` (a configured address: a bounded set).
pub fn notify_attempt(secondary: std::net::SocketAddr, outcome: NotifyOutcome) {
    let outcome = match outcome {
        NotifyOutcome::Answered => "answered",
        NotifyOutcome::Timeout => "timeout",
        NotifyOutcome::Failed => "failed",
        NotifyOutcome::Refused => "refused",
    };
    METRICS
        .notify_attempts
        .get_or_create(&NotifyLabels {
            secondary: secondary.to_string(),
            outcome,
        })
        .inc();
}

/// Counts one serial whose NOTIFY to `secondary` was given up.
pub fn notify_given_up(secondary: std::net::SocketAddr) {
    METRICS
        .notify_given_up
        .get_or_create(&SecondaryLabels {
            secondary: secondary.to_string(),
        })
        .inc();
}

/// How one zone transfer request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferOutcome {
    /// The whole zone was sent.
    Full,
    /// Only the SOA: an IXFR from a secondary that is up to date, or over UDP.
    SoaOnly,
    /// Not from a secondary, not signed as required, or AXFR over UDP.
    Refused,
    /// Not the apex of a served zone.
    NotAuthoritative,
    /// The zone could not be read or sent.
    Failed,
}

/// Counts one zone transfer request (`ixfr`: it asked IXFR, else AXFR).
pub fn zone_transfer(ixfr: bool, outcome: TransferOutcome) {
    let outcome = match outcome {
        TransferOutcome::Full => "full",
        TransferOutcome::SoaOnly => "soa-only",
        TransferOutcome::Refused => "refused",
        TransferOutcome::NotAuthoritative => "not-authoritative",
        TransferOutcome::Failed => "failed",
    };
    METRICS
        .zone_transfers
        .get_or_create(&TransferLabels {
            kind: if ixfr { "ixfr" } else { "axfr" },
            outcome,
        })
        .inc();
}

/// What the DNS zone store of this node says at scrape time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoreGauges {
    /// Entries held.
    pub entries: usize,
    /// The generation it is current with.
    pub generation: i64,
    /// Seconds since it last reached the database (`None`: never since start).
    pub reached_ago: Option<f64>,
    /// Whether it counts as stale.
    pub stale: bool,
    /// How many zones are signed (`None`: DNSSEC off).
    pub signed_zones: Option<usize>,
}

fn set_optional(gauge: &OptionalGauge, value: Option<f64>) {
    match value {
        Some(value) => {
            gauge.get_or_create(&Vec::new()).set(value);
        }
        None => gauge.clear(),
    }
}

/// Sets the count of drifting entries for the next [`encode`]; `None` (the database did not
/// answer) leaves it out.
pub fn entries_drifting(count: Option<i64>) {
    match count {
        Some(count) => {
            METRICS
                .entries_drifting
                .get_or_create(&Vec::new())
                .set(count);
        }
        None => METRICS.entries_drifting.clear(),
    }
}

/// Every metric in the Prometheus text format, with `changes` (from one query at scrape
/// time: the count per state; a state missing from it reads 0) as the changes gauge; `None`
/// (the database did not answer) leaves the gauge out rather than showing stale counts.
/// `store`: the zone store's gauges (left out on a node without DNS).
pub fn encode(
    changes: Option<&[(ChangeState, i64)]>,
    store: Option<StoreGauges>,
) -> Result<String, std::fmt::Error> {
    set_optional(&METRICS.store_entries, store.map(|s| s.entries as f64));
    set_optional(
        &METRICS.store_generation,
        store.map(|s| s.generation as f64),
    );
    set_optional(
        &METRICS.store_reached_ago,
        store.and_then(|s| s.reached_ago),
    );
    set_optional(
        &METRICS.store_stale,
        store.map(|s| if s.stale { 1.0 } else { 0.0 }),
    );
    set_optional(
        &METRICS.dnssec_zones,
        store.and_then(|s| s.signed_zones).map(|zones| zones as f64),
    );
    match changes {
        Some(changes) => {
            for state in STATES {
                let count = changes
                    .iter()
                    .find(|(counted, _)| *counted == state)
                    .map_or(0, |(_, count)| *count);
                METRICS
                    .changes
                    .get_or_create(&StateLabels {
                        state: state.as_str(),
                    })
                    .set(count);
            }
        }
        None => METRICS.changes.clear(),
    }
    let mut text = String::with_capacity(8 * 1024);
    prometheus_client::encoding::prometheus_text::encode(&mut text, &METRICS.registry)?;
    Ok(text)
}

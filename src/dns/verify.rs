//! Drift: what each public name server serves, compared with the database, difference by
//! difference — a zone a server does not serve (or does not answer for), a serial other than
//! ours, and every PTR that differs: for each address a transfer carries, and for every
//! address of zones of at most 256 addresses (so PTRs a server has and we do not show up too).
//! Run by `ptrdesk dns verify` and periodically (`dns_verify_interval_seconds`) by one DNS node
//! at a time: the one that holds the drift lease ([`db::leases`]).

use super::Publishing;
use super::names::reverse_name;
use super::probe::{Probe, plain};
use super::transfer::{self, ZoneData};
use crate::db::{self, Db};
use crate::shutdown::Shutdown;
use futures_util::StreamExt;
use hickory_server::proto::rr::RData;
use std::collections::BTreeMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// Questions in flight at once, per server.
const PARALLEL: usize = 32;
/// Zones up to this many addresses are checked address by address, names without a PTR too.
const FULL_CHECK_ADDRESSES: u128 = 256;

/// One way a server differs from the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// No SOA for the zone from the server (no answer, REFUSED, …).
    NotServed {
        /// The server.
        server: SocketAddr,
        /// The zone.
        zone: String,
        /// What happened.
        problem: String,
    },
    /// The server serves another serial.
    Serial {
        /// The server.
        server: SocketAddr,
        /// The zone.
        zone: String,
        /// What it serves.
        theirs: u32,
        /// What the database holds.
        ours: u32,
    },
    /// The server answers another PTR (or none, or one where there should be none).
    Ptr {
        /// The server.
        server: SocketAddr,
        /// The address.
        ip: IpAddr,
        /// What it serves (empty: nothing).
        served: Vec<String>,
        /// What the database holds (empty: nothing).
        expected: Vec<String>,
    },
    /// A PTR question the server did not answer.
    Unanswered {
        /// The server.
        server: SocketAddr,
        /// The address.
        ip: IpAddr,
        /// What happened.
        problem: String,
    },
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |names: &[String]| {
            if names.is_empty() {
                "nothing".to_owned()
            } else {
                names.join(", ")
            }
        };
        match self {
            Difference::NotServed {
                server,
                zone,
                problem,
            } => write!(f, "{server}: zone {zone} not served ({problem})"),
            Difference::Serial {
                server,
                zone,
                theirs,
                ours,
            } => write!(
                f,
                "{server}: zone {zone} at serial {theirs}, the database has {ours}"
            ),
            Difference::Ptr {
                server,
                ip,
                served,
                expected,
            } => write!(
                f,
                "{server}: {ip} serves {}, the database has {}",
                shown(served),
                shown(expected)
            ),
            Difference::Unanswered {
                server,
                ip,
                problem,
            } => write!(f, "{server}: {ip} not answered ({problem})"),
        }
    }
}

/// What one verification found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    /// Zones compared.
    pub zones: usize,
    /// PTR questions asked, over all servers.
    pub questions: usize,
    /// Every difference.
    pub differences: Vec<Difference>,
    /// What was not compared, and why (IPv6 default names a backend cannot hold).
    pub notes: Vec<String>,
}

/// What a verification compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Against {
    /// Secondaries of ptrdesk's own DNS: serials and PTRs.
    Secondaries,
    /// A publishing backend, which keeps its own serials: PTRs only.
    Backend,
}

/// Compares every active zone (or only those named in `only`, when it is not empty) on each
/// of `servers` with the database.
pub async fn verify(
    db: &Db,
    publishing: &Publishing,
    servers: &[SocketAddr],
    only: &[String],
) -> Result<Verification, sqlx::Error> {
    verify_against(db, publishing, servers, only, Against::Secondaries).await
}

/// Like [`verify`]; against a publishing backend the serials are not compared (the backend
/// moves its own), and IPv6 default names are noted as not comparable: ptrdesk's own DNS
/// synthesises them for every address without an entry, and they cannot be transferred or
/// pushed.
pub async fn verify_against(
    db: &Db,
    publishing: &Publishing,
    servers: &[SocketAddr],
    only: &[String],
    against: Against,
) -> Result<Verification, sqlx::Error> {
    let mut verification = Verification::default();
    if let Some(pattern) = &publishing.defaults.v6 {
        verification.notes.push(format!(
            "IPv6 addresses without an entry of their own answer the default name {:?} \
             from ptrdesk's own DNS only: those names are synthesised on each question, cannot \
             be transferred (AXFR) or pushed to a backend, and are not compared; IPv6 entries \
             (reset ones included) are",
            pattern.as_str()
        ));
    }
    let probes: Vec<(SocketAddr, Arc<Probe>)> = servers
        .iter()
        .map(|server| (*server, Arc::new(Probe::new(*server))))
        .collect();
    for row in db::zones::list(&db.pool).await? {
        let wanted = only.is_empty()
            || only
                .iter()
                .any(|name| name.trim_end_matches('.').eq_ignore_ascii_case(&row.name));
        if row.active != 1 || !wanted {
            continue;
        }
        let Some(zone) = zone_of_name(publishing, &row.name) else {
            continue;
        };
        let Some(ZoneData { serial, ptrs }) = transfer::read_zone(db, publishing, zone).await?
        else {
            continue;
        };
        verification.zones += 1;
        let mut expected: BTreeMap<IpAddr, Vec<String>> = BTreeMap::new();
        for (ip, record) in &ptrs {
            if let RData::PTR(target) = &record.data {
                expected.entry(*ip).or_default().push(plain(&target.0));
            }
        }
        let mut addresses: Vec<IpAddr> = expected.keys().copied().collect();
        let net = zone.network();
        let size = 1u128 << (u32::from(net.max_prefix_len()) - u32::from(net.prefix_len()));
        if size <= FULL_CHECK_ADDRESSES {
            addresses = every_address(net);
        }
        for (server, probe) in &probes {
            let ours = serial as u32;
            match probe.soa_serial(&zone.name()).await {
                Ok(theirs) if theirs == ours || against == Against::Backend => {}
                Ok(theirs) => verification.differences.push(Difference::Serial {
                    server: *server,
                    zone: row.name.clone(),
                    theirs,
                    ours,
                }),
                Err(problem) => {
                    verification.differences.push(Difference::NotServed {
                        server: *server,
                        zone: row.name.clone(),
                        problem: problem.to_string(),
                    });
                    continue;
                }
            }
            verification.questions += addresses.len();
            // Each question owns what it needs, so the whole check is a `Send` future.
            let questions: Vec<_> = addresses
                .iter()
                .map(|ip| {
                    let (ip, server, probe) = (*ip, *server, Arc::clone(probe));
                    let expected = expected.get(&ip).cloned().unwrap_or_default();
                    async move {
                        match probe.ptr(&reverse_name(ip)).await {
                            Ok(answer) if answer.targets == expected => None,
                            Ok(answer) => Some(Difference::Ptr {
                                server,
                                ip,
                                served: answer.targets,
                                expected,
                            }),
                            Err(problem) => Some(Difference::Unanswered {
                                server,
                                ip,
                                problem: problem.to_string(),
                            }),
                        }
                    }
                })
                .collect();
            let found: Vec<Option<Difference>> = futures_util::stream::iter(questions)
                .buffered(PARALLEL)
                .collect()
                .await;
            verification.differences.extend(found.into_iter().flatten());
        }
    }
    Ok(verification)
}

/// Every address of a (small) network.
fn every_address(net: ipnet::IpNet) -> Vec<IpAddr> {
    match net {
        ipnet::IpNet::V4(net) => (u32::from(net.network())..=u32::from(net.broadcast()))
            .map(|n| IpAddr::from(std::net::Ipv4Addr::from(n)))
            .collect(),
        ipnet::IpNet::V6(net) => (u128::from(net.network())..=u128::from(net.broadcast()))
            .map(|n| IpAddr::from(std::net::Ipv6Addr::from(n)))
            .collect(),
    }
}

/// The zone a zones-table name stands for, under the configured cuts.
fn zone_of_name(publishing: &Publishing, name: &str) -> Option<super::names::ReverseZone> {
    let name = super::absolute_name(name)?;
    match publishing
        .cuts
        .locate(&hickory_server::proto::rr::LowerName::from(&name))
    {
        super::names::Located::Inside {
            zone,
            node: super::names::Node::Apex,
        } => Some(zone),
        _ => None,
    }
}

/// Verifies against the public servers every `publishing.verify_every`, until `shutdown`
/// (a round in progress is given up: it writes nothing), and logs each difference. Each round
/// runs only while this node holds the drift lease, which lasts one interval: of several
/// nodes, one checks per interval.
pub async fn run(db: Db, publishing: Arc<Publishing>, shutdown: Shutdown) {
    let Some(every) = publishing
        .verify_every
        .filter(|_| !publishing.public_servers.is_empty())
    else {
        return shutdown.requested().await;
    };
    let holder = db::leases::new_holder();
    let lease = i64::try_from(every.as_secs()).unwrap_or(i64::MAX / 2);
    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while shutdown.next_round(&mut ticker).await {
        let now = crate::clock::now();
        match db::leases::claim(&db.pool, db::leases::DRIFT, &holder, now + lease, now).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(err) => {
                tracing::error!(error = ?err, "taking the drift lease failed");
                continue;
            }
        }
        let verified = tokio::select! {
            verified = verify(&db, &publishing, &publishing.public_servers, &[]) => verified,
            () = shutdown.requested() => break,
        };
        match verified {
            Ok(verification) => {
                for difference in &verification.differences {
                    tracing::warn!(%difference, "DNS drift");
                }
                tracing::info!(
                    zones = verification.zones,
                    questions = verification.questions,
                    differences = verification.differences.len(),
                    "DNS verified against the public name servers"
                );
            }
            Err(err) => tracing::error!(error = ?err, "verifying DNS failed"),
        }
    }
}

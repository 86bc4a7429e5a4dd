//! Zone transfers to the secondaries (hidden primary): AXFR over TCP only, to the configured
//! secondaries' addresses, signed with TSIG when a key is configured (then an unsigned request
//! is refused). IXFR is answered with the whole zone (RFC 1995 section 4 allows it), or with
//! the SOA alone when the secondary is up to date or asks over UDP.
//!
//! The zone is read from the node's zone store in memory ([`super::store`]), serial and
//! records under one lock, so a transfer never waits on the database and goes on while it is
//! away ([`read_zone`] reads the same from the database, for the drift check). Addresses are
//! PTRs: every IPv4 address of an assignment (its entry or the provider default), and the
//! IPv6 addresses that have an entry — the default names of all other IPv6 addresses (a /64
//! has 2^64) can only be synthesised by ptrdesk's own server.

use super::Publishing;
use super::catalog::CatalogZone;
use super::delegation::Delegated;
use super::names::{Located, Node, ReverseZone, reverse_name};
use super::reply::Reply;
use super::store::ZoneStore;
use crate::db::{self, Db};
use crate::domain::Network;
use crate::observability::metrics::{self, TransferOutcome};
use hickory_server::net::xfer::Protocol;
use hickory_server::proto::op::ResponseCode;
use hickory_server::proto::rr::{Name, RData, Record, RecordType};
use hickory_server::server::{ResponseHandler, ResponseInfo};
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

/// The size one message of a transfer is filled to (well below the 64 KiB of a TCP message).
pub const MESSAGE_BYTES: usize = 32 * 1024;

/// The zone a transfer is asked for.
pub(super) enum Source<'a> {
    /// Where the question's name lies among the reverse zones.
    Reverse(Located),
    /// The catalog zone, as built for this request.
    Catalog {
        /// Its name.
        apex: &'a Name,
        /// Its content.
        zone: CatalogZone,
    },
}

/// Answers an AXFR or IXFR request, and counts how it ended.
pub(super) async fn serve<R: ResponseHandler>(
    store: &ZoneStore,
    publishing: &Publishing,
    source: Source<'_>,
    reply: Reply<'_>,
    handle: R,
) -> ResponseInfo {
    let ixfr = reply
        .request()
        .request_info()
        .is_ok_and(|info| info.query.query_type() == RecordType::IXFR);
    let (outcome, info) = transfer(store, publishing, source, ixfr, reply, handle).await;
    metrics::zone_transfer(ixfr, outcome);
    info
}

async fn transfer<R: ResponseHandler>(
    store: &ZoneStore,
    publishing: &Publishing,
    asked: Source<'_>,
    ixfr: bool,
    mut reply: Reply<'_>,
    mut handle: R,
) -> (TransferOutcome, ResponseInfo) {
    use TransferOutcome::{Failed, Full, NotAuthoritative, Refused, SoaOnly};
    let request = reply.request();
    let source = request.src().ip().to_canonical();
    let allowed = publishing
        .secondaries
        .iter()
        .any(|secondary| secondary.ip().to_canonical() == source);
    let signed_enough = publishing.tsig.is_none() || reply.is_signed();
    if !allowed || !signed_enough {
        tracing::warn!(%source, signed = reply.is_signed(), "zone transfer refused");
        return (
            Refused,
            reply.error(&mut handle, ResponseCode::Refused).await,
        );
    }
    let over_udp = request.protocol() == Protocol::Udp;
    if over_udp && !ixfr {
        return (
            Refused,
            reply.error(&mut handle, ResponseCode::Refused).await,
        );
    }
    let their_serial = request
        .authorities
        .iter()
        .find_map(|record| match &record.data {
            RData::SOA(soa) => Some(soa.serial),
            _ => None,
        });
    let Some((name, serial, mut all)) = records_of(store, publishing, asked, request) else {
        return (
            NotAuthoritative,
            reply.error(&mut handle, ResponseCode::NotAuth).await,
        );
    };
    let soa = all[0].clone();
    if ixfr && (over_udp || their_serial == Some(serial as u32)) {
        // Up to date, or "ask again over TCP" (RFC 1995 section 2).
        let sent = reply
            .send(&mut handle, ResponseCode::NoError, &[soa], &[])
            .await;
        return (SoaOnly, sent);
    }
    all.push(soa);
    tracing::info!(zone = %name, serial, records = all.len(), %source, "zone transfer");
    let mut info = None;
    for chunk in chunks(&all) {
        let sent = reply
            .send(&mut handle, ResponseCode::NoError, chunk, &[])
            .await;
        if sent.response_code != ResponseCode::NoError {
            return (Failed, sent);
        }
        info = Some(sent);
    }
    match info {
        Some(info) => (Full, info),
        None => (
            Failed,
            reply.error(&mut handle, ResponseCode::ServFail).await,
        ),
    }
}

/// The zone a transfer sends — its name, serial and records, the SOA first (the closing
/// SOA is added by the caller) — or `None` when it is not served (or not at a zone's apex).
fn records_of(
    store: &ZoneStore,
    publishing: &Publishing,
    source: Source<'_>,
    request: &hickory_server::server::Request,
) -> Option<(String, i64, Vec<Record>)> {
    match source {
        Source::Reverse(Located::Inside {
            zone,
            node: Node::Apex,
        }) => {
            let ZoneData { serial, ptrs } = zone_from_store(store, publishing, zone)?;
            let mut all = Vec::with_capacity(ptrs.len() + 8);
            all.push(publishing.soa(&zone, serial));
            all.extend(publishing.ns(&zone));
            all.extend(ptrs.into_iter().map(|(_, record)| record));
            for block in delegated(publishing, store.delegations_in(zone.first(), zone.last())) {
                all.extend(block.records(publishing));
            }
            Some((zone.to_string(), serial, all))
        }
        Source::Reverse(_) => None,
        Source::Catalog { apex, zone } => {
            // Only the apex can be transferred.
            let asked = request.request_info().ok()?.query.name().clone();
            (asked == hickory_server::proto::rr::LowerName::from(apex))
                .then(|| (apex.to_string(), zone.serial, zone.records))
        }
    }
}

/// Splits the records into messages of about [`MESSAGE_BYTES`].
fn chunks(records: &[Record]) -> Vec<&[Record]> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (at, record) in records.iter().enumerate() {
        // Owner and target names uncompressed, plus type, class, TTL and length.
        let size = record.name.len() + rdata_len(&record.data) + 10;
        if bytes + size > MESSAGE_BYTES && at > start {
            chunks.push(&records[start..at]);
            start = at;
            bytes = 0;
        }
        bytes += size;
    }
    if start < records.len() {
        chunks.push(&records[start..]);
    }
    chunks
}

fn rdata_len(data: &RData) -> usize {
    match data {
        RData::PTR(target) => target.0.len(),
        RData::NS(server) => server.0.len(),
        RData::SOA(soa) => soa.mname.len() + soa.rname.len() + 20,
        _ => 64,
    }
}

/// A zone as a transfer carries it.
#[derive(Debug, Clone)]
pub struct ZoneData {
    /// Its serial.
    pub serial: i64,
    /// Its PTR records in address order, with their addresses.
    pub ptrs: Vec<(IpAddr, Record)>,
}

/// The zone's serial and PTR records, read in one snapshot; `None` when the zone is not
/// served.
pub async fn read_zone(
    db: &Db,
    publishing: &Publishing,
    zone: ReverseZone,
) -> Result<Option<ZoneData>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    if db.engine == db::Engine::Postgres {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            .execute(&mut *tx)
            .await?;
    }
    let name = zone.to_string();
    let networks = db::zones::networks_overlapping(&mut *tx, zone.first(), zone.last()).await?;
    if networks.is_empty() {
        return Ok(None);
    }
    let serial = match db::zones::serial_of(&mut *tx, &name).await? {
        Some(serial) => serial,
        None => db::zones::rowless_serial(&mut *tx, zone.first(), zone.last()).await?,
    };
    let entries = db::zones::entries_between(&mut *tx, zone.first(), zone.last()).await?;
    let delegations: Vec<(IpAddr, IpAddr, Vec<String>)> =
        db::delegations::served_between(&mut tx, zone.first(), zone.last())
            .await?
            .into_iter()
            .map(|block| {
                (
                    crate::domain::number_address(block.first),
                    crate::domain::number_address(block.last),
                    block.nameservers,
                )
            })
            .collect();
    tx.commit().await?;
    let assignments: Vec<(IpAddr, IpAddr)> = networks
        .iter()
        .filter_map(|text| Network::parse(text).ok())
        .map(|network| (network.first(), network.last()))
        .collect();
    let entries = entries
        .into_iter()
        .map(|entry| (entry.ip, entry.hostname))
        .collect();
    let blocks = delegated(publishing, delegations);
    Ok(Some(ZoneData {
        serial,
        ptrs: records(publishing, zone, &assignments, entries, &blocks),
    }))
}

/// The zone's serial and PTR records from the node's zone store (what a transfer sends);
/// `None` when the zone is not served.
pub fn zone_from_store(
    store: &ZoneStore,
    publishing: &Publishing,
    zone: ReverseZone,
) -> Option<ZoneData> {
    let content = store.zone_content(zone.first(), zone.last())?;
    let blocks = delegated(publishing, store.delegations_in(zone.first(), zone.last()));
    Some(ZoneData {
        serial: content.serial,
        ptrs: records(
            publishing,
            zone,
            &content.assignments,
            content.entries,
            &blocks,
        ),
    })
}

/// The delegated blocks of a zone, as served (a block the zone cuts no longer allow to
/// delegate is left out: its PTRs are served).
fn delegated(
    publishing: &Publishing,
    delegations: Vec<(IpAddr, IpAddr, Vec<String>)>,
) -> Vec<Delegated> {
    delegations
        .into_iter()
        .filter_map(|(first, last, servers)| {
            Delegated::from_range(first, last, &servers, &publishing.cuts)
        })
        .collect()
}

/// The PTR records of `zone` in address order: every IPv4 address of the assignments
/// (`first..=last` ranges) with its entry's name or the default, and the IPv6 entries inside
/// an assignment — except those of the `delegated` blocks (their names are the customer's).
fn records(
    publishing: &Publishing,
    zone: ReverseZone,
    assignments: &[(IpAddr, IpAddr)],
    entries: Vec<(IpAddr, Option<String>)>,
    delegated: &[Delegated],
) -> Vec<(IpAddr, Record)> {
    let hostnames: BTreeMap<IpAddr, Option<String>> = entries.into_iter().collect();
    let mut records = Vec::new();
    let mut add = |ip: IpAddr, hostname: Option<&str>| {
        if delegated.iter().any(|block| block.holds(ip)) {
            return;
        }
        if let Some(record) = publishing.ptr(reverse_name(ip), ip, hostname) {
            records.push((ip, record));
        }
    };
    match zone.network() {
        ipnet::IpNet::V4(zone_net) => {
            for (first, last) in assignments {
                let (IpAddr::V4(first), IpAddr::V4(last)) = (first, last) else {
                    continue;
                };
                let from = u32::from(*first).max(u32::from(zone_net.network()));
                let to = u32::from(*last).min(u32::from(zone_net.broadcast()));
                for n in from..=to {
                    let ip = IpAddr::V4(Ipv4Addr::from(n));
                    add(ip, hostnames.get(&ip).and_then(Option::as_deref));
                }
            }
        }
        ipnet::IpNet::V6(_) => {
            for (ip, hostname) in &hostnames {
                if assignments
                    .iter()
                    .any(|(first, last)| first <= ip && ip <= last)
                {
                    add(*ip, hostname.as_deref());
                }
            }
        }
    }
    records.sort_by_key(|(ip, _)| *ip);
    records
}

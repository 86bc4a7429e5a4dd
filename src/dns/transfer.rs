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
use super::names::{Located, Node, ReverseZone, reverse_name};
use super::reply::Reply;
use super::store::ZoneStore;
use crate::db::{self, Db};
use crate::domain::Network;
use crate::observability::metrics::{self, TransferOutcome};
use hickory_server::net::xfer::Protocol;
use hickory_server::proto::op::ResponseCode;
use hickory_server::proto::rr::{RData, Record, RecordType};
use hickory_server::server::{ResponseHandler, ResponseInfo};
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

/// The size one message of a transfer is filled to (well below the 64 KiB of a TCP message).
pub const MESSAGE_BYTES: usize = 32 * 1024;

/// Answers an AXFR or IXFR request, and counts how it ended.
pub(super) async fn serve<R: ResponseHandler>(
    store: &ZoneStore,
    publishing: &Publishing,
    located: Located,
    reply: Reply<'_>,
    handle: R,
) -> ResponseInfo {
    let ixfr = reply
        .request()
        .request_info()
        .is_ok_and(|info| info.query.query_type() == RecordType::IXFR);
    let (outcome, info) = transfer(store, publishing, located, ixfr, reply, handle).await;
    metrics::zone_transfer(ixfr, outcome);
    info
}

async fn transfer<R: ResponseHandler>(
    store: &ZoneStore,
    publishing: &Publishing,
    located: Located,
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
    let Located::Inside {
        zone,
        node: Node::Apex,
    } = located
    else {
        return (
            NotAuthoritative,
            reply.error(&mut handle, ResponseCode::NotAuth).await,
        );
    };
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
    let Some(ZoneData { serial, ptrs }) = zone_from_store(store, publishing, zone) else {
        return (
            NotAuthoritative,
            reply.error(&mut handle, ResponseCode::NotAuth).await,
        );
    };
    let soa = publishing.soa(&zone, serial);
    if ixfr && (over_udp || their_serial == Some(serial as u32)) {
        // Up to date, or "ask again over TCP" (RFC 1995 section 2).
        let sent = reply
            .send(&mut handle, ResponseCode::NoError, &[soa], &[])
            .await;
        return (SoaOnly, sent);
    }
    let mut body = Vec::with_capacity(ptrs.len() + 8);
    body.extend(publishing.ns(&zone));
    body.extend(ptrs.into_iter().map(|(_, record)| record));
    let signed = publishing.dnssec.as_ref().and_then(|keyring| {
        let now = crate::clock::now();
        keyring.sign_transfer(
            &zone.to_string(),
            publishing,
            soa.clone(),
            body.clone(),
            now,
        )
    });
    let mut all = match signed {
        Some(signed) => signed,
        None => {
            let mut all = vec![soa.clone()];
            all.extend(body);
            all
        }
    };
    all.push(soa);
    tracing::info!(%zone, serial, records = all.len(), %source, "zone transfer");
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
        // An ECDSA P-256 RRSIG: 18 octets, the signer's name and 64 of signature.
        RData::DNSSEC(_) => 200,
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
    Ok(Some(ZoneData {
        serial,
        ptrs: records(publishing, zone, &assignments, entries),
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
    Some(ZoneData {
        serial: content.serial,
        ptrs: records(publishing, zone, &content.assignments, content.entries),
    })
}

/// The PTR records of `zone` in address order: every IPv4 address of the assignments
/// (`first..=last` ranges) with its entry's name or the default, and the IPv6 entries inside
/// an assignment.
fn records(
    publishing: &Publishing,
    zone: ReverseZone,
    assignments: &[(IpAddr, IpAddr)],
    entries: Vec<(IpAddr, Option<String>)>,
) -> Vec<(IpAddr, Record)> {
    let hostnames: BTreeMap<IpAddr, Option<String>> = entries.into_iter().collect();
    let mut records = Vec::new();
    let mut add = |ip: IpAddr, hostname: Option<&str>| {
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

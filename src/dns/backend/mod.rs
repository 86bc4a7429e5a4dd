//! Publishing into DNS a provider already runs (setting `publish`): PowerDNS over its HTTP
//! API ([`powerdns`]) or a primary that takes RFC 2136 dynamic updates ([`rfc2136`]).
//!
//! Each write that changes PTRs leaves one outbox row per written address (or per changed
//! assignment range) in its own transaction ([`crate::db::outbox::enqueue_pushes`]); the
//! outbox job claims it, reads what the database holds for those addresses *now* ([`wanted`])
//! and makes the backend hold the same, one zone at a time ([`Backend::push_zone`]; the rows
//! of one round that touch a zone go in one request) — so a push is idempotent, a late or
//! repeated one does no harm, and a delivered one supersedes the older open pushes of the
//! same addresses. An entry is *live* once no push of its address is open.
//!
//! What a backend gets: the PTR of every IPv4 address of an assignment (the customer's name
//! or the provider default), and of every IPv6 address with an entry. IPv6 default names
//! (a pattern over 2^64 addresses) are synthesised by ptrdesk's own DNS only: they cannot be
//! transferred or pushed.

pub mod powerdns;
pub mod rfc2136;

use super::Publishing;
use super::names::{ReverseZone, reverse_name};
use crate::config::{ConfigError, PublishMode, Settings};
use crate::db::outbox::{Kind, Target};
use crate::db::{self, Db};
use crate::domain::Network;
use crate::http_client::HttpClient;
use hickory_server::proto::rr::{Name, RData};
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The configured backend.
#[derive(Debug, Clone)]
pub enum Backend {
    /// PowerDNS' HTTP API.
    PowerDns(powerdns::PowerDns),
    /// An RFC 2136 primary.
    Rfc2136(rfc2136::Rfc2136),
}

impl Backend {
    /// The backend `settings` name; `None` for `publish = "embedded"`.
    pub fn from_settings(settings: &Settings) -> Result<Option<Backend>, ConfigError> {
        Ok(match settings.publish {
            PublishMode::Embedded => None,
            PublishMode::PowerDns => Some(Backend::PowerDns(powerdns::PowerDns::from_settings(
                settings,
            )?)),
            PublishMode::Rfc2136 => {
                Some(Backend::Rfc2136(rfc2136::Rfc2136::from_settings(settings)?))
            }
        })
    }

    /// Its row in `outbox_targets`.
    pub fn target(&self) -> Target {
        match self {
            Backend::PowerDns(api) => Target {
                kind: Kind::PowerDns,
                target: api.base_url().to_owned(),
            },
            Backend::Rfc2136(primary) => Target {
                kind: Kind::Rfc2136,
                target: primary.server().to_string(),
            },
        }
    }

    /// Where it answers DNS (for `ptrdesk dns verify`).
    pub fn dns_server(&self) -> SocketAddr {
        match self {
            Backend::PowerDns(api) => api.dns_server(),
            Backend::Rfc2136(primary) => primary.server(),
        }
    }

    /// Makes the backend hold, in `push.zone`, what the push says.
    pub async fn push_zone(
        &self,
        publishing: &Publishing,
        http: &HttpClient,
        push: &ZonePush,
    ) -> Result<(), String> {
        match self {
            Backend::PowerDns(api) => api.push(http, publishing, push).await,
            Backend::Rfc2136(primary) => primary.push(publishing, push).await,
        }
    }
}

impl ZonePush {
    /// Takes in `other`, a push of the same zone made later (its PTRs and cuts win).
    pub fn merge(&mut self, other: ZonePush) {
        self.ptrs.extend(other.ptrs);
        for cut in other.cuts {
            self.cuts.retain(|known| known.apex != cut.apex);
            self.cuts.push(cut);
        }
        self.sweep = match (self.sweep, other.sweep) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (one, other) => one.or(other),
        };
    }
}

/// The name a backend is shown by on the customer's row.
pub fn label(kind: Kind, target: &str) -> String {
    match kind {
        Kind::PowerDns => "PowerDNS".to_owned(),
        Kind::Rfc2136 => format!("the primary {target}"),
        Kind::Notify | Kind::Webhook | Kind::Catalog => target.to_owned(),
    }
}

/// What one zone of a backend must hold for some of its addresses.
#[derive(Debug, Clone)]
pub struct ZonePush {
    /// The zone.
    pub zone: ReverseZone,
    /// Each address pushed, with its PTR target (`None`: it must have none).
    pub ptrs: BTreeMap<IpAddr, Option<Name>>,
    /// IPv6 addresses `first..=last` were pushed as a range: PTRs the backend holds there and
    /// the database does not are removed too (backends that can list a zone do).
    pub sweep: Option<(IpAddr, IpAddr)>,
    /// The zone cuts of blocks delegated to customers' name servers (now, or once: then
    /// removed) that the push covers whole.
    pub cuts: Vec<CutPush>,
}

/// What a backend holds at the cut of a block delegated to the customer's name servers
/// ([`super::delegation`]); the block's own PTRs are pushed as none meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CutPush {
    /// The NS records' owner (the child zone of an RFC 2317 block, or the block's own name).
    pub apex: Name,
    /// The customer's name servers; empty: the delegation ended (the NS are removed).
    pub nameservers: Vec<Name>,
    /// For an RFC 2317 block, each address's CNAME into the child zone (`None`: removed).
    pub cnames: BTreeMap<IpAddr, Option<Name>>,
}

/// The PTRs of `first..=last` as the database holds them, by zone: every IPv4 address (inside
/// an assignment: its entry or the default; outside: none), and the IPv6 addresses with an
/// entry (and a single IPv6 address asked for, to remove its PTR when it has none).
pub async fn wanted(
    db: &Db,
    publishing: &Publishing,
    first: IpAddr,
    last: IpAddr,
) -> Result<Vec<ZonePush>, sqlx::Error> {
    let networks = db::zones::networks_overlapping(&db.pool, first, last).await?;
    let entries = db::zones::entries_between(&db.pool, first, last).await?;
    let assignments: Vec<Network> = networks
        .iter()
        .filter_map(|text| Network::parse(text).ok())
        .collect();
    let hostnames: BTreeMap<IpAddr, Option<String>> = entries
        .into_iter()
        .map(|entry| (entry.ip, entry.hostname))
        .collect();
    let target = |ip: IpAddr| -> Option<Name> {
        if !assignments.iter().any(|network| network.contains(ip)) {
            return None;
        }
        let hostname = hostnames.get(&ip).and_then(Option::as_deref);
        if ip.is_ipv6() && !hostnames.contains_key(&ip) {
            // A synthesised default: not pushed.
            return None;
        }
        match publishing.ptr(reverse_name(ip), ip, hostname)?.data {
            RData::PTR(ptr) => Some(ptr.0),
            _ => None,
        }
    };
    let blocks = cuts_within(db, publishing, first, last).await?;
    let delegated = |ip: IpAddr| {
        blocks
            .iter()
            .any(|(block, cut)| !cut.nameservers.is_empty() && block.contains(ip))
    };
    let target = |ip: IpAddr| if delegated(ip) { None } else { target(ip) };
    let mut zones: BTreeMap<ReverseZone, ZonePush> = BTreeMap::new();
    for (block, cut) in &blocks {
        let push = zone_entry(&mut zones, publishing.cuts.zone_of(block.first()));
        push.cuts.push(cut.clone());
        if !cut.nameservers.is_empty() && block.first().is_ipv6() {
            // The block's own PTRs are the customer's now: removed from the backend.
            for ip in hostnames.keys().filter(|ip| block.contains(**ip)) {
                push.ptrs.insert(*ip, None);
            }
        }
    }
    let mut add = |ip: IpAddr, ptr: Option<Name>| {
        zone_entry(&mut zones, publishing.cuts.zone_of(ip))
            .ptrs
            .insert(ip, ptr);
    };
    match (first, last) {
        (IpAddr::V4(from), IpAddr::V4(to)) => {
            for n in u32::from(from)..=u32::from(to) {
                let ip = IpAddr::V4(Ipv4Addr::from(n));
                add(ip, target(ip));
            }
        }
        _ => {
            if first == last {
                add(first, target(first));
            }
            for ip in hostnames.keys() {
                add(*ip, target(*ip));
            }
        }
    }
    let mut zones: Vec<ZonePush> = zones.into_values().collect();
    if first.is_ipv6() && first != last {
        for zone in &mut zones {
            zone.sweep = Some((first.max(zone.zone.first()), last.min(zone.zone.last())));
        }
        // Zones of the range without any entry may still hold PTRs to remove.
        if zones.is_empty() {
            let zone = publishing.cuts.zone_of(first);
            zones.push(ZonePush {
                zone,
                ptrs: BTreeMap::new(),
                sweep: Some((first, last.min(zone.last()))),
                cuts: Vec::new(),
            });
        }
    }
    Ok(zones)
}

/// The push of `zone` in `zones`, made empty when there is none yet.
fn zone_entry(zones: &mut BTreeMap<ReverseZone, ZonePush>, zone: ReverseZone) -> &mut ZonePush {
    zones.entry(zone).or_insert_with(|| ZonePush {
        zone,
        ptrs: BTreeMap::new(),
        sweep: None,
        cuts: Vec::new(),
    })
}

/// The blocks wholly in `first..=last` that were ever delegated, with what their cut holds
/// now (NS and RFC 2317 CNAMEs; none when the delegation ended). A block the zone cuts do not
/// let delegate any more is left out.
async fn cuts_within(
    db: &Db,
    publishing: &Publishing,
    first: IpAddr,
    last: IpAddr,
) -> Result<Vec<(Network, CutPush)>, sqlx::Error> {
    let mut cuts = Vec::new();
    for block in db::delegations::ever_delegated_within(&db.pool, first, last).await? {
        let Ok(network) = Network::parse(&block.network) else {
            continue;
        };
        let Ok(cut) = super::delegation::cut_of(&network, &publishing.cuts) else {
            continue;
        };
        let delegated = super::delegation::Delegated::from_range(
            network.first(),
            network.last(),
            &block.nameservers,
            &publishing.cuts,
        );
        let mut cnames = BTreeMap::new();
        if let super::delegation::Cut::Classless { first, last, .. } = &cut {
            for n in u32::from(*first)..=u32::from(*last) {
                let ip = IpAddr::V4(Ipv4Addr::from(n));
                let cname = delegated
                    .as_ref()
                    .and_then(|block| block.cname(reverse_name(ip), ip, publishing))
                    .and_then(|record| match record.data {
                        RData::CNAME(target) => Some(target.0),
                        _ => None,
                    });
                cnames.insert(ip, cname);
            }
        }
        let push = CutPush {
            apex: cut.apex().clone(),
            nameservers: delegated.map(|block| block.nameservers).unwrap_or_default(),
            cnames,
        };
        cuts.push((network, push));
    }
    Ok(cuts)
}

/// `IP` or `IP:PORT` (port 53 by default).
pub fn server_address(setting: &str, text: &str) -> Result<SocketAddr, ConfigError> {
    crate::config::server_addresses(setting, &[text.to_owned()])?
        .into_iter()
        .next()
        .ok_or_else(|| ConfigError::Invalid(format!("{setting}: an address is needed")))
}

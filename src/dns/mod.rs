//! Publishing to DNS (SPEC "Publishing to DNS"): ptrdesk answers its reverse zones itself.
//!
//! The zones are derived from the IP assignments and the configured zone cuts ([`names`]);
//! [`server`] answers every question from the node's zone store in memory ([`store`]), never
//! from the database: the node that saves a change updates its store before it answers the
//! save, the other nodes follow within a quarter of a second, and while the database is away
//! DNS answers what it last knew. The serial of a zone lives in the `zones` table and is
//! bumped in the transaction of each published change ([`crate::db::zones::bump_changed`]),
//! while [`sync`] creates the zones and bumps them for what else changes a zone (assignments,
//! configuration). As hidden primary, [`transfer`]
//! serves AXFR/IXFR over TCP to the configured secondaries (with TSIG, [`tsig`]) and
//! [`notify`] tells them when a serial moved (through the outbox); the [`catalog`] zone lists
//! every reverse zone for secondaries that take their zones from a catalog. [`backend`]
//! pushes into PowerDNS or an RFC 2136 primary instead. [`live`] follows which public name servers
//! serve each zone's serial (an entry is *live* once all do), and [`verify`] compares what
//! they serve with the database (drift); both ask through [`probe`]. In `ptrdesk demo` only,
//! the server also answers a few forward zones ([`demo_zones`]) for the DNS checks to ask.

pub mod answer;
pub mod backend;
pub mod catalog;
pub mod delegation;
pub mod demo_zones;
pub mod live;
pub mod names;
pub mod notify;
pub mod probe;
pub mod pull;
mod reply;
pub mod server;
pub mod signed;
pub mod store;
pub mod sync;
pub mod transfer;
pub mod tsig;
pub mod verify;

use crate::config::{ConfigError, Settings};
use crate::domain::DefaultNames;
use hickory_server::proto::rr::rdata::{NS, PTR, SOA};
use hickory_server::proto::rr::{Name, RData, Record};
use names::{ReverseZone, ZoneCuts};
use secrecy::ExposeSecret;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use tsig::TsigKey;

/// SOA refresh: how often a secondary that missed a NOTIFY asks for the serial.
pub const SOA_REFRESH: i32 = 3600;
/// SOA retry: how soon a secondary asks again after a failed refresh.
pub const SOA_RETRY: i32 = 600;
/// SOA expire: how long a secondary keeps serving without reaching the primary (two weeks).
pub const SOA_EXPIRE: i32 = 1_209_600;
/// The longest time a negative answer (no such name, no such record) may be cached.
pub const NEGATIVE_TTL: u32 = 300;

/// What ptrdesk publishes and to whom: built from the settings.
#[derive(Debug, Clone)]
pub struct Publishing {
    /// Where the reverse zones are cut.
    pub cuts: ZoneCuts,
    /// The zones' name servers; the first is the SOA's primary name (MNAME).
    pub nameservers: Vec<Name>,
    /// The zones' contact mailbox as a name (`hostmaster.example.net.`), the SOA's RNAME.
    pub hostmaster: Name,
    /// The TTL of PTR, NS and SOA records.
    pub ttl: u32,
    /// The provider's default names.
    pub defaults: DefaultNames,
    /// Secondaries: may transfer the zones (by address) and are notified (at this port).
    pub secondaries: Vec<SocketAddr>,
    /// When set, zone transfers must be signed with this key, and NOTIFY is signed with it.
    pub tsig: Option<TsigKey>,
    /// The catalog zone's name ([`catalog`]), when one is served.
    pub catalog: Option<Name>,
    /// How often the zones are re-derived from the assignments.
    pub sync_every: Duration,
    /// How long NOTIFY to one secondary is retried before it is given up (logged).
    pub notify_deadline: Duration,
    /// The public name servers (the secondaries' public side, or ptrdesk itself): an entry
    /// is live once all of them serve it; drift is checked against them.
    pub public_servers: Vec<SocketAddr>,
    /// How often the public servers' serials are looked at (a lagging one less often).
    pub live_poll: Duration,
    /// How often drift is checked; `None`: never (only `ptrdesk dns verify`).
    pub verify_every: Option<Duration>,
    /// Also answer the demo's forward zones ([`demo_zones`]); only `ptrdesk demo` sets it.
    pub demo_forward_zones: bool,
}

impl Publishing {
    /// The SOA record of `zone` at `serial` (serials wrap at 2^32, RFC 1982).
    pub fn soa(&self, zone: &ReverseZone, serial: i64) -> Record {
        self.soa_named(zone.name(), serial)
    }

    /// The SOA record of the zone called `zone` at `serial`.
    pub fn soa_named(&self, zone: Name, serial: i64) -> Record {
        let mname = self.nameservers.first().cloned().unwrap_or_else(Name::root);
        let soa = SOA::new(
            mname,
            self.hostmaster.clone(),
            serial as u32,
            SOA_REFRESH,
            SOA_RETRY,
            SOA_EXPIRE,
            self.negative_ttl(),
        );
        Record::from_rdata(zone, self.ttl, RData::SOA(soa))
    }

    /// The SOA of `zone` as the authority of a negative answer: its TTL is the negative TTL
    /// (RFC 2308).
    pub fn negative_soa(&self, zone: &ReverseZone, serial: i64) -> Record {
        let mut soa = self.soa(zone, serial);
        soa.ttl = self.negative_ttl();
        soa
    }

    /// The NS records of `zone`.
    pub fn ns(&self, zone: &ReverseZone) -> Vec<Record> {
        self.nameservers
            .iter()
            .map(|server| Record::from_rdata(zone.name(), self.ttl, RData::NS(NS(server.clone()))))
            .collect()
    }

    /// The PTR record of `ip`: the customer's `hostname`, else the provider default (none for
    /// IPv6 without a default pattern).
    pub fn ptr(&self, owner: Name, ip: IpAddr, hostname: Option<&str>) -> Option<Record> {
        let target = match hostname {
            Some(hostname) => hostname.to_owned(),
            None => self.defaults.for_ip(ip)?,
        };
        let mut target = Name::from_ascii(&target).ok()?;
        target.set_fqdn(true);
        Some(Record::from_rdata(owner, self.ttl, RData::PTR(PTR(target))))
    }

    /// Whether every address of an IPv6 assignment has a PTR (a default pattern is set).
    pub fn has_v6_default(&self) -> bool {
        self.defaults.v6.is_some()
    }

    fn negative_ttl(&self) -> u32 {
        NEGATIVE_TTL.min(self.ttl)
    }

    /// What besides entries makes up every zone: when it changes, every serial is bumped.
    pub fn fingerprint(&self) -> String {
        let servers: Vec<String> = self.nameservers.iter().map(Name::to_string).collect();
        format!(
            "ptr v4={:?} v6={:?} ns={} rname={} ttl={} soa={SOA_REFRESH}/{SOA_RETRY}/{SOA_EXPIRE}/{}",
            self.defaults.v4,
            self.defaults.v6,
            servers.join(","),
            self.hostmaster,
            self.ttl,
            self.negative_ttl(),
        )
    }
}

/// A configured host name (`ns1.example.net`) as a fully qualified DNS name.
pub fn absolute_name(text: &str) -> Option<Name> {
    let text = text.trim().trim_end_matches('.');
    if text.is_empty() {
        return None;
    }
    let mut name = Name::from_ascii(text).ok()?;
    name.set_fqdn(true);
    Some(name)
}

impl Publishing {
    /// What `settings` say to publish and to whom (zone cuts, NS, SOA, secondaries, TSIG).
    pub fn from_settings(settings: &Settings) -> Result<Publishing, ConfigError> {
        let cuts = ZoneCuts::from_settings(settings)?;
        let nameservers = settings
            .dns_nameservers
            .iter()
            .map(|text| {
                absolute_name(text).ok_or_else(|| {
                    ConfigError::Invalid(format!("dns_nameservers: {text:?} is not a host name"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if nameservers.is_empty() {
            return Err(ConfigError::Invalid(
                "dns_nameservers: at least one name server is needed".to_owned(),
            ));
        }
        let hostmaster = absolute_name(&settings.dns_hostmaster).ok_or_else(|| {
            ConfigError::Invalid(format!(
                "dns_hostmaster: {:?} is not a name (write the mailbox with a dot: hostmaster.example.net)",
                settings.dns_hostmaster
            ))
        })?;
        let secondaries =
            crate::config::server_addresses("dns_secondaries", &settings.dns_secondaries)?;
        let public_servers =
            crate::config::server_addresses("dns_public_servers", &settings.dns_public_servers)?;
        let tsig = match &settings.dns_tsig_key {
            Some(key) => Some(
                tsig::TsigKey::parse(key.expose_secret())
                    .map_err(|err| ConfigError::Invalid(err.to_string()))?,
            ),
            None => None,
        };
        let catalog = match settings.catalog_zone.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(absolute_name(text).ok_or_else(|| {
                ConfigError::Invalid(format!("catalog_zone: {text:?} is not a DNS name"))
            })?),
        };
        if let Some(catalog) = &catalog {
            let reverse = ["in-addr.arpa.", "ip6.arpa."]
                .iter()
                .filter_map(|tree| Name::from_ascii(tree).ok());
            for tree in reverse {
                if tree.zone_of(catalog) || catalog.zone_of(&tree) {
                    return Err(ConfigError::Invalid(format!(
                        "catalog_zone: {catalog} overlaps the reverse tree {tree}; use a name of its own (catalog.ptrdesk.invalid)"
                    )));
                }
            }
        }
        Ok(Publishing {
            cuts,
            catalog,
            nameservers,
            hostmaster,
            ttl: settings.dns_ttl_seconds.max(1),
            defaults: settings.default_names()?,
            secondaries,
            tsig,
            sync_every: Duration::from_secs(settings.dns_sync_interval_seconds.max(1)),
            notify_deadline: Duration::from_secs(settings.dns_notify_deadline_seconds.max(1)),
            public_servers,
            live_poll: Duration::from_millis(settings.dns_live_poll_ms.max(10)),
            verify_every: (settings.dns_verify_interval_seconds > 0)
                .then(|| Duration::from_secs(settings.dns_verify_interval_seconds)),
            demo_forward_zones: settings.demo_forward_zones,
        })
    }
}

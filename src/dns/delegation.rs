//! Delegating an assignment's reverse names to the customer's own name servers (issue 16):
//! where the zone cut lies and what ptrdesk serves for it.
//!
//! - An IPv4 block of /25 to /31 inside a /24 zone (RFC 2317, "classless"): a child zone
//!   `FIRST/LEN.c.b.a.in-addr.arpa` (e.g. `16/29.100.51.198.in-addr.arpa`) delegated with NS,
//!   and for each address of the block a CNAME from its usual name into the child zone, which
//!   the customer's servers answer.
//! - A block on a label boundary below the zone cut — an IPv4 /32 or an octet-aligned IPv4
//!   block inside a larger zone, an IPv6 prefix on a nibble boundary (a /56 or /64 inside a
//!   /48 zone): NS at the block's own reverse name.
//!
//! A block that is a whole zone (or more) is delegated by the parent zone (the RIR), not here;
//! IPv6 prefixes off a nibble boundary and unaligned IPv4 blocks wider than a /24 cannot be
//! delegated. In every case the entries of the block stay in the database and are served again
//! when the delegation ends.

use super::Publishing;
use super::names::{ReverseZone, ZoneCuts};
use crate::domain::Network;
use hickory_server::proto::rr::rdata::{CNAME, NS};
use hickory_server::proto::rr::{LowerName, Name, RData, Record};
use std::net::{IpAddr, Ipv4Addr};

/// Where a delegated block's zone cut lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cut {
    /// RFC 2317: the child zone, and the block's addresses (each gets a CNAME into it).
    Classless {
        /// `FIRST/LEN.c.b.a.in-addr.arpa.`
        child: Name,
        /// The block's first address.
        first: Ipv4Addr,
        /// Its last.
        last: Ipv4Addr,
    },
    /// NS at the block's own reverse name.
    Boundary {
        /// The block's reverse name (fully qualified).
        name: Name,
    },
}

/// Why a block cannot be delegated, as a sentence for an admin.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotDelegable {
    /// The block is a whole reverse zone or more.
    #[error(
        "{network} is a whole reverse zone ({zone}) or more: it is delegated by the parent zone (your RIR), not by ptrdesk"
    )]
    WholeZone {
        /// The block.
        network: String,
        /// Its zone.
        zone: String,
    },
    /// Not on a boundary a zone cut can use.
    #[error(
        "{0} cannot be delegated: IPv4 blocks are delegated as /25 to /32 inside a /24 or on an octet boundary (/16, /24), IPv6 prefixes on a nibble boundary (a multiple of 4)"
    )]
    Unaligned(String),
}

impl NotDelegable {
    /// The sentence in the reader's language (`Display` stays English, for the logs).
    pub fn text(&self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            NotDelegable::WholeZone { network, zone } => Text::new("form-not-delegable-zone")
                .arg("network", network)
                .arg("zone", zone),
            NotDelegable::Unaligned(network) => {
                Text::new("form-not-delegable-unaligned").arg("network", network)
            }
        }
    }
}

impl Cut {
    /// The name at and below which questions are referred to the customer's servers.
    pub fn apex(&self) -> &Name {
        match self {
            Cut::Classless { child, .. } => child,
            Cut::Boundary { name } => name,
        }
    }

    /// The zone's name as people write it, without the final dot (`16/29.100.51.198.in-addr.arpa`;
    /// hickory's own text escapes the slash).
    pub fn zone_text(&self) -> String {
        plain(self.apex())
    }
}

/// A name's labels joined by dots, as written in zone files and by people (no escapes).
pub fn plain(name: &Name) -> String {
    name.iter()
        .map(String::from_utf8_lossy)
        .collect::<Vec<_>>()
        .join(".")
}

/// Where the zone cut of `network` lies, with ptrdesk's zones cut at `cuts`.
pub fn cut_of(network: &Network, cuts: &ZoneCuts) -> Result<Cut, NotDelegable> {
    let zone = cuts.zone_of(network.first());
    let prefix = network.prefix_len();
    if u32::from(prefix) <= zone_prefix(&zone) {
        return Err(NotDelegable::WholeZone {
            network: network.to_string(),
            zone: zone.to_string(),
        });
    }
    let boundary = match network {
        Network::V6Subnet(_) => 4,
        _ => 8,
    };
    if prefix.is_multiple_of(boundary) {
        let own = ReverseZone::spanning(network.first(), network.last())
            .ok_or_else(|| NotDelegable::Unaligned(network.to_string()))?;
        return Ok(Cut::Boundary { name: own.name() });
    }
    match (network.first(), network.last()) {
        (IpAddr::V4(first), IpAddr::V4(last)) if prefix > 24 => {
            let parent = ReverseZone::spanning(
                IpAddr::V4(Ipv4Addr::from(u32::from(first) & 0xffff_ff00)),
                IpAddr::V4(Ipv4Addr::from(u32::from(first) | 0xff)),
            )
            .ok_or_else(|| NotDelegable::Unaligned(network.to_string()))?;
            let label = format!("{}/{prefix}", first.octets()[3]);
            // `/` is no hostname character: the label is taken byte for byte.
            let child = Name::from_labels([label.as_bytes()])
                .and_then(|label| label.append_domain(&parent.name()))
                .map_err(|_| NotDelegable::Unaligned(network.to_string()))?;
            Ok(Cut::Classless { child, first, last })
        }
        _ => Err(NotDelegable::Unaligned(network.to_string())),
    }
}

fn zone_prefix(zone: &ReverseZone) -> u32 {
    u32::from(zone.network().prefix_len())
}

/// A delegated block as DNS serves it: its range, cut and the customer's name servers.
#[derive(Debug, Clone)]
pub struct Delegated {
    /// The block's first address.
    pub first: IpAddr,
    /// Its last.
    pub last: IpAddr,
    /// Where the cut lies.
    pub cut: Cut,
    /// The customer's name servers (fully qualified).
    pub nameservers: Vec<Name>,
}

impl Delegated {
    /// The block from its stored range and name servers; `None` when it is no delegable block
    /// (the zone cuts changed since it was delegated: it is then served as if not delegated).
    pub fn from_range(
        first: IpAddr,
        last: IpAddr,
        nameservers: &[String],
        cuts: &ZoneCuts,
    ) -> Option<Delegated> {
        let network = Network::from_range(first, last)?;
        let cut = cut_of(&network, cuts).ok()?;
        let nameservers: Vec<Name> = nameservers
            .iter()
            .filter_map(|text| super::absolute_name(text))
            .collect();
        (!nameservers.is_empty()).then_some(Delegated {
            first,
            last,
            cut,
            nameservers,
        })
    }

    /// Whether `ip` lies in the block.
    pub fn holds(&self, ip: IpAddr) -> bool {
        self.first <= ip && ip <= self.last
    }

    /// Whether a question about `name` is to be referred to the customer's servers.
    pub fn refers(&self, name: &LowerName) -> bool {
        LowerName::from(self.cut.apex()).zone_of(name)
    }

    /// The NS records at the cut.
    pub fn ns(&self, publishing: &Publishing) -> Vec<Record> {
        self.nameservers
            .iter()
            .map(|server| {
                Record::from_rdata(
                    self.cut.apex().clone(),
                    publishing.ttl,
                    RData::NS(NS(server.clone())),
                )
            })
            .collect()
    }

    /// For a classless block, the CNAME of `ip` into the child zone (RFC 2317 section 4).
    pub fn cname(&self, owner: Name, ip: IpAddr, publishing: &Publishing) -> Option<Record> {
        let (Cut::Classless { child, .. }, IpAddr::V4(v4)) = (&self.cut, ip) else {
            return None;
        };
        let target = Name::from_ascii(v4.octets()[3].to_string())
            .ok()?
            .append_domain(child)
            .ok()?;
        Some(Record::from_rdata(
            owner,
            publishing.ttl,
            RData::CNAME(CNAME(target)),
        ))
    }

    /// What a zone transfer carries for the block instead of its PTRs: the NS at the cut and,
    /// for a classless block, a CNAME per address.
    pub fn records(&self, publishing: &Publishing) -> Vec<Record> {
        let mut records = self.ns(publishing);
        if let Cut::Classless { first, last, .. } = self.cut {
            for n in u32::from(first)..=u32::from(last) {
                let ip = IpAddr::V4(Ipv4Addr::from(n));
                records.extend(self.cname(super::names::reverse_name(ip), ip, publishing));
            }
        }
        records
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(network: &str) -> Result<Cut, NotDelegable> {
        let cuts = ZoneCuts::new(24, 48).expect("valid cuts");
        cut_of(&Network::parse(network).expect("a network"), &cuts)
    }

    fn apex(network: &str) -> String {
        cut(network).expect("delegable").zone_text()
    }

    #[test]
    fn a_classless_block_gets_an_rfc_2317_child_zone() {
        assert_eq!(apex("198.51.100.16/29"), "16/29.100.51.198.in-addr.arpa");
        assert_eq!(apex("198.51.100.128/25"), "128/25.100.51.198.in-addr.arpa");
    }

    #[test]
    fn a_block_on_a_label_boundary_is_cut_at_its_own_name() {
        assert_eq!(apex("203.0.113.45"), "45.113.0.203.in-addr.arpa");
        assert_eq!(
            apex("2001:db8:10::/64"),
            "0.0.0.0.0.1.0.0.8.b.d.0.1.0.0.2.ip6.arpa"
        );
    }

    #[test]
    fn a_whole_zone_or_an_unaligned_prefix_is_refused_with_the_reason() {
        assert!(matches!(
            cut("198.51.100.0/24"),
            Err(NotDelegable::WholeZone { .. })
        ));
        assert!(matches!(
            cut("2001:db8::/48"),
            Err(NotDelegable::WholeZone { .. })
        ));
        assert!(matches!(
            cut("2001:db8:10::/62"),
            Err(NotDelegable::Unaligned(_))
        ));
    }
}

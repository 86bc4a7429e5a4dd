//! Reverse zones and the names in them: where the configured zone cuts put an address, which
//! zones an assignment spans, and what a question's name under `in-addr.arpa` or `ip6.arpa`
//! points at. Pure functions; no database, no sockets.

use crate::config::{ConfigError, Settings};
use crate::domain::Network;
use hickory_server::proto::rr::{LowerName, Name};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An assignment spanning more zones than this (a short prefix against a long cut, such as an
/// IPv6 /32 cut at /48) is listed with its first zones only; every zone is still answered.
pub const MAX_ZONES_PER_ASSIGNMENT: usize = 4096;

/// Where reverse zones are cut: the prefix length of an IPv4 zone (8, 16 or 24) and of an IPv6
/// zone (a multiple of 4 from 4 to 124, a nibble boundary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZoneCuts {
    v4: u8,
    v6: u8,
}

/// Why zone cuts cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CutError {
    /// An IPv4 cut not on an octet boundary.
    #[error("reverse_zone_v4_prefix must be 8, 16 or 24, not {0}")]
    V4(u8),
    /// An IPv6 cut not on a nibble boundary.
    #[error("reverse_zone_v6_prefix must be a multiple of 4 from 4 to 124, not {0}")]
    V6(u8),
}

impl ZoneCuts {
    /// Checks the two prefix lengths.
    pub fn new(v4: u8, v6: u8) -> Result<ZoneCuts, CutError> {
        if ![8, 16, 24].contains(&v4) {
            return Err(CutError::V4(v4));
        }
        if v6 == 0 || v6 > 124 || !v6.is_multiple_of(4) {
            return Err(CutError::V6(v6));
        }
        Ok(ZoneCuts { v4, v6 })
    }

    /// The cuts `settings` ask for (`reverse_zone_v4_prefix`, `reverse_zone_v6_prefix`).
    pub fn from_settings(settings: &Settings) -> Result<ZoneCuts, ConfigError> {
        ZoneCuts::new(
            settings.reverse_zone_v4_prefix,
            settings.reverse_zone_v6_prefix,
        )
        .map_err(|err| ConfigError::Invalid(err.to_string()))
    }

    /// The zone that holds the PTR of `ip`.
    pub fn zone_of(&self, ip: IpAddr) -> ReverseZone {
        match ip {
            IpAddr::V4(v4) => ReverseZone(IpNet::V4(
                Ipv4Net::new(v4, self.v4).map_or(Ipv4Net::default(), |net| net.trunc()),
            )),
            IpAddr::V6(v6) => ReverseZone(IpNet::V6(
                Ipv6Net::new(v6, self.v6).map_or(Ipv6Net::default(), |net| net.trunc()),
            )),
        }
    }

    /// The zones an assignment's addresses fall in: one when the assignment is no larger than a
    /// zone, else one per zone-sized part (at most [`MAX_ZONES_PER_ASSIGNMENT`]).
    pub fn zones_of(&self, network: &Network) -> Vec<ReverseZone> {
        let net = match network {
            Network::V4Host(ip) => IpNet::V4(Ipv4Net::from(*ip)),
            Network::V4Subnet(net) => IpNet::V4(*net),
            Network::V6Subnet(net) => IpNet::V6(*net),
        };
        let cut = match net {
            IpNet::V4(_) => self.v4,
            IpNet::V6(_) => self.v6,
        };
        if net.prefix_len() >= cut {
            return vec![self.zone_of(net.network())];
        }
        match net.subnets(cut) {
            Ok(parts) => parts
                .take(MAX_ZONES_PER_ASSIGNMENT)
                .map(ReverseZone)
                .collect(),
            Err(_) => vec![self.zone_of(net.network())],
        }
    }

    /// What a question's name points at.
    pub fn locate(&self, name: &LowerName) -> Located {
        let labels: Vec<&[u8]> = name.iter().collect();
        let Some((tree, digits)) = split_tree(&labels) else {
            return Located::Outside;
        };
        // Most significant label first.
        let digits: Vec<&[u8]> = digits.iter().rev().copied().collect();
        match tree {
            Tree::V4 => self.locate_v4(&digits),
            Tree::V6 => self.locate_v6(&digits),
        }
    }

    fn locate_v4(&self, labels: &[&[u8]]) -> Located {
        let in_zone = usize::from(self.v4 / 8);
        if labels.len() < in_zone {
            return Located::Outside;
        }
        let mut octets = [0u8; 4];
        for (at, label) in labels.iter().take(in_zone).enumerate() {
            match octet(label) {
                Some(value) => octets[at] = value,
                None => return Located::Outside,
            }
        }
        let zone = self.zone_of(IpAddr::V4(Ipv4Addr::from(octets)));
        if labels.len() > 4 {
            return Located::Inside {
                zone,
                node: Node::Nowhere,
            };
        }
        for (at, label) in labels.iter().enumerate().skip(in_zone) {
            match octet(label) {
                Some(value) => octets[at] = value,
                None => {
                    return Located::Inside {
                        zone,
                        node: Node::Nowhere,
                    };
                }
            }
        }
        let prefix = (labels.len() * 8) as u8;
        let ip = Ipv4Addr::from(octets);
        let node = if prefix == self.v4 {
            Node::Apex
        } else if prefix == 32 {
            Node::Address(IpAddr::V4(ip))
        } else {
            Node::Branch(IpNet::V4(
                Ipv4Net::new(ip, prefix).map_or(Ipv4Net::default(), |net| net.trunc()),
            ))
        };
        Located::Inside { zone, node }
    }

    fn locate_v6(&self, labels: &[&[u8]]) -> Located {
        let in_zone = usize::from(self.v6 / 4);
        if labels.len() < in_zone {
            return Located::Outside;
        }
        let mut bits: u128 = 0;
        for (at, label) in labels.iter().take(in_zone).enumerate() {
            match nibble(label) {
                Some(value) => bits |= u128::from(value) << (124 - 4 * at),
                None => return Located::Outside,
            }
        }
        let zone = self.zone_of(IpAddr::V6(Ipv6Addr::from(bits)));
        if labels.len() > 32 {
            return Located::Inside {
                zone,
                node: Node::Nowhere,
            };
        }
        for (at, label) in labels.iter().enumerate().skip(in_zone) {
            match nibble(label) {
                Some(value) => bits |= u128::from(value) << (124 - 4 * at),
                None => {
                    return Located::Inside {
                        zone,
                        node: Node::Nowhere,
                    };
                }
            }
        }
        let prefix = (labels.len() * 4) as u8;
        let ip = Ipv6Addr::from(bits);
        let node = if prefix == self.v6 {
            Node::Apex
        } else if prefix == 128 {
            Node::Address(IpAddr::V6(ip))
        } else {
            Node::Branch(IpNet::V6(
                Ipv6Net::new(ip, prefix).map_or(Ipv6Net::default(), |net| net.trunc()),
            ))
        };
        Located::Inside { zone, node }
    }
}

enum Tree {
    V4,
    V6,
}

/// Splits `labels` (as in the name, least significant first) into the reverse tree and the
/// address labels before it; `None` outside both trees.
fn split_tree<'a, 'b>(labels: &'b [&'a [u8]]) -> Option<(Tree, &'b [&'a [u8]])> {
    let (digits, suffix) = labels.split_at(labels.len().checked_sub(2)?);
    let tree = match suffix {
        [first, arpa] if arpa.eq_ignore_ascii_case(b"arpa") => {
            if first.eq_ignore_ascii_case(b"in-addr") {
                Tree::V4
            } else if first.eq_ignore_ascii_case(b"ip6") {
                Tree::V6
            } else {
                return None;
            }
        }
        _ => return None,
    };
    Some((tree, digits))
}

/// A decimal octet as written in reverse names: `0`–`255`, no leading zero.
fn octet(label: &[u8]) -> Option<u8> {
    if label.is_empty() || label.len() > 3 || (label.len() > 1 && label[0] == b'0') {
        return None;
    }
    if !label.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(label).ok()?.parse().ok()
}

/// One hexadecimal digit, either case.
fn nibble(label: &[u8]) -> Option<u8> {
    match label {
        [digit] => (*digit as char).to_digit(16).map(|value| value as u8),
        _ => None,
    }
}

/// What a question's name points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Located {
    /// Not at or below a zone ptrdesk could serve: outside the reverse trees, above the zone
    /// cut, or under a label no address has.
    Outside,
    /// At or below the apex of `zone` (whether it is served is for the database to say).
    Inside {
        /// The zone.
        zone: ReverseZone,
        /// Where in it.
        node: Node,
    },
}

/// A place inside a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    /// The zone's own name: SOA and NS live here.
    Apex,
    /// A name between the apex and the addresses (an empty non-terminal when an address below
    /// it has a PTR), covering these addresses.
    Branch(IpNet),
    /// The name of one address: its PTR lives here.
    Address(IpAddr),
    /// A name that can hold nothing (a label that is not a digit, or too deep).
    Nowhere,
}

/// A reverse zone: the addresses of one network at the zone cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReverseZone(IpNet);

impl ReverseZone {
    /// The zone holding exactly `first..=last`, when that is a network (as the zones table
    /// stores a zone's range).
    pub fn spanning(first: IpAddr, last: IpAddr) -> Option<ReverseZone> {
        let net = match (first, last) {
            (IpAddr::V4(first), IpAddr::V4(last)) => {
                let size = u64::from(u32::from(last)) - u64::from(u32::from(first)) + 1;
                let prefix = 32 - u8::try_from(size.trailing_zeros()).ok()?;
                IpNet::V4(ipnet::Ipv4Net::new(first, prefix).ok()?)
            }
            (IpAddr::V6(first), IpAddr::V6(last)) => {
                let span = u128::from(last).checked_sub(u128::from(first))?;
                let prefix = u8::try_from(span.count_ones())
                    .ok()
                    .map(|ones| 128 - ones)?;
                IpNet::V6(ipnet::Ipv6Net::new(first, prefix).ok()?)
            }
            _ => return None,
        };
        (net.network() == first && net.broadcast() == last).then_some(ReverseZone(net))
    }

    /// The addresses the zone holds.
    pub fn network(&self) -> IpNet {
        self.0
    }

    /// The first address of the zone.
    pub fn first(&self) -> IpAddr {
        self.0.network()
    }

    /// The last address of the zone.
    pub fn last(&self) -> IpAddr {
        self.0.broadcast()
    }

    /// Whether `ip` is in the zone.
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.contains(&ip)
    }

    /// The zone's name as a DNS name (fully qualified).
    pub fn name(&self) -> Name {
        let mut name = Name::from_ascii(self.to_string()).unwrap_or_else(|_| Name::root());
        name.set_fqdn(true);
        name
    }
}

/// The zone's name without the final dot, lower case: `2.0.192.in-addr.arpa`,
/// `0.1.0.0.8.b.d.0.1.0.0.2.ip6.arpa`. This is how the zones table names it.
impl fmt::Display for ReverseZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            IpNet::V4(net) => {
                let octets = net.network().octets();
                let labels = usize::from(net.prefix_len() / 8);
                for octet in octets[..labels].iter().rev() {
                    write!(f, "{octet}.")?;
                }
                write!(f, "in-addr.arpa")
            }
            IpNet::V6(net) => {
                let bits = u128::from(net.network());
                let nibbles = usize::from(net.prefix_len() / 4);
                for at in (0..nibbles).rev() {
                    write!(f, "{:x}.", (bits >> (124 - 4 * at)) & 0xf)?;
                }
                write!(f, "ip6.arpa")
            }
        }
    }
}

/// The reverse name of one address (`10.2.0.192.in-addr.arpa.`), the owner of its PTR.
pub fn reverse_name(ip: IpAddr) -> Name {
    let mut name = Name::from(ip);
    name.set_fqdn(true);
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn cuts() -> ZoneCuts {
        ZoneCuts::new(24, 48).unwrap()
    }

    fn locate(name: &str) -> Located {
        cuts().locate(&LowerName::from(Name::from_str(name).unwrap()))
    }

    #[test]
    fn an_ipv4_address_lives_in_its_slash_24_zone() {
        let zone = cuts().zone_of("192.0.2.10".parse().unwrap());
        assert_eq!(zone.to_string(), "2.0.192.in-addr.arpa");
        assert_eq!(zone.name().to_string(), "2.0.192.in-addr.arpa.");
    }

    #[test]
    fn an_ipv6_address_lives_in_its_nibble_zone() {
        let zone = cuts().zone_of("2001:db8:10::25".parse().unwrap());
        assert_eq!(zone.to_string(), "0.1.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
        let finer = ZoneCuts::new(16, 64).unwrap();
        assert_eq!(
            finer
                .zone_of("2001:db8:10:ff::1".parse().unwrap())
                .to_string(),
            "f.f.0.0.0.1.0.0.8.b.d.0.1.0.0.2.ip6.arpa"
        );
        assert_eq!(
            finer.zone_of("198.51.100.17".parse().unwrap()).to_string(),
            "51.198.in-addr.arpa"
        );
    }

    #[test]
    fn an_assignment_larger_than_the_cut_spans_several_zones() {
        let zones = cuts().zones_of(&Network::parse("198.51.100.0/22").unwrap());
        let names: Vec<String> = zones.iter().map(ToString::to_string).collect();
        assert_eq!(
            names,
            [
                "100.51.198.in-addr.arpa",
                "101.51.198.in-addr.arpa",
                "102.51.198.in-addr.arpa",
                "103.51.198.in-addr.arpa"
            ]
        );
        let one = cuts().zones_of(&Network::parse("198.51.100.16/29").unwrap());
        assert_eq!(one.len(), 1);
        let v6 = cuts().zones_of(&Network::parse("2001:db8::/46").unwrap());
        assert_eq!(v6.len(), 4);
    }

    #[test]
    fn names_are_located_at_the_apex_a_branch_or_an_address() {
        let zone = cuts().zone_of("192.0.2.1".parse().unwrap());
        assert_eq!(
            locate("2.0.192.in-addr.arpa."),
            Located::Inside {
                zone,
                node: Node::Apex
            }
        );
        assert_eq!(
            locate("10.2.0.192.IN-ADDR.ARPA."),
            Located::Inside {
                zone,
                node: Node::Address("192.0.2.10".parse().unwrap())
            }
        );
        assert_eq!(
            locate("010.2.0.192.in-addr.arpa."),
            Located::Inside {
                zone,
                node: Node::Nowhere
            }
        );
        assert_eq!(
            locate("x.10.2.0.192.in-addr.arpa."),
            Located::Inside {
                zone,
                node: Node::Nowhere
            }
        );
        assert_eq!(locate("0.192.in-addr.arpa."), Located::Outside);
        assert_eq!(locate("in-addr.arpa."), Located::Outside);
        assert_eq!(locate("example.net."), Located::Outside);
        assert_eq!(locate("x.0.192.in-addr.arpa."), Located::Outside);
    }

    #[test]
    fn ipv6_names_have_one_nibble_per_label() {
        let ip: IpAddr = "2001:db8:10::25".parse().unwrap();
        let name = reverse_name(ip).to_string();
        assert_eq!(
            locate(&name),
            Located::Inside {
                zone: cuts().zone_of(ip),
                node: Node::Address(ip)
            }
        );
        let branch = "0.0.0.0.0.1.0.0.8.b.d.0.1.0.0.2.ip6.arpa.";
        match locate(branch) {
            Located::Inside {
                node: Node::Branch(net),
                ..
            } => assert_eq!(net.to_string(), "2001:db8:10::/64"),
            other => panic!("a branch, not {other:?}"),
        }
        assert_eq!(locate("8.b.d.0.1.0.0.2.ip6.arpa."), Located::Outside);
    }

    #[test]
    fn cuts_must_be_on_octet_and_nibble_boundaries() {
        assert_eq!(ZoneCuts::new(20, 48), Err(CutError::V4(20)));
        assert_eq!(ZoneCuts::new(24, 50), Err(CutError::V6(50)));
        assert_eq!(ZoneCuts::new(24, 128), Err(CutError::V6(128)));
    }
}

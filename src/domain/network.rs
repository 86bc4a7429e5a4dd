//! IP assignments (a single IPv4 address, an IPv4 subnet, an IPv6 subnet) and the 16-byte
//! address keys they are stored and searched by.

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// IPv4 subnets up to this many addresses list every address with its own field; larger ones
/// are handled like IPv6 subnets (list of entries + a form to add one), so no page explodes.
const MAX_LISTED_ADDRESSES: u32 = 256;

/// Reads an IP address as every door does: trimmed, and an IPv4-mapped IPv6 address
/// (`::ffff:192.0.2.10`) as the IPv4 address it stands for, so that both spellings are one
/// address everywhere (the panel, the lookup, both APIs, the command line, imports).
pub fn parse_address(text: &str) -> Result<IpAddr, std::net::AddrParseError> {
    text.trim().parse::<IpAddr>().map(|ip| ip.to_canonical())
}

/// Reads a network (`192.0.2.0/24`, `2001:db8::/64`) as every door does: a network inside the
/// IPv4-mapped range (`::ffff:192.0.2.0/120`) as the IPv4 network it stands for.
pub fn parse_net(text: &str) -> Result<IpNet, ipnet::AddrParseError> {
    text.trim().parse::<IpNet>().map(canonical_net)
}

/// `net`, or the IPv4 network it stands for when it lies inside `::ffff:0:0/96`.
fn canonical_net(net: IpNet) -> IpNet {
    match net {
        IpNet::V6(v6) if v6.prefix_len() >= 96 => match v6.network().to_ipv4_mapped() {
            Some(v4) => Ipv4Net::new(v4, v6.prefix_len() - 96).map_or(net, IpNet::V4),
            None => net,
        },
        _ => net,
    }
}

/// The key an address is stored and compared by: 16 bytes, IPv4 as `::ffff:a.b.c.d`, so that
/// byte order is numeric order in both database engines and the families never interleave.
pub fn address_key(ip: IpAddr) -> Vec<u8> {
    match ip {
        IpAddr::V4(v4) => v4.to_ipv6_mapped().octets().to_vec(),
        IpAddr::V6(v6) => v6.octets().to_vec(),
    }
}

/// Reads a key written by [`address_key`].
pub fn address_from_key(key: &[u8]) -> Option<IpAddr> {
    let octets: [u8; 16] = key.try_into().ok()?;
    let v6 = Ipv6Addr::from(octets);
    Some(match v6.to_ipv4_mapped() {
        Some(v4) => IpAddr::V4(v4),
        None => IpAddr::V6(v6),
    })
}

/// An address as one number in the key space both families share, in the order of
/// [`address_key`] (IPv4 as the mapped IPv6 `::ffff:a.b.c.d`).
pub fn address_number(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(v4.to_ipv6_mapped()),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

/// The address of a number written by [`address_number`].
pub fn number_address(number: u128) -> IpAddr {
    let v6 = Ipv6Addr::from(number);
    match v6.to_ipv4_mapped() {
        Some(v4) => IpAddr::V4(v4),
        None => IpAddr::V6(v6),
    }
}

/// Every span of `spans` (first and last address number) that overlaps one starting at or
/// before it, found in one pass in address order: pairs of (its index, the index of the
/// widest span before it that it overlaps).
pub fn overlapping_spans(spans: &[(u128, u128)]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    // Stable: of two equal spans, the one listed first stays first.
    order.sort_by_key(|index| spans[*index]);
    let mut found = Vec::new();
    let mut widest: Option<usize> = None;
    for index in order {
        if let Some(before) = widest {
            if spans[index].0 <= spans[before].1 {
                found.push((index, before));
            }
            if spans[index].1 <= spans[before].1 {
                continue;
            }
        }
        widest = Some(index);
    }
    found
}

/// What an IP assignment covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Network {
    /// One IPv4 address.
    V4Host(Ipv4Addr),
    /// An IPv4 subnet such as `192.0.2.16/29`.
    V4Subnet(Ipv4Net),
    /// An IPv6 subnet such as `2001:db8:1::/64`.
    V6Subnet(Ipv6Net),
}

/// Why a text is not an assignable network.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetworkError {
    /// Neither an address nor a network.
    #[error(
        "\"{0}\" is not an IP address or network (e.g. 192.0.2.10, 192.0.2.16/29, 2001:db8::/64)."
    )]
    Unparsable(String),
    /// Host bits set.
    #[error("\"{given}\" is not the start of its network; did you mean {suggested}?")]
    HostBitsSet {
        /// What was typed.
        given: String,
        /// The network it lies in.
        suggested: String,
    },
    /// An IPv6 network reaching into `::ffff:0:0/96` (IPv4-mapped, or one covering it such as
    /// `::/64`) would hold IPv4 addresses: both families share one key space.
    #[error(
        "\"{0}\" covers IPv4-mapped addresses (::ffff:0:0/96), i.e. IPv4 addresses; assign the IPv4 addresses instead."
    )]
    Ipv4Mapped(String),
}

impl NetworkError {
    /// The sentence in the reader's language (`Display` stays English, for the logs).
    pub fn text(&self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            NetworkError::Unparsable(given) => {
                Text::new("form-network-unparsable").arg("given", given)
            }
            NetworkError::HostBitsSet { given, suggested } => Text::new("form-network-host-bits")
                .arg("given", given)
                .arg("suggested", suggested),
            NetworkError::Ipv4Mapped(given) => {
                Text::new("form-network-ipv4-mapped").arg("given", given)
            }
        }
    }
}

/// Whether `net` reaches into `::ffff:0:0/96`, where [`address_key`] puts the IPv4 addresses.
fn aliases_ipv4(net: &Ipv6Net) -> bool {
    const MAPPED_FIRST: u128 = 0xffff_0000_0000;
    const MAPPED_LAST: u128 = 0xffff_ffff_ffff;
    u128::from(net.network()) <= MAPPED_LAST && u128::from(net.broadcast()) >= MAPPED_FIRST
}

impl Network {
    /// Parses `192.0.2.10`, `192.0.2.10/32`, `192.0.2.16/29`, `2001:db8::/64` or a plain IPv6
    /// address (taken as a /128).
    pub fn parse(text: &str) -> Result<Network, NetworkError> {
        let text = text.trim();
        // A network inside `::ffff:0:0/96` is refused below (assign the IPv4 network); a
        // single mapped address is the IPv4 address it stands for.
        let net: IpNet = match text.parse::<IpNet>() {
            Ok(net) => net,
            Err(_) => match parse_address(text) {
                Ok(ip) => IpNet::from(ip),
                Err(_) => return Err(NetworkError::Unparsable(text.to_owned())),
            },
        };
        if net.trunc() != net {
            return Err(NetworkError::HostBitsSet {
                given: text.to_owned(),
                suggested: net.trunc().to_string(),
            });
        }
        Ok(match net {
            IpNet::V4(v4) if v4.prefix_len() == 32 => Network::V4Host(v4.addr()),
            IpNet::V4(v4) => Network::V4Subnet(v4),
            IpNet::V6(v6) if aliases_ipv4(&v6) => {
                return Err(NetworkError::Ipv4Mapped(text.to_owned()));
            }
            IpNet::V6(v6) => Network::V6Subnet(v6),
        })
    }

    /// The network spanning exactly `first..=last`, when that is one (as stored ranges are).
    pub fn from_range(first: IpAddr, last: IpAddr) -> Option<Network> {
        let span = address_number(last).checked_sub(address_number(first))?;
        let host_bits = u8::try_from(span.count_ones()).ok()?;
        let prefix = match first {
            IpAddr::V4(_) => 32u8.checked_sub(host_bits)?,
            IpAddr::V6(_) => 128u8.checked_sub(host_bits)?,
        };
        let network = Network::parse(&format!("{first}/{prefix}")).ok()?;
        (network.first() == first && network.last() == last).then_some(network)
    }

    /// 4 or 6.
    pub fn family(&self) -> i64 {
        match self {
            Network::V4Host(_) | Network::V4Subnet(_) => 4,
            Network::V6Subnet(_) => 6,
        }
    }

    /// The prefix length (32 for a single IPv4 address).
    pub fn prefix_len(&self) -> u8 {
        match self {
            Network::V4Host(_) => 32,
            Network::V4Subnet(net) => net.prefix_len(),
            Network::V6Subnet(net) => net.prefix_len(),
        }
    }

    /// The first address covered.
    pub fn first(&self) -> IpAddr {
        match self {
            Network::V4Host(ip) => IpAddr::V4(*ip),
            Network::V4Subnet(net) => IpAddr::V4(net.network()),
            Network::V6Subnet(net) => IpAddr::V6(net.network()),
        }
    }

    /// The last address covered.
    pub fn last(&self) -> IpAddr {
        match self {
            Network::V4Host(ip) => IpAddr::V4(*ip),
            Network::V4Subnet(net) => IpAddr::V4(net.broadcast()),
            Network::V6Subnet(net) => IpAddr::V6(net.broadcast()),
        }
    }

    /// Its first and last address as [`address_number`]s.
    pub fn span(&self) -> (u128, u128) {
        (address_number(self.first()), address_number(self.last()))
    }

    /// Whether `ip` lies inside.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self, ip) {
            (Network::V4Host(own), IpAddr::V4(ip)) => *own == ip,
            (Network::V4Subnet(net), IpAddr::V4(ip)) => net.contains(&ip),
            (Network::V6Subnet(net), IpAddr::V6(ip)) => net.contains(&ip),
            _ => false,
        }
    }

    /// Every address of the assignment, when it is small enough to list each one with its own
    /// field; `None` for IPv6 and large IPv4 subnets, whose entries are added one by one.
    pub fn listed_addresses(&self) -> Option<Vec<IpAddr>> {
        match self {
            Network::V4Host(ip) => Some(vec![IpAddr::V4(*ip)]),
            Network::V4Subnet(net)
                if 1u64 << (32 - net.prefix_len()) <= MAX_LISTED_ADDRESSES as u64 =>
            {
                let first = u32::from(net.network());
                let last = u32::from(net.broadcast());
                Some(
                    (first..=last)
                        .map(|n| IpAddr::V4(Ipv4Addr::from(n)))
                        .collect(),
                )
            }
            _ => None,
        }
    }

    /// A word for people in the reader's language: "IPv4 address", "IPv4 subnet", "IPv6
    /// subnet".
    pub fn kind_label(&self) -> String {
        crate::i18n::t(match self {
            Network::V4Host(_) => "ips-kind-v4-address",
            Network::V4Subnet(_) => "ips-kind-v4-subnet",
            Network::V6Subnet(_) => "ips-kind-v6-subnet",
        })
    }
}

/// The canonical text: `192.0.2.10`, `192.0.2.16/29`, `2001:db8::/64` (RFC 5952 for IPv6).
impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Network::V4Host(ip) => write!(f, "{ip}"),
            Network::V4Subnet(net) => write!(f, "{net}"),
            Network::V6Subnet(net) => write!(f, "{net}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_networks_reaching_into_the_ipv4_key_space_are_refused_and_their_neighbours_not() {
        for text in [
            "::/64",
            "::fffe:0:0/95",
            "::ffff:0:0/96",
            "::ffff:192.0.2.0/120",
            "::/0",
        ] {
            assert!(
                matches!(Network::parse(text), Err(NetworkError::Ipv4Mapped(_))),
                "{text}"
            );
        }
        for text in ["::/96", "::1:0:0:0/80", "2001:db8::/32", "::fffe:0:0/96"] {
            assert!(Network::parse(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn keys_sort_like_numbers_and_round_trip() {
        let low: IpAddr = "192.0.2.9".parse().unwrap();
        let high: IpAddr = "192.0.2.10".parse().unwrap();
        assert!(address_key(low) < address_key(high));
        let v6: IpAddr = "2001:db8::1".parse().unwrap();
        assert_eq!(address_from_key(&address_key(v6)), Some(v6));
        assert_eq!(address_from_key(&address_key(high)), Some(high));
    }

    #[test]
    fn a_subnet_with_host_bits_suggests_its_network() {
        let err = Network::parse("192.0.2.17/29").unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"192.0.2.17/29\" is not the start of its network; did you mean 192.0.2.16/29?"
        );
    }

    #[test]
    fn ipv6_is_shown_in_rfc_5952_form() {
        let net = Network::parse("2001:0DB8:0001:0000::/64").unwrap();
        assert_eq!(net.to_string(), "2001:db8:1::/64");
        assert_eq!(net.listed_addresses(), None);
    }

    #[test]
    fn a_slash_29_lists_its_eight_addresses() {
        let net = Network::parse("192.0.2.16/29").unwrap();
        let listed = net.listed_addresses().unwrap();
        assert_eq!(listed.len(), 8);
        assert_eq!(listed[7].to_string(), "192.0.2.23");
        assert!(net.contains("192.0.2.23".parse().unwrap()));
        assert!(!net.contains("192.0.2.24".parse().unwrap()));
    }
}

//! Who is asking: the client's address behind a reverse proxy, and lists of addresses and
//! networks from configuration (`trusted_proxies`, and lists like it).
//!
//! Policy: `X-Forwarded-For` is believed only from a trusted proxy, and only as far back as the
//! chain of trusted proxies goes; anything a client writes into the header itself is ignored.
//! Without trusted proxies every request's address is the peer's, as it would be without a
//! proxy. The result feeds sign-in throttling, rate limits and the audit log.

use actix_web::{HttpRequest, web};
use ipnet::IpNet;
use std::net::IpAddr;
use std::str::FromStr;

/// A list of addresses and networks, e.g. `127.0.0.1, 10.0.0.0/8, ::1`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressList {
    networks: Vec<IpNet>,
}

impl AddressList {
    /// Parses `IP` or `IP/PREFIX` items; an error names the item that is neither.
    pub fn parse<S: AsRef<str>>(items: &[S]) -> Result<AddressList, String> {
        let networks = items
            .iter()
            .map(|item| {
                let item = item.as_ref().trim();
                IpNet::from_str(item)
                    .or_else(|_| IpAddr::from_str(item).map(IpNet::from))
                    .map_err(|_| format!("`{item}` is neither an address nor a network"))
            })
            .collect::<Result<_, _>>()?;
        Ok(AddressList { networks })
    }

    /// Whether `ip` is one of the addresses or inside one of the networks (an IPv4-mapped
    /// IPv6 address counts as its IPv4 address).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.networks.iter().any(|network| network.contains(&ip))
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.networks.is_empty()
    }
}

/// The client's address: the peer's, unless the peer is a trusted proxy; then the nearest
/// address in `X-Forwarded-For` (read from the right) that is not itself a trusted proxy.
/// A header that does not parse leaves the last trusted hop as the answer: a proxy that
/// forwards garbage is still the best we know.
pub fn client_address(
    peer: IpAddr,
    forwarded_for: Option<&str>,
    trusted_proxies: &AddressList,
) -> IpAddr {
    let mut client = peer.to_canonical();
    if !trusted_proxies.contains(client) {
        return client;
    }
    let Some(header) = forwarded_for else {
        return client;
    };
    for hop in header.rsplit(',') {
        match IpAddr::from_str(hop.trim()) {
            Ok(ip) => {
                client = ip.to_canonical();
                if !trusted_proxies.contains(client) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client
}

/// The reverse proxies whose `X-Forwarded-For` names the client, as the application's data
/// (`web::Data<TrustedProxies>`), for [`source_address`].
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub AddressList);

/// The source address of a request, as recorded in the audit log and used for throttling and
/// rate limits: the peer, or the client a trusted proxy names.
pub fn source_address(req: &HttpRequest) -> String {
    let Some(peer) = req.peer_addr() else {
        return "unknown".to_owned();
    };
    let trusted = req
        .app_data::<web::Data<TrustedProxies>>()
        .map(|trusted| &trusted.0);
    match trusted {
        Some(trusted) if !trusted.is_empty() => {
            let forwarded_for = req
                .headers()
                .get("x-forwarded-for")
                .and_then(|value| value.to_str().ok());
            client_address(peer.ip(), forwarded_for, trusted).to_string()
        }
        _ => peer.ip().to_canonical().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn proxies() -> AddressList {
        AddressList::parse(&["127.0.0.1", "10.0.0.0/8"]).unwrap()
    }

    #[test]
    fn a_peer_that_is_no_proxy_is_the_client_whatever_the_header_says() {
        let client = client_address(ip("198.51.100.7"), Some("203.0.113.9"), &proxies());
        assert_eq!(client, ip("198.51.100.7"));
    }

    #[test]
    fn behind_a_trusted_proxy_the_forwarded_address_is_the_client() {
        let client = client_address(ip("127.0.0.1"), Some("203.0.113.9"), &proxies());
        assert_eq!(client, ip("203.0.113.9"));
    }

    #[test]
    fn what_a_client_prepends_to_the_header_is_ignored() {
        // The client sent "X-Forwarded-For: 192.0.2.1"; two proxies appended what they saw.
        let header = "192.0.2.1, 203.0.113.9, 10.1.2.3";
        let client = client_address(ip("127.0.0.1"), Some(header), &proxies());
        assert_eq!(client, ip("203.0.113.9"));
    }

    #[test]
    fn a_trusted_proxy_without_header_or_with_garbage_is_the_client() {
        assert_eq!(
            client_address(ip("127.0.0.1"), None, &proxies()),
            ip("127.0.0.1")
        );
        assert_eq!(
            client_address(ip("127.0.0.1"), Some("not-an-ip"), &proxies()),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn mapped_ipv6_peers_count_as_their_ipv4_address() {
        let client = client_address(ip("::ffff:127.0.0.1"), Some("2001:db8::1"), &proxies());
        assert_eq!(client, ip("2001:db8::1"));
    }

    #[test]
    fn lists_name_the_item_they_cannot_read() {
        let err = AddressList::parse(&["10.0.0.0/8", "proxy.example"]).unwrap_err();
        assert!(err.contains("proxy.example"), "{err}");
    }
}

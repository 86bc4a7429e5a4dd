//! A DNS hierarchy on loopback for the authoritative checks: a root server, a server for the
//! TLDs `com` and `net`, and the domains' own servers, each an in-process DNS server on its
//! own address of 127.0.0.0/8 and all on one port (DNS glue carries no port: the panel is
//! told it as `authority_port`). The root hint is the root server; nothing leaves loopback.
//!
//! The name servers are called `….hosting.com` (`com` holds their addresses):
//!
//! | domain | its name servers |
//! |---|---|
//! | `example.com` | ns1 (`PRIMARY`) and ns2 (`SECONDARY`), the same records |
//! | `lame.com` | `lame` answers REFUSED (lame), ns1 |
//! | `split.com` | `new` has `mail.split.com A 192.0.2.7`, `old` an older copy without it |
//! | `slow.com` | `slow` answers after [`SLOW`], ns1 |
//! | `alias.net` | ns1; a CNAME chain runs example.com → alias.net → example.com |
//! | `glueless.net` | ns2 |
//!
//! The `net` servers' addresses are in `com`: the TLD server gives none with the referral and
//! the walk looks them up.

use super::dns_server::{DnsServer, Zone};
use hickory_server::proto::op::ResponseCode;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;
use tokio::net::{TcpListener, UdpSocket};

/// How late the slow server of `slow.com` answers: past a question's deadline.
pub const SLOW: Duration = Duration::from_secs(3);

// The hosts of the hierarchy, by their last octet.
/// The root server (the root hint).
pub const ROOT: u8 = 1;
/// The server of `com` and `net`.
pub const TLD: u8 = 2;
/// The server of most domains.
pub const PRIMARY: u8 = 3;
/// example.com's second server.
pub const SECONDARY: u8 = 4;
/// ns1.lame.com, answering REFUSED.
pub const LAME: u8 = 5;
/// ns1.split.com, with `mail.split.com`.
pub const SPLIT_NEW: u8 = 6;
/// ns2.split.com, an older copy of `split.com` without it.
pub const SPLIT_OLD: u8 = 7;
/// ns1.slow.com, answering after [`SLOW`].
pub const SLOW_HOST: u8 = 8;
const HOSTS: u8 = 8;

/// The running hierarchy; it stops when dropped.
pub struct Hierarchy {
    /// The port every server listens on.
    pub port: u16,
    base: [u8; 3],
    servers: Vec<(u8, DnsServer)>,
}

impl Hierarchy {
    /// The standard hierarchy of this module, `example.com` holding `records` besides ns1,
    /// ns2, `www` (a CNAME to `edge.alias.net`) and `mail` (A 203.0.113.45).
    pub async fn start() -> Hierarchy {
        let (base, port, mut sockets) = reserve().await;
        let ip = |host: u8| Ipv4Addr::new(base[0], base[1], base[2], host).to_string();
        let mut take = |host: u8| sockets.remove(&host).expect("a reserved host");

        // The name servers' own names live in the parent zones as their data, not below a
        // zone cut: hickory-server adds such addresses to a referral, but no glue below a cut.
        let root = Zone::new(".")
            .ns("com", "a.nic")
            .ns("net", "a.nic")
            .a("a.nic", &ip(TLD));
        let hosts = [
            ("ns1.hosting.com", PRIMARY),
            ("ns2.hosting.com", SECONDARY),
            ("lame.hosting.com", LAME),
            ("new.hosting.com", SPLIT_NEW),
            ("old.hosting.com", SPLIT_OLD),
            ("slow.hosting.com", SLOW_HOST),
        ];
        let mut com = Zone::new("com");
        let mut hosting = Zone::new("hosting.com");
        for (name, host) in hosts {
            com = com.a(name, &ip(host));
            hosting = hosting.a(name, &ip(host));
        }
        let delegate = |zone: Zone, domain: &str, first: &str, second: &str| {
            zone.ns(domain, first).ns(domain, second)
        };
        let com = delegate(com, "example.com", "ns1.hosting.com", "ns2.hosting.com");
        let com = delegate(com, "lame.com", "lame.hosting.com", "ns1.hosting.com");
        let com = delegate(com, "split.com", "new.hosting.com", "old.hosting.com");
        let com = delegate(com, "slow.com", "slow.hosting.com", "ns1.hosting.com");
        // Name servers outside `net`: the TLD server gives no address, the walk looks it up.
        let net = Zone::new("net")
            .ns("alias.net", "ns1.hosting.com")
            .ns("glueless.net", "ns2.hosting.com");

        let example = || {
            Zone::new("example.com")
                .ns("example.com", "ns1.hosting.com")
                .ns("example.com", "ns2.hosting.com")
                .a("mail.example.com", "203.0.113.45")
                .cname("www.example.com", "edge.alias.net")
        };
        let alias = Zone::new("alias.net").cname("edge.alias.net", "mail.example.com");
        let split_new = || {
            Zone::new("split.com")
                .serial(2)
                .a("mail.split.com", "192.0.2.7")
        };
        let glueless = Zone::new("glueless.net").a("host.glueless.net", "203.0.113.46");

        let servers = vec![
            (ROOT, DnsServer::serving_on(take(ROOT), [root])),
            (TLD, DnsServer::serving_on(take(TLD), [com, net])),
            (
                PRIMARY,
                DnsServer::serving_on(
                    take(PRIMARY),
                    // `hosting.com` too, for a resolver that forwards everything here.
                    [
                        example(),
                        Zone::new("lame.com"),
                        slow_zone(),
                        alias,
                        hosting,
                    ],
                ),
            ),
            (
                SECONDARY,
                DnsServer::serving_on(take(SECONDARY), [example(), glueless]),
            ),
            (
                LAME,
                DnsServer::answering_on(take(LAME), ResponseCode::Refused),
            ),
            (
                SPLIT_NEW,
                DnsServer::serving_on(take(SPLIT_NEW), [split_new()]),
            ),
            (
                SPLIT_OLD,
                DnsServer::serving_on(take(SPLIT_OLD), [Zone::new("split.com")]),
            ),
            (
                SLOW_HOST,
                DnsServer::late_on(take(SLOW_HOST), SLOW, [slow_zone()]),
            ),
        ];
        Hierarchy {
            port,
            base,
            servers,
        }
    }

    /// The address of host `host` (its last octet).
    pub fn address(&self, host: u8) -> SocketAddr {
        let [a, b, c] = self.base;
        SocketAddr::new(IpAddr::V4(Ipv4Addr::new(a, b, c, host)), self.port)
    }

    /// `ip:port` of host `host`, as a finding shows it.
    pub fn shown(&self, host: u8) -> String {
        self.address(host).to_string()
    }

    /// The root hint: the root server.
    pub fn root_hint(&self) -> SocketAddr {
        self.address(ROOT)
    }

    /// The server of host `host`.
    pub fn server(&self, host: u8) -> &DnsServer {
        &self
            .servers
            .iter()
            .find(|(at, _)| *at == host)
            .expect("a host of the hierarchy")
            .1
    }

    /// The panel's settings for this hierarchy: authoritative checks from its root.
    pub fn configure(&self, settings: &mut ptrdesk::config::Settings) {
        settings.dns_checks = true;
        settings.check_mode = ptrdesk::domain::CheckMode::Authoritative;
        settings.root_hints = vec![self.root_hint().to_string()];
        settings.authority_port = self.port;
        settings.dns_timeout_ms = 1000;
    }
}

fn slow_zone() -> Zone {
    Zone::new("slow.com").a("mail.slow.com", "203.0.113.47")
}

/// Hosts 1..=HOSTS of a random 127.x.y.0/24, each with a UDP socket and a TCP listener on one
/// port: the OS picks the port for the first; if another host has it taken, another /24 and
/// port are tried.
async fn reserve() -> (
    [u8; 3],
    u16,
    std::collections::HashMap<u8, (UdpSocket, TcpListener)>,
) {
    'attempt: for _ in 0..50 {
        let mut random = [0u8; 2];
        rand::fill(&mut random[..]);
        let base = [127, random[0].max(1), random[1]];
        let at = |host: u8| IpAddr::V4(Ipv4Addr::new(base[0], base[1], base[2], host));
        let Ok(first) = UdpSocket::bind((at(1), 0)).await else {
            continue;
        };
        let port = first.local_addr().expect("a bound socket").port();
        let mut sockets = std::collections::HashMap::new();
        let Ok(tcp) = TcpListener::bind((at(1), port)).await else {
            continue;
        };
        sockets.insert(1, (first, tcp));
        for host in 2..=HOSTS {
            let Ok(udp) = UdpSocket::bind((at(host), port)).await else {
                continue 'attempt;
            };
            let Ok(tcp) = TcpListener::bind((at(host), port)).await else {
                continue 'attempt;
            };
            sockets.insert(host, (udp, tcp));
        }
        return (base, port, sockets);
    }
    panic!("no /24 of 127.0.0.0/8 had one port free on {HOSTS} hosts");
}

/// A panel whose checks walk `dns` from its root, the forward record required.
pub async fn authoritative_app(dns: &Hierarchy) -> super::TestApp {
    super::spawn_app_with(|settings| {
        dns.configure(settings);
        settings.forward_policy = ptrdesk::domain::ForwardPolicy::Require;
    })
    .await
}

/// A panel whose checks ask the resolver at `resolver` (`check_mode = resolver`), the
/// forward record required: the same checks behind a cache, to compare with
/// [`authoritative_app`].
pub async fn resolver_app(resolver: std::net::SocketAddr) -> super::TestApp {
    let server = resolver.to_string();
    super::spawn_app_with(|settings| {
        settings.dns_checks = true;
        settings.check_mode = ptrdesk::domain::CheckMode::Resolver;
        settings.dns_servers = vec![server];
        settings.forward_policy = ptrdesk::domain::ForwardPolicy::Require;
    })
    .await
}

//! Real DNS servers on loopback for the DNS check tests: an in-process hickory-server serving
//! test zones over UDP and TCP (at once, or each answer late), one that answers every question
//! with a fixed error code (SERVFAIL, REFUSED), sockets that take questions and never answer,
//! and hickory's caching forwarder (a resolver that remembers negative answers).

use hickory_resolver::config::{ConnectionConfig, NameServerConfig};
use hickory_server::Server;
use hickory_server::net::runtime::{Time, TokioRuntimeProvider};
use hickory_server::proto::op::{Header, HeaderCounts, Metadata, ResponseCode};
use hickory_server::proto::rr::rdata::{A, AAAA, CNAME, MX, NS, SOA, TXT};
use hickory_server::proto::rr::{LowerName, Name, RData, Record};
use hickory_server::server::{Request, RequestHandler, ResponseHandler, ResponseInfo};
use hickory_server::store::forwarder::{ForwardConfig, ForwardZoneHandler};
use hickory_server::store::in_memory::InMemoryZoneHandler;
use hickory_server::zone_handler::{
    AxfrPolicy, Catalog, MessageResponseBuilder, ZoneHandler, ZoneType,
};
use ptrdesk::checks::dns::{DnsChecker, DnsSettings};
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, UdpSocket};

/// The deadline of one question in these tests: long enough for a loaded machine, short
/// enough that waiting for a silent server stays cheap.
pub const QUESTION_TIMEOUT: Duration = Duration::from_secs(1);

const TTL: u32 = 300;

/// One zone: its SOA, added by [`Zone::new`], and the records added after.
pub struct Zone {
    origin: Name,
    records: Vec<Record>,
}

impl Zone {
    /// A zone with only its SOA; `"."` is the root zone.
    pub fn new(origin: &str) -> Zone {
        let origin = name(origin);
        let soa = SOA::new(
            name(&format!("ns1.{origin}")),
            name(&format!("hostmaster.{origin}")),
            1,
            3600,
            600,
            86_400,
            TTL,
        );
        let records = vec![Record::from_rdata(origin.clone(), TTL, RData::SOA(soa))];
        Zone { origin, records }
    }

    /// The zone at SOA serial `serial` (instead of 1).
    pub fn serial(mut self, serial: u32) -> Zone {
        for record in &mut self.records {
            if let RData::SOA(soa) = &mut record.data {
                soa.serial = serial;
            }
        }
        self
    }

    /// Adds `owner A address`.
    pub fn a(mut self, owner: &str, address: &str) -> Zone {
        let address = address.parse().expect("an IPv4 address");
        self.records
            .push(Record::from_rdata(name(owner), TTL, RData::A(A(address))));
        self
    }

    /// Adds `owner AAAA address`.
    pub fn aaaa(mut self, owner: &str, address: &str) -> Zone {
        let address = address.parse().expect("an IPv6 address");
        self.records.push(Record::from_rdata(
            name(owner),
            TTL,
            RData::AAAA(AAAA(address)),
        ));
        self
    }

    /// Adds `owner TXT "text"` (one character-string; longer texts are split at 255 octets).
    pub fn txt(mut self, owner: &str, text: &str) -> Zone {
        let parts: Vec<String> = text
            .as_bytes()
            .chunks(255)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect();
        self.records.push(Record::from_rdata(
            name(owner),
            TTL,
            RData::TXT(TXT::new(parts)),
        ));
        self
    }

    /// Adds `owner MX preference exchange`.
    pub fn mx(mut self, owner: &str, preference: u16, exchange: &str) -> Zone {
        let mx = MX::new(preference, name(exchange));
        self.records
            .push(Record::from_rdata(name(owner), TTL, RData::MX(mx)));
        self
    }

    /// Adds `owner NS target` (at a zone cut below the origin: a delegation).
    pub fn ns(mut self, owner: &str, target: &str) -> Zone {
        let target = NS(name(target));
        self.records
            .push(Record::from_rdata(name(owner), TTL, RData::NS(target)));
        self
    }

    /// Adds `owner CNAME target`.
    pub fn cname(mut self, owner: &str, target: &str) -> Zone {
        let target = CNAME(name(target));
        self.records
            .push(Record::from_rdata(name(owner), TTL, RData::CNAME(target)));
        self
    }

    fn handler(self) -> (LowerName, InMemoryZoneHandler<TokioRuntimeProvider>) {
        let mut handler = InMemoryZoneHandler::empty(
            self.origin.clone(),
            ZoneType::Primary,
            AxfrPolicy::Deny,
            None,
        );
        for record in self.records {
            let shown = format!("{record}");
            assert!(handler.upsert_mut(record, 1), "the zone takes {shown}");
        }
        (LowerName::new(&self.origin), handler)
    }
}

/// A fully qualified name; `"."` is the root.
fn name(text: &str) -> Name {
    if text == "." {
        return Name::root();
    }
    let mut name = Name::from_ascii(text.trim_end_matches('.')).expect("a test name");
    name.set_fqdn(true);
    name
}

/// A DNS server running on 127.0.0.1 until it is dropped.
pub struct DnsServer {
    /// Where it listens, on UDP and TCP alike.
    pub address: SocketAddr,
    zones: Vec<Arc<InMemoryZoneHandler<TokioRuntimeProvider>>>,
    /// Every question a zone server was asked, as `name TYPE` (lower case, with the root dot).
    asked: Arc<Mutex<Vec<String>>>,
    /// The server or sockets; dropping them stops the server.
    _running: Box<dyn Send>,
}

impl DnsServer {
    /// hickory-server, authoritative for `zones`.
    pub async fn serving(zones: impl IntoIterator<Item = Zone>) -> DnsServer {
        DnsServer::serving_on(bind_udp_and_tcp().await, zones)
    }

    /// hickory-server on the given sockets, authoritative for `zones`.
    pub fn serving_on(
        (udp, tcp): (UdpSocket, TcpListener),
        zones: impl IntoIterator<Item = Zone>,
    ) -> DnsServer {
        DnsServer::late_on((udp, tcp), Duration::ZERO, zones)
    }

    /// The same, but every answer leaves `delay` after its question came.
    pub fn late_on(
        (udp, tcp): (UdpSocket, TcpListener),
        delay: Duration,
        zones: impl IntoIterator<Item = Zone>,
    ) -> DnsServer {
        let mut catalog = Catalog::new();
        let mut handlers = Vec::new();
        for zone in zones {
            let (origin, handler) = zone.handler();
            let handler = Arc::new(handler);
            catalog.upsert(origin, vec![handler.clone()]);
            handlers.push(handler);
        }
        let address = udp.local_addr().expect("a bound socket");
        let asked = Arc::new(Mutex::new(Vec::new()));
        let mut server = Server::new(Late(delay, catalog, Arc::clone(&asked)));
        server.register_socket(udp);
        server.register_listener(tcp, QUESTION_TIMEOUT, 16);
        DnsServer {
            address,
            zones: handlers,
            asked,
            _running: Box::new(server),
        }
    }

    /// Adds `owner A address` to the served zone that holds `owner`, as a zone update would.
    pub async fn add_a(&self, owner: &str, address: &str) {
        let owner = name(owner);
        let zone = self
            .zones
            .iter()
            .filter(|zone| zone.origin().zone_of(&LowerName::new(&owner)))
            .max_by_key(|zone| zone.origin().num_labels())
            .expect("a served zone holds the name");
        let address = address.parse().expect("an IPv4 address");
        let record = Record::from_rdata(owner, TTL, RData::A(A(address)));
        assert!(zone.upsert(record, 2).await, "the zone takes the record");
    }

    /// Replaces the A records of `owner` with `address` alone, as moving a forward record
    /// does (the zone that holds `owner` serves it at once).
    pub async fn set_a(&self, owner: &str, address: &str) {
        let owner = name(owner);
        let zone = self
            .zones
            .iter()
            .filter(|zone| zone.origin().zone_of(&LowerName::new(&owner)))
            .max_by_key(|zone| zone.origin().num_labels())
            .expect("a served zone holds the name");
        let key = hickory_server::proto::rr::RrKey::new(
            LowerName::new(&owner),
            hickory_server::proto::rr::RecordType::A,
        );
        zone.records_mut().await.remove(&key);
        let address = address.parse().expect("an IPv4 address");
        let record = Record::from_rdata(owner, TTL, RData::A(A(address)));
        assert!(zone.upsert(record, 3).await, "the zone takes the record");
    }

    /// hickory-server answering every question with `code` (SERVFAIL, REFUSED, …).
    pub async fn answering(code: ResponseCode) -> DnsServer {
        DnsServer::answering_on(bind_udp_and_tcp().await, code)
    }

    /// The same on the given sockets.
    pub fn answering_on((udp, tcp): (UdpSocket, TcpListener), code: ResponseCode) -> DnsServer {
        let address = udp.local_addr().expect("a bound socket");
        let mut server = Server::new(FixedAnswer(code));
        server.register_socket(udp);
        server.register_listener(tcp, QUESTION_TIMEOUT, 16);
        DnsServer {
            address,
            zones: Vec::new(),
            asked: Arc::default(),
            _running: Box::new(server),
        }
    }

    /// hickory's forwarder (the resolver of the `hickory-dns` server) asking `upstream` for
    /// every name, with its cache: it remembers an answer for its TTL, a negative one for the
    /// zone's negative TTL (RFC 2308), as resolvers in front of customers do.
    pub async fn caching_resolver(upstream: SocketAddr) -> DnsServer {
        let connection = |mut config: ConnectionConfig| {
            config.port = upstream.port();
            config
        };
        let name_server = NameServerConfig::new(
            upstream.ip(),
            true,
            vec![connection(ConnectionConfig::udp())],
        );
        let config = ForwardConfig {
            name_servers: vec![name_server],
            options: None,
        };
        let handler = ForwardZoneHandler::builder_tokio(config)
            .with_origin(Name::root())
            .build()
            .expect("the forwarder builds");
        let mut catalog = Catalog::new();
        catalog.upsert(LowerName::new(&Name::root()), vec![Arc::new(handler)]);
        let (udp, tcp) = bind_udp_and_tcp().await;
        let address = udp.local_addr().expect("a bound socket");
        let mut server = Server::new(catalog);
        server.register_socket(udp);
        server.register_listener(tcp, QUESTION_TIMEOUT, 16);
        DnsServer {
            address,
            zones: Vec::new(),
            asked: Arc::default(),
            _running: Box::new(server),
        }
    }

    /// A UDP socket and a TCP listener that take questions and never answer.
    pub async fn silent() -> DnsServer {
        let (udp, tcp) = bind_udp_and_tcp().await;
        let address = udp.local_addr().expect("a bound socket");
        DnsServer {
            address,
            zones: Vec::new(),
            asked: Arc::default(),
            _running: Box::new((udp, tcp)),
        }
    }

    /// How many questions this zone server was asked for names ending in `suffix` (`"."`:
    /// all of them).
    pub fn questions_under(&self, suffix: &str) -> usize {
        let suffix = format!("{}.", suffix.trim_end_matches('.').to_ascii_lowercase());
        let asked = self.asked.lock().expect("the question log");
        asked
            .iter()
            .filter(|question| {
                let name = question.split(' ').next().unwrap_or_default();
                suffix == "." || name.ends_with(&suffix)
            })
            .count()
    }

    /// A checker that asks this server only.
    pub fn checker(&self) -> DnsChecker {
        let settings = DnsSettings::resolvers(vec![self.address], QUESTION_TIMEOUT);
        DnsChecker::new(&settings).expect("the checker builds")
    }
}

/// A UDP socket and a TCP listener on the same free port of 127.0.0.1 (the resolver asks one
/// port over both). The OS picks the UDP port; if TCP has it taken, the OS picks again.
async fn bind_udp_and_tcp() -> (UdpSocket, TcpListener) {
    for _ in 0..20 {
        let udp = UdpSocket::bind((IpAddr::from([127, 0, 0, 1]), 0))
            .await
            .expect("a UDP socket on loopback");
        let address = udp.local_addr().expect("a bound socket");
        if let Ok(tcp) = TcpListener::bind(address).await {
            return (udp, tcp);
        }
    }
    panic!("no port of 127.0.0.1 was free for both UDP and TCP");
}

/// A catalog that answers `.0` late, and logs every question in `.2`.
struct Late(Duration, Catalog, Arc<Mutex<Vec<String>>>);

impl RequestHandler for Late {
    fn handle_request<'life0, 'life1, 'async_trait, R, T>(
        &'life0 self,
        request: &'life1 Request,
        response_handle: R,
    ) -> Pin<Box<dyn Future<Output = ResponseInfo> + Send + 'async_trait>>
    where
        R: ResponseHandler + 'async_trait,
        T: Time + 'async_trait,
        'life0: 'async_trait,
        'life1: 'async_trait,
        Self: 'async_trait,
    {
        Box::pin(async move {
            if let Ok(mut asked) = self.2.lock() {
                for query in request.queries.queries() {
                    asked.push(format!("{} {}", query.name(), query.query_type()));
                }
            }
            if !self.0.is_zero() {
                tokio::time::sleep(self.0).await;
            }
            self.1
                .handle_request::<R, T>(request, response_handle)
                .await
        })
    }
}

/// Answers every question with one response code and nothing else.
struct FixedAnswer(ResponseCode);

// `RequestHandler` is declared with `async_trait`; this is the signature it expands to.
impl RequestHandler for FixedAnswer {
    fn handle_request<'life0, 'life1, 'async_trait, R, T>(
        &'life0 self,
        request: &'life1 Request,
        mut response_handle: R,
    ) -> Pin<Box<dyn Future<Output = ResponseInfo> + Send + 'async_trait>>
    where
        R: ResponseHandler + 'async_trait,
        T: Time + 'async_trait,
        'life0: 'async_trait,
        'life1: 'async_trait,
        Self: 'async_trait,
    {
        Box::pin(async move {
            let response = MessageResponseBuilder::new(&request.queries, None)
                .error_msg(&request.metadata, self.0);
            match response_handle.send_response(response).await {
                Ok(sent) => sent,
                // The asker left; there is no one to tell.
                Err(_) => ResponseInfo::from(Header {
                    metadata: Metadata::response_from_request(&request.metadata),
                    counts: HeaderCounts::default(),
                }),
            }
        })
    }
}

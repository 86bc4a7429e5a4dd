//! The authoritative DNS server inside the ptrdesk process: hickory-server's UDP and TCP
//! listeners with ptrdesk's own [`RequestHandler`], which answers every question from the
//! node's zone store in memory (see [`super::answer`], [`super::store`]) and hands zone
//! transfers to [`super::transfer`]; in the demo, forward names under `net.` go to
//! [`super::demo_zones`] first. The store follows the database beside the listener
//! ([`ZoneStore::follow`]); the zone sync, the NOTIFY sender and the looks at the public
//! servers run as jobs ([`run_jobs`]).

use super::answer::{self, Answer};
use super::reply::{Reply, Signature};
use super::store::ZoneStore;
use super::tsig::{self, Verdict};
use super::{Publishing, catalog, live, sync, transfer, verify};
use crate::db::Db;
use crate::shutdown::Shutdown;
use hickory_server::Server;
use hickory_server::net::runtime::Time;
use hickory_server::proto::op::{Edns, OpCode, ResponseCode};
use hickory_server::proto::rr::{DNSClass, RecordType};
use hickory_server::server::{Request, RequestHandler, ResponseHandler, ResponseInfo};
use std::io;
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::sync::Arc;
use std::time::Duration;

/// How long a TCP connection may stay idle before the server closes it.
const TCP_IDLE: Duration = Duration::from_secs(10);
/// Messages one TCP connection may have queued: a zone transfer is queued whole before the
/// connection writes (at most this many messages of [`transfer::MESSAGE_BYTES`]).
const TCP_QUEUE: usize = 2048;

/// The DNS server's sockets, bound (so the port is known) but not yet serving.
#[derive(Debug)]
pub struct DnsListener {
    /// One UDP socket per core (up to [`MAX_UDP_SOCKETS`]) on the same address, with
    /// `SO_REUSEPORT`: the kernel spreads the clients over them, one receive loop each.
    udp: Vec<UdpSocket>,
    tcp: TcpListener,
}

/// The most UDP sockets the listener opens on its address.
const MAX_UDP_SOCKETS: usize = 4;

/// A UDP socket on `address` that further sockets may share (`SO_REUSEPORT`).
fn shared_udp_socket(address: SocketAddr) -> io::Result<UdpSocket> {
    let socket = socket2::Socket::new(
        socket2::Domain::for_address(address),
        socket2::Type::DGRAM,
        Some(socket2::Protocol::UDP),
    )?;
    socket.set_reuse_port(true)?;
    socket.bind(&address.into())?;
    Ok(socket.into())
}

impl DnsListener {
    /// Binds UDP and TCP on `address`; with port 0, on one free port for both. The TCP
    /// listener does not share its port, so a second server on the same port fails here
    /// even though its UDP sockets could share.
    pub fn bind(address: SocketAddr) -> io::Result<DnsListener> {
        let (first, tcp) = if address.port() != 0 {
            (shared_udp_socket(address)?, TcpListener::bind(address)?)
        } else {
            Self::bind_free_port(address)?
        };
        let bound = first.local_addr()?;
        let mut udp = vec![first];
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        for _ in 1..cores.min(MAX_UDP_SOCKETS) {
            udp.push(shared_udp_socket(bound)?);
        }
        Ok(DnsListener { udp, tcp })
    }

    fn bind_free_port(address: SocketAddr) -> io::Result<(UdpSocket, TcpListener)> {
        for _ in 0..20 {
            let udp = shared_udp_socket(address)?;
            if let Ok(tcp) = TcpListener::bind(udp.local_addr()?) {
                return Ok((udp, tcp));
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AddrInUse,
            format!("no port of {} was free for both UDP and TCP", address.ip()),
        ))
    }

    /// Where it listens (UDP and TCP alike).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.tcp.local_addr()
    }

    /// Answers DNS questions from `store` until `shutdown`, while the store follows the
    /// database; then stops taking new questions and finishes those in progress. The jobs
    /// beside it run in [`run_jobs`].
    pub async fn serve(
        self,
        store: Arc<ZoneStore>,
        publishing: Arc<Publishing>,
        shutdown: Shutdown,
    ) -> io::Result<()> {
        self.tcp.set_nonblocking(true)?;
        let tcp = tokio::net::TcpListener::from_std(self.tcp)?;
        let mut server = Server::new(Authority {
            store: Arc::clone(&store),
            publishing,
        });
        for udp in self.udp {
            udp.set_nonblocking(true)?;
            server.register_socket(tokio::net::UdpSocket::from_std(udp)?);
        }
        server.register_listener(tcp, TCP_IDLE, TCP_QUEUE);
        let following = store.follow(shutdown.clone());
        let serving = async {
            tokio::select! {
                done = server.block_until_done() => done,
                () = shutdown.requested() => server.shutdown_gracefully().await,
            }
        };
        // The store follows the database as long as DNS is served; should serving end by
        // itself (a socket failing), its error comes back at once instead of waiting for a
        // shutdown that may never come.
        tokio::pin!(serving);
        let served = tokio::select! {
            served = &mut serving => served,
            () = following => serving.await,
        };
        served.map_err(io::Error::other)
    }
}

/// The DNS jobs of a node: syncs the zones (NOTIFY leaves through the outbox), follows the public servers' serials
/// and checks them for drift, until `shutdown` (each at its next safe point).
pub async fn run_jobs(db: Db, publishing: Arc<Publishing>, shutdown: Shutdown) {
    tokio::join!(
        sync::run(db.clone(), Arc::clone(&publishing), shutdown.clone()),
        live::run(db.clone(), Arc::clone(&publishing), shutdown.clone()),
        verify::run(db, publishing, shutdown),
    );
}

/// ptrdesk's request handler: authoritative for the served reverse zones, from the zone
/// store in memory.
pub struct Authority {
    store: Arc<ZoneStore>,
    publishing: Arc<Publishing>,
}

impl Authority {
    /// A handler on `store` publishing as `publishing` (the benchmarks and tests drive it
    /// directly too).
    pub fn new(store: Arc<ZoneStore>, publishing: Arc<Publishing>) -> Authority {
        Authority { store, publishing }
    }
}

#[async_trait::async_trait]
impl RequestHandler for Authority {
    async fn handle_request<R: ResponseHandler, T: Time>(
        &self,
        request: &Request,
        handle: R,
    ) -> ResponseInfo {
        let answered = self.answer(request, handle).await;
        let qtype = request
            .queries
            .queries()
            .first()
            .map(|query| query.query_type());
        crate::observability::metrics::dns_query(qtype, answered.response_code);
        answered
    }
}

impl Authority {
    /// Answers one request (every return path sends exactly one answer, or a transfer).
    async fn answer<R: ResponseHandler>(&self, request: &Request, mut handle: R) -> ResponseInfo {
        let edns = request.edns.as_ref().map(|asked| {
            let mut edns = Edns::new();
            edns.set_max_payload(asked.max_payload().max(512));
            edns.set_version(0);
            edns
        });
        let mut reply = Reply {
            request,
            edns: edns.as_ref(),
            signature: Signature::None,
        };
        // RFC 6891 section 6.1.3: a version this server does not implement (only 0 exists)
        // is answered BADVERS, with our OPT record saying version 0.
        if request
            .edns
            .as_ref()
            .is_some_and(|asked| asked.version() > 0)
        {
            return reply.error(&mut handle, ResponseCode::BADVERS).await;
        }
        let now = crate::clock::now().max(0) as u64;
        match tsig::verify(request, self.publishing.tsig.as_ref(), now) {
            Ok(Verdict::Unsigned) => {}
            Ok(Verdict::Valid(signer)) => {
                let bad_time = signer.bad_time();
                reply.signature = Signature::Sign(Box::new(signer));
                if bad_time {
                    return reply.error(&mut handle, ResponseCode::NotAuth).await;
                }
            }
            Ok(Verdict::Rejected(record)) => {
                reply.signature = Signature::Fixed(record);
                return reply.error(&mut handle, ResponseCode::NotAuth).await;
            }
            Err(err) => {
                tracing::warn!(error = %err, "checking a TSIG signature failed");
                return reply.error(&mut handle, ResponseCode::FormErr).await;
            }
        }
        match request.metadata.op_code {
            OpCode::Query => {}
            // A hidden primary takes neither updates nor NOTIFY from anyone: its zones change
            // through ptrdesk alone.
            OpCode::Update | OpCode::Notify => {
                return reply.error(&mut handle, ResponseCode::Refused).await;
            }
            _ => return reply.error(&mut handle, ResponseCode::NotImp).await,
        }
        let Ok(info) = request.request_info() else {
            return reply.error(&mut handle, ResponseCode::FormErr).await;
        };
        let query = info.query;
        if query.query_class() != DNSClass::IN {
            return reply.error(&mut handle, ResponseCode::Refused).await;
        }
        let qtype = query.query_type();
        let owner = query.original().name();
        if let Some(apex) = &self.publishing.catalog
            && catalog::holds(apex, query.name())
        {
            let zone = catalog::build(&self.store, &self.publishing, apex);
            if matches!(qtype, RecordType::AXFR | RecordType::IXFR) {
                let source = transfer::Source::Catalog { apex, zone };
                return transfer::serve(&self.store, &self.publishing, source, reply, handle).await;
            }
            return match catalog::lookup(&zone, apex, owner, qtype) {
                Answer::Refused | Answer::Referral { .. } => {
                    reply.error(&mut handle, ResponseCode::Refused).await
                }
                Answer::Authoritative {
                    code,
                    answers,
                    authority,
                } => reply.send(&mut handle, code, &answers, &authority).await,
            };
        }
        let located = self.publishing.cuts.locate(query.name());
        if matches!(qtype, RecordType::AXFR | RecordType::IXFR) {
            let source = transfer::Source::Reverse(located);
            return transfer::serve(&self.store, &self.publishing, source, reply, handle).await;
        }
        if self.publishing.demo_forward_zones
            && let Some(Answer::Authoritative {
                code,
                answers,
                authority,
            }) = super::demo_zones::lookup(owner, qtype)
        {
            return reply.send(&mut handle, code, &answers, &authority).await;
        }
        match answer::lookup(&self.store, &self.publishing, owner, located, qtype) {
            Answer::Refused => reply.error(&mut handle, ResponseCode::Refused).await,
            Answer::Referral { authority } => reply.referral(&mut handle, &authority).await,
            Answer::Authoritative {
                code,
                answers,
                authority,
            } => reply.send(&mut handle, code, &answers, &authority).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_listener_on_the_same_address_is_refused_though_udp_sockets_share_it() {
        let first = DnsListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).expect("a free port");
        let address = first.local_addr().expect("an address");

        let second = DnsListener::bind(address);

        assert!(second.is_err(), "{second:?}");
        assert!(!first.udp.is_empty());
        for udp in &first.udp {
            assert_eq!(udp.local_addr().expect("an address"), address);
        }
    }
}

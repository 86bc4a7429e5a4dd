//! The health of a node, part by part, for `GET /healthz`: the process (it answers), the
//! database (a real `SELECT 1` within [`DATABASE_DEADLINE`], and whether it still takes writes:
//! see [`Db::still_writable`]) and, on a node that serves DNS,
//! the DNS listener (a real question to its own UDP socket within [`DNS_DEADLINE`]; an
//! answer with any response code means the listener is up) and the DNS zone store (stale when
//! it cannot follow the database, see [`crate::dns::store::STALE_AFTER`]: DNS then answers
//! what it last knew).
//!
//! Policy: the report is public, so a failing part gives a sentence, never internal error
//! text; the cause goes to the log.

use crate::db::Db;
use crate::dns::store::ZoneStore;
use hickory_server::proto::op::{Message, Query};
use hickory_server::proto::rr::{Name, RecordType};
use serde::Serialize;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

/// How long the database may take to answer `SELECT 1`.
pub const DATABASE_DEADLINE: Duration = Duration::from_secs(1);
/// How long the DNS listener may take to answer.
pub const DNS_DEADLINE: Duration = Duration::from_secs(1);

/// How one part (or the whole node) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Working.
    Ok,
    /// Not used on this node (a node without `dns_listen`).
    Disabled,
    /// Not working; the part says why.
    Failing,
}

/// One part's health.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    /// How it is.
    pub status: Status,
    /// Where it listens, for a listener.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Why it is failing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Part {
    fn ok() -> Part {
        Part {
            status: Status::Ok,
            address: None,
            reason: None,
        }
    }

    fn failing(reason: &str) -> Part {
        Part {
            status: Status::Failing,
            address: None,
            reason: Some(reason.to_owned()),
        }
    }
}

/// Every part of a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Parts {
    /// The process itself: it answered.
    pub process: Part,
    /// The database.
    pub database: Part,
    /// The authoritative DNS server's listener.
    pub dns_listener: Part,
    /// The DNS zone store in memory: whether it follows the database.
    pub dns_store: StorePart,
}

/// The DNS zone store's health.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StorePart {
    /// `ok`, `disabled` (no DNS here) or `failing` (stale).
    pub status: Status,
    /// The DNS generation it is current with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generation: Option<i64>,
    /// Seconds since it last reached the database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds_since_database: Option<u64>,
    /// Why it is failing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The node's health: `ok` when no part is failing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    /// `ok` or `failing`.
    pub status: Status,
    /// Each part.
    pub parts: Parts,
}

/// Asks every part, at the same time.
pub async fn check(
    db: &Db,
    dns_listener: Option<SocketAddr>,
    dns_store: Option<&ZoneStore>,
) -> Health {
    let (database, dns_listener) = tokio::join!(database(db), dns(dns_listener));
    let parts = Parts {
        process: Part::ok(),
        database,
        dns_listener,
        dns_store: store(dns_store),
    };
    let failing = [&parts.process, &parts.database, &parts.dns_listener]
        .iter()
        .any(|part| part.status == Status::Failing)
        || parts.dns_store.status == Status::Failing;
    Health {
        status: if failing { Status::Failing } else { Status::Ok },
        parts,
    }
}

async fn database(db: &Db) -> Part {
    match tokio::time::timeout(DATABASE_DEADLINE, db.ping()).await {
        Ok(Ok(())) => match tokio::time::timeout(DATABASE_DEADLINE, db.still_writable()).await {
            Ok(Ok(())) => Part::ok(),
            Ok(Err(reason)) => {
                tracing::warn!(%reason, "health check: the database takes no writes");
                Part::failing("the database answers but takes no writes")
            }
            Err(_) => Part::failing("the database did not say within 1 s whether it takes writes"),
        },
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "health check: the database failed SELECT 1");
            Part::failing("the database did not run SELECT 1")
        }
        Err(_) => {
            tracing::warn!("health check: the database did not answer in time");
            Part::failing("the database did not answer SELECT 1 within 1 s")
        }
    }
}

fn store(store: Option<&ZoneStore>) -> StorePart {
    let Some(store) = store else {
        return StorePart {
            status: Status::Disabled,
            generation: None,
            seconds_since_database: None,
            reason: None,
        };
    };
    let health = store.health();
    StorePart {
        status: if health.stale {
            Status::Failing
        } else {
            Status::Ok
        },
        generation: Some(health.generation),
        seconds_since_database: health.last_reached.map(|ago| ago.as_secs()),
        reason: health.stale.then(|| {
            format!(
                "stale: the DNS zone store cannot follow the database (last reached {}); DNS answers what it last knew",
                match health.last_reached {
                    Some(ago) => format!("{} s ago", ago.as_secs()),
                    None => "never".to_owned(),
                }
            )
        }),
    }
}

async fn dns(listener: Option<SocketAddr>) -> Part {
    let Some(listener) = listener else {
        return Part {
            status: Status::Disabled,
            address: None,
            reason: None,
        };
    };
    let mut part = match tokio::time::timeout(DNS_DEADLINE, ask(listener)).await {
        Ok(Ok(())) => Part::ok(),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, %listener, "health check: asking the DNS listener failed");
            Part::failing("the DNS listener could not be asked")
        }
        Err(_) => {
            tracing::warn!(%listener, "health check: the DNS listener did not answer in time");
            Part::failing("the DNS listener did not answer within 1 s")
        }
    };
    part.address = Some(listener.to_string());
    part
}

/// Asks the listener for the root's SOA over UDP and waits for an answer to that question.
/// ptrdesk refuses the root without touching the database, so only the listener is tested.
async fn ask(listener: SocketAddr) -> std::io::Result<()> {
    // A listener on every address is asked on loopback.
    let target = match listener.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), listener.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), listener.port())
        }
        _ => listener,
    };
    let local: SocketAddr = match target {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let socket = tokio::net::UdpSocket::bind(local).await?;
    socket.connect(target).await?;
    let mut question = Message::query();
    question.add_query(Query::query(Name::root(), RecordType::SOA));
    let id = question.metadata.id;
    socket
        .send(&question.to_vec().map_err(std::io::Error::other)?)
        .await?;
    let mut buffer = [0u8; 4096];
    loop {
        let length = socket.recv(&mut buffer).await?;
        // Anything but the answer to this question (a stray datagram) is not proof of life.
        if let Ok(answer) = Message::from_vec(&buffer[..length])
            && answer.metadata.id == id
        {
            return Ok(());
        }
    }
}

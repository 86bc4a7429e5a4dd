//! Transferring a zone *from* another primary (AXFR over TCP, optionally TSIG-signed): how
//! `ptrdesk import zone` reads the PTRs a provider's current primary serves
//! ([`crate::admin::zone_import`]). The whole zone is held in memory (a /16 reverse zone is
//! 65,536 records, a few MB).

use super::tsig::TsigKey;
use futures_util::StreamExt;
use hickory_net::client::{Client, ClientHandle};
use hickory_net::runtime::TokioRuntimeProvider;
use hickory_net::tcp::TcpClientStream;
use hickory_net::xfer::DnsMultiplexer;
use hickory_server::proto::op::ResponseCode;
use hickory_server::proto::rr::{Name, Record, RecordType};
use std::net::SocketAddr;
use std::time::Duration;

/// The deadline of each message of the transfer (and of the connection).
pub const MESSAGE_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a zone could not be transferred, in words for the operator.
#[derive(Debug, thiserror::Error)]
pub enum PullError {
    /// No TCP connection.
    #[error("cannot connect to {server} over TCP: {reason}")]
    Connect {
        /// The server asked.
        server: SocketAddr,
        /// What the connection said.
        reason: String,
    },
    /// The server answered with an error code.
    #[error(
        "{server} refused the transfer of {zone}: {code} (is this address allowed to transfer the zone{tsig_hint}?)"
    )]
    Refused {
        /// The server asked.
        server: SocketAddr,
        /// The zone.
        zone: Name,
        /// Its answer.
        code: ResponseCode,
        /// A hint about the key.
        tsig_hint: &'static str,
    },
    /// The exchange failed midway (timeout, a bad signature on an answer, a broken message).
    #[error("the transfer of {zone} from {server} failed: {reason}")]
    Failed {
        /// The server asked.
        server: SocketAddr,
        /// The zone.
        zone: Name,
        /// What went wrong.
        reason: String,
    },
    /// The answer did not open and close with the zone's SOA.
    #[error("{server} sent no complete zone for {zone} (no SOA at both ends)")]
    Incomplete {
        /// The server asked.
        server: SocketAddr,
        /// The zone.
        zone: Name,
    },
}

/// Transfers `zone` from `server` (AXFR over TCP), signed with `key` when given: every record
/// of every message, the opening and closing SOA included.
pub async fn axfr(
    server: SocketAddr,
    zone: &Name,
    key: Option<&TsigKey>,
) -> Result<Vec<Record>, PullError> {
    let (connect, sender) = TcpClientStream::new(
        server,
        None,
        Some(MESSAGE_TIMEOUT),
        TokioRuntimeProvider::default(),
    );
    let stream = tokio::time::timeout(MESSAGE_TIMEOUT, connect)
        .await
        .map_err(|_| PullError::Connect {
            server,
            reason: format!("no connection within {MESSAGE_TIMEOUT:?}"),
        })?
        .map_err(|err| PullError::Connect {
            server,
            reason: err.to_string(),
        })?;
    let mut multiplexer = DnsMultiplexer::new(stream, sender).with_timeout(MESSAGE_TIMEOUT);
    if let Some(key) = key {
        multiplexer = multiplexer.with_signer(key.signer());
    }
    let (client, background) = Client::<TokioRuntimeProvider>::from_sender(multiplexer);
    let background = tokio::spawn(background);
    let pulled = read_all(client, server, zone, key.is_some()).await;
    background.abort();
    pulled
}

async fn read_all(
    mut client: Client<TokioRuntimeProvider>,
    server: SocketAddr,
    zone: &Name,
    signed: bool,
) -> Result<Vec<Record>, PullError> {
    let mut messages = client.zone_transfer(zone.clone(), None);
    let mut records: Vec<Record> = Vec::new();
    loop {
        let next = tokio::time::timeout(MESSAGE_TIMEOUT, messages.next()).await;
        let message = match next {
            Err(_) => {
                return Err(PullError::Failed {
                    server,
                    zone: zone.clone(),
                    reason: format!("no message within {MESSAGE_TIMEOUT:?}"),
                });
            }
            Ok(None) => break,
            Ok(Some(message)) => message.map_err(|err| PullError::Failed {
                server,
                zone: zone.clone(),
                reason: err.to_string(),
            })?,
        };
        if message.response_code != ResponseCode::NoError {
            return Err(PullError::Refused {
                server,
                zone: zone.clone(),
                code: message.response_code,
                tsig_hint: if signed {
                    ", and does it know this key"
                } else {
                    ", or does it want a TSIG key (--tsig)"
                },
            });
        }
        records.extend(message.answers.iter().cloned());
    }
    let soa_at =
        |record: Option<&Record>| record.is_some_and(|r| r.record_type() == RecordType::SOA);
    if records.len() < 2 || !soa_at(records.first()) || !soa_at(records.last()) {
        return Err(PullError::Incomplete {
            server,
            zone: zone.clone(),
        });
    }
    Ok(records)
}

//! Transferring a zone *from* another primary (AXFR over TCP, optionally TSIG-signed): how
//! `ptrdesk import zone` reads the PTRs a provider's current primary serves
//! ([`crate::admin::zone_import`]). The whole zone is held in memory (a /16 reverse zone is
//! 65,536 records, a few MB).

use super::tsig::TsigKey;
use hickory_server::proto::op::{Message, Query, ResponseCode};
use hickory_server::proto::rr::{Name, Record, RecordType};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

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
/// of every message, the opening and closing SOA included. The messages are read off the
/// connection one by one, each checked (its id, its code, with a key its signature, chained)
/// before the next is read, so none is dropped however large the zone (hickory's multiplexed
/// client drops messages of a long transfer when its reader falls behind).
pub async fn axfr(
    server: SocketAddr,
    zone: &Name,
    key: Option<&TsigKey>,
) -> Result<Vec<Record>, PullError> {
    let failed = |reason: String| PullError::Failed {
        server,
        zone: zone.clone(),
        reason,
    };
    let mut message = Message::query();
    message.add_query(Query::query(zone.clone(), RecordType::AXFR));
    let id = message.metadata.id;
    let mut verifier = match key {
        Some(key) => message
            .finalize(&key.signer(), crate::clock::now().max(0) as u64)
            .map_err(|err| failed(format!("the request cannot be signed: {err}")))?,
        None => None,
    };
    let request = message
        .to_vec()
        .map_err(|err| failed(format!("the request cannot be written: {err}")))?;
    let connect = tokio::time::timeout(MESSAGE_TIMEOUT, TcpStream::connect(server));
    let mut stream = connect
        .await
        .map_err(|_| PullError::Connect {
            server,
            reason: format!("no connection within {MESSAGE_TIMEOUT:?}"),
        })?
        .map_err(|err| PullError::Connect {
            server,
            reason: err.to_string(),
        })?;
    let length = u16::try_from(request.len())
        .map_err(|_| failed("the request is longer than 65,535 bytes".to_owned()))?;
    let mut framed = length.to_be_bytes().to_vec();
    framed.extend_from_slice(&request);
    stream
        .write_all(&framed)
        .await
        .map_err(|err| failed(err.to_string()))?;
    let mut records: Vec<Record> = Vec::new();
    loop {
        let bytes = tokio::time::timeout(MESSAGE_TIMEOUT, read_frame(&mut stream))
            .await
            .map_err(|_| failed(format!("no message within {MESSAGE_TIMEOUT:?}")))?
            .map_err(|err| match records.is_empty() {
                // Closed before a single message: what a server that refuses may do.
                true => PullError::Incomplete {
                    server,
                    zone: zone.clone(),
                },
                false => failed(err.to_string()),
            })?;
        let answer = Message::from_vec(&bytes)
            .map_err(|err| failed(format!("a message is not DNS: {err}")))?;
        if answer.metadata.id != id {
            return Err(failed("a message answers another question".to_owned()));
        }
        if answer.metadata.response_code != ResponseCode::NoError {
            return Err(PullError::Refused {
                server,
                zone: zone.clone(),
                code: answer.metadata.response_code,
                tsig_hint: if key.is_some() {
                    ", and does it know this key"
                } else {
                    ", or does it want a TSIG key (--tsig)"
                },
            });
        }
        if let Some(verifier) = verifier.as_mut() {
            verifier
                .verify(&bytes)
                .map_err(|err| failed(format!("a message is not signed with the key: {err}")))?;
        }
        records.extend(answer.answers.iter().cloned());
        let soa_at = |record: Option<&Record>| {
            record.is_some_and(|record| record.record_type() == RecordType::SOA)
        };
        if records.len() >= 2 && soa_at(records.last()) {
            break;
        }
    }
    if records
        .first()
        .is_none_or(|record| record.record_type() != RecordType::SOA)
    {
        return Err(PullError::Incomplete {
            server,
            zone: zone.clone(),
        });
    }
    Ok(records)
}

/// One length-prefixed DNS message off a TCP stream.
async fn read_frame(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let length = stream.read_u16().await?;
    let mut buffer = vec![0u8; usize::from(length)];
    stream.read_exact(&mut buffer).await?;
    Ok(buffer)
}

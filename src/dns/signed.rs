//! One DNS request to another server, TSIG-signed when a key is given (NOTIFY to a
//! secondary, UPDATE to an RFC 2136 primary), and what it answered — read from the answer
//! itself, so that a refusal can be told in words an operator can act on: which server,
//! which zone, the response code and the TSIG error it gave (a secondary that does not know
//! the key answers NOTAUTH with BADKEY, unsigned; a client library that only checks the
//! signature reports "TSIG signature record not found" and nothing else).

use super::tsig::TsigKey;
use hickory_server::proto::op::{Message, ResponseCode};
use hickory_server::proto::rr::rdata::tsig::TsigError;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// How the request travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// One datagram (NOTIFY).
    Udp,
    /// A TCP connection (UPDATE: messages of many records).
    Tcp,
}

/// What a server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answered {
    /// Its response code.
    pub code: ResponseCode,
    /// The TSIG error of its answer's signature record, if any.
    pub tsig_error: Option<TsigError>,
}

/// Why there is no usable answer.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ExchangeError {
    /// Nothing came back in time.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The network failed (refused connection, unreachable, …).
    #[error("{0}")]
    Network(String),
    /// The request could not be built or signed, or the answer not read.
    #[error("{0}")]
    Message(String),
    /// The answer to a signed request carried no valid signature.
    #[error("its answer ({code}) is not signed with our key: {reason}")]
    Unsigned {
        /// What it answered.
        code: ResponseCode,
        /// What is wrong with the signature.
        reason: String,
    },
}

/// Sends `message` to `server`, signed with `key` when given, and reads the answer within
/// `deadline`. A signed answer is verified; an error answer is returned as it came (servers
/// do not sign the answers of requests they could not verify).
pub async fn exchange(
    server: SocketAddr,
    mut message: Message,
    key: Option<&TsigKey>,
    transport: Transport,
    deadline: Duration,
) -> Result<Answered, ExchangeError> {
    let id = message.metadata.id;
    let verifier = match key {
        Some(key) => message
            .finalize(&key.signer(), crate::clock::now().max(0) as u64)
            .map_err(|err| ExchangeError::Message(format!("signing the request: {err}")))?,
        None => None,
    };
    let request = message
        .to_vec()
        .map_err(|err| ExchangeError::Message(format!("encoding the request: {err}")))?;
    let round_trip = async {
        match transport {
            Transport::Udp => udp(server, id, &request).await,
            Transport::Tcp => tcp(server, id, &request).await,
        }
    };
    let bytes = tokio::time::timeout(deadline, round_trip)
        .await
        .map_err(|_| ExchangeError::Timeout(deadline))??;
    let answer = Message::from_vec(&bytes)
        .map_err(|err| ExchangeError::Message(format!("reading the answer: {err}")))?;
    let code = answer.metadata.response_code;
    let tsig_error = answer.signature().and_then(|record| record.data.error);
    if code == ResponseCode::NoError
        && let Some(mut verifier) = verifier
    {
        if answer.signature().is_none() {
            return Err(ExchangeError::Unsigned {
                code,
                reason: "it carries no TSIG record".to_owned(),
            });
        }
        verifier
            .verify(&bytes)
            .map_err(|err| ExchangeError::Unsigned {
                code,
                reason: err.to_string(),
            })?;
    }
    Ok(Answered { code, tsig_error })
}

async fn udp(server: SocketAddr, id: u16, request: &[u8]) -> Result<Vec<u8>, ExchangeError> {
    let local: SocketAddr = if server.is_ipv4() {
        SocketAddr::from(([0, 0, 0, 0], 0))
    } else {
        SocketAddr::from(([0u16; 8], 0))
    };
    let network = |err: std::io::Error| ExchangeError::Network(err.to_string());
    let socket = tokio::net::UdpSocket::bind(local).await.map_err(network)?;
    socket.connect(server).await.map_err(network)?;
    socket.send(request).await.map_err(network)?;
    let mut buffer = vec![0u8; 65_535];
    loop {
        let read = socket.recv(&mut buffer).await.map_err(network)?;
        // Anything else on this socket (a late answer, noise) is not the answer.
        if read >= 2 && u16::from_be_bytes([buffer[0], buffer[1]]) == id {
            buffer.truncate(read);
            return Ok(buffer);
        }
    }
}

async fn tcp(server: SocketAddr, id: u16, request: &[u8]) -> Result<Vec<u8>, ExchangeError> {
    let network = |err: std::io::Error| ExchangeError::Network(err.to_string());
    let mut stream = tokio::net::TcpStream::connect(server)
        .await
        .map_err(network)?;
    let length = u16::try_from(request.len())
        .map_err(|_| ExchangeError::Message("the request is longer than 65,535 bytes".into()))?;
    let mut framed = length.to_be_bytes().to_vec();
    framed.extend_from_slice(request);
    stream.write_all(&framed).await.map_err(network)?;
    loop {
        let length = stream.read_u16().await.map_err(network)?;
        let mut buffer = vec![0u8; usize::from(length)];
        stream.read_exact(&mut buffer).await.map_err(network)?;
        if buffer.len() >= 2 && u16::from_be_bytes([buffer[0], buffer[1]]) == id {
            return Ok(buffer);
        }
    }
}

/// A refusal in words an operator can act on: what `server` answered, and what that usually
/// means for the key `key_name` (when the request was signed).
pub fn explain_refusal(answered: &Answered, key_name: Option<&str>) -> String {
    let mut text = format!("it answered {}", code_name(answered.code));
    if let Some(error) = answered.tsig_error {
        text.push_str(&format!(" with TSIG error {}", tsig_error_name(error)));
    }
    let hint = match (answered.tsig_error, key_name) {
        (Some(TsigError::BadKey), Some(key)) => format!(
            "it does not know the TSIG key {key}: configure the same key (name, algorithm \
             hmac-sha256, secret) on it"
        ),
        (Some(TsigError::BadSig), Some(key)) => format!(
            "it knows a key named {key} but with another secret: copy the secret again"
        ),
        (Some(TsigError::BadTime), _) => {
            "the clocks of ptrdesk and the server differ by more than 5 minutes: set up NTP"
                .to_owned()
        }
        (_, None) if answered.code == ResponseCode::NotAuth || answered.code == ResponseCode::Refused => {
            "it may require a TSIG key that ptrdesk does not send, or not allow ptrdesk's address"
                .to_owned()
        }
        (_, Some(key)) if answered.code == ResponseCode::NotAuth => format!(
            "it does not accept the key {key} for this (check that it knows the key and allows it for this zone)"
        ),
        (_, _) if answered.code == ResponseCode::Refused => {
            "it is not configured to take this from ptrdesk for this zone (its ACL or update policy)"
                .to_owned()
        }
        (_, _) if answered.code == ResponseCode::NotZone || answered.code == ResponseCode::NXDomain => {
            "it does not serve this zone: add the zone there".to_owned()
        }
        _ => String::new(),
    };
    if !hint.is_empty() {
        text.push_str(": ");
        text.push_str(&hint);
    }
    text
}

/// A response code as operators read it in server logs and `dig` (`NOTAUTH`, `REFUSED`).
pub fn code_name(code: ResponseCode) -> String {
    let name = match code {
        ResponseCode::NoError => "NOERROR",
        ResponseCode::FormErr => "FORMERR",
        ResponseCode::ServFail => "SERVFAIL",
        ResponseCode::NXDomain => "NXDOMAIN",
        ResponseCode::NotImp => "NOTIMP",
        ResponseCode::Refused => "REFUSED",
        ResponseCode::YXDomain => "YXDOMAIN",
        ResponseCode::YXRRSet => "YXRRSET",
        ResponseCode::NXRRSet => "NXRRSET",
        ResponseCode::NotAuth => "NOTAUTH",
        ResponseCode::NotZone => "NOTZONE",
        other => return format!("response code {}", u16::from(other)),
    };
    name.to_owned()
}

fn tsig_error_name(error: TsigError) -> String {
    match error {
        TsigError::BadSig => "BADSIG".to_owned(),
        TsigError::BadKey => "BADKEY".to_owned(),
        TsigError::BadTime => "BADTIME".to_owned(),
        TsigError::BadTrunc => "BADTRUNC".to_owned(),
        TsigError::Unknown(code) => format!("{code}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_is_explained_with_the_keys_name() {
        let answered = Answered {
            code: ResponseCode::NotAuth,
            tsig_error: Some(TsigError::BadKey),
        };
        assert_eq!(
            explain_refusal(&answered, Some("ptrdesk-xfr.")),
            "it answered NOTAUTH with TSIG error BADKEY: it does not know the TSIG key \
             ptrdesk-xfr.: configure the same key (name, algorithm hmac-sha256, secret) on it"
        );
    }
}

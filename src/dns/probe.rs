//! Asking a public name server what it serves (for live status and drift): the SOA serial of
//! a zone, the PTR of a name. UDP, one deadline per question, no retries here — the callers
//! look again later.

use hickory_net::client::{Client, ClientHandle};
use hickory_net::runtime::TokioRuntimeProvider;
use hickory_net::udp::UdpClientStream;
use hickory_server::proto::op::ResponseCode;
use hickory_server::proto::rr::{DNSClass, Name, RData, RecordType};
use std::net::SocketAddr;
use std::time::Duration;

/// The deadline of one question to a public server.
pub const QUESTION_TIMEOUT: Duration = Duration::from_secs(2);

/// Why a server gave no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeError {
    /// No answer in time.
    #[error("no answer within {} s", QUESTION_TIMEOUT.as_secs())]
    Timeout,
    /// The exchange failed.
    #[error("{0}")]
    Exchange(String),
    /// An answer without what was asked (e.g. REFUSED: the server does not serve the zone).
    #[error("answered {0} without a SOA")]
    NoSoa(ResponseCode),
}

/// What a server answers for a PTR question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PtrAnswer {
    /// Its response code.
    pub code: ResponseCode,
    /// The PTR targets, lower case, without the final dot, sorted.
    pub targets: Vec<String>,
}

/// A UDP client for one server; cheap to ask many questions through.
pub struct Probe {
    client: Client<TokioRuntimeProvider>,
    background: tokio::task::JoinHandle<()>,
}

impl Drop for Probe {
    fn drop(&mut self) {
        self.background.abort();
    }
}

impl Probe {
    /// A client for `server`.
    pub fn new(server: SocketAddr) -> Probe {
        let stream = UdpClientStream::builder(server, TokioRuntimeProvider::default())
            .with_timeout(Some(QUESTION_TIMEOUT))
            .build();
        let (client, background) = Client::<TokioRuntimeProvider>::from_sender(stream);
        Probe {
            client,
            background: tokio::spawn(async move {
                let _ = background.await;
            }),
        }
    }

    async fn ask(
        &self,
        name: &Name,
        rtype: RecordType,
    ) -> Result<hickory_server::proto::op::DnsResponse, ProbeError> {
        let mut client = self.client.clone();
        tokio::time::timeout(
            QUESTION_TIMEOUT,
            client.query(name.clone(), DNSClass::IN, rtype),
        )
        .await
        .map_err(|_| ProbeError::Timeout)?
        .map_err(|err| ProbeError::Exchange(err.to_string()))
    }

    /// The serial of `zone` as the server serves it.
    pub async fn soa_serial(&self, zone: &Name) -> Result<u32, ProbeError> {
        let response = self.ask(zone, RecordType::SOA).await?;
        response
            .answers
            .iter()
            .find_map(|record| match &record.data {
                RData::SOA(soa) if record.name == *zone => Some(soa.serial),
                _ => None,
            })
            .ok_or(ProbeError::NoSoa(response.response_code))
    }

    /// The PTR answer for `name`.
    pub async fn ptr(&self, name: &Name) -> Result<PtrAnswer, ProbeError> {
        let response = self.ask(name, RecordType::PTR).await?;
        let mut targets: Vec<String> = response
            .answers
            .iter()
            .filter_map(|record| match &record.data {
                RData::PTR(target) => Some(plain(&target.0)),
                _ => None,
            })
            .collect();
        targets.sort();
        Ok(PtrAnswer {
            code: response.response_code,
            targets,
        })
    }
}

/// A name as people read it: lower case, no final dot.
pub fn plain(name: &Name) -> String {
    name.to_lowercase()
        .to_string()
        .trim_end_matches('.')
        .to_owned()
}

/// Whether serial `a` is at or after serial `b` in serial number arithmetic (RFC 1982).
pub fn serial_at_least(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) >= 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_compare_across_the_wrap() {
        assert!(serial_at_least(5, 5));
        assert!(serial_at_least(6, 5));
        assert!(!serial_at_least(5, 6));
        assert!(serial_at_least(2, u32::MAX));
        assert!(!serial_at_least(u32::MAX, 2));
    }
}

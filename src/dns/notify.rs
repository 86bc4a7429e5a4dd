//! NOTIFY (RFC 1996) to a secondary that a zone's serial moved: one outbox row per zone
//! serial and secondary, written by the database's trigger on `zones` in the transaction that
//! moves the serial (migration 0040), claimed and retried by [`crate::outbox`] (1 s, 2 s,
//! 4 s, … at most a minute, for `dns_notify_deadline_seconds`; a newer serial of the zone
//! supersedes it). Each NOTIFY is one UDP question with a deadline, signed with the transfer
//! key when one is configured; a refusal is logged with the secondary, the zone and what it
//! answered ([`super::signed::explain_refusal`]). Should a secondary never answer, it finds
//! the serial at its next SOA refresh.

use super::Publishing;
use super::signed::{self, ExchangeError, Transport};
use crate::observability::metrics::{self, NotifyOutcome};
use hickory_server::proto::op::{Message, OpCode, Query, ResponseCode};
use hickory_server::proto::rr::{DNSClass, Name, RecordType};
use std::net::SocketAddr;
use std::time::Duration;

/// The deadline of one NOTIFY question.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);

/// Why a NOTIFY did not get through.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// No answer in time.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The exchange failed (network, the answer's signature).
    #[error("{0}")]
    Exchange(String),
    /// The secondary answered with an error; the words say what it answered and what to do.
    #[error("{1}")]
    Refused(ResponseCode, String),
}

/// Sends one NOTIFY for `zone` at `serial` to `secondary` (signed when a key is configured)
/// and returns the answer's code (NOERROR, or NOTIMP from a server that does not take
/// NOTIFY — the RFC counts both as done).
pub async fn send_notify(
    publishing: &Publishing,
    zone: &Name,
    serial: i64,
    secondary: SocketAddr,
) -> Result<ResponseCode, NotifyError> {
    let mut message = Message::query();
    message.metadata.op_code = OpCode::Notify;
    message.metadata.authoritative = true;
    message.metadata.recursion_desired = false;
    let mut query = Query::new();
    query
        .set_name(zone.clone())
        .set_query_class(DNSClass::IN)
        .set_query_type(RecordType::SOA);
    message.add_query(query);
    message.add_answer(publishing.soa_named(zone.clone(), serial));
    let answered = signed::exchange(
        secondary,
        message,
        publishing.tsig.as_ref(),
        Transport::Udp,
        ATTEMPT_TIMEOUT,
    )
    .await
    .map_err(|err| match err {
        ExchangeError::Timeout(after) => NotifyError::Timeout(after),
        other => NotifyError::Exchange(other.to_string()),
    })?;
    match answered.code {
        code @ (ResponseCode::NoError | ResponseCode::NotImp) => Ok(code),
        code => {
            let key = publishing.tsig.as_ref().map(|key| key.name().to_string());
            Err(NotifyError::Refused(
                code,
                signed::explain_refusal(&answered, key.as_deref()),
            ))
        }
    }
}

/// Makes one NOTIFY of an outbox row: `Ok` once the secondary answered; the error, in words
/// naming the secondary and the zone, otherwise (logged here, once per attempt).
pub async fn deliver(
    publishing: &Publishing,
    secondary: &str,
    zone: &str,
    serial: i64,
    attempt: i64,
) -> Result<(), String> {
    let Ok(address) = secondary.parse::<SocketAddr>() else {
        return Err(format!("secondary {secondary:?} is not IP:PORT"));
    };
    let Some(name) = super::absolute_name(zone) else {
        return Err(format!("zone {zone:?} is not a name"));
    };
    match send_notify(publishing, &name, serial, address).await {
        Ok(code) => {
            metrics::notify_attempt(address, NotifyOutcome::Answered);
            tracing::info!(%zone, serial, %secondary, attempt, %code, "NOTIFY answered");
            Ok(())
        }
        Err(reason) => {
            let outcome = match reason {
                NotifyError::Timeout(_) => NotifyOutcome::Timeout,
                NotifyError::Exchange(_) => NotifyOutcome::Failed,
                NotifyError::Refused(..) => NotifyOutcome::Refused,
            };
            metrics::notify_attempt(address, outcome);
            let text = format!(
                "secondary {secondary} did not take NOTIFY for zone {zone} (serial {serial}): {reason}"
            );
            tracing::warn!(%zone, serial, %secondary, attempt, "{text}");
            Err(text)
        }
    }
}

/// A NOTIFY given up: logged, and counted.
pub fn given_up(secondary: &str, zone: &str, serial: i64) {
    if let Ok(address) = secondary.parse::<SocketAddr>() {
        metrics::notify_given_up(address);
    }
    tracing::error!(%zone, serial, %secondary, "NOTIFY given up: the secondary never took it; it finds the serial at its next SOA refresh");
}

//! NOTIFY (RFC 1996) to every configured secondary when a zone's serial changes.
//!
//! The serials live in the database and any node (or the zone sync) may move them, after its
//! own commit; so each node watches the `zones` table (a cheap read every
//! `dns_notify_poll_ms`) for serials it has not seen yet — at start, all of them. A serial is
//! announced once across nodes: before sending, a node claims it in the database
//! ([`db::zones::claim_notify`]), and only the node that wins sends the NOTIFYs, with their
//! retries. Each NOTIFY is one UDP question with a deadline, retried with back-off (1 s, 2 s,
//! 4 s, …) until the secondary answers or the overall deadline passes; a newer serial of the
//! same zone claimed by the same node replaces a retry still running. Should the winner stop
//! before a secondary answered, that secondary finds the serial at its next SOA refresh.

use super::Publishing;
use super::tsig::TsigKey;
use crate::db::{self, Db};
use crate::observability::metrics::{self, NotifyOutcome};
use crate::shutdown::Shutdown;
use hickory_net::client::{Client, ClientHandle};
use hickory_net::runtime::TokioRuntimeProvider;
use hickory_net::udp::UdpClientStream;
use hickory_server::proto::op::ResponseCode;
use hickory_server::proto::rr::{DNSClass, Name, RecordSet, RecordType};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// The deadline of one NOTIFY question.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);

/// Watches the serials and notifies the secondaries, until `shutdown`: then the NOTIFYs
/// still being retried are given up (the secondaries find the serial at their next refresh).
pub async fn run(db: Db, publishing: Arc<Publishing>, shutdown: Shutdown) {
    if publishing.secondaries.is_empty() {
        return shutdown.requested().await;
    }
    let mut announced: HashMap<String, i64> = HashMap::new();
    let mut retrying: HashMap<(String, SocketAddr), JoinHandle<()>> = HashMap::new();
    let mut ticker = tokio::time::interval(publishing.notify_poll);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while shutdown.next_round(&mut ticker).await {
        let zones = match serials(&db, &publishing).await {
            Ok(zones) => zones,
            Err(err) => {
                tracing::error!(error = ?err, "reading the zone serials for NOTIFY failed");
                continue;
            }
        };
        for zone in zones {
            // Seen already (announced here or by another node): no need to ask the database.
            if announced.get(&zone.name) == Some(&zone.serial) {
                continue;
            }
            let claim = if zone.catalog {
                db::dns_changes::claim_catalog_notify(&db.pool, zone.serial).await
            } else {
                db::zones::claim_notify(&db.pool, &zone.name, zone.serial).await
            };
            match claim {
                Ok(claimed) => {
                    announced.insert(zone.name.clone(), zone.serial);
                    if !claimed {
                        continue;
                    }
                }
                Err(err) => {
                    // Not marked as seen: the claim is tried again at the next look.
                    tracing::error!(error = ?err, zone = %zone.name, "claiming a NOTIFY failed");
                    continue;
                }
            }
            let Some(name) = super::absolute_name(&zone.name) else {
                continue;
            };
            for secondary in &publishing.secondaries {
                let task = tokio::spawn(notify_until_answered(
                    Arc::clone(&publishing),
                    name.clone(),
                    zone.serial,
                    *secondary,
                ));
                if let Some(older) = retrying.insert((zone.name.clone(), *secondary), task) {
                    older.abort();
                }
            }
        }
        retrying.retain(|_, task| !task.is_finished());
    }
    for task in retrying.values() {
        task.abort();
    }
}

/// A zone whose serial may need announcing.
struct Serial {
    name: String,
    serial: i64,
    /// The catalog zone (claimed on the generation row), not a reverse zone.
    catalog: bool,
}

/// The serials of the active reverse zones, and of the catalog zone when one is served.
async fn serials(db: &Db, publishing: &Publishing) -> Result<Vec<Serial>, sqlx::Error> {
    let mut serials: Vec<Serial> = db::zones::list(&db.pool)
        .await?
        .into_iter()
        .filter(|zone| zone.active == 1)
        .map(|zone| Serial {
            name: zone.name,
            serial: zone.serial,
            catalog: false,
        })
        .collect();
    if let Some(catalog) = &publishing.catalog {
        serials.push(Serial {
            name: catalog.to_string(),
            serial: db::dns_changes::catalog_serial(&db.pool).await?,
            catalog: true,
        });
    }
    Ok(serials)
}

/// Notifies one secondary of one serial, retrying with back-off until it answers or
/// `publishing.notify_deadline` passes.
async fn notify_until_answered(
    publishing: Arc<Publishing>,
    zone: Name,
    serial: i64,
    secondary: SocketAddr,
) {
    let started = tokio::time::Instant::now();
    let mut pause = Duration::from_secs(1);
    for attempt in 1.. {
        match send_notify(&publishing, &zone, serial, secondary).await {
            Ok(code) => {
                metrics::notify_attempt(secondary, NotifyOutcome::Answered);
                tracing::info!(%zone, serial, %secondary, attempt, %code, "NOTIFY answered");
                return;
            }
            Err(reason) => {
                let outcome = match reason {
                    NotifyError::Timeout(_) => NotifyOutcome::Timeout,
                    NotifyError::Exchange(_) => NotifyOutcome::Failed,
                    NotifyError::Refused(_) => NotifyOutcome::Refused,
                };
                metrics::notify_attempt(secondary, outcome);
                tracing::warn!(%zone, serial, %secondary, attempt, %reason, "NOTIFY not answered");
            }
        }
        if started.elapsed() + pause > publishing.notify_deadline {
            metrics::notify_given_up(secondary);
            tracing::error!(%zone, serial, %secondary, "NOTIFY given up: the secondary never answered");
            return;
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(60));
    }
}

/// Why a NOTIFY did not get through.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// No answer in time.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The exchange failed (network, TSIG of the answer).
    #[error("{0}")]
    Exchange(String),
    /// The secondary answered with an error.
    #[error("answered {0}")]
    Refused(ResponseCode),
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
    let stream = UdpClientStream::builder(secondary, TokioRuntimeProvider::default())
        .with_timeout(Some(ATTEMPT_TIMEOUT))
        .with_signer(publishing.tsig.as_ref().map(TsigKey::signer))
        .build();
    let (mut client, background) = Client::<TokioRuntimeProvider>::from_sender(stream);
    let background = tokio::spawn(background);
    let hint = RecordSet::from(publishing.soa_named(zone.clone(), serial));
    let answered = tokio::time::timeout(
        ATTEMPT_TIMEOUT,
        client.notify(zone.clone(), DNSClass::IN, RecordType::SOA, Some(hint)),
    )
    .await;
    background.abort();
    let response = answered
        .map_err(|_| NotifyError::Timeout(ATTEMPT_TIMEOUT))?
        .map_err(|err| NotifyError::Exchange(err.to_string()))?;
    match response.response_code {
        code @ (ResponseCode::NoError | ResponseCode::NotImp) => Ok(code),
        code => Err(NotifyError::Refused(code)),
    }
}

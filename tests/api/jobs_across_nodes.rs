//! Background jobs of several nodes on one database run once (issue 7): a changed serial is
//! announced to a secondary by one node only, and a periodic job's lease (drift, live-status
//! probes) lets one node run each round. Run on both engines; on PostgreSQL this is the real
//! multi-node case.

use crate::helpers::dns_app::*;
use crate::helpers::*;
use hickory_server::proto::op::{Message, OpCode};
use hickory_server::proto::rr::RData;
use ptrdesk::db::leases;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::UdpSocket;

const ALICE_ZONE: &str = "113.0.203.in-addr.arpa";

/// How long the test keeps listening after a NOTIFY arrived, for a second one of the same
/// serial: many times the nodes' outbox poll (`POLL_MS`), so each node has looked at the
/// serial by then. Proving an absence takes a window; nothing waits for readiness here.
const DUPLICATE_WINDOW: Duration = Duration::from_millis(1000);
const POLL_MS: u64 = 20;

/// A secondary that only counts the NOTIFYs it gets, per zone and serial, and answers each.
struct NotifyCounter {
    address: SocketAddr,
    seen: Arc<Mutex<HashMap<(String, u32), usize>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for NotifyCounter {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl NotifyCounter {
    async fn start() -> NotifyCounter {
        let socket = UdpSocket::bind("127.0.0.1:0")
            .await
            .expect("a UDP socket on loopback");
        let address = socket.local_addr().expect("the socket's address");
        let seen = Arc::new(Mutex::new(HashMap::new()));
        let counts = Arc::clone(&seen);
        let task = tokio::spawn(async move {
            let mut buffer = [0u8; 4096];
            while let Ok((length, from)) = socket.recv_from(&mut buffer).await {
                let Ok(notify) = Message::from_vec(&buffer[..length]) else {
                    continue;
                };
                if notify.metadata.op_code != OpCode::Notify {
                    continue;
                }
                let zone = notify
                    .queries
                    .first()
                    .map(|query| query.name().to_string().trim_end_matches('.').to_owned())
                    .unwrap_or_default();
                let serial = notify
                    .answers
                    .iter()
                    .find_map(|record| match &record.data {
                        RData::SOA(soa) => Some(soa.serial),
                        _ => None,
                    })
                    .unwrap_or_default();
                *counts
                    .lock()
                    .expect("the counts")
                    .entry((zone, serial))
                    .or_insert(0) += 1;
                let mut answer = Message::response(notify.metadata.id, OpCode::Notify);
                answer.add_queries(notify.queries.clone());
                if let Ok(bytes) = answer.to_vec() {
                    let _ = socket.send_to(&bytes, from).await;
                }
            }
        });
        NotifyCounter {
            address,
            seen,
            task,
        }
    }

    /// How many NOTIFYs arrived for `zone` at `serial`.
    fn count(&self, zone: &str, serial: u32) -> usize {
        self.seen
            .lock()
            .expect("the counts")
            .get(&(zone.to_owned(), serial))
            .copied()
            .unwrap_or(0)
    }

    /// Every (zone, serial) announced more than once, with its count.
    fn duplicates(&self) -> Vec<((String, u32), usize)> {
        let seen = self.seen.lock().expect("the counts");
        seen.iter()
            .filter(|(_, count)| **count > 1)
            .map(|(key, count)| (key.clone(), *count))
            .collect()
    }
}

#[tokio::test]
async fn two_nodes_on_one_database_send_one_notify_per_serial() {
    let secondary = NotifyCounter::start().await;
    let node_a = spawn_dns_app_with(|settings| {
        settings.dns_secondaries = vec![secondary.address.to_string()];
        settings.outbox_poll_ms = POLL_MS;
    })
    .await;
    let node_b = node_a.restart().await;
    let before = node_a.udp().serial(ALICE_ZONE).await;
    let alice_on_a = node_a.signed_in(ALICE).await;
    let alice_on_b = alice_on_a.towards(&node_b.address);

    alice_on_a
        .save(ALICE_SINGLE, "mail.alice-hosting.net")
        .await;
    // The saving node serves its own save at once (the other follows within a second).
    let first = node_a.udp().serial(ALICE_ZONE).await;
    wait_until(Duration::from_secs(10), "the first NOTIFY", || async {
        secondary.count(ALICE_ZONE, first) > 0
    })
    .await;
    alice_on_b.save(ALICE_SINGLE, "web.alice-hosting.net").await;
    let second = node_b.udp().serial(ALICE_ZONE).await;
    wait_until(Duration::from_secs(10), "the second NOTIFY", || async {
        secondary.count(ALICE_ZONE, second) > 0
    })
    .await;
    tokio::time::sleep(DUPLICATE_WINDOW).await;

    assert!(
        before < first && first < second,
        "{before} < {first} < {second}"
    );
    assert_eq!(secondary.count(ALICE_ZONE, first), 1);
    assert_eq!(secondary.count(ALICE_ZONE, second), 1);
    assert_eq!(
        secondary.duplicates(),
        [],
        "no serial of any zone announced twice"
    );
}

#[tokio::test]
async fn a_job_lease_lets_one_of_two_nodes_run_a_round_until_it_runs_out() {
    let app = spawn_app().await;
    let pool = &app.db.pool;
    let now = ptrdesk::clock::now();
    let claim = |holder: &'static str, until: i64, at: i64| async move {
        leases::claim(pool, leases::DRIFT, holder, until, at)
            .await
            .expect("the lease table answers")
    };

    let node_a_first = claim("node-a", now + 60, now).await;
    let node_b_meanwhile = claim("node-b", now + 60, now).await;
    let node_a_renews = claim("node-a", now + 120, now + 60).await;
    let node_b_too_soon = claim("node-b", now + 180, now + 119).await;
    let node_b_once_run_out = claim("node-b", now + 180, now + 120).await;
    let node_a_after_that = claim("node-a", now + 240, now + 121).await;

    assert!(node_a_first, "a lease never taken is free");
    assert!(
        !node_b_meanwhile,
        "a held lease is not free to another node"
    );
    assert!(node_a_renews, "the holder renews its lease");
    assert!(!node_b_too_soon, "the renewed lease holds");
    assert!(node_b_once_run_out, "a lease that ran out is taken over");
    assert!(!node_a_after_that, "and the former holder no longer runs");
    let other_job = leases::claim(pool, leases::LIVE, "node-a", now + 60, now)
        .await
        .expect("the lease table answers");
    assert!(other_job, "each job has its own lease");
}

//! A measurement, not a check, built only with the `measurements` feature (on PostgreSQL:
//! `PTRDESK_TEST_POSTGRES=… cargo nextest run --features measurements -E
//! 'test(/ten_thousand/)' --no-capture`): the
//! latency of one customer's single saves while another customer's atomic bulk change of
//! 10,000 addresses is written (issue 24, item 2). Prints p50, p99 and the slowest save.

use crate::helpers::*;
use reqwest::StatusCode;
use std::time::{Duration, Instant};

/// Changes in the bulk.
const BULK: u32 = 10_000;

#[tokio::test]
async fn single_saves_while_another_customer_writes_a_ten_thousand_item_bulk() {
    let app = spawn_app_with(|settings| settings.api_rate_limit = 1_000_000).await;
    let alice = app.api_client(ALICE_NUMBER).await;
    let bob = app.api_client("K2").await;
    let changes: Vec<(String, String)> = (1..=BULK)
        .map(|n| {
            (
                format!("2001:db8:10::{n:x}"),
                format!("host{n}.example.com"),
            )
        })
        .collect();
    let items: Vec<(&str, Option<&str>)> = changes
        .iter()
        .map(|(ip, name)| (ip.as_str(), Some(name.as_str())))
        .collect();
    let started = Instant::now();
    let mut bulk = Box::pin(crate::helpers::api_client::bulk(
        &alice, &items, false, true,
    ));

    let mut latencies: Vec<Duration> = Vec::new();
    let mut n = 0u32;
    let reply = loop {
        n += 1;
        let ip = format!("2001:db8:bb::{:x}", n % 4096 + 1);
        let name = format!("edge{n}.example.com");
        let save = async {
            let began = Instant::now();
            let reply = bob.post_ptr(&ip, &name).await;
            (began.elapsed(), reply.status)
        };
        tokio::select! {
            reply = &mut bulk => break reply,
            (took, status) = save => {
                assert!(status.is_success(), "a single save answered {status}");
                latencies.push(took);
            }
        }
    };
    let bulk_took = started.elapsed();

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    eprintln!(
        "bulk of {BULK} in {bulk_took:?} ({}); {} single saves meanwhile: p50 {:?}, p99 {:?}, max {:?}",
        app.database_url.split(':').next().unwrap_or("?"),
        latencies.len(),
        at(0.5),
        at(0.99),
        latencies.last().copied().unwrap_or_default()
    );
}

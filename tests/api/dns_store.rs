//! DNS answers from the node's zone store in memory: a save is served by the saving node's own
//! DNS at once and by another node within a second; while the database is away DNS (answers
//! and zone transfers) goes on with what it knew and `/healthz` calls the store stale; a node
//! whose log was pruned under it reloads everything.

use crate::helpers::dns_app::*;
use crate::helpers::*;
use hickory_server::proto::op::ResponseCode;
use reqwest::StatusCode;
use std::net::IpAddr;
use std::time::{Duration, Instant};

const ALICE_ZONE: &str = "113.0.203.in-addr.arpa";
const LOOPBACK: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

async fn healthz(address: &str) -> (StatusCode, serde_json::Value) {
    let response = reqwest::get(format!("{address}/healthz"))
        .await
        .expect("the panel answers");
    let status = response.status();
    let body = response.text().await.expect("a body");
    (status, serde_json::from_str(&body).expect("JSON"))
}

#[tokio::test]
async fn a_save_is_served_by_its_own_node_at_once_and_by_another_node_within_a_second() {
    let node_a = spawn_dns_app().await;
    let node_b = node_a.restart().await;
    let alice = node_a.signed_in(ALICE).await;
    assert_eq!(
        node_b.udp().ptr(ALICE_SINGLE).await.1,
        ["static.45.113.0.203.clients.example.net"]
    );

    let saved = alice.save(ALICE_SINGLE, "mail.alice-hosting.net").await;
    let saved_at = Instant::now();

    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        node_a.udp().ptr(ALICE_SINGLE).await.1,
        ["mail.alice-hosting.net"],
        "the saving node serves the save as soon as it is answered"
    );
    wait_until(
        Duration::from_secs(1),
        "the other node serves the save",
        || async { node_b.udp().ptr(ALICE_SINGLE).await.1 == ["mail.alice-hosting.net"] },
    )
    .await;
    eprintln!(
        "another node served the save {:?} after it was answered",
        saved_at.elapsed()
    );
    assert_eq!(
        node_b.udp().serial(ALICE_ZONE).await,
        node_a.udp().serial(ALICE_ZONE).await
    );
}

#[tokio::test]
async fn dns_answers_what_it_knew_while_the_database_is_away_and_healthz_says_the_store_is_stale() {
    let app = spawn_dns_app_with(|settings| {
        settings.dns_secondaries = vec!["127.0.0.1".to_owned()];
    })
    .await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, "mail.alice-hosting.net").await;
    let serial = app.udp().serial(ALICE_ZONE).await;
    let (status, health) = healthz(&app.address).await;
    assert_eq!(status, StatusCode::OK, "{health}");
    assert_eq!(health["parts"]["dns_store"]["status"], "ok", "{health}");

    app.db.pool.close().await;

    assert_eq!(
        app.udp().ptr(ALICE_SINGLE).await,
        (
            ResponseCode::NoError,
            vec!["mail.alice-hosting.net".to_owned()]
        )
    );
    assert_eq!(app.udp().serial(ALICE_ZONE).await, serial);
    let transferred = Asker::tcp(app.dns, Some(LOOPBACK), None)
        .await
        .axfr(ALICE_ZONE)
        .await
        .expect("a zone transfer goes on without the database");
    assert_eq!(soa_serial(&transferred), Some(serial));
    wait_until(
        Duration::from_secs(2),
        "healthz calls the store stale",
        || async {
            let (status, health) = healthz(&app.address).await;
            status == StatusCode::SERVICE_UNAVAILABLE
                && health["parts"]["dns_store"]["status"] == "failing"
        },
    )
    .await;
    let (_, stale) = healthz(&app.address).await;
    let reason = stale["parts"]["dns_store"]["reason"]
        .as_str()
        .expect("a reason");
    assert!(reason.starts_with("stale:"), "{reason}");
    assert!(reason.contains("DNS answers what it last knew"), "{reason}");
}

#[tokio::test]
async fn a_node_whose_log_was_pruned_under_it_reloads_everything() {
    let node_a = spawn_dns_app().await;
    let node_b = node_a.restart().await;
    let alice = node_a.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, "mail.alice-hosting.net").await;
    wait_until(Duration::from_secs(1), "node b follows", || async {
        node_b.udp().ptr(ALICE_SINGLE).await.1 == ["mail.alice-hosting.net"]
    })
    .await;

    // Written behind every node's back, and the log that would name it gone (pruned).
    sqlx::query("UPDATE entries SET hostname = 'web.alice-hosting.net' WHERE hostname = 'mail.alice-hosting.net'")
        .execute(&node_a.db.pool)
        .await
        .expect("the entry is rewritten");
    sqlx::query("DELETE FROM dns_changes")
        .execute(&node_a.db.pool)
        .await
        .expect("the log is emptied");
    sqlx::query("UPDATE dns_generation SET generation = generation + 3")
        .execute(&node_a.db.pool)
        .await
        .expect("the generation moves");

    wait_until(
        Duration::from_secs(1),
        "node b reloads everything",
        || async { node_b.udp().ptr(ALICE_SINGLE).await.1 == ["web.alice-hosting.net"] },
    )
    .await;
    assert_eq!(
        node_b.udp().ptr(ALICE_V4_ADDRESSES[0]).await.0,
        ResponseCode::NoError,
        "the rest is still served"
    );
}

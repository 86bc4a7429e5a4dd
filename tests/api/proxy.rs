//! Behind a reverse proxy: the client's address comes from `X-Forwarded-For` only when the
//! peer is a trusted proxy, for sign-in throttling and the audit log alike.

use crate::helpers::{ALICE, ALICE_SINGLE, BOB, spawn_app, spawn_app_with};
use reqwest::StatusCode;

#[tokio::test]
async fn behind_a_trusted_proxy_throttling_locks_the_forwarded_client_not_the_proxy() {
    let app = spawn_app_with(|settings| settings.trusted_proxies = vec!["127.0.0.1".into()]).await;
    let attacker = app.visitor_via_proxy("203.0.113.66");
    for username in ["alice", "bob", "root", "support", "nobody"] {
        let reply = attacker.login(username, "guess").await;
        assert_ne!(reply.status, StatusCode::SEE_OTHER);
    }
    let locked = attacker.login(BOB.username, BOB.password).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);

    // Another customer behind the same proxy is not locked out with the attacker.
    let neighbour = app.visitor_via_proxy("198.51.100.77");
    let reply = neighbour.login(BOB.username, BOB.password).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
}

#[tokio::test]
async fn without_trusted_proxies_a_forged_forwarded_for_changes_nothing() {
    let app = spawn_app().await;
    // Each try claims another address; all come from 127.0.0.1, so that address is locked.
    for n in 1..=5 {
        let liar = app.visitor_via_proxy(&format!("192.0.2.{n}"));
        let reply = liar.login("nobody", "guess").await;
        assert_ne!(reply.status, StatusCode::SEE_OTHER);
    }
    let reply = app
        .visitor_via_proxy("192.0.2.99")
        .login(BOB.username, BOB.password)
        .await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn the_audit_log_records_the_client_a_trusted_proxy_names() {
    let app =
        spawn_app_with(|settings| settings.trusted_proxies = vec!["127.0.0.0/8".into()]).await;
    let alice = app.visitor_via_proxy("client.example, 203.0.113.200, 127.0.0.9");
    let reply = alice.login(ALICE.username, ALICE.password).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);

    let saved = alice.save(ALICE_SINGLE, "mail.alice-hosting.example").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let audit = app.audit(ALICE_SINGLE).await;
    let last = audit.last().expect("an audit row");
    assert_eq!(last.source, "203.0.113.200");
}

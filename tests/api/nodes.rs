//! Several ptrdesk nodes on one database (SPEC "Data": stateless nodes behind a load
//! balancer): any node accepts any session, and two saves of one IP at once from two nodes
//! end with one winner, a clear conflict for the other, and an audit log that says so.
//! Run on both engines; on PostgreSQL (scripts/test.sh) this is the real multi-node case.

use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn a_session_started_on_one_node_works_on_another_and_both_show_the_same_data() {
    let node_a = spawn_app().await;
    let node_b = node_a.restart().await;
    let alice_on_a = node_a.signed_in(ALICE).await;
    let alice_on_b = alice_on_a.towards(&node_b.address);

    let saved = alice_on_b
        .save(ALICE_SINGLE, "mail.alice-hosting.net")
        .await;

    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page_on_a = alice_on_a.get("/ips").await;
    let row = page_on_a
        .page()
        .row(ALICE_SINGLE)
        .expect("alice's row on node A");
    assert_eq!(
        row.value("hostname").as_deref(),
        Some("mail.alice-hosting.net")
    );
    let history = node_a.audit(ALICE_SINGLE).await;
    assert_eq!(history.len(), 1, "one change, recorded once: {history:?}");
}

#[tokio::test]
async fn two_saves_of_one_ip_at_once_from_two_nodes_have_one_winner_and_a_clear_conflict() {
    let node_a = spawn_app().await;
    let node_b = node_a.restart().await;
    let first = node_a.signed_in(ALICE).await;
    let second = node_b.signed_in(ALICE).await;
    // Both load the page at the same version, as two people in two browsers would.
    let version = first.version_of(ALICE_SINGLE).await;
    assert_eq!(second.version_of(ALICE_SINGLE).await, version);

    let (one, other) = tokio::join!(
        first.save_at(ALICE_SINGLE, "one.alice-hosting.net", &version),
        second.save_at(ALICE_SINGLE, "other.alice-hosting.net", &version),
    );

    let statuses = [one.status, other.status];
    assert!(
        statuses.contains(&StatusCode::SEE_OTHER),
        "one save wins: {statuses:?}"
    );
    assert!(
        statuses.contains(&StatusCode::CONFLICT),
        "the other is refused: {statuses:?}"
    );
    let (winner, loser_reply) = if one.status == StatusCode::SEE_OTHER {
        ("one.alice-hosting.net", &other)
    } else {
        ("other.alice-hosting.net", &one)
    };
    assert!(
        loser_reply
            .body
            .contains(&format!("Someone else changed this PTR to {winner}")),
        "the loser is told what is in force now"
    );
    assert_eq!(
        app_ptr(&node_a).await.as_deref(),
        Some(winner),
        "no lost update"
    );
    let actions: Vec<String> = node_a
        .audit(ALICE_SINGLE)
        .await
        .into_iter()
        .map(|row| format!("{} {}", row.action, row.new_value.unwrap_or_default()))
        .collect();
    assert_eq!(actions.len(), 2, "{actions:?}");
    assert!(
        actions.contains(&format!("ptr.set {winner}")),
        "{actions:?}"
    );
    assert!(
        actions
            .iter()
            .any(|action| action.starts_with("ptr.refused.conflict")),
        "the refused save is on record too: {actions:?}"
    );
}

async fn app_ptr(app: &TestApp) -> Option<String> {
    app.stored_ptr(ALICE_SINGLE).await
}

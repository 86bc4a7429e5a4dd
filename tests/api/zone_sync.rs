//! The periodic zone sync reads the assignments only when they (or the configuration) changed
//! since the node's last complete round: a round over an unchanged database leaves even a
//! zone row that disagrees with the assignments alone, while adding, removing or resizing an
//! assignment, a new configuration or a restart each bring every zone back in line.
//!
//! The panel serves DNS with its own sync loop slowed to once an hour (its first round runs
//! at start); the tests drive the rounds of a node's sync by hand.

use crate::helpers::dns_app::*;
use crate::helpers::*;
use hickory_server::proto::op::ResponseCode;
use hickory_server::proto::rr::RecordType;
use ptrdesk::config::Settings;
use ptrdesk::db::zones::{self, ZoneRow};
use ptrdesk::dns::Publishing;
use ptrdesk::dns::sync::{SyncSummary, ZoneSync};
use reqwest::StatusCode;

const ALICE_SUBNET_ZONE: &str = "100.51.198.in-addr.arpa";
/// Alice's and Bob's single addresses.
const SINGLES_ZONE: &str = "113.0.203.in-addr.arpa";
/// The zone of the assignment the tests add.
const NEW_ZONE: &str = "2.0.192.in-addr.arpa";
const NEW_ASSIGNMENT: &str = "K1,Alice Hosting GmbH,alice-web,192.0.2.0/28\n";

async fn spawn() -> DnsApp {
    spawn_dns_app_with(|settings| settings.dns_sync_interval_seconds = 3600).await
}

/// What the panel publishes with (its settings are the defaults in these respects).
fn publishing() -> Publishing {
    Publishing::from_settings(&Settings::default()).expect("the default settings publish")
}

async fn round(app: &DnsApp, sync: &mut ZoneSync, publishing: &Publishing) -> Option<SyncSummary> {
    sync.round(&app.db, publishing, ptrdesk::clock::now())
        .await
        .expect("the zone sync runs")
}

async fn zone(app: &DnsApp, name: &str) -> Option<ZoneRow> {
    zones::list(&app.db.pool)
        .await
        .expect("the zones table answers")
        .into_iter()
        .find(|row| row.name == name)
}

async fn serial(app: &DnsApp, name: &str) -> i64 {
    zone(app, name)
        .await
        .unwrap_or_else(|| panic!("{name} has a row"))
        .serial
}

/// Makes a zone's row disagree with the assignments, as a missed change would have left it.
async fn tamper(app: &DnsApp, name: &str) {
    sqlx::query("UPDATE zones SET digest = 'tampered' WHERE name = $1")
        .bind(name)
        .execute(&app.db.pool)
        .await
        .expect("the zone row is updated");
}

async fn digest(app: &DnsApp, name: &str) -> Option<String> {
    sqlx::query_scalar("SELECT digest FROM zones WHERE name = $1")
        .bind(name)
        .fetch_one(&app.db.pool)
        .await
        .expect("the zone has a row")
}

#[tokio::test]
async fn a_round_without_changes_reads_nothing_until_an_assignment_changes() {
    let app = spawn().await;
    let publishing = publishing();
    let mut sync = ZoneSync::default();
    assert!(
        round(&app, &mut sync, &publishing).await.is_some(),
        "the first round of a node runs in full"
    );
    tamper(&app, ALICE_SUBNET_ZONE).await;
    let before = app.udp().serial(ALICE_SUBNET_ZONE).await;

    assert_eq!(round(&app, &mut sync, &publishing).await, None);
    assert_eq!(
        digest(&app, ALICE_SUBNET_ZONE).await.as_deref(),
        Some("tampered"),
        "an unchanged database is not read again"
    );
    assert_eq!(app.udp().serial(ALICE_SUBNET_ZONE).await, before);

    // An assignment elsewhere moves the generation: the next round reads every zone again.
    app.import(NEW_ASSIGNMENT).await;
    let summary = round(&app, &mut sync, &publishing)
        .await
        .expect("a changed database is read again");
    // The import created its zone itself; the round brings the tampered one back in line.
    assert_eq!((summary.created, summary.bumped), (0, 1), "{summary:?}");
    assert_ne!(
        digest(&app, ALICE_SUBNET_ZONE).await.as_deref(),
        Some("tampered")
    );
    assert!(app.udp().serial(ALICE_SUBNET_ZONE).await > before);
    assert_eq!(round(&app, &mut sync, &publishing).await, None);
}

#[tokio::test]
async fn the_first_round_of_a_node_runs_in_full_whatever_the_generation() {
    let app = spawn().await;
    let publishing = publishing();
    let mut sync = ZoneSync::default();
    round(&app, &mut sync, &publishing).await;
    tamper(&app, ALICE_SUBNET_ZONE).await;
    assert_eq!(round(&app, &mut sync, &publishing).await, None);

    let mut restarted = ZoneSync::default();
    let summary = round(&app, &mut restarted, &publishing)
        .await
        .expect("a new node's first round runs in full");
    assert_eq!(summary.bumped, 1, "{summary:?}");
    assert_ne!(
        digest(&app, ALICE_SUBNET_ZONE).await.as_deref(),
        Some("tampered")
    );
}

#[tokio::test]
async fn adding_resizing_and_removing_an_assignment_each_resync_its_zone() {
    let app = spawn().await;
    let publishing = publishing();
    let mut sync = ZoneSync::default();
    round(&app, &mut sync, &publishing).await;
    let untouched = serial(&app, ALICE_SUBNET_ZONE).await;

    app.import(NEW_ASSIGNMENT).await;
    let created = serial(&app, NEW_ZONE).await;
    assert_eq!(
        app.udp().serial(NEW_ZONE).await,
        created as u32,
        "the import created the zone's row, before any round of the sync"
    );
    let added = round(&app, &mut sync, &publishing).await;
    assert_eq!(
        added,
        Some(SyncSummary::default()),
        "the row the import made is what the sync would have made"
    );
    assert_eq!(serial(&app, NEW_ZONE).await, created);
    assert_eq!(round(&app, &mut sync, &publishing).await, None);

    // No door of the panel changes an assignment's network in place; the trigger covers it
    // all the same, should one (or an operator's SQL) do so.
    sqlx::query(
        "UPDATE assignments SET network = '192.0.2.0/27', prefix_len = 27, last_addr = $1 \
         WHERE network = '192.0.2.0/28'",
    )
    .bind(ptrdesk::domain::address_key(
        "192.0.2.31".parse().expect("an address"),
    ))
    .execute(&app.db.pool)
    .await
    .expect("the assignment is resized");
    let resized = round(&app, &mut sync, &publishing).await;
    assert_eq!(
        resized,
        Some(SyncSummary {
            bumped: 1,
            ..SyncSummary::default()
        })
    );
    let bumped = serial(&app, NEW_ZONE).await;
    assert!(bumped > created, "{created} → {bumped}");
    assert_eq!(app.udp().serial(NEW_ZONE).await, bumped as u32);
    assert_eq!(round(&app, &mut sync, &publishing).await, None);

    let admin = app.signed_in(ADMIN).await;
    let start = admin.get("/").await.location.expect("a start page");
    admin.get(&start).await;
    let id = app.assignment_id(ALICE_NUMBER, "192.0.2.1").await;
    let removed = admin
        .post_form(&format!("/admin/assignments/{id}/remove"), &[])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let retired = round(&app, &mut sync, &publishing).await;
    assert_eq!(
        retired,
        Some(SyncSummary {
            retired: 1,
            ..SyncSummary::default()
        })
    );
    assert_eq!(zone(&app, NEW_ZONE).await.map(|row| row.active), Some(0));
    let refused = app.udp().ask(NEW_ZONE, RecordType::SOA).await;
    assert_eq!(refused.response_code, ResponseCode::Refused);

    assert_eq!(serial(&app, ALICE_SUBNET_ZONE).await, untouched);
}

#[tokio::test]
async fn new_default_names_resync_every_zone_without_an_assignment_changing() {
    let app = spawn().await;
    let publishing = publishing();
    let mut sync = ZoneSync::default();
    round(&app, &mut sync, &publishing).await;
    assert_eq!(round(&app, &mut sync, &publishing).await, None);
    let before = app.udp().serial(SINGLES_ZONE).await;

    let renamed = Publishing::from_settings(&Settings {
        default_name_v4: "host-{reversed}.other.example.net".to_owned(),
        ..Settings::default()
    })
    .expect("the settings publish");
    let summary = round(&app, &mut sync, &renamed)
        .await
        .expect("a new configuration is a change");
    let active = zones::list(&app.db.pool)
        .await
        .expect("the zones table answers")
        .iter()
        .filter(|row| row.active == 1)
        .count();
    assert_eq!(summary.bumped, active, "{summary:?}");
    assert!(app.udp().serial(SINGLES_ZONE).await > before);
    assert_eq!(round(&app, &mut sync, &renamed).await, None);
}

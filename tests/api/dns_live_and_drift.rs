//! Live status and drift (SPEC "Publishing to DNS"): a published entry is shown live on the
//! customer's row once every configured public name server serves its zone's serial (the
//! lagging ones are named otherwise), and `ptrdesk dns verify` reports every difference
//! between what a name server serves and the database.

use crate::helpers::dns_app::*;
use crate::helpers::dns_server::{DnsServer, Zone};
use crate::helpers::knot::{Knot, free_port};
use crate::helpers::*;
use hickory_server::proto::rr::RecordType;
use reqwest::StatusCode;
use std::process::Output;
use std::time::Duration;

const ALICE_ZONE: &str = "113.0.203.in-addr.arpa";

/// The status line of `ip`'s row on alice's page.
async fn row_text(alice: &TestUser, ip: &str) -> String {
    alice
        .get(&format!("/ips?ip={ip}"))
        .await
        .page()
        .row(ip)
        .map(|row| row.text)
        .unwrap_or_default()
}

/// Starts Knot as secondary of `app` on `port`, and waits until it serves `ALICE_ZONE`.
async fn knot_serving_alice_zone(app: &DnsApp, port: u16) -> Knot {
    let knot = Knot::secondary_of(app.dns, port, &[ALICE_ZONE], None).await;
    let secondary = knot.udp();
    wait_until(
        Duration::from_secs(15),
        "Knot transfers the zone",
        || async {
            secondary
                .ask(ALICE_ZONE, RecordType::SOA)
                .await
                .answers
                .len()
                == 1
        },
    )
    .await;
    knot
}

#[tokio::test]
async fn a_saved_ptr_is_shown_live_once_every_public_server_serves_it() {
    let knot_port = free_port();
    let app = spawn_dns_app_with(|settings| {
        settings.dns_secondaries = vec![format!("127.0.0.1:{knot_port}")];
        settings.dns_public_servers = vec![format!("127.0.0.1:{knot_port}")];
        settings.dns_live_poll_ms = 50;
    })
    .await;
    let _knot = knot_serving_alice_zone(&app, knot_port).await;
    let alice = app.signed_in(ALICE).await;

    let saved = alice.save(ALICE_SINGLE, "mail.alice-hosting.net").await;

    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    wait_until(Duration::from_secs(15), "the row says live", || async {
        row_text(&alice, ALICE_SINGLE)
            .await
            .contains("Live on the public name server")
    })
    .await;
}

#[tokio::test]
async fn a_public_server_that_does_not_serve_the_new_serial_is_named_on_the_row() {
    // A name server stuck at serial 1 of alice's zone.
    let stale = DnsServer::serving([Zone::new(ALICE_ZONE)]).await;
    let app = spawn_dns_app_with(|settings| {
        settings.dns_public_servers = vec![stale.address.to_string()];
        settings.dns_live_poll_ms = 50;
        // No one asks ptrdesk's DNS here: the zone sync creates the zone.
        settings.dns_sync_interval_seconds = 1;
    })
    .await;
    let alice = app.signed_in(ALICE).await;

    alice.save(ALICE_SINGLE, "mail.alice-hosting.net").await;

    let expected = format!("Publishing: not yet served by {}", stale.address);
    wait_until(
        Duration::from_secs(15),
        "the row names the server",
        || async { row_text(&alice, ALICE_SINGLE).await.contains(&expected) },
    )
    .await;
    assert!(
        !row_text(&alice, "198.51.100.17")
            .await
            .contains("Publishing"),
        "an address without a change since has no status"
    );
}

/// Runs `ptrdesk ARGS` with the app's database and `extra` settings in a configuration file.
async fn ptrdesk(app: &DnsApp, args: &[&str], extra: &str) -> Output {
    let config = app.dir().join("verify.toml");
    std::fs::write(
        &config,
        format!("database = {:?}\n{extra}\n", app.database_url),
    )
    .expect("the configuration is written");
    let mut command = crate::helpers::ptrdesk_command();
    command.args(args).arg("--config").arg(&config);
    tokio::task::spawn_blocking(move || command.output().expect("the ptrdesk binary runs"))
        .await
        .expect("the command runs")
}

#[tokio::test]
async fn dns_verify_reports_what_a_secondary_that_missed_a_change_serves() {
    let knot_port = free_port();
    let app = spawn_dns_app_with(|settings| {
        // Knot may transfer (from 127.0.0.1) but is not notified: it misses the next change.
        settings.dns_secondaries = vec!["127.0.0.1:9".to_owned()];
        settings.dns_notify_deadline_seconds = 1;
    })
    .await;
    let knot = knot_serving_alice_zone(&app, knot_port).await;
    let knot_server = knot.address.to_string();
    let in_sync = ptrdesk(
        &app,
        &["dns", "verify", "--zone", ALICE_ZONE],
        &format!("dns_public_servers = [{knot_server:?}]"),
    )
    .await;
    assert!(
        in_sync.status.success(),
        "{}{}",
        String::from_utf8_lossy(&in_sync.stdout),
        String::from_utf8_lossy(&in_sync.stderr)
    );
    let before = app.udp().serial(ALICE_ZONE).await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, "mail.alice-hosting.net").await;
    let serial = app.udp().serial(ALICE_ZONE).await;

    let drifted = ptrdesk(
        &app,
        &["dns", "verify", "--zone", ALICE_ZONE],
        &format!("dns_public_servers = [{knot_server:?}]"),
    )
    .await;
    let ours = ptrdesk(
        &app,
        &["dns", "verify", "--server", &app.dns.to_string()],
        "",
    )
    .await;

    let report = String::from_utf8_lossy(&drifted.stdout);
    assert_eq!(drifted.status.code(), Some(1), "{report}");
    assert!(
        report.contains(&format!(
            "{knot_server}: zone {ALICE_ZONE} at serial {before}, the database has {serial}"
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "{knot_server}: 203.0.113.45 serves static.45.113.0.203.clients.example.net, \
             the database has mail.alice-hosting.net"
        )),
        "{report}"
    );
    assert!(report.contains("2 differences"), "{report}");
    let report = String::from_utf8_lossy(&ours.stdout);
    assert!(ours.status.success(), "{report}");
    assert!(report.contains(" 0 differences"), "{report}");
}

#[tokio::test]
async fn dns_zones_lists_every_served_zone_with_its_serial() {
    let app = spawn_dns_app().await;

    let listed = ptrdesk(&app, &["dns", "zones"], "").await;

    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(listed.status.success(), "{text}");
    // `ZONE<TAB>SERIAL` lines (the log lines around them have no tab).
    let zones: Vec<&str> = text
        .lines()
        .filter(|line| line.contains('\t'))
        .filter_map(|line| line.split('\t').next())
        .collect();
    assert_eq!(
        zones,
        [
            "0.1.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
            "100.51.198.in-addr.arpa",
            "113.0.203.in-addr.arpa",
            "b.b.0.0.8.b.d.0.1.0.0.2.ip6.arpa"
        ]
    );
    let serial = app.udp().serial(ALICE_ZONE).await;
    assert!(text.contains(&format!("{ALICE_ZONE}\t{serial}")), "{text}");
}

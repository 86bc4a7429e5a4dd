//! `ptrdesk import zone` (issue 16): the PTRs a provider's current primary serves — a real
//! Knot here, loaded from a zone file — carried over through the write path, with a report of
//! what was imported, skipped and why.

use crate::helpers::knot::{Knot, XFR_KEY, free_port};
use crate::helpers::{TestApp, spawn_app};
use std::net::IpAddr;
use std::process::Output;

const ZONE: &str = "100.51.198.in-addr.arpa";

/// The old primary's zone: alice's /29 is 198.51.100.16–23; .5 is nobody's.
const ZONE_FILE: &str = "\
$ORIGIN 100.51.198.in-addr.arpa.
$TTL 3600
@   SOA ns1.old-primary.example. hostmaster.old-primary.example. 2024010101 3600 600 1209600 300
@   NS  ns1.old-primary.example.
5   PTR lost.example.net.
17  PTR node1.alice-hosting.net.
18  PTR static.18.100.51.198.clients.example.net.
19  PTR box.test.
20  PTR mail.alice-hosting.net.
20  PTR mx2.alice-hosting.net.
21  PTR bad_name.alice-hosting.net.
22  PTR Web.Alice-Hosting.NET.
70  CNAME 70.64/26.100.51.198.in-addr.arpa.
";

/// Runs `ptrdesk import zone ZONE --from KNOT ARGS` on the app's database, DNS checks off.
async fn import(app: &TestApp, knot: &Knot, args: &[&str]) -> Output {
    let config = app.dir().join("import-zone.toml");
    std::fs::write(
        &config,
        format!("database = {:?}\ndns_checks = false\n", app.database_url),
    )
    .expect("the configuration is written");
    let mut command = crate::helpers::ptrdesk_command();
    command
        .args(["import", "zone", ZONE, "--from", &knot.address.to_string()])
        .args(args)
        .arg("--config")
        .arg(&config);
    tokio::task::spawn_blocking(move || command.output().expect("the ptrdesk binary runs"))
        .await
        .expect("the command runs")
}

async fn entry(app: &TestApp, ip: &str) -> Option<String> {
    let ip: IpAddr = ip.parse().expect("an address");
    ptrdesk::db::entries::current(&app.db.pool, ip)
        .await
        .expect("the entries answer")
        .and_then(|entry| entry.hostname)
}

async fn import_audit_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit WHERE door = 'import' AND action = 'ptr.set'")
        .fetch_one(&app.db.pool)
        .await
        .expect("the audit log answers")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The report's line about `ip` (its listing of skipped and flagged addresses).
fn line_of(report: &str, ip: &str) -> String {
    report
        .lines()
        .find(|line| line.trim_start().starts_with(&format!("{ip} ")))
        .unwrap_or_else(|| panic!("no line about {ip} in:\n{report}"))
        .to_owned()
}

#[tokio::test]
async fn a_dry_run_reports_every_ptr_and_writes_nothing() {
    let app = spawn_app().await;
    let knot = Knot::primary_of(free_port(), ZONE, ZONE_FILE, None).await;

    let output = import(&app, &knot, &["--dry-run"]).await;

    let report = text(&output);
    assert!(output.status.success(), "{report}\n{}", knot.log());
    assert!(report.contains("at serial 2024010101: 7 PTRs"), "{report}");
    assert!(
        report.contains("would import: 3 (1 of them fail a check"),
        "{report}"
    );
    assert!(report.contains("skipped: 4"), "{report}");
    assert!(report.contains("left alone: 1 CNAME"), "{report}");
    assert!(report.contains("dry run: nothing was written"), "{report}");
    assert!(line_of(&report, "198.51.100.5").contains("no assignment holds the address"));
    assert!(line_of(&report, "198.51.100.18").contains("equals the default name"));
    assert!(line_of(&report, "198.51.100.19").contains("would import anyway"));
    assert!(line_of(&report, "198.51.100.20").contains("2 PTRs at one address"));
    assert!(line_of(&report, "198.51.100.21").contains("not a host name"));
    assert_eq!(entry(&app, "198.51.100.17").await, None);
    assert_eq!(import_audit_rows(&app).await, 0);
}

#[tokio::test]
async fn an_import_writes_the_entries_through_the_audited_write_path_and_a_second_one_changes_nothing()
 {
    let app = spawn_app().await;
    let knot = Knot::primary_of(free_port(), ZONE, ZONE_FILE, None).await;

    let first = import(&app, &knot, &[]).await;

    let report = text(&first);
    assert!(first.status.success(), "{report}");
    assert!(
        report.contains("imported: 3 (1 of them fail a check"),
        "{report}"
    );
    assert_eq!(
        entry(&app, "198.51.100.17").await.as_deref(),
        Some("node1.alice-hosting.net")
    );
    assert_eq!(
        entry(&app, "198.51.100.22").await.as_deref(),
        Some("web.alice-hosting.net"),
        "stored as a host name is: lower case"
    );
    assert_eq!(
        entry(&app, "198.51.100.19").await.as_deref(),
        Some("box.test"),
        "what the old primary served is carried over even though a check fails"
    );
    assert_eq!(
        entry(&app, "198.51.100.18").await,
        None,
        "the default stays"
    );
    assert_eq!(entry(&app, "198.51.100.20").await, None);
    assert_eq!(import_audit_rows(&app).await, 3);

    let again = import(&app, &knot, &[]).await;

    let report = text(&again);
    assert!(again.status.success(), "{report}");
    assert!(report.contains("imported: 0"), "{report}");
    assert!(report.contains("unchanged: 3"), "{report}");
    assert_eq!(import_audit_rows(&app).await, 3, "nothing written twice");
}

#[tokio::test]
async fn strict_refuses_what_fails_a_check_and_says_so_in_the_exit_status() {
    let app = spawn_app().await;
    let knot = Knot::primary_of(free_port(), ZONE, ZONE_FILE, None).await;

    let output = import(&app, &knot, &["--strict"]).await;

    let report = text(&output);
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert!(report.contains("refused (--strict): 1"), "{report}");
    assert!(
        line_of(&report, "198.51.100.19").contains("refused:"),
        "{report}"
    );
    assert_eq!(entry(&app, "198.51.100.19").await, None);
    assert_eq!(
        entry(&app, "198.51.100.17").await.as_deref(),
        Some("node1.alice-hosting.net"),
        "the others are imported"
    );
}

#[tokio::test]
async fn a_primary_that_wants_a_key_refuses_without_it_and_transfers_with_it() {
    let app = spawn_app().await;
    let knot = Knot::primary_of(free_port(), ZONE, ZONE_FILE, Some(XFR_KEY)).await;

    let unsigned = import(&app, &knot, &["--dry-run"]).await;

    assert!(!unsigned.status.success());
    let said = text(&unsigned);
    assert!(
        said.contains("refused the transfer of 100.51.198.in-addr.arpa."),
        "{said}"
    );
    assert!(
        said.contains("--tsig"),
        "the operator is told about the key: {said}"
    );

    let key_file = app.dir().join("old-primary.key");
    std::fs::write(&key_file, XFR_KEY.setting()).expect("the key file is written");
    let signed = import(
        &app,
        &knot,
        &["--dry-run", "--tsig", &format!("@{}", key_file.display())],
    )
    .await;

    assert!(signed.status.success(), "{}", text(&signed));
    assert!(text(&signed).contains("7 PTRs"));
}

#[tokio::test]
async fn a_primary_that_does_not_answer_is_named_in_the_error() {
    let app = spawn_app().await;
    let knot = Knot::primary_of(free_port(), ZONE, ZONE_FILE, None).await;
    let address = knot.address;
    drop(knot);

    let mut command = crate::helpers::ptrdesk_command();
    command
        .args(["import", "zone", ZONE, "--from", &address.to_string()])
        .env("PTRDESK_DATABASE", &app.database_url);
    let output = tokio::task::spawn_blocking(move || command.output().expect("ptrdesk runs"))
        .await
        .expect("the command runs");

    assert!(!output.status.success());
    let said = text(&output);
    assert!(
        said.contains(&format!("cannot connect to {address}")),
        "{said}"
    );
}

// On several worker threads, as the `ptrdesk` command runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_of_a_whole_slash_16_arrives_complete() {
    // 65,536 PTRs in one long transfer, every one counted. (The full-size benchmark, release
    // build, caught hickory's multiplexed client dropping messages of such a transfer; in a
    // debug test build that race did not show, so this guards the count, not the race.)
    let mut zone_file = String::from(
        "$ORIGIN 18.198.in-addr.arpa.\n$TTL 3600\n\
         @ SOA ns1.old-primary.example. hostmaster.old-primary.example. 1 3600 600 1209600 300\n\
         @ NS ns1.old-primary.example.\n",
    );
    for n in 0..65_536u32 {
        zone_file.push_str(&format!(
            "{}.{} PTR host-{n}.example.net.\n",
            n % 256,
            n / 256
        ));
    }
    let knot = Knot::primary_of(free_port(), "18.198.in-addr.arpa", &zone_file, None).await;
    let zone = ptrdesk::dns::absolute_name("18.198.in-addr.arpa").expect("a zone name");

    let records = ptrdesk::dns::pull::axfr(knot.address, &zone, None)
        .await
        .expect("the zone transfers");

    let ptrs = records
        .iter()
        .filter(|record| record.record_type() == hickory_server::proto::rr::RecordType::PTR)
        .count();
    assert_eq!(ptrs, 65_536, "{}", knot.log());
}

//! Stopping the real `ptrdesk serve` with SIGTERM while a save is in the middle of its DNS
//! checks: the save gets its normal answer and is stored with its audit row, a new connection
//! is refused, the process exits 0 within the grace period saying so in its log, and the
//! database is left clean (on SQLite: consistent, the WAL checkpointed away).

use crate::helpers::dns_server::{DnsServer, Zone};
use crate::helpers::held_dns::HeldDns;
use crate::helpers::serve_process::{ServeProcess, unserved_app};
use crate::helpers::{ALICE, ALICE_SINGLE, visitor_at};
use ptrdesk::db::{self, Db};
use reqwest::StatusCode;
use sqlx::{Connection, Row};
use std::time::{Duration, Instant};

const NAME: &str = "mail.alice-hosting.net";
/// The grace period the process is given (and must keep).
const GRACE: Duration = Duration::from_secs(10);
/// Longest wait for something the process does at once.
const PROMPTLY: Duration = Duration::from_secs(10);

#[tokio::test]
async fn sigterm_lets_the_save_in_flight_finish_refuses_new_connections_and_exits_cleanly() {
    let app = unserved_app().await;
    let dns = DnsServer::serving([
        Zone::new("net"),
        Zone::new("alice-hosting.net").a(NAME, ALICE_SINGLE),
    ])
    .await;
    // DNS answers when the test says so, not before: the save stays in flight meanwhile.
    let held = HeldDns::in_front_of(dns.address).await;
    let dns_server = held.address.to_string();
    let grace = GRACE.as_secs().to_string();
    let process = ServeProcess::start(
        &app,
        &[
            ("PTRDESK_DNS_CHECKS", "true"),
            ("PTRDESK_DNS_SERVERS", &dns_server),
            ("PTRDESK_CHECK_MODE", "resolver"),
            ("PTRDESK_DNS_TIMEOUT_MS", "30000"),
            ("PTRDESK_CHECK_BUDGET_MS", "30000"),
            ("PTRDESK_SHUTDOWN_GRACE_SECONDS", &grace),
        ],
    )
    .await;
    let database_url = app.database_url.clone();
    // Only the process may hold the database open: closing it cleanly is its job alone.
    app.db.close().await;
    let alice = visitor_at(&process.address);
    let login = alice.login(ALICE.username, ALICE.password).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    let version = alice.version_of(ALICE_SINGLE).await;

    let stop_midway = async {
        held.first_question(PROMPTLY).await;
        process.signal("TERM");
        let signalled = Instant::now();
        let refused = refused_soon(process.port).await;
        held.let_through();
        (signalled, refused)
    };
    let (saved, (signalled, refused)) =
        tokio::join!(alice.save_at(ALICE_SINGLE, NAME, &version), stop_midway);
    let status = process.exited_within(GRACE).await;
    let stopped_in = signalled.elapsed();
    eprintln!("SIGTERM to exit: {stopped_in:?}");

    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(refused, "new connections were still taken after SIGTERM");
    assert!(
        status.success(),
        "exit status {status}; log:\n{}",
        process.log()
    );
    assert!(stopped_in < GRACE, "took {stopped_in:?} to stop");
    let log = process.log();
    assert!(log.contains("shutting down"), "{log}");
    assert!(
        log.lines()
            .any(|line| line.ends_with("ptrdesk::startup: stopped")),
        "{log}"
    );
    if let Some(file) = database_url.strip_prefix("sqlite://") {
        assert_checkpointed_and_intact(file).await;
    }
    let db = Db::connect(&database_url)
        .await
        .expect("the database opens again");
    let ip = ALICE_SINGLE.parse().expect("an address");
    let entry = db::entries::current(&db.pool, ip)
        .await
        .expect("the entries table answers")
        .expect("the saved entry");
    assert_eq!(entry.hostname.as_deref(), Some(NAME));
    let history: Vec<(String, Option<String>)> = db::audit::for_address(&db.pool, ip)
        .await
        .expect("the audit table answers")
        .into_iter()
        .map(|row| (row.action, row.new_value))
        .collect();
    assert_eq!(history, [("ptr.set".to_owned(), Some(NAME.to_owned()))]);
}

/// Whether connecting to `port` of 127.0.0.1 is refused within [`PROMPTLY`]: the process
/// closes its listener a moment after the signal, not at the very instant.
async fn refused_soon(port: u16) -> bool {
    let started = Instant::now();
    while started.elapsed() < PROMPTLY {
        match tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            Err(err) if err.kind() == std::io::ErrorKind::ConnectionRefused => return true,
            _ => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
    false
}

/// The SQLite file after the process is gone: no write-ahead log left with content in it, and
/// `PRAGMA integrity_check` says ok.
async fn assert_checkpointed_and_intact(file: &str) {
    let file = file.split('?').next().unwrap_or(file);
    let wal = std::fs::metadata(format!("{file}-wal")).map_or(0, |meta| meta.len());
    assert_eq!(wal, 0, "{wal} bytes left in {file}-wal");
    let mut connection = sqlx::AnyConnection::connect(&format!("sqlite://{file}"))
        .await
        .expect("the file opens");
    let verdict: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&mut connection)
        .await
        .expect("the integrity check runs")
        .get(0);
    assert_eq!(verdict, "ok");
}

//! `ptrdesk seed`, the benchmark data set: run as the real binary on an empty database (SQLite
//! or, with PTRDESK_TEST_POSTGRES, PostgreSQL), at a tiny scale; then the real panel, with its
//! DNS server, runs on what it wrote, and the bench accounts of scripts/bench work.

use crate::helpers::dns_app::Asker;
use crate::helpers::{TestUser, collapse, fresh_database, visitor_at};
use ptrdesk::config::Settings;
use ptrdesk::db::Db;
use ptrdesk::db::seed::{SeededTable, count_rows};
use ptrdesk::startup::Application;
use reqwest::StatusCode;
use secrecy::SecretString;
use std::net::SocketAddr;
use std::process::{Output, Stdio};

/// The scale of these tests: 10 customers, 40 IPv6 /64; the bench customers' 5,050 IPv4
/// addresses and 55 servers are there whatever the scale.
const SCALE: &str = "0.0002";
const PASSWORD: &str = "seed-test-password";

/// Runs `ptrdesk seed ARGS --database URL` with no other PTRDESK_ variable.
async fn seed(database_url: &str, args: &[&str]) -> Output {
    let mut command = crate::helpers::ptrdesk_command();
    command
        .arg("seed")
        .args(args)
        .args(["--database", database_url])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    tokio::task::spawn_blocking(move || command.output().expect("the ptrdesk binary runs"))
        .await
        .expect("the command runs")
}

fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "ptrdesk seed failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The panel with its DNS server on the seeded database.
struct Panel {
    address: String,
    dns: SocketAddr,
    db: Db,
}

async fn serve(database_url: &str) -> Panel {
    let settings = Settings {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        database: database_url.to_owned(),
        session_key: Some(SecretString::from(ptrdesk::token::random_token(64))),
        dns_checks: false,
        dns_listen: Some(SocketAddr::from(([127, 0, 0, 1], 0))),
        // Staff sign in with a password alone, as in the demo (see helpers::spawn_app_with).
        require_staff_2fa: false,
        ..Settings::default()
    };
    let app = Application::build(&settings)
        .await
        .expect("the panel starts on the seeded database");
    let panel = Panel {
        address: format!("http://127.0.0.1:{}", app.port()),
        dns: app.dns_address().expect("a DNS listener"),
        db: app.db().clone(),
    };
    tokio::spawn(app.run_until_stopped());
    panel
}

async fn signed_in(panel: &Panel, username: &str) -> TestUser {
    let user = visitor_at(&panel.address);
    let reply = user.login(username, PASSWORD).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{username} signs in");
    user
}

async fn count(db: &Db, table: SeededTable) -> i64 {
    count_rows(&db.pool, table)
        .await
        .expect("the table answers")
}

/// Every assignment with its server and customer, and every entry: what "the same data" means.
async fn fingerprint(db: &Db) -> Vec<String> {
    let mut rows: Vec<String> = sqlx::query_scalar(
        "SELECT c.number || ' ' || c.name || ' ' || s.name || ' ' || a.network FROM assignments a \
         JOIN servers s ON s.id = a.server_id JOIN customers c ON c.id = s.customer_id ORDER BY a.id",
    )
    .fetch_all(&db.pool)
    .await
    .expect("the assignments answer");
    let entries: Vec<String> = sqlx::query_scalar(
        "SELECT address_text || ' ' || COALESCE(hostname, '-') || ' ' || version FROM entries ORDER BY address",
    )
    .fetch_all(&db.pool)
    .await
    .expect("the entries answer");
    let changes: Vec<String> = sqlx::query_scalar(
        "SELECT address_text || ' ' || state || ' ' || COALESCE(requested_hostname, '-') FROM changes ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
    .expect("the changes answer");
    rows.extend(entries);
    rows.extend(changes);
    rows
}

#[tokio::test]
async fn a_seeded_database_has_the_sizes_of_its_scale_and_the_bench_accounts_work() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = fresh_database(dir.path()).await;

    let output = seed(&url, &["--scale", SCALE, "--password", PASSWORD]).await;

    assert_success(&output);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("seeded in"), "{stdout}");
    let panel = serve(&url).await;
    // 10 customers (2 bench), 55 + 8 servers, 5,050 + 40 assignments; 3/5 of the IPv4 addresses
    // and 5 in every 2 /64 have an entry.
    assert_eq!(count(&panel.db, SeededTable::Customers).await, 10);
    assert_eq!(count(&panel.db, SeededTable::Servers).await, 63);
    assert_eq!(count(&panel.db, SeededTable::Assignments).await, 5_090);
    assert_eq!(count(&panel.db, SeededTable::Entries).await, 3_030 + 100);
    let changes = count(&panel.db, SeededTable::Changes).await;
    assert!(
        changes > 3_130,
        "open changes beside the published ones: {changes}"
    );
    assert!(count(&panel.db, SeededTable::Audit).await >= 5_090 + changes);
    assert!(count(&panel.db, SeededTable::Zones).await >= 20);

    let large = signed_in(&panel, "bench-5000").await;
    let page = large.get("/ips").await;
    assert_eq!(page.status, StatusCode::OK);
    let rows = page.page().rows();
    assert_eq!(rows.len(), 25, "the first page of 5,000 IPs");
    let named = rows
        .iter()
        .filter_map(|row| row.value("hostname"))
        .filter(|hostname| hostname.ends_with(".bench-large.net"))
        .count();
    assert!(
        named >= 10,
        "3 in 5 rows show a PTR in the customer's domain: {named}"
    );
    // The panel writes on top of the seeded rows (fresh ids on PostgreSQL too).
    let saved = large.save("100.64.0.7", "shop.bench-large.net").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let stored =
        ptrdesk::db::entries::current(&panel.db.pool, "100.64.0.7".parse().expect("an address"))
            .await
            .expect("the entries answer")
            .and_then(|entry| entry.hostname);
    assert_eq!(stored.as_deref(), Some("shop.bench-large.net"));
    let small = signed_in(&panel, "bench-50").await;
    let first = small.get("/ips").await.page().row_ips();
    let second = small.get("/ips?page=2").await.page().row_ips();
    assert_eq!((first.len(), second.len()), (25, 25), "50 IPs on two pages");
    assert!(
        first.iter().all(|ip| !second.contains(ip)),
        "{first:?} {second:?}"
    );

    let helpdesk = signed_in(&panel, "bench-helpdesk").await;
    let found = collapse(&helpdesk.get("/lookup?q=100.64.0.1").await.page().text());
    assert!(found.contains("B5000 Bench Large Hosting GmbH"), "{found}");
    let admin = signed_in(&panel, "bench-admin").await;
    let queue = admin.get("/admin/review").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(
        collapse(&queue.page().text()).contains("dsl-"),
        "the review queue shows seeded rejected requests"
    );

    let dns = Asker::udp(panel.dns);
    let (_, targets) = dns.ptr("100.64.0.1").await;
    assert_eq!(targets, vec!["www.bench-large.net".to_owned()]);
}

#[tokio::test]
async fn a_database_with_data_is_refused_unless_wiped_and_the_same_scale_gives_the_same_data() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = fresh_database(dir.path()).await;
    assert_success(&seed(&url, &["--scale", SCALE, "--password", PASSWORD]).await);
    let db = Db::connect(&url).await.expect("the database");
    let first = fingerprint(&db).await;

    let refused = seed(&url, &["--scale", "0.0004"]).await;

    assert!(!refused.status.success(), "a second seed is refused");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("the database is not empty"), "{stderr}");
    assert!(stderr.contains("--wipe"), "{stderr}");
    assert_eq!(fingerprint(&db).await, first, "nothing was written");

    let wiped = seed(&url, &["--scale", SCALE, "--password", PASSWORD, "--wipe"]).await;

    assert_success(&wiped);
    assert_eq!(
        fingerprint(&db).await,
        first,
        "the same scale, the same data"
    );
    let panel = serve(&url).await;
    let large = signed_in(&panel, "bench-5000").await;
    assert_eq!(large.get("/ips").await.page().rows().len(), 25);
}

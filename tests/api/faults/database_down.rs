//! The database stops answering writes under a running panel: PostgreSQL stopped hard (a
//! private cluster of the test's own), and on SQLite another connection holding the write
//! lock longer than the busy timeout (a backup tool, an admin shell left in a transaction).
//! A save then answers an error page within a bound, writes nothing, and the same save
//! succeeds once the database is back — without restarting ptrdesk.

use super::request_id_on;
use crate::helpers::postgres_cluster::PostgresCluster;
use crate::helpers::{ALICE, ALICE_SINGLE, TestApp, TestUser, spawn_app_with};
use ptrdesk::db::ACQUIRE_TIMEOUT;
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::{Connection, Row};
use std::time::{Duration, Instant};

const FIRST: &str = "mail.alice-hosting.net";
const SECOND: &str = "web.alice-hosting.net";
/// SQLite's busy timeout as `Db::connect` sets it.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Room for a loaded machine on top of a deadline.
const MARGIN: Duration = Duration::from_secs(3);

/// What `/healthz` says about the database: its status and reason, and the HTTP status.
async fn database_health(app: &TestApp) -> (StatusCode, Value) {
    let reply = app.visitor().get("/healthz").await;
    let health: Value = serde_json::from_str(&reply.body)
        .unwrap_or_else(|err| panic!("/healthz answers JSON ({err}): {}", reply.body));
    (reply.status, health["parts"]["database"].clone())
}

/// Alice saved `FIRST`, and has the form for the next save open (its version and token).
async fn alice_after_a_first_save(app: &TestApp) -> (TestUser, String) {
    let alice = app.signed_in(ALICE).await;
    assert_eq!(
        alice.save(ALICE_SINGLE, FIRST).await.status,
        StatusCode::SEE_OTHER
    );
    let version = alice.version_of(ALICE_SINGLE).await;
    (alice, version)
}

/// The error page of a save that could not be written: 500, "Nothing was changed", an id.
fn assert_nothing_was_changed_page(status: StatusCode, body: &str) {
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    let text = crate::helpers::collapse(body);
    assert!(text.contains("Nothing was changed"), "{text}");
    let id = request_id_on(body);
    assert!(!id.is_empty() && id != "none", "request id {id:?}");
}

/// How many change rows alice's single IP has.
async fn change_rows(app: &TestApp) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM changes WHERE address_text = $1")
        .bind(ALICE_SINGLE)
        .fetch_one(&app.db.pool)
        .await
        .expect("the changes table answers")
        .get("n")
}

/// `FIRST` in force with its one change and audit row, and no trace of `SECOND`.
async fn assert_only_the_first_save_is_there(app: &TestApp) {
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await.as_deref(), Some(FIRST));
    assert_eq!(change_rows(app).await, 1);
    let history: Vec<(String, Option<String>)> = app
        .audit(ALICE_SINGLE)
        .await
        .into_iter()
        .map(|row| (row.action, row.new_value))
        .collect();
    assert_eq!(history, [("ptr.set".to_owned(), Some(FIRST.to_owned()))]);
}

/// The second save is in force, with exactly one change and one audit row per applied change.
async fn assert_both_saves_are_there_once(app: &TestApp) {
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await.as_deref(), Some(SECOND));
    assert_eq!(change_rows(app).await, 2);
    let history: Vec<(String, Option<String>)> = app
        .audit(ALICE_SINGLE)
        .await
        .into_iter()
        .map(|row| (row.action, row.new_value))
        .collect();
    assert_eq!(
        history,
        [
            ("ptr.set".to_owned(), Some(FIRST.to_owned())),
            ("ptr.set".to_owned(), Some(SECOND.to_owned())),
        ]
    );
}

#[tokio::test]
async fn a_save_while_postgresql_is_down_answers_an_error_page_and_succeeds_once_it_is_back() {
    let cluster = PostgresCluster::start();
    cluster.create_database("ptrdesk").await;
    let url = cluster.url("ptrdesk");
    let app = spawn_app_with(|settings| settings.database = url).await;
    let (alice, version) = alice_after_a_first_save(&app).await;

    cluster.stop_server();
    let started = Instant::now();
    let reply = alice.save_at(ALICE_SINGLE, SECOND, &version).await;
    let took = started.elapsed();
    let (health_status, database) = database_health(&app).await;

    assert_nothing_was_changed_page(reply.status, &reply.body);
    assert!(
        took < ACQUIRE_TIMEOUT + MARGIN,
        "the save hung for {took:?} instead of failing after the acquire timeout"
    );
    eprintln!(
        "save with PostgreSQL down answered {} after {took:?}",
        reply.status
    );
    assert_eq!(health_status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(database["status"], "failing", "{database}");
    eprintln!("/healthz with PostgreSQL down: {database}");

    cluster.start_server();
    assert_only_the_first_save_is_there(&app).await;
    let reply = alice.save_at(ALICE_SINGLE, SECOND, &version).await;

    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_both_saves_are_there_once(&app).await;
    let (health_status, database) = database_health(&app).await;
    assert_eq!(health_status, StatusCode::OK);
    assert_eq!(database["status"], "ok", "{database}");
}

#[tokio::test]
async fn a_save_while_the_sqlite_write_lock_is_held_elsewhere_fails_cleanly_then_succeeds() {
    // SQLite whatever the suite's engine: the lock is SQLite's.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}/locked.sqlite", dir.path().display());
    let database = url.clone();
    let app = spawn_app_with(|settings| settings.database = database).await;
    let (alice, version) = alice_after_a_first_save(&app).await;
    // Another connection takes the write lock and keeps it, as a backup tool or an admin
    // shell left in a transaction would; in WAL mode readers go on, writers wait for it.
    let mut admin = sqlx::AnyConnection::connect(&url)
        .await
        .expect("a second connection to the file");
    let held = admin
        .begin_with("BEGIN EXCLUSIVE")
        .await
        .expect("the write lock is taken");

    let started = Instant::now();
    let reply = alice.save_at(ALICE_SINGLE, SECOND, &version).await;
    let took = started.elapsed();

    assert_nothing_was_changed_page(reply.status, &reply.body);
    assert!(
        took < SQLITE_BUSY_TIMEOUT + MARGIN,
        "the save hung for {took:?} instead of failing after the busy timeout"
    );
    eprintln!(
        "save with the SQLite write lock held elsewhere answered {} after {took:?}",
        reply.status
    );
    assert_only_the_first_save_is_there(&app).await;

    held.rollback().await.expect("the lock is released");
    let reply = alice.save_at(ALICE_SINGLE, SECOND, &version).await;

    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_both_saves_are_there_once(&app).await;
}

//! SIGKILL in the middle of a bulk change (`POST /api/v1/bulk`), on the real binary: after a
//! restart, every change of the batch is either fully applied — the entry with the new name,
//! its change row published, its audit row — or absent, with no trace; an atomic batch is
//! all or nothing. The kill is made to land while the batch is being written: for a
//! non-atomic batch once some items are committed, for an atomic one while its transaction
//! holds the write lock (SQLite) or its assignment's lock (PostgreSQL).

use crate::helpers::TestApp;
use crate::helpers::api::ApiLogin;
use crate::helpers::serve_process::{ServeProcess, unserved_app};
use ptrdesk::db::{Db, Engine};
use reqwest::Method;
use serde_json::{Value, json};
use sqlx::{Connection, Row};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// The batch's addresses: alice's own, imported for the test.
const NETWORK: &str = "198.18.0.0/18";
/// Changes in one batch: enough that writing them takes seconds, so the kill lands inside.
const CHANGES: usize = 3000;
/// Changes of the batch sent again after the restart.
const AGAIN: usize = 100;
/// How long the batch may take to show that it is being written.
const PATIENCE: Duration = Duration::from_secs(60);

/// The batch: address → the name asked for it.
fn batch() -> BTreeMap<String, String> {
    (0..CHANGES)
        .map(|index| {
            let ip = format!("198.18.{}.{}", index / 256, index % 256);
            (ip, format!("node-{index}.alice-hosting.net"))
        })
        .collect()
}

/// The request body of the batch.
fn body(batch: &BTreeMap<String, String>, atomic: bool) -> String {
    let changes: Vec<Value> = batch
        .iter()
        .map(|(ip, ptr)| json!({ "ip": ip, "ptr": ptr }))
        .collect();
    json!({ "changes": changes, "dry_run": false, "atomic": atomic }).to_string()
}

/// Alice's database with the batch's network, an API credential, and `ptrdesk serve` on it.
async fn served_with_a_network() -> (TestApp, ApiLogin, ServeProcess) {
    let mut app = unserved_app().await;
    app.import(&format!(
        "customer_number,customer_name,server,network\nK1,Alice Hosting GmbH,alice-bulk,{NETWORK}\n"
    ))
    .await;
    let login = app.api_login("K1").await;
    let process = ServeProcess::start(&app, &[]).await;
    app.address = process.address.clone();
    (app, login, process)
}

/// Sends the batch; `None` when the connection broke before an answer.
async fn send(app: &TestApp, login: &ApiLogin, body: String) -> Option<(u16, String)> {
    let sent = app
        .api(Some(login))
        .request(Method::POST, "/api/v1/bulk")
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .ok()?;
    let status = sent.status().as_u16();
    Some((status, sent.text().await.ok()?))
}

/// Changes rows of the batch's assignment, committed.
async fn committed_changes(db: &Db, assignment_id: i64) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM changes WHERE assignment_id = $1")
        .bind(assignment_id)
        .fetch_one(&db.pool)
        .await
        .expect("the changes table answers")
        .get("n")
}

/// Whether a transaction is writing the batch right now: on SQLite, someone holds the write
/// lock (a `BEGIN IMMEDIATE` that may not wait fails); on PostgreSQL, the batch's assignment
/// is locked (a batch being recorded holds it exclusively until it commits).
async fn batch_is_being_written(
    app: &TestApp,
    probe: &mut sqlx::AnyConnection,
    assignment_id: i64,
) -> bool {
    match app.db.engine {
        Engine::Sqlite => match sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut *probe).await {
            Ok(_) => {
                sqlx::raw_sql("ROLLBACK")
                    .execute(&mut *probe)
                    .await
                    .expect("the probe lets go");
                false
            }
            Err(_) => true,
        },
        Engine::Postgres => {
            sqlx::raw_sql("BEGIN")
                .execute(&mut *probe)
                .await
                .expect("the probe begins");
            let locked = sqlx::query("SELECT id FROM assignments WHERE id = $1 FOR UPDATE NOWAIT")
                .bind(assignment_id)
                .execute(&mut *probe)
                .await
                .is_err();
            sqlx::raw_sql("ROLLBACK")
                .execute(&mut *probe)
                .await
                .expect("the probe lets go");
            locked
        }
    }
}

/// A connection of the test's own for [`batch_is_being_written`].
async fn probe(app: &TestApp) -> sqlx::AnyConnection {
    let mut probe = sqlx::AnyConnection::connect(&app.database_url)
        .await
        .expect("a probe connection");
    if app.db.engine == Engine::Sqlite {
        sqlx::raw_sql("PRAGMA busy_timeout = 0")
            .execute(&mut probe)
            .await
            .expect("the probe never waits");
    }
    probe
}

/// Addresses of the batch's assignment left half-written: a change not published with its
/// entry and exactly one audit row, an entry without its published change, an API audit row
/// without its applied change.
const HALF_WRITTEN: &str = "\
SELECT c.address_text AS address FROM changes c
 WHERE c.assignment_id = $1
   AND NOT (c.state = 'published'
        AND EXISTS (SELECT 1 FROM entries e
                     WHERE e.change_id = c.id AND e.address = c.address
                       AND e.hostname = c.requested_hostname)
        AND (SELECT COUNT(*) FROM audit a
              WHERE a.change_id = c.id AND a.action = 'ptr.set'
                AND a.new_value = c.requested_hostname) = 1)
UNION ALL
SELECT e.address_text AS address FROM entries e
 WHERE e.assignment_id = $1
   AND NOT EXISTS (SELECT 1 FROM changes c
                    WHERE c.id = e.change_id AND c.state = 'published'
                      AND c.requested_hostname = e.hostname)
UNION ALL
SELECT a.address_text AS address FROM audit a
 WHERE a.door = 'api'
   AND NOT EXISTS (SELECT 1 FROM changes c JOIN entries e ON e.change_id = c.id
                    WHERE c.id = a.change_id AND c.assignment_id = $1)";

/// How many changes of the batch are fully applied; panics on any half-written address or
/// any name other than the one the batch asked for.
async fn applied_whole_or_absent(
    db: &Db,
    assignment_id: i64,
    batch: &BTreeMap<String, String>,
) -> usize {
    let half_written: Vec<String> = sqlx::query(HALF_WRITTEN)
        .bind(assignment_id)
        .fetch_all(&db.pool)
        .await
        .expect("the invariant query runs")
        .iter()
        .map(|row| row.get("address"))
        .collect();
    assert!(
        half_written.is_empty(),
        "{} addresses half-written, e.g. {:?}",
        half_written.len(),
        &half_written[..half_written.len().min(5)]
    );
    let entries = sqlx::query(
        "SELECT address_text AS address, hostname FROM entries WHERE assignment_id = $1",
    )
    .bind(assignment_id)
    .fetch_all(&db.pool)
    .await
    .expect("the entries table answers");
    for entry in &entries {
        let address: String = entry.get("address");
        let hostname: Option<String> = entry.get("hostname");
        assert_eq!(
            hostname.as_ref(),
            batch.get(&address),
            "the entry of {address} holds another name than the batch asked for"
        );
    }
    entries.len()
}

/// On SQLite: the file passes `PRAGMA integrity_check` after the kill.
async fn assert_intact(app: &TestApp) {
    if app.db.engine == Engine::Sqlite {
        let verdict: String = sqlx::query("PRAGMA integrity_check")
            .fetch_one(&app.db.pool)
            .await
            .expect("the integrity check runs")
            .get(0);
        assert_eq!(verdict, "ok");
    }
}

#[tokio::test]
async fn a_bulk_change_killed_midway_leaves_each_change_applied_whole_or_absent() {
    let (app, login, process) = served_with_a_network().await;
    let assignment_id = app.assignment_id("K1", "198.18.0.1").await;
    let batch = batch();

    let started = Instant::now();
    let killed_at = async {
        loop {
            let committed = committed_changes(&app.db, assignment_id).await;
            if committed >= 100 {
                process.signal("KILL");
                return committed;
            }
            assert!(started.elapsed() < PATIENCE, "the batch never got written");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    let (answer, committed_before_kill) =
        tokio::join!(send(&app, &login, body(&batch, false)), killed_at);
    process.exited_within(Duration::from_secs(10)).await;

    assert!(
        answer.is_none(),
        "the batch finished before the kill ({committed_before_kill} committed); make it bigger"
    );
    let restarted = ServeProcess::start(&app, &[]).await;
    let applied = applied_whole_or_absent(&app.db, assignment_id, &batch).await;
    eprintln!(
        "non-atomic bulk of {CHANGES}: killed after {:?} with {committed_before_kill} committed; \
         after the restart {applied} applied whole, {} absent",
        started.elapsed(),
        CHANGES - applied
    );
    assert!(
        applied > 0 && applied < CHANGES,
        "the kill did not land midway: {applied} of {CHANGES} applied"
    );
    assert_intact(&app).await;
    drop(restarted);
}

#[tokio::test]
async fn an_atomic_bulk_change_killed_midway_is_all_or_nothing_and_can_be_sent_again() {
    let (mut app, login, process) = served_with_a_network().await;
    let assignment_id = app.assignment_id("K1", "198.18.0.1").await;
    let batch = batch();
    let mut probe = probe(&app).await;

    let started = Instant::now();
    let killed = async {
        // Seen three times in a row: the batch's own transaction, not a short write beside it.
        let mut seen = 0;
        while seen < 3 {
            if batch_is_being_written(&app, &mut probe, assignment_id).await {
                seen += 1;
            } else {
                seen = 0;
            }
            assert!(started.elapsed() < PATIENCE, "the batch never got written");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        process.signal("KILL");
    };
    let (answer, ()) = tokio::join!(send(&app, &login, body(&batch, true)), killed);
    process.exited_within(Duration::from_secs(10)).await;
    drop(probe);

    // The probe saw the batch's transaction hold its lock three times in a row, and no answer
    // came: the kill landed inside the open transaction. Its rows are written a thousand per
    // statement, so it may land before, between or after those statements (the batch logs
    // "changes recorded" once they are written, before the commit); all-or-nothing must hold
    // either way.
    let recorded = process.log().matches("changes recorded").count();
    assert!(
        answer.is_none(),
        "the batch finished before the kill; make it bigger"
    );
    let restarted = ServeProcess::start(&app, &[]).await;
    app.address = restarted.address.clone();
    let applied = applied_whole_or_absent(&app.db, assignment_id, &batch).await;
    eprintln!(
        "atomic bulk of {CHANGES}: killed after {:?} with the batch's rows written \
         ({recorded} line \"changes recorded\") in the open transaction; after the restart {applied} applied",
        started.elapsed()
    );
    assert!(
        applied == 0 || applied == CHANGES,
        "an atomic batch was applied in part: {applied} of {CHANGES}"
    );
    assert_intact(&app).await;

    let again: BTreeMap<String, String> = batch
        .iter()
        .take(AGAIN)
        .map(|(ip, ptr)| (ip.clone(), ptr.clone()))
        .collect();
    let (status, answer) = send(&app, &login, body(&again, true))
        .await
        .expect("the restarted process answers a batch");

    assert_eq!(status, 200, "{answer}");
    let expected = if applied == 0 { AGAIN } else { CHANGES };
    assert_eq!(
        applied_whole_or_absent(&app.db, assignment_id, &batch).await,
        expected
    );
}

//! Events out (issue 15): webhook endpoints registered by an admin get every event as signed
//! JSON, through the outbox, from a real receiver's point of view (tests/webhook_receiver.py,
//! Python's standard library); a receiver that is down gets its deliveries once it is back.

use crate::helpers::api_client::set_ptr;
use crate::helpers::{ADMIN, TestApp, spawn_app_with};
use reqwest::StatusCode;
use serde_json::Value;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const SECRET: &str = "s3cret-for-the-test";

/// The receiver script, running until dropped.
struct Receiver {
    child: std::process::Child,
    out: PathBuf,
}

impl Receiver {
    fn start(out: PathBuf, port: u16) -> Receiver {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/webhook_receiver.py");
        let child = std::process::Command::new("python3")
            .args([script, SECRET])
            .arg(&out)
            .arg(port.to_string())
            .spawn()
            .expect("python3 runs the receiver");
        // Listening once a connection is taken.
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the receiver listens"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Receiver { child, out }
    }

    /// The events received so far.
    fn events(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).expect("JSON"))
            .collect()
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Waits (at most 15 s) until `receiver` has an event `wanted` finds; the time it took.
async fn arrival(receiver: &Receiver, wanted: impl Fn(&Value) -> bool) -> (Value, Duration) {
    let started = Instant::now();
    loop {
        if let Some(event) = receiver.events().into_iter().find(&wanted) {
            return (event, started.elapsed());
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the event arrives: {:?}",
            receiver.events()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn app_with_endpoint(port: u16) -> TestApp {
    let app = spawn_app_with(|settings| {
        settings.outbox_poll_ms = 50;
        settings.outbox_retry_seconds = 1;
    })
    .await;
    let admin = app.signed_in(ADMIN).await;
    admin.get("/admin/webhooks").await;
    let mut fields = vec![
        (
            "url".to_owned(),
            format!("http://127.0.0.1:{port}/hooks/ptrdesk"),
        ),
        ("secret".to_owned(), SECRET.to_owned()),
    ];
    for event in ptrdesk::domain::WebhookEvent::ALL {
        fields.push((event.as_str().to_owned(), "on".to_owned()));
    }
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let registered = admin.post_form("/admin/webhooks", &fields).await;
    assert_eq!(registered.status, StatusCode::OK, "{}", registered.body);
    assert!(registered.body.contains(SECRET), "the secret is shown once");
    app
}

#[tokio::test]
async fn a_saved_ptr_reaches_the_receiver_signed_with_its_findings() {
    let port = crate::helpers::knot::free_port();
    let dir = tempfile::tempdir().expect("a directory");
    let receiver = Receiver::start(dir.path().join("events.jsonl"), port);
    let app = app_with_endpoint(port).await;
    let alice = app.api(Some(&app.api_login("K1").await));

    let saved = Instant::now();
    let reply = set_ptr(&alice, "203.0.113.45", "mail.example.com", None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let answered = saved.elapsed();
    let (event, waited) = arrival(&receiver, |e| e["event"] == "ptr.published").await;

    assert_eq!(event["ip"], "203.0.113.45");
    assert_eq!(event["hostname"], "mail.example.com");
    assert_eq!(event["state"], "published");
    assert_eq!(event["customer"], "K1");
    assert!(event["findings"].is_array(), "{event}");
    assert!(
        event["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("evt-"))
    );
    assert!(
        event["at"].as_str().is_some_and(|at| at.ends_with('Z')),
        "{event}"
    );
    eprintln!(
        "webhook delivery: save answered in {answered:?}, event at the receiver {waited:?} after the save"
    );

    let admin = app.signed_in(ADMIN).await;
    let log = admin.get("/admin/webhooks").await;
    assert!(log.body.contains("ptr.published"));
    assert!(log.body.contains("Delivered"), "the log shows the delivery");
}

#[tokio::test]
async fn deliveries_to_a_receiver_that_is_down_arrive_once_it_is_back_and_a_save_does_not_wait() {
    let port = crate::helpers::knot::free_port();
    let dir = tempfile::tempdir().expect("a directory");
    let out = dir.path().join("events.jsonl");
    let mut receiver = Receiver::start(out.clone(), port);
    let app = app_with_endpoint(port).await;
    receiver.stop();
    // A receiver that takes the connection and never answers: a delivery waits for it until
    // its deadline (10 s); the save must not.
    let silent = std::net::TcpListener::bind(("127.0.0.1", port)).expect("the port again");
    let staff = app.api(Some(&app.staff_login("inventory").await));

    let body = serde_json::json!({"name": "Acme GmbH",
        "servers": [{"name": "web-1", "assignments": ["192.0.2.64/29"]}]});
    let started = Instant::now();
    let reply = crate::helpers::api_client::v1(
        &staff,
        reqwest::Method::PUT,
        "/inventory/customers/K77",
        Some(&body),
        &[],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the save did not wait for the receiver"
    );
    // The delivery fails while the receiver is down, and is logged as failing.
    let failing = Instant::now();
    loop {
        let attempts: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(attempts), 0) FROM outbox")
            .fetch_one(&app.db.pool)
            .await
            .expect("the outbox");
        if attempts >= 1 {
            break;
        }
        assert!(
            failing.elapsed() < Duration::from_secs(30),
            "a first attempt is made, and ends at its deadline"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let log = app.signed_in(ADMIN).await.get("/admin/webhooks").await;
    assert!(log.body.contains("Failing"), "the log shows the failure");
    drop(silent);

    let receiver = Receiver::start(out, port);
    let (event, _) = arrival(&receiver, |e| e["event"] == "assignment.created").await;

    assert_eq!(event["network"], "192.0.2.64/29");
    assert_eq!(event["server"], "web-1");
    assert_eq!(event["customer"], "K77");
}

#[tokio::test]
async fn every_action_that_is_an_event_writes_its_outbox_row_in_the_database() {
    let app = spawn_app_with(|_| {}).await;
    let by = ptrdesk::admin::Acting {
        actor: ptrdesk::import::cli_actor(),
        door: ptrdesk::domain::Door::System,
    };
    ptrdesk::admin::webhooks::add(
        &app.db,
        &by,
        "http://127.0.0.1:9/never",
        &ptrdesk::domain::WebhookEvent::ALL,
        "",
    )
    .await
    .expect("the database")
    .expect("a good endpoint");
    let actor = ptrdesk::db::audit::Actor {
        user_id: None,
        name: "test".to_owned(),
        source: "local".to_owned(),
    };
    for action in ptrdesk::domain::AuditAction::ALL {
        let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
            .fetch_one(&app.db.pool)
            .await
            .expect("the outbox");
        ptrdesk::db::audit::insert(
            &app.db.pool,
            &ptrdesk::db::audit::NewAuditRow {
                actor: &actor,
                door: ptrdesk::domain::Door::System,
                action: *action,
                customer_id: None,
                ip: None,
                old_value: None,
                new_value: None,
                change_id: None,
                at: ptrdesk::clock::now(),
            },
        )
        .await
        .expect("the audit row");
        let events: Vec<String> = sqlx::query_scalar("SELECT event FROM outbox ORDER BY id")
            .fetch_all(&app.db.pool)
            .await
            .expect("the outbox");
        let written: Vec<&str> = events[usize::try_from(before).expect("a count")..]
            .iter()
            .map(String::as_str)
            .collect();
        let expected: Vec<&str> = EVENTS
            .iter()
            .filter(|(stored, _)| *stored == action.as_str())
            .map(|(_, event)| *event)
            .collect();
        assert_eq!(written, expected, "{action}");
        assert_eq!(
            ptrdesk::domain::WebhookEvent::of(*action).map(|event| event.as_str()),
            expected.first().copied(),
            "the domain's mapping agrees for {action}"
        );
    }
}

/// The events and the audited actions that are each of them.
const EVENTS: [(&str, &str); 10] = [
    ("ptr.set", "ptr.published"),
    ("ptr.reset", "ptr.published"),
    ("ptr.request.pending", "ptr.pending"),
    ("ptr.request.rejected", "ptr.rejected"),
    ("change.review-requested", "ptr.review_requested"),
    ("change.approved", "ptr.review_decided"),
    ("change.denied", "ptr.review_decided"),
    ("assignment.add", "assignment.created"),
    ("assignment.move", "assignment.moved"),
    ("assignment.remove", "assignment.removed"),
];

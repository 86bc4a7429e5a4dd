//! Long drift as a review item (issue 22, policy `drift_review_days`, 30 by default): a
//! published PTR failing its checks for longer than that is an item of the admin review queue,
//! which an admin works like the others — keeps it as it is, asks the customer to fix it (mailed
//! and listed for the customer; back on the queue if it still drifts a period later) or resets
//! it to the provider default through the one write path — each audited; the item leaves the
//! queue by itself when the drift ends. The forward records live in a real DNS server the test
//! starts; time is moved by back-dating the stored drift (as the re-verification itself would
//! have dated it a month ago).

use crate::helpers::dns_app::wait_until;
use crate::helpers::dns_server::{DnsServer, Zone};
use crate::helpers::smtp::SmtpServer;
use crate::helpers::*;
use ptrdesk::db::audit::AuditEntry;
use reqwest::StatusCode;
use std::time::Duration;

const NAME: &str = "mail.alice-hosting.net";
const ELSEWHERE: &str = "192.0.2.99";
const ALICE_MAIL: &str = "alice@alice-hosting.net";
const DAY: i64 = 86_400;

/// Alice's domain, with `NAME` pointing away from her address: a saved PTR is pending until
/// it points at it.
async fn alice_dns() -> DnsServer {
    DnsServer::serving([
        Zone::new("net"),
        Zone::new("alice-hosting.net").a(NAME, ALICE_SINGLE),
    ])
    .await
}

/// A panel asking `dns`, mailing through `smtp`, re-verifying every `period_seconds` (0: only
/// when the test says so).
async fn app_with(dns: &DnsServer, smtp: &SmtpServer, period_seconds: u64) -> TestApp {
    let (server, smtp_url) = (dns.address.to_string(), smtp.url());
    spawn_app_with(|settings| {
        settings.smtp_url = Some(smtp_url.into());
        settings.mail_from = Some("rdns@provider.example.net".to_owned());
        settings.outbox_poll_ms = 100;
        settings.dns_checks = true;
        settings.dns_servers = vec![server];
        settings.check_mode = ptrdesk::domain::CheckMode::Resolver;
        settings.reverify_period_seconds = period_seconds;
        settings.reverify_questions_per_second = 1000;
    })
    .await
}

/// Alice's PTR `NAME` published, then its forward record moved away and the entry re-verified
/// `days_ago` days ago (through the real engine and DNS server): a drift that old.
async fn drifting_since(app: &TestApp, dns: &DnsServer, days_ago: i64) {
    let alice = app.signed_in(ALICE).await;
    assert_eq!(
        alice.save(ALICE_SINGLE, NAME).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await.as_deref(), Some(NAME));
    dns.set_a(NAME, ELSEWHERE).await;
    let ip = ALICE_SINGLE.parse().expect("an address");
    let entry = ptrdesk::db::drift_review::published_of(&app.db.pool, ip)
        .await
        .expect("the database answers")
        .expect("alice's published entry");
    let outcome = ptrdesk::changes::reverify(
        &app.db,
        &app.engine(),
        &entry,
        ptrdesk::clock::now() - days_ago * DAY,
    )
    .await
    .expect("the database answers");
    assert_eq!(outcome, ptrdesk::changes::Reverified::DriftStarted);
}

/// Moves the stored drift (and any decision on it) `days` further into the past.
async fn age_drift(app: &TestApp, days: i64) {
    sqlx::query(
        "UPDATE entry_drift SET since = since - $1, \
         reviewed_at = CASE WHEN reviewed_at IS NULL THEN NULL ELSE reviewed_at - $1 END",
    )
    .bind(days * DAY)
    .execute(&app.db.pool)
    .await
    .expect("the drift is made older");
}

/// Whether the admin's queue lists the long drift of Alice's address.
async fn queued(admin: &TestUser) -> bool {
    let page = admin.get("/admin/review").await;
    assert_eq!(page.status, StatusCode::OK);
    page.body
        .contains(&format!("data-drift=\"{ALICE_SINGLE}\""))
}

fn actions(rows: &[AuditEntry]) -> Vec<&str> {
    rows.iter()
        .map(|row| row.action.as_str())
        .filter(|action| action.starts_with("drift.") || action.starts_with("ptr."))
        .collect()
}

#[tokio::test]
async fn a_ptr_drifting_longer_than_the_policy_is_a_review_item_until_its_drift_ends() {
    let dns = alice_dns().await;
    let smtp = SmtpServer::start().await;
    let app = app_with(&dns, &smtp, 1).await;
    let admin = app.signed_in(ADMIN).await;
    let alice = app.signed_in(ALICE).await;
    assert_eq!(
        alice.save(ALICE_SINGLE, NAME).await.status,
        StatusCode::SEE_OTHER
    );

    // The customer moves the forward record; the background job finds the drift.
    dns.set_a(NAME, ELSEWHERE).await;
    let ip = ALICE_SINGLE.parse().expect("an address");
    wait_until(
        Duration::from_secs(20),
        "the job finds the drift",
        || async {
            ptrdesk::db::drift::current(&app.db.pool, ip)
                .await
                .expect("the database answers")
                .is_some()
        },
    )
    .await;
    assert!(!queued(&admin).await, "a fresh drift is not a review item");

    // A month later it still fails: it is an item of the queue. (Dated, not shifted: the job
    // keeps re-checking meanwhile and may write the row between two looks.)
    wait_until(
        Duration::from_secs(10),
        "the month-old drift is queued",
        || async {
            sqlx::query("UPDATE entry_drift SET since = $1")
                .bind(ptrdesk::clock::now() - 31 * DAY - 3600)
                .execute(&app.db.pool)
                .await
                .expect("the drift is dated a month back");
            queued(&admin).await
        },
    )
    .await;
    let queue = admin.get("/admin/review").await.page().text();
    assert!(
        queue.contains("1 long drift waiting"),
        "counted apart from the changes: {queue}"
    );
    assert!(queue.contains("31 d"), "how long it drifts: {queue}");
    assert!(queue.contains("forward-confirmed"), "{queue}");
    let item = admin
        .get(&format!("/admin/review/drift/{ALICE_SINGLE}"))
        .await;
    assert_eq!(item.status, StatusCode::OK);
    let text = item.page().text();
    assert!(text.contains(ELSEWHERE), "what fails: {text}");
    assert!(text.contains("Keep it as it is"), "{text}");
    let overview = admin.get("/overview").await.page().text();
    assert!(overview.contains("1 long drift to review"), "{overview}");
    // The customer's filter narrows it away; help-desk and customers cannot open it.
    assert!(
        !admin
            .get("/admin/review?customer=K2")
            .await
            .body
            .contains(&format!("data-drift=\"{ALICE_SINGLE}\""))
    );
    let helpdesk = app.signed_in(HELPDESK).await;
    let path = format!("/admin/review/drift/{ALICE_SINGLE}");
    assert_eq!(helpdesk.get(&path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(alice.get(&path).await.status, StatusCode::NOT_FOUND);

    // The customer fixes DNS: the next check ends the drift, and the item leaves the queue.
    dns.set_a(NAME, ALICE_SINGLE).await;
    wait_until(
        Duration::from_secs(20),
        "the item leaves the queue",
        || async { !queued(&admin).await },
    )
    .await;
    assert_eq!(
        admin.get(&path).await.status,
        StatusCode::NOT_FOUND,
        "no drift, no item"
    );
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await.as_deref(), Some(NAME));
}

#[tokio::test]
async fn asking_the_customer_mails_them_and_the_item_returns_if_it_still_drifts_a_period_later() {
    let dns = alice_dns().await;
    let smtp = SmtpServer::start().await;
    let app = app_with(&dns, &smtp, 0).await;
    let alice_id = app.user_id(ALICE.username).await;
    ptrdesk::db::mail::set_email(&app.db.pool, alice_id, Some(ALICE_MAIL))
        .await
        .expect("alice gets an address");
    drifting_since(&app, &dns, 40).await;
    let admin = app.signed_in(ADMIN).await;
    assert!(queued(&admin).await);
    let path = format!("/admin/review/drift/{ALICE_SINGLE}");
    let version = app.entry(ALICE_SINGLE).await.expect("the entry").version;
    let version = version.to_string();

    // A note is required; nothing is decided without one.
    let refused = admin
        .post_form(
            &format!("{path}/ask"),
            &[("note", "  "), ("version", &version)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.page().text().contains("A note is required"));
    assert!(queued(&admin).await);

    let note = "Your forward record for mail.alice-hosting.net points elsewhere; please fix it.";
    let asked = admin
        .post_form(
            &format!("{path}/ask"),
            &[("note", note), ("version", &version)],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let queue = admin.get("/admin/review").await.page().text();
    assert!(queue.contains("Asked: the customer is told"), "{queue}");
    assert!(!queued(&admin).await, "asked: off the queue for now");
    let mail = smtp
        .wait_for(
            ALICE_MAIL,
            "Please fix the PTR of 203.0.113.45",
            Duration::from_secs(10),
        )
        .await;
    assert!(mail.text.contains(note), "the admin's note: {}", mail.text);
    assert!(mail.text.contains(ELSEWHERE), "what fails: {}", mail.text);
    let alice = app.signed_in(ALICE).await;
    let listed = alice.get("/account/notifications").await.page().text();
    assert!(listed.contains("An admin asks you to fix"), "{listed}");
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some(NAME),
        "it stays published"
    );

    // A period later it still drifts: back in the queue, saying the customer was asked.
    age_drift(&app, 31).await;
    assert!(queued(&admin).await);
    let queue = admin.get("/admin/review").await.page().text();
    assert!(queue.contains("customer asked"), "{queue}");

    // Kept: off the queue for this drift, however long it lasts.
    let kept = admin
        .post_form(
            &format!("{path}/keep"),
            &[
                ("note", "The customer relays mail elsewhere; fine."),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(kept.status, StatusCode::SEE_OTHER);
    age_drift(&app, 90).await;
    assert!(!queued(&admin).await);
    let history = app.audit(ALICE_SINGLE).await;
    assert_eq!(
        actions(&history),
        [
            "ptr.set",
            "ptr.drift.start",
            "drift.review.asked",
            "drift.review.kept"
        ],
    );
    let asked_row = history
        .iter()
        .find(|row| row.action == "drift.review.asked")
        .expect("audited");
    assert_eq!(asked_row.new_value.as_deref(), Some(note));
    assert_eq!(asked_row.door, "review");
}

#[tokio::test]
async fn resetting_a_long_drift_publishes_the_default_tells_the_customer_and_ends_the_item() {
    let dns = alice_dns().await;
    let smtp = SmtpServer::start().await;
    let app = app_with(&dns, &smtp, 0).await;
    let alice_id = app.user_id(ALICE.username).await;
    ptrdesk::db::mail::set_email(&app.db.pool, alice_id, Some(ALICE_MAIL))
        .await
        .expect("alice gets an address");
    drifting_since(&app, &dns, 45).await;
    let admin = app.signed_in(ADMIN).await;
    let path = format!("/admin/review/drift/{ALICE_SINGLE}");
    let version = app.entry(ALICE_SINGLE).await.expect("the entry").version;
    assert_eq!(admin.get(&path).await.status, StatusCode::OK);

    // A decision on a version no longer in force changes nothing.
    let stale = (version - 1).to_string();
    let refused = admin
        .post_form(
            &format!("{path}/reset"),
            &[("note", "stale"), ("version", &stale)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert!(
        admin
            .get("/admin/review")
            .await
            .page()
            .text()
            .contains("Nothing was changed")
    );
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await.as_deref(), Some(NAME));

    let note = "It has pointed elsewhere for six weeks; set a new PTR when DNS is right.";
    let version = version.to_string();
    let reset = admin
        .post_form(
            &format!("{path}/reset"),
            &[("note", note), ("version", &version)],
        )
        .await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER);

    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await,
        None,
        "the default again"
    );
    assert!(!queued(&admin).await);
    assert_eq!(admin.get(&path).await.status, StatusCode::NOT_FOUND);
    let ip = ALICE_SINGLE.parse().expect("an address");
    assert_eq!(
        ptrdesk::db::drift::current(&app.db.pool, ip)
            .await
            .expect("answers"),
        None
    );
    let mail = smtp
        .wait_for(
            ALICE_MAIL,
            "PTR of 203.0.113.45 reset to the provider default",
            Duration::from_secs(10),
        )
        .await;
    assert!(mail.text.contains(note), "{}", mail.text);
    let history = app.audit(ALICE_SINGLE).await;
    assert_eq!(
        actions(&history),
        [
            "ptr.set",
            "ptr.drift.start",
            "ptr.reset",
            "drift.review.reset"
        ]
    );
    let reset_row = history
        .iter()
        .find(|row| row.action == "ptr.reset")
        .expect("the reset is audited");
    assert_eq!(
        (reset_row.door.as_str(), reset_row.actor.as_str()),
        ("review", ADMIN.username)
    );
}

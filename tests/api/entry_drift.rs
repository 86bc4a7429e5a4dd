//! Continuous re-verification (issue 22): a published PTR whose forward record moves away gets
//! an entry drift — shown on the customer's row, in the IP dossier, on the staff drift list
//! and in `/metrics` — and stays published; fixed again, the drift ends. DNS changes go
//! through a real DNS server the test starts, asked by the panel's background job.

use crate::helpers::dns_app::wait_until;
use crate::helpers::dns_server::{DnsServer, Zone};
use crate::helpers::smtp::SmtpServer;
use crate::helpers::*;
use reqwest::StatusCode;
use std::time::Duration;

const NAME: &str = "mail.alice-hosting.net";
const ELSEWHERE: &str = "192.0.2.99";
const ALICE_MAIL: &str = "alice@alice-hosting.net";

/// Alice's domain, with `NAME` pointing at her single address.
async fn dns_confirming_alice() -> DnsServer {
    DnsServer::serving([
        Zone::new("net"),
        Zone::new("alice-hosting.net").a(NAME, ALICE_SINGLE),
    ])
    .await
}

/// A panel asking `dns`, re-verifying every published entry within `period_seconds`, mailing
/// through `smtp`.
async fn app_reverifying(dns: &DnsServer, period_seconds: u64, smtp: &SmtpServer) -> TestApp {
    let server = dns.address.to_string();
    let smtp_url = smtp.url();
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

async fn drifting_metric(app: &TestApp) -> Option<String> {
    let body = reqwest::get(format!("{}/metrics", app.address))
        .await
        .expect("/metrics answers")
        .text()
        .await
        .expect("a body");
    body.lines()
        .find(|line| line.starts_with("ptrdesk_entries_drifting"))
        .map(str::to_owned)
}

#[tokio::test]
async fn a_published_ptr_whose_forward_record_moves_drifts_stays_published_and_clears_once_fixed() {
    let dns = dns_confirming_alice().await;
    let smtp = SmtpServer::start().await;
    let app = app_reverifying(&dns, 1, &smtp).await;
    let alice = app.signed_in(ALICE).await;
    let customer = app.user_id(ALICE.username).await;
    ptrdesk::db::mail::set_email(&app.db.pool, customer, Some(ALICE_MAIL))
        .await
        .expect("alice gets an address");
    let helpdesk = app.signed_in(HELPDESK).await;
    assert_eq!(
        alice.save(ALICE_SINGLE, NAME).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await.as_deref(), Some(NAME));

    // The customer moves the forward record elsewhere.
    dns.set_a(NAME, ELSEWHERE).await;

    wait_until(
        Duration::from_secs(20),
        "the drift shows on alice's row",
        || async {
            let page = alice.get("/ips").await;
            page.page()
                .row(ALICE_SINGLE)
                .is_some_and(|row| row.text.contains("Drift"))
        },
    )
    .await;
    let page = alice.get("/ips").await;
    let row = page.page().row(ALICE_SINGLE).expect("alice's row");
    assert!(
        row.text.contains(ELSEWHERE),
        "says where it points now: {}",
        row.text
    );
    assert!(row.text.contains("since"), "{}", row.text);
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some(NAME),
        "the PTR stays published"
    );
    let dossier = helpdesk.get(&format!("/lookup/ip/{ALICE_SINGLE}")).await;
    assert_eq!(dossier.status, StatusCode::OK);
    let text = dossier.page().text();
    assert!(text.contains("Re-verification Drift"), "{text}");
    assert!(
        text.contains(ELSEWHERE) && text.contains("last checked"),
        "{text}"
    );
    let list = helpdesk.get("/drift").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(ALICE_SINGLE), "{}", list.body);
    assert!(list.body.contains("1 drifting PTR"), "{}", list.body);
    let filtered = helpdesk.get("/drift?customer=K2").await;
    assert!(
        !filtered.body.contains(ALICE_SINGLE),
        "bob's filter leaves alice out"
    );
    let by_check = helpdesk.get("/drift?finding=forward-confirmed").await;
    assert!(by_check.body.contains(ALICE_SINGLE));
    assert_eq!(
        drifting_metric(&app).await.as_deref(),
        Some("ptrdesk_entries_drifting 1")
    );
    let listed = alice.get("/account/notifications").await.page().text();
    assert!(
        listed.contains(&format!("Drift {NAME} for {ALICE_SINGLE} fails its checks")),
        "{listed}"
    );
    let not_staff = alice.get("/drift").await;
    assert_eq!(not_staff.status, StatusCode::NOT_FOUND, "staff only");
    let mail = smtp
        .wait_for(
            ALICE_MAIL,
            "Drift: the PTR of 203.0.113.45 fails",
            Duration::from_secs(10),
        )
        .await;
    assert!(mail.text.contains(ELSEWHERE), "{}", mail.text);
    assert!(mail.text.contains("stays published"), "{}", mail.text);

    // Fixed again: the drift ends at the next check.
    dns.set_a(NAME, ALICE_SINGLE).await;
    wait_until(Duration::from_secs(20), "the drift clears", || async {
        let page = alice.get("/ips").await;
        page.page()
            .row(ALICE_SINGLE)
            .is_some_and(|row| !row.text.contains("Drift"))
    })
    .await;
    assert_eq!(
        drifting_metric(&app).await.as_deref(),
        Some("ptrdesk_entries_drifting 0")
    );
    smtp.wait_for(
        ALICE_MAIL,
        "Drift over: the PTR of 203.0.113.45",
        Duration::from_secs(10),
    )
    .await;
    let actions: Vec<String> = app
        .audit(ALICE_SINGLE)
        .await
        .into_iter()
        .map(|row| row.action)
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|action| action.starts_with("ptr.drift"))
            .collect::<Vec<_>>(),
        ["ptr.drift.start", "ptr.drift.end"],
        "one start and one end, however many checks ran: {actions:?}"
    );
}

#[tokio::test]
async fn an_unanswered_check_neither_starts_nor_ends_a_drift() {
    use ptrdesk::changes::{Reverified, record_reverified};
    use ptrdesk::checks::Report;
    use ptrdesk::domain::finding::{Finding, FindingId, Severity};
    let app = spawn_app_with(|settings| settings.reverify_period_seconds = 0).await;
    let alice = app.signed_in(ALICE).await;
    assert_eq!(
        alice.save(ALICE_SINGLE, NAME).await.status,
        StatusCode::SEE_OTHER
    );
    let entry = ptrdesk::db::drift::published_after(&app.db.pool, 0, 10)
        .await
        .expect("the database answers")
        .pop()
        .expect("alice's published entry");
    let report = |severity| Report {
        hostname: None,
        findings: vec![Finding {
            id: FindingId::ForwardConfirmed,
            severity,
            // A finding as stored before sentences were kept language-neutral.
            message: "mail.alice-hosting.net resolves to 192.0.2.99, not 203.0.113.45.".to_owned(),
            text: None,
            details: Vec::new(),
        }],
    };
    let record = |severity, at| {
        let (app, entry, report) = (&app, &entry, report(severity));
        async move {
            record_reverified(&app.db, entry, &report, at)
                .await
                .expect("the database answers")
        }
    };
    let now = ptrdesk::clock::now();

    assert_eq!(record(Severity::Unverified, now).await, Reverified::Unknown);
    assert_eq!(record(Severity::Error, now).await, Reverified::DriftStarted);
    assert_eq!(
        record(Severity::Unverified, now + 10).await,
        Reverified::Unknown
    );
    assert_eq!(
        record(Severity::Error, now + 20).await,
        Reverified::StillDrifting
    );
    let drift = ptrdesk::db::drift::current(&app.db.pool, entry.ip)
        .await
        .expect("the database answers")
        .expect("it drifts");
    assert_eq!((drift.since, drift.checked_at), (now, now + 20));
    assert_eq!(
        record(Severity::Info, now + 30).await,
        Reverified::DriftEnded
    );
    assert_eq!(record(Severity::Info, now + 40).await, Reverified::Healthy);

    // A newer publication makes an older drift row stale: it no longer shows.
    assert_eq!(
        record(Severity::Error, now + 50).await,
        Reverified::DriftStarted
    );
    // Policy: a drift older than drift_review_days (30) is an item of the review queue.
    let admin = app.signed_in(ADMIN).await;
    let item = format!("data-drift=\"{ALICE_SINGLE}\"");
    let queue = admin.get("/admin/review").await;
    assert!(!queue.body.contains(&item), "a fresh drift is not long");
    sqlx::query("UPDATE entry_drift SET since = since - 31 * 86400")
        .execute(&app.db.pool)
        .await
        .expect("the drift is made older");
    let queue = admin.get("/admin/review").await;
    assert!(queue.body.contains(&item), "{}", queue.body);
    assert!(queue.page().text().contains("1 long drift waiting"));

    assert_eq!(
        alice
            .save(ALICE_SINGLE, "www.alice-hosting.net")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        ptrdesk::db::drift::current(&app.db.pool, entry.ip)
            .await
            .expect("answers"),
        None
    );
    assert_eq!(
        ptrdesk::db::drift::sweep_stale(&app.db.pool)
            .await
            .expect("answers"),
        1
    );
}

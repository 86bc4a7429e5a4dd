//! The pages of issue 22 in a real browser: the customer's row with a drift, the IP dossier,
//! the staff drift list, the users page with addresses, the notification preferences and the
//! unsubscribe page each pass axe-core with no violation; a screenshot of each is written to
//! /tmp (outside the repository) for a person to look at.

use crate::helpers::axe;
use crate::helpers::chromium::Chromium;
use crate::helpers::*;
use fantoccini::Locator;
use ptrdesk::changes::record_reverified;
use ptrdesk::checks::Report;
use ptrdesk::domain::finding::{Finding, FindingId, Severity};
use reqwest::StatusCode;

const NAME: &str = "mail.alice-hosting.net";

/// Opens `path`, checks it with axe and writes its screenshot to `/tmp/ptrdesk-{name}.png`.
async fn look_at(browser: &Chromium, app: &TestApp, path: &str, name: &str) {
    browser
        .goto(&format!("{}{path}", app.address))
        .await
        .expect("the page opens");
    let violations = axe::violations(browser).await;
    let png = browser.screenshot().await.expect("a screenshot");
    std::fs::write(format!("/tmp/ptrdesk-{name}.png"), png).expect("the screenshot is written");
    assert!(violations.is_empty(), "{path}: {violations:#?}");
}

#[tokio::test]
async fn the_overview_counts_changes_by_outcome_the_queue_and_drift() {
    let app = spawn_app_with(|settings| settings.reverify_period_seconds = 0).await;
    let alice = app.signed_in(ALICE).await;
    assert_eq!(
        alice.save(ALICE_SINGLE, NAME).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        alice
            .save("198.51.100.17", "198-51-100-17.alice-hosting.net")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let helpdesk = app.signed_in(HELPDESK).await;

    let page = helpdesk.get("/overview").await;

    assert_eq!(page.status, StatusCode::OK);
    let text = page.page().text();
    assert!(text.contains("1 waiting for review"), "{text}");
    assert!(text.contains("0 published PTRs drifting"), "{text}");
    let today = &ptrdesk::clock::display(ptrdesk::clock::now())[5..10];
    // The numbers' table: today, 1 published, 0 pending, 1 rejected, 0 denied.
    assert!(text.contains(&format!("{today} 1 0 1 0")), "{text}");
    assert!(
        page.body.contains("<title>embeds-ip: 1</title>"),
        "the findings chart"
    );
    assert_eq!(alice.get("/overview").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_drift_and_notification_pages_pass_axe() {
    let app = spawn_app_with(|settings| settings.reverify_period_seconds = 0).await;
    let alice = app.signed_in(ALICE).await;
    assert_eq!(
        alice.save(ALICE_SINGLE, NAME).await.status,
        StatusCode::SEE_OTHER
    );
    let entry = ptrdesk::db::drift::published_after(&app.db.pool, 0, 10)
        .await
        .expect("answers")
        .pop()
        .expect("alice's entry");
    let report = Report {
        hostname: None,
        findings: vec![Finding::new(
            FindingId::ForwardConfirmed,
            Severity::Error,
            "mail.alice-hosting.net resolves to 192.0.2.99, not to 203.0.113.45.",
        )],
    };
    record_reverified(
        &app.db,
        &entry,
        &report,
        ptrdesk::clock::now() - 40 * 86_400,
    )
    .await
    .expect("the drift is recorded");
    // A rejected change for the charts.
    assert_eq!(
        alice
            .save("198.51.100.17", "198-51-100-17.alice-hosting.net")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let alice_id = app.user_id(ALICE.username).await;
    ptrdesk::db::mail::set_email(&app.db.pool, alice_id, Some("alice@alice-hosting.net"))
        .await
        .expect("an address");

    let browser = Chromium::start().await;
    browser.sign_in(&app.address, ALICE).await;
    look_at(
        &browser,
        &app,
        &format!("/ips?ip={ALICE_SINGLE}"),
        "ips-drift",
    )
    .await;
    look_at(&browser, &app, "/account/notifications", "notifications").await;
    browser
        .find(Locator::Css(".account form[action=\"/logout\"] button"))
        .await
        .expect("Sign out")
        .click()
        .await
        .expect("signed out");

    browser.sign_in(&app.address, ADMIN).await;
    look_at(&browser, &app, "/drift", "drift").await;
    look_at(&browser, &app, "/drift?customer=K2", "drift-empty").await;
    look_at(
        &browser,
        &app,
        &format!("/lookup/ip/{ALICE_SINGLE}"),
        "dossier-drift",
    )
    .await;
    look_at(&browser, &app, "/admin/users", "users").await;
    look_at(&browser, &app, "/overview", "overview").await;
    look_at(&browser, &app, "/admin/review", "review-queue").await;
    look_at(
        &browser,
        &app,
        "/account/notifications",
        "notifications-admin",
    )
    .await;

    // The unsubscribe page, as a mail's link opens it.
    let links = ptrdesk::outbox::mail::LinkSigner::new(&settings_key(&app));
    let query = links.unsubscribe_query(alice_id, ptrdesk::domain::MailTopic::Drift);
    look_at(
        &browser,
        &app,
        &format!("/mail/unsubscribe?{query}"),
        "unsubscribed",
    )
    .await;
}

fn settings_key(app: &TestApp) -> Vec<u8> {
    app.settings().session_key_bytes().expect("the test key")
}

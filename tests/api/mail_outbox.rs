//! The admins' view of the notification mail outbox (issue 22): each mail with its recipient,
//! kind, state, attempts, last error and next try; one that failed is sent again at once on an
//! admin's word (audited `mail.retry`) and reaches a real SMTP server (aiosmtpd on loopback).

use crate::helpers::dns_app::wait_until;
use crate::helpers::smtp::{SmtpServer, free_port};
use crate::helpers::*;
use ptrdesk::changes::record_reverified;
use ptrdesk::checks::Report;
use ptrdesk::domain::finding::{Finding, FindingId, Severity};
use reqwest::StatusCode;
use std::time::Duration;

const NAME: &str = "mail.alice-hosting.net";
const ALICE_MAIL: &str = "alice@alice-hosting.net";

#[tokio::test]
async fn an_admin_sees_a_failing_mail_and_sends_it_again_once_the_smtp_server_is_back() {
    // The panel is told to send to a port where no SMTP server listens yet.
    let port = free_port();
    let app = spawn_app_with(|settings| {
        settings.smtp_url = Some(format!("smtp://127.0.0.1:{port}").into());
        settings.mail_from = Some("rdns@provider.example.net".to_owned());
        settings.outbox_poll_ms = 100;
        // The automatic retry is an hour away: only the admin's word sends it sooner.
        settings.outbox_retry_seconds = 3600;
        settings.reverify_period_seconds = 0;
    })
    .await;
    let alice_id = app.user_id(ALICE.username).await;
    ptrdesk::db::mail::set_email(&app.db.pool, alice_id, Some(ALICE_MAIL))
        .await
        .expect("alice gets an address");
    let alice = app.signed_in(ALICE).await;
    assert_eq!(
        alice.save(ALICE_SINGLE, NAME).await.status,
        StatusCode::SEE_OTHER
    );
    // Her PTR begins to drift: a mail to her is queued with the event.
    let entry = ptrdesk::db::drift::published_after(&app.db.pool, 0, 10)
        .await
        .expect("answers")
        .pop()
        .expect("alice's entry");
    let report = Report {
        hostname: None,
        findings: vec![Finding::said(
            FindingId::ForwardConfirmed,
            Severity::Error,
            ptrdesk::i18n::Text::new("finding-plain").arg(
                "text",
                "mail.alice-hosting.net resolves to 192.0.2.99, not to 203.0.113.45.",
            ),
        )],
    };
    record_reverified(&app.db, &entry, &report, ptrdesk::clock::now())
        .await
        .expect("the drift is recorded");
    wait_until(
        Duration::from_secs(10),
        "the first attempt fails",
        || async {
            ptrdesk::db::mail::all(&app.db.pool)
                .await
                .expect("answers")
                .iter()
                .any(|mail| mail.attempts >= 1 && mail.last_error.is_some())
        },
    )
    .await;

    let admin = app.signed_in(ADMIN).await;
    let page = admin.get("/admin/mail").await;
    assert_eq!(page.status, StatusCode::OK);
    let row = page
        .page()
        .table_rows()
        .into_iter()
        .find(|row| row.contains(ALICE_MAIL))
        .expect("the mail to alice is listed");
    for shown in ["alice", "Drift began", ALICE_SINGLE, "Failing 1"] {
        assert!(row.contains(shown), "{shown}: {row}");
    }
    let error = ptrdesk::db::mail::all(&app.db.pool).await.expect("answers")[0]
        .last_error
        .clone()
        .expect("an error");
    assert!(row.contains(&error), "the last error: {row}");
    assert!(
        page.body.contains("aria-current=\"page\">Mail</a>"),
        "a tab of its own"
    );
    let failing = admin.get("/admin/mail?state=failing").await.page().text();
    assert!(failing.contains(ALICE_MAIL), "{failing}");
    let sent = admin.get("/admin/mail?state=sent").await.page().text();
    assert!(sent.contains("No mail is in this state"), "{sent}");
    let helpdesk = app.signed_in(HELPDESK).await;
    assert_eq!(
        helpdesk.get("/admin/mail").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(alice.get("/admin/mail").await.status, StatusCode::NOT_FOUND);

    // The SMTP server is back; the admin sends the mail again now.
    let smtp = SmtpServer::start_on(port).await;
    let (mails, _) = ptrdesk::db::mail::log(&app.db.pool, None, 10, 0)
        .await
        .expect("answers");
    let id = mails[0].id;
    let retried = admin
        .post_form(&format!("/admin/mail/{id}/retry"), &[])
        .await;
    assert_eq!(retried.status, StatusCode::SEE_OTHER);
    smtp.wait_for(
        ALICE_MAIL,
        "Drift: the PTR of 203.0.113.45 fails",
        Duration::from_secs(10),
    )
    .await;
    wait_until(Duration::from_secs(10), "the page says sent", || async {
        admin
            .get("/admin/mail?state=sent")
            .await
            .page()
            .text()
            .contains(ALICE_MAIL)
    })
    .await;
    let page = admin.get("/admin/mail").await;
    assert!(
        !page.body.contains(&format!("/admin/mail/{id}/retry")),
        "a sent mail has nothing to retry"
    );
    let again = admin
        .post_form(&format!("/admin/mail/{id}/retry"), &[])
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert!(
        admin
            .get("/admin/mail")
            .await
            .page()
            .text()
            .contains("Nothing to send again")
    );
    let audited: Vec<(String, String)> = app
        .audit_actions()
        .await
        .into_iter()
        .filter(|(action, _)| action == "mail.retry")
        .collect();
    assert_eq!(
        audited,
        [("mail.retry".to_owned(), ADMIN.username.to_owned())],
        "one retry audited, the refused one not"
    );
}

/// A panel mailing through `smtp_url`, trusting `ca_file`; its customer Alice has an address
/// and a PTR that just began to drift (a mail to her is queued with the event).
async fn app_with_a_drift_mail(smtp_url: String, ca_file: std::path::PathBuf) -> TestApp {
    let app = spawn_app_with(|settings| {
        settings.smtp_url = Some(smtp_url.into());
        settings.smtp_ca_file = Some(ca_file);
        settings.mail_from = Some("rdns@provider.example.net".to_owned());
        settings.outbox_poll_ms = 100;
        settings.outbox_retry_seconds = 3600;
        settings.reverify_period_seconds = 0;
    })
    .await;
    let alice_id = app.user_id(ALICE.username).await;
    ptrdesk::db::mail::set_email(&app.db.pool, alice_id, Some(ALICE_MAIL))
        .await
        .expect("alice gets an address");
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
        findings: vec![Finding::said(
            FindingId::ForwardConfirmed,
            Severity::Error,
            ptrdesk::i18n::Text::new("finding-plain").arg(
                "text",
                "mail.alice-hosting.net resolves to 192.0.2.99, not to 203.0.113.45.",
            ),
        )],
    };
    record_reverified(&app.db, &entry, &report, ptrdesk::clock::now())
        .await
        .expect("the drift is recorded");
    app
}

#[tokio::test]
async fn mail_goes_through_starttls_and_implicit_tls_with_authentication_and_a_wrong_password_shows_as_the_error()
 {
    use crate::helpers::smtp::Secured;
    for (mode, scheme) in [
        (
            Secured::StartTls,
            "smtp://relay:s3cret%21@127.0.0.1:{port}?tls=starttls",
        ),
        (
            Secured::ImplicitTls,
            "smtps://relay:s3cret%21@127.0.0.1:{port}",
        ),
    ] {
        let smtp = SmtpServer::start_secured(mode, "relay", "s3cret!").await;
        let url = scheme.replace("{port}", &smtp.port.to_string());
        let app = app_with_a_drift_mail(url, smtp.ca_file()).await;
        wait_until(Duration::from_secs(10), "the first attempt", || async {
            ptrdesk::db::mail::all(&app.db.pool)
                .await
                .expect("answers")
                .iter()
                .any(|mail| mail.attempts >= 1)
        })
        .await;
        let outbox = ptrdesk::db::mail::all(&app.db.pool).await.expect("answers");
        assert_eq!(outbox[0].last_error, None, "{mode:?}");
        let mail = smtp
            .wait_for(
                ALICE_MAIL,
                "Drift: the PTR of 203.0.113.45 fails",
                Duration::from_secs(10),
            )
            .await;
        assert!(
            mail.text.contains("stays published"),
            "{mode:?}: {}",
            mail.text
        );
    }

    // A wrong password: the server refuses AUTH, the mail fails and the admin sees why.
    let smtp = SmtpServer::start_secured(Secured::StartTls, "relay", "s3cret!").await;
    let url = format!("smtp://relay:wrong@127.0.0.1:{}?tls=starttls", smtp.port);
    let app = app_with_a_drift_mail(url, smtp.ca_file()).await;
    wait_until(Duration::from_secs(10), "the attempt fails", || async {
        ptrdesk::db::mail::all(&app.db.pool)
            .await
            .expect("answers")
            .iter()
            .any(|mail| mail.last_error.is_some())
    })
    .await;
    let admin = app.signed_in(ADMIN).await;
    let text = admin.get("/admin/mail?state=failing").await.page().text();
    assert!(text.contains(ALICE_MAIL), "{text}");
    assert!(text.contains("535"), "the server's refusal: {text}");
    assert!(!text.contains("wrong"), "never the password: {text}");
    assert!(smtp.mails().await.is_empty());
}

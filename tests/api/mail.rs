//! Notification mails (issue 22) through a real SMTP server the test starts (aiosmtpd on
//! loopback): a pending change published by the background re-check and an admin's decision
//! reach the customer within seconds, an admin gets the digest of review requests; every mail
//! has a plain-text and an HTML part whose links work over HTTP, including the unsubscribe
//! link, which needs no sign-in.

use crate::helpers::dns_server::{DnsServer, Zone};
use crate::helpers::smtp::{SmtpServer, link};
use crate::helpers::*;
use ptrdesk::changes::recheck_pending;
use ptrdesk::db::review::{self, QueueFilter};
use reqwest::StatusCode;
use std::process::Stdio;
use std::time::{Duration, Instant};

const NAME: &str = "mail.alice-hosting.net";
const EMBEDS_IP: &str = "203-0-113-45.alice-hosting.net";
const ALICE_MAIL: &str = "alice@alice-hosting.net";
const ADMIN_MAIL: &str = "noc@provider.example.net";
/// A mail arriving later than this was not sent "within seconds".
const WITHIN: Duration = Duration::from_secs(10);

/// `ptrdesk ARGS` on the app's database; its standard output.
async fn ptrdesk(app: &TestApp, args: &[&str]) -> String {
    let mut command = ptrdesk_command();
    command
        .args(args)
        .env("PTRDESK_DATABASE", &app.database_url)
        .current_dir(app.dir())
        .stdin(Stdio::null());
    let output = tokio::task::spawn_blocking(move || command.output().expect("ptrdesk runs"))
        .await
        .expect("the command runs");
    assert!(
        output.status.success(),
        "ptrdesk {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A panel asking `dns`, mailing through `smtp`, re-checking pending changes every second.
async fn app_mailing(dns: &DnsServer, smtp: &SmtpServer) -> TestApp {
    let (server, smtp_url) = (dns.address.to_string(), smtp.url());
    spawn_app_with(|settings| {
        settings.dns_checks = true;
        settings.dns_servers = vec![server];
        settings.check_mode = ptrdesk::domain::CheckMode::Resolver;
        settings.recheck_interval_seconds = 1;
        settings.outbox_poll_ms = 100;
        settings.smtp_url = Some(smtp_url.into());
        settings.mail_from = Some("ptrdesk <rdns@provider.example.net>".to_owned());
        settings.review_digest_seconds = 1;
    })
    .await
}

/// The background re-check's next round, now: the pending change's first re-check is a minute
/// away, so it is made due first (as if that minute had passed).
async fn recheck_now(app: &TestApp) {
    sqlx::query("UPDATE changes SET next_check_at = 0 WHERE state = 'pending'")
        .execute(&app.db.pool)
        .await
        .expect("the change is made due");
    let round = recheck_pending(&app.db, &app.engine(), ptrdesk::clock::now()).await;
    assert_eq!(round.expect("the re-check runs").published, 1);
}

#[tokio::test]
async fn a_published_pending_change_is_mailed_within_seconds_and_its_links_work() {
    let smtp = SmtpServer::start().await;
    let dns = DnsServer::serving([Zone::new("net"), Zone::new("alice-hosting.net")]).await;
    let app = app_mailing(&dns, &smtp).await;
    let said = ptrdesk(&app, &["user", "email", ALICE.username, ALICE_MAIL]).await;
    assert!(said.contains(ALICE_MAIL), "{said}");
    let alice = app.signed_in(ALICE).await;
    assert_eq!(
        alice.save(ALICE_SINGLE, NAME).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await,
        None,
        "pending, not published"
    );

    // The customer adds the forward record; the re-check publishes the change.
    dns.add_a(NAME, ALICE_SINGLE).await;
    let fixed = Instant::now();
    recheck_now(&app).await;
    let mail = smtp
        .wait_for(ALICE_MAIL, "PTR published for 203.0.113.45", WITHIN)
        .await;
    eprintln!(
        "forward record added → mail received: {:?}",
        fixed.elapsed()
    );
    let published_at = app
        .audit(ALICE_SINGLE)
        .await
        .into_iter()
        .find(|row| row.action == "ptr.set")
        .expect("the publication is audited")
        .at;
    let seconds = mail.received - published_at as f64;
    eprintln!("publication → mail stored by the SMTP server: {seconds:.2} s");
    assert!(seconds < WITHIN.as_secs_f64(), "{seconds}");

    assert!(
        mail.from.contains("rdns@provider.example.net"),
        "{}",
        mail.from
    );
    assert!(mail.text.contains("Hello alice"), "{}", mail.text);
    assert!(mail.text.contains(NAME), "{}", mail.text);
    assert!(mail.html.contains(NAME), "{}", mail.html);
    let page_link = link(&mail.html, &app.address).expect("a link to the panel");
    assert_eq!(page_link, format!("{}/ips?ip={ALICE_SINGLE}", app.address));
    assert!(
        mail.text.contains(&page_link),
        "the text part has the link too"
    );
    let path = page_link.trim_start_matches(&app.address);
    let page = alice.get(path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.page().row(ALICE_SINGLE).is_some(),
        "the link shows the address"
    );

    // The unsubscribe link works without signing in, and only with its signature.
    let unsubscribe = link(&mail.html, &format!("{}/mail/unsubscribe", app.address))
        .expect("an unsubscribe link");
    assert!(
        mail.text.contains(&unsubscribe),
        "{}\n{unsubscribe}",
        mail.text
    );
    let visitor = app.visitor();
    let forged = unsubscribe.replace("topic=pending", "topic=drift");
    let refused = visitor.get(forged.trim_start_matches(&app.address)).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let reply = visitor
        .get(unsubscribe.trim_start_matches(&app.address))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.body.contains("No more of these mails"),
        "{}",
        reply.body
    );
    let prefs = alice.get("/account/notifications").await;
    let form = prefs
        .page()
        .forms()
        .into_iter()
        .find(|form| form.action == "/account/notifications")
        .expect("the preferences form");
    assert_eq!(form.value("email").as_deref(), Some(ALICE_MAIL));
    let listed = prefs.page().text();
    assert!(
        listed.contains(&format!(
            "Published {NAME} is now the PTR of {ALICE_SINGLE}"
        )),
        "the panel lists what was mailed: {listed}"
    );
    assert!(
        form.input_attr("pending", "checked").is_none(),
        "pending is off now"
    );
    assert!(form.input_attr("review", "checked").is_some());
    assert!(form.input_attr("drift", "checked").is_some());

    // Off means off: the next published change is not mailed, and the save never waited.
    let before = smtp.mails().await.len();
    assert_eq!(
        alice
            .save(ALICE_SINGLE, NAME.replace("mail.", "smtp.").as_str())
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    dns.add_a("smtp.alice-hosting.net", ALICE_SINGLE).await;
    recheck_now(&app).await;
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("smtp.alice-hosting.net")
    );
    let outbox = ptrdesk::db::mail::all(&app.db.pool)
        .await
        .expect("the outbox");
    assert_eq!(outbox.len(), 1, "no second mail was queued: {outbox:?}");
    assert_eq!(smtp.mails().await.len(), before);
}

#[tokio::test]
async fn an_admins_decision_is_mailed_within_seconds_and_admins_get_a_digest_of_requests() {
    let smtp = SmtpServer::start().await;
    let dns = DnsServer::serving([Zone::new("net"), Zone::new("alice-hosting.net")]).await;
    let app = app_mailing(&dns, &smtp).await;
    ptrdesk(&app, &["user", "email", ALICE.username, ALICE_MAIL]).await;
    let admin = app.signed_in(ADMIN).await;
    assert_eq!(
        admin.get("/account/notifications").await.status,
        StatusCode::OK
    );
    // The admin sets their own address on their preferences page.
    let reply = admin
        .post_form(
            "/account/notifications",
            &[("email", ADMIN_MAIL), ("review-digest", "on")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let bad = admin
        .post_form("/account/notifications", &[("email", "noc at provider")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("is not an e-mail address"),
        "{}",
        bad.body
    );

    let alice = app.signed_in(ALICE).await;
    assert_eq!(
        alice.save(ALICE_SINGLE, EMBEDS_IP).await.status,
        StatusCode::SEE_OTHER
    );
    let change = review::page(&app.db.pool, &QueueFilter::default(), 10, 0)
        .await
        .expect("the queue")
        .pop()
        .expect("the rejected change");
    let justification = "Our naming scheme; mail filters expect it.";
    let asked = alice
        .post_form(
            "/ptr/review",
            &[
                ("change", &change.id.to_string()),
                ("justification", justification),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);

    let digest = smtp
        .wait_for(ADMIN_MAIL, "1 new review request", WITHIN)
        .await;
    assert!(digest.text.contains(ALICE_SINGLE), "{}", digest.text);
    assert!(digest.text.contains(justification), "{}", digest.text);
    let queue_link = link(&digest.html, &app.address).expect("a link");
    assert_eq!(queue_link, format!("{}/admin/review", app.address));
    admin.get("/admin/review").await;
    let decided = Instant::now();
    let note = "Fine: it is the customer's own naming scheme.";
    let reply = admin
        .post_form(
            &format!("/admin/review/{}/approve", change.id),
            &[("note", note)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);

    let mail = smtp
        .wait_for(
            ALICE_MAIL,
            "Review decided for 203.0.113.45: approved",
            WITHIN,
        )
        .await;
    eprintln!("decision → mail received: {:?}", decided.elapsed());
    assert!(mail.text.contains(note), "{}", mail.text);
    assert!(mail.html.contains("own naming scheme"), "{}", mail.html);
    let none_to_bob = smtp
        .mails()
        .await
        .iter()
        .all(|mail| mail.to.contains(ALICE_MAIL) || mail.to.contains(ADMIN_MAIL));
    assert!(none_to_bob);
}

#[tokio::test]
async fn addresses_are_set_by_the_command_line_and_the_admin_page_and_checked() {
    let app = spawn_app().await;
    let said = ptrdesk(
        &app,
        &[
            "user",
            "add",
            "carol",
            "--role",
            "customer",
            "--customer",
            "K1",
            "--email",
            "carol@alice-hosting.net",
        ],
    )
    .await;
    assert!(said.contains("carol@alice-hosting.net"), "{said}");
    let mut command = ptrdesk_command();
    command
        .args(["user", "email", "carol", "not an address"])
        .env("PTRDESK_DATABASE", &app.database_url);
    let output = tokio::task::spawn_blocking(move || command.output().expect("ptrdesk runs"))
        .await
        .expect("the command runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not an e-mail address"));

    let admin = app.signed_in(ADMIN).await;
    let carol = app.user_id("carol").await;
    let page = admin.get("/admin/users?q=carol").await;
    assert!(
        page.body.contains("carol@alice-hosting.net"),
        "{}",
        page.body
    );
    let reply = admin
        .post_form(
            &format!("/admin/users/{carol}/email"),
            &[("email", "c.ops@alice-hosting.net")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let bad = admin
        .post_form(
            &format!("/admin/users/{carol}/email"),
            &[("email", "c.ops@")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        ptrdesk::db::mail::email_of(&app.db.pool, carol)
            .await
            .expect("answers")
            .as_deref(),
        Some("c.ops@alice-hosting.net"),
        "a bad address changes nothing"
    );
    let actions = app.audit_actions().await;
    assert!(
        actions
            .iter()
            .filter(|(action, _)| action == "user.email")
            .count()
            >= 2,
        "{actions:?}"
    );
}

#[tokio::test]
async fn each_mail_is_written_in_its_recipients_language_whoever_caused_it() {
    let smtp = SmtpServer::start().await;
    let dns = DnsServer::serving([Zone::new("net"), Zone::new("alice-hosting.net")]).await;
    let app = app_mailing(&dns, &smtp).await;
    ptrdesk(&app, &["user", "email", ALICE.username, ALICE_MAIL]).await;
    ptrdesk(&app, &["user", "email", ADMIN.username, ADMIN_MAIL]).await;
    let alice = app.signed_in(ALICE).await;
    alice.choose_language("de").await;
    assert_eq!(
        alice.save(ALICE_SINGLE, EMBEDS_IP).await.status,
        StatusCode::SEE_OTHER
    );
    let change = review::page(&app.db.pool, &QueueFilter::default(), 10, 0)
        .await
        .expect("the queue")
        .pop()
        .expect("the rejected change");
    let asked = alice
        .post_form(
            "/ptr/review",
            &[
                ("change", &change.id.to_string()),
                ("justification", "Unser Namensschema."),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);

    // The admin chose nothing: the digest is in the default language, English.
    let digest = smtp
        .wait_for(ADMIN_MAIL, "1 new review request", WITHIN)
        .await;
    assert!(
        digest
            .text
            .starts_with(&format!("Hello {},", ADMIN.username)),
        "{}",
        digest.text
    );

    let admin = app.signed_in(ADMIN).await;
    admin.get("/admin/review").await;
    let denied = admin
        .post_form(
            &format!("/admin/review/{}/deny", change.id),
            &[("note", "Please choose a name without the address.")],
        )
        .await;
    assert_eq!(denied.status, StatusCode::SEE_OTHER, "{}", denied.body);
    let mail = smtp
        .wait_for(
            ALICE_MAIL,
            "Freigabe für 203.0.113.45 entschieden: abgelehnt",
            WITHIN,
        )
        .await;
    assert!(
        mail.text.starts_with(&format!("Hallo {},", ALICE.username)),
        "{}",
        mail.text
    );
    assert!(
        mail.text.contains(&format!(
            "Ein Admin hat {EMBEDS_IP} für {ALICE_SINGLE} abgelehnt"
        )),
        "{}",
        mail.text
    );
    assert!(
        mail.text
            .contains("Notiz des Admins: Please choose a name without the address."),
        "the note stays as the admin typed it: {}",
        mail.text
    );
    assert!(mail.html.contains("<html lang=\"de\">"), "{}", mail.html);
    let stop = link(&mail.html, &format!("{}/mail/unsubscribe", app.address))
        .expect("the unsubscribe link");
    let stopped = app
        .visitor()
        .get(stop.trim_start_matches(&app.address))
        .await;
    assert_eq!(
        stopped.status,
        StatusCode::OK,
        "the link works in German too"
    );
}

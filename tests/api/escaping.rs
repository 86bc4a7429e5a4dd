//! Markup typed into any field — a customer or server name (admin form and CSV import), a user
//! name, a justification, a review note, a host name, a search, a bulk CSV cell — is shown as
//! text on every page that shows it: escaped, never as markup. (The audit CSV is not HTML.)

use crate::helpers::*;
use ptrdesk::db::review::{self, QueueFilter};
use ptrdesk::domain::Role;
use reqwest::StatusCode;

/// Markup that runs a script where it is not escaped.
const SCRIPT: &str = "<script>alert(1)</script>";
/// Markup that leaves an attribute and runs a script where it is not escaped.
const IMG: &str = "\"><img src=x onerror=alert(1)>";
/// Rejected with offline checks only: it carries alice's address (`embeds-ip`).
const EMBEDS_IP: &str = "203-0-113-45.alice-hosting.net";

/// `text` as the templates write it into HTML (askama escapes these five characters).
fn escaped(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// `GET path` as `user`: asserts the page answered with `status` and shows each of
/// `payloads` escaped and none of them as markup.
async fn assert_shown_as_text(user: &TestUser, path: &str, status: StatusCode, payloads: &[&str]) {
    let reply = user.get(path).await;
    assert_eq!(reply.status, status, "{path}: {}", reply.page().text());
    assert_escaped(path, &reply.body, payloads);
}

/// Asserts `body` (what `what` answered) shows each of `payloads` escaped, and carries no
/// markup any of them would have made.
fn assert_escaped(what: &str, body: &str, payloads: &[&str]) {
    for payload in payloads {
        assert!(
            !body.contains(payload),
            "{what} carries {payload} as markup:\n{body}"
        );
        assert!(
            body.contains(&escaped(payload)),
            "{what} shows {payload} escaped:\n{body}"
        );
    }
    assert!(!body.contains("<script>alert"), "{what}:\n{body}");
    assert!(!body.contains("<img"), "{what}:\n{body}");
}

#[tokio::test]
async fn markup_in_customer_and_server_names_is_shown_as_text_on_every_page() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let k1 = app.customer_id(ALICE_NUMBER).await;
    admin.get(&format!("/admin/customers/{k1}")).await;
    let renamed = format!("Alice {SCRIPT}");
    let reply = admin
        .post_form(
            &format!("/admin/customers/{k1}/rename"),
            &[("name", &renamed)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let reply = admin
        .post_form(&format!("/admin/customers/{k1}/servers"), &[("name", IMG)])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let server = app.server_id(ALICE_NUMBER, IMG).await.to_string();
    let reply = admin
        .post_form(
            &format!("/admin/customers/{k1}/assignments"),
            &[("server", &server), ("network", "192.0.2.0/29")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    // The same two through the CSV import (a quoted cell keeps the quote).
    let csv = format!("K7,Evil {SCRIPT},\"\"\"><img src=x onerror=alert(1)>\",192.0.2.64/29\n");
    let reply = admin.post_form("/admin/import", &[("csv", &csv)]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let k7 = app.customer_id("K7").await;
    let alice = app.signed_in(ALICE).await;
    let helpdesk = app.signed_in(HELPDESK).await;
    let ok = StatusCode::OK;

    let both = [SCRIPT, IMG];
    assert_shown_as_text(&admin, "/admin/customers", ok, &[SCRIPT]).await;
    assert_shown_as_text(&admin, "/admin/customers?q=Evil", ok, &[SCRIPT]).await;
    assert_shown_as_text(&admin, &format!("/admin/customers/{k1}"), ok, &both).await;
    assert_shown_as_text(&admin, &format!("/admin/customers/{k7}"), ok, &both).await;
    assert_shown_as_text(&admin, "/admin/audit", ok, &both).await;
    assert_shown_as_text(&alice, "/ips", ok, &both).await;
    assert_shown_as_text(&helpdesk, "/lookup?q=Alice", ok, &[SCRIPT]).await;
    assert_shown_as_text(&helpdesk, "/lookup?q=onerror", ok, &both).await;
    assert_shown_as_text(&helpdesk, "/lookup?q=192.0.2.0/24", ok, &both).await;
    assert_shown_as_text(&helpdesk, "/lookup/ip/192.0.2.1", ok, &both).await;
    assert_shown_as_text(&helpdesk, "/lookup/ip/192.0.2.65", ok, &both).await;
}

#[tokio::test]
async fn markup_in_user_names_is_shown_as_text_on_every_page() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    admin.get("/admin/users").await;
    let reply = admin
        .post_form(
            "/admin/users",
            &[
                ("username", SCRIPT),
                ("role", "customer"),
                ("customer", ALICE_NUMBER),
                ("password", "a-long-enough-password"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    // The form takes no spaces in a user name; the command line and the database do.
    let spaced = Person {
        username: IMG,
        password: "another-long-password",
    };
    app.add_user(spaced, Role::Customer, Some(ALICE_NUMBER))
        .await;
    let scripted = app
        .signed_in(Person {
            username: SCRIPT,
            password: "a-long-enough-password",
        })
        .await;
    let saved = scripted.save(ALICE_SINGLE, "mail.alice-hosting.net").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let spaced_user = app.signed_in(spaced).await;
    let ok = StatusCode::OK;

    assert_shown_as_text(&scripted, "/ips", ok, &[SCRIPT]).await;
    assert_shown_as_text(&spaced_user, "/ips", ok, &[IMG]).await;
    assert_shown_as_text(&spaced_user, "/bulk", ok, &[IMG]).await;
    assert_shown_as_text(&spaced_user, "/api-credentials", ok, &[IMG]).await;
    assert_shown_as_text(&admin, "/admin/users", ok, &[SCRIPT, IMG]).await;
    assert_shown_as_text(&admin, "/admin/audit", ok, &[SCRIPT]).await;
    let by_actor = format!("/admin/audit?actor={}", urlencoded(SCRIPT));
    assert_shown_as_text(&admin, &by_actor, ok, &[SCRIPT]).await;
    let dossier = format!("/lookup/ip/{ALICE_SINGLE}");
    assert_shown_as_text(&admin, &dossier, ok, &[SCRIPT]).await;
}

#[tokio::test]
async fn markup_in_a_justification_and_a_review_note_is_shown_as_text_on_every_page() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let saved = alice.save(ALICE_SINGLE, EMBEDS_IP).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let id = review::page(&app.db.pool, &QueueFilter::default(), 10, 0)
        .await
        .expect("the queue answers")
        .first()
        .expect("the rejected change")
        .id;
    let justification = format!("Ours. {SCRIPT} {IMG}");
    let reply = alice
        .post_form(
            "/ptr/review",
            &[
                ("change", &id.to_string()),
                ("justification", &justification),
                ("back", ""),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let admin = app.signed_in(ADMIN).await;
    let ok = StatusCode::OK;
    let both = [SCRIPT, IMG];

    assert_shown_as_text(&admin, "/admin/review", ok, &both).await;
    assert_shown_as_text(&admin, &format!("/admin/review/{id}"), ok, &both).await;
    assert_shown_as_text(&admin, &format!("/lookup/ip/{ALICE_SINGLE}"), ok, &both).await;

    let note = format!("No. {IMG} {SCRIPT}");
    let reply = admin
        .post_form(
            &format!("/admin/review/{id}/deny"),
            &[("note", &note), ("back", "")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_shown_as_text(&alice, "/ips", ok, &both).await;
    assert_shown_as_text(&admin, "/admin/audit", ok, &both).await;
    // A note that comes back with a problem is shown again in its field.
    let saved = alice.save(ALICE_SINGLE, EMBEDS_IP).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let again = review::page(&app.db.pool, &QueueFilter::default(), 10, 0)
        .await
        .expect("the queue answers")
        .first()
        .expect("the new rejected change")
        .id;
    let long_note = format!("{IMG}{SCRIPT}{}", "n".repeat(2000));
    let reply = admin
        .post_form(
            &format!("/admin/review/{again}/approve"),
            &[("note", &long_note), ("back", "")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_escaped("the refused decision", &reply.body, &both);
}

#[tokio::test]
async fn markup_typed_as_a_host_name_or_a_search_is_shown_as_text_on_every_page() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let ok = StatusCode::OK;
    let both = [SCRIPT, IMG];

    for typed in both {
        let reply = alice.save(ALICE_SINGLE, typed).await;
        assert_eq!(reply.status, unprocessable, "{}", reply.body);
        assert_escaped("the refused save", &reply.body, &[typed]);
        for stage in ["offline", "full"] {
            let query = serde_urlencoded::to_string([
                ("ip", ALICE_SINGLE),
                ("hostname", typed),
                ("stage", stage),
            ])
            .expect("a query string");
            let reply = alice.get(&format!("/ptr/check?{query}")).await;
            assert_eq!(reply.status, ok);
            assert!(
                reply.body.contains("data-syntax-error=\"true\""),
                "{}",
                reply.body
            );
            assert_escaped("the live check", &reply.body, &[typed]);
        }
    }
    let subnet = app.assignment_id(ALICE_NUMBER, "2001:db8:10::1").await;
    let reply = alice.add(subnet, IMG, SCRIPT).await;
    assert_eq!(reply.status, unprocessable, "{}", reply.body);
    assert_escaped("the refused new entry", &reply.body, &both);
    let filtered = format!(
        "/ips?{}",
        serde_urlencoded::to_string([("ip", IMG), ("hostname", SCRIPT)]).expect("a query")
    );
    assert_shown_as_text(&alice, &filtered, ok, &both).await;

    let bulk =
        format!("{ALICE_SINGLE},{SCRIPT}\n\"\"\"><img src=x onerror=alert(1)>\",a.example.com\n");
    alice.get("/bulk").await;
    let reply = alice.post_form("/bulk/check", &[("csv", &bulk)]).await;
    assert_eq!(reply.status, unprocessable, "{}", reply.body);
    assert_escaped("the bulk dry run", &reply.body, &both);
    assert_eq!(app.entry(ALICE_SINGLE).await, None);

    let helpdesk = app.signed_in(HELPDESK).await;
    for typed in both {
        let search = format!("/lookup?q={}", urlencoded(typed));
        assert_shown_as_text(&helpdesk, &search, ok, &[typed]).await;
        let run = format!(
            "/lookup/ip/{ALICE_SINGLE}?run=1&hostname={}",
            urlencoded(typed)
        );
        assert_shown_as_text(&helpdesk, &run, ok, &[typed]).await;
    }
    let admin = app.signed_in(ADMIN).await;
    let audit = format!(
        "/admin/audit?{}",
        serde_urlencoded::to_string([("customer", SCRIPT), ("ip", IMG)]).expect("a query")
    );
    assert_shown_as_text(&admin, &audit, unprocessable, &both).await;
    let queue = format!(
        "/admin/review?{}",
        serde_urlencoded::to_string([("finding", SCRIPT), ("customer", IMG)]).expect("a query")
    );
    assert_shown_as_text(&admin, &queue, ok, &both).await;
}

fn urlencoded(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .expect("a query")
        .trim_start_matches('=')
        .to_owned()
}

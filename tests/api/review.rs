//! The review queue (SPEC "States"): a customer asks for review of a rejected change with a
//! justification, an admin finds it in the queue (filtered by finding, customer and age), runs
//! its checks again, and approves (published, audited) or denies it (the customer sees the
//! note). Help-desk users get 403 and change nothing; customers get 404.

use crate::helpers::*;
use ptrdesk::db::review::{self, QueueFilter, QueueItem};
use ptrdesk::domain::ChangeState;
use reqwest::StatusCode;

/// Rejected with offline checks only: it carries alice's address (`embeds-ip`).
const EMBEDS_IP: &str = "203-0-113-45.alice-hosting.net";
/// Rejected for bob: under a special-use name (`reserved-name`).
const RESERVED: &str = "edge.bob.example";
const JUSTIFICATION: &str =
    "This is our mail server's real name; customers' mail filters expect it.";

/// Every change in the queue, oldest first.
async fn queue(app: &TestApp) -> Vec<QueueItem> {
    review::page(&app.db.pool, &QueueFilter::default(), 500, 0)
        .await
        .expect("the queue answers")
}

/// Saves `name` for `ip` as `user` (expecting a rejection) and returns the change's id.
async fn rejected_change(app: &TestApp, user: &TestUser, ip: &str, name: &str) -> i64 {
    let reply = user.save(ip, name).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let item = queue(app)
        .await
        .into_iter()
        .find(|item| item.ip.to_string() == ip)
        .expect("the rejected change is in the queue");
    assert_eq!(item.state, ChangeState::Rejected);
    item.id
}

/// An admin's browser, with the queue page loaded (for its CSRF token).
async fn admin(app: &TestApp) -> TestUser {
    let admin = app.signed_in(ADMIN).await;
    assert_eq!(admin.get("/admin/review").await.status, StatusCode::OK);
    admin
}

/// A help-desk browser with a CSRF token of its own session (from its start page).
async fn helpdesk(app: &TestApp) -> TestUser {
    let helpdesk = app.signed_in(HELPDESK).await;
    let lookup = helpdesk.get("/lookup").await;
    assert!(
        lookup.page().csrf().is_some(),
        "the help-desk start page has a form"
    );
    helpdesk
}

/// Presses "Ask for review" under change `change_id`; the status of the answer.
async fn ask_for_review(user: &TestUser, change_id: i64, justification: &str) -> StatusCode {
    let change = change_id.to_string();
    let fields = [
        ("change", change.as_str()),
        ("justification", justification),
    ];
    user.post_form("/ptr/review", &fields).await.status
}

#[tokio::test]
async fn a_rejected_change_offers_the_customer_to_ask_for_review() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let id = rejected_change(&app, &alice, ALICE_SINGLE, EMBEDS_IP).await;

    let page = alice.get("/ips").await.page();

    let form = page
        .forms()
        .into_iter()
        .find(|form| form.action == "/ptr/review")
        .expect("an ask-for-review form");
    assert_eq!(form.value("change"), Some(id.to_string()));
    assert!(form.text.contains("Ask for review"), "{}", form.text);
}

#[tokio::test]
async fn a_customer_asks_for_review_and_the_admin_sees_the_justification_in_the_queue() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let id = rejected_change(&app, &alice, ALICE_SINGLE, EMBEDS_IP).await;

    let reply = alice
        .post_form(
            "/ptr/review",
            &[
                ("change", &id.to_string()),
                ("justification", JUSTIFICATION),
            ],
        )
        .await;

    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location.as_deref(), Some("/ips"));
    let page = alice.get("/ips").await.page();
    assert!(page.text().contains("request for review was sent"));
    let row = page.row(ALICE_SINGLE).expect("alice's row");
    assert!(row.text.contains("In review"), "{}", row.text);
    assert!(
        !page.forms().iter().any(|form| form.action == "/ptr/review"),
        "no second request"
    );
    let item = queue(&app).await.remove(0);
    assert_eq!(
        (item.state, item.justification.as_deref()),
        (ChangeState::InReview, Some(JUSTIFICATION))
    );
    let last = app.audit(ALICE_SINGLE).await.pop().expect("an audit row");
    assert_eq!(
        (last.actor.as_str(), last.action.as_str()),
        ("alice", "change.review-requested")
    );

    let admin = admin(&app).await;
    let text = admin.get("/admin/review").await.page().text();
    assert!(text.contains("1 change waiting"), "{text}");
    assert!(text.contains(ALICE_CUSTOMER) && text.contains(ALICE_NUMBER));
    assert!(text.contains(ALICE_SINGLE) && text.contains(EMBEDS_IP));
    assert!(text.contains("In review") && text.contains("embeds-ip"));
    assert!(
        text.contains("This is our mail server's real name"),
        "{text}"
    );

    let detail = admin.get(&format!("/admin/review/{id}")).await;
    assert_eq!(detail.status, StatusCode::OK);
    let text = detail.page().text();
    assert!(
        text.contains(JUSTIFICATION),
        "the whole justification: {text}"
    );
    assert!(
        text.contains("change.review-requested"),
        "the history: {text}"
    );
    assert!(
        text.contains("(provider default)"),
        "the PTR in force: {text}"
    );
}

#[tokio::test]
async fn an_empty_justification_comes_back_at_422_beside_the_field() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let id = rejected_change(&app, &alice, ALICE_SINGLE, EMBEDS_IP).await;

    let reply = alice
        .post_form(
            "/ptr/review",
            &[("change", &id.to_string()), ("justification", "   ")],
        )
        .await;

    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("aria-describedby=\"justification-err-"),
        "the message is tied to the field"
    );
    assert!(reply.page().text().contains("Say why this name is right"));
    assert_eq!(queue(&app).await[0].state, ChangeState::Rejected);
}

#[tokio::test]
async fn another_customer_cannot_ask_for_review_of_alices_change() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let bob = app.signed_in(BOB).await;
    let id = rejected_change(&app, &alice, ALICE_SINGLE, EMBEDS_IP).await;

    let status = ask_for_review(&bob, id, JUSTIFICATION).await;

    assert_eq!(status, StatusCode::NOT_FOUND);
    let item = queue(&app).await.remove(0);
    assert_eq!(
        (item.state, item.justification),
        (ChangeState::Rejected, None)
    );
}

#[tokio::test]
async fn approval_publishes_the_name_and_records_the_admin() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let id = rejected_change(&app, &alice, ALICE_SINGLE, EMBEDS_IP).await;
    assert_eq!(
        ask_for_review(&alice, id, JUSTIFICATION).await,
        StatusCode::SEE_OTHER
    );
    let admin = admin(&app).await;

    let reply = admin
        .post_form(
            &format!("/admin/review/{id}/approve"),
            &[("note", "Fine: it is the customer's own naming scheme.")],
        )
        .await;

    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location.as_deref(), Some("/admin/review"));
    let text = admin.get("/admin/review").await.page().text();
    assert!(
        text.contains(&format!(
            "Approved: {EMBEDS_IP} is now the PTR of {ALICE_SINGLE}."
        )),
        "{text}"
    );
    assert!(text.contains("The queue is empty"), "{text}");
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some(EMBEDS_IP)
    );
    let history = app.audit(ALICE_SINGLE).await;
    let approved = history
        .iter()
        .find(|row| row.action == "change.approved")
        .expect("an approval row");
    assert_eq!(
        (
            approved.actor.as_str(),
            approved.door.as_str(),
            approved.new_value.as_deref()
        ),
        (ADMIN.username, "review", Some(EMBEDS_IP))
    );
    let row = alice
        .get("/ips")
        .await
        .page()
        .row(ALICE_SINGLE)
        .expect("row");
    assert_eq!(row.value("hostname").as_deref(), Some(EMBEDS_IP));
    assert!(!row.text.contains("Rejected") && !row.text.contains("In review"));
}

#[tokio::test]
async fn denial_leaves_the_entry_alone_and_the_customer_sees_the_note() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    assert_eq!(
        alice
            .save(ALICE_SINGLE, "mail.alice-hosting.net")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let id = rejected_change(&app, &alice, ALICE_SINGLE, EMBEDS_IP).await;
    assert_eq!(
        ask_for_review(&alice, id, JUSTIFICATION).await,
        StatusCode::SEE_OTHER
    );
    let admin = admin(&app).await;
    let note = "Names that carry the address look generated; use mail.alice-hosting.net.";

    let reply = admin
        .post_form(&format!("/admin/review/{id}/deny"), &[("note", note)])
        .await;

    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location.as_deref(), Some("/admin/review"));
    assert!(
        admin
            .get("/admin/review")
            .await
            .page()
            .text()
            .contains("Denied:")
    );
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("mail.alice-hosting.net"),
        "the PTR in force stays"
    );
    let row = alice
        .get("/ips")
        .await
        .page()
        .row(ALICE_SINGLE)
        .expect("row");
    assert!(row.text.contains("Denied"), "{}", row.text);
    assert!(
        row.text.contains(&format!("Admin's note: {note}")),
        "{}",
        row.text
    );
    let history = app.audit(ALICE_SINGLE).await;
    assert!(history.iter().any(|row| row.action == "change.denied"
        && row.actor == ADMIN.username
        && row.door == "review"));
}

#[tokio::test]
async fn a_decision_without_a_note_comes_back_at_422_and_changes_nothing() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let id = rejected_change(&app, &alice, ALICE_SINGLE, EMBEDS_IP).await;
    let admin = admin(&app).await;

    for action in ["approve", "deny"] {
        let reply = admin
            .post_form(&format!("/admin/review/{id}/{action}"), &[("note", "  ")])
            .await;

        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{action}");
        assert!(
            reply.body.contains("aria-describedby=\"note-err\""),
            "{action}"
        );
        assert!(
            reply.page().text().contains("A note is required"),
            "{action}"
        );
    }
    assert_eq!(queue(&app).await[0].state, ChangeState::Rejected);
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
}

#[tokio::test]
async fn the_queue_filters_by_finding_customer_and_age() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let bob = app.signed_in(BOB).await;
    let alices = rejected_change(&app, &alice, ALICE_SINGLE, EMBEDS_IP).await;
    let bobs = rejected_change(&app, &bob, BOB_SINGLE, RESERVED).await;
    // Alice's request is two days old.
    sqlx::query("UPDATE changes SET created_at = created_at - 172800 WHERE id = $1")
        .bind(alices)
        .execute(&app.db.pool)
        .await
        .expect("the change is aged");
    let admin = admin(&app).await;
    let shown = |text: &str| (text.contains(EMBEDS_IP), text.contains(RESERVED));

    let all = admin.get("/admin/review").await.page().text();
    let embeds = admin
        .get("/admin/review?finding=embeds-ip")
        .await
        .page()
        .text();
    let reserved = admin
        .get("/admin/review?finding=reserved-name")
        .await
        .page()
        .text();
    let by_name = admin
        .get("/admin/review?customer=bob+networks")
        .await
        .page()
        .text();
    let by_number = admin.get("/admin/review?customer=K1").await.page().text();
    let old = admin.get("/admin/review?older_than=1d").await.page().text();
    let hours = admin
        .get("/admin/review?older_than=49h")
        .await
        .page()
        .text();
    let bad = admin.get("/admin/review?older_than=soon").await;

    assert_eq!(shown(&all), (true, true));
    assert!(
        all.find(EMBEDS_IP) < all.find(RESERVED),
        "oldest first: {all}"
    );
    assert!(all.contains("2 d"), "a readable age: {all}");
    assert_eq!(shown(&embeds), (true, false));
    assert_eq!(shown(&reserved), (false, true));
    assert_eq!(shown(&by_name), (false, true));
    assert_eq!(shown(&by_number), (true, false));
    assert_eq!(shown(&old), (true, false));
    assert_eq!(shown(&hours), (false, false));
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.page().text().contains("12h or 3d"));
    assert_eq!(shown(&bad.page().text()), (true, true));
    let _ = bobs;
}

#[tokio::test]
async fn running_the_checks_again_stores_fresh_findings_and_keeps_the_state() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let id = rejected_change(&app, &alice, ALICE_SINGLE, EMBEDS_IP).await;
    // The stored findings are stale: pretend an older run found nothing.
    ptrdesk::db::changes::update_findings(&app.db.pool, id, &[], 0)
        .await
        .expect("findings stored");
    let admin = admin(&app).await;
    assert!(
        !admin
            .get(&format!("/admin/review/{id}"))
            .await
            .page()
            .text()
            .contains("embeds-ip")
    );

    let reply = admin
        .post_form(&format!("/admin/review/{id}/recheck"), &[])
        .await;

    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location, Some(format!("/admin/review/{id}")));
    let text = admin
        .get(&format!("/admin/review/{id}"))
        .await
        .page()
        .text();
    assert!(text.contains("Checked again: 1 error remains"), "{text}");
    assert!(text.contains("embeds-ip"), "{text}");
    let item = queue(&app).await.remove(0);
    assert_eq!(item.state, ChangeState::Rejected);
    assert_eq!(item.findings.len(), 1, "{:?}", item.findings);
    let last = app.audit(ALICE_SINGLE).await.pop().expect("an audit row");
    assert_eq!(
        (
            last.action.as_str(),
            last.door.as_str(),
            last.new_value.as_deref()
        ),
        ("change.rechecked", "review", Some("embeds-ip"))
    );
}

#[tokio::test]
async fn help_desk_gets_403_and_changes_nothing_on_every_review_action() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let id = rejected_change(&app, &alice, ALICE_SINGLE, EMBEDS_IP).await;
    assert_eq!(
        ask_for_review(&alice, id, JUSTIFICATION).await,
        StatusCode::SEE_OTHER
    );
    let helpdesk = helpdesk(&app).await;
    let before = (queue(&app).await[0].clone(), app.audit(ALICE_SINGLE).await);

    for path in ["/admin/review", &format!("/admin/review/{id}")] {
        let reply = helpdesk.get(path).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "GET {path}");
    }
    for action in ["recheck", "approve", "deny"] {
        let path = format!("/admin/review/{id}/{action}");

        let reply = helpdesk
            .post_form(&path, &[("note", "help-desk says yes")])
            .await;

        assert_eq!(reply.status, StatusCode::FORBIDDEN, "POST {path}");
        assert!(
            reply.page().text().contains("Nothing was changed"),
            "POST {path}"
        );
        let after = (queue(&app).await[0].clone(), app.audit(ALICE_SINGLE).await);
        assert_eq!(
            (
                after.0.state,
                &after.0.findings,
                after.0.updated_at,
                &after.1
            ),
            (
                before.0.state,
                &before.0.findings,
                before.0.updated_at,
                &before.1
            ),
            "POST {path} changed something"
        );
        assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None, "POST {path}");
    }
}

#[tokio::test]
async fn customers_get_404_on_every_admin_review_route() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let id = rejected_change(&app, &alice, ALICE_SINGLE, EMBEDS_IP).await;

    for path in ["/admin/review", &format!("/admin/review/{id}")] {
        assert_eq!(
            alice.get(path).await.status,
            StatusCode::NOT_FOUND,
            "GET {path}"
        );
    }
    for action in ["recheck", "approve", "deny"] {
        let path = format!("/admin/review/{id}/{action}");
        let reply = alice.post_form(&path, &[("note", "approve my own")]).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "POST {path}");
    }
    assert_eq!(queue(&app).await[0].state, ChangeState::Rejected);
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
}

#[tokio::test]
async fn a_change_that_left_the_queue_has_no_detail_page() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let id = rejected_change(&app, &alice, ALICE_SINGLE, EMBEDS_IP).await;
    let admin = admin(&app).await;
    let reply = admin
        .post_form(&format!("/admin/review/{id}/deny"), &[("note", "No.")])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);

    assert_eq!(
        admin.get(&format!("/admin/review/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let again = admin
        .post_form(
            &format!("/admin/review/{id}/approve"),
            &[("note", "Yes after all.")],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert!(
        admin
            .get("/admin/review")
            .await
            .page()
            .text()
            .contains("Nothing was changed"),
        "a decided change is not decided twice"
    );
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
}

#[tokio::test]
async fn the_demo_data_fills_the_queue_and_shows_a_denied_request() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = ptrdesk::db::Db::connect(&fresh_database(dir.path()).await)
        .await
        .expect("the demo database");
    let settings = ptrdesk::config::Settings {
        dns_checks: false,
        ..ptrdesk::config::Settings::default()
    };

    ptrdesk::demo::seed(
        &db,
        &ptrdesk::checks::Engine::from_settings(&settings).expect("an engine"),
        &ptrdesk::dns::Publishing::from_settings(&settings).expect("the settings publish"),
    )
    .await
    .expect("the demo data is seeded");

    let states: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT state FROM changes WHERE superseded_by IS NULL")
            .fetch_all(&db.pool)
            .await
            .expect("the changes table answers");
    for state in ["published", "rejected", "in-review", "denied"] {
        assert!(states.iter().any(|s| s == state), "{state} in {states:?}");
    }
    let waiting = review::page(&db.pool, &QueueFilter::default(), 50, 0)
        .await
        .expect("the queue answers");
    assert!(waiting.len() >= 3, "{waiting:?}");
    assert!(waiting.iter().any(|item| item.justification.is_some()));
}

#[tokio::test]
async fn the_queue_is_paged_by_fifty() {
    let app = spawn_app().await;
    let customer_id = app.customer_id(ALICE_NUMBER).await;
    for n in 1..=51 {
        let ip = format!("2001:db8:10::{n:x}");
        let owned = ptrdesk::db::inventory::owned_ip(
            &app.db.pool,
            customer_id,
            ip.parse().expect("an address"),
        )
        .await
        .expect("the ownership query answers")
        .expect("alice's address");
        let request = ptrdesk::changes::ChangeRequest {
            owned,
            requested: ptrdesk::changes::Requested::Hostname(format!("host{n}.alice.example")),
            based_on_version: None,
            door: ptrdesk::domain::Door::Page,
            actor: ptrdesk::import::cli_actor(),
        };
        ptrdesk::changes::submit(&app.db, &app.engine(), request)
            .await
            .expect("the change is recorded");
    }
    let admin = admin(&app).await;

    let first = admin.get("/admin/review").await.page();
    let (next, _) = first.link("next").expect("a next link");
    let second = admin.get(&next).await.page();

    assert!(
        first.text().contains("51 changes waiting · page 1 of 2"),
        "{}",
        first.text()
    );
    assert!(first.text().contains("host50.alice.example"));
    assert!(!first.text().contains("host51.alice.example"));
    assert!(
        second.text().contains("host51.alice.example"),
        "{}",
        second.text()
    );
    assert!(second.link("next").is_none());
}

//! The customer's page is cached per node and validated by a version every write path moves
//! (issue 20, migration 0075): each kind of write that changes what the page shows is seen on
//! the very next page, on the node that wrote and on another node on the same database, both
//! of which had the page cached before the write.

use crate::helpers::*;
use reqwest::StatusCode;

/// Alice's page, as text, on her browser `user`.
async fn page_text(user: &TestUser) -> String {
    let reply = user.get("/ips").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.page().text()
}

/// The text of `ip`'s row on Alice's page.
async fn row_text(user: &TestUser, ip: &str) -> String {
    user.get("/ips")
        .await
        .page()
        .row(ip)
        .unwrap_or_else(|| panic!("a row of {ip}"))
        .text
}

/// The value of `ip`'s PTR field on Alice's page.
async fn field(user: &TestUser, ip: &str) -> Option<String> {
    user.get("/ips")
        .await
        .page()
        .row(ip)
        .and_then(|row| row.value("hostname"))
}

/// Two nodes on one database, Alice signed in on both, her page loaded (cached) on both.
async fn two_nodes_with_alices_page() -> (TestApp, TestApp, TestUser, TestUser) {
    let node_a = spawn_app().await;
    let node_b = node_a.restart().await;
    let on_a = node_a.signed_in(ALICE).await;
    let on_b = on_a.towards(&node_b.address);
    for user in [&on_a, &on_b] {
        // Twice: the second is served from the cache.
        page_text(user).await;
        page_text(user).await;
    }
    (node_a, node_b, on_a, on_b)
}

#[tokio::test]
async fn a_save_and_a_reset_show_at_once_on_the_page_of_the_node_that_wrote_and_of_another() {
    let (_node_a, _node_b, on_a, on_b) = two_nodes_with_alices_page().await;
    assert_eq!(field(&on_a, ALICE_SINGLE).await.as_deref(), Some(""));

    let saved = on_b.save(ALICE_SINGLE, "mail.alice-hosting.net").await;

    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    for user in [&on_a, &on_b] {
        assert_eq!(
            field(user, ALICE_SINGLE).await.as_deref(),
            Some("mail.alice-hosting.net")
        );
    }

    let reset = on_a.reset(ALICE_SINGLE).await;

    assert_eq!(reset.status, StatusCode::SEE_OTHER, "{}", reset.body);
    for user in [&on_a, &on_b] {
        assert_eq!(field(user, ALICE_SINGLE).await.as_deref(), Some(""));
    }
}

#[tokio::test]
async fn a_rejection_a_request_for_review_and_an_approval_show_at_once_on_both_nodes() {
    let (node_a, node_b, on_a, on_b) = two_nodes_with_alices_page().await;
    let embeds_ip = "203-0-113-45.alice-hosting.net";

    let saved = on_a.save(ALICE_SINGLE, embeds_ip).await;

    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    for user in [&on_a, &on_b] {
        assert!(row_text(user, ALICE_SINGLE).await.contains("Rejected"));
    }
    let change = ptrdesk::db::review::page(
        &node_a.db.pool,
        &ptrdesk::db::review::QueueFilter::default(),
        10,
        0,
    )
    .await
    .expect("the queue answers")
    .pop()
    .expect("the rejected change")
    .id
    .to_string();

    let asked = on_b
        .post_form(
            "/ptr/review",
            &[
                ("change", change.as_str()),
                (
                    "justification",
                    "Our customers' mail filters expect this name.",
                ),
            ],
        )
        .await;

    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    for user in [&on_a, &on_b] {
        assert!(row_text(user, ALICE_SINGLE).await.contains("In review"));
    }

    let admin = node_b.signed_in(ADMIN).await;
    admin.get("/admin/review").await;
    let approved = admin
        .post_form(
            &format!("/admin/review/{change}/approve"),
            &[("note", "Their own naming scheme.")],
        )
        .await;

    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    for user in [&on_a, &on_b] {
        assert_eq!(field(user, ALICE_SINGLE).await.as_deref(), Some(embeds_ip));
        assert!(!row_text(user, ALICE_SINGLE).await.contains("In review"));
    }
}

#[tokio::test]
async fn an_assignment_added_by_the_provisioning_import_shows_at_once_on_both_nodes() {
    let (node_a, _node_b, on_a, on_b) = two_nodes_with_alices_page().await;
    assert!(!page_text(&on_b).await.contains("192.0.2.77"));

    node_a
        .import("customer_number,customer_name,server,network\nK1,Alice Hosting GmbH,alice-new,192.0.2.77/32\n")
        .await;

    for user in [&on_a, &on_b] {
        let text = page_text(user).await;
        assert!(
            text.contains("192.0.2.77") && text.contains("alice-new"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn a_drift_found_by_the_reverification_shows_at_once_on_both_nodes_and_its_end_too() {
    use ptrdesk::changes::record_reverified;
    use ptrdesk::checks::Report;
    use ptrdesk::domain::finding::{Finding, FindingId, Severity};
    let (node_a, _node_b, on_a, on_b) = two_nodes_with_alices_page().await;
    let saved = on_a.save(ALICE_SINGLE, "mail.alice-hosting.net").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    for user in [&on_a, &on_b] {
        assert!(!row_text(user, ALICE_SINGLE).await.contains("192.0.2.99"));
    }
    let entry = ptrdesk::db::drift::published_after(&node_a.db.pool, 0, 10)
        .await
        .expect("the database answers")
        .pop()
        .expect("alice's published entry");
    let report = |severity| Report {
        hostname: None,
        findings: vec![Finding::said(
            FindingId::ForwardConfirmed,
            severity,
            ptrdesk::i18n::Text::new("finding-plain").arg(
                "text",
                "mail.alice-hosting.net resolves to 192.0.2.99, not 203.0.113.45.",
            ),
        )],
    };
    let now = ptrdesk::clock::now();

    record_reverified(&node_a.db, &entry, &report(Severity::Error), now)
        .await
        .expect("the database answers");

    for user in [&on_a, &on_b] {
        let row = row_text(user, ALICE_SINGLE).await;
        assert!(row.contains("resolves to 192.0.2.99"), "{row}");
    }

    record_reverified(&node_a.db, &entry, &report(Severity::Info), now + 10)
        .await
        .expect("the database answers");

    for user in [&on_a, &on_b] {
        assert!(!row_text(user, ALICE_SINGLE).await.contains("192.0.2.99"));
    }
}

#[tokio::test]
async fn an_admin_allowing_delegation_shows_the_form_at_once_on_both_nodes() {
    let node_a = crate::helpers::dns_app::spawn_dns_app().await;
    let node_b = node_a.restart().await;
    let on_a = node_a.signed_in(ALICE).await;
    let on_b = on_a.towards(&node_b.address);
    for user in [&on_a, &on_b] {
        page_text(user).await;
        assert!(!page_text(user).await.contains("name servers"));
    }
    let admin = node_b.signed_in(ADMIN).await;
    admin.get("/admin/customers").await;
    let id = node_a.assignment_id(ALICE_NUMBER, "2001:db8:10::1").await;

    let allowed = admin
        .post_form(
            &format!("/admin/assignments/{id}/delegation"),
            &[("allowed", "yes")],
        )
        .await;

    assert_eq!(allowed.status, StatusCode::SEE_OTHER, "{}", allowed.body);
    for user in [&on_a, &on_b] {
        let forms = user.get("/ips").await.page().forms();
        assert!(
            forms.iter().any(|form| form.action == "/delegation"),
            "the delegation form is on the page"
        );
    }
}

#[tokio::test]
async fn an_assignment_moved_or_removed_by_an_admin_leaves_the_page_at_once_on_both_nodes() {
    let (node_a, node_b, on_a, on_b) = two_nodes_with_alices_page().await;
    let bob = node_a.signed_in(BOB).await;
    assert!(!page_text(&bob).await.contains(ALICE_SINGLE));
    let admin = node_b.signed_in(ADMIN).await;
    admin.get("/admin/customers").await;
    let single = node_a.assignment_id(ALICE_NUMBER, ALICE_SINGLE).await;
    let subnet = node_a.assignment_id(ALICE_NUMBER, "198.51.100.17").await;

    let moved = admin
        .post_form(
            &format!("/admin/assignments/{single}/move"),
            &[("customer", "K2"), ("server", "bob-edge")],
        )
        .await;

    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    for user in [&on_a, &on_b] {
        assert!(!page_text(user).await.contains(ALICE_SINGLE));
    }
    assert!(
        page_text(&bob).await.contains(ALICE_SINGLE),
        "bob's page has it now"
    );

    let removed = admin
        .post_form(&format!("/admin/assignments/{subnet}/remove"), &[])
        .await;

    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    for user in [&on_a, &on_b] {
        assert!(!page_text(user).await.contains("198.51.100.16/29"));
    }
}

/// Every CSRF token the forms of a page carry.
fn csrf_tokens(reply: &Reply) -> Vec<String> {
    reply
        .page()
        .forms()
        .iter()
        .filter_map(|form| form.value("csrf"))
        .collect()
}

#[tokio::test]
async fn a_page_served_as_kept_carries_each_sessions_own_token_and_each_readers_language() {
    let app = spawn_app().await;
    let first = app.signed_in(ALICE).await;
    // The page below its head is rendered once and kept; the second load is served from it.
    first.get("/ips").await;
    let first_page = first.get("/ips").await;
    let first_tokens = csrf_tokens(&first_page);
    assert!(first_tokens.len() > 2, "{}", first_page.body);

    let second = app.signed_in(ALICE).await;
    let second_page = second.get("/ips").await;

    let second_tokens = csrf_tokens(&second_page);
    assert_eq!(second_tokens.len(), first_tokens.len());
    assert!(
        second_tokens.iter().all(|token| *token == second_tokens[0]),
        "one token per page: {second_tokens:?}"
    );
    assert_ne!(
        second_tokens[0], first_tokens[0],
        "the second browser's page carries its own session's token, not the first one's"
    );
    assert!(!second_page.body.contains("csrf-marker"));
    // The token on the kept page is the session's: a save with it goes through.
    let version = second_page
        .page()
        .row(ALICE_SINGLE)
        .and_then(|row| row.value("version"))
        .expect("the row's version");
    let saved = second
        .post_exactly(
            "/ptr/save",
            &[
                ("csrf", second_tokens[0].as_str()),
                ("ip", ALICE_SINGLE),
                ("version", version.as_str()),
                ("hostname", "mail.alice-hosting.net"),
                ("back", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    // A browser asking for German gets the rows in German, not the English page kept.
    let german = app
        .signed_in_with_header(ALICE, "Accept-Language", "de")
        .await;
    let page = german.get("/ips").await;
    let row = page.page().row(ALICE_SINGLE).expect("a row").text;
    assert!(row.contains("Speichern"), "{row}");
    assert!(!row.contains("Save"), "{row}");
    let english = first
        .get("/ips")
        .await
        .page()
        .row(ALICE_SINGLE)
        .expect("a row")
        .text;
    assert!(english.contains("Save"), "{english}");
}

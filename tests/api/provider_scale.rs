//! What the work for provider scale must keep true: the help-desk search finds host names,
//! customer names and server names by any fragment of three characters or more (through
//! trigram indexes that follow every change) and says so for shorter ones; the customer's page
//! counts their assignments right however they come and go, and a customer with many servers
//! filters by name.

use crate::helpers::{
    ADMIN, ALICE, ALICE_NUMBER, ALICE_SINGLE, BOB, HELPDESK, Person, TestApp, collapse, spawn_app,
};
use ptrdesk::domain::Role;
use reqwest::StatusCode;

/// What the help-desk sees for a search, as text.
async fn search(app: &TestApp, q: &str) -> String {
    let helpdesk = app.signed_in(HELPDESK).await;
    let path = format!(
        "/lookup?{}",
        serde_urlencoded::to_string([("q", q)]).expect("a query string")
    );
    let reply = helpdesk.get(&path).await;
    assert_eq!(reply.status, StatusCode::OK, "{q}");
    collapse(&reply.page().text())
}

/// The summary line of a customer's page: "N assignments".
async fn page_summary(app: &TestApp, person: Person) -> String {
    let text = collapse(&app.signed_in(person).await.get("/ips").await.page().text());
    let at = text
        .find(" assignment")
        .expect("the page says how many assignments");
    let start = text[..at].rfind(' ').map_or(0, |space| space + 1);
    text[start..at].to_owned()
}

#[tokio::test]
async fn a_fragment_from_the_middle_of_a_host_name_finds_it_in_any_case() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice
        .save("198.51.100.18", "node7.alice-secret-hosting.net")
        .await;
    assert!(app.stored_ptr("198.51.100.18").await.is_some(), "arranged");

    let middle = search(&app, "E7.ALICE-SEC").await;
    let elsewhere = search(&app, "node8.alice").await;

    assert!(
        middle.contains("198.51.100.18 \u{2192} node7.alice-secret-hosting.net"),
        "{middle}"
    );
    assert!(!elsewhere.contains("node7.alice"), "{elsewhere}");
}

#[tokio::test]
async fn the_search_follows_a_ptr_as_it_is_changed_reset_added_and_removed() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice
        .save(ALICE_SINGLE, "first-name.alice-hosting.net")
        .await;
    assert!(
        search(&app, "first-name").await.contains(ALICE_SINGLE),
        "arranged"
    );

    alice
        .save(ALICE_SINGLE, "second-name.alice-hosting.net")
        .await;
    let old = search(&app, "first-name").await;
    let new = search(&app, "second-name").await;
    alice.reset(ALICE_SINGLE).await;
    let after_reset = search(&app, "second-name").await;

    assert!(old.contains("Nothing found"), "{old}");
    assert!(new.contains(ALICE_SINGLE), "{new}");
    assert!(after_reset.contains("Nothing found"), "{after_reset}");

    let subnet = app.assignment_id(ALICE_NUMBER, "2001:db8:10::1").await;
    alice
        .add(subnet, "2001:db8:10::25", "v6-entry.alice-hosting.net")
        .await;
    let added = search(&app, "v6-entry").await;
    alice.reset("2001:db8:10::25").await;
    let removed = search(&app, "v6-entry").await;

    assert!(added.contains("2001:db8:10::25"), "{added}");
    assert!(removed.contains("Nothing found"), "{removed}");
}

#[tokio::test]
async fn an_internationalised_fragment_finds_the_name_stored_in_its_ascii_form() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, "shop.bücher-alice.de").await;
    let stored = app.stored_ptr(ALICE_SINGLE).await.unwrap_or_default();
    assert!(
        stored.starts_with("shop.xn--bcher-alice-"),
        "arranged: {stored}"
    );

    let unicode = search(&app, "Bücher-Alice.de").await;
    let ascii = search(&app, "xn--bcher").await;

    for text in [&unicode, &ascii] {
        assert!(text.contains(ALICE_SINGLE), "{text}");
    }
}

#[tokio::test]
async fn a_fragment_of_fewer_than_three_characters_only_finds_a_customer_number() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice
        .save(ALICE_SINGLE, "k2-lookalike.alice-hosting.net")
        .await;

    let number = search(&app, "k2").await;
    let two_letters = search(&app, "al").await;

    assert!(number.contains("K2 Bob Networks Ltd"), "{number}");
    assert!(!number.contains("k2-lookalike"), "{number}");
    assert!(
        number.contains("parts of names need at least 3 characters"),
        "{number}"
    );
    assert!(two_letters.contains("Nothing found"), "{two_letters}");
    assert!(
        two_letters.contains("parts of names need at least 3 characters"),
        "{two_letters}"
    );
}

#[tokio::test]
async fn a_renamed_customer_is_found_by_the_new_name_only() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    admin.get("/admin/customers").await; // a page with the session's CSRF token
    let id = app.customer_id(ALICE_NUMBER).await;

    let renamed = admin
        .post_form(
            &format!("/admin/customers/{id}/rename"),
            &[("name", "Zebra Cloud SE")],
        )
        .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER);

    let new = search(&app, "bra clo").await;
    let old = search(&app, "ce hosting").await;
    assert!(new.contains("K1 Zebra Cloud SE"), "{new}");
    assert!(old.contains("Nothing found"), "{old}");
}

#[tokio::test]
async fn a_server_is_found_by_a_fragment_of_its_name() {
    let app = spawn_app().await;

    let text = search(&app, "ICE-CLU").await;

    assert!(text.contains("Server alice-cluster"), "{text}");
    assert!(!text.contains("bob-edge"), "{text}");
}

#[tokio::test]
async fn the_page_counts_the_assignments_as_they_are_imported_moved_and_removed() {
    let app = spawn_app().await;
    assert_eq!(page_summary(&app, ALICE).await, "3", "arranged");
    let admin = app.signed_in(ADMIN).await;
    admin.get("/admin/customers").await; // a page with the session's CSRF token

    app.import("K1,Alice Hosting GmbH,alice-web,192.0.2.77\n")
        .await;
    let imported = page_summary(&app, ALICE).await;
    let single = app.assignment_id(ALICE_NUMBER, ALICE_SINGLE).await;
    let moved = admin
        .post_form(
            &format!("/admin/assignments/{single}/move"),
            &[("customer", "K2"), ("server", "bob-edge")],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let after_move = (
        page_summary(&app, ALICE).await,
        page_summary(&app, BOB).await,
    );
    let removed = admin
        .post_form(&format!("/admin/assignments/{single}/remove"), &[])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let after_removal = page_summary(&app, BOB).await;

    assert_eq!(imported, "4");
    assert_eq!(after_move, ("3".to_owned(), "4".to_owned()));
    assert_eq!(after_removal, "3");
}

#[tokio::test]
async fn a_customer_with_many_servers_filters_by_part_of_a_server_name() {
    let app = spawn_app().await;
    let csv: String = (1..=11)
        .map(|n| format!("K3,Carol Many Servers,carol-srv-{n:02},10.0.0.{n}\n"))
        .collect();
    app.import(&csv).await;
    let carol = Person {
        username: "carol",
        password: "carol-password",
    };
    app.add_user(carol, Role::Customer, Some("K3")).await;
    let carol = app.signed_in(carol).await;

    let first = carol.get("/ips").await.page();
    let filtered = carol.get("/ips?server_name=SRV-07").await.page();
    let alice = app.signed_in(ALICE).await.get("/ips").await.page();

    let first_has_name_field = first
        .forms()
        .iter()
        .any(|form| form.action == "/ips" && form.input("server_name").is_some());
    let alice_has_name_field = alice
        .forms()
        .iter()
        .any(|form| form.action == "/ips" && form.input("server_name").is_some());
    assert!(first_has_name_field, "a name field");
    assert!(
        !first.text().contains("All servers"),
        "no list of 11 servers"
    );
    assert_eq!(filtered.row_ips(), vec!["10.0.0.7".to_owned()]);
    assert!(alice.text().contains("All servers"), "a list of 3 servers");
    assert!(!alice_has_name_field);
}

#[tokio::test]
async fn showing_a_page_leaves_the_session_cookie_alone_and_a_flash_shows_once() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.get("/ips").await;

    let plain = alice.get("/ips").await;
    alice.save(ALICE_SINGLE, "www.alice-hosting.net").await;
    let with_flash = alice.get("/ips").await;
    let after = alice.get("/ips").await;

    assert_eq!(
        plain.session_cookie(),
        None,
        "nothing changed: no new cookie"
    );
    assert!(
        with_flash
            .page()
            .text()
            .contains("is now www.alice-hosting.net"),
        "the flash is shown"
    );
    assert!(with_flash.session_cookie().is_some(), "the flash was taken");
    assert!(!after.page().text().contains("is now www.alice-hosting.net"));
}

#[tokio::test]
async fn a_compacted_search_index_still_finds_every_name() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice
        .save(ALICE_SINGLE, "compact-me.alice-hosting.net")
        .await;

    ptrdesk::db::lookup::compact_search_indexes(&app.db)
        .await
        .expect("the indexes compact");

    let host = search(&app, "compact-me").await;
    let customer = search(&app, "networks").await;
    let server = search(&app, "bob-ed").await;
    assert!(host.contains(ALICE_SINGLE), "{host}");
    assert!(customer.contains("K2 Bob Networks Ltd"), "{customer}");
    assert!(server.contains("Server bob-edge"), "{server}");
}

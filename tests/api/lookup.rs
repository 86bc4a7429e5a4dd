//! The help-desk's lookup: the search box finds owners by address (also inside a subnet),
//! network, hostname fragment, customer and server; the IP dossier shows everything about an
//! address; "run the checks now" saves nothing; customers never see any of it.

use crate::helpers::api_client as native;
use crate::helpers::{
    ADMIN, ALICE, ALICE_NUMBER, ALICE_SINGLE, BOB, HELPDESK, TestApp, collapse, spawn_app,
};
use ptrdesk::db;
use ptrdesk::domain::ChangeState;
use ptrdesk::domain::finding::{Finding, FindingId, Severity};
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

async fn count(app: &TestApp, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(&app.db.pool)
        .await
        .expect("the table answers")
}

#[tokio::test]
async fn an_address_inside_an_ipv4_slash_29_finds_its_owner() {
    let app = spawn_app().await;

    let text = search(&app, "198.51.100.21").await;

    assert!(text.contains("K1 Alice Hosting GmbH"), "{text}");
    assert!(text.contains("alice-cluster"), "{text}");
    assert!(text.contains("198.51.100.16/29"), "{text}");
    assert!(text.contains("Open 198.51.100.21"), "{text}");
    assert!(!text.contains("Bob Networks"), "{text}");
}

#[tokio::test]
async fn an_address_inside_an_ipv6_slash_64_finds_its_owner() {
    let app = spawn_app().await;

    let alice = search(&app, "2001:db8:10::dead:beef").await;
    let bob = search(&app, "2001:DB8:BB:0::1").await;

    assert!(alice.contains("K1 Alice Hosting GmbH"), "{alice}");
    assert!(alice.contains("alice-mail"), "{alice}");
    assert!(alice.contains("2001:db8:10::/64"), "{alice}");
    assert!(bob.contains("K2 Bob Networks Ltd"), "{bob}");
    assert!(bob.contains("2001:db8:bb::/64"), "{bob}");
}

#[tokio::test]
async fn an_unassigned_address_finds_nothing() {
    let app = spawn_app().await;

    let text = search(&app, "198.51.100.24").await;

    assert!(text.contains("Nothing found"), "{text}");
}

#[tokio::test]
async fn a_network_finds_every_assignment_overlapping_it() {
    let app = spawn_app().await;

    let wide = search(&app, "203.0.113.0/24").await;
    let inside = search(&app, "198.51.100.20/30").await;

    for expected in ["203.0.113.45", "203.0.113.200", "203.0.113.208/29"] {
        assert!(wide.contains(expected), "{expected}: {wide}");
    }
    assert!(!wide.contains("198.51.100.16/29"), "{wide}");
    assert!(inside.contains("198.51.100.16/29"), "{inside}");
    assert!(inside.contains("K1 Alice Hosting GmbH"), "{inside}");
}

#[tokio::test]
async fn a_hostname_fragment_finds_the_entries_that_contain_it() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice
        .save("198.51.100.18", "node7.alice-secret-hosting.net")
        .await;
    assert!(app.stored_ptr("198.51.100.18").await.is_some(), "arranged");

    let text = search(&app, "SECRET-host").await;

    assert!(
        text.contains("198.51.100.18 \u{2192} node7.alice-secret-hosting.net"),
        "{text}"
    );
    assert!(text.contains("K1 Alice Hosting GmbH"), "{text}");
    assert!(text.contains("alice-cluster"), "{text}");
}

#[tokio::test]
async fn a_customer_name_or_number_finds_the_customers_assignments() {
    let app = spawn_app().await;

    let by_name = search(&app, "bob networks").await;
    let by_number = search(&app, "k2").await;

    for text in [&by_name, &by_number] {
        for expected in ["203.0.113.200", "203.0.113.208/29", "2001:db8:bb::/64"] {
            assert!(text.contains(expected), "{expected}: {text}");
        }
        assert!(!text.contains("Alice Hosting"), "{text}");
    }
}

#[tokio::test]
async fn a_server_name_finds_the_assignments_on_it() {
    let app = spawn_app().await;

    let text = search(&app, "alice-clu").await;

    assert!(text.contains("Server alice-cluster"), "{text}");
    assert!(text.contains("198.51.100.16/29"), "{text}");
    assert!(!text.contains("203.0.113.45"), "{text}");
}

#[tokio::test]
async fn the_dossier_shows_owner_entry_open_change_default_and_history() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice
        .save(ALICE_SINGLE, "www.alice-secret-hosting.net")
        .await;
    // A later request the checks rejected, still open.
    let assignment_id = app.assignment_id(ALICE_NUMBER, ALICE_SINGLE).await;
    let findings = [Finding {
        id: FindingId::ProtectedDomain,
        severity: Severity::Error,
        // A finding as stored before sentences were kept language-neutral.
        message: "bank.example is a protected domain.".to_owned(),
        text: None,
        details: Vec::new(),
    }];
    db::changes::insert(
        &app.db.pool,
        &db::changes::NewChange {
            ip: ALICE_SINGLE.parse().expect("an address"),
            assignment_id,
            customer_id: app.customer_id(ALICE_NUMBER).await,
            requested_hostname: Some("login.bank.example"),
            requested_as_sent: Some("login.bank.example"),
            state: ChangeState::Rejected,
            findings: &findings,
            created_by: None,
            next_check_at: None,
            deadline: None,
            at: ptrdesk::clock::now(),
        },
    )
    .await
    .expect("the change is arranged");
    let helpdesk = app.signed_in(HELPDESK).await;

    let reply = helpdesk.get(&format!("/lookup/ip/{ALICE_SINGLE}")).await;

    assert_eq!(reply.status, StatusCode::OK);
    let text = collapse(&reply.page().text());
    for expected in [
        "Owner K1 · Alice Hosting GmbH",
        "Server alice-web",
        "Assignment 203.0.113.45 IPv4 address",
        "PTR in force www.alice-secret-hosting.net (version 1",
        "Open change rejected login.bank.example",
        "protected-domain bank.example is a protected domain.",
        "Provider default",
        "ptr.set",
        "www.alice-secret-hosting.net",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    assert!(
        text.contains("alice"),
        "the history names who did it: {text}"
    );
    assert!(
        text.contains("does not serve a zone for this address"),
        "no DNS listener runs in this test: {text}"
    );
}

#[tokio::test]
async fn the_dossier_of_an_unassigned_address_says_so() {
    let app = spawn_app().await;
    let helpdesk = app.signed_in(HELPDESK).await;

    let reply = helpdesk.get("/lookup/ip/192.0.2.99").await;
    let bad = helpdesk.get("/lookup/ip/not-an-ip").await;

    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply
            .page()
            .text()
            .contains("No assignment holds this address"),
        "{}",
        reply.body
    );
    assert_eq!(bad.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn running_the_checks_now_shows_findings_and_saves_nothing() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice
        .save(ALICE_SINGLE, "www.alice-secret-hosting.net")
        .await;
    let entry_before = app.entry(ALICE_SINGLE).await;
    let changes_before = count(&app, "changes").await;
    let audit_before = count(&app, "audit").await;
    let helpdesk = app.signed_in(HELPDESK).await;

    let reply = helpdesk
        .get(&format!("/lookup/ip/{ALICE_SINGLE}?hostname=x&run=1"))
        .await;
    let suggested = helpdesk
        .get(&format!("/lookup/ip/{ALICE_SINGLE}?run=1"))
        .await;

    assert_eq!(reply.status, StatusCode::OK);
    let text = collapse(&reply.page().text());
    assert!(text.contains("Findings for x now:"), "{text}");
    assert!(text.contains("error:"), "a one-label name fails: {text}");
    let suggested = collapse(&suggested.page().text());
    assert!(
        suggested.contains("Findings for www.alice-secret-hosting.net now:"),
        "{suggested}"
    );
    assert_eq!(
        app.entry(ALICE_SINGLE).await,
        entry_before,
        "entry unchanged"
    );
    assert_eq!(
        count(&app, "changes").await,
        changes_before,
        "no change row"
    );
    assert_eq!(count(&app, "audit").await, audit_before, "no audit row");
}

#[tokio::test]
async fn an_admin_may_use_the_lookup_too() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;

    let reply = admin.get("/lookup?q=203.0.113.210").await;

    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.page().text().contains("Bob Networks Ltd"));
}

#[tokio::test]
async fn a_customer_gets_404_on_every_lookup_and_audit_route() {
    let app = spawn_app().await;
    let bob = app.signed_in(BOB).await;

    for path in [
        "/lookup".to_owned(),
        "/lookup?q=203.0.113.45".to_owned(),
        "/lookup?q=alice".to_owned(),
        format!("/lookup/ip/{ALICE_SINGLE}"),
        format!("/lookup/ip/{ALICE_SINGLE}?run=1&hostname=www.example.com"),
        "/lookup/ip/203.0.113.200".to_owned(),
        "/admin/audit".to_owned(),
        "/admin/audit?customer=K1".to_owned(),
        "/admin/audit.csv".to_owned(),
    ] {
        let reply = bob.get(&path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!reply.body.contains("Alice Hosting"), "{path}");
    }
}

#[tokio::test]
async fn a_visitor_is_sent_to_sign_in() {
    let app = spawn_app().await;
    let visitor = app.visitor();

    for path in [
        "/lookup",
        "/lookup/ip/203.0.113.45",
        "/admin/audit",
        "/admin/audit.csv",
    ] {
        let reply = visitor.get(path).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(reply.location.as_deref(), Some("/login"), "{path}");
    }
}

#[tokio::test]
async fn with_dns_publishing_the_dossier_shows_what_the_embedded_dns_answers() {
    let app = crate::helpers::dns_app::spawn_dns_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, "www.alice-hosting.net").await;
    let dns = app.udp();
    let (_, saved) = dns.ptr(ALICE_SINGLE).await;
    let (_, default) = dns.ptr("198.51.100.20").await;
    let helpdesk = app.signed_in(HELPDESK).await;

    let saved_page = helpdesk.get(&format!("/lookup/ip/{ALICE_SINGLE}")).await;
    let default_page = helpdesk.get("/lookup/ip/198.51.100.20").await;

    let saved_text = collapse(&saved_page.page().text());
    assert!(
        saved_text.contains("ptrdesk's DNS (zone 113.0.203.in-addr.arpa , serial"),
        "{saved_text}"
    );
    assert!(
        saved_text.contains(&format!("answers PTR {} .", saved[0])),
        "{saved_text}"
    );
    let default_text = collapse(&default_page.page().text());
    assert!(
        default_text.contains(&format!("answers PTR {} .", default[0])),
        "{default_text}"
    );
    assert!(
        default_text.contains("Provider default static.20.100.51.198.clients.example.net"),
        "{default_text}"
    );
}

/// The search page of `app`, polled until it shows `expected` (another node follows the
/// change log every quarter second); the last page seen.
async fn search_until(app: &TestApp, q: &str, expected: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    loop {
        let text = search(app, q).await;
        if text.contains(expected) || std::time::Instant::now() > deadline {
            return text;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_ptr_saved_on_one_node_is_found_by_its_fragment_on_the_same_node_at_once_and_on_another_soon()
 {
    let node_a = spawn_app().await;
    let node_b = node_a.restart().await;
    // Both nodes' host-name indexes hold the name before it changes.
    let alice = node_a.signed_in(ALICE).await;
    alice.save("198.51.100.19", "first.alice-indexed.net").await;
    let _ = search_until(&node_b, "alice-indexed", "first.alice-indexed.net").await;

    alice
        .save("198.51.100.19", "second.alice-renamed.net")
        .await;
    alice.save("198.51.100.20", "third.alice-indexed.net").await;

    let on_a = search(&node_a, "alice-renamed").await;
    assert!(
        on_a.contains("198.51.100.19 \u{2192} second.alice-renamed.net"),
        "{on_a}"
    );
    let on_b = search_until(&node_b, "alice-renamed", "second.alice-renamed.net").await;
    assert!(
        on_b.contains("198.51.100.19 \u{2192} second.alice-renamed.net"),
        "{on_b}"
    );
    // The old name is gone, the other address still found, on both nodes.
    for node in [&node_a, &node_b] {
        let old = search_until(node, "alice-indexed", "third.alice-indexed.net").await;
        assert!(
            old.contains("198.51.100.20 \u{2192} third.alice-indexed.net"),
            "{old}"
        );
        assert!(!old.contains("first.alice-indexed.net"), "{old}");
        assert!(!old.contains("198.51.100.19"), "{old}");
    }
}

#[tokio::test]
async fn the_host_name_index_narrows_a_fragment_to_the_entries_that_hold_it_and_follows_changes() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice
        .save("198.51.100.18", "www.quarz-logistik-049997.de")
        .await;
    alice
        .save("198.51.100.21", "mail.quarz-logistik-049998.de")
        .await;
    // An index on its own connection pool: a node that did not make the saves.
    let other_node = db::Db::connect(&app.database_url)
        .await
        .expect("a second pool");
    let index = ptrdesk::search::HostnameIndex::new(&other_node);
    index.catch_up().await.expect("the index loads");

    let quarz = index.matching("quarz-logistik", 0, 10).expect("loaded");
    let across = index
        .matching("w.quarz-logistik-049997.d", 0, 10)
        .expect("loaded");
    assert_eq!(quarz.0.len(), 2, "{quarz:?}");
    assert_eq!(across.0.len(), 1, "{across:?}");
    assert_eq!(
        index.matching("nothing-like-it", 0, 10),
        Some((Vec::new(), false))
    );
    assert_eq!(
        index.matching("7.d", 0, 10).map(|found| found.0.len()),
        Some(1),
        "shorter than a trigram on each side of the dot"
    );

    alice
        .save("198.51.100.22", "api.quarz-logistik-049997.de")
        .await;
    index.catch_up().await.expect("the index follows");
    let mut conn = other_node.pool.acquire().await.expect("a connection");
    let hits = ptrdesk::search::hostnames_containing(
        &index,
        &mut conn,
        other_node.engine,
        "QUARZ-logistik-049997",
        10,
    )
    .await
    .expect("the search runs");

    let found: Vec<String> = hits
        .iter()
        .map(|hit| format!("{} {}", hit.ip, hit.hostname))
        .collect();
    assert_eq!(
        found,
        [
            "198.51.100.18 www.quarz-logistik-049997.de",
            "198.51.100.22 api.quarz-logistik-049997.de"
        ]
    );
}

#[tokio::test]
async fn a_fragment_shorter_than_a_trigram_on_each_side_of_its_dots_is_found() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.save("198.51.100.18", "mx.alice-short.net").await;
    alice.save("198.51.100.21", "ns.de.alice-short.net").await;

    let across = search(&app, "x.al").await;
    let inner = search(&app, "s.de.a").await;
    let elsewhere = search(&app, "y.al").await;

    assert!(
        across.contains("198.51.100.18 \u{2192} mx.alice-short.net"),
        "{across}"
    );
    assert!(!across.contains("ns.de.alice-short.net"), "{across}");
    assert!(
        inner.contains("198.51.100.21 \u{2192} ns.de.alice-short.net"),
        "{inner}"
    );
    assert!(!inner.contains("mx.alice-short.net"), "{inner}");
    assert!(!elsewhere.contains("alice-short.net"), "{elsewhere}");
}

#[tokio::test]
async fn a_common_fragment_shows_its_first_matches_in_address_order() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    // More matches than a search looks at, written in the reverse of their address order (so
    // the entries' row ids run the other way).
    let total = usize::try_from(db::lookup::MAX_MATCHES).expect("small") + 99;
    let addresses: Vec<String> = (1..=total)
        .rev()
        .map(|n| format!("2001:db8:10::{n:x}"))
        .collect();
    let names: Vec<String> = (1..=total)
        .rev()
        .map(|n| format!("h{n}.common-everywhere.example.com"))
        .collect();
    let changes: Vec<(&str, Option<&str>)> = addresses
        .iter()
        .zip(&names)
        .map(|(ip, name)| (ip.as_str(), Some(name.as_str())))
        .collect();
    let reply = native::bulk(&alice, &changes, false, true).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    let index = ptrdesk::search::HostnameIndex::new(&app.db);
    let mut conn = app.db.pool.acquire().await.expect("a connection");
    let hits = ptrdesk::search::hostnames_containing(
        &index,
        &mut conn,
        app.db.engine,
        "common-everywhere",
        db::lookup::MAX_MATCHES,
    )
    .await
    .expect("the search runs");

    let found: Vec<String> = hits.iter().map(|hit| hit.ip.to_string()).collect();
    let expected: Vec<String> = (1..=db::lookup::MAX_MATCHES)
        .map(|n| format!("2001:db8:10::{n:x}"))
        .collect();
    assert_eq!(found, expected);
    let page = search(&app, "common-everywhere").await;
    assert!(
        page.contains("2001:db8:10::1 \u{2192} h1.common-everywhere.example.com"),
        "{page}"
    );
    assert!(!page.contains("h1100.common-everywhere"), "{page}");
}

#[tokio::test]
async fn a_search_right_after_start_waits_for_the_host_name_index() {
    let app = spawn_app().await;
    app.signed_in(ALICE)
        .await
        .save("198.51.100.18", "www.just-started.net")
        .await;

    // A node that has only just started, and an index nobody loaded.
    let started = app.restart().await;
    let text = search(&started, "just-started").await;
    let index = ptrdesk::search::HostnameIndex::new(&app.db);
    let mut conn = app.db.pool.acquire().await.expect("a connection");
    let hits =
        ptrdesk::search::hostnames_containing(&index, &mut conn, app.db.engine, "just-started", 10)
            .await
            .expect("the search loads the index");

    assert!(
        text.contains("198.51.100.18 \u{2192} www.just-started.net"),
        "{text}"
    );
    assert_eq!(hits.len(), 1);
    assert!(index.generation().is_some(), "loaded");
}

//! The write path under concurrency (issue 24): what one person does while another action is
//! half-way through. A held DNS server pauses a save in the middle of its checks while the
//! other action happens; what DNS then answers, and what is stored, is what a user notices.

use crate::helpers::dns_app::{DnsApp, spawn_dns_app_with};
use crate::helpers::dns_server::{DnsServer, Zone};
use crate::helpers::held_dns::HeldDns;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

/// Alice's name for an address of her IPv6 subnet; it resolves to that address.
const ALICE_NAME: &str = "mail.alice-hosting.net";
/// An address inside Alice's IPv6 subnet without an entry yet.
const ALICE_V6_ADDRESS: &str = "2001:db8:10::99";
/// Longest wait for something that happens at once.
const PROMPTLY: Duration = Duration::from_secs(10);

/// A DNS server where `ALICE_NAME` resolves to `ALICE_V6_ADDRESS`, behind a relay that holds
/// every question until the test lets it through.
async fn held_dns() -> (DnsServer, HeldDns) {
    let dns = DnsServer::serving([
        Zone::new("net"),
        Zone::new("alice-hosting.net").aaaa(ALICE_NAME, ALICE_V6_ADDRESS),
    ])
    .await;
    let held = HeldDns::in_front_of(dns.address).await;
    (dns, held)
}

/// A panel serving DNS whose checks ask `held` and wait for it as long as the test needs.
async fn app_asking(held: &HeldDns) -> DnsApp {
    let server = held.address.to_string();
    spawn_dns_app_with(|settings| {
        settings.dns_checks = true;
        settings.dns_servers = vec![server];
        settings.check_mode = ptrdesk::domain::CheckMode::Resolver;
        settings.dns_timeout_ms = 30_000;
        settings.check_budget_ms = 30_000;
    })
    .await
}

/// A signed-in admin whose browser holds the session's CSRF token.
async fn admin_of(app: &TestApp) -> TestUser {
    let admin = app.signed_in(ADMIN).await;
    let start = admin.get("/").await.location.expect("a start page");
    assert_eq!(admin.get(&start).await.status, StatusCode::OK);
    admin
}

/// Open (not superseded, not published) changes of `ip`.
async fn open_changes(app: &TestApp, ip: &str) -> i64 {
    let key = ptrdesk::domain::address_key(ip.parse().expect("an address"));
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM changes WHERE address = $1 AND superseded_by IS NULL \
           AND state <> 'published'",
    )
    .bind(key)
    .fetch_one(&app.db.pool)
    .await
    .expect("the changes table answers")
}

#[tokio::test]
async fn a_ptr_added_while_its_subnet_moves_to_another_customer_is_refused_and_never_served() {
    let (_dns, held) = held_dns().await;
    let app = app_asking(&held).await;
    let alice = app.signed_in(ALICE).await;
    let admin = admin_of(&app).await;
    let subnet = app.assignment_id(ALICE_NUMBER, ALICE_V6_ADDRESS).await;

    let move_midway = async {
        held.first_question(PROMPTLY).await;
        let moved = admin
            .post_form(
                &format!("/admin/assignments/{subnet}/move"),
                &[("customer", "K2"), ("server", "bob-edge")],
            )
            .await;
        held.let_through();
        moved
    };
    let (added, moved) = tokio::join!(alice.add(subnet, ALICE_V6_ADDRESS, ALICE_NAME), move_midway);

    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert_eq!(
        added.status,
        StatusCode::NOT_FOUND,
        "the address is no longer Alice's: {}",
        added.body
    );
    assert_eq!(app.stored_ptr(ALICE_V6_ADDRESS).await, None);
    assert_eq!(open_changes(&app, ALICE_V6_ADDRESS).await, 0);
    let (_, served) = app.udp().ptr(ALICE_V6_ADDRESS).await;
    assert!(
        !served.contains(&ALICE_NAME.to_owned()),
        "DNS answers Alice's name on Bob's address: {served:?}"
    );
}

/// The id of `ip`'s open change.
async fn open_change_id(app: &TestApp, ip: &str) -> i64 {
    let key = ptrdesk::domain::address_key(ip.parse().expect("an address"));
    sqlx::query_scalar(
        "SELECT id FROM changes WHERE address = $1 AND superseded_by IS NULL \
           AND state <> 'published'",
    )
    .bind(key)
    .fetch_one(&app.db.pool)
    .await
    .expect("an open change")
}

/// Puts assignment `assignment` on Bob's server by SQL, without resetting anything: what a
/// database written by an earlier version holds (its save recorded the change after the
/// move), and what any way around the move form leaves behind.
async fn hand_to_bob_behind_the_panels_back(app: &TestApp, assignment: i64) {
    let bob_edge = app.server_id("K2", "bob-edge").await;
    sqlx::query("UPDATE assignments SET server_id = $1 WHERE id = $2")
        .bind(bob_edge)
        .bind(assignment)
        .execute(&app.db.pool)
        .await
        .expect("the assignment moves");
}

#[tokio::test]
async fn a_bulk_item_whose_subnet_moves_to_another_customer_during_the_checks_is_not_applied() {
    let (_dns, held) = held_dns().await;
    let app = app_asking(&held).await;
    let alice = app.api_client(ALICE_NUMBER).await;
    let admin = admin_of(&app).await;
    let subnet = app.assignment_id(ALICE_NUMBER, ALICE_V6_ADDRESS).await;

    let move_midway = async {
        held.first_question(PROMPTLY).await;
        let moved = admin
            .post_form(
                &format!("/admin/assignments/{subnet}/move"),
                &[("customer", "K2"), ("server", "bob-edge")],
            )
            .await;
        held.let_through();
        moved
    };
    let (reply, moved) = tokio::join!(
        crate::helpers::api_client::bulk(
            &alice,
            &[(ALICE_V6_ADDRESS, Some(ALICE_NAME))],
            false,
            false
        ),
        move_midway
    );

    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        reply.json()["items"][0]["error"]["code"],
        "IP_NOT_FOUND",
        "{}",
        reply.body
    );
    assert_eq!(app.stored_ptr(ALICE_V6_ADDRESS).await, None);
    assert_eq!(open_changes(&app, ALICE_V6_ADDRESS).await, 0);
    let (_, served) = app.udp().ptr(ALICE_V6_ADDRESS).await;
    assert!(!served.contains(&ALICE_NAME.to_owned()), "{served:?}");
}

#[tokio::test]
async fn the_background_recheck_never_publishes_a_pending_name_on_an_address_its_customer_lost() {
    let dns = DnsServer::serving([Zone::new("net"), Zone::new("alice-hosting.net")]).await;
    let server = dns.address.to_string();
    let app = spawn_dns_app_with(|settings| {
        settings.dns_checks = true;
        settings.dns_servers = vec![server];
        settings.check_mode = ptrdesk::domain::CheckMode::Resolver;
    })
    .await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, ALICE_NAME).await;
    assert_eq!(
        open_changes(&app, ALICE_SINGLE).await,
        1,
        "a pending change"
    );
    let single = app.assignment_id(ALICE_NUMBER, ALICE_SINGLE).await;
    hand_to_bob_behind_the_panels_back(&app, single).await;
    dns.add_a(ALICE_NAME, ALICE_SINGLE).await;

    let summary =
        ptrdesk::changes::recheck_pending(&app.db, &app.engine(), ptrdesk::clock::now() + 3600)
            .await
            .expect("the re-check runs");

    assert_eq!(summary.published, 0, "{summary:?}");
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
    let (_, served) = app.udp().ptr(ALICE_SINGLE).await;
    assert!(
        !served.contains(&ALICE_NAME.to_owned()),
        "DNS answers Alice's name on Bob's address: {served:?}"
    );
    assert_eq!(open_changes(&app, ALICE_SINGLE).await, 0);
    let last = app.audit(ALICE_SINGLE).await.pop().expect("an audit row");
    assert_eq!(
        (last.action.as_str(), last.new_value.as_deref()),
        ("change.superseded", Some(ALICE_NAME))
    );
}

#[tokio::test]
async fn approving_a_change_whose_address_its_customer_lost_publishes_nothing_and_says_why() {
    let app = crate::helpers::dns_app::spawn_dns_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, "node.alice.local").await; // rejected: a reserved name
    let change = open_change_id(&app, ALICE_SINGLE).await;
    let single = app.assignment_id(ALICE_NUMBER, ALICE_SINGLE).await;
    hand_to_bob_behind_the_panels_back(&app, single).await;
    let admin = admin_of(&app).await;

    let reply = admin
        .post_form(
            &format!("/admin/review/{change}/approve"),
            &[("note", "Fine by us.")],
        )
        .await;

    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let text = admin.get("/admin/review").await.page().text();
    assert!(text.contains("no longer belongs to the customer"), "{text}");
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
    let (_, served) = app.udp().ptr(ALICE_SINGLE).await;
    assert!(
        !served.contains(&"node.alice.local".to_owned()),
        "{served:?}"
    );
    assert_eq!(open_changes(&app, ALICE_SINGLE).await, 0);
    let last = app.audit(ALICE_SINGLE).await.pop().expect("an audit row");
    assert_eq!(
        (last.action.as_str(), last.actor.as_str()),
        ("change.superseded", "root")
    );
}

/// Waits until `task` finished or, on PostgreSQL, some connection waits for a lock (the task
/// is blocked behind the test's open transaction); SQLite serialises writers before they
/// start, so there it waits only for the task to be running.
async fn finished_or_waiting_for_a_lock<T>(app: &TestApp, task: &tokio::task::JoinHandle<T>) {
    if app.db.engine != ptrdesk::db::Engine::Postgres {
        tokio::task::yield_now().await;
        return;
    }
    crate::helpers::dns_app::wait_until(PROMPTLY, "the save finishes or waits", || async {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(&app.db.pool)
        .await
        .expect("pg_stat_activity answers");
        task.is_finished() || waiting > 0
    })
    .await;
}

#[tokio::test]
async fn a_save_while_a_move_of_its_subnet_is_being_written_does_not_survive_the_move() {
    let app = spawn_app().await;
    let alice_id = app.customer_id(ALICE_NUMBER).await;
    let ip: std::net::IpAddr = ALICE_V6_ADDRESS.parse().expect("an address");
    let owned = ptrdesk::db::inventory::owned_ip(&app.db.pool, alice_id, ip)
        .await
        .expect("the ownership query answers")
        .expect("Alice's address");
    let subnet = owned.assignment_id();
    let bob_edge = app.server_id("K2", "bob-edge").await;
    let request = ptrdesk::changes::ChangeRequest {
        owned,
        requested: ptrdesk::changes::Requested::Hostname("mail.alice-hosting.de".to_owned()),
        based_on_version: Some(0),
        door: ptrdesk::domain::Door::Page,
        actor: ptrdesk::db::audit::Actor {
            user_id: None,
            name: "alice".to_owned(),
            source: "127.0.0.1".to_owned(),
        },
    };

    // The move as the admin form writes it: lock, read what to reset (nothing yet), move.
    let mut moving = app.db.begin_write().await.expect("a transaction");
    ptrdesk::db::admin::lock_assignment(&mut moving, subnet)
        .await
        .expect("the lock");
    let to_reset = ptrdesk::db::admin::addresses_to_reset(&mut *moving, subnet)
        .await
        .expect("the reset list");
    assert!(to_reset.is_empty());
    let (db, engine) = (app.db.clone(), app.engine());
    let save = tokio::spawn(async move { ptrdesk::changes::submit(&db, &engine, request).await });
    finished_or_waiting_for_a_lock(&app, &save).await;
    ptrdesk::db::admin::move_assignment(&mut *moving, subnet, bob_edge)
        .await
        .expect("the move");
    moving.commit().await.expect("the move commits");
    let saved = save.await.expect("the save task");

    assert!(
        matches!(saved, Err(ptrdesk::changes::SubmitError::NotOwned)),
        "{saved:?}"
    );
    assert_eq!(app.stored_ptr(ALICE_V6_ADDRESS).await, None);
    assert_eq!(open_changes(&app, ALICE_V6_ADDRESS).await, 0);
}

/// How many assignments hold `ip`.
async fn holders_of(app: &TestApp, ip: &str) -> i64 {
    let key = ptrdesk::domain::address_key(ip.parse().expect("an address"));
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM assignments WHERE first_addr <= $1 AND last_addr >= $1",
    )
    .bind(key)
    .fetch_one(&app.db.pool)
    .await
    .expect("the assignments table answers")
}

/// What the admin form does in its transaction: look for an overlap, and add when there is
/// none. `Ok(false)`: refused as overlapping.
async fn add_as_the_form_does(
    db: &ptrdesk::db::Db,
    server: i64,
    network: &str,
) -> Result<bool, sqlx::Error> {
    let network = ptrdesk::domain::Network::parse(network).expect("a network");
    let mut tx = db.begin_write().await?;
    if ptrdesk::db::inventory::overlapping(&mut *tx, &network)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    ptrdesk::db::inventory::insert_assignment(&mut *tx, server, &network, 0).await?;
    tx.commit().await?;
    Ok(true)
}

#[tokio::test]
async fn two_admins_adding_overlapping_networks_at_the_same_moment_leave_one_owner() {
    let app = spawn_app().await;
    let alice_mail = app.server_id(ALICE_NUMBER, "alice-mail").await;
    let bob_edge = app.server_id("K2", "bob-edge").await;
    let network = ptrdesk::domain::Network::parse("2001:db8:77::/48").expect("a network");

    // The first admin's transaction has checked and added, and is not committed yet.
    let mut first = app.db.begin_write().await.expect("a transaction");
    let overlap = ptrdesk::db::inventory::overlapping(&mut *first, &network)
        .await
        .expect("the check");
    assert_eq!(overlap, None);
    ptrdesk::db::inventory::insert_assignment(&mut *first, alice_mail, &network, 0)
        .await
        .expect("the first add");
    let db = app.db.clone();
    let second =
        tokio::spawn(async move { add_as_the_form_does(&db, bob_edge, "2001:db8:77::/64").await });
    finished_or_waiting_for_a_lock(&app, &second).await;
    first.commit().await.expect("the first add commits");
    let second = second.await.expect("the second add's task");

    assert!(
        !matches!(second, Ok(true)),
        "the second, overlapping network was added too"
    );
    assert_eq!(holders_of(&app, "2001:db8:77::1").await, 1);
}

#[tokio::test]
async fn ipv6_networks_that_cover_ipv4_addresses_are_refused_even_where_none_is_assigned_yet() {
    let app = spawn_app().await;
    // A provider with IPv6 assignments only, so far: nothing in the IPv4 key space to overlap.
    sqlx::query("DELETE FROM assignments WHERE family = 4")
        .execute(&app.db.pool)
        .await
        .expect("the IPv4 assignments go");
    let admin = admin_of(&app).await;
    let bob = app.customer_id("K2").await;
    let bob_edge = app.server_id("K2", "bob-edge").await.to_string();

    for network in [
        "::/64",
        "::fffe:0:0/95",
        "::ffff:0:0/96",
        "::ffff:203.0.113.0/120",
    ] {
        let reply = admin
            .post_form(
                &format!("/admin/customers/{bob}/assignments"),
                &[("server", bob_edge.as_str()), ("network", network)],
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{network} was added"
        );
        assert!(reply.page().text().contains("IPv4"), "{}", reply.body);
        let csv = format!("K2,Bob Networks Ltd,bob-edge,{network}\n");
        let imported =
            ptrdesk::import::import_assignments(&app.db, None, &csv, &ptrdesk::import::cli_actor())
                .await;
        assert!(imported.is_err(), "{network} was imported");
    }
    assert_eq!(holders_of(&app, ALICE_SINGLE).await, 0);
}

/// Alice's and Bob's single addresses.
const SINGLES_ZONE: &str = "113.0.203.in-addr.arpa";
/// Bob's IPv6 subnet.
const BOB_V6_ZONE: &str = "b.b.0.0.8.b.d.0.1.0.0.2.ip6.arpa";
/// Alice's IPv4 subnet.
const ALICE_SUBNET_ZONE: &str = "100.51.198.in-addr.arpa";

/// A panel serving DNS, transferring zones to 127.0.0.1, whose zone sync runs only at start
/// (then once an hour): whatever moves a serial in these tests is the change itself.
async fn dns_app_without_periodic_sync() -> DnsApp {
    spawn_dns_app_with(|settings| {
        settings.dns_sync_interval_seconds = 3600;
        settings.dns_secondaries = vec!["127.0.0.1".to_owned()];
    })
    .await
}

/// One round of the zone sync, as every node runs it periodically.
async fn zone_sync(app: &TestApp) {
    let publishing = ptrdesk::dns::Publishing::from_settings(&Default::default())
        .expect("the default settings publish");
    ptrdesk::dns::sync::sync_all(&app.db, &publishing, ptrdesk::clock::now())
        .await
        .expect("the zone sync runs");
}

/// The serial of zone `name` as stored.
async fn stored_serial(app: &TestApp, name: &str) -> i64 {
    ptrdesk::db::zones::list(&app.db.pool)
        .await
        .expect("the zones table answers")
        .into_iter()
        .find(|row| row.name == name)
        .unwrap_or_else(|| panic!("{name} has a row"))
        .serial
}

#[tokio::test]
async fn an_address_an_admin_adds_or_removes_is_answered_only_under_a_new_serial() {
    let app = dns_app_without_periodic_sync().await;
    let admin = admin_of(&app).await;
    let bob = app.customer_id("K2").await;
    let bob_edge = app.server_id("K2", "bob-edge").await.to_string();
    let dns = app.udp();
    let before = dns.serial(SINGLES_ZONE).await;

    let added = admin
        .post_form(
            &format!("/admin/customers/{bob}/assignments"),
            &[("server", bob_edge.as_str()), ("network", "203.0.113.50")],
        )
        .await;

    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let (_, answered) = dns.ptr("203.0.113.50").await;
    assert!(!answered.is_empty(), "the new address has its default name");
    let after_add = dns.serial(SINGLES_ZONE).await;
    assert!(
        after_add > before,
        "new content under the old serial {before}"
    );

    let assignment = app.assignment_id("K2", "203.0.113.50").await;
    let removed = admin
        .post_form(&format!("/admin/assignments/{assignment}/remove"), &[])
        .await;

    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    let (_, answered) = dns.ptr("203.0.113.50").await;
    assert!(answered.is_empty(), "{answered:?}");
    let after_remove = dns.serial(SINGLES_ZONE).await;
    assert!(
        after_remove > after_add,
        "a removed address under the serial {after_add} that still had it"
    );
}

#[tokio::test]
async fn a_zone_that_comes_back_after_the_sync_retired_it_is_transferred_under_a_newer_serial() {
    let app = dns_app_without_periodic_sync().await;
    let admin = admin_of(&app).await;
    let bob = app.customer_id("K2").await;
    let bob_edge = app.server_id("K2", "bob-edge").await.to_string();
    let subnet = app.assignment_id("K2", "2001:db8:bb::1").await;
    zone_sync(&app).await;
    let removed = admin
        .post_form(&format!("/admin/assignments/{subnet}/remove"), &[])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    zone_sync(&app).await;
    let retired = stored_serial(&app, BOB_V6_ZONE).await;

    let added = admin
        .post_form(
            &format!("/admin/customers/{bob}/assignments"),
            &[
                ("server", bob_edge.as_str()),
                ("network", "2001:db8:bb::/64"),
            ],
        )
        .await;

    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let transferred = app
        .tcp()
        .await
        .axfr(BOB_V6_ZONE)
        .await
        .expect("the zone transfers");
    let serial = crate::helpers::dns_app::soa_serial(&transferred).expect("a SOA");
    assert!(
        i64::from(serial) > retired,
        "the zone came back under the serial {serial} it was retired with"
    );
}

#[tokio::test]
async fn a_bulk_change_of_many_addresses_moves_their_zones_serial_once() {
    bulk_of_many_addresses_moves_their_zones_serial_once(true).await;
}

#[tokio::test]
async fn a_non_atomic_bulk_change_of_many_addresses_moves_their_zones_serial_once() {
    bulk_of_many_addresses_moves_their_zones_serial_once(false).await;
}

/// An atomic (or non-atomic) bulk change of Alice's 8 subnet addresses moves their zone's
/// serial once, not once per item.
async fn bulk_of_many_addresses_moves_their_zones_serial_once(atomic: bool) {
    let app = dns_app_without_periodic_sync().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    zone_sync(&app).await;
    let before = stored_serial(&app, ALICE_SUBNET_ZONE).await;
    let names: Vec<String> = (0..ALICE_V4_ADDRESSES.len())
        .map(|n| format!("node{n}.alice-hosting.de"))
        .collect();
    let changes: Vec<(&str, Option<&str>)> = ALICE_V4_ADDRESSES
        .iter()
        .zip(&names)
        .map(|(ip, name)| (*ip, Some(name.as_str())))
        .collect();

    let reply = crate::helpers::api_client::bulk(&alice, &changes, false, atomic).await;

    let now = ptrdesk::clock::now();
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["summary"]["published"], 8, "{}", reply.body);
    let after = stored_serial(&app, ALICE_SUBNET_ZONE).await;
    assert!(
        after <= (before + 1).max(now),
        "the serial moved from {before} to {after} at {now}: once per item, not once"
    );
}

/// `count` changes of addresses `PREFIX::1` to `PREFIX::count` of an IPv6 subnet, in that
/// order or the reverse; the lock buckets of two subnets' addresses with the same last bits
/// coincide, so two such batches in opposite orders cross each other's path.
fn batch(prefix: &str, count: u16, reverse: bool) -> Vec<(String, String)> {
    let mut items: Vec<(String, String)> = (1..=count)
        .map(|n| (format!("{prefix}{n:x}"), format!("host{n}.example.com")))
        .collect();
    if reverse {
        items.reverse();
    }
    items
}

async fn send_batch(client: &crate::helpers::api::ApiClient, items: &[(String, String)]) -> Value {
    let changes: Vec<(&str, Option<&str>)> = items
        .iter()
        .map(|(ip, name)| (ip.as_str(), Some(name.as_str())))
        .collect();
    let reply = crate::helpers::api_client::bulk(client, &changes, false, true).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

#[tokio::test]
async fn two_customers_bulk_changes_at_the_same_moment_both_succeed() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    let bob = app.api_client("K2").await;
    let alices = batch("2001:db8:10::", 300, false);
    let bobs = batch("2001:db8:bb::", 300, true);

    let (alice_reply, bob_reply) =
        tokio::join!(send_batch(&alice, &alices), send_batch(&bob, &bobs));

    for reply in [&alice_reply, &bob_reply] {
        assert_eq!(reply["applied"], true, "{reply}");
        assert_eq!(reply["summary"]["published"], 300, "{reply}");
    }
    assert_eq!(
        app.stored_ptr("2001:db8:bb::96").await.as_deref(),
        Some("host150.example.com")
    );
}

#[tokio::test]
async fn a_single_save_while_another_customer_runs_a_bulk_change_succeeds() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    let bob = app.api_client("K2").await;
    let alices = batch("2001:db8:10::", 300, false);

    let single = async {
        let mut saved = Vec::new();
        for n in (1..=300u16).rev().step_by(30) {
            let ip = format!("2001:db8:bb::{n:x}");
            saved.push(bob.post_ptr(&ip, "edge.example.com").await.status);
        }
        saved
    };
    let (alice_reply, saved) = tokio::join!(send_batch(&alice, &alices), single);

    assert_eq!(alice_reply["summary"]["published"], 300, "{alice_reply}");
    assert!(saved.iter().all(|status| status.is_success()), "{saved:?}");
}

#[tokio::test]
async fn checks_run_again_by_one_admin_do_not_replace_the_findings_of_a_change_another_approved_meanwhile()
 {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice
        .save(ALICE_SINGLE, "203-0-113-45.alice-hosting.net")
        .await; // rejected: it embeds the address
    let change = open_change_id(&app, ALICE_SINGLE).await;
    let admin = admin_of(&app).await;
    let approved = admin
        .post_form(
            &format!("/admin/review/{change}/approve"),
            &[("note", "Their naming scheme.")],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);

    // The other admin's "run the checks again" started before the approval and ends now.
    let stored =
        ptrdesk::db::changes::update_findings(&app.db.pool, change, &[], ptrdesk::clock::now())
            .await
            .expect("the changes table answers");

    assert!(!stored, "the findings of a published change were replaced");
    let findings: String = sqlx::query_scalar("SELECT findings FROM changes WHERE id = $1")
        .bind(change)
        .fetch_one(&app.db.pool)
        .await
        .expect("the change");
    assert!(findings.contains("embeds-ip"), "{findings}");
}

/// Makes the database refuse to store a change asking for `name`, as a failing disk or a
/// lost connection would refuse a write half-way through a batch.
async fn database_refuses_changes_for(app: &TestApp, name: &str) {
    let statements: Vec<String> = match app.db.engine {
        ptrdesk::db::Engine::Sqlite => vec![format!(
            "CREATE TRIGGER refuse_test_name BEFORE INSERT ON changes \
             WHEN NEW.requested_hostname = '{name}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )],
        ptrdesk::db::Engine::Postgres => vec![
            format!(
                "CREATE FUNCTION refuse_test_name() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN IF NEW.requested_hostname = '{name}' THEN RAISE EXCEPTION 'refused'; END IF; \
                 RETURN NEW; END; $$"
            ),
            "CREATE TRIGGER refuse_test_name BEFORE INSERT ON changes \
             FOR EACH ROW EXECUTE FUNCTION refuse_test_name()"
                .to_owned(),
        ],
    };
    for statement in statements {
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
            .execute(&app.db.pool)
            .await
            .expect("the trigger is created");
    }
}

#[tokio::test]
async fn a_batch_item_the_database_refuses_fails_alone_and_the_answer_says_what_was_applied() {
    let app = spawn_app().await;
    database_refuses_changes_for(&app, "refused.example.com").await;
    let alice = app.api_client(ALICE_NUMBER).await;

    let reply = crate::helpers::api_client::bulk(
        &alice,
        &[
            (ALICE_V4_ADDRESSES[0], Some("node0.example.com")),
            (ALICE_V4_ADDRESSES[1], Some("refused.example.com")),
            (ALICE_V4_ADDRESSES[2], Some("node2.example.com")),
        ],
        false,
        false,
    )
    .await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let answer = reply.json();
    assert_eq!(answer["items"][0]["state"], "published", "{answer}");
    assert_eq!(
        answer["items"][1]["error"]["code"], "WRITE_FAILED",
        "{answer}"
    );
    assert_eq!(answer["items"][2]["state"], "published", "{answer}");
    assert_eq!(
        app.stored_ptr(ALICE_V4_ADDRESSES[0]).await.as_deref(),
        Some("node0.example.com")
    );
    assert_eq!(app.stored_ptr(ALICE_V4_ADDRESSES[1]).await, None);
    assert_eq!(
        app.stored_ptr(ALICE_V4_ADDRESSES[2]).await.as_deref(),
        Some("node2.example.com")
    );
}

/// The `next_check_at` of `ip`'s open change.
async fn next_check_of(app: &TestApp, ip: &str) -> i64 {
    let key = ptrdesk::domain::address_key(ip.parse().expect("an address"));
    sqlx::query_scalar(
        "SELECT next_check_at FROM changes WHERE address = $1 AND superseded_by IS NULL \
           AND state = 'pending'",
    )
    .bind(key)
    .fetch_one(&app.db.pool)
    .await
    .expect("a pending change")
}

#[tokio::test]
async fn a_long_recheck_round_schedules_its_later_changes_from_when_it_reaches_them() {
    let dns = DnsServer::serving([Zone::new("net"), Zone::new("alice-hosting.net")]).await;
    let server = dns.address.to_string();
    let app = spawn_app_with(|settings| {
        settings.dns_checks = true;
        settings.dns_servers = vec![server];
        settings.check_mode = ptrdesk::domain::CheckMode::Resolver;
    })
    .await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, ALICE_NAME).await; // pending: no address for the name yet
    alice.save(ALICE_V4_ADDRESSES[0], ALICE_NAME).await;
    // The round asks a name server that answers the first change's questions late.
    let held = HeldDns::in_front_of(dns.address).await;
    let mut settings = ptrdesk::config::Settings {
        dns_checks: true,
        dns_servers: vec![held.address.to_string()],
        check_mode: ptrdesk::domain::CheckMode::Resolver,
        dns_timeout_ms: 30_000,
        check_budget_ms: 30_000,
        ..ptrdesk::config::Settings::default()
    };
    settings.forward_policy = ptrdesk::checks::policy::ForwardPolicy::Require;
    let slow = ptrdesk::checks::Engine::from_settings(&settings).expect("an engine");
    let now = ptrdesk::clock::now() + 3600;
    const LATE: Duration = Duration::from_secs(2);

    let answer_late = async {
        held.first_question(PROMPTLY).await;
        tokio::time::sleep(LATE).await; // the slow name server, not a wait for readiness
        held.let_through();
    };
    let (summary, ()) = tokio::join!(
        ptrdesk::changes::recheck_pending(&app.db, &slow, now),
        answer_late
    );

    assert_eq!(summary.expect("the round").still_pending, 2);
    let backoff = ptrdesk::changes::backoff_seconds(1);
    let first = next_check_of(&app, ALICE_SINGLE).await;
    assert!(first < now + LATE.as_secs() as i64 + backoff, "{first}");
    let later = next_check_of(&app, ALICE_V4_ADDRESSES[0]).await;
    assert!(
        later >= now + LATE.as_secs() as i64 + backoff,
        "the second change was scheduled from the round's start: {later} < {now} + {LATE:?} + {backoff}"
    );
}

#[tokio::test]
async fn an_atomic_batch_whose_rejected_item_stops_being_in_force_meanwhile_writes_nothing() {
    let (_dns, held) = held_dns().await;
    let app = app_asking(&held).await;
    let alice_id = app.customer_id(ALICE_NUMBER).await;
    let admin = ptrdesk::db::audit::Actor {
        user_id: None,
        name: "root".to_owned(),
        source: "127.0.0.1".to_owned(),
    };
    // Checks without DNS, for arranging: a reserved name, approved by an admin, is in force.
    let offline = ptrdesk::checks::Engine::from_settings(&ptrdesk::config::Settings {
        dns_checks: false,
        ..ptrdesk::config::Settings::default()
    })
    .expect("an engine");
    let save = |name: &str| {
        let (db, offline, admin) = (app.db.clone(), offline.clone(), admin.clone());
        let name = name.to_owned();
        async move {
            let owned = ptrdesk::db::inventory::owned_ip(
                &db.pool,
                alice_id,
                ALICE_SINGLE.parse().expect("an address"),
            )
            .await
            .expect("the ownership query")
            .expect("Alice's address");
            let request = ptrdesk::changes::ChangeRequest {
                owned,
                requested: ptrdesk::changes::Requested::Hostname(name),
                based_on_version: None,
                door: ptrdesk::domain::Door::Page,
                actor: admin,
            };
            ptrdesk::changes::submit(&db, &offline, request)
                .await
                .expect("the save is recorded")
        }
    };
    save("node.alice.local").await; // rejected: a reserved name
    let change = open_change_id(&app, ALICE_SINGLE).await;
    ptrdesk::changes::decide_review(
        &app.db,
        change,
        ptrdesk::changes::Decision::Approve,
        "Internal naming.",
        &admin,
    )
    .await
    .expect("approved");
    let alice = app.api_client(ALICE_NUMBER).await;

    // The batch repeats the name in force (fine, though rejected) and asks DNS for another
    // item; meanwhile the entry changes, so the first item would now store a rejected change.
    let change_meanwhile = async {
        held.first_question(PROMPTLY).await;
        save("mail.alice-hosting.de").await;
        held.let_through();
    };
    let (reply, ()) = tokio::join!(
        crate::helpers::api_client::bulk(
            &alice,
            &[
                (ALICE_SINGLE, Some("node.alice.local")),
                (ALICE_V6_ADDRESS, Some(ALICE_NAME)),
            ],
            false,
            true
        ),
        change_meanwhile
    );

    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(
        reply.json()["error"]["items"][0]["error"]["code"],
        "REJECTED",
        "{}",
        reply.body
    );
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("mail.alice-hosting.de")
    );
    assert_eq!(open_changes(&app, ALICE_SINGLE).await, 0);
    assert_eq!(app.stored_ptr(ALICE_V6_ADDRESS).await, None);
}

#[tokio::test]
async fn a_zone_beyond_the_first_4096_of_a_large_ipv6_assignment_stays_served_across_syncs() {
    let app = dns_app_without_periodic_sync().await;
    // A /35 cut at /48 spans 8,192 zones; 2001:db9:1388::/48 is the 5,001st.
    app.import("K2,Bob Networks Ltd,bob-edge,2001:db9::/35\n")
        .await;
    zone_sync(&app).await;
    const FAR_ZONE: &str = "8.8.3.1.9.b.d.0.1.0.0.2.ip6.arpa";
    let dns = app.udp();
    let first = dns.serial(FAR_ZONE).await;

    zone_sync(&app).await;
    let after_sync = dns.serial(FAR_ZONE).await;
    zone_sync(&app).await;
    let after_another = dns.serial(FAR_ZONE).await;

    assert_eq!(
        (after_sync, after_another),
        (first, first),
        "the zone's serial moved with nothing changed: retired by the sync, revived by a question"
    );
}

#[tokio::test]
async fn a_save_with_version_0_while_its_subnet_moves_to_another_customer_is_refused() {
    let (_dns, held) = held_dns().await;
    let app = app_asking(&held).await;
    let alice = app.signed_in(ALICE).await;
    let admin = admin_of(&app).await;
    let ip = ALICE_V4_ADDRESSES[2];
    let subnet = app.assignment_id(ALICE_NUMBER, ip).await;
    let version = alice.version_of(ip).await;
    assert_eq!(version, "0", "an address without an entry yet");

    let move_midway = async {
        held.first_question(PROMPTLY).await;
        let moved = admin
            .post_form(
                &format!("/admin/assignments/{subnet}/move"),
                &[("customer", "K2"), ("server", "bob-edge")],
            )
            .await;
        held.let_through();
        moved
    };
    let (saved, moved) = tokio::join!(
        alice.save_at(ip, "node2.alice-hosting.de", &version),
        move_midway
    );

    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert_eq!(saved.status, StatusCode::NOT_FOUND, "{}", saved.body);
    assert_eq!(app.stored_ptr(ip).await, None);
    assert_eq!(open_changes(&app, ip).await, 0);
    let (_, served) = app.udp().ptr(ip).await;
    assert!(
        !served.contains(&"node2.alice-hosting.de".to_owned()),
        "{served:?}"
    );
}

#[tokio::test]
async fn a_zone_a_public_name_server_holds_at_a_newer_serial_is_moved_past_it() {
    // What a restored database meets: the public name server holds the zone at a serial the
    // database never reached (its newer data was lost), and would ignore the restored zone.
    let ahead = u32::try_from(ptrdesk::clock::now()).expect("a 32-bit time") + 100_000;
    let public = DnsServer::serving([Zone::new(SINGLES_ZONE).serial(ahead)]).await;
    let public_server = public.address.to_string();
    let app = spawn_dns_app_with(|settings| {
        settings.dns_public_servers = vec![public_server];
        settings.dns_live_poll_ms = 50;
        // No one asks ptrdesk's DNS here: the zone sync creates the zone.
        settings.dns_sync_interval_seconds = 1;
    })
    .await;

    crate::helpers::dns_app::wait_until(
        Duration::from_secs(15),
        "the zone's serial moves past the public server's",
        || async {
            ptrdesk::db::zones::list(&app.db.pool)
                .await
                .expect("the zones table answers")
                .iter()
                .any(|zone| zone.name == SINGLES_ZONE && zone.serial > i64::from(ahead))
        },
    )
    .await;

    assert!(app.udp().serial(SINGLES_ZONE).await > ahead);
}

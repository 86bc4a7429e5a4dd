//! The customer's page: what it lists, the provider default, filters and paging.

use crate::helpers::{
    ADMIN, ALICE, ALICE_NUMBER, ALICE_SINGLE, ALICE_V4_ADDRESSES, ALICE_V4_SUBNET, ALICE_V6_SUBNET,
    BOB, BOB_CUSTOMER, BOB_SINGLE, BOB_V4_ADDRESSES, BOB_V4_SUBNET, BOB_V6_SUBNET, HELPDESK,
    Person, spawn_app,
};
use ptrdesk::domain::Role;
use reqwest::StatusCode;
use std::collections::BTreeSet;

const CAROL: Person = Person {
    username: "carol",
    password: "carol-has-many-ips",
};

fn set(items: impl IntoIterator<Item = impl Into<String>>) -> BTreeSet<String> {
    items.into_iter().map(Into::into).collect()
}

#[tokio::test]
async fn the_page_lists_exactly_the_customers_own_ips_and_none_of_another_customers() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let v6_assignment = app.assignment_id(ALICE_NUMBER, "2001:db8:10::1").await;

    let reply = alice.get("/ips").await;

    assert_eq!(reply.status, StatusCode::OK);
    let page = reply.page();
    let expected = set([ALICE_SINGLE].into_iter().chain(ALICE_V4_ADDRESSES));
    assert_eq!(set(page.row_ips()), expected);
    assert!(page.text().contains(ALICE_V4_SUBNET));
    assert!(page.text().contains(ALICE_V6_SUBNET));
    assert!(
        page.add_form(v6_assignment).is_some(),
        "alice can add to her /64"
    );
    let bobs = [
        BOB_SINGLE,
        BOB_V4_SUBNET,
        BOB_V6_SUBNET,
        "2001:db8:bb:",
        "bob-edge",
    ];
    for text in bobs
        .into_iter()
        .chain(BOB_V4_ADDRESSES)
        .chain([BOB_CUSTOMER])
    {
        assert!(!reply.body.contains(text), "alice's page shows {text}");
    }
}

#[tokio::test]
async fn the_second_customers_page_lists_only_their_own_ips_too() {
    let app = spawn_app().await;
    let bob = app.signed_in(BOB).await;

    let reply = bob.get("/ips").await;

    let page = reply.page();
    let expected = set([BOB_SINGLE].into_iter().chain(BOB_V4_ADDRESSES));
    assert_eq!(set(page.row_ips()), expected);
    assert!(page.text().contains(BOB_V6_SUBNET));
    let alices = [
        ALICE_SINGLE,
        ALICE_V4_SUBNET,
        ALICE_V6_SUBNET,
        "2001:db8:10:",
    ];
    for text in alices.into_iter().chain(ALICE_V4_ADDRESSES) {
        assert!(!reply.body.contains(text), "bob's page shows {text}");
    }
}

#[tokio::test]
async fn every_address_of_an_ipv4_subnet_has_its_own_field() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;

    let page = alice.get("/ips").await.page();

    for ip in ALICE_V4_ADDRESSES {
        let row = page.row(ip).unwrap_or_else(|| panic!("{ip} has a form"));
        assert!(row.input("hostname").is_some(), "{ip} has a PTR field");
    }
}

#[tokio::test]
async fn an_address_without_a_ptr_shows_the_provider_default_as_placeholder() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;

    let page = alice.get("/ips").await.page();

    let single = page.row(ALICE_SINGLE).expect("the single IP has a field");
    assert_eq!(single.value("hostname").as_deref(), Some(""));
    assert_eq!(
        single.input_attr("hostname", "placeholder").as_deref(),
        Some("static.45.113.0.203.clients.example.net")
    );
    let in_subnet = page
        .row("198.51.100.19")
        .expect("a subnet address has a field");
    assert_eq!(
        in_subnet.input_attr("hostname", "placeholder").as_deref(),
        Some("static.19.100.51.198.clients.example.net")
    );
}

#[tokio::test]
async fn filtering_by_server_shows_only_that_servers_ips() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let cluster = app.server_id(ALICE_NUMBER, "alice-cluster").await;

    let page = alice.get(&format!("/ips?server={cluster}")).await.page();

    assert_eq!(set(page.row_ips()), set(ALICE_V4_ADDRESSES));
    assert!(!page.text().contains(ALICE_V6_SUBNET));
}

#[tokio::test]
async fn filtering_by_an_address_inside_a_subnet_shows_only_that_address() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;

    let page = alice.get("/ips?ip=198.51.100.19").await.page();

    assert_eq!(page.row_ips(), vec!["198.51.100.19".to_owned()]);
    assert!(!page.text().contains(ALICE_V6_SUBNET));
}

#[tokio::test]
async fn filtering_by_a_network_shows_its_addresses() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;

    let page = alice.get("/ips?ip=198.51.100.16/29").await.page();

    assert_eq!(set(page.row_ips()), set(ALICE_V4_ADDRESSES));
}

#[tokio::test]
async fn filtering_by_a_hostname_fragment_shows_only_the_matching_ptrs() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.save("198.51.100.17", "node1.alice-hosting.net").await;
    alice.save("198.51.100.18", "node2.alice-hosting.net").await;
    alice.save(ALICE_SINGLE, "www.alice-hosting.net").await;

    let page = alice.get("/ips?hostname=node1").await.page();

    assert_eq!(page.row_ips(), vec!["198.51.100.17".to_owned()]);
    let row = page.row("198.51.100.17").expect("the matching row");
    assert_eq!(
        row.value("hostname").as_deref(),
        Some("node1.alice-hosting.net")
    );
}

#[tokio::test]
async fn a_long_list_is_split_into_pages_of_25_assignments() {
    let app = spawn_app().await;
    let csv: String = (1..=60)
        .map(|n| format!("K3,Carol Many IPs,bulk-1,10.0.0.{n}\n"))
        .collect();
    app.import(&csv).await;
    app.add_user(CAROL, Role::Customer, Some("K3")).await;
    let carol = app.signed_in(CAROL).await;

    let first = carol.get("/ips").await.page();

    let first_rows: Vec<String> = (1..=25).map(|n| format!("10.0.0.{n}")).collect();
    assert_eq!(first.row_ips(), first_rows);
    let (next, label) = first.link("next").expect("page 1 links to the next page");
    assert!(label.contains("Next"), "{label}");
    let second = carol.get(&next).await.page();
    let second_rows: Vec<String> = (26..=50).map(|n| format!("10.0.0.{n}")).collect();
    assert_eq!(second.row_ips(), second_rows);
    let third = carol.get("/ips?page=3").await.page();
    let third_rows: Vec<String> = (51..=60).map(|n| format!("10.0.0.{n}")).collect();
    assert_eq!(third.row_ips(), third_rows);
    assert!(third.link("next").is_none(), "page 3 is the last");
    assert!(third.link("prev").is_some(), "page 3 links back");
}

#[tokio::test]
async fn next_and_previous_links_page_by_position_across_servers_and_match_the_numbered_pages() {
    let app = spawn_app().await;
    let csv: String = ["a", "b", "c"]
        .iter()
        .enumerate()
        .flat_map(|(n, server)| {
            (1..=20).map(move |host| format!("K3,Carol Many IPs,bulk-{server},10.0.{n}.{host}\n"))
        })
        .collect();
    app.import(&csv).await;
    app.add_user(CAROL, Role::Customer, Some("K3")).await;
    let carol = app.signed_in(CAROL).await;
    let mut numbered = Vec::new();
    for page in 1..=3 {
        numbered.push(
            carol
                .get(&format!("/ips?page={page}"))
                .await
                .page()
                .row_ips(),
        );
    }
    assert_eq!(numbered[1].first().map(String::as_str), Some("10.0.1.6"));

    let first = carol.get("/ips").await.page();
    let (next, _) = first.link("next").expect("a next link");
    let second = carol.get(&next).await.page();
    let (next, _) = second.link("next").expect("a next link");
    let third = carol.get(&next).await.page();
    let (previous, _) = third.link("prev").expect("a previous link");
    let second_again = carol.get(&previous).await.page();
    let (previous, _) = second_again.link("prev").expect("a previous link");
    let first_again = carol.get(&previous).await.page();

    assert!(next.contains("page=3") && next.contains("after="), "{next}");
    assert_eq!(second.row_ips(), numbered[1]);
    assert_eq!(third.row_ips(), numbered[2]);
    assert!(third.text().contains("page 3 of 3"), "{}", third.text());
    assert!(third.link("next").is_none(), "page 3 is the last");
    assert_eq!(second_again.row_ips(), numbered[1]);
    assert_eq!(first_again.row_ips(), numbered[0]);
    assert!(first_again.link("prev").is_none(), "page 1 is the first");
    // A position that is not the customer's (or no longer exists) gives the numbered page.
    let foreign = carol.get("/ips?page=2&after=999999").await.page();
    assert_eq!(foreign.row_ips(), numbered[1]);
}

#[tokio::test]
async fn the_customer_page_does_not_exist_for_admins_and_help_desk() {
    let app = spawn_app().await;
    for person in [ADMIN, HELPDESK] {
        let browser = app.signed_in(person).await;

        let reply = browser.get("/ips").await;

        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", person.username);
    }
}

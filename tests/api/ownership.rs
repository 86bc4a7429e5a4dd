//! A second customer's attempts, on every route, to read or change the first one's data: each
//! one sees nothing and changes nothing.

use crate::helpers::{
    ALICE, ALICE_CUSTOMER, ALICE_NUMBER, ALICE_SINGLE, BOB, BOB_SINGLE, TestApp, spawn_app,
};
use reqwest::StatusCode;

/// An address in alice's /29 and one in her /64, each with a PTR she set.
const ALICE_IN_SUBNET: &str = "198.51.100.17";
const ALICE_V6_ENTRY: &str = "2001:db8:10::25";
/// Alice's addresses with a PTR, and the PTRs.
const ALICE_PTRS: [(&str, &str); 3] = [
    (ALICE_SINGLE, "www.alice-secret-hosting.net"),
    (ALICE_IN_SUBNET, "node1.alice-secret-hosting.net"),
    (ALICE_V6_ENTRY, "mail.alice-secret-hosting.net"),
];

/// Alice has set a PTR on each kind of address she holds.
async fn alice_has_ptrs() -> TestApp {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, ALICE_PTRS[0].1).await;
    alice.save(ALICE_IN_SUBNET, ALICE_PTRS[1].1).await;
    let subnet = app.assignment_id(ALICE_NUMBER, ALICE_V6_ENTRY).await;
    alice.add(subnet, ALICE_V6_ENTRY, ALICE_PTRS[2].1).await;
    for (ip, name) in ALICE_PTRS {
        assert_eq!(app.stored_ptr(ip).await.as_deref(), Some(name), "arranged");
    }
    app
}

/// Alice's PTRs are as she set them, and nobody else wrote an audit row for them.
async fn alice_is_unchanged(app: &TestApp) {
    for (ip, name) in ALICE_PTRS {
        assert_eq!(app.stored_ptr(ip).await.as_deref(), Some(name), "{ip}");
        let audit = app.audit(ip).await;
        assert_eq!(audit.len(), 1, "{ip}: {audit:?}");
        assert_eq!(audit[0].actor, ALICE.username);
    }
}

async fn version(app: &TestApp, ip: &str) -> String {
    app.entry(ip)
        .await
        .map_or(0, |entry| entry.version)
        .to_string()
}

#[tokio::test]
async fn another_customer_cannot_find_the_first_ones_ips_with_the_filter() {
    let app = alice_has_ptrs().await;
    let server = app.server_id(ALICE_NUMBER, "alice-web").await;
    let bob = app.signed_in(BOB).await;
    let queries = [
        format!("ip={ALICE_SINGLE}"),
        format!("ip={ALICE_IN_SUBNET}"),
        "ip=198.51.100.16/29".to_owned(),
        format!("ip={ALICE_V6_ENTRY}"),
        "ip=2001:db8:10::/64".to_owned(),
        "ip=198.51".to_owned(),
        format!("server={server}"),
        "hostname=alice-secret".to_owned(),
    ];
    for query in queries {
        let reply = bob.get(&format!("/ips?{query}")).await;

        assert_eq!(reply.status, StatusCode::OK, "{query}");
        assert_eq!(reply.page().row_ips(), Vec::<String>::new(), "{query}");
        for text in [
            "www.alice",
            "node1.alice",
            "mail.alice",
            "alice-web",
            "alice-cluster",
        ]
        .into_iter()
        .chain([ALICE_CUSTOMER])
        {
            assert!(!reply.body.contains(text), "{query} shows {text}");
        }
    }
}

#[tokio::test]
async fn another_customer_cannot_save_a_ptr_on_the_first_ones_ips() {
    let app = alice_has_ptrs().await;
    let bob = app.signed_in(BOB).await;
    for (ip, _) in ALICE_PTRS {
        let version = version(&app, ip).await;

        let reply = bob.save_at(ip, "hijacked.example.com", &version).await;

        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{ip}");
    }
    alice_is_unchanged(&app).await;
}

#[tokio::test]
async fn another_customer_cannot_save_on_an_address_of_the_first_ones_subnet_without_a_ptr() {
    let app = alice_has_ptrs().await;
    let bob = app.signed_in(BOB).await;

    let reply = bob
        .save_at("198.51.100.20", "hijacked.example.com", "0")
        .await;

    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(app.entry("198.51.100.20").await, None);
}

#[tokio::test]
async fn another_customer_cannot_reset_the_first_ones_ptrs() {
    let app = alice_has_ptrs().await;
    let bob = app.signed_in(BOB).await;
    for (ip, _) in ALICE_PTRS {
        let version = version(&app, ip).await;
        let fields = [("ip", ip), ("version", version.as_str()), ("back", "")];

        let reply = bob.post_form("/ptr/reset", &fields).await;

        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{ip}");
    }
    alice_is_unchanged(&app).await;
}

#[tokio::test]
async fn another_customer_cannot_add_an_entry_to_the_first_ones_subnet() {
    let app = alice_has_ptrs().await;
    let alices_subnet = app.assignment_id(ALICE_NUMBER, ALICE_V6_ENTRY).await;
    let bob = app.signed_in(BOB).await;
    for address in ["2001:db8:10::99", ALICE_V6_ENTRY] {
        let reply = bob
            .add(alices_subnet, address, "hijacked.example.com")
            .await;

        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{address}");
        assert!(
            reply
                .body
                .contains("Nothing was saved. This address is not inside this subnet."),
            "{address}: the refusal is said at the top of the page"
        );
        assert!(!reply.body.contains("alice-secret"), "{address}");
    }
    assert_eq!(app.entry("2001:db8:10::99").await, None);
    alice_is_unchanged(&app).await;
}

#[tokio::test]
async fn an_address_of_another_customer_is_not_inside_ones_own_subnet() {
    let app = alice_has_ptrs().await;
    let bobs_subnet = app.assignment_id("K2", "2001:db8:bb::1").await;
    let bob = app.signed_in(BOB).await;
    for address in ["2001:db8:10::99", ALICE_V6_ENTRY] {
        let reply = bob.add(bobs_subnet, address, "hijacked.example.com").await;

        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{address}");
        let form = reply.page().add_form(bobs_subnet).expect("bob's add form");
        assert!(
            form.text
                .contains("This address is not inside this subnet."),
            "{address}: {}",
            form.text
        );
    }
    assert_eq!(app.entry("2001:db8:10::99").await, None);
    alice_is_unchanged(&app).await;
}

#[tokio::test]
async fn a_forged_address_is_answered_like_someone_elses() {
    let app = alice_has_ptrs().await;
    let bob = app.signed_in(BOB).await;
    for ip in ["not-an-ip", "", "203.0.113.45/32", "::ffff:203.0.113.45"] {
        let save = [
            ("ip", ip),
            ("hostname", "x.example.com"),
            ("version", "1"),
            ("back", ""),
        ];
        let reset = [("ip", ip), ("version", "1"), ("back", "")];

        let saved = bob.post_form("/ptr/save", &save).await;
        let reset = bob.post_form("/ptr/reset", &reset).await;

        assert_eq!(saved.status, StatusCode::NOT_FOUND, "save {ip:?}");
        assert_eq!(reset.status, StatusCode::NOT_FOUND, "reset {ip:?}");
    }
    let forged = [
        ("assignment", "not-a-number"),
        ("address", ALICE_V6_ENTRY),
        ("hostname", "x.example.com"),
    ];
    let added = bob.post_form("/ptr/add", &forged).await;
    assert_eq!(added.status, StatusCode::NOT_FOUND);
    alice_is_unchanged(&app).await;
}

#[tokio::test]
async fn a_forged_back_link_shows_nothing_of_another_customer() {
    let app = alice_has_ptrs().await;
    let server = app.server_id(ALICE_NUMBER, "alice-web").await;
    let bob = app.signed_in(BOB).await;
    let back = format!("server={server}");
    let fields = [
        ("ip", BOB_SINGLE),
        ("hostname", "not valid!"),
        ("version", "0"),
        ("back", back.as_str()),
    ];

    let reply = bob.post_form("/ptr/save", &fields).await;

    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    for text in ["alice-secret", "alice-web", ALICE_CUSTOMER] {
        assert!(!reply.body.contains(text), "the page shows {text}");
    }
    assert_eq!(app.entry(BOB_SINGLE).await, None);
}

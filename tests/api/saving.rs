//! Saving, resetting, adding and removing PTRs from the customer's page, and what each change
//! leaves behind: the stored name, the flash message, the audit row.

use crate::helpers::{ALICE, ALICE_NUMBER, ALICE_SINGLE, collapse, spawn_app};
use ptrdesk::domain::Hostname;
use reqwest::StatusCode;

const ALICE_V6_ENTRY: &str = "2001:db8:10::25";

#[tokio::test]
async fn saving_a_ptr_stores_its_canonical_form_and_says_so() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;

    let reply = alice.save(ALICE_SINGLE, "MAIL.Example.COM.").await;

    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location.as_deref(), Some("/ips"));
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("mail.example.com")
    );
    let page = alice.get("/ips").await.page();
    assert!(
        page.text()
            .contains("The PTR of 203.0.113.45 is now mail.example.com."),
        "{}",
        page.text()
    );
    let row = page.row(ALICE_SINGLE).expect("the row of the saved IP");
    assert_eq!(row.value("hostname").as_deref(), Some("mail.example.com"));
}

#[tokio::test]
async fn an_internationalised_name_is_stored_as_punycode_and_shown_in_unicode() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;

    let reply = alice.save(ALICE_SINGLE, "bücher.de").await;

    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("xn--bcher-kva.de")
    );
    let page = alice.get("/ips").await.page();
    let row = page.row(ALICE_SINGLE).expect("the row of the saved IP");
    assert_eq!(row.value("hostname").as_deref(), Some("bücher.de"));
}

#[tokio::test]
async fn a_wrong_name_is_sent_back_at_422_with_the_input_and_the_message_beside_the_field() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let cases = [
        ("mail_1.example.com", error_of("mail_1.example.com")),
        ("1.2.3.4", error_of("1.2.3.4")),
        ("mail", error_of("mail")),
        ("", "Enter a host name".to_owned()),
    ];
    for (input, message) in cases {
        let reply = alice.save(ALICE_SINGLE, input).await;

        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{input:?}");
        let row = reply.page().row(ALICE_SINGLE).expect("the row is shown");
        assert_eq!(row.value("hostname").as_deref(), Some(input));
        assert!(
            row.text.contains(&collapse(&message)),
            "{input:?}: {message:?} beside the field, found {:?}",
            row.text
        );
        assert_eq!(app.entry(ALICE_SINGLE).await, None, "{input:?} stored");
        assert!(
            app.audit(ALICE_SINGLE).await.is_empty(),
            "{input:?} audited"
        );
    }
}

fn error_of(input: &str) -> String {
    Hostname::parse(input)
        .expect_err("the input is not a host name")
        .to_string()
}

#[tokio::test]
async fn resetting_a_ptr_brings_back_the_provider_default() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, "mail.example.com").await;

    let reply = alice.reset(ALICE_SINGLE).await;

    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
    let page = alice.get("/ips").await.page();
    assert!(
        page.text()
            .contains("203.0.113.45 is back to the provider default."),
        "{}",
        page.text()
    );
    let row = page.row(ALICE_SINGLE).expect("the row of the reset IP");
    assert_eq!(row.value("hostname").as_deref(), Some(""));
    assert_eq!(
        row.input_attr("hostname", "placeholder").as_deref(),
        Some("static.45.113.0.203.clients.example.net")
    );
    let audit = app.audit(ALICE_SINGLE).await;
    let last = audit.last().expect("the reset is audited");
    assert_eq!(last.old_value.as_deref(), Some("mail.example.com"));
    assert_eq!(last.new_value, None);
}

#[tokio::test]
async fn an_ipv6_entry_is_added_in_canonical_form_and_can_be_removed() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let subnet = app.assignment_id(ALICE_NUMBER, ALICE_V6_ENTRY).await;

    let added = alice
        .add(subnet, "2001:DB8:10:0:0:0:0:25", "mail.alice-hosting.net")
        .await;

    assert_eq!(added.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.stored_ptr(ALICE_V6_ENTRY).await.as_deref(),
        Some("mail.alice-hosting.net")
    );
    let page = alice.get("/ips").await.page();
    let row = page.row(ALICE_V6_ENTRY).expect("the new entry is listed");
    assert_eq!(
        row.value("hostname").as_deref(),
        Some("mail.alice-hosting.net")
    );
    assert!(!page.text().contains("2001:DB8:10:0:0:0:0:25"));

    let removed = alice.reset(ALICE_V6_ENTRY).await;

    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.stored_ptr(ALICE_V6_ENTRY).await, None);
    let page = alice.get("/ips").await.page();
    assert!(page.row(ALICE_V6_ENTRY).is_none(), "the entry is gone");
    assert!(
        page.text()
            .contains("The PTR of 2001:db8:10::25 was removed."),
        "{}",
        page.text()
    );
}

#[tokio::test]
async fn an_address_outside_the_subnet_is_refused_beside_the_address_field() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let subnet = app.assignment_id(ALICE_NUMBER, ALICE_V6_ENTRY).await;

    let reply = alice
        .add(subnet, "2001:db8:99::25", "mail.alice-hosting.net")
        .await;

    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let form = reply
        .page()
        .add_form(subnet)
        .expect("the add form is shown");
    assert_eq!(form.value("address").as_deref(), Some("2001:db8:99::25"));
    assert_eq!(
        form.value("hostname").as_deref(),
        Some("mail.alice-hosting.net")
    );
    assert!(
        form.text
            .contains("This address is not inside this subnet."),
        "{}",
        form.text
    );
    assert_eq!(app.entry("2001:db8:99::25").await, None);
}

#[tokio::test]
async fn a_wrong_name_in_the_add_form_is_sent_back_beside_the_hostname_field() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let subnet = app.assignment_id(ALICE_NUMBER, ALICE_V6_ENTRY).await;

    let reply = alice
        .add(subnet, ALICE_V6_ENTRY, "mail_1.example.com")
        .await;

    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let form = reply
        .page()
        .add_form(subnet)
        .expect("the add form is shown");
    assert_eq!(
        form.value("hostname").as_deref(),
        Some("mail_1.example.com")
    );
    assert!(
        form.text
            .contains(&collapse(&error_of("mail_1.example.com"))),
        "{}",
        form.text
    );
    assert_eq!(app.entry(ALICE_V6_ENTRY).await, None);
}

#[tokio::test]
async fn saving_over_a_change_made_in_another_tab_is_refused() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let loaded = alice.version_of(ALICE_SINGLE).await;
    let first_tab = alice
        .save_at(ALICE_SINGLE, "first.example.com", &loaded)
        .await;
    assert_eq!(first_tab.status, StatusCode::SEE_OTHER);

    let second_tab = alice
        .save_at(ALICE_SINGLE, "second.example.com", &loaded)
        .await;

    assert_eq!(second_tab.status, StatusCode::CONFLICT);
    let row = second_tab
        .page()
        .row(ALICE_SINGLE)
        .expect("the row is shown");
    assert!(
        row.text.contains("Someone else changed this PTR"),
        "{}",
        row.text
    );
    assert_eq!(row.value("hostname").as_deref(), Some("second.example.com"));
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("first.example.com")
    );
}

#[tokio::test]
async fn every_change_leaves_an_audit_row_with_who_from_where_and_what() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let subnet = app.assignment_id(ALICE_NUMBER, ALICE_V6_ENTRY).await;

    alice.save(ALICE_SINGLE, "one.example.com").await;
    alice.save(ALICE_SINGLE, "two.example.com").await;
    alice.reset(ALICE_SINGLE).await;
    alice.add(subnet, ALICE_V6_ENTRY, "v6.example.com").await;

    let changes: Vec<(Option<String>, Option<String>)> = app
        .audit(ALICE_SINGLE)
        .await
        .into_iter()
        .map(|row| (row.old_value, row.new_value))
        .collect();
    let name = |text: &str| Some(text.to_owned());
    assert_eq!(
        changes,
        vec![
            (None, name("one.example.com")),
            (name("one.example.com"), name("two.example.com")),
            (name("two.example.com"), None),
        ]
    );
    let v6 = app.audit(ALICE_V6_ENTRY).await;
    assert_eq!(v6.len(), 1);
    assert_eq!(v6[0].new_value.as_deref(), Some("v6.example.com"));
    for row in app.audit(ALICE_SINGLE).await.iter().chain(&v6) {
        assert_eq!(row.actor, ALICE.username);
        assert_eq!(row.source, "127.0.0.1");
        assert_eq!(row.door, "page");
    }
}

#[tokio::test]
async fn saved_ptrs_survive_a_restart() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, "kept.example.com").await;

    let restarted = app.restart().await;

    let alice_again = restarted.signed_in(ALICE).await;
    let page = alice_again.get("/ips").await.page();
    let row = page.row(ALICE_SINGLE).expect("the row after the restart");
    assert_eq!(row.value("hostname").as_deref(), Some("kept.example.com"));
}

#[tokio::test]
async fn an_oversized_form_is_refused_with_413_and_stores_nothing() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let csrf = alice.csrf().await;
    let label = "a".repeat(60);
    let hostname = vec![label; 1200].join(".");
    let body = format!("csrf={csrf}&ip={ALICE_SINGLE}&version=0&back=&hostname={hostname}");
    assert!(body.len() > 64 * 1024);

    let reply = alice.post_raw("/ptr/save", body).await;

    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.entry(ALICE_SINGLE).await, None);
}

#[tokio::test]
async fn a_ptr_form_without_the_right_csrf_token_is_refused_and_stores_nothing() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let subnet = app
        .assignment_id(ALICE_NUMBER, ALICE_V6_ENTRY)
        .await
        .to_string();
    alice.save(ALICE_SINGLE, "before.example.com").await;
    let version = alice.version_of(ALICE_SINGLE).await;
    let forms: [(&str, Vec<(&str, &str)>); 3] = [
        (
            "/ptr/save",
            vec![
                ("ip", ALICE_SINGLE),
                ("hostname", "forged.example.com"),
                ("version", &version),
            ],
        ),
        (
            "/ptr/reset",
            vec![("ip", ALICE_SINGLE), ("version", &version)],
        ),
        (
            "/ptr/add",
            vec![
                ("assignment", &subnet),
                ("address", ALICE_V6_ENTRY),
                ("hostname", "forged.example.com"),
            ],
        ),
    ];
    let wrong = "f".repeat(64);
    for (path, fields) in forms {
        for csrf in [None, Some(wrong.as_str())] {
            let mut sent = fields.clone();
            sent.extend(csrf.map(|token| ("csrf", token)));

            let reply = alice.post_exactly(path, &sent).await;

            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path} with {csrf:?}");
        }
    }
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("before.example.com")
    );
    assert_eq!(app.audit(ALICE_SINGLE).await.len(), 1);
    assert_eq!(app.entry(ALICE_V6_ENTRY).await, None);
}

#[tokio::test]
async fn after_saving_the_browser_goes_back_to_the_list_and_nowhere_else() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    for (back, expected) in [
        ("ip=198.51.100.19", "/ips?ip=198.51.100.19"),
        ("//evil.example/", "/ips"),
        ("https://evil.example/?ip=1", "/ips"),
    ] {
        let version = alice.version_of(ALICE_SINGLE).await;
        let hostname = format!("back{}.example.com", back.len());
        let fields = [
            ("ip", ALICE_SINGLE),
            ("hostname", hostname.as_str()),
            ("version", version.as_str()),
            ("back", back),
        ];

        let reply = alice.post_form("/ptr/save", &fields).await;

        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{back}");
        assert_eq!(reply.location.as_deref(), Some(expected), "{back}");
    }
}

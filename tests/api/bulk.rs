//! Bulk changes, through the API (`POST /api/v1/bulk`) and the bulk page (`/bulk`): per-item
//! results, dry runs that write nothing, atomic batches that write all or nothing, and
//! non-atomic ones that apply what they can.

use crate::helpers::api::ApiReply;
use crate::helpers::api_client::{self as native, post};
use crate::helpers::{
    ADMIN, ALICE, ALICE_NUMBER, ALICE_SINGLE, ALICE_V4_ADDRESSES, BOB_SINGLE, TestApp, collapse,
    spawn_app,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

const ALICE_V6_ENTRY: &str = "2001:db8:10::25";

/// Nothing was written for any of `ips`: no entry, no audit row, no open change.
async fn nothing_written(app: &TestApp, ips: &[&str]) {
    for ip in ips {
        assert_eq!(app.entry(ip).await, None, "{ip} has an entry");
        assert!(app.audit(ip).await.is_empty(), "{ip} was audited");
        let open = ptrdesk::db::changes::has_open(&app.db.pool, ip.parse().expect("an address"))
            .await
            .expect("the changes table answers");
        assert!(!open, "{ip} has an open change");
    }
}

fn item(reply: &Value, index: usize) -> &Value {
    &reply["items"][index]
}

fn error_items(reply: &ApiReply) -> Value {
    reply.json()["error"]["items"].clone()
}

#[tokio::test]
async fn an_atomic_batch_with_one_foreign_ip_writes_nothing_and_says_which_item() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;

    let reply = native::bulk(
        &alice,
        &[
            (ALICE_SINGLE, Some("mail.example.com")),
            (ALICE_V4_ADDRESSES[1], Some("node1.example.com")),
            (BOB_SINGLE, Some("stolen.example.com")),
        ],
        false,
        true,
    )
    .await;

    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(reply.error_code(), "BULK_NOT_APPLIED");
    let items = error_items(&reply);
    assert_eq!(items[0]["state"], "published", "what it would have become");
    assert_eq!(items[0]["error"], Value::Null);
    assert_eq!(items[2]["index"], 2);
    assert_eq!(items[2]["error"]["code"], "IP_NOT_FOUND");
    assert_eq!(reply.json()["error"]["summary"]["failed"], 1);
    assert!(reply.header("ratelimit-remaining").is_some());
    nothing_written(&app, &[ALICE_SINGLE, ALICE_V4_ADDRESSES[1], BOB_SINGLE]).await;
}

#[tokio::test]
async fn an_atomic_batch_with_a_bad_name_or_a_rejected_one_writes_nothing() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    let cases = [
        ("mail_1.example.com", "INVALID_INPUT"),
        ("mail.alice.local", "REJECTED"),
    ];
    for (bad, code) in cases {
        let reply = native::bulk(
            &alice,
            &[
                (ALICE_SINGLE, Some("mail.example.com")),
                (ALICE_V6_ENTRY, Some(bad)),
            ],
            false,
            true,
        )
        .await;

        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            reply.body
        );
        assert_eq!(error_items(&reply)[1]["error"]["code"], code, "{bad}");
        nothing_written(&app, &[ALICE_SINGLE, ALICE_V6_ENTRY]).await;
    }
}

#[tokio::test]
async fn an_atomic_batch_without_failures_is_written_together() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    native::set_ptr(&alice, ALICE_V4_ADDRESSES[2], "old.example.com", None).await;

    let reply = native::bulk(
        &alice,
        &[
            (ALICE_SINGLE, Some("mail.example.com")),
            (ALICE_V6_ENTRY, Some("mail6.example.com")),
            (ALICE_V4_ADDRESSES[2], None),
        ],
        false,
        true,
    )
    .await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let answer = reply.json();
    assert_eq!(answer["applied"], true);
    assert_eq!(answer["atomic"], true);
    assert_eq!(answer["summary"]["published"], 3);
    assert_eq!(item(&answer, 1)["requested"], "mail6.example.com");
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("mail.example.com")
    );
    assert_eq!(
        app.stored_ptr(ALICE_V6_ENTRY).await.as_deref(),
        Some("mail6.example.com")
    );
    assert_eq!(app.stored_ptr(ALICE_V4_ADDRESSES[2]).await, None);
    let audit = app.audit(ALICE_SINGLE).await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].door, "api");
}

#[tokio::test]
async fn a_non_atomic_batch_applies_the_good_items_and_reports_the_bad_ones() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;

    let reply = native::bulk(
        &alice,
        &[
            (ALICE_SINGLE, Some("mail.example.com")),
            (BOB_SINGLE, Some("stolen.example.com")),
            (ALICE_V6_ENTRY, Some("mail_1.example.com")),
            ("not-an-ip", Some("a.example.com")),
            (ALICE_V4_ADDRESSES[0], Some("node.alice.local")),
            ("203.0.113.045", Some("b.example.com")),
            (ALICE_SINGLE, Some("twice.example.com")),
        ],
        false,
        false,
    )
    .await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let answer = reply.json();
    assert_eq!(answer["applied"], true);
    let codes: Vec<Value> = (0..7)
        .map(|n| item(&answer, n)["error"]["code"].clone())
        .collect();
    assert_eq!(
        codes,
        vec![
            Value::Null,
            json!("IP_NOT_FOUND"),
            json!("INVALID_INPUT"),
            json!("IP_NOT_FOUND"),
            Value::Null,
            json!("IP_NOT_FOUND"),
            json!("DUPLICATE_IP"),
        ]
    );
    assert_eq!(item(&answer, 0)["state"], "published");
    assert_eq!(item(&answer, 2)["findings"][0]["id"], "syntax");
    assert_eq!(
        item(&answer, 4)["state"],
        "rejected",
        "stored as rejected, like any door"
    );
    assert_eq!(
        answer["summary"],
        json!({"total": 7, "published": 1, "pending": 0, "rejected": 1, "unchanged": 0, "failed": 5})
    );
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("mail.example.com")
    );
    assert_eq!(app.stored_ptr(ALICE_V4_ADDRESSES[0]).await, None);
    assert!(
        ptrdesk::db::changes::has_open(&app.db.pool, ALICE_V4_ADDRESSES[0].parse().expect("ip"))
            .await
            .expect("the changes table answers")
    );
    nothing_written(&app, &[BOB_SINGLE, ALICE_V6_ENTRY]).await;
}

#[tokio::test]
async fn a_dry_run_reports_what_each_item_would_become_and_writes_nothing() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    native::set_ptr(&alice, ALICE_V4_ADDRESSES[3], "kept.example.com", None).await;
    for atomic in [true, false] {
        let reply = native::bulk(
            &alice,
            &[
                (ALICE_SINGLE, Some("mail.example.com")),
                (ALICE_V4_ADDRESSES[0], Some("node.alice.local")),
                (ALICE_V4_ADDRESSES[3], Some("KEPT.example.com")),
                (BOB_SINGLE, Some("x.example.com")),
            ],
            true,
            atomic,
        )
        .await;

        assert_eq!(
            reply.status,
            StatusCode::OK,
            "atomic {atomic}: {}",
            reply.body
        );
        let answer = reply.json();
        assert_eq!(answer["dry_run"], true);
        assert_eq!(answer["applied"], false);
        assert_eq!(item(&answer, 0)["state"], "published");
        assert_eq!(item(&answer, 1)["state"], "rejected");
        assert_eq!(item(&answer, 2)["unchanged"], true);
        assert_eq!(item(&answer, 3)["error"]["code"], "IP_NOT_FOUND");
        let rejected_fails = if atomic {
            json!("REJECTED")
        } else {
            Value::Null
        };
        assert_eq!(item(&answer, 1)["error"]["code"], rejected_fails);
    }
    nothing_written(&app, &[ALICE_SINGLE, ALICE_V4_ADDRESSES[0], BOB_SINGLE]).await;
    assert_eq!(
        app.audit(ALICE_V4_ADDRESSES[3]).await.len(),
        1,
        "only the arranged change"
    );
}

#[tokio::test]
async fn a_bulk_body_that_is_empty_too_big_or_incomplete_is_refused_as_a_whole() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;

    let empty = post(&alice, "/bulk", &json!({ "changes": [] })).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert_eq!(empty.json()["error"]["invalid"], json!(["changes"]));

    let incomplete = post(
        &alice,
        "/bulk",
        &json!({ "changes": [{ "ip": ALICE_SINGLE, "ptr": "a.example.com" }, { "ip": ALICE_SINGLE }] }),
    )
    .await;
    assert_eq!(incomplete.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        incomplete.json()["error"]["missing"],
        json!(["changes[1].ptr"])
    );

    let many: Vec<Value> = (0..10_001)
        .map(|n| json!({ "ip": format!("10.{}.{}.1", n / 256, n % 256), "ptr": null }))
        .collect();
    let too_many = post(&alice, "/bulk", &json!({ "changes": many })).await;
    assert_eq!(
        too_many.status,
        StatusCode::BAD_REQUEST,
        "{}",
        &too_many.body[..200.min(too_many.body.len())]
    );
    assert_eq!(too_many.error_code(), "INVALID_INPUT");

    let huge = "a".repeat(5 * 1024 * 1024);
    let too_large = post(
        &alice,
        "/bulk",
        &json!({ "changes": [{ "ip": ALICE_SINGLE, "ptr": huge }] }),
    )
    .await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_large.error_code(), "PAYLOAD_TOO_LARGE");
    assert!(too_large.header("ratelimit-limit").is_some());
    nothing_written(&app, &[ALICE_SINGLE]).await;
}

// The bulk page.

/// The rows of the page's result table: (line number, the row's visible text).
fn table_lines(body: &str) -> Vec<(u64, String)> {
    body.split("<tr ")
        .skip(1)
        .filter_map(|row| {
            let number = row
                .split("data-line=\"")
                .nth(1)?
                .split('"')
                .next()?
                .parse()
                .ok()?;
            let html = &row[..row.find("</tr>").unwrap_or(row.len())];
            Some((number, visible_text(html)))
        })
        .collect()
}

/// The text of an HTML fragment as a reader sees it.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let decoded = [
        ("&#34;", "\""),
        ("&#39;", "'"),
        ("&quot;", "\""),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(text, |text, (entity, c)| text.replace(entity, c));
    collapse(&decoded)
}

fn line(lines: &[(u64, String)], number: u64) -> &str {
    lines
        .iter()
        .find(|(n, _)| *n == number)
        .map(|(_, text)| text.as_str())
        .unwrap_or_else(|| panic!("line {number} in the table: {lines:?}"))
}

const MIXED_CSV: &str = "ip,hostname\n\
203.0.113.45,mail.example.com\n\
\n\
# bob's address is not ours\n\
203.0.113.200,stolen.example.com\n\
not-an-ip,a.example.com\n\
198.51.100.17\n\
198.51.100.18,node_1.example.com\n\
198.51.100.19,\n";

#[tokio::test]
async fn checking_pasted_lines_shows_each_lines_result_by_number_and_writes_nothing() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let form = alice.get("/bulk").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("name=\"atomic\" value=\"on\" checked"),
        "atomic by default"
    );

    let reply = alice
        .post_form("/bulk/check", &[("csv", MIXED_CSV), ("atomic", "on")])
        .await;

    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.page().text()
    );
    let lines = table_lines(&reply.body);
    assert_eq!(
        lines.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        vec![2, 5, 6, 7, 8, 9]
    );
    assert!(
        line(&lines, 2).contains("Would be published"),
        "{}",
        line(&lines, 2)
    );
    assert!(
        line(&lines, 5).contains("203.0.113.200 is not one of your IP addresses"),
        "{}",
        line(&lines, 5)
    );
    assert!(
        line(&lines, 6).contains("is not an IP address"),
        "{}",
        line(&lines, 6)
    );
    assert!(line(&lines, 7).contains("Expected"), "{}", line(&lines, 7));
    assert!(line(&lines, 8).contains("\"_\""), "{}", line(&lines, 8));
    assert!(
        line(&lines, 9).contains("provider default"),
        "{}",
        line(&lines, 9)
    );
    let text = reply.page().text();
    assert!(
        text.contains("4 of 6 lines cannot be applied; see below. Nothing was saved."),
        "{text}"
    );
    assert!(reply.body.contains("mail.example.com"), "the input is kept");
    nothing_written(&app, &[ALICE_SINGLE, BOB_SINGLE, "198.51.100.18"]).await;
}

#[tokio::test]
async fn applying_atomically_with_a_bad_line_writes_nothing_and_reports_it() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;

    let reply = alice
        .post_form("/bulk/apply", &[("csv", MIXED_CSV), ("atomic", "on")])
        .await;

    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.page().text().contains("Nothing was applied"),
        "{}",
        reply.page().text()
    );
    let lines = table_lines(&reply.body);
    assert!(
        line(&lines, 5).contains("Cannot be applied"),
        "{}",
        line(&lines, 5)
    );
    nothing_written(&app, &[ALICE_SINGLE, "198.51.100.19"]).await;
}

#[tokio::test]
async fn applying_good_lines_atomically_saves_them_all_and_redirects_with_a_summary() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.save("198.51.100.19", "old.example.com").await;
    let csv = "203.0.113.45,mail.example.com\r\n2001:db8:10::25,\"mail6.example.com\"\r\n198.51.100.19,\r\n";

    let reply = alice
        .post_form("/bulk/apply", &[("csv", csv), ("atomic", "on")])
        .await;

    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "{}",
        reply.page().text()
    );
    assert_eq!(reply.location.as_deref(), Some("/bulk"));
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("mail.example.com")
    );
    assert_eq!(
        app.stored_ptr(ALICE_V6_ENTRY).await.as_deref(),
        Some("mail6.example.com")
    );
    assert_eq!(app.stored_ptr("198.51.100.19").await, None);
    assert_eq!(app.audit(ALICE_SINGLE).await[0].door, "import");
    let page = alice.get("/bulk").await.page();
    assert!(
        page.text().contains("Applied 3 lines: 3 published"),
        "{}",
        page.text()
    );
}

#[tokio::test]
async fn applying_without_all_or_nothing_saves_the_good_lines_and_reports_the_bad_ones() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;

    let reply = alice.post_form("/bulk/apply", &[("csv", MIXED_CSV)]).await;

    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = reply.page().text();
    assert!(
        text.contains("Applied 2 of 6 lines; the 4 lines marked below were not."),
        "{text}"
    );
    let lines = table_lines(&reply.body);
    assert!(line(&lines, 2).contains("Published"), "{}", line(&lines, 2));
    assert!(
        line(&lines, 8).contains("Not applied"),
        "{}",
        line(&lines, 8)
    );
    assert!(
        !reply.body.contains("name=\"atomic\" value=\"on\" checked"),
        "the choice is kept"
    );
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("mail.example.com")
    );
    nothing_written(&app, &[BOB_SINGLE, "198.51.100.18"]).await;
}

#[tokio::test]
async fn the_bulk_forms_need_the_csrf_token_and_a_customer() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let csv = "203.0.113.45,mail.example.com\n";
    for path in ["/bulk/check", "/bulk/apply"] {
        let reply = alice
            .post_exactly(path, &[("csv", csv), ("atomic", "on")])
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
    }
    nothing_written(&app, &[ALICE_SINGLE]).await;

    let admin = app.signed_in(ADMIN).await;
    assert_eq!(admin.get("/bulk").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.visitor().get("/bulk").await.status,
        StatusCode::SEE_OTHER
    );
    let ips = alice.get("/ips").await;
    assert!(
        ips.body.contains("href=\"/bulk\""),
        "the Reverse DNS page links to the bulk page"
    );
}

#[tokio::test]
async fn an_empty_paste_is_sent_back_with_a_message() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;

    let reply = alice
        .post_form(
            "/bulk/check",
            &[("csv", "ip,hostname\n\n"), ("atomic", "on")],
        )
        .await;

    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.page().text().contains("Paste at least one line"),
        "{}",
        reply.page().text()
    );
}

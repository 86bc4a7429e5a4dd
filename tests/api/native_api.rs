//! The native JSON API under `/api/v1`, through real HTTP with a customer's API credential:
//! listing, reading, setting and resetting PTRs, `If-Match`, the dry-run check, the rate-limit
//! headers, the errors, and the OpenAPI document.

use crate::helpers::api::ApiReply;
use crate::helpers::api_client::{self as native, get, post, reset_ptr, set_ptr};
use crate::helpers::{
    ALICE_NUMBER, ALICE_SINGLE, ALICE_V4_ADDRESSES, BOB_SINGLE, TestApp, spawn_app,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const ALICE_V6_ENTRY: &str = "2001:db8:10::25";
const ALICE_IN_SUBNET: &str = "198.51.100.17";

fn ips_of(reply: &ApiReply) -> Vec<String> {
    reply.json()["ips"]
        .as_array()
        .expect("an ips array")
        .iter()
        .map(|item| item["ip"].as_str().expect("an ip").to_owned())
        .collect()
}

fn item_of<'a>(list: &'a Value, ip: &str) -> &'a Value {
    list["ips"]
        .as_array()
        .expect("an ips array")
        .iter()
        .find(|item| item["ip"] == ip)
        .unwrap_or_else(|| panic!("{ip} is listed: {list}"))
}

async fn has_open_change(app: &TestApp, ip: &str) -> bool {
    ptrdesk::db::changes::has_open(&app.db.pool, ip.parse().expect("an address"))
        .await
        .expect("the changes table answers")
}

#[tokio::test]
async fn the_listing_shows_each_address_with_its_ptr_default_version_and_open_change() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    assert_eq!(
        set_ptr(&alice, ALICE_SINGLE, "mail.example.com", None)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        set_ptr(&alice, ALICE_V6_ENTRY, "v6.example.com", None)
            .await
            .status,
        StatusCode::OK
    );
    // Under a reserved name: stored as rejected, not in force.
    assert_eq!(
        set_ptr(&alice, ALICE_IN_SUBNET, "node.alice.local", None)
            .await
            .status,
        StatusCode::OK
    );

    let reply = get(&alice, "/ips").await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let mut expected: Vec<String> = ALICE_V4_ADDRESSES.iter().map(|ip| ip.to_string()).collect();
    expected.extend([ALICE_SINGLE.to_owned(), ALICE_V6_ENTRY.to_owned()]);
    assert_eq!(ips_of(&reply), expected, "address order, IPv4 before IPv6");
    let list = reply.json();
    assert_eq!(list["next"], Value::Null);
    let single = item_of(&list, ALICE_SINGLE);
    assert_eq!(single["ptr"], "mail.example.com");
    assert_eq!(single["assignment"], ALICE_SINGLE);
    assert_eq!(single["server"], "alice-web");
    assert_eq!(single["default"], "static.45.113.0.203.clients.example.net");
    assert_eq!(single["version"], 1);
    assert_eq!(single["change"], Value::Null);
    let rejected = item_of(&list, ALICE_IN_SUBNET);
    assert_eq!(rejected["ptr"], Value::Null);
    assert_eq!(rejected["assignment"], "198.51.100.16/29");
    assert_eq!(rejected["version"], 0);
    assert_eq!(rejected["change"]["state"], "rejected");
    assert_eq!(rejected["change"]["requested"], "node.alice.local");
    assert_eq!(rejected["change"]["findings"][0]["id"], "reserved-name");
    let v6 = item_of(&list, ALICE_V6_ENTRY);
    assert_eq!(v6["ptr"], "v6.example.com");
    assert_eq!(v6["default"], Value::Null, "no IPv6 default is configured");
    assert_eq!(v6["server"], "alice-mail");
}

#[tokio::test]
async fn pages_follow_the_next_link_to_the_end_without_repeating_an_address() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    for n in 1..=4 {
        let ip = format!("2001:db8:10::{n}");
        set_ptr(&alice, &ip, &format!("host{n}.example.com"), None).await;
    }
    let everything = ips_of(&get(&alice, "/ips?per_page=500").await);
    assert_eq!(everything.len(), 8 + 1 + 4);

    let mut seen = Vec::new();
    let mut path = "/ips?per_page=3".to_owned();
    let mut pages = 0;
    loop {
        let reply = get(&alice, &path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
        pages += 1;
        seen.extend(ips_of(&reply));
        let next = reply.json()["next"].as_str().map(str::to_owned);
        match next {
            Some(next) => {
                let link = reply
                    .header("link")
                    .expect("a Link header with a next page");
                assert_eq!(link, format!("<{next}>; rel=\"next\""));
                path = next
                    .strip_prefix("/api/v1")
                    .expect("an /api/v1 link")
                    .to_owned();
            }
            None => break,
        }
        assert!(pages < 20, "the pages end");
    }
    assert_eq!(seen, everything);
    assert_eq!(pages, 5, "13 addresses, 3 per page");
}

#[tokio::test]
async fn the_listing_filters_by_server_network_and_hostname() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    set_ptr(&alice, ALICE_SINGLE, "mail.example.com", None).await;
    set_ptr(&alice, ALICE_IN_SUBNET, "node1.example.com", None).await;
    set_ptr(&alice, ALICE_V6_ENTRY, "mail6.example.com", None).await;
    let cluster = app.server_id(ALICE_NUMBER, "alice-cluster").await;

    let by_server = ips_of(&get(&alice, &format!("/ips?server={cluster}")).await);
    let by_network = ips_of(&get(&alice, "/ips?ip=198.51.100.16/30").await);
    let by_address = ips_of(&get(&alice, &format!("/ips?ip={ALICE_V6_ENTRY}")).await);
    let by_hostname = ips_of(&get(&alice, "/ips?hostname=mail").await);

    assert_eq!(by_server, ALICE_V4_ADDRESSES.to_vec());
    assert_eq!(by_network, ALICE_V4_ADDRESSES[..4].to_vec());
    assert_eq!(by_address, vec![ALICE_V6_ENTRY]);
    assert_eq!(by_hostname, vec![ALICE_SINGLE, ALICE_V6_ENTRY]);
    let wrong = get(&alice, "/ips?per_page=501").await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert_eq!(wrong.json()["error"]["invalid"], json!(["per_page"]));
}

#[tokio::test]
async fn one_address_is_shown_with_its_version_as_etag_in_any_textual_form() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    set_ptr(&alice, ALICE_V6_ENTRY, "mail.example.com", None).await;
    set_ptr(&alice, ALICE_V6_ENTRY, "mx.example.com", None).await;

    let reply = get(&alice, "/ips/2001:DB8:10:0:0:0:0:25").await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.header("etag").as_deref(), Some("\"2\""));
    let item = reply.json();
    assert_eq!(item["ip"], ALICE_V6_ENTRY);
    assert_eq!(item["ptr"], "mx.example.com");
    assert_eq!(item["version"], 2);
    assert_eq!(item["assignment"], "2001:db8:10::/64");
    let fresh = get(&alice, &format!("/ips/{ALICE_SINGLE}")).await;
    assert_eq!(fresh.header("etag").as_deref(), Some("\"0\""));
    assert_eq!(
        fresh.json()["default"],
        "static.45.113.0.203.clients.example.net"
    );
}

#[tokio::test]
async fn an_address_that_is_not_the_customers_is_the_same_404_whatever_it_is() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    for ip in [
        BOB_SINGLE,
        "192.0.2.99",
        "not-an-ip",
        "::ffff:203.0.113.200",
    ] {
        let reply = get(&alice, &format!("/ips/{ip}")).await;

        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{ip}");
        assert_eq!(reply.error_code(), "IP_NOT_FOUND", "{ip}");
    }
}

#[tokio::test]
async fn setting_a_ptr_answers_its_state_canonical_name_findings_and_new_version() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;

    let reply = set_ptr(&alice, ALICE_SINGLE, "MAIL.Example.COM.", None).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.header("etag").as_deref(), Some("\"1\""));
    let answer = reply.json();
    assert_eq!(answer["state"], "published");
    assert_eq!(answer["requested"], "mail.example.com");
    assert_eq!(answer["ptr"], "mail.example.com");
    assert_eq!(answer["version"], 1);
    assert_eq!(answer["unchanged"], false);
    assert!(answer["findings"].is_array());
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("mail.example.com")
    );
    let audit = app.audit(ALICE_SINGLE).await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].door, "api");
    assert!(audit[0].actor.starts_with("api:"), "{}", audit[0].actor);

    let again = set_ptr(&alice, ALICE_SINGLE, "mail.example.com", None).await;
    assert_eq!(again.json()["unchanged"], true);
    assert_eq!(app.audit(ALICE_SINGLE).await.len(), 1, "nothing written");
}

#[tokio::test]
async fn a_name_the_checks_reject_is_stored_as_rejected_and_the_ptr_in_force_stays() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    set_ptr(&alice, ALICE_SINGLE, "mail.example.com", None).await;

    let reply = set_ptr(&alice, ALICE_SINGLE, "mail.alice.local", None).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let answer = reply.json();
    assert_eq!(answer["state"], "rejected");
    assert_eq!(answer["requested"], "mail.alice.local");
    assert_eq!(answer["ptr"], "mail.example.com", "the PTR in force stays");
    assert_eq!(answer["findings"][0]["id"], "reserved-name");
    assert_eq!(answer["findings"][0]["severity"], "error");
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("mail.example.com")
    );
    assert!(has_open_change(&app, ALICE_SINGLE).await);
}

#[tokio::test]
async fn a_name_that_is_not_a_host_name_is_422_with_the_syntax_finding_and_stores_nothing() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;

    let reply = set_ptr(&alice, ALICE_SINGLE, "mail_1.example.com", None).await;

    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let error = &reply.json()["error"];
    assert_eq!(error["code"], "INVALID_INPUT");
    assert_eq!(error["invalid"], json!(["ptr"]));
    assert_eq!(error["findings"][0]["id"], "syntax");
    assert_eq!(app.entry(ALICE_SINGLE).await, None);
    assert!(app.audit(ALICE_SINGLE).await.is_empty());
    assert!(!has_open_change(&app, ALICE_SINGLE).await);
}

#[tokio::test]
async fn a_set_based_on_an_old_version_is_refused_with_412_naming_the_value_in_force() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    let first = set_ptr(&alice, ALICE_SINGLE, "one.example.com", Some("\"0\"")).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.header("etag").as_deref(), Some("\"1\""));

    let stale = set_ptr(&alice, ALICE_SINGLE, "two.example.com", Some("\"0\"")).await;

    assert_eq!(
        stale.status,
        StatusCode::PRECONDITION_FAILED,
        "{}",
        stale.body
    );
    let error = &stale.json()["error"];
    assert_eq!(error["code"], "VERSION_MISMATCH");
    assert!(
        error["message"]
            .as_str()
            .expect("a message")
            .contains("one.example.com"),
        "{error}"
    );
    assert_eq!(error["current_ptr"], "one.example.com");
    assert_eq!(error["current_version"], 1);
    assert_eq!(stale.header("etag").as_deref(), Some("\"1\""));
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("one.example.com")
    );

    let current = set_ptr(&alice, ALICE_SINGLE, "two.example.com", Some("\"1\"")).await;

    assert_eq!(current.status, StatusCode::OK, "{}", current.body);
    assert_eq!(current.header("etag").as_deref(), Some("\"2\""));
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("two.example.com")
    );
}

#[tokio::test]
async fn resetting_brings_back_the_default_and_respects_if_match() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    set_ptr(&alice, ALICE_SINGLE, "one.example.com", None).await;
    set_ptr(&alice, ALICE_SINGLE, "two.example.com", None).await;

    let stale = reset_ptr(&alice, ALICE_SINGLE, Some("\"1\"")).await;
    assert_eq!(
        stale.status,
        StatusCode::PRECONDITION_FAILED,
        "{}",
        stale.body
    );
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("two.example.com")
    );

    let reply = reset_ptr(&alice, ALICE_SINGLE, Some("\"2\"")).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let answer = reply.json();
    assert_eq!(answer["state"], "published");
    assert_eq!(answer["requested"], Value::Null);
    assert_eq!(answer["ptr"], Value::Null);
    assert_eq!(reply.header("etag").as_deref(), Some("\"3\""));
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
    let null_body = native::v1(
        &alice,
        Method::PUT,
        &format!("/ips/{ALICE_SINGLE}"),
        Some(&json!({"ptr": null})),
        &[],
    )
    .await;
    assert_eq!(null_body.json()["unchanged"], true, "{}", null_body.body);
}

#[tokio::test]
async fn the_dry_run_check_reports_findings_and_the_state_it_would_get_and_writes_nothing() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    let cases = [
        ("mail.example.com", "published", "ok"),
        ("mail.alice.local", "rejected", "error"),
    ];
    for (name, state, verdict) in cases {
        let reply = post(
            &alice,
            "/check",
            &json!({ "ip": ALICE_SINGLE, "ptr": name, "offline": true }),
        )
        .await;

        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let report = reply.json();
        assert_eq!(report["hostname"], name);
        assert_eq!(report["state"], state, "{report}");
        assert_eq!(report["verdict"], verdict, "{report}");
        assert!(report["findings"].is_array());
    }
    let syntax = post(
        &alice,
        "/check",
        &json!({ "ip": ALICE_SINGLE, "ptr": "a b" }),
    )
    .await;
    assert_eq!(syntax.json()["state"], Value::Null);
    assert_eq!(syntax.json()["findings"][0]["id"], "syntax");

    assert_eq!(app.entry(ALICE_SINGLE).await, None);
    assert!(app.audit(ALICE_SINGLE).await.is_empty());
    assert!(!has_open_change(&app, ALICE_SINGLE).await);
}

#[tokio::test]
async fn another_customers_ips_cannot_be_read_or_changed_through_any_native_endpoint() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    set_ptr(&alice, ALICE_SINGLE, "secret.alice-hosting.net", None).await;
    let bob = app.api_client("K2").await;
    let path = format!("/ips/{ALICE_SINGLE}");

    let answers = [
        get(&bob, &path).await,
        set_ptr(&bob, ALICE_SINGLE, "bob.example.com", None).await,
        set_ptr(&bob, ALICE_SINGLE, "bob.example.com", Some("\"1\"")).await,
        reset_ptr(&bob, ALICE_SINGLE, None).await,
        post(
            &bob,
            "/check",
            &json!({ "ip": ALICE_SINGLE, "ptr": "bob.example.com" }),
        )
        .await,
    ];
    for reply in &answers {
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
        assert_eq!(reply.error_code(), "IP_NOT_FOUND");
        assert!(!reply.body.contains("secret"), "{}", reply.body);
    }
    for atomic in [true, false] {
        let reply = native::bulk(
            &bob,
            &[(ALICE_SINGLE, Some("bob.example.com"))],
            false,
            atomic,
        )
        .await;
        assert!(reply.body.contains("IP_NOT_FOUND"), "{}", reply.body);
    }
    for query in [
        "",
        "?ip=203.0.113.45",
        "?hostname=secret",
        "?ip=203.0.113.0/24",
    ] {
        let listed = ips_of(&get(&bob, &format!("/ips{query}")).await);
        assert!(
            !listed.contains(&ALICE_SINGLE.to_owned()),
            "{query}: {listed:?}"
        );
    }
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("secret.alice-hosting.net")
    );
    assert_eq!(
        app.audit(ALICE_SINGLE).await.len(),
        1,
        "only alice's change"
    );
}

#[tokio::test]
async fn every_authenticated_answer_carries_the_rate_limit_headers() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    let answers = [
        get(&alice, "/ips").await,
        get(&alice, &format!("/ips/{ALICE_SINGLE}")).await,
        set_ptr(&alice, ALICE_SINGLE, "mail.example.com", None).await,
        set_ptr(&alice, ALICE_SINGLE, "x", Some("\"0\"")).await,
        reset_ptr(&alice, ALICE_SINGLE, None).await,
        get(&alice, &format!("/ips/{BOB_SINGLE}")).await,
        post(
            &alice,
            "/check",
            &json!({ "ip": ALICE_SINGLE, "ptr": "a.example.com" }),
        )
        .await,
        native::bulk(&alice, &[(ALICE_SINGLE, None)], true, true).await,
        native::v1(
            &alice,
            Method::PUT,
            &format!("/ips/{ALICE_SINGLE}"),
            Some(&json!({})),
            &[],
        )
        .await,
    ];
    let mut remaining = Vec::new();
    for reply in &answers {
        assert_eq!(
            reply.header("ratelimit-limit").as_deref(),
            Some("200"),
            "{}",
            reply.body
        );
        assert!(reply.header("ratelimit-reset").is_some(), "{}", reply.body);
        let left: i64 = reply
            .header("ratelimit-remaining")
            .expect("RateLimit-Remaining")
            .parse()
            .expect("a number");
        remaining.push(left);
    }
    let expected: Vec<i64> = (0..answers.len() as i64).map(|n| 199 - n).collect();
    assert_eq!(remaining, expected, "one request each");
}

#[tokio::test]
async fn bad_requests_get_json_errors_never_an_html_page() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    let path = format!("/ips/{ALICE_SINGLE}");
    let not_json = alice
        .request(Method::PUT, &format!("/api/v1{path}"))
        .header("content-type", "application/json")
        .body("{ptr: nope")
        .send()
        .await
        .expect("an answer");
    assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_str(&not_json.text().await.expect("a body")).expect("JSON");
    assert_eq!(body["error"]["code"], "INVALID_INPUT");

    let missing = native::v1(
        &alice,
        Method::PUT,
        &path,
        Some(&json!({ "name": "x" })),
        &[],
    )
    .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.json()["error"]["missing"], json!(["ptr"]));

    let bad_if_match = set_ptr(&alice, ALICE_SINGLE, "a.example.com", Some("yesterday")).await;
    assert_eq!(bad_if_match.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_if_match.json()["error"]["invalid"], json!(["If-Match"]));

    let unknown = get(&alice, "/nothing-here").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.error_code(), "NOT_FOUND");
    let wrong_method = native::v1(&alice, Method::POST, "/ips", None, &[]).await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.error_code(), "METHOD_NOT_ALLOWED");

    let anonymous = get(&app.api(None), "/ips").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.error_code(), "UNAUTHORIZED");
    assert!(anonymous.header("www-authenticate").is_some());
}

/// Every route registered under `/api/v1`, by path and method.
const NATIVE_ROUTES: [(&str, &str); 15] = [
    ("/ips", "get"),
    ("/ips/{ip}", "get"),
    ("/ips/{ip}", "put"),
    ("/ips/{ip}", "delete"),
    ("/ips/{ip}/mail-readiness", "get"),
    ("/check", "post"),
    ("/bulk", "post"),
    ("/inventory/customers/{number}", "get"),
    ("/inventory/customers/{number}", "put"),
    ("/inventory/customers/{number}", "delete"),
    ("/inventory/customers/{number}/users", "get"),
    ("/inventory/customers/{number}/users", "post"),
    ("/inventory", "get"),
    ("/inventory", "put"),
    ("/openapi.json", "get"),
];

#[tokio::test]
async fn the_openapi_document_is_json_3_1_and_lists_every_native_route() {
    let app = spawn_app().await;

    let reply = get(&app.api(None), "/openapi.json").await;

    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json"))
    );
    let document = reply.json();
    let version = document["openapi"].as_str().expect("an openapi version");
    assert!(version.starts_with("3.1."), "{version}");
    let paths = document["paths"].as_object().expect("paths");
    let documented: BTreeSet<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("a path item")
                .keys()
                .filter(|key| ["get", "put", "post", "delete", "patch"].contains(&key.as_str()))
                .map(move |method| (path.clone(), method.clone()))
        })
        .collect();
    let registered: BTreeSet<(String, String)> = NATIVE_ROUTES
        .iter()
        .map(|(path, method)| (path.to_string(), method.to_string()))
        .collect();
    assert_eq!(documented, registered);
    assert_eq!(
        document["components"]["securitySchemes"]["basicAuth"]["scheme"],
        "basic"
    );
    for header in ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"] {
        assert!(
            document["components"]["headers"][header].is_object(),
            "{header}"
        );
    }
    for (path, method) in NATIVE_ROUTES
        .iter()
        .filter(|(path, _)| *path != "/openapi.json")
    {
        let responses = &paths[*path][*method]["responses"];
        assert!(
            responses["401"].is_object(),
            "{method} {path} documents 401"
        );
        // The success answer: 200, or 201 where something is made.
        let success = if responses["201"].is_object() {
            &responses["201"]
        } else {
            &responses["200"]
        };
        assert!(
            success["headers"]["RateLimit-Remaining"].is_object(),
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn every_documented_route_is_served() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    for (path, method) in NATIVE_ROUTES {
        let path = path.replace("{ip}", ALICE_SINGLE);
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");

        let reply = native::v1(&alice, method.clone(), &path, Some(&json!({})), &[]).await;

        let code = reply.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            code != "NOT_FOUND" && code != "METHOD_NOT_ALLOWED",
            "{method} {path}: {}",
            reply.body
        );
    }
}

//! The Robot-compatible rDNS API as a Robot client uses it: HTTP basic auth, form-encoded
//! `ptr`, JSON answers and errors in Robot's envelope, through real HTTP. Every call, every
//! error code of SPEC "API", the login block and the rate limit, and another customer's
//! attempts on every call.

use crate::helpers::api::{ApiClient, ApiReply};
use crate::helpers::dns_server::{DnsServer, Zone};
use crate::helpers::*;
use ptrdesk::checks::policy::ForwardPolicy;
use ptrdesk::domain::RobotPending;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// An address in alice's /29 (server `alice-cluster`).
const ALICE_IN_SUBNET: &str = "198.51.100.17";
/// Another address of that /29.
const ALICE_OTHER_IN_SUBNET: &str = "198.51.100.20";
/// An address in alice's /64 (server `alice-mail`).
const ALICE_V6_ENTRY: &str = "2001:db8:10::25";
/// An address nobody holds.
const UNASSIGNED: &str = "192.0.2.77";

const WWW: &str = "www.alice-hosting.net";
const NODE: &str = "node1.alice-hosting.net";
const MAIL: &str = "mail.alice-hosting.net";

/// Asserts a Robot error envelope with this status and code, and nothing a Robot client
/// would not expect in its three standard fields.
fn assert_error(reply: &ApiReply, status: StatusCode, code: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("application/json"),
        "{}",
        reply.body
    );
    let error = &reply.json()["error"];
    assert_eq!(error["status"], json!(status.as_u16()), "{}", reply.body);
    assert_eq!(error["code"], json!(code), "{}", reply.body);
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|text| !text.is_empty()),
        "{}",
        reply.body
    );
}

fn rdns(ip: &str, ptr: &str) -> Value {
    json!({ "rdns": { "ip": ip, "ptr": ptr } })
}

/// The `rdns` object of a write's answer (the extra fields beside it are checked apart).
fn written_rdns(reply: &ApiReply) -> Value {
    json!({ "rdns": reply.json()["rdns"].clone() })
}

/// Alice's client with PTRs on her single address, in her /29 and in her /64.
async fn alice_with_ptrs(app: &TestApp) -> ApiClient {
    let alice = app.api_client(ALICE_NUMBER).await;
    for (ip, name) in [
        (ALICE_SINGLE, WWW),
        (ALICE_IN_SUBNET, NODE),
        (ALICE_V6_ENTRY, MAIL),
    ] {
        let reply = alice.post_ptr(ip, name).await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "arranged: {}",
            reply.body
        );
    }
    alice
}

#[tokio::test]
async fn the_list_holds_the_customers_own_ptrs_in_address_order() {
    let app = spawn_app().await;
    let alice = alice_with_ptrs(&app).await;
    let bob = app.api_client("K2").await;
    bob.post_ptr(BOB_SINGLE, "edge.bob-networks.net").await;

    let reply = alice.get("/rdns").await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        reply.json(),
        json!([
            rdns(ALICE_IN_SUBNET, NODE),
            rdns(ALICE_SINGLE, WWW),
            rdns(ALICE_V6_ENTRY, MAIL),
        ]),
        "exactly Robot's shape, only alice's own names, no defaults"
    );
}

#[tokio::test]
async fn the_list_is_not_found_while_the_customer_has_no_ptr_of_their_own() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;

    assert_error(
        &alice.get("/rdns").await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    );

    alice.post_ptr(ALICE_SINGLE, WWW).await;
    alice.delete_ptr(ALICE_SINGLE).await;

    assert_error(
        &alice.get("/rdns").await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    );
}

#[tokio::test]
async fn server_ip_narrows_the_list_to_the_server_holding_that_address() {
    let app = spawn_app().await;
    let alice = alice_with_ptrs(&app).await;

    let cluster = alice
        .get(&format!("/rdns?server_ip={ALICE_OTHER_IN_SUBNET}"))
        .await;
    let mail = alice.get("/rdns?server_ip=2001:db8:10::1").await;
    let web = alice.get(&format!("/rdns?server_ip={ALICE_SINGLE}")).await;

    assert_eq!(cluster.json(), json!([rdns(ALICE_IN_SUBNET, NODE)]));
    assert_eq!(mail.json(), json!([rdns(ALICE_V6_ENTRY, MAIL)]));
    assert_eq!(web.json(), json!([rdns(ALICE_SINGLE, WWW)]));
    for server_ip in [BOB_SINGLE, UNASSIGNED, "not-an-address"] {
        let reply = alice.get(&format!("/rdns?server_ip={server_ip}")).await;
        assert_error(&reply, StatusCode::NOT_FOUND, "NOT_FOUND");
    }
}

#[tokio::test]
async fn one_address_answers_its_ptr_or_says_why_there_is_none() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    alice.post_ptr(ALICE_SINGLE, WWW).await;

    let found = alice.get(&format!("/rdns/{ALICE_SINGLE}")).await;

    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.json(), rdns(ALICE_SINGLE, WWW), "no extra fields");
    let default_only = alice.get(&format!("/rdns/{ALICE_IN_SUBNET}")).await;
    assert_error(&default_only, StatusCode::NOT_FOUND, "RDNS_NOT_FOUND");
    // Not an address we hold, in any sense: IP_NOT_FOUND.
    // `::ffff:203.0.113.200` is Bob's 203.0.113.200 (operator.rs: one address, both spellings).
    for ip in [
        UNASSIGNED,
        "not-an-address",
        "203.0.113.045",
        "::ffff:203.0.113.200",
    ] {
        let reply = alice.get(&format!("/rdns/{ip}")).await;
        assert_error(&reply, StatusCode::NOT_FOUND, "IP_NOT_FOUND");
    }
}

#[tokio::test]
async fn put_creates_a_ptr_and_refuses_to_replace_one() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;

    let created = alice.put_ptr(ALICE_SINGLE, WWW).await;

    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(written_rdns(&created), rdns(ALICE_SINGLE, WWW));
    assert_eq!(created.json()["state"], json!("published"));
    assert_eq!(created.json()["findings"], json!([]));
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await.as_deref(), Some(WWW));

    let again = alice.put_ptr(ALICE_SINGLE, MAIL).await;

    assert_error(&again, StatusCode::CONFLICT, "RDNS_ALREADY_EXISTS");
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await.as_deref(), Some(WWW));

    alice.delete_ptr(ALICE_SINGLE).await;
    let after_reset = alice.put_ptr(ALICE_SINGLE, MAIL).await;
    assert_eq!(
        after_reset.status,
        StatusCode::CREATED,
        "the default is no entry"
    );
}

#[tokio::test]
async fn post_creates_then_updates_and_answers_the_name_as_the_client_sent_it() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    const AS_SENT: &str = "Mail.Alice-Hosting.NET";

    let created = alice.post_ptr(ALICE_SINGLE, WWW).await;
    let updated = alice.post_ptr(ALICE_SINGLE, &format!("{AS_SENT}.")).await;
    let rows_after_update = app.audit(ALICE_SINGLE).await.len();
    let same_but_for_case = alice.post_ptr(ALICE_SINGLE, MAIL).await;

    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(written_rdns(&created), rdns(ALICE_SINGLE, WWW));
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(
        written_rdns(&updated),
        rdns(ALICE_SINGLE, AS_SENT),
        "case kept, one trailing dot stripped"
    );
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some(MAIL),
        "DNS serves the canonical name"
    );
    let get = alice.get(&format!("/rdns/{ALICE_SINGLE}")).await;
    assert_eq!(get.json(), rdns(ALICE_SINGLE, AS_SENT), "read back as sent");
    let list = alice.get("/rdns").await;
    assert_eq!(list.json(), json!([rdns(ALICE_SINGLE, AS_SENT)]));
    assert_eq!(
        same_but_for_case.status,
        StatusCode::OK,
        "{}",
        same_but_for_case.body
    );
    assert_eq!(written_rdns(&same_but_for_case), rdns(ALICE_SINGLE, MAIL));
    assert_eq!(
        app.audit(ALICE_SINGLE).await.len(),
        rows_after_update,
        "a name equal but for case is unchanged: nothing recorded"
    );
}

#[tokio::test]
async fn an_empty_ptr_resets_to_the_provider_default() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    alice.post_ptr(ALICE_SINGLE, WWW).await;

    let reset = alice.post_ptr(ALICE_SINGLE, "").await;

    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    assert_eq!(
        written_rdns(&reset),
        rdns(ALICE_SINGLE, "static.45.113.0.203.clients.example.net"),
        "answered with the default name"
    );
    assert_eq!(reset.json()["state"], json!("default"));
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
    let get = alice.get(&format!("/rdns/{ALICE_SINGLE}")).await;
    assert_error(&get, StatusCode::NOT_FOUND, "RDNS_NOT_FOUND");
    let last = app.audit(ALICE_SINGLE).await.pop().expect("an audit row");
    assert_eq!(
        (last.door.as_str(), last.action.as_str(), last.new_value),
        ("api", "ptr.reset", None)
    );
}

#[tokio::test]
async fn ptr_in_the_query_string_is_read_like_the_form_field() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;

    let created = alice
        .send(
            Method::POST,
            &format!("/rdns/{ALICE_SINGLE}?ptr={WWW}"),
            None,
        )
        .await;
    let body_wins = alice
        .send(
            Method::POST,
            &format!("/rdns/{ALICE_SINGLE}?ptr={WWW}"),
            Some(&[("ptr", MAIL)]),
        )
        .await;

    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(written_rdns(&created), rdns(ALICE_SINGLE, WWW));
    assert_eq!(body_wins.status, StatusCode::OK, "{}", body_wins.body);
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some(MAIL),
        "the form field comes first"
    );
}

#[tokio::test]
async fn a_write_without_ptr_is_invalid_input_naming_the_missing_field() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    let path = format!("/rdns/{ALICE_SINGLE}");

    let empty_form = alice.send(Method::POST, &path, Some(&[])).await;
    let other_field = alice
        .send(Method::PUT, &path, Some(&[("hostname", WWW)]))
        .await;
    let json_body = alice
        .request(Method::POST, &path)
        .header("content-type", "application/json")
        .body(format!(r#"{{"ptr":"{WWW}"}}"#))
        .send()
        .await
        .expect("the API answers");
    let json_status = json_body.status();
    let json_body: Value = serde_json::from_str(&json_body.text().await.expect("a body"))
        .expect("a JSON error, not an HTML page");

    for reply in [&empty_form, &other_field] {
        assert_error(reply, StatusCode::BAD_REQUEST, "INVALID_INPUT");
        assert_eq!(reply.json()["error"]["missing"], json!(["ptr"]));
        assert_eq!(reply.json()["error"]["invalid"], json!([]));
    }
    assert_eq!(json_status, StatusCode::BAD_REQUEST);
    assert_eq!(json_body["error"]["missing"], json!(["ptr"]));
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
    assert!(app.audit(ALICE_SINGLE).await.is_empty(), "nothing recorded");
}

#[tokio::test]
async fn a_name_that_is_not_a_host_name_is_invalid_input_with_the_syntax_finding() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;

    let reply = alice
        .put_ptr(ALICE_SINGLE, "mail_server.alice-hosting.net")
        .await;

    assert_error(&reply, StatusCode::BAD_REQUEST, "INVALID_INPUT");
    let error = &reply.json()["error"];
    assert_eq!(error["invalid"], json!(["ptr"]));
    assert_eq!(error["missing"], json!([]));
    assert_eq!(
        error["findings"][0]["id"],
        json!("syntax"),
        "{}",
        reply.body
    );
    assert_eq!(error["findings"][0]["severity"], json!("error"));
    assert!(error.get("state").is_none(), "nothing was stored");
    assert!(app.audit(ALICE_SINGLE).await.is_empty());
}

#[tokio::test]
async fn a_name_the_checks_reject_is_invalid_input_with_the_findings_and_changes_nothing() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    alice.post_ptr(ALICE_SINGLE, WWW).await;

    let reply = alice.post_ptr(ALICE_SINGLE, "mail.example").await;

    assert_error(&reply, StatusCode::BAD_REQUEST, "INVALID_INPUT");
    let error = &reply.json()["error"];
    assert_eq!(error["invalid"], json!(["ptr"]));
    assert_eq!(error["state"], json!("rejected"));
    let findings = error["findings"].as_array().expect("findings");
    assert!(
        findings
            .iter()
            .any(|finding| finding["id"] == json!("reserved-name")
                && finding["severity"] == json!("error")),
        "{}",
        reply.body
    );
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some(WWW),
        "the PTR in force stays"
    );
    let last = app.audit(ALICE_SINGLE).await.pop().expect("an audit row");
    assert_eq!(
        (last.door.as_str(), last.action.as_str()),
        ("api", "ptr.request.rejected")
    );
}

#[tokio::test]
async fn delete_resets_to_the_default_and_answers_an_empty_body() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    alice.post_ptr(ALICE_SINGLE, WWW).await;

    let deleted = alice.delete_ptr(ALICE_SINGLE).await;

    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(deleted.body, "", "Robot answers DELETE with no body");
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
    let get = alice.get(&format!("/rdns/{ALICE_SINGLE}")).await;
    assert_error(&get, StatusCode::NOT_FOUND, "RDNS_NOT_FOUND");
    for ip in [ALICE_SINGLE, ALICE_IN_SUBNET] {
        let again = alice.delete_ptr(ip).await;
        assert_eq!(
            (again.status, again.body.as_str()),
            (StatusCode::OK, ""),
            "{ip}: nothing to delete is no error"
        );
    }
}

#[tokio::test]
async fn ipv6_addresses_are_accepted_in_any_textual_form_and_answered_canonically() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;

    let created = alice
        .post_ptr("2001:0DB8:0010:0000:0000:0000:0000:0025", MAIL)
        .await;

    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(written_rdns(&created), rdns(ALICE_V6_ENTRY, MAIL));
    assert_eq!(app.stored_ptr(ALICE_V6_ENTRY).await.as_deref(), Some(MAIL));
    for form in [
        "2001:db8:10:0:0:0:0:25",
        "2001%3Adb8%3A10%3A%3A25",
        "2001:DB8:10::25",
    ] {
        let reply = alice.get(&format!("/rdns/{form}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{form}: {}", reply.body);
        assert_eq!(reply.json(), rdns(ALICE_V6_ENTRY, MAIL), "{form}");
    }
    let conflict = alice.put_ptr("2001:db8:0010::0025", WWW).await;
    assert_error(&conflict, StatusCode::CONFLICT, "RDNS_ALREADY_EXISTS");
    let deleted = alice.delete_ptr("2001:DB8:10:0::25").await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(app.stored_ptr(ALICE_V6_ENTRY).await, None);
}

#[tokio::test]
async fn another_customer_can_neither_read_nor_touch_the_first_ones_ips() {
    let app = spawn_app().await;
    let _alice = alice_with_ptrs(&app).await;
    let bob = app.api_client("K2").await;

    for ip in [
        ALICE_SINGLE,
        ALICE_IN_SUBNET,
        ALICE_OTHER_IN_SUBNET,
        ALICE_V6_ENTRY,
    ] {
        let replies = [
            bob.get(&format!("/rdns/{ip}")).await,
            bob.put_ptr(ip, "taken.bob-networks.net").await,
            bob.post_ptr(ip, "taken.bob-networks.net").await,
            bob.send(Method::POST, &format!("/rdns/{ip}"), Some(&[]))
                .await,
            bob.delete_ptr(ip).await,
        ];
        let unassigned = bob.get(&format!("/rdns/{UNASSIGNED}")).await;
        for reply in &replies {
            assert_error(reply, StatusCode::NOT_FOUND, "IP_NOT_FOUND");
            assert_eq!(
                reply.body.replace(ip, "IP"),
                unassigned.body.replace(UNASSIGNED, "IP"),
                "{ip}: the same answer as for an address nobody holds"
            );
        }
        let server = bob.get(&format!("/rdns?server_ip={ip}")).await;
        assert_error(&server, StatusCode::NOT_FOUND, "NOT_FOUND");
    }
    assert_error(&bob.get("/rdns").await, StatusCode::NOT_FOUND, "NOT_FOUND");
    for (ip, name) in [
        (ALICE_SINGLE, WWW),
        (ALICE_IN_SUBNET, NODE),
        (ALICE_V6_ENTRY, MAIL),
    ] {
        assert_eq!(app.stored_ptr(ip).await.as_deref(), Some(name), "{ip}");
        let audit = app.audit(ip).await;
        assert_eq!(audit.len(), 1, "only alice's own write: {audit:?}");
    }
    assert!(app.audit(ALICE_OTHER_IN_SUBNET).await.is_empty());
}

#[tokio::test]
async fn writes_are_audited_as_the_api_door_with_the_credential_and_source() {
    let app = spawn_app().await;
    let login = app.api_login(ALICE_NUMBER).await;
    let alice = app.api(Some(&login));

    alice.post_ptr(ALICE_SINGLE, WWW).await;
    alice.delete_ptr(ALICE_SINGLE).await;

    let audit = app.audit(ALICE_SINGLE).await;
    let rows: Vec<_> = audit
        .iter()
        .map(|row| {
            (
                row.actor.as_str(),
                row.source.as_str(),
                row.door.as_str(),
                row.action.as_str(),
                row.old_value.as_deref(),
                row.new_value.as_deref(),
            )
        })
        .collect();
    let actor = format!("api:{}", login.username);
    assert_eq!(
        rows,
        [
            (
                actor.as_str(),
                "127.0.0.1",
                "api",
                "ptr.set",
                None,
                Some(WWW)
            ),
            (
                actor.as_str(),
                "127.0.0.1",
                "api",
                "ptr.reset",
                Some(WWW),
                None
            ),
        ]
    );
}

#[tokio::test]
async fn every_call_without_valid_credentials_is_unauthorized_and_changes_nothing() {
    let app = spawn_app().await;
    let login = app.api_login(ALICE_NUMBER).await;
    let anonymous = app.api(None);
    let path = format!("/rdns/{ALICE_SINGLE}");

    let replies = [
        anonymous.get("/rdns").await,
        anonymous.get(&path).await,
        anonymous.put_ptr(ALICE_SINGLE, WWW).await,
        anonymous.post_ptr(ALICE_SINGLE, WWW).await,
        anonymous.delete_ptr(ALICE_SINGLE).await,
    ];
    let mut wrong_secret = login.clone();
    wrong_secret.secret.push('x');
    let unknown_user = crate::helpers::api::ApiLogin {
        username: "nobody".to_owned(),
        secret: login.secret.clone(),
    };
    let bad = [
        app.api(Some(&wrong_secret))
            .post_ptr(ALICE_SINGLE, WWW)
            .await,
        app.api(Some(&unknown_user)).get(&path).await,
    ];

    for reply in replies.iter().chain(&bad) {
        assert_error(reply, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
        assert!(
            reply
                .header("www-authenticate")
                .is_some_and(|value| value.starts_with("Basic")),
            "{:?}",
            reply.headers
        );
    }
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
    let works = app.api(Some(&login)).post_ptr(ALICE_SINGLE, WWW).await;
    assert_eq!(
        works.status,
        StatusCode::CREATED,
        "two failures do not block"
    );
}

#[tokio::test]
async fn three_failed_logins_from_one_address_block_it_even_for_good_credentials() {
    let app = spawn_app().await;
    let login = app.api_login(ALICE_NUMBER).await;
    let mut wrong = login.clone();
    wrong.secret = "guess".to_owned();
    let attacker = app.api_from(Some(&wrong), Some([127, 0, 0, 2]));
    for _ in 0..3 {
        let reply = attacker.get("/rdns").await;
        assert_error(&reply, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
    }

    let blocked = app
        .api_from(Some(&login), Some([127, 0, 0, 2]))
        .post_ptr(ALICE_SINGLE, WWW)
        .await;

    assert_error(&blocked, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
    assert!(blocked.body.contains("blocked"), "{}", blocked.body);
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
    let elsewhere = app
        .api_from(Some(&login), Some([127, 0, 0, 3]))
        .post_ptr(ALICE_SINGLE, WWW)
        .await;
    assert_eq!(
        elsewhere.status,
        StatusCode::CREATED,
        "only that address is blocked: {}",
        elsewhere.body
    );
}

#[tokio::test]
async fn over_the_rate_limit_a_customer_gets_rate_limit_exceeded_with_the_limit() {
    // An interval of about 31 years: the test can never straddle two windows.
    const INTERVAL: u64 = 1_000_000_000;
    let app = spawn_app_with(|settings| {
        settings.api_rate_limit = 3;
        settings.api_rate_interval_seconds = INTERVAL;
    })
    .await;
    let alice = app.api_client(ALICE_NUMBER).await;
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let reply = alice.get(&format!("/rdns/{ALICE_SINGLE}")).await;
        assert_error(&reply, StatusCode::NOT_FOUND, "RDNS_NOT_FOUND");
        remaining.push(reply.header("ratelimit-remaining"));
    }

    let over = alice.post_ptr(ALICE_SINGLE, WWW).await;

    assert_eq!(
        remaining,
        [
            Some("2".to_owned()),
            Some("1".to_owned()),
            Some("0".to_owned())
        ]
    );
    assert_error(&over, StatusCode::FORBIDDEN, "RATE_LIMIT_EXCEEDED");
    assert_eq!(
        over.json()["error"]["max_request"],
        json!(3),
        "as documented"
    );
    assert_eq!(
        over.json()["error"]["max_requests"],
        json!(3),
        "as the live API sends"
    );
    assert_eq!(over.json()["error"]["interval"], json!(INTERVAL));
    assert!(over.header("retry-after").is_some());
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await,
        None,
        "refused, not applied"
    );
    let other_credential = app.api_client(ALICE_NUMBER).await;
    let reply = other_credential.post_ptr(ALICE_SINGLE, WWW).await;
    assert_error(&reply, StatusCode::FORBIDDEN, "RATE_LIMIT_EXCEEDED");
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await,
        None,
        "a second credential of the same customer buys no more requests"
    );
    let bob = app.api_client("K2").await;
    assert_eq!(
        bob.get(&format!("/rdns/{BOB_SINGLE}")).await.error_code(),
        "RDNS_NOT_FOUND",
        "another customer has a limit of their own"
    );
}

/// An app whose DNS checks ask a server that knows `alice-hosting.net` but none of its
/// hosts: every name there waits for DNS (`pending`).
async fn app_where_names_wait_for_dns(pending: RobotPending) -> (TestApp, DnsServer) {
    let dns = DnsServer::serving([Zone::new("net"), Zone::new("alice-hosting.net")]).await;
    let server = dns.address.to_string();
    let app = spawn_app_with(|settings| {
        settings.dns_checks = true;
        settings.dns_servers = vec![server];
        settings.check_mode = ptrdesk::domain::CheckMode::Resolver;
        settings.forward_policy = ForwardPolicy::Require;
        settings.robot_pending = pending;
    })
    .await;
    (app, dns)
}

#[tokio::test]
async fn a_change_waiting_for_dns_is_what_get_answers_until_it_is_withdrawn() {
    let (app, _dns) = app_where_names_wait_for_dns(RobotPending::Accept).await;
    let alice = app.api_client(ALICE_NUMBER).await;
    const AS_SENT: &str = "Mail.Alice-Hosting.net";

    let reply = alice.post_ptr(ALICE_SINGLE, AS_SENT).await;

    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(written_rdns(&reply), rdns(ALICE_SINGLE, AS_SENT));
    let body = reply.json();
    assert_eq!(body["state"], json!("pending"));
    let forward_finding = |body: &Value| {
        body["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|finding| finding["id"] == json!("forward-confirmed"))
    };
    assert!(forward_finding(&body), "{}", reply.body);
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None, "not in force yet");
    let get = alice.get(&format!("/rdns/{ALICE_SINGLE}")).await;
    assert_eq!(get.status, StatusCode::OK, "{}", get.body);
    assert_eq!(
        written_rdns(&get),
        rdns(ALICE_SINGLE, AS_SENT),
        "what it asked for"
    );
    assert_eq!(get.json()["state"], json!("pending"));
    assert!(forward_finding(&get.json()), "{}", get.body);
    let list = alice.get("/rdns").await;
    assert_eq!(list.json()[0]["rdns"], rdns(ALICE_SINGLE, AS_SENT)["rdns"]);
    assert_eq!(list.json()[0]["state"], json!("pending"));
    let last = app.audit(ALICE_SINGLE).await.pop().expect("an audit row");
    assert_eq!(
        (last.door.as_str(), last.action.as_str()),
        ("api", "ptr.request.pending")
    );

    let deleted = alice.delete_ptr(ALICE_SINGLE).await;

    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    assert_eq!(
        deleted.json(),
        json!({ "withdrawn": { "ip": ALICE_SINGLE, "ptr": AS_SENT, "state": "pending" } }),
        "DELETE says what it withdrew"
    );
    let get = alice.get(&format!("/rdns/{ALICE_SINGLE}")).await;
    assert_error(&get, StatusCode::NOT_FOUND, "RDNS_NOT_FOUND");
    let last = app.audit(ALICE_SINGLE).await.pop().expect("an audit row");
    assert_eq!(
        (
            last.door.as_str(),
            last.action.as_str(),
            last.new_value.as_deref()
        ),
        ("api", "ptr.request.withdrawn", Some(MAIL))
    );
    let summary = ptrdesk::changes::recheck_pending(&app.db, &app.engine(), i64::MAX / 2)
        .await
        .expect("the re-check runs");
    assert_eq!(summary, Default::default(), "nothing is left to publish");
    let again = alice.delete_ptr(ALICE_SINGLE).await;
    assert_eq!((again.status, again.body.as_str()), (StatusCode::OK, ""));
}

#[tokio::test]
async fn with_robot_pending_refuse_a_write_that_would_wait_is_invalid_input_and_leaves_nothing() {
    let (app, dns) = app_where_names_wait_for_dns(RobotPending::Refuse).await;
    let alice = app.api_client(ALICE_NUMBER).await;

    let reply = alice.post_ptr(ALICE_SINGLE, MAIL).await;

    assert_error(&reply, StatusCode::BAD_REQUEST, "INVALID_INPUT");
    let error = &reply.json()["error"];
    assert_eq!(error["invalid"], json!(["ptr"]));
    assert!(
        error["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|finding| finding["id"] == json!("forward-confirmed")),
        "{}",
        reply.body
    );
    assert!(
        error.get("state").is_none(),
        "nothing was stored: {}",
        reply.body
    );
    assert!(app.audit(ALICE_SINGLE).await.is_empty(), "nothing recorded");
    let get = alice.get(&format!("/rdns/{ALICE_SINGLE}")).await;
    assert_error(&get, StatusCode::NOT_FOUND, "RDNS_NOT_FOUND");

    dns.add_a(MAIL, ALICE_SINGLE).await;
    let confirmed = alice.post_ptr(ALICE_SINGLE, MAIL).await;

    assert_eq!(confirmed.status, StatusCode::CREATED, "{}", confirmed.body);
    assert_eq!(confirmed.json()["state"], json!("published"));
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await.as_deref(), Some(MAIL));
}

#[tokio::test]
async fn unknown_paths_methods_and_oversized_bodies_get_json_errors() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    let path = format!("/rdns/{ALICE_SINGLE}");

    let deeper = alice.get(&format!("{path}/extra")).await;
    let patch = alice.send(Method::PATCH, &path, None).await;
    let post_list = alice
        .send(Method::POST, "/rdns", Some(&[("ptr", WWW)]))
        .await;
    let long_name = format!("{}.alice-hosting.net", "a".repeat(5000));
    let oversized = alice.post_ptr(ALICE_SINGLE, &long_name).await;

    assert_error(&deeper, StatusCode::NOT_FOUND, "NOT_FOUND");
    assert_error(&patch, StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED");
    assert_eq!(
        patch.header("allow").as_deref(),
        Some("GET, HEAD, PUT, POST, DELETE")
    );
    assert_eq!(post_list.header("allow").as_deref(), Some("GET, HEAD"));
    assert_error(
        &post_list,
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
    );
    assert_error(&oversized, StatusCode::BAD_REQUEST, "INVALID_INPUT");
    assert_eq!(oversized.json()["error"]["invalid"], json!(["ptr"]));
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
}

#[tokio::test]
async fn robot_paths_written_another_way_answer_the_api_not_the_panel() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    alice.post_ptr(ALICE_SINGLE, WWW).await;

    let trailing = alice.get("/rdns/").await;
    let doubled = alice.get(&format!("//rdns/{ALICE_SINGLE}")).await;
    let upper = alice.get(&format!("/RDNS/{ALICE_SINGLE}")).await;
    let doubled_write = alice
        .send(
            Method::POST,
            &format!("//rdns/{ALICE_SINGLE}"),
            Some(&[("ptr", MAIL)]),
        )
        .await;

    assert_eq!(
        trailing.json(),
        json!([rdns(ALICE_SINGLE, WWW)]),
        "/rdns/ is the list"
    );
    assert_eq!(doubled.json(), rdns(ALICE_SINGLE, WWW));
    assert_eq!(upper.json(), rdns(ALICE_SINGLE, WWW));
    assert_eq!(
        doubled_write.status,
        StatusCode::OK,
        "{}",
        doubled_write.body
    );
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await.as_deref(), Some(MAIL));
    for path in [
        "/rdns/a/b/c".to_owned(),
        "/RDNS/a/b".to_owned(),
        "/rdns.yaml".to_owned(),
        format!("/rdns/{ALICE_SINGLE}.yaml"),
        format!("/RDNS/{ALICE_SINGLE}.yaml"),
    ] {
        let reply = alice.get(&path).await;
        assert_error(&reply, StatusCode::NOT_FOUND, "NOT_FOUND");
    }
    let yaml = alice.get(&format!("/rdns/{ALICE_SINGLE}.yaml")).await;
    assert!(yaml.body.contains("YAML"), "{}", yaml.body);
    for method in [
        Method::PATCH,
        Method::OPTIONS,
        Method::from_bytes(b"BREW").expect("a method"),
    ] {
        let reply = alice.send(method.clone(), "/RDNS/", None).await;
        assert_error(&reply, StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED");
        assert_eq!(
            reply.header("allow").as_deref(),
            Some("GET, HEAD"),
            "{method}"
        );
    }
}

#[tokio::test]
async fn head_answers_like_get_without_a_body() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    alice.post_ptr(ALICE_SINGLE, WWW).await;

    let one = alice
        .send(Method::HEAD, &format!("/rdns/{ALICE_SINGLE}"), None)
        .await;
    let list = alice.send(Method::HEAD, "/rdns", None).await;
    let none = alice
        .send(Method::HEAD, &format!("/rdns/{ALICE_IN_SUBNET}"), None)
        .await;

    assert_eq!((one.status, one.body.as_str()), (StatusCode::OK, ""));
    assert_eq!(
        one.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!((list.status, list.body.as_str()), (StatusCode::OK, ""));
    assert_eq!(none.status, StatusCode::NOT_FOUND);
}

//! Findings in the reader's language (issue 19): the native API answers a finding's sentence
//! and its errors in the language of `Accept-Language`, with the same id and details; the
//! Robot-compatible API answers the same English bytes whatever the client asks for; a
//! customer who reads German sees the finding of a refused name and a drift note in German.

use crate::helpers::api_client::{post, v1};
use crate::helpers::*;
use ptrdesk::changes::{Reverified, record_reverified};
use ptrdesk::checks::Report;
use ptrdesk::domain::finding::{Finding, FindingId, Severity};
use ptrdesk::i18n::Text;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const RESERVED: &str = "mail.alice.local";
const RESERVED_ENGLISH: &str = "mail.alice.local is under .local, which is for multicast DNS \
    inside one local network and never resolves in public DNS; use a name under a domain you \
    own, such as mail.example.com.";
const RESERVED_GERMAN: &str = "mail.alice.local liegt unter .local; diese Endung ist für \
    Multicast-DNS innerhalb eines lokalen Netzes gedacht und wird im öffentlichen DNS nie \
    aufgelöst. Verwenden Sie einen Namen unter einer eigenen Domain, etwa mail.example.com.";

fn finding<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|finding| finding["id"] == id)
        .unwrap_or_else(|| panic!("a {id} finding: {report}"))
}

#[tokio::test]
async fn the_native_api_says_a_finding_in_the_language_asked_for_with_the_same_id_and_details() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    let body = json!({ "ip": ALICE_SINGLE, "ptr": RESERVED, "offline": true });
    let check = |language: Option<&'static str>| {
        let (alice, body) = (&alice, &body);
        async move {
            let headers: Vec<(&str, &str)> = language
                .map(|l| ("Accept-Language", l))
                .into_iter()
                .collect();
            v1(alice, Method::POST, "/check", Some(body), &headers).await
        }
    };

    let english = check(None).await;
    let german = check(Some("de-DE,de;q=0.9,en;q=0.5")).await;

    assert_eq!(english.status, StatusCode::OK, "{}", english.body);
    assert_eq!(german.status, StatusCode::OK, "{}", german.body);
    let (english, german) = (english.json(), german.json());
    let (in_english, in_german) = (
        finding(&english, "reserved-name"),
        finding(&german, "reserved-name"),
    );
    assert_eq!(in_english["message"], RESERVED_ENGLISH);
    assert_eq!(in_german["message"], RESERVED_GERMAN);
    assert_eq!(in_german["severity"], in_english["severity"]);
    assert_eq!(in_german["details"], in_english["details"]);
    assert_eq!(german["verdict"], english["verdict"]);
    assert!(
        in_german.get("text").is_none(),
        "the key stays inside: {german}"
    );

    // A name that is no host name: the error's message and its finding, in German too.
    let path = format!("/ips/{ALICE_SINGLE}");
    let refused = v1(
        &alice,
        Method::PUT,
        &path,
        Some(&json!({ "ptr": "a b.example.com" })),
        &[("Accept-Language", "de")],
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let error = &refused.json()["error"];
    assert_eq!(error["code"], "INVALID_INPUT", "{error}");
    let said = "Das Label \"a b\" enthält ein Leerzeichen: erlaubt sind nur Buchstaben, Ziffern \
                und Bindestriche.";
    assert_eq!(error["message"], said, "{error}");
    assert_eq!(error["findings"][0]["id"], "syntax");
    assert_eq!(error["findings"][0]["message"], said);
    let english = post(
        &alice,
        "/check",
        &json!({ "ip": ALICE_SINGLE, "ptr": "a b.example.com" }),
    )
    .await
    .json();
    assert_eq!(
        english["findings"][0]["message"],
        "The label \"a b\" contains a space: only letters, digits and hyphens are allowed."
    );
}

#[tokio::test]
async fn the_robot_api_answers_the_same_english_bytes_whatever_language_is_asked_for() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    let write = |ptr: &'static str, language: Option<&'static str>| {
        let alice = &alice;
        async move {
            let mut request = alice
                .request(Method::POST, &format!("/rdns/{ALICE_SINGLE}"))
                .form(&[("ptr", ptr)]);
            if let Some(language) = language {
                request = request.header("Accept-Language", language);
            }
            let response = request.send().await.expect("the API answers");
            (
                response.status(),
                response.text().await.expect("a text body"),
            )
        }
    };

    for ptr in [RESERVED, "mail_server.alice-hosting.net"] {
        let (status, english) = write(ptr, None).await;
        let (german_status, german) = write(ptr, Some("de")).await;

        assert_eq!(status, StatusCode::BAD_REQUEST, "{english}");
        assert_eq!(german_status, status);
        assert_eq!(german, english, "byte for byte");
        assert!(!english.contains("\"text\""), "{english}");
    }
    let (_, reserved) = write(RESERVED, Some("de")).await;
    let error: Value = serde_json::from_str(&reserved).expect("JSON");
    assert_eq!(
        finding(&error["error"], "reserved-name")["message"],
        RESERVED_ENGLISH
    );
    assert!(
        error["error"]["message"]
            .as_str()
            .expect("a message")
            .ends_with(RESERVED_ENGLISH),
        "{reserved}"
    );
}

#[tokio::test]
async fn a_german_customer_sees_the_refused_names_finding_and_the_drift_note_in_german() {
    let app = spawn_app_with(|settings| settings.reverify_period_seconds = 0).await;
    let alice = app.signed_in(ALICE).await;
    alice.choose_language("de").await;

    // A refused name: its finding beside the field.
    alice.save(ALICE_SINGLE, RESERVED).await;
    let page = collapse(&alice.get("/ips").await.page().text());
    assert!(page.contains(RESERVED_GERMAN), "{page}");
    assert!(!page.contains(RESERVED_ENGLISH), "{page}");

    // A published name that stops resolving: the drift note.
    let name = "mail.alice-hosting.net";
    assert_eq!(
        alice.save(ALICE_SINGLE, name).await.status,
        StatusCode::SEE_OTHER
    );
    let entry = ptrdesk::db::drift::published_after(&app.db.pool, 0, 10)
        .await
        .expect("the database answers")
        .pop()
        .expect("alice's published entry");
    let failing = Finding::said(
        FindingId::ForwardConfirmed,
        Severity::Error,
        Text::new("finding-forward-other")
            .arg("hostname", name)
            .arg("ip", ALICE_SINGLE)
            .arg("type", "A")
            .arg("via", Text::new("finding-forward-direct"))
            .arg("found", "192.0.2.99"),
    );
    assert_eq!(
        failing.message,
        "mail.alice-hosting.net has A 192.0.2.99, not 203.0.113.45."
    );
    let report = Report {
        hostname: None,
        findings: vec![failing],
    };
    assert_eq!(
        record_reverified(&app.db, &entry, &report, ptrdesk::clock::now())
            .await
            .expect("the database answers"),
        Reverified::DriftStarted
    );

    let page = collapse(&alice.get("/ips").await.page().text());
    assert!(
        page.contains("mail.alice-hosting.net hat A 192.0.2.99, nicht 203.0.113.45."),
        "{page}"
    );
    // The audit log keeps the English sentence.
    let audit = app.audit(ALICE_SINGLE).await;
    assert!(
        audit.iter().any(|row| [&row.old_value, &row.new_value]
            .into_iter()
            .flatten()
            .any(|value| value.contains("has A 192.0.2.99, not 203.0.113.45."))),
        "{audit:?}"
    );
}

//! The APIs' messages in the reader's language (issue 19): every error of the native API
//! (`/api/v1`) says its `message` in the language of `Accept-Language` (today's English
//! without it), with the same status, code and fields; the Robot-compatible API (`/rdns`)
//! answers the same English bytes whatever the client asks for; a customer who reads German
//! sees a refused change (a delegated address) in German on the page.

use crate::helpers::api::{ApiClient, ApiLogin};
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const GERMAN: &str = "de-DE,de;q=0.9,en;q=0.5";
const NOT_MINE: &str = "192.0.2.77";
const NAME_SERVERS: [&str; 2] = ["ns1.alice-ns.net", "ns2.alice-ns.net"];

/// What an API answered: its status and its body, byte for byte.
#[derive(Debug)]
struct Answer {
    status: StatusCode,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("JSON: {}", self.body))
    }

    fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    fn message(&self) -> String {
        self.json()["error"]["message"]
            .as_str()
            .unwrap_or_else(|| panic!("an error message: {}", self.body))
            .to_owned()
    }
}

/// One request, with a raw body and extra headers, in `language` (none: no header).
async fn ask(
    client: &ApiClient,
    method: Method,
    path: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
    language: Option<&str>,
) -> Answer {
    let mut request = client.request(method, path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(language) = language {
        request = request.header("Accept-Language", language);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.expect("the API answers");
    Answer {
        status: response.status(),
        body: response.text().await.expect("a text body"),
    }
}

/// The same request without `Accept-Language` and in German: both refused alike, with
/// `english` and `german` as their messages.
#[allow(clippy::too_many_arguments)]
async fn says(
    client: &ApiClient,
    method: Method,
    path: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
    status: StatusCode,
    code: &str,
    english: &str,
    german: &str,
) -> (Value, Value) {
    let in_english = ask(client, method.clone(), path, body, headers, None).await;
    let in_german = ask(client, method, path, body, headers, Some(GERMAN)).await;
    for answer in [&in_english, &in_german] {
        assert_eq!(answer.status, status, "{path}: {}", answer.body);
        assert_eq!(answer.code(), code, "{path}: {}", answer.body);
    }
    assert_eq!(in_english.message(), english, "{path}");
    assert_eq!(in_german.message(), german, "{path}");
    let (mut english, mut german) = (in_english.json(), in_german.json());
    for error in [&mut english, &mut german] {
        error["error"]
            .as_object_mut()
            .expect("an error")
            .remove("message");
    }
    (english, german)
}

/// Delegates the assignment holding `ip` to [`NAME_SERVERS`], as the delegation page would
/// once the name servers answer.
async fn delegate(app: &TestApp, ip: &str) {
    let id = app.assignment_id(ALICE_NUMBER, ip).await;
    sqlx::query("UPDATE assignments SET delegation_allowed = 1 WHERE id = $1")
        .bind(id)
        .execute(&app.db.pool)
        .await
        .expect("the database answers");
    let servers: Vec<String> = NAME_SERVERS.iter().map(|s| (*s).to_owned()).collect();
    assert!(
        ptrdesk::db::delegations::delegate(&app.db.pool, id, &servers, ptrdesk::clock::now())
            .await
            .expect("the database answers")
    );
}

fn wrong(login: &ApiLogin) -> ApiLogin {
    let mut wrong = login.clone();
    wrong.secret = "guess".to_owned();
    wrong
}

#[tokio::test]
async fn the_native_apis_login_errors_follow_accept_language() {
    let app = spawn_app().await;
    let login = app.api_login(ALICE_NUMBER).await;

    let anonymous = app.api(None);
    says(
        &anonymous,
        Method::GET,
        "/api/v1/ips",
        None,
        &[],
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
        "HTTP basic authentication with API credentials is required.",
        "HTTP-Basic-Authentifizierung mit API-Zugangsdaten ist erforderlich.",
    )
    .await;

    // Two failures (English, German), a third blocks the address.
    let guesser = app.api_from(Some(&wrong(&login)), Some([127, 0, 0, 4]));
    let (english, german) = says(
        &guesser,
        Method::GET,
        "/api/v1/ips",
        None,
        &[],
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
        "Unable to authenticate: wrong user name or password.",
        "Anmeldung nicht möglich: Benutzername oder Passwort falsch.",
    )
    .await;
    assert_eq!(german, english, "the same fields");
    ask(&guesser, Method::GET, "/api/v1/ips", None, &[], None).await;
    let blocked = app.api_from(Some(&login), Some([127, 0, 0, 4]));
    says(
        &blocked,
        Method::GET,
        "/api/v1/ips",
        None,
        &[],
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
        "Too many failed logins from 127.0.0.4: blocked for 10 more minute(s).",
        "Zu viele fehlgeschlagene Anmeldungen von 127.0.0.4: noch 10 Minuten gesperrt.",
    )
    .await;
}

#[tokio::test]
async fn the_native_apis_rate_limit_follows_accept_language_and_the_robot_apis_does_not() {
    const INTERVAL: u64 = 1_000_000_000;
    let app = spawn_app_with(|settings| {
        settings.api_rate_limit = 2;
        settings.api_rate_interval_seconds = INTERVAL;
    })
    .await;
    let alice = app.api_client(ALICE_NUMBER).await;
    ask(&alice, Method::GET, "/api/v1/ips", None, &[], None).await;
    ask(&alice, Method::GET, "/api/v1/ips", None, &[], None).await;

    let english = ask(&alice, Method::GET, "/api/v1/ips", None, &[], None).await;
    let german = ask(&alice, Method::GET, "/api/v1/ips", None, &[], Some("de")).await;

    for answer in [&english, &german] {
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
        assert_eq!(answer.code(), "RATE_LIMIT_EXCEEDED");
        assert_eq!(answer.json()["error"]["max_requests"], json!(2));
    }
    let (english, german) = (english.message(), german.message());
    assert!(
        english.starts_with("At most 2 requests per 1000000000 seconds; try again in "),
        "{english}"
    );
    assert!(english.ends_with(" seconds."), "{english}");
    assert!(
        german.starts_with("Höchstens 2 Anfragen in 1000000000 Sekunden; versuchen Sie es in "),
        "{german}"
    );
    assert!(german.ends_with(" Sekunden erneut."), "{german}");

    // The Robot API: the same English, byte for byte (asked again should the reset tick).
    let mut same = false;
    for _ in 0..3 {
        let path = format!("/rdns/{ALICE_SINGLE}");
        let english = ask(&alice, Method::GET, &path, None, &[], None).await;
        let german = ask(&alice, Method::GET, &path, None, &[], Some("de")).await;
        assert_eq!(english.code(), "RATE_LIMIT_EXCEEDED");
        assert!(german.message().starts_with("At most 2 requests per"));
        if english.body == german.body && english.status == german.status {
            same = true;
            break;
        }
    }
    assert!(
        same,
        "the Robot API's rate limit is the same bytes in German"
    );
}

#[tokio::test]
async fn the_native_apis_request_errors_follow_accept_language() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;
    let single = format!("/api/v1/ips/{ALICE_SINGLE}");

    says(
        &alice,
        Method::GET,
        &format!("/api/v1/ips/{NOT_MINE}"),
        None,
        &[],
        StatusCode::NOT_FOUND,
        "IP_NOT_FOUND",
        "192.0.2.77 is not one of your IP addresses.",
        "192.0.2.77 ist keine Ihrer IP-Adressen.",
    )
    .await;
    says(
        &alice,
        Method::GET,
        "/api/v1/nothing-here",
        None,
        &[],
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "Not found: the routes of this API are listed in /api/v1/openapi.json.",
        "Nicht gefunden: Die Routen dieser API stehen in /api/v1/openapi.json.",
    )
    .await;
    says(
        &alice,
        Method::POST,
        "/api/v1/ips",
        None,
        &[],
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "POST is not allowed on /api/v1/ips; see /api/v1/openapi.json.",
        "POST ist auf /api/v1/ips nicht erlaubt; siehe /api/v1/openapi.json.",
    )
    .await;

    // The query string.
    let (english, german) = says(
        &alice,
        Method::GET,
        "/api/v1/ips?per_page=0",
        None,
        &[],
        StatusCode::BAD_REQUEST,
        "INVALID_INPUT",
        "per_page must be a number from 1 to 500.",
        "per_page muss eine Zahl von 1 bis 500 sein.",
    )
    .await;
    assert_eq!(german, english);
    assert_eq!(german["error"]["invalid"], json!(["per_page"]));
    says(
        &alice,
        Method::GET,
        "/api/v1/ips?after=yesterday",
        None,
        &[],
        StatusCode::BAD_REQUEST,
        "INVALID_INPUT",
        "after must be an IP address (the `next` link gives it).",
        "after muss eine IP-Adresse sein (der `next`-Link nennt sie).",
    )
    .await;
    says(
        &alice,
        Method::GET,
        &format!("{single}/mail-readiness?greeting=maybe"),
        None,
        &[],
        StatusCode::BAD_REQUEST,
        "INVALID_INPUT",
        "greeting must be true or false.",
        "greeting muss true oder false sein.",
    )
    .await;

    // The body: not JSON (serde's own words stay inside the sentence), no "ptr", too large.
    let english = ask(&alice, Method::PUT, &single, Some("{"), &[], None).await;
    let german = ask(&alice, Method::PUT, &single, Some("{"), &[], Some(GERMAN)).await;
    assert_eq!(english.status, StatusCode::BAD_REQUEST, "{}", english.body);
    assert_eq!(german.status, StatusCode::BAD_REQUEST, "{}", german.body);
    assert_eq!(
        english.message(),
        "The body is not the JSON this endpoint takes: EOF while parsing an object at line 1 column 1."
    );
    assert_eq!(
        german.message(),
        "Der Inhalt ist nicht das JSON, das dieser Endpunkt annimmt: EOF while parsing an object at line 1 column 1."
    );
    let (english, german) = says(
        &alice,
        Method::PUT,
        &single,
        Some("{}"),
        &[],
        StatusCode::BAD_REQUEST,
        "INVALID_INPUT",
        "The body needs \"ptr\": a host name, or null for the provider default.",
        "Der Inhalt braucht „ptr“: einen Hostnamen, oder null für den Standardnamen des Anbieters.",
    )
    .await;
    assert_eq!(german["error"]["missing"], json!(["ptr"]));
    assert_eq!(german, english);
    let huge = json!({ "ptr": "a".repeat(20_000) }).to_string();
    says(
        &alice,
        Method::PUT,
        &single,
        Some(&huge),
        &[],
        StatusCode::PAYLOAD_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
        "The request body is larger than this endpoint accepts; nothing was changed.",
        "Der Inhalt der Anfrage ist größer, als dieser Endpunkt annimmt; es wurde nichts geändert.",
    )
    .await;

    // If-Match: not a version, then a version the entry has moved on from.
    let body = json!({ "ptr": "two.example.com" }).to_string();
    says(
        &alice,
        Method::PUT,
        &single,
        Some(&body),
        &[("If-Match", "yesterday")],
        StatusCode::BAD_REQUEST,
        "INVALID_INPUT",
        "If-Match must be one entry version as the ETag gives it, e.g. \"3\".",
        "If-Match muss eine Version des Eintrags sein, wie das ETag sie nennt, z. B. \"3\".",
    )
    .await;
    let first = json!({ "ptr": "one.example.com" }).to_string();
    let set = ask(&alice, Method::PUT, &single, Some(&first), &[], None).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let (english, german) = says(
        &alice,
        Method::PUT,
        &single,
        Some(&body),
        &[("If-Match", "\"0\"")],
        StatusCode::PRECONDITION_FAILED,
        "VERSION_MISMATCH",
        "The PTR of 203.0.113.45 was changed since version 0: it is now one.example.com (version 1). Nothing was changed.",
        "Der PTR-Eintrag von 203.0.113.45 wurde seit Version 0 geändert: Er ist jetzt one.example.com (Version 1). Es wurde nichts geändert.",
    )
    .await;
    assert_eq!(german, english);
    let reset = ask(&alice, Method::DELETE, &single, None, &[], None).await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    says(
        &alice,
        Method::PUT,
        &single,
        Some(&body),
        &[("If-Match", "\"1\"")],
        StatusCode::PRECONDITION_FAILED,
        "VERSION_MISMATCH",
        "The PTR of 203.0.113.45 was changed since version 1: it is now the provider default (version 2). Nothing was changed.",
        "Der PTR-Eintrag von 203.0.113.45 wurde seit Version 1 geändert: Er ist jetzt der Standardname des Anbieters (Version 2). Es wurde nichts geändert.",
    )
    .await;

    // A delegated address: 409 DELEGATED.
    delegate(&app, ALICE_SINGLE).await;
    says(
        &alice,
        Method::PUT,
        &single,
        Some(&body),
        &[],
        StatusCode::CONFLICT,
        "DELEGATED",
        "the reverse names of this address are delegated to ns1.alice-ns.net, ns2.alice-ns.net: set its PTR on those name servers, or end the delegation first",
        "die Reverse-Namen dieser Adresse sind an ns1.alice-ns.net, ns2.alice-ns.net delegiert: Setzen Sie ihren PTR-Eintrag auf diesen Nameservern oder beenden Sie zuerst die Delegierung",
    )
    .await;
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None, "nothing stored");
}

#[tokio::test]
async fn the_native_apis_bulk_refusals_follow_accept_language() {
    let app = spawn_app().await;
    let alice = app.api_client(ALICE_NUMBER).await;

    let empty = json!({ "changes": [] }).to_string();
    says(
        &alice,
        Method::POST,
        "/api/v1/bulk",
        Some(&empty),
        &[],
        StatusCode::BAD_REQUEST,
        "INVALID_INPUT",
        "\"changes\" must hold 1 to 10000 changes; it holds 0.",
        "„changes“ muss 1 bis 10000 Änderungen enthalten; es enthält 0.",
    )
    .await;
    let no_ptr = json!({ "changes": [{ "ip": ALICE_SINGLE }] }).to_string();
    says(
        &alice,
        Method::POST,
        "/api/v1/bulk",
        Some(&no_ptr),
        &[],
        StatusCode::BAD_REQUEST,
        "INVALID_INPUT",
        "Every change needs \"ptr\": a host name, or null for the provider default.",
        "Jede Änderung braucht „ptr“: einen Hostnamen, oder null für den Standardnamen des Anbieters.",
    )
    .await;

    let [first, second, third] = [
        ALICE_V4_ADDRESSES[0],
        ALICE_V4_ADDRESSES[1],
        ALICE_V4_ADDRESSES[2],
    ];
    delegate(&app, third).await;
    let batch = json!({ "changes": [
        { "ip": first, "ptr": "one.example.com" },
        { "ip": NOT_MINE, "ptr": "two.example.com" },
        { "ip": "nonsense", "ptr": null },
        { "ip": first, "ptr": "again.example.com" },
        { "ip": second, "ptr": "a b.example.com" },
    ]})
    .to_string();
    let (english, german) = says(
        &alice,
        Method::POST,
        "/api/v1/bulk",
        Some(&batch),
        &[],
        StatusCode::UNPROCESSABLE_ENTITY,
        "BULK_NOT_APPLIED",
        "4 of 5 changes cannot be applied, so none was (atomic); see the items.",
        "4 von 5 Änderungen können nicht übernommen werden, daher wurde keine übernommen (atomar); siehe die Einträge.",
    )
    .await;
    let messages = |answer: &Value| -> Vec<(String, String)> {
        answer["error"]["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|item| !item["error"].is_null())
            .map(|item| {
                (
                    item["error"]["code"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    item["error"]["message"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                )
            })
            .collect()
    };
    let pairs = |list: [(&str, &str); 4]| -> Vec<(String, String)> {
        list.iter()
            .map(|(code, message)| ((*code).to_owned(), (*message).to_owned()))
            .collect()
    };
    assert_eq!(
        messages(&english),
        pairs([
            (
                "IP_NOT_FOUND",
                "192.0.2.77 is not one of your IP addresses."
            ),
            ("IP_NOT_FOUND", "“nonsense” is not an IP address."),
            (
                "DUPLICATE_IP",
                "198.51.100.16 appears earlier in this batch; give each address once."
            ),
            (
                "INVALID_INPUT",
                "The label \"a b\" contains a space: only letters, digits and hyphens are allowed."
            ),
        ])
    );
    assert_eq!(
        messages(&german),
        pairs([
            ("IP_NOT_FOUND", "192.0.2.77 ist keine Ihrer IP-Adressen."),
            ("IP_NOT_FOUND", "„nonsense“ ist keine IP-Adresse."),
            (
                "DUPLICATE_IP",
                "198.51.100.16 kommt weiter oben in dieser Sammeländerung schon vor; nennen Sie jede Adresse nur einmal."
            ),
            (
                "INVALID_INPUT",
                "Das Label \"a b\" enthält ein Leerzeichen: erlaubt sind nur Buchstaben, Ziffern und Bindestriche."
            ),
        ])
    );
    assert_eq!(english["error"]["summary"], german["error"]["summary"]);

    // A delegated address in a batch that is not atomic: that item is refused.
    let delegated =
        json!({ "atomic": false, "changes": [{ "ip": third, "ptr": "three.example.com" }] })
            .to_string();
    let item_error = |language: Option<&'static str>| {
        let (alice, delegated) = (&alice, &delegated);
        async move {
            let answer = ask(
                alice,
                Method::POST,
                "/api/v1/bulk",
                Some(delegated),
                &[],
                language,
            )
            .await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            let item = &answer.json()["items"][0]["error"];
            assert_eq!(item["code"], "DELEGATED", "{}", answer.body);
            item["message"].as_str().unwrap_or_default().to_owned()
        }
    };
    assert_eq!(
        item_error(None).await,
        "the reverse names of this address are delegated to ns1.alice-ns.net, ns2.alice-ns.net: set its PTR on those name servers, or end the delegation first"
    );
    assert_eq!(
        item_error(Some(GERMAN)).await,
        "die Reverse-Namen dieser Adresse sind an ns1.alice-ns.net, ns2.alice-ns.net delegiert: Setzen Sie ihren PTR-Eintrag auf diesen Nameservern oder beenden Sie zuerst die Delegierung"
    );
    assert_eq!(app.stored_ptr(third).await, None, "nothing stored");

    // A rejected name in an atomic batch.
    let rejected = json!({ "changes": [{ "ip": first, "ptr": "mail.alice.local" }] }).to_string();
    let german = ask(
        &alice,
        Method::POST,
        "/api/v1/bulk",
        Some(&rejected),
        &[],
        Some(GERMAN),
    )
    .await;
    assert_eq!(german.code(), "BULK_NOT_APPLIED", "{}", german.body);
    assert_eq!(
        german.json()["error"]["items"][0]["error"]["message"],
        "Die Prüfungen lehnen diesen Namen ab (siehe die Befunde); eine atomare Sammeländerung speichert keine abgelehnte Änderung."
    );
    assert_eq!(app.stored_ptr(first).await, None, "nothing stored");
}

#[tokio::test]
async fn the_provisioning_apis_refusals_follow_accept_language() {
    let app = spawn_app().await;
    let staff = app.api(Some(&app.staff_login("inventory").await));
    let reader = app.api(Some(&app.staff_login("read").await));
    let customer = |name: &str, assignments: Value| {
        json!({ "name": name, "servers": [{ "name": "web1", "assignments": assignments }] })
            .to_string()
    };

    let body = customer("Carol", json!(["192.0.2.0/28"]));
    says(
        &reader,
        Method::PUT,
        "/api/v1/inventory/customers/K9",
        Some(&body),
        &[],
        StatusCode::FORBIDDEN,
        "FORBIDDEN",
        "This credential has the scope read: it may read, not change.",
        "Diese Zugangsdaten haben den Bereich read: Sie dürfen lesen, nicht ändern.",
    )
    .await;
    says(
        &staff,
        Method::GET,
        "/api/v1/inventory/customers/K9",
        None,
        &[],
        StatusCode::NOT_FOUND,
        "CUSTOMER_NOT_FOUND",
        "There is no customer K9.",
        "Es gibt keinen Kunden K9.",
    )
    .await;

    // Problems in the body, each said in the reader's language at its path.
    let bad = customer(
        "",
        json!(["192.0.2.0/28", "192.0.2.8/29", "198.51.100.16/30"]),
    );
    let (english, german) = says(
        &staff,
        Method::PUT,
        "/api/v1/inventory/customers/K9",
        Some(&bad),
        &[],
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_INPUT",
        "3 problem(s) in the body; nothing was changed.",
        "3 Probleme im Inhalt; es wurde nichts geändert.",
    )
    .await;
    assert_eq!(english["error"]["invalid"], german["error"]["invalid"]);
    let said = |answer: &Value| -> Vec<String> {
        answer["error"]["problems"]
            .as_array()
            .expect("problems")
            .iter()
            .map(|problem| {
                format!(
                    "{}: {}",
                    problem["path"].as_str().unwrap_or_default(),
                    problem["message"].as_str().unwrap_or_default()
                )
            })
            .collect()
    };
    assert_eq!(
        said(&english),
        [
            "name: The customer's name is required (at most 200 characters).",
            "servers[0].assignments[1]: 192.0.2.8/29 overlaps 192.0.2.0/28 (at servers[0].assignments[0]).",
            "servers[0].assignments[2]: 198.51.100.16/30 overlaps 198.51.100.16/29 held by customer K1; only the same network can move.",
        ]
    );
    assert_eq!(
        said(&german),
        [
            "name: Der Name des Kunden ist erforderlich (höchstens 200 Zeichen).",
            "servers[0].assignments[1]: 192.0.2.8/29 überschneidet sich mit 192.0.2.0/28 (bei servers[0].assignments[0]).",
            "servers[0].assignments[2]: 198.51.100.16/30 überschneidet sich mit 198.51.100.16/29 von Kunde K1; nur dasselbe Netz kann umziehen.",
        ]
    );

    // A network that is none, said by the address parser in the reader's language.
    let (english, german) = says(
        &staff,
        Method::PUT,
        "/api/v1/inventory/customers/K9",
        Some(&customer("Carol", json!(["192.0.2.300/28"]))),
        &[],
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_INPUT",
        "1 problem(s) in the body; nothing was changed.",
        "Ein Problem im Inhalt; es wurde nichts geändert.",
    )
    .await;
    assert_eq!(
        said(&english),
        [
            "servers[0].assignments[0]: \"192.0.2.300/28\" is not an IP address or network (e.g. 192.0.2.10, 192.0.2.16/29, 2001:db8::/64)."
        ]
    );
    assert_eq!(
        said(&german),
        [
            "servers[0].assignments[0]: „192.0.2.300/28“ ist keine IP-Adresse und kein Netz (z. B. 192.0.2.10, 192.0.2.16/29, 2001:db8::/64)."
        ]
    );

    // A login for a customer under a user name that is taken.
    let login = json!({ "username": "carol" }).to_string();
    let made = ask(
        &staff,
        Method::POST,
        "/api/v1/inventory/customers/K2/users",
        Some(&login),
        &[],
        None,
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    says(
        &staff,
        Method::POST,
        "/api/v1/inventory/customers/K2/users",
        Some(&login),
        &[],
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_INPUT",
        "This user name is taken.",
        "Dieser Benutzername ist bereits vergeben.",
    )
    .await;

    // A query string that cannot be read: in the envelope, like every other error.
    says(
        &staff,
        Method::PUT,
        "/api/v1/inventory/customers/K1?dry_run=maybe",
        Some(&customer("Alice", json!([]))),
        &[],
        StatusCode::BAD_REQUEST,
        "INVALID_INPUT",
        "The query string could not be read.",
        "Der Query-String konnte nicht gelesen werden.",
    )
    .await;

    // A stale If-Match.
    says(
        &staff,
        Method::PUT,
        "/api/v1/inventory/customers/K1",
        Some(&customer("Alice", json!([]))),
        &[("If-Match", "\"0000\"")],
        StatusCode::PRECONDITION_FAILED,
        "PRECONDITION_FAILED",
        "The customer changed since the ETag given in If-Match; nothing was changed. GET it again.",
        "Der Kunde wurde seit dem ETag in If-Match geändert; es wurde nichts geändert. Rufen Sie ihn mit GET erneut ab.",
    )
    .await;
}

#[tokio::test]
async fn the_robot_api_answers_the_same_english_bytes_for_every_error_whatever_the_language() {
    let app = spawn_app().await;
    let login = app.api_login(ALICE_NUMBER).await;
    delegate(&app, ALICE_V4_ADDRESSES[0]).await;
    let same = |client: ApiClient, method: Method, path: String, form: Option<&'static str>| async move {
        let send = |language: Option<&'static str>| {
            let mut request = client.request(method.clone(), &path);
            if let Some(form) = form {
                request = request
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(form);
            }
            if let Some(language) = language {
                request = request.header("Accept-Language", language);
            }
            async move {
                let response = request.send().await.expect("the API answers");
                (response.status(), response.text().await.expect("a body"))
            }
        };
        let english = send(None).await;
        let german = send(Some(GERMAN)).await;
        assert_eq!(german, english, "{method} {path}: byte for byte");
        english
    };

    let cases = [
        (
            app.api(None),
            Method::GET,
            "/rdns".to_owned(),
            None,
            StatusCode::UNAUTHORIZED,
            "HTTP basic authentication",
        ),
        (
            app.api(Some(&login)),
            Method::GET,
            format!("/rdns/{NOT_MINE}"),
            None,
            StatusCode::NOT_FOUND,
            "IP_NOT_FOUND",
        ),
        (
            app.api(Some(&login)),
            Method::GET,
            "/rdns/x/y/z".to_owned(),
            None,
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
        ),
        (
            app.api(Some(&login)),
            Method::PATCH,
            format!("/rdns/{ALICE_SINGLE}"),
            None,
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
        ),
        (
            app.api(Some(&login)),
            Method::POST,
            format!("/rdns/{ALICE_SINGLE}"),
            Some("ptr=a%20b.example.com"),
            StatusCode::BAD_REQUEST,
            "a space",
        ),
        (
            app.api(Some(&login)),
            Method::POST,
            format!("/rdns/{}", ALICE_V4_ADDRESSES[0]),
            Some("ptr=one.example.com"),
            StatusCode::CONFLICT,
            "delegated to ns1.alice-ns.net",
        ),
        (
            app.api_from(Some(&wrong(&login)), Some([127, 0, 0, 5])),
            Method::GET,
            "/rdns".to_owned(),
            None,
            StatusCode::UNAUTHORIZED,
            "wrong user name or password",
        ),
    ];
    for (client, method, path, form, status, words) in cases {
        let (got, body) = same(client, method, path.clone(), form).await;
        assert_eq!(got, status, "{path}: {body}");
        assert!(body.contains(words), "{path}: {body}");
    }
    // The third failure blocks the address; then even good credentials are refused.
    ask(
        &app.api_from(Some(&wrong(&login)), Some([127, 0, 0, 5])),
        Method::GET,
        "/rdns",
        None,
        &[],
        None,
    )
    .await;
    let (status, body) = same(
        app.api_from(Some(&login), Some([127, 0, 0, 5])),
        Method::GET,
        "/rdns".to_owned(),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        body.contains("Too many failed logins from 127.0.0.5: blocked for 10 more minute(s)."),
        "{body}"
    );
}

#[tokio::test]
async fn a_german_customer_sees_the_delegated_refusal_in_german_an_english_one_in_english() {
    let app = spawn_app().await;
    delegate(&app, ALICE_SINGLE).await;
    let english_words = "The reverse names of this address are delegated to ns1.alice-ns.net, \
        ns2.alice-ns.net: set its PTR on those name servers, or end the delegation first.";
    let german_words = "Die Reverse-Namen dieser Adresse sind an ns1.alice-ns.net, ns2.alice-ns.net \
        delegiert: Setzen Sie ihren PTR-Eintrag auf diesen Nameservern oder beenden Sie zuerst \
        die Delegierung.";

    let alice = app.signed_in(ALICE).await;
    let refused = alice.save(ALICE_SINGLE, "mail.alice-hosting.net").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = collapse(&refused.page().text());
    assert!(page.contains(english_words), "{page}");

    alice.choose_language("de").await;
    let refused = alice.save(ALICE_SINGLE, "mail.alice-hosting.net").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = collapse(&refused.page().text());
    assert!(page.contains(german_words), "{page}");
    assert!(!page.contains("delegated to"), "{page}");
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None, "nothing stored");
}

#[tokio::test]
async fn a_german_customer_sees_the_bulk_pages_refused_lines_in_german() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let csv = "203.0.113.200,stolen.example.com\nnot-an-ip,a.example.com\n\
               203.0.113.45,mail.example.com\n203.0.113.45,again.example.com\n";
    let english = alice
        .post_form("/bulk/check", &[("csv", csv), ("atomic", "on")])
        .await;
    let english = collapse(&english.page().text());
    for words in [
        "203.0.113.200 is not one of your IP addresses.",
        "“not-an-ip” is not an IP address.",
        "203.0.113.45 appears earlier in this batch; give each address once.",
    ] {
        assert!(english.contains(words), "{words}: {english}");
    }

    alice.choose_language("de").await;
    let german = alice
        .post_form("/bulk/check", &[("csv", csv), ("atomic", "on")])
        .await;
    assert_eq!(german.status, StatusCode::UNPROCESSABLE_ENTITY);
    let german = collapse(&german.page().text());
    for words in [
        "203.0.113.200 ist keine Ihrer IP-Adressen.",
        "„not-an-ip“ ist keine IP-Adresse.",
        "203.0.113.45 kommt weiter oben in dieser Sammeländerung schon vor; nennen Sie jede \
         Adresse nur einmal.",
    ] {
        assert!(german.contains(words), "{words}: {german}");
    }
    assert!(!german.contains("is not one of your"), "{german}");
}

#[tokio::test]
async fn the_german_bulk_page_with_refused_lines_passes_axe() {
    use crate::helpers::{axe, chromium::Chromium};
    use fantoccini::Locator;
    let app = spawn_app().await;
    delegate(&app, ALICE_V4_ADDRESSES[2]).await;
    let alice = app.signed_in(ALICE).await;
    alice.choose_language("de").await;

    let browser = Chromium::start().await;
    browser.sign_in(&app.address, ALICE).await;
    browser
        .goto(&format!("{}/bulk", app.address))
        .await
        .expect("the page opens");
    let csv = format!(
        "203.0.113.200,stolen.example.com\nnot-an-ip,a.example.com\n\
         203.0.113.45,mail.example.com\n203.0.113.45,again.example.com\n{},three.example.com\n",
        ALICE_V4_ADDRESSES[2]
    );
    browser
        .find(Locator::Id("bulk-csv"))
        .await
        .expect("the field")
        .send_keys(&csv)
        .await
        .expect("the lines are typed");
    browser
        .find(Locator::Css("button.secondary[type=submit]"))
        .await
        .expect("the check button")
        .click()
        .await
        .expect("checked");
    // The answer's table of lines (the form page before it has none).
    let text = browser
        .wait()
        .for_element(Locator::Css("table"))
        .await
        .expect("the lines")
        .text()
        .await
        .expect("its text");
    assert!(
        text.contains("203.0.113.200 ist keine Ihrer IP-Adressen."),
        "{text}"
    );
    assert!(text.contains("„not-an-ip“ ist keine IP-Adresse."), "{text}");
    let violations = axe::violations(&browser).await;
    browser
        .execute(
            "document.querySelector('table').scrollIntoView()",
            Vec::new(),
        )
        .await
        .expect("the lines are shown");
    let png = browser.screenshot().await.expect("a screenshot");
    std::fs::write("/tmp/ptrdesk-de-bulk-refused.png", png).expect("the screenshot is written");
    assert!(violations.is_empty(), "{violations:#?}");
}

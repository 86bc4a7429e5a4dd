//! Mail readiness of the customer's addresses against DNS served on loopback: the forward
//! zones with MX, SPF and DMARC, and DNS blocklists (`zen.spamhaus.org` and others as test
//! zones) — listed or not, what the return codes mean, the kept answers (a second look sends
//! no question), the question rate limit, the SMTP greeting on demand, the native API's JSON,
//! ownership, and the pages in headless Chromium passing axe-core.

use crate::helpers::api_client as native;
use crate::helpers::chromium::Chromium;
use crate::helpers::dns_server::{DnsServer, Zone};
use crate::helpers::{
    ALICE, ALICE_NUMBER, ALICE_SINGLE, BOB_SINGLE, HELPDESK, TestApp, axe, spawn_app_with,
};
use fantoccini::Locator;
use ptrdesk::config::Settings;
use ptrdesk::domain::CheckMode;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Ready: forward-confirmed, MX, SPF and DMARC, on no list.
const READY: &str = "198.51.100.16";
/// On zen.spamhaus.org with two return codes.
const LISTED: &str = "198.51.100.17";
/// The provider default in force.
const DEFAULTED: &str = "198.51.100.18";
/// A name in a domain without SPF, DMARC or MX.
const PLAIN: &str = "198.51.100.19";
/// An IPv6 address of Alice's without a PTR (no IPv6 default is configured).
const V6: &str = "2001:db8:10::25";
/// Where the screenshots go (outside the repository on purpose).
const SCREENSHOT: &str = "/tmp/ptrdesk-mail-readiness.png";
const SCREENSHOT_ADDRESS: &str = "/tmp/ptrdesk-mail-readiness-address.png";

/// The forward zones and the blocklists, served by one loopback server.
async fn dns() -> DnsServer {
    DnsServer::serving([
        Zone::new("alice-hosting.net")
            .a("mail.alice-hosting.net", ALICE_SINGLE)
            .a("mail.alice-hosting.net", READY)
            .a("smtp.alice-hosting.net", LISTED)
            .a("loop.alice-hosting.net", "127.0.0.1")
            .mx("alice-hosting.net", 10, "mail.alice-hosting.net")
            .txt("alice-hosting.net", "google-site-verification=abc123")
            .txt(
                "alice-hosting.net",
                "v=spf1 mx ip4:198.51.100.16/29 ip4:203.0.113.45 -all",
            )
            .txt("_dmarc.alice-hosting.net", "v=DMARC1; p=reject"),
        Zone::new("plain-hosting.net").a("mail.plain-hosting.net", PLAIN),
        Zone::new("zen.spamhaus.org")
            .a("17.100.51.198.zen.spamhaus.org", "127.0.0.2")
            .a("17.100.51.198.zen.spamhaus.org", "127.0.0.4"),
        Zone::new("bl.example-lists.net"),
        Zone::new("b3.example-lists.net"),
        Zone::new("b4.example-lists.net"),
    ])
    .await
}

/// Alice's panel asking `dns` in resolver mode, with two blocklists and their codes.
async fn panel(dns: &DnsServer, configure: impl FnOnce(&mut Settings)) -> TestApp {
    let address = dns.address.to_string();
    spawn_app_with(move |settings| {
        settings.dns_checks = true;
        // The forward checks ask the loopback server, not a hierarchy from the root.
        settings.check_mode = CheckMode::Resolver;
        settings.dns_servers = vec![address];
        settings.dnsbl_zones = vec![
            "zen.spamhaus.org".to_owned(),
            "bl.example-lists.net".to_owned(),
        ];
        settings.dnsbl_return_codes = vec![
            "zen.spamhaus.org=127.0.0.2:SBL".to_owned(),
            "zen.spamhaus.org=127.0.0.4-7:XBL".to_owned(),
        ];
        configure(settings);
    })
    .await
}

/// Alice's PTRs: ready, listed and plain (the default stays on `DEFAULTED`).
async fn with_names(app: &TestApp) {
    let alice = app.signed_in(ALICE).await;
    for (ip, name) in [
        (READY, "mail.alice-hosting.net"),
        (LISTED, "smtp.alice-hosting.net"),
        (PLAIN, "mail.plain-hosting.net"),
    ] {
        alice.save(ip, name).await;
        assert_eq!(app.stored_ptr(ip).await.as_deref(), Some(name), "{ip}");
    }
}

async fn readiness(app: &TestApp, ip: &str) -> (StatusCode, Value) {
    let alice = app.api_client(ALICE_NUMBER).await;
    let path = format!("/ips/{ip}/mail-readiness");
    let reply = native::v1(&alice, Method::GET, &path, None, &[]).await;
    (reply.status, reply.json())
}

fn status_of(answer: &Value, id: &str) -> String {
    answer["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|line| line["id"] == id)
        .unwrap_or_else(|| panic!("a {id} line in {answer}"))["status"]
        .as_str()
        .expect("a status")
        .to_owned()
}

#[tokio::test]
async fn a_forward_confirmed_name_with_mx_spf_and_dmarc_on_no_list_is_ready_to_send_mail() {
    let dns = dns().await;
    let app = panel(&dns, |_| {}).await;
    with_names(&app).await;

    let (status, answer) = readiness(&app, READY).await;

    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["ip"], READY);
    assert_eq!(answer["ptr"], "mail.alice-hosting.net");
    assert_eq!(answer["ptr_source"], "customer");
    assert_eq!(answer["domain"], "alice-hosting.net");
    assert_eq!(
        answer["verdict"],
        json!({"id": "ready", "message": "Ready to send mail", "fix": null})
    );
    for (id, expected) in [
        ("ptr", "pass"),
        ("forward-confirmed", "pass"),
        ("greeting", "not-checked"),
        ("mx", "pass"),
        ("spf", "pass"),
        ("dmarc", "pass"),
        ("generic-name", "pass"),
    ] {
        assert_eq!(status_of(&answer, id), expected, "{id}: {answer}");
    }
    assert_eq!(
        answer["blocklists"],
        json!([
            {"zone": "zen.spamhaus.org", "asked": "16.100.51.198.zen.spamhaus.org",
             "status": "not-listed", "cached": false},
            {"zone": "bl.example-lists.net", "asked": "16.100.51.198.bl.example-lists.net",
             "status": "not-listed", "cached": false},
        ])
    );
    assert_eq!(answer["greeting_tested"], false);
}

#[tokio::test]
async fn a_listed_address_names_the_list_and_what_its_return_codes_mean() {
    let dns = dns().await;
    let app = panel(&dns, |_| {}).await;
    with_names(&app).await;

    let (_, answer) = readiness(&app, LISTED).await;

    assert_eq!(answer["verdict"]["id"], "listed", "{answer}");
    assert_eq!(answer["verdict"]["message"], "Listed on zen.spamhaus.org");
    assert!(
        answer["verdict"]["fix"]
            .as_str()
            .is_some_and(|fix| fix.contains("ask the list to remove it")),
        "{answer}"
    );
    let zen = &answer["blocklists"][0];
    assert_eq!(zen["status"], "listed");
    let mut codes = zen["codes"].as_array().expect("codes").clone();
    codes.sort_by_key(|code| code["answer"].as_str().unwrap_or_default().to_owned());
    assert_eq!(
        codes,
        vec![
            json!({"answer": "127.0.0.2", "meaning": "SBL"}),
            json!({"answer": "127.0.0.4", "meaning": "XBL"}),
        ]
    );
    assert_eq!(answer["blocklists"][1]["status"], "not-listed");
}

#[tokio::test]
async fn each_address_gets_the_verdict_of_its_most_pressing_problem() {
    let dns = dns().await;
    let app = panel(&dns, |_| {}).await;
    with_names(&app).await;

    let (_, defaulted) = readiness(&app, DEFAULTED).await;
    let (_, plain) = readiness(&app, PLAIN).await;
    let (_, v6) = readiness(&app, V6).await;

    assert_eq!(defaulted["ptr_source"], "default");
    assert_eq!(defaulted["ptr"], "static.18.100.51.198.clients.example.net");
    assert_eq!(
        defaulted["verdict"]["id"], "treated-as-dynamic",
        "{defaulted}"
    );
    assert_eq!(
        defaulted["verdict"]["message"],
        "Will be treated as dynamic"
    );
    assert_eq!(status_of(&defaulted, "generic-name"), "fail");
    assert_eq!(defaulted["generic"]["embeds_ip"], true);

    assert_eq!(plain["verdict"]["id"], "no-spf", "{plain}");
    assert_eq!(
        plain["verdict"]["fix"],
        "Publish one TXT record at plain-hosting.net, such as \"v=spf1 mx ip4:198.51.100.19 -all\"."
    );
    assert_eq!(status_of(&plain, "spf"), "fail");
    assert_eq!(status_of(&plain, "dmarc"), "warning");
    assert_eq!(status_of(&plain, "mx"), "warning");

    assert_eq!(v6["ptr"], Value::Null);
    assert_eq!(v6["verdict"]["id"], "ipv6-no-ptr", "{v6}");
    assert_eq!(v6["verdict"]["message"], "IPv6 has no PTR");
    assert_eq!(
        v6["blocklists"][0]["asked"],
        "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.8.b.d.0.1.0.0.2.zen.spamhaus.org"
    );
}

#[tokio::test]
async fn a_blocklist_answer_is_kept_so_a_second_look_sends_no_question() {
    let dns = dns().await;
    let app = panel(&dns, |_| {}).await;
    with_names(&app).await;

    let (_, first) = readiness(&app, LISTED).await;
    let asked_once = dns.questions_under("zen.spamhaus.org");
    let (_, second) = readiness(&app, LISTED).await;

    assert_eq!(asked_once, 1);
    assert_eq!(dns.questions_under("zen.spamhaus.org"), 1);
    assert_eq!(first["blocklists"][0]["cached"], false);
    assert_eq!(second["blocklists"][0]["cached"], true);
    assert_eq!(second["blocklists"][0]["status"], "listed");
    assert_eq!(second["verdict"]["id"], "listed");
}

#[tokio::test]
async fn without_keeping_answers_every_look_asks_the_list_again() {
    let dns = dns().await;
    let app = panel(&dns, |settings| settings.dnsbl_cache_seconds = 0).await;

    readiness(&app, ALICE_SINGLE).await;
    readiness(&app, ALICE_SINGLE).await;

    assert_eq!(dns.questions_under("zen.spamhaus.org"), 2);
}

#[tokio::test]
async fn questions_over_the_blocklist_rate_are_not_sent_and_say_so() {
    let dns = dns().await;
    let app = panel(&dns, |settings| {
        settings.dnsbl_zones = vec![
            "zen.spamhaus.org".to_owned(),
            "bl.example-lists.net".to_owned(),
            "b3.example-lists.net".to_owned(),
            "b4.example-lists.net".to_owned(),
        ];
        // One question a second, and 1.5 s for all DNS work: the second question waits a
        // second, the other two would have to wait past the deadline.
        settings.dnsbl_questions_per_second = 1;
        settings.check_budget_ms = 1500;
    })
    .await;

    let (_, answer) = readiness(&app, ALICE_SINGLE).await;

    let asked = dns.questions_under("zen.spamhaus.org") + dns.questions_under("example-lists.net");
    assert_eq!(asked, 2, "{answer}");
    let lists = answer["blocklists"].as_array().expect("blocklists");
    let answered = lists
        .iter()
        .filter(|list| list["status"] == "not-listed")
        .count();
    let refused: Vec<&Value> = lists
        .iter()
        .filter(|list| list["status"] == "unverified")
        .collect();
    assert_eq!((answered, refused.len()), (2, 2), "{answer}");
    for list in refused {
        assert!(
            list["reason"]
                .as_str()
                .is_some_and(|reason| reason.contains("at most 1 question a second")),
            "{list}"
        );
    }
}

#[tokio::test]
async fn another_customers_address_is_not_found_like_an_unassigned_one() {
    let dns = dns().await;
    let app = panel(&dns, |_| {}).await;
    let alice_page = app.signed_in(ALICE).await;
    let bob_server = app.server_id("K2", "bob-edge").await;

    let (bobs, bobs_body) = readiness(&app, BOB_SINGLE).await;
    let (unassigned, unassigned_body) = readiness(&app, "192.0.2.99").await;
    let page = alice_page.get(&format!("/ips/{BOB_SINGLE}/mail")).await;
    let server_page = alice_page.get(&format!("/servers/{bob_server}/mail")).await;

    assert_eq!(bobs, StatusCode::NOT_FOUND);
    assert_eq!(unassigned, StatusCode::NOT_FOUND);
    assert_eq!(bobs_body["error"]["code"], "IP_NOT_FOUND");
    assert_eq!(unassigned_body["error"]["code"], "IP_NOT_FOUND");
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(server_page.status, StatusCode::NOT_FOUND);
    assert_eq!(
        dns.questions_under("."),
        0,
        "nothing is asked about another customer's address"
    );
}

#[tokio::test]
async fn the_greeting_is_tested_only_on_request_and_a_mismatch_is_the_verdict() {
    let smtp = TcpListener::bind("127.0.0.1:0").await.expect("a listener");
    let port = smtp.local_addr().expect("a bound listener").port();
    let dns = dns().await;
    let app = panel(&dns, |settings| settings.mail_port = port).await;
    app.import("K1,Alice Hosting GmbH,alice-loop,127.0.0.1\n")
        .await;
    let alice = app.signed_in(ALICE).await;
    alice.save("127.0.0.1", "loop.alice-hosting.net").await;
    let greeted = tokio::spawn(async move {
        let (mut stream, _) = smtp.accept().await.expect("the check connects");
        stream
            .write_all(b"220 other.example.com ESMTP\r\n")
            .await
            .expect("the greeting is sent");
        let mut heard = Vec::new();
        let _ = stream.read_to_end(&mut heard).await;
        heard
    });

    let untested = alice.get("/ips/127.0.0.1/mail").await.page().text();
    let tested = alice
        .get("/ips/127.0.0.1/mail?greeting=127.0.0.1")
        .await
        .page()
        .text();

    assert!(untested.contains("Not tested yet"), "{untested}");
    assert!(untested.contains("Ready to send mail"), "{untested}");
    assert!(
        tested.contains("The greeting does not name the PTR"),
        "{tested}"
    );
    assert!(
        tested.contains("Make the mail server greet as loop.alice-hosting.net"),
        "{tested}"
    );
    assert!(
        tested.contains("greets as other.example.com, not as loop.alice-hosting.net"),
        "{tested}"
    );
    assert_eq!(greeted.await.expect("the server task"), b"QUIT\r\n");
}

#[tokio::test]
async fn the_server_page_checks_every_address_and_every_row_links_to_its_page() {
    let dns = dns().await;
    let app = panel(&dns, |_| {}).await;
    with_names(&app).await;
    let alice = app.signed_in(ALICE).await;
    let cluster = app.server_id(ALICE_NUMBER, "alice-cluster").await;

    let list = alice.get("/ips").await;
    let server = alice.get(&format!("/servers/{cluster}/mail")).await;
    let mail_server = app.server_id(ALICE_NUMBER, "alice-mail").await;
    let empty = alice.get(&format!("/servers/{mail_server}/mail")).await;

    assert!(list.body.contains(&format!("href=\"/ips/{READY}/mail\"")));
    assert!(
        list.body
            .contains(&format!("href=\"/ips/{ALICE_SINGLE}/mail\""))
    );
    assert!(
        list.body
            .contains(&format!("href=\"/servers/{cluster}/mail\""))
    );
    assert_eq!(server.status, StatusCode::OK);
    let text = server.page().text();
    for ip in crate::helpers::ALICE_V4_ADDRESSES {
        assert!(text.contains(&format!("Address {ip}")), "{ip}: {text}");
    }
    assert!(
        empty
            .page()
            .text()
            .contains("No address of this server to check yet"),
        "{}",
        empty.body
    );
    for verdict in [
        "Ready to send mail",
        "Listed on zen.spamhaus.org",
        "Will be treated as dynamic",
        "No valid SPF record for plain-hosting.net",
        "127.0.0.2 SBL, 127.0.0.4 XBL",
    ] {
        assert!(text.contains(verdict), "{verdict}: {text}");
    }
}

#[tokio::test]
async fn the_mail_readiness_pages_pass_axe_core_in_chromium() {
    let dns = dns().await;
    let app = panel(&dns, |_| {}).await;
    with_names(&app).await;
    let cluster = app.server_id(ALICE_NUMBER, "alice-cluster").await;
    let browser = Chromium::start().await;
    browser.sign_in(&app.address, ALICE).await;

    for (path, screenshot) in [
        (format!("/servers/{cluster}/mail"), Some(SCREENSHOT)),
        (format!("/ips/{LISTED}/mail"), Some(SCREENSHOT_ADDRESS)),
        (
            "/ips".to_owned(),
            Some("/tmp/ptrdesk-mail-readiness-links.png"),
        ),
    ] {
        browser
            .goto(&format!("{}{path}", app.address))
            .await
            .expect("the page opens");
        browser
            .find(Locator::Css("main h1"))
            .await
            .expect("the page has its heading");
        assert_eq!(
            axe::violations(&browser).await,
            Vec::<String>::new(),
            "{path}"
        );
        if let Some(file) = screenshot {
            let picture = browser.screenshot().await.expect("a screenshot");
            std::fs::write(file, picture).expect("the screenshot is written");
        }
    }
}

#[tokio::test]
async fn the_help_desk_dossier_shows_the_mail_readiness_and_passes_axe_core() {
    let dns = dns().await;
    let app = panel(&dns, |_| {}).await;
    with_names(&app).await;
    let helpdesk = app.signed_in(HELPDESK).await;

    let before = helpdesk.get(&format!("/lookup/ip/{LISTED}")).await;
    let asked = helpdesk.get(&format!("/lookup/ip/{LISTED}?mail=1")).await;

    assert_eq!(asked.status, StatusCode::OK);
    assert!(!before.body.contains("Listed on zen.spamhaus.org"));
    let text = asked.page().text();
    assert!(text.contains("Listed on zen.spamhaus.org"), "{text}");
    assert!(text.contains("127.0.0.2 SBL, 127.0.0.4 XBL"), "{text}");

    let browser = Chromium::start().await;
    browser.sign_in(&app.address, HELPDESK).await;
    browser
        .goto(&format!("{}/lookup/ip/{LISTED}?mail=1", app.address))
        .await
        .expect("the dossier opens");
    browser
        .find(Locator::Css(".dossier-mail"))
        .await
        .expect("the mail readiness section");
    assert_eq!(axe::violations(&browser).await, Vec::<String>::new());
}

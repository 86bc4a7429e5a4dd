//! Limits a hammering script or an absurd input meets: the live-check rate limits (per user,
//! per address, what counts, how they recover, what the page shows), the longest text each
//! form takes (a sentence beside the field, nothing stored), the body-size 413, and page
//! numbers that make no sense.

use crate::helpers::chromium::{Chromium, PATIENCE, eventually};
use crate::helpers::*;
use fantoccini::Locator;
use ptrdesk::db::review::{self, QueueFilter};
use ptrdesk::domain::ChangeState;
use reqwest::StatusCode;
use std::net::IpAddr;

/// Passes every offline check (the test panels run no DNS checks).
const GOOD_NAME: &str = "mail.alice-hosting.net";
/// Rejected with offline checks only: it carries alice's address (`embeds-ip`).
const EMBEDS_IP: &str = "203-0-113-45.alice-hosting.net";

/// One signed-in customer's live checks from a loopback source address, with the headers of
/// each answer (`Retry-After`).
struct Checker {
    client: reqwest::Client,
    base: String,
    cookie: String,
    ip: &'static str,
}

/// What one live check answered.
#[derive(Debug)]
struct Checked {
    status: StatusCode,
    retry_after: Option<String>,
    /// The fragment's HTML (its sentences need no escaping).
    text: String,
}

impl Checker {
    /// `person` signs in from `source` and checks names for `ip`.
    async fn new(app: &TestApp, person: Person, source: [u8; 4], ip: &'static str) -> Checker {
        let browser = app.visitor_from(source);
        let reply = browser.login(person.username, person.password).await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "{} signs in",
            person.username
        );
        let cookie = reply
            .session_cookie()
            .and_then(|cookie| cookie.split(';').next())
            .expect("a session cookie")
            .to_owned();
        let client = reqwest::Client::builder()
            .local_address(IpAddr::from(source))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        Checker {
            client,
            base: app.address.clone(),
            cookie,
            ip,
        }
    }

    /// `GET /ptr/check` for `hostname` at `stage`.
    async fn check(&self, stage: &str, hostname: &str) -> Checked {
        let query = serde_urlencoded::to_string([
            ("ip", self.ip),
            ("hostname", hostname),
            ("stage", stage),
        ])
        .expect("a query string");
        let response = self
            .client
            .get(format!("{}/ptr/check?{query}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .expect("the panel answers");
        let status = response.status();
        let retry_after = response
            .headers()
            .get("retry-after")
            .map(|value| value.to_str().expect("an ASCII header").to_owned());
        Checked {
            status,
            retry_after,
            text: response.text().await.expect("a body"),
        }
    }

    /// `count` full checks, each of which must pass.
    async fn full_checks(&self, count: usize) {
        for n in 1..=count {
            let checked = self.check("full", GOOD_NAME).await;
            assert_eq!(
                checked.status,
                StatusCode::OK,
                "full check {n}: {checked:?}"
            );
            assert!(checked.text.contains("All checks passed"), "{checked:?}");
        }
    }
}

fn assert_refused(checked: &Checked) {
    assert_eq!(checked.status, StatusCode::TOO_MANY_REQUESTS, "{checked:?}");
    let seconds: u64 = checked
        .retry_after
        .as_deref()
        .expect("a Retry-After header")
        .parse()
        .expect("Retry-After in whole seconds");
    assert!(seconds >= 1, "{checked:?}");
    let unit = if seconds == 1 { "second" } else { "seconds" };
    assert!(
        checked.text.contains(&format!(
            "Too many checks in a short time \u{2014} wait {seconds} {unit};"
        )),
        "{checked:?}"
    );
}

#[tokio::test]
async fn a_user_over_the_live_check_limit_is_refused_with_429_and_told_how_long_to_wait() {
    let app = spawn_app_with(|settings| {
        settings.live_check_per_user = 3;
        settings.live_check_per_address = 0;
    })
    .await;
    let alice = Checker::new(&app, ALICE, [127, 0, 0, 1], ALICE_SINGLE).await;
    alice.full_checks(3).await;

    let refused = alice.check("full", GOOD_NAME).await;

    assert_refused(&refused);
    assert!(
        refused
            .text
            .contains("this name was not checked against DNS"),
        "{refused:?}"
    );
    assert!(!refused.text.contains("All checks passed"), "{refused:?}");
}

#[tokio::test]
async fn another_user_is_not_held_back_by_someone_elses_limit() {
    let app = spawn_app_with(|settings| {
        settings.live_check_per_user = 3;
        settings.live_check_per_address = 0;
    })
    .await;
    let alice = Checker::new(&app, ALICE, [127, 0, 0, 1], ALICE_SINGLE).await;
    let bob = Checker::new(&app, BOB, [127, 0, 0, 1], BOB_SINGLE).await;
    alice.full_checks(3).await;
    assert_refused(&alice.check("full", GOOD_NAME).await);

    let checked = bob.check("full", "edge.bob-networks.net").await;

    assert_eq!(checked.status, StatusCode::OK, "{checked:?}");
    assert!(checked.text.contains("All checks passed"), "{checked:?}");
}

#[tokio::test]
async fn the_per_address_limit_counts_every_user_behind_one_address_together() {
    let app = spawn_app_with(|settings| {
        settings.live_check_per_user = 100;
        settings.live_check_per_address = 3;
    })
    .await;
    let alice = Checker::new(&app, ALICE, [127, 0, 0, 2], ALICE_SINGLE).await;
    let bob = Checker::new(&app, BOB, [127, 0, 0, 2], BOB_SINGLE).await;
    alice.full_checks(2).await;
    bob.check("full", "edge.bob-networks.net").await;

    assert_refused(&bob.check("full", "edge.bob-networks.net").await);
    assert_refused(&alice.check("full", GOOD_NAME).await);
    // The same user from another address is not held back: the limit was the address's.
    let alice_elsewhere = Checker::new(&app, ALICE, [127, 0, 0, 3], ALICE_SINGLE).await;
    alice_elsewhere.full_checks(1).await;
}

#[tokio::test]
async fn offline_checks_send_nothing_out_and_are_not_counted() {
    let app = spawn_app_with(|settings| {
        settings.live_check_per_user = 2;
        settings.live_check_per_address = 0;
    })
    .await;
    let alice = Checker::new(&app, ALICE, [127, 0, 0, 1], ALICE_SINGLE).await;
    for _ in 0..20 {
        let checked = alice.check("offline", GOOD_NAME).await;
        assert_eq!(checked.status, StatusCode::OK, "{checked:?}");
    }
    alice.full_checks(2).await;
    assert_refused(&alice.check("full", GOOD_NAME).await);

    let offline = alice.check("offline", EMBEDS_IP).await;

    assert_eq!(offline.status, StatusCode::OK, "{offline:?}");
    assert!(offline.text.contains("Checking DNS"), "{offline:?}");
}

#[tokio::test]
async fn a_mail_check_over_the_limit_asks_no_mail_server() {
    let app = spawn_app_with(|settings| {
        settings.live_check_per_user = 2;
        settings.live_check_per_address = 0;
    })
    .await;
    let alice = Checker::new(&app, ALICE, [127, 0, 0, 1], ALICE_SINGLE).await;
    alice.full_checks(2).await;

    // A name that is not one: even a check that got through would connect nowhere.
    let refused = alice.check("mail", "mail_1.alice-hosting.net").await;

    assert_refused(&refused);
    assert!(
        refused.text.contains("the mail server was not asked"),
        "{refused:?}"
    );
}

/// That the limit lets checks through again after the interval is the unit test
/// `a_user_over_the_limit_waits_one_interval_and_is_let_through_again` (rate_limit::live_check),
/// on a clock it drives; here: the interval reaches the answer's `Retry-After`.
#[tokio::test]
async fn the_refusal_says_how_long_to_wait_for_the_interval() {
    let app = spawn_app_with(|settings| {
        settings.live_check_per_user = 2;
        settings.live_check_per_address = 0;
        settings.live_check_interval_seconds = 1;
    })
    .await;
    let alice = Checker::new(&app, ALICE, [127, 0, 0, 1], ALICE_SINGLE).await;
    alice.full_checks(2).await;
    let refused = alice.check("full", GOOD_NAME).await;
    assert_refused(&refused);
    assert_eq!(refused.retry_after.as_deref(), Some("1"));
}

#[tokio::test]
async fn the_page_shows_the_limit_in_place_of_the_dns_findings_and_checks_again_after_the_wait() {
    let app = spawn_app_with(|settings| {
        settings.live_check_per_user = 1;
        settings.live_check_per_address = 0;
        settings.live_check_interval_seconds = 5;
    })
    .await;
    let browser = Chromium::start().await;
    sign_in(&browser, &app, ALICE).await;
    let field = browser
        .find(Locator::Id(&format!("ptr-{ALICE_SINGLE}")))
        .await
        .expect("the PTR field");
    let live = browser
        .find(Locator::Id(&format!("live-{ALICE_SINGLE}")))
        .await
        .expect("the live box");
    // Alice's one check of the interval, used up from elsewhere just before she types.
    Checker::new(&app, ALICE, [127, 0, 0, 1], ALICE_SINGLE)
        .await
        .full_checks(1)
        .await;

    field.clear().await.expect("the field is cleared");
    field.send_keys(EMBEDS_IP).await.expect("the name is typed");

    let embeds = "contains the address";
    let shown = eventually("the limit notice beside the offline findings", async || {
        let text = live.text().await.unwrap_or_default();
        (text.contains("Too many checks") && text.contains("not checked against DNS"))
            .then(|| text.clone())
            .ok_or(text)
    })
    .await;
    assert!(shown.contains(embeds), "the offline findings stay: {shown}");
    assert!(!shown.contains("Checking DNS"), "{shown}");
    let retried = eventually("the checks to run again after the wait", async || {
        let text = live.text().await.unwrap_or_default();
        (!text.contains("Too many checks") && !text.contains("Checking DNS"))
            .then(|| text.clone())
            .ok_or(text)
    })
    .await;
    assert!(retried.contains(embeds), "{retried}");
}

/// Signs in through the login form and waits for the customer's page.
async fn sign_in(browser: &Chromium, app: &TestApp, person: Person) {
    browser.sign_in(&app.address, person).await;
    browser
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css("input[name=hostname]"))
        .await
        .expect("the customer's page after signing in");
}

// ---------------------------------------------------------------------------------------------
// Field lengths: a sentence beside the field (or a 400 for a field the page does not show),
// and nothing stored.

/// Saves `name` for `ip` as `user`, expecting a rejection; the change's id.
async fn rejected_change(app: &TestApp, user: &TestUser, ip: &str, name: &str) -> i64 {
    let reply = user.save(ip, name).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    review::page(&app.db.pool, &QueueFilter::default(), 500, 0)
        .await
        .expect("the queue answers")
        .into_iter()
        .find(|item| item.ip.to_string() == ip)
        .expect("the rejected change is in the queue")
        .id
}

async fn change_state(app: &TestApp, id: i64) -> ChangeState {
    review::item(&app.db.pool, id)
        .await
        .expect("the queue answers")
        .expect("the change is still open")
        .state
}

#[tokio::test]
async fn an_overlong_justification_comes_back_beside_the_field_and_nothing_is_asked() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let id = rejected_change(&app, &alice, ALICE_SINGLE, EMBEDS_IP).await;
    let audit_before = app.audit(ALICE_SINGLE).await.len();
    let justification = "because ".repeat(300);

    let reply = alice
        .post_form(
            "/ptr/review",
            &[
                ("change", &id.to_string()),
                ("justification", &justification),
                ("back", ""),
            ],
        )
        .await;

    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains(&format!(
            r#"id="justification-err-{id}">The justification has 2399 characters; at most 2000 are accepted."#
        )),
        "{}",
        reply.page().text()
    );
    assert!(
        reply.body.contains(justification.trim()),
        "the text is kept"
    );
    assert_eq!(change_state(&app, id).await, ChangeState::Rejected);
    assert_eq!(app.audit(ALICE_SINGLE).await.len(), audit_before);
}

#[tokio::test]
async fn an_overlong_review_note_comes_back_beside_the_field_and_nothing_is_decided() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let id = rejected_change(&app, &alice, ALICE_SINGLE, EMBEDS_IP).await;
    let admin = app.signed_in(ADMIN).await;
    admin.get("/admin/review").await;
    let note = "n".repeat(2001);

    let reply = admin
        .post_form(
            &format!("/admin/review/{id}/deny"),
            &[("note", &note), ("back", "")],
        )
        .await;

    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.page().text().contains(
            "Nothing was decided. The note has 2001 characters; at most 2000 are accepted."
        ),
        "{}",
        reply.page().text()
    );
    assert_eq!(change_state(&app, id).await, ChangeState::Rejected);
}

#[tokio::test]
async fn an_overlong_sign_in_is_refused_unlooked_up_and_never_locks_the_account() {
    let app = spawn_app().await;
    let visitor = app.visitor();
    let long_password = "p".repeat(1025);
    for _ in 0..6 {
        let reply = visitor.login(ALICE.username, &long_password).await;
        assert_says(
            &reply,
            StatusCode::UNPROCESSABLE_ENTITY,
            "The password has 1025 characters; at most 1024 are accepted.",
        );
    }
    let long_name = "u".repeat(257);
    let reply = visitor.login(&long_name, ALICE.password).await;
    assert_says(
        &reply,
        StatusCode::UNPROCESSABLE_ENTITY,
        "The user name has 257 characters",
    );

    // Six refusals, none a failed sign-in: the account is not locked.
    let reply = visitor.login(ALICE.username, ALICE.password).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn admin_fields_over_their_limits_come_back_beside_the_field_and_change_nothing() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let k1 = app.customer_id(ALICE_NUMBER).await;
    admin.get("/admin/users").await;
    let users_before = ptrdesk::db::admin::users(&app.db.pool, "")
        .await
        .expect("the users")
        .rows
        .len();

    let password = "p".repeat(1025);
    let reply = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "newcomer"),
                ("role", "admin"),
                ("customer", ""),
                ("password", &password),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains(
            r#"id="new-password-err">The password has 1025 characters; at most 1024 are accepted."#
        ),
        "{}",
        reply.page().text()
    );
    let customer = "K".repeat(201);
    let reply = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "newcomer"),
                ("role", "customer"),
                ("customer", &customer),
                ("password", "long-enough-password"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains(r#"id="new-customer-err">There is no customer with this number."#),
        "{}",
        reply.page().text()
    );
    let users_after = ptrdesk::db::admin::users(&app.db.pool, "")
        .await
        .expect("the users")
        .rows
        .len();
    assert_eq!(users_after, users_before);

    let network = format!("2001:db8::/64{}", " ".repeat(10) + &"0".repeat(60));
    let reply = admin
        .post_form(
            &format!("/admin/customers/{k1}/assignments"),
            &[
                (
                    "server",
                    &app.server_id(ALICE_NUMBER, "alice-web").await.to_string(),
                ),
                ("network", &network),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains(
            r#"id="assignment-network-err">The network has 83 characters; at most 64 are accepted."#
        ),
        "{}",
        reply.page().text()
    );

    let assignment = app.assignment_id(ALICE_NUMBER, ALICE_SINGLE).await;
    let reply = admin
        .post_form(
            &format!("/admin/assignments/{assignment}/move"),
            &[("customer", &"K".repeat(201)), ("server", "alice-web")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .page()
            .text()
            .contains("There is no customer with this number."),
        "an over-long customer is not taken for \u{201c}this customer\u{201d}: {}",
        reply.page().text()
    );
    let reply = admin
        .post_form(
            &format!("/admin/assignments/{assignment}/move"),
            &[("customer", ""), ("server", &"s".repeat(101))],
        )
        .await;
    assert_says(
        &reply,
        StatusCode::UNPROCESSABLE_ENTITY,
        "That customer has no server with this name; add it first.",
    );
    assert_eq!(
        app.assignment_id(ALICE_NUMBER, ALICE_SINGLE).await,
        assignment
    );
    assert_eq!(
        app.server_id(ALICE_NUMBER, "alice-web").await,
        ptrdesk::db::admin::assignment(&app.db.pool, assignment)
            .await
            .expect("the assignment")
            .expect("it still exists")
            .server_id
    );
}

#[tokio::test]
async fn an_import_with_an_overlong_cell_or_line_imports_nothing_and_names_the_line() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    admin.get("/admin/import").await;
    let name = "N".repeat(201);
    let csv = format!("K9,Nine Ltd,nine-web,192.0.2.1\nK10,{name},ten-web,192.0.2.2\n");

    let reply = admin.post_form("/admin/import", &[("csv", &csv)]).await;

    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = reply.page().text();
    assert!(
        text.contains("Line 2: The customer name has 201 characters; at most 200 are accepted."),
        "{text}"
    );
    let csv = format!("K9,Nine Ltd,nine-web,192.0.2.1\n{}\n", "x".repeat(2049));
    let reply = admin.post_form("/admin/import", &[("csv", &csv)]).await;
    assert_says(
        &reply,
        StatusCode::UNPROCESSABLE_ENTITY,
        "Nothing was imported: Line 2 has 2049 characters; a line has at most 2048.",
    );
    let k9 = ptrdesk::db::customers::find(&app.db.pool, "K9")
        .await
        .expect("the customers table answers");
    assert!(k9.is_none(), "nothing was imported");
}

#[tokio::test]
async fn a_bulk_line_over_the_limit_is_named_and_nothing_is_checked_or_saved() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.get("/bulk").await;
    let long_line = format!("198.51.100.17,{}.alice-hosting.net", "a".repeat(2100));
    let csv = format!("{ALICE_SINGLE},{GOOD_NAME}\n{long_line}\n");

    let reply = alice
        .post_form("/bulk/apply", &[("csv", &csv), ("atomic", "on")])
        .await;

    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.page().text().contains(&format!(
            "Line 2 has {} characters; a line has at most 2048. Each line is an address, a comma and a host name. Nothing was checked or saved.",
            long_line.len()
        )),
        "{}",
        reply.page().text()
    );
    assert_eq!(app.entry(ALICE_SINGLE).await, None);
}

#[tokio::test]
async fn more_protected_domains_than_the_limit_are_refused_and_the_policy_stays() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    admin.get("/admin/policy").await;
    let domains: Vec<String> = (0..1001).map(|n| format!("d{n}.example.net")).collect();

    let reply = admin
        .post_form("/admin/policy", &[("protected", &domains.join("\n"))])
        .await;

    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.page().text().contains(
            "Protected domains: 1001 lines; at most 1000 are accepted. Nothing was saved."
        ),
        "{}",
        reply.page().text()
    );
    let stored = ptrdesk::db::policy::load(&app.db.pool)
        .await
        .expect("the policy");
    assert!(stored.protected_domains.is_empty());
}

#[tokio::test]
async fn searches_and_filters_over_the_limit_say_so_instead_of_searching() {
    let app = spawn_app().await;
    let long = "x".repeat(257);
    let helpdesk = app.signed_in(HELPDESK).await;
    let reply = helpdesk.get(&format!("/lookup?q={long}")).await;
    assert_says(
        &reply,
        StatusCode::BAD_REQUEST,
        "The search text has 257 characters; at most 256 are accepted. Shorten it and search again.",
    );

    let admin = app.signed_in(ADMIN).await;
    let reply = admin.get(&format!("/admin/customers?q={long}")).await;
    assert_says(
        &reply,
        StatusCode::BAD_REQUEST,
        "The search text has 257 characters",
    );
    let reply = admin.get(&format!("/admin/audit?actor={long}")).await;
    assert_says(
        &reply,
        StatusCode::UNPROCESSABLE_ENTITY,
        "The actor filter has 257 characters; at most 256 are accepted.",
    );
    let reply = admin.get(&format!("/admin/review?customer={long}")).await;
    assert_says(
        &reply,
        StatusCode::OK,
        "The customer filter has 257 characters; at most 256 are accepted.",
    );

    let alice = app.signed_in(ALICE).await;
    let reply = alice.get(&format!("/ips?hostname={long}")).await;
    assert_says(
        &reply,
        StatusCode::BAD_REQUEST,
        "The host name filter has 257 characters; at most 256 are accepted.",
    );
}

#[tokio::test]
async fn an_overlong_hidden_back_field_is_a_400_with_a_sentence_and_saves_nothing() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let version = alice.version_of(ALICE_SINGLE).await;
    let back = format!("hostname={}", "a".repeat(5000));

    let reply = alice
        .post_form(
            "/ptr/save",
            &[
                ("ip", ALICE_SINGLE),
                ("hostname", GOOD_NAME),
                ("version", &version),
                ("back", &back),
            ],
        )
        .await;

    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.page().text().contains(
            "The form's return address has 5009 characters; at most 4096 are accepted. Reload the page and try again; nothing was saved."
        ),
        "{}",
        reply.page().text()
    );
    assert_eq!(app.entry(ALICE_SINGLE).await, None);
}

// ---------------------------------------------------------------------------------------------
// Body size: the 413 says so in a sentence, and nothing changes.

const TOO_MUCH: &str = "The form sent more data than ptrdesk accepts. Nothing was changed.";

#[tokio::test]
async fn an_oversized_admin_form_gets_413_with_a_sentence_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let k1 = app.customer_id(ALICE_NUMBER).await;
    admin.get(&format!("/admin/customers/{k1}")).await;
    let name = "n".repeat(70 * 1024);

    let reply = admin
        .post_form(&format!("/admin/customers/{k1}/rename"), &[("name", &name)])
        .await;

    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.page().text().contains(TOO_MUCH), "{}", reply.body);
    let customer = ptrdesk::db::customers::by_id(&app.db.pool, k1)
        .await
        .expect("the customers table answers")
        .expect("K1");
    assert_eq!(customer.name, ALICE_CUSTOMER);
}

#[tokio::test]
async fn an_oversized_bulk_or_import_form_gets_413_with_a_sentence_and_changes_nothing() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.get("/bulk").await;
    let line = format!("{ALICE_SINGLE},{GOOD_NAME}\n");
    let csv = line.repeat(5 * 1024 * 1024 / line.len());

    let reply = alice
        .post_form("/bulk/apply", &[("csv", &csv), ("atomic", "on")])
        .await;

    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.page().text().contains(TOO_MUCH), "{}", reply.body);
    assert_eq!(app.entry(ALICE_SINGLE).await, None);

    let admin = app.signed_in(ADMIN).await;
    admin.get("/admin/import").await;
    let line = "K9,Nine Ltd,nine-web,192.0.2.1\n";
    let csv = line.repeat(3 * 1024 * 1024 / line.len());
    let reply = admin.post_form("/admin/import", &[("csv", &csv)]).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.page().text().contains(TOO_MUCH), "{}", reply.body);
    let k9 = ptrdesk::db::customers::find(&app.db.pool, "K9")
        .await
        .expect("the customers table answers");
    assert!(k9.is_none(), "nothing was imported");
}

// ---------------------------------------------------------------------------------------------
// Page numbers: anything absurd gives a page, never an error or an unbounded query.

const ABSURD_PAGES: [&str; 6] = [
    "999999999999",
    "9223372036854775807",
    "99999999999999999999999",
    "-5",
    "abc",
    "1.5",
];

#[tokio::test]
async fn absurd_page_numbers_give_a_page_in_every_listing() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let admin = app.signed_in(ADMIN).await;
    let helpdesk = app.signed_in(HELPDESK).await;

    for page in ABSURD_PAGES {
        for (user, path) in [
            (&alice, format!("/ips?page={page}")),
            (&helpdesk, format!("/lookup?q=alice&page={page}")),
            (&admin, format!("/admin/audit?page={page}")),
            (&admin, format!("/admin/review?page={page}")),
        ] {
            let reply = user.get(&path).await;
            assert_eq!(
                reply.status,
                StatusCode::OK,
                "{path}: {}",
                reply.page().text()
            );
        }
    }
    let first = alice.get("/ips?page=-5").await.page();
    assert!(
        first.row(ALICE_SINGLE).is_some(),
        "a negative page is the first"
    );
}

/// The reply has `status` and its page says `text`.
#[track_caller]
fn assert_says(reply: &crate::helpers::Reply, status: StatusCode, text: &str) {
    assert_eq!(reply.status, status, "{}", reply.page().text());
    assert!(
        reply.page().text().contains(text),
        "{}",
        reply.page().text()
    );
}

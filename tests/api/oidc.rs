//! Signing in through the provider's OpenID Connect provider (a real one, started on
//! loopback): the first sign-in makes a user linked to issuer + subject, claims name the
//! customer and role, and whatever cannot be verified — a tampered ID token, another nonce,
//! a replayed state, an expired token, an unknown customer — signs nobody in and makes
//! nothing.

use crate::helpers::oidc_provider::{OidcProvider, Tamper};
use crate::helpers::*;
use ptrdesk::config::Settings;
use reqwest::StatusCode;
use serde_json::json;

/// A panel signing in through `provider`, after `configure`.
async fn app_with(provider: &OidcProvider, configure: impl FnOnce(&mut Settings)) -> TestApp {
    let issuer = provider.issuer.clone();
    spawn_app_with(move |settings| {
        settings.oidc_issuer_url = Some(issuer);
        settings.oidc_client_id = Some("ptrdesk".to_owned());
        settings.oidc_client_secret = Some("client-secret".to_owned().into());
        settings.oidc_provider_name = "Example ID".to_owned();
        configure(settings);
    })
    .await
}

/// Starts a sign-in in `browser`, signs `sub` in at the provider, and returns ptrdesk's
/// answer to the browser coming back.
async fn sign_in_through(provider: &OidcProvider, browser: &TestUser, sub: &str) -> Reply {
    let back = come_back_from(provider, browser, sub).await;
    browser.get(&back).await
}

/// Starts a sign-in in `browser` and signs `sub` in at the provider; returns the path (with
/// code and state) the provider sends the browser back to, not yet followed.
async fn come_back_from(provider: &OidcProvider, browser: &TestUser, sub: &str) -> String {
    let start = browser.get("/login/oidc").await;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.body);
    let authorize = start.location.expect("the provider's authorization URL");
    assert!(authorize.starts_with(&provider.issuer), "{authorize}");
    for parameter in [
        "state=",
        "nonce=",
        "code_challenge=",
        "code_challenge_method=S256",
    ] {
        assert!(authorize.contains(parameter), "{parameter} in {authorize}");
    }
    let back = provider.authorize(&authorize, sub).await;
    let path_start = back
        .find("/login/oidc/callback")
        .expect("ptrdesk's callback");
    back[path_start..].to_owned()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&app.db.pool)
        .await
        .expect("the database answers")
}

async fn users(app: &TestApp) -> i64 {
    count(app, "SELECT COUNT(*) FROM users").await
}

#[tokio::test]
async fn the_first_sign_in_makes_a_customer_user_linked_to_the_subject_and_the_next_finds_it() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider, |_| {}).await;
    provider
        .set_user(
            "c-17",
            json!({"customer": ALICE_NUMBER, "preferred_username": "carol"}),
        )
        .await;
    let login = app.visitor().get("/login").await;
    assert!(
        login.page().text().contains("Sign in with Example ID"),
        "{}",
        login.body
    );
    let before = users(&app).await;
    let browser = app.visitor();

    let reply = sign_in_through(&provider, &browser, "c-17").await;

    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location.as_deref(), Some("/"));
    let ips = browser.get("/ips").await;
    assert_eq!(ips.status, StatusCode::OK);
    let text = ips.page().text();
    assert!(
        text.contains(ALICE_CUSTOMER) && text.contains("carol"),
        "{text}"
    );
    assert_eq!(users(&app).await, before + 1);
    let linked = count(
        &app,
        "SELECT COUNT(*) FROM oidc_identities WHERE subject = 'c-17'",
    )
    .await;
    assert_eq!(linked, 1);

    let again = app.visitor();
    let reply = sign_in_through(&provider, &again, "c-17").await;

    assert_eq!(reply.location.as_deref(), Some("/"));
    assert_eq!(
        users(&app).await,
        before + 1,
        "the same user, not a new one"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit WHERE action = 'user.sign-in'"
        )
        .await,
        2
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM audit WHERE action = 'user.add'").await,
        1
    );
}

#[tokio::test]
async fn an_unknown_or_missing_customer_number_is_refused_and_nothing_is_made() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider, |_| {}).await;
    provider
        .set_user("c-unknown", json!({"customer": "K999"}))
        .await;
    provider
        .set_user("c-none", json!({"preferred_username": "nobody"}))
        .await;
    let before = users(&app).await;

    let unknown = sign_in_through(&provider, &app.visitor(), "c-unknown").await;
    let missing = sign_in_through(&provider, &app.visitor(), "c-none").await;

    assert_eq!(unknown.status, StatusCode::FORBIDDEN);
    assert!(
        unknown.page().text().contains(
            "names the customer number \u{201c}K999\u{201d}, which ptrdesk does not know"
        ),
        "{}",
        unknown.page().text()
    );
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(missing.page().text().contains("names no customer number"));
    assert_eq!(users(&app).await, before, "nothing was made");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM oidc_identities").await, 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit WHERE action = 'user.sign-in.refused'"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn the_role_claim_makes_staff_and_a_changed_claim_changes_the_role() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider, |_| {}).await;
    provider
        .set_user("s-1", json!({"ptrdesk_role": "helpdesk"}))
        .await;
    let browser = app.visitor();

    sign_in_through(&provider, &browser, "s-1").await;

    assert_eq!(browser.get("/lookup").await.status, StatusCode::OK);
    assert_eq!(
        browser.get("/admin/users").await.status,
        StatusCode::FORBIDDEN
    );

    provider
        .set_user("s-1", json!({"ptrdesk_role": "admin"}))
        .await;
    let later = app.visitor();
    sign_in_through(&provider, &later, "s-1").await;

    assert_eq!(
        later.get("/admin/users").await.status,
        StatusCode::OK,
        "now an admin"
    );
    assert_eq!(
        browser.get("/lookup").await.location.as_deref(),
        Some("/login"),
        "the role change ended the older session"
    );
}

#[tokio::test]
async fn a_disabled_linked_user_is_refused() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider, |_| {}).await;
    provider
        .set_user(
            "c-2",
            json!({"customer": ALICE_NUMBER, "preferred_username": "dora"}),
        )
        .await;
    sign_in_through(&provider, &app.visitor(), "c-2").await;
    let dora = app.user_id("dora").await;
    sqlx::query("UPDATE users SET disabled_at = 1 WHERE id = $1")
        .bind(dora)
        .execute(&app.db.pool)
        .await
        .expect("the user is disabled");
    let browser = app.visitor();

    let reply = sign_in_through(&provider, &browser, "c-2").await;

    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(
        reply
            .page()
            .text()
            .contains("Your ptrdesk account is disabled.")
    );
    assert_eq!(
        browser.get("/ips").await.location.as_deref(),
        Some("/login")
    );
}

/// Asserts that `reply` refused the sign-in and `browser` is not signed in.
async fn assert_refused(reply: &Reply, browser: &TestUser, status: StatusCode, sentence: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert!(
        reply.page().text().contains(sentence),
        "{}",
        reply.page().text()
    );
    assert_eq!(
        browser.get("/ips").await.location.as_deref(),
        Some("/login")
    );
}

const NOT_VERIFIED: &str = "The sign-in provider's answer could not be verified";

#[tokio::test]
async fn a_tampered_id_token_signs_nobody_in() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider, |_| {}).await;
    provider
        .set_user("c-3", json!({"customer": ALICE_NUMBER}))
        .await;
    provider.tamper(Tamper::IdTokenSubject);
    let browser = app.visitor();
    let before = users(&app).await;

    let reply = sign_in_through(&provider, &browser, "c-3").await;

    assert_refused(&reply, &browser, StatusCode::FORBIDDEN, NOT_VERIFIED).await;
    assert_eq!(users(&app).await, before);
}

#[tokio::test]
async fn an_id_token_with_another_nonce_signs_nobody_in() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider, |_| {}).await;
    provider
        .set_user("c-4", json!({"customer": ALICE_NUMBER}))
        .await;
    provider.tamper(Tamper::Nonce);
    let browser = app.visitor();

    let reply = sign_in_through(&provider, &browser, "c-4").await;

    assert_refused(&reply, &browser, StatusCode::FORBIDDEN, NOT_VERIFIED).await;
}

#[tokio::test]
async fn an_expired_id_token_signs_nobody_in() {
    let provider = OidcProvider::start_with_token_age(Some(1)).await;
    let app = app_with(&provider, |_| {}).await;
    provider
        .set_user("c-5", json!({"customer": ALICE_NUMBER}))
        .await;
    provider.tamper(Tamper::SlowTokenAnswer);
    let browser = app.visitor();

    let reply = sign_in_through(&provider, &browser, "c-5").await;

    assert_refused(&reply, &browser, StatusCode::FORBIDDEN, NOT_VERIFIED).await;
}

const START_AGAIN: &str = "This sign-in link was already used or was not started in this browser.";

#[tokio::test]
async fn a_replayed_or_forged_state_signs_nobody_in() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider, |_| {}).await;
    provider
        .set_user("c-6", json!({"customer": ALICE_NUMBER}))
        .await;
    let first = app.visitor();
    let back = come_back_from(&provider, &first, "c-6").await;
    assert_eq!(
        first.get(&back).await.location.as_deref(),
        Some("/"),
        "arranged"
    );

    let elsewhere = app.visitor();
    elsewhere.get("/login").await;
    let replayed_elsewhere = elsewhere.get(&back).await;
    let replayed_here = app.visitor();
    let pending = replayed_here.get("/login/oidc").await;
    assert_eq!(
        pending.status,
        StatusCode::SEE_OTHER,
        "a sign-in of its own is pending"
    );
    let replayed_with_other_state = replayed_here.get(&back).await;

    assert_refused(
        &replayed_elsewhere,
        &elsewhere,
        StatusCode::BAD_REQUEST,
        START_AGAIN,
    )
    .await;
    assert_refused(
        &replayed_with_other_state,
        &replayed_here,
        StatusCode::BAD_REQUEST,
        START_AGAIN,
    )
    .await;
}

#[tokio::test]
async fn with_oidc_only_the_password_form_is_for_admins_alone() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider, |settings| settings.oidc_only = true).await;

    let login = app.visitor().get("/login").await;
    let break_glass = app.visitor().get("/login?password").await;
    let customer = app.visitor();
    customer.get("/login?password").await;
    let refused = customer.login(ALICE.username, ALICE.password).await;
    let admin = app.visitor();
    admin.get("/login?password").await;
    let allowed = admin.login(ADMIN.username, ADMIN.password).await;

    assert!(login.page().text().contains("Sign in with Example ID"));
    assert!(
        !login.body.contains(r#"name="password""#),
        "no password field"
    );
    assert!(break_glass.body.contains(r#"name="password""#));
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused
            .page()
            .text()
            .contains("Password sign-in is kept for administrators")
    );
    assert_eq!(
        customer.get("/ips").await.location.as_deref(),
        Some("/login")
    );
    assert_eq!(allowed.status, StatusCode::SEE_OTHER);
    assert_eq!(admin.get("/admin/users").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_provider_that_does_not_answer_gets_a_clear_message() {
    let provider = OidcProvider::start().await;
    let issuer = provider.issuer.clone();
    drop(provider);
    let app = spawn_app_with(move |settings| {
        settings.oidc_issuer_url = Some(issuer);
        settings.oidc_client_id = Some("ptrdesk".to_owned());
        settings.oidc_provider_name = "Example ID".to_owned();
    })
    .await;

    let reply = app.visitor().get("/login/oidc").await;

    assert_eq!(reply.status, StatusCode::BAD_GATEWAY);
    assert!(
        reply
            .page()
            .text()
            .contains("Example ID cannot be reached just now."),
        "{}",
        reply.page().text()
    );
}

#[tokio::test]
async fn a_customer_signs_in_through_the_provider_in_a_real_browser() {
    use crate::helpers::chromium::{Chromium, eventually};
    use fantoccini::Locator;
    let provider = OidcProvider::start().await;
    let app = app_with(&provider, |_| {}).await;
    provider
        .set_user(
            "c-browser",
            json!({"customer": ALICE_NUMBER, "preferred_username": "erin"}),
        )
        .await;
    let browser = Chromium::start().await;
    browser
        .goto(&format!("{}/login", app.address))
        .await
        .expect("the sign-in page opens");

    browser
        .find(Locator::LinkText("Sign in with Example ID"))
        .await
        .expect("the provider's button")
        .click()
        .await
        .expect("the button is clicked");
    let subject = eventually("the provider's sign-in form", async || {
        browser.find(Locator::Css("input[name=sub]")).await
    })
    .await;
    subject
        .send_keys("c-browser")
        .await
        .expect("the subject is typed");
    browser
        .find(Locator::XPath("//button[normalize-space()='Authorize']"))
        .await
        .expect("the provider's Authorize button")
        .click()
        .await
        .expect("Authorize is clicked");

    let text = eventually("the customer's page, signed in as erin", async || {
        let url = browser.current_url().await.map_err(|err| err.to_string())?;
        let text = browser
            .find(Locator::Css("body"))
            .await
            .map_err(|err| err.to_string())?
            .text()
            .await
            .map_err(|err| err.to_string())?;
        (url.path() == "/ips" && text.contains("erin"))
            .then_some(text.clone())
            .ok_or(format!("{url}: {text}"))
    })
    .await;
    assert!(text.contains(ALICE_CUSTOMER), "{text}");
}

#[tokio::test]
async fn the_email_claim_is_where_the_users_notification_mails_go_and_follows_the_provider() {
    let provider = OidcProvider::start().await;
    let app = app_with(&provider, |_| {}).await;
    let claims = |email: &str| json!({"customer": ALICE_NUMBER, "preferred_username": "dora", "email": email, "email_verified": true});
    provider
        .set_user("d-1", claims("dora@alice-hosting.net"))
        .await;
    let reply = sign_in_through(&provider, &app.visitor(), "d-1").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let dora = app.user_id("dora").await;
    let email = || async {
        ptrdesk::db::mail::email_of(&app.db.pool, dora)
            .await
            .expect("answers")
    };
    assert_eq!(email().await.as_deref(), Some("dora@alice-hosting.net"));

    provider
        .set_user("d-1", claims("d.ops@alice-hosting.net"))
        .await;
    sign_in_through(&provider, &app.visitor(), "d-1").await;

    assert_eq!(email().await.as_deref(), Some("d.ops@alice-hosting.net"));
    let changes = app
        .audit_actions()
        .await
        .into_iter()
        .filter(|(action, _)| action == "user.email")
        .count();
    assert_eq!(changes, 2, "set once, changed once");
}

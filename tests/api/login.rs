//! Signing in and out: sessions, cookies, throttling and the CSRF token of the sign-in form.

use crate::helpers::{ALICE, ALICE_CUSTOMER, BOB, spawn_app, spawn_app_with};
use reqwest::StatusCode;

const WRONG_CREDENTIALS: &str = "The username or password is not right.";

fn cookie_attributes(set_cookie: &str) -> Vec<String> {
    set_cookie
        .split(';')
        .skip(1)
        .map(|part| part.trim().to_ascii_lowercase())
        .collect()
}

fn cookie_value(set_cookie: &str) -> &str {
    set_cookie.split(';').next().unwrap_or_default()
}

#[tokio::test]
async fn a_customer_signs_in_and_sees_their_customers_name() {
    let app = spawn_app().await;
    let browser = app.visitor();
    assert_eq!(browser.get("/login").await.status, StatusCode::OK);

    let reply = browser.login(ALICE.username, ALICE.password).await;

    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location.as_deref(), Some("/"));
    let home = browser.get("/").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.location.as_deref(), Some("/ips"));
    let ips = browser.get("/ips").await;
    assert_eq!(ips.status, StatusCode::OK);
    let text = ips.page().text();
    assert!(text.contains(ALICE_CUSTOMER), "{text}");
    assert!(text.contains(ALICE.username), "{text}");
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_a_message_and_no_session() {
    let app = spawn_app().await;
    let browser = app.visitor();

    let reply = browser.login(ALICE.username, "not-her-password").await;

    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(reply.page().text().contains(WRONG_CREDENTIALS));
    let ips = browser.get("/ips").await;
    assert_eq!(ips.status, StatusCode::SEE_OTHER);
    assert_eq!(ips.location.as_deref(), Some("/login"));
}

#[tokio::test]
async fn an_unknown_username_gets_the_same_message_as_a_wrong_password() {
    let app = spawn_app().await;
    let browser = app.visitor();

    let reply = browser.login("mallory", ALICE.password).await;

    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(reply.page().text().contains(WRONG_CREDENTIALS));
    assert_eq!(browser.get("/ips").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = spawn_app().await;
    let browser = app.signed_in(ALICE).await;
    assert_eq!(browser.get("/ips").await.status, StatusCode::OK);

    let reply = browser.logout().await;

    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location.as_deref(), Some("/login"));
    let ips = browser.get("/ips").await;
    assert_eq!(ips.status, StatusCode::SEE_OTHER);
    assert_eq!(ips.location.as_deref(), Some("/login"));
}

#[tokio::test]
async fn signing_out_without_the_csrf_token_is_refused_and_keeps_the_session() {
    let app = spawn_app().await;
    let browser = app.signed_in(ALICE).await;

    let reply = browser.post_exactly("/logout", &[]).await;

    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(browser.get("/ips").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_lax_but_not_secure_by_default() {
    let app = spawn_app().await;
    let browser = app.visitor();

    let reply = browser.login(ALICE.username, ALICE.password).await;

    let cookie = reply.session_cookie().expect("signing in sets the cookie");
    let attributes = cookie_attributes(cookie);
    assert!(attributes.contains(&"httponly".to_owned()), "{cookie}");
    assert!(attributes.contains(&"samesite=lax".to_owned()), "{cookie}");
    assert!(!attributes.contains(&"secure".to_owned()), "{cookie}");
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_the_panel_is_configured_for_https() {
    let app = spawn_app_with(|settings| settings.secure_cookies = true).await;
    let browser = app.visitor();

    let reply = browser.get("/login").await;

    let cookie = reply
        .session_cookie()
        .expect("the sign-in form sets the cookie");
    let attributes = cookie_attributes(cookie);
    assert!(attributes.contains(&"secure".to_owned()), "{cookie}");
    assert!(attributes.contains(&"httponly".to_owned()), "{cookie}");
    assert!(attributes.contains(&"samesite=lax".to_owned()), "{cookie}");
}

#[tokio::test]
async fn signing_in_replaces_the_session_cookie() {
    let app = spawn_app().await;
    let browser = app.visitor();
    let form = browser.get("/login").await;
    let before = cookie_value(form.session_cookie().expect("the form sets a cookie")).to_owned();

    let reply = browser.login(ALICE.username, ALICE.password).await;

    let after = cookie_value(reply.session_cookie().expect("signing in sets a cookie"));
    assert_ne!(before, after);
}

#[tokio::test]
async fn a_session_cookie_from_before_sign_in_does_not_become_signed_in() {
    let app = spawn_app().await;
    let browser = app.visitor();
    let form = browser.get("/login").await;
    let planted = cookie_value(form.session_cookie().expect("the form sets a cookie")).to_owned();
    let old_csrf = form.page().csrf().expect("the form has a CSRF token");

    browser.login(ALICE.username, ALICE.password).await;

    let attacker = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    let with_planted_cookie = attacker
        .get(format!("{}/ips", app.address))
        .header("cookie", planted)
        .send()
        .await
        .expect("the panel answers");
    assert_eq!(with_planted_cookie.status(), StatusCode::SEE_OTHER);
    let logout = browser
        .post_exactly("/logout", &[("csrf", old_csrf.as_str())])
        .await;
    assert_eq!(
        logout.status,
        StatusCode::FORBIDDEN,
        "the old token is void"
    );
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_username_even_for_the_right_password() {
    let app = spawn_app().await;
    // Each failure from its own address, so that only the username can be what is locked.
    for last_octet in 2..=6 {
        let reply = app
            .visitor_from([127, 0, 0, last_octet])
            .login(ALICE.username, "guess")
            .await;
        assert_ne!(reply.status, StatusCode::SEE_OTHER);
    }

    let reply = app
        .visitor_from([127, 0, 0, 7])
        .login(ALICE.username, ALICE.password)
        .await;

    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(reply.page().text().contains("locked"), "{}", reply.body);
    let other_user = app.visitor_from([127, 0, 0, 7]);
    let bob = other_user.login(BOB.username, BOB.password).await;
    assert_eq!(bob.status, StatusCode::SEE_OTHER, "only alice is locked");
}

#[tokio::test]
async fn five_failures_from_one_address_lock_that_address_for_every_username() {
    let app = spawn_app().await;
    let attacker = app.visitor_from([127, 0, 0, 2]);
    for username in ["alice", "bob", "root", "support", "nobody"] {
        let reply = attacker.login(username, "guess").await;
        assert_ne!(reply.status, StatusCode::SEE_OTHER);
    }

    let reply = attacker.login(BOB.username, BOB.password).await;

    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(reply.page().text().contains("locked"), "{}", reply.body);
    let elsewhere = app.visitor().login(BOB.username, BOB.password).await;
    assert_eq!(
        elsewhere.status,
        StatusCode::SEE_OTHER,
        "only the address is locked"
    );
}

#[tokio::test]
async fn signing_in_without_the_csrf_token_is_refused() {
    let app = spawn_app().await;
    let browser = app.visitor();
    browser.get("/login").await;

    let fields = [("username", ALICE.username), ("password", ALICE.password)];
    let reply = browser.post_exactly("/login", &fields).await;

    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(browser.get("/ips").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn signing_in_with_a_wrong_csrf_token_is_refused() {
    let app = spawn_app().await;
    let browser = app.visitor();
    browser.get("/login").await;

    let fields = [
        (
            "csrf",
            "0000000000000000000000000000000000000000000000000000000000000000",
        ),
        ("username", ALICE.username),
        ("password", ALICE.password),
    ];
    let reply = browser.post_exactly("/login", &fields).await;

    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(browser.get("/ips").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_signed_in_user_who_opens_the_sign_in_form_goes_to_their_start_page() {
    let app = spawn_app().await;
    let browser = app.signed_in(ALICE).await;

    let reply = browser.get("/login").await;

    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location.as_deref(), Some("/"));
}

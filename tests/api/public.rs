//! What answers without a customer session: the liveness check, the assets, unknown paths, the
//! security headers, and where staff users start.

use crate::helpers::{ADMIN, HELPDESK, spawn_app};
use reqwest::StatusCode;

#[tokio::test]
async fn the_liveness_check_answers_ok() {
    let app = spawn_app().await;

    let reply = app.visitor().get("/livez").await;

    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body.trim(), "ok");
}

#[tokio::test]
async fn the_stylesheet_and_the_script_are_served() {
    let app = spawn_app().await;
    let browser = app.visitor();

    let css = browser.get("/static/ptrdesk.css").await;
    let js = browser.get("/static/ptrdesk.js").await;

    assert_eq!(css.status, StatusCode::OK);
    assert!(!css.body.is_empty());
    assert_eq!(js.status, StatusCode::OK);
    assert!(!js.body.is_empty());
}

#[tokio::test]
async fn an_unknown_path_is_a_404_page() {
    let app = spawn_app().await;

    let reply = app.visitor().get("/no/such/page").await;

    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.page().text().contains("Not found"), "{}", reply.body);
}

#[tokio::test]
async fn pages_may_not_be_framed_or_sniffed() {
    let app = spawn_app().await;
    let response = reqwest::get(format!("{}/login", app.address))
        .await
        .expect("the panel answers");

    let headers = response.headers();

    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let policy = headers["content-security-policy"].to_str().expect("ASCII");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
}

#[tokio::test]
async fn the_home_page_sends_guests_to_the_sign_in_form() {
    let app = spawn_app().await;

    let reply = app.visitor().get("/").await;

    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location.as_deref(), Some("/login"));
}

#[tokio::test]
async fn staff_users_start_on_their_own_screens() {
    let app = spawn_app().await;
    for (person, start) in [(ADMIN, "/admin/review"), (HELPDESK, "/lookup")] {
        let browser = app.signed_in(person).await;

        let reply = browser.get("/").await;

        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", person.username);
        assert_eq!(
            reply.location.as_deref(),
            Some(start),
            "{}",
            person.username
        );
    }
}

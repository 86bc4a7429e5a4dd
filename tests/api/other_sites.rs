//! What other sites can make a signed-in browser do (nothing), and where the panel says it
//! lives: the `Origin`/`Referer` of a form, and `X-Forwarded-Host` believed only from a
//! trusted proxy.

use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn a_form_sent_from_another_sites_page_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let lured = app.visitor_with_header("origin", "https://evil.example");
    let sign_in = lured.login(ALICE.username, ALICE.password).await;
    assert_eq!(
        sign_in.status,
        StatusCode::FORBIDDEN,
        "a sign-in form posted from elsewhere"
    );
    assert_signed_out(&lured).await;
    let alice = app.signed_in(ALICE).await;
    let csrf = alice.csrf().await;
    let forged = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    let cookie = alice_cookie(&app).await;

    for (header, value) in [
        ("origin", "https://evil.example"),
        ("origin", "null"),
        ("referer", "https://evil.example/phish.html"),
    ] {
        let reply = forged
            .post(format!("{}/ptr/save", app.address))
            .header("cookie", &cookie)
            .header(header, value)
            .form(&[
                ("csrf", csrf.as_str()),
                ("ip", ALICE_SINGLE),
                ("hostname", "mail.alice-hosting.de"),
                ("version", "0"),
                ("back", ""),
            ])
            .send()
            .await
            .expect("the panel answers");
        assert_eq!(reply.status(), StatusCode::FORBIDDEN, "{header}: {value}");
        let body = reply.text().await.expect("a body");
        assert!(body.contains("sent from a page of another site"), "{body}");
    }
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None, "nothing saved");
    assert!(app.audit(ALICE_SINGLE).await.is_empty(), "nothing audited");
}

async fn assert_signed_out(browser: &TestUser) {
    let reply = browser.get("/ips").await;
    assert_eq!(reply.location.as_deref(), Some("/login"));
}

/// A fresh session cookie (`name=value`) of Alice's.
async fn alice_cookie(app: &TestApp) -> String {
    app.signed_in_with_cookie(ALICE).await.1
}

#[tokio::test]
async fn a_form_from_the_panels_own_pages_is_accepted_with_origin_and_referer() {
    let app = spawn_app().await;
    let own = app.address.clone();
    let alice = app.signed_in_with_header(ALICE, "origin", &own).await;

    let saved = alice.save(ALICE_SINGLE, "mail.alice-hosting.de").await;

    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("mail.alice-hosting.de")
    );
    let referred = app
        .signed_in_with_header(BOB, "referer", &format!("{own}/ips?page=2"))
        .await;
    assert_eq!(
        referred
            .save(BOB_SINGLE, "edge.bob-networks.co.uk")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

/// The base URL the curl examples of the API page use.
fn example_base(html: &str) -> String {
    let start = html.find("-X DELETE ").expect("the DELETE example") + "-X DELETE ".len();
    let url = &html[start..];
    url[..url.find("/rdns/").expect("the example's path")].to_owned()
}

#[tokio::test]
async fn the_api_examples_ignore_a_forwarded_host_from_anyone_but_a_trusted_proxy() {
    let app = spawn_app().await;
    let alice = app
        .signed_in_with_header(ALICE, "x-forwarded-host", "evil.example")
        .await;

    let page = alice.get("/api-credentials").await;

    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(example_base(&page.body), app.address);
}

#[tokio::test]
async fn the_api_examples_use_the_configured_public_url() {
    let app = spawn_app_with(|settings| {
        settings.public_url = Some("https://rdns.example.net/".to_owned());
    })
    .await;
    let alice = app
        .signed_in_with_header(ALICE, "origin", "https://rdns.example.net")
        .await;

    let page = alice.get("/api-credentials").await;

    assert_eq!(example_base(&page.body), "https://rdns.example.net");
}

//! The customer's API credentials page: create (the secret shown once), list with the last
//! use, revoke; and what each of those does to the Robot API.

use crate::helpers::api::ApiLogin;
use crate::helpers::*;
use reqwest::StatusCode;

/// The user name and secret shown on the answer to the create form.
pub(crate) fn shown_login(html: &str) -> ApiLogin {
    let between = |start: &str, end: &str| {
        let from = html
            .find(start)
            .unwrap_or_else(|| panic!("the page shows {start}: {html}"))
            + start.len();
        let to = from + html[from..].find(end).expect("the end of the value");
        html[from..to].to_owned()
    };
    ApiLogin {
        username: between(r#"<code class="credential-username">"#, "</code>"),
        secret: between(r#"class="secret" value=""#, "\""),
    }
}

/// The visible text of each row of the credentials table, tags dropped.
fn credential_rows(html: &str) -> Vec<String> {
    html.split(r#"<tr class="credential"#)
        .skip(1)
        .map(|row| {
            let row = &row[..row.find("</tr>").expect("a closed row")];
            let mut text = String::new();
            let mut in_tag = true;
            for c in row.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' if in_tag => {
                        in_tag = false;
                        text.push(' ');
                    }
                    _ if !in_tag => text.push(c),
                    _ => {}
                }
            }
            collapse(&text)
        })
        .collect()
}

/// The revoke form's action for the credential called `username`, if the page has one.
fn revoke_action(html: &str, username: &str) -> Option<String> {
    const START: &str = r#"action="/api-credentials/"#;
    html.split(START).skip(1).find_map(|rest| {
        let form = &rest[..rest.find("</form>")?];
        let id = &rest[..rest.find('"')?];
        form.contains(username)
            .then(|| format!("/api-credentials/{id}"))
    })
}

/// Alice creates a credential called `label` on the page.
async fn alice_creates(app: &TestApp, alice: &TestUser, label: &str) -> ApiLogin {
    let reply = alice
        .post_form("/api-credentials", &[("label", label)])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let login = shown_login(&reply.body);
    assert!(
        app.api(Some(&login)).get("/rdns").await.status != StatusCode::UNAUTHORIZED,
        "arranged: the new credential works"
    );
    login
}

#[tokio::test]
async fn a_new_credential_shows_its_secret_once_and_works_for_the_api() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;

    let created = alice
        .post_form("/api-credentials", &[("label", "deploy script")])
        .await;

    assert_eq!(
        created.status,
        StatusCode::OK,
        "the page itself, not a redirect"
    );
    let text = created.page().text();
    assert!(text.contains("will not be shown again"), "{text}");
    let login = shown_login(&created.body);
    assert!(login.username.starts_with("ptr-k1-"), "{}", login.username);
    assert!(login.secret.len() >= 32, "{}", login.secret);
    let api = app.api(Some(&login));
    let reply = api.post_ptr(ALICE_SINGLE, "www.alice-hosting.net").await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);

    let later = alice.get("/api-credentials").await;

    assert_eq!(later.status, StatusCode::OK);
    assert!(
        !later.body.contains(&login.secret),
        "the secret is shown once"
    );
    let rows = credential_rows(&later.body);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("deploy script"), "{}", rows[0]);
    assert!(rows[0].contains(&login.username), "{}", rows[0]);
    assert!(rows[0].contains("Active"), "{}", rows[0]);
    let stored = ptrdesk::db::credentials::usable(&app.db.pool, &login.username)
        .await
        .expect("the credentials table answers")
        .expect("the credential is stored");
    assert_ne!(stored.secret_hash, login.secret, "stored hashed");
    assert_eq!(
        stored.secret_hash,
        ptrdesk::credentials::hash_secret(&login.secret)
    );
}

#[tokio::test]
async fn a_revoked_credential_is_refused_by_the_api() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let login = alice_creates(&app, &alice, "old laptop").await;
    let page = alice.get("/api-credentials").await;
    let action = revoke_action(&page.body, &login.username).expect("a revoke button");

    let revoked = alice.post_form(&action, &[]).await;

    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(revoked.location.as_deref(), Some("/api-credentials"));
    let reply = app.api(Some(&login)).get("/rdns").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    assert!(reply.body.contains("\"UNAUTHORIZED\""), "{}", reply.body);
    let after = alice.get("/api-credentials").await;
    assert!(
        after.page().text().contains("is revoked"),
        "the flash says so"
    );
    let rows = credential_rows(&after.body);
    assert!(rows[0].contains("Revoked"), "{}", rows[0]);
    assert_eq!(revoke_action(&after.body, &login.username), None);
    let again = alice.post_form(&action, &[]).await;
    assert_eq!(
        again.status,
        StatusCode::SEE_OTHER,
        "revoking twice is harmless"
    );
}

#[tokio::test]
async fn another_customer_can_neither_see_nor_revoke_a_credential() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let login = alice_creates(&app, &alice, "alice's backup job").await;
    let action = revoke_action(&alice.get("/api-credentials").await.body, &login.username)
        .expect("a revoke button");
    let bob = app.signed_in(BOB).await;

    let bobs_page = bob.get("/api-credentials").await;
    let attempt = bob.post_form(&action, &[]).await;

    assert_eq!(bobs_page.status, StatusCode::OK);
    assert!(!bobs_page.body.contains(&login.username));
    assert!(!bobs_page.body.contains("backup job"));
    assert!(credential_rows(&bobs_page.body).is_empty());
    assert_eq!(attempt.status, StatusCode::NOT_FOUND);
    for path in [
        "/api-credentials/999999/revoke",
        "/api-credentials/x/revoke",
    ] {
        assert_eq!(bob.post_form(path, &[]).await.status, StatusCode::NOT_FOUND);
    }
    let reply = app.api(Some(&login)).get("/rdns").await;
    assert_ne!(reply.status, StatusCode::UNAUTHORIZED, "still works");
    let rows = credential_rows(&alice.get("/api-credentials").await.body);
    assert!(rows[0].contains("Active"), "{}", rows[0]);
}

#[tokio::test]
async fn the_last_use_is_shown_after_a_call() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let reply = alice
        .post_form("/api-credentials", &[("label", "monitoring")])
        .await;
    let login = shown_login(&reply.body);
    let before = credential_rows(&alice.get("/api-credentials").await.body);
    assert!(before[0].contains("Never"), "{}", before[0]);

    app.api(Some(&login)).get("/rdns").await;

    let after = credential_rows(&alice.get("/api-credentials").await.body);
    assert!(!after[0].contains("Never"), "{}", after[0]);
    assert_eq!(
        after[0].matches(" UTC").count(),
        2,
        "created and last used, as readable times: {}",
        after[0]
    );
}

#[tokio::test]
async fn a_credential_needs_a_short_name() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;

    let empty = alice
        .post_form("/api-credentials", &[("label", "   ")])
        .await;
    let long = alice
        .post_form("/api-credentials", &[("label", &"x".repeat(101))])
        .await;

    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.page().text().contains("Name the credential"));
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(long.page().text().contains("at most 100 characters"));
    let customer_id = app.customer_id(ALICE_NUMBER).await;
    let stored = ptrdesk::db::credentials::of_customer(&app.db.pool, customer_id)
        .await
        .expect("the credentials table answers");
    assert!(stored.is_empty(), "nothing was made");
}

#[tokio::test]
async fn only_signed_in_customers_reach_the_page_and_forms_need_the_token() {
    let app = spawn_app().await;
    let visitor = app.visitor();
    let admin = app.signed_in(ADMIN).await;
    let helpdesk = app.signed_in(HELPDESK).await;
    let alice = app.signed_in(ALICE).await;
    alice.csrf().await;

    let signed_out = visitor.get("/api-credentials").await;
    let no_token = alice
        .post_exactly("/api-credentials", &[("label", "forged")])
        .await;

    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
    assert_eq!(signed_out.location.as_deref(), Some("/login"));
    for staff in [&admin, &helpdesk] {
        assert_eq!(
            staff.get("/api-credentials").await.status,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    let customer_id = app.customer_id(ALICE_NUMBER).await;
    let stored = ptrdesk::db::credentials::of_customer(&app.db.pool, customer_id)
        .await
        .expect("the credentials table answers");
    assert!(stored.is_empty());
}

#[tokio::test]
async fn customer_pages_link_to_api_access_and_the_page_explains_the_api() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let admin = app.signed_in(ADMIN).await;

    let ips = alice.get("/ips").await;
    let page = alice.get("/api-credentials").await;
    let staff_home = admin.get("/admin/review").await;

    assert!(ips.body.contains(r#"href="/api-credentials""#));
    assert!(ips.body.contains(r#"<a href="/ips" aria-current="page">"#));
    assert!(
        page.body
            .contains(r#"<a href="/api-credentials" aria-current="page">"#)
    );
    assert!(!staff_home.body.contains(r#"href="/api-credentials""#));
    let text = page.page().text();
    assert!(
        text.contains(&format!("curl -u USERNAME:SECRET {}/rdns", app.address)),
        "{text}"
    );
    assert!(text.contains("200 requests per 3600 seconds"), "{text}");
}

#[tokio::test]
async fn a_disabled_users_credentials_are_refused_at_once_and_work_again_after_enabling() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let login = alice_creates(&app, &alice, "deploy script").await;
    let other = app.api_login(ALICE_NUMBER).await;
    let admin = app.signed_in(ADMIN).await;
    assert_eq!(admin.get("/admin/users").await.status, StatusCode::OK);
    let id = app.user_id(ALICE.username).await;

    let disabled = admin
        .post_form(&format!("/admin/users/{id}/disable"), &[])
        .await;

    assert_eq!(disabled.status, StatusCode::SEE_OTHER);
    let refused = app.api(Some(&login)).get("/rdns").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    assert_eq!(refused.error_code(), "UNAUTHORIZED");
    let put = app
        .api(Some(&login))
        .post_ptr(ALICE_SINGLE, "mail.alice-hosting.de")
        .await;
    assert_eq!(put.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None, "nothing saved");
    assert_ne!(
        app.api(Some(&other)).get("/rdns").await.status,
        StatusCode::UNAUTHORIZED,
        "a credential another user made still works"
    );

    let enabled = admin
        .post_form(&format!("/admin/users/{id}/enable"), &[])
        .await;

    assert_eq!(enabled.status, StatusCode::SEE_OTHER);
    assert_ne!(
        app.api(Some(&login)).get("/rdns").await.status,
        StatusCode::UNAUTHORIZED,
        "enabled again, the credential works again"
    );
}

#[tokio::test]
async fn a_customer_holds_at_most_the_configured_number_of_active_credentials() {
    let app = spawn_app_with(|settings| settings.api_credentials_per_customer = 3).await;
    let alice = app.signed_in(ALICE).await;
    let mut made = Vec::new();
    for label in ["one", "two", "three"] {
        made.push(alice_creates(&app, &alice, label).await);
    }

    let fourth = alice
        .post_form("/api-credentials", &[("label", "four")])
        .await;

    assert_eq!(fourth.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        fourth
            .page()
            .text()
            .contains("You already have 3 active credentials, the most allowed."),
        "{}",
        fourth.body
    );
    assert_eq!(credential_rows(&fourth.body).len(), 3, "none was made");
    let revoke = revoke_action(&fourth.body, &made[0].username).expect("a revoke form");
    assert_eq!(
        alice.post_form(&revoke, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    alice_creates(&app, &alice, "four").await;
}

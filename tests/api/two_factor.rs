//! Two factors for staff who sign in with a password: enrolment at the next sign-in (QR code,
//! a first code, recovery codes shown once), then a code at every sign-in — each code used
//! once, wrong ones counted as failed sign-ins.

use crate::helpers::*;
use reqwest::StatusCode;
use totp_rs::{Algorithm, Builder, Secret};

/// The code an authenticator app shows for `secret` at Unix time `at`.
fn code_at(secret: &str, at: i64) -> String {
    let totp = Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(Secret::try_from_base32(secret).expect("a base32 secret"))
        .build()
        .expect("a TOTP");
    totp.generate(at as u64).to_string()
}

/// A panel where staff must use a second factor.
async fn app() -> TestApp {
    spawn_app_with(|settings| settings.require_staff_2fa = true).await
}

/// The text between `start` and `end` in `html`.
fn between(html: &str, start: &str, end: &str) -> String {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {html}"))
        + start.len();
    html[from..from + html[from..].find(end).expect("the end")].to_owned()
}

/// What enrolling gave a user.
struct Enrolled {
    secret: String,
    /// When the first code was entered (its time step is the last one used).
    at: i64,
    recovery_codes: Vec<String>,
}

/// `person` signs in with their password and enrols.
async fn enrolled(app: &TestApp, person: Person) -> Enrolled {
    let browser = app.visitor();
    let reply = browser.login(person.username, person.password).await;
    assert_eq!(
        reply.location.as_deref(),
        Some("/login/enrol"),
        "{}",
        reply.body
    );
    let page = browser.get("/login/enrol").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg"), "a QR code: {}", page.body);
    let secret = between(&page.body, r#"<code class="totp-secret">"#, "</code>");
    let at = ptrdesk::clock::now();
    let done = browser
        .post_form("/login/enrol", &[("code", &code_at(&secret, at))])
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let recovery_codes: Vec<String> = done
        .body
        .split("<li><code>")
        .skip(1)
        .map(|rest| rest[..rest.find("</code>").expect("a closed code")].to_owned())
        .collect();
    Enrolled {
        secret,
        at,
        recovery_codes,
    }
}

/// A fresh browser with `person`'s password accepted, waiting for the code.
async fn at_the_code_step(app: &TestApp, person: Person) -> TestUser {
    let browser = app.visitor();
    let reply = browser.login(person.username, person.password).await;
    assert_eq!(
        reply.location.as_deref(),
        Some("/login/code"),
        "{}",
        reply.body
    );
    assert_eq!(browser.get("/login/code").await.status, StatusCode::OK);
    browser
}

#[tokio::test]
async fn an_admin_without_a_second_factor_enrols_at_the_next_sign_in() {
    let app = app().await;
    let browser = app.visitor();

    let reply = browser.login(ADMIN.username, ADMIN.password).await;

    assert_eq!(reply.location.as_deref(), Some("/login/enrol"));
    assert_eq!(
        browser.get("/admin/users").await.location.as_deref(),
        Some("/login"),
        "not signed in before the second factor"
    );
    let page = browser.get("/login/enrol").await;
    let secret = between(&page.body, r#"<code class="totp-secret">"#, "</code>");
    let wrong = browser
        .post_form("/login/enrol", &[("code", "000000")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.page().text().contains("That code is not right"));
    assert_eq!(
        between(&wrong.body, r#"<code class="totp-secret">"#, "</code>"),
        secret,
        "the same secret until it is confirmed"
    );

    let done = browser
        .post_form(
            "/login/enrol",
            &[("code", &code_at(&secret, ptrdesk::clock::now()))],
        )
        .await;

    assert_eq!(done.status, StatusCode::OK);
    assert!(
        done.page()
            .text()
            .contains("Save these codes now: they are not shown again.")
    );
    assert_eq!(done.body.matches("<li><code>").count(), 10);
    assert_eq!(
        browser.get("/admin/users").await.status,
        StatusCode::OK,
        "signed in"
    );
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit WHERE action = 'user.2fa.enable'")
            .fetch_one(&app.db.pool)
            .await
            .expect("the audit table answers");
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn after_enrolment_a_sign_in_needs_a_code_and_each_code_works_once() {
    let app = app().await;
    let enrolled = enrolled(&app, HELPDESK).await;
    let secret = &enrolled.secret;

    let replayed = at_the_code_step(&app, HELPDESK).await;
    let again = replayed
        .post_form("/login/code", &[("code", &code_at(secret, enrolled.at))])
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the enrolment's code, again"
    );
    assert_eq!(
        replayed.get("/lookup").await.location.as_deref(),
        Some("/login")
    );

    // The next step's code is within the window now, and later than the last one used.
    let next = code_at(secret, enrolled.at + 30);
    let browser = at_the_code_step(&app, HELPDESK).await;
    let accepted = browser.post_form("/login/code", &[("code", &next)]).await;
    assert_eq!(accepted.location.as_deref(), Some("/"), "{}", accepted.body);
    assert_eq!(browser.get("/lookup").await.status, StatusCode::OK);

    let other = at_the_code_step(&app, HELPDESK).await;
    let reused = other.post_form("/login/code", &[("code", &next)]).await;
    assert_eq!(
        reused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code works once"
    );
    let older = other
        .post_form(
            "/login/code",
            &[("code", &code_at(secret, enrolled.at - 30))],
        )
        .await;
    assert_eq!(
        older.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nor an older one"
    );
}

#[tokio::test]
async fn a_recovery_code_signs_in_once() {
    let app = app().await;
    let codes = enrolled(&app, ADMIN).await.recovery_codes;
    assert_eq!(codes.len(), 10);

    let browser = at_the_code_step(&app, ADMIN).await;
    let typed = codes[3].to_uppercase().replace('-', " ");
    let used = browser.post_form("/login/code", &[("code", &typed)]).await;

    assert_eq!(used.location.as_deref(), Some("/"), "{}", used.body);
    let again = at_the_code_step(&app, ADMIN).await;
    let reused = again.post_form("/login/code", &[("code", &codes[3])]).await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn five_wrong_codes_lock_the_sign_in_like_five_wrong_passwords() {
    let app = app().await;
    enrolled(&app, ADMIN).await;
    let browser = at_the_code_step(&app, ADMIN).await;

    let mut last = None;
    for _ in 0..5 {
        last = Some(
            browser
                .post_form("/login/code", &[("code", "123456")])
                .await,
        );
    }

    let last = last.expect("five tries");
    assert_eq!(last.location.as_deref(), Some("/login"), "{}", last.body);
    assert!(
        browser
            .get("/login")
            .await
            .page()
            .text()
            .contains("Too many wrong codes.")
    );
    let retry = app.visitor();
    let locked = retry.login(ADMIN.username, ADMIN.password).await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password"
    );
}

#[tokio::test]
async fn customers_sign_in_with_their_password_alone() {
    let app = app().await;
    let browser = app.visitor();

    let reply = browser.login(ALICE.username, ALICE.password).await;

    assert_eq!(reply.location.as_deref(), Some("/"));
    assert_eq!(browser.get("/ips").await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_admin_resets_a_lost_second_factor_and_the_user_enrols_again() {
    let app = app().await;
    let enrolled_helpdesk = enrolled(&app, HELPDESK).await;
    let admin = enrolled(&app, ADMIN).await;
    let admin_browser = {
        let browser = at_the_code_step(&app, ADMIN).await;
        let code = admin.recovery_codes[0].clone();
        assert_eq!(
            browser
                .post_form("/login/code", &[("code", &code)])
                .await
                .location
                .as_deref(),
            Some("/")
        );
        assert_eq!(browser.get("/admin/users").await.status, StatusCode::OK);
        browser
    };
    let id = app.user_id(HELPDESK.username).await;

    let reset = admin_browser
        .post_form(&format!("/admin/users/{id}/two-factor/reset"), &[])
        .await;

    assert_eq!(reset.status, StatusCode::SEE_OTHER);
    let browser = app.visitor();
    let next = browser.login(HELPDESK.username, HELPDESK.password).await;
    assert_eq!(
        next.location.as_deref(),
        Some("/login/enrol"),
        "set up again"
    );
    let page = browser.get("/login/enrol").await;
    let secret = between(&page.body, r#"<code class="totp-secret">"#, "</code>");
    assert_ne!(secret, enrolled_helpdesk.secret, "a new secret");
}

//! Sessions are server-side facts: signing out, a password reset or a role change ends them
//! for every copy of the cookie and on every node; idle and too old ones end by themselves;
//! `serve` refuses a session key anyone could guess.

use crate::helpers::*;
use reqwest::StatusCode;

/// Asserts that `browser` is signed out: `/ips` sends it to the sign-in page.
async fn assert_signed_out(browser: &TestUser, why: &str) {
    let reply = browser.get("/ips").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{why}");
    assert_eq!(reply.location.as_deref(), Some("/login"), "{why}");
}

#[tokio::test]
async fn a_copy_of_the_cookie_opens_nothing_and_saves_nothing_after_signing_out() {
    let app = spawn_app().await;
    let (alice, cookie) = app.signed_in_with_cookie(ALICE).await;
    let page = alice.get("/ips").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page.page().csrf().expect("the page carries a CSRF token");
    let copy = app.replaying(&cookie);
    assert_eq!(
        copy.get("/ips").await.status,
        StatusCode::OK,
        "arranged: the copy works while the session lasts"
    );

    assert_eq!(alice.logout().await.status, StatusCode::SEE_OTHER);

    assert_signed_out(&copy, "the copied cookie after sign-out").await;
    let save = copy
        .post_exactly(
            "/ptr/save",
            &[
                ("csrf", csrf.as_str()),
                ("ip", ALICE_SINGLE),
                ("hostname", "mail.alice-hosting.de"),
                ("version", "0"),
                ("back", ""),
            ],
        )
        .await;
    assert_eq!(save.location.as_deref(), Some("/login"), "{}", save.body);
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None, "nothing saved");
    assert!(app.audit(ALICE_SINGLE).await.is_empty(), "nothing audited");
}

#[tokio::test]
async fn signing_out_on_one_node_ends_the_session_on_the_other() {
    let first = spawn_app().await;
    let second = first.restart().await;
    let alice = first.signed_in(ALICE).await;
    let alice_on_second = alice.towards(&second.address);
    assert_eq!(
        alice_on_second.get("/ips").await.status,
        StatusCode::OK,
        "arranged: any node accepts the session"
    );

    assert_eq!(alice_on_second.logout().await.status, StatusCode::SEE_OTHER);

    assert_signed_out(&alice, "the first node after signing out on the second").await;
}

#[tokio::test]
async fn a_password_reset_signs_the_user_out_everywhere() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    assert_eq!(admin.get("/admin/users").await.status, StatusCode::OK);
    let (alice, cookie) = app.signed_in_with_cookie(ALICE).await;
    let alice_elsewhere = app.signed_in(ALICE).await;
    let bob = app.signed_in(BOB).await;
    let id = app.user_id(ALICE.username).await;

    let reply = admin
        .post_form(&format!("/admin/users/{id}/password"), &[])
        .await;

    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_signed_out(&alice, "her browser").await;
    assert_signed_out(&alice_elsewhere, "her other browser").await;
    assert_signed_out(&app.replaying(&cookie), "a copy of her cookie").await;
    assert_eq!(
        bob.get("/ips").await.status,
        StatusCode::OK,
        "other users stay signed in"
    );
    assert_eq!(
        admin.get("/admin/users").await.status,
        StatusCode::OK,
        "the admin stays signed in"
    );
}

#[tokio::test]
async fn a_role_change_signs_the_user_out_and_the_next_sign_in_has_the_new_role() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    assert_eq!(admin.get("/admin/users").await.status, StatusCode::OK);
    let (support, cookie) = app.signed_in_with_cookie(HELPDESK).await;
    assert_eq!(support.get("/lookup").await.status, StatusCode::OK);
    let id = app.user_id(HELPDESK.username).await;

    let reply = admin
        .post_form(&format!("/admin/users/{id}/role"), &[("role", "admin")])
        .await;

    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    for (who, browser) in [("the browser", support), ("a copy", app.replaying(&cookie))] {
        let lookup = browser.get("/lookup").await;
        assert_eq!(lookup.location.as_deref(), Some("/login"), "{who}");
    }
    let again = app.signed_in(HELPDESK).await;
    assert_eq!(
        again.get("/admin/users").await.status,
        StatusCode::OK,
        "signed in again, with the admin's screens"
    );
}

/// Moves the times of every session of `username` back by `seconds`.
async fn age_sessions(app: &TestApp, username: &str, column: &str, seconds: i64) {
    let id = app.user_id(username).await;
    let sql = format!("UPDATE sessions SET {column} = {column} - $1 WHERE user_id = $2");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(seconds)
        .bind(id)
        .execute(&app.db.pool)
        .await
        .expect("the sessions table answers");
}

#[tokio::test]
async fn a_session_unused_for_longer_than_the_idle_timeout_ends() {
    let app = spawn_app_with(|settings| settings.session_idle_minutes = 30).await;
    let alice = app.signed_in(ALICE).await;
    let bob = app.signed_in(BOB).await;
    assert_eq!(alice.get("/ips").await.status, StatusCode::OK);

    age_sessions(&app, ALICE.username, "last_seen_at", 31 * 60).await;
    age_sessions(&app, BOB.username, "last_seen_at", 29 * 60).await;

    assert_signed_out(&alice, "31 minutes idle").await;
    assert_eq!(
        bob.get("/ips").await.status,
        StatusCode::OK,
        "29 minutes idle is still within the timeout"
    );
}

#[tokio::test]
async fn a_busy_session_still_ends_at_its_absolute_lifetime() {
    let app = spawn_app_with(|settings| settings.session_lifetime_hours = 2).await;
    let alice = app.signed_in(ALICE).await;

    age_sessions(&app, ALICE.username, "created_at", 2 * 3600 + 60).await;

    assert_signed_out(&alice, "two hours and a minute after signing in").await;
}

#[tokio::test]
async fn assets_and_the_api_never_look_up_a_session() {
    let app = spawn_app().await;
    let (_alice, cookie) = app.signed_in_with_cookie(ALICE).await;
    let copy = app.replaying(&cookie);
    let api = app.api_client(ALICE_NUMBER).await;
    // Without its table, any session look-up fails loudly: what still answers looked none up.
    sqlx::query("ALTER TABLE sessions RENAME TO sessions_gone")
        .execute(&app.db.pool)
        .await
        .expect("the sessions table is renamed");

    assert_eq!(copy.get("/static/ptrdesk.css").await.status, StatusCode::OK);
    assert_eq!(copy.get("/livez").await.status, StatusCode::OK);
    let listing = api.get("/rdns").await;
    assert_eq!(
        listing.error_code(),
        "NOT_FOUND",
        "no PTRs yet: {}",
        listing.body
    );
    assert_eq!(
        copy.get("/ips").await.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "arranged: a page does look its session up"
    );
}

/// 64 bytes in no pattern, drawn from only eight values.
fn few_byte_values() -> String {
    let mut state: u32 = 12345;
    (0..64)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            format!("{:02x}", (state >> 16) % 8 * 17)
        })
        .collect()
}

/// Runs `ptrdesk serve` with `key` as its session key and returns its exit status and what it
/// wrote to standard error.
fn serve_with_key(app: &TestApp, key: &str) -> (std::process::ExitStatus, String) {
    let output = ptrdesk_command()
        .arg("serve")
        .env("PTRDESK_DATABASE", &app.database_url)
        .env("PTRDESK_LISTEN", "127.0.0.1:0")
        .env("PTRDESK_SESSION_KEY", key)
        .output()
        .expect("the ptrdesk binary runs");
    (
        output.status,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test]
async fn serve_refuses_a_session_key_anyone_could_guess_and_says_how_to_make_one() {
    let app = spawn_app().await;
    let guessable = [
        ("0".repeat(128), "every byte is the same"),
        ("deadbeef".repeat(16), "it repeats a shorter pattern"),
        (
            (0u8..64).map(|byte| format!("{byte:02x}")).collect(),
            "its bytes count up or down",
        ),
        (few_byte_values(), "too few different byte values"),
    ];

    for (key, reason) in guessable {
        let (status, stderr) = serve_with_key(&app, &key);

        assert!(!status.success(), "{key} is refused");
        assert!(stderr.contains(reason), "{key}: {stderr}");
        assert!(
            stderr.contains("openssl rand -hex 64"),
            "says how to generate one: {stderr}"
        );
    }
}

/// The browsers listed on a sessions page, one line of visible text per session.
fn session_rows(html: &str) -> Vec<String> {
    html.split(r#"<tr class="session""#)
        .skip(1)
        .map(|row| collapse(&Page::new(&row[..row.find("</tr>").expect("a closed row")]).text()))
        .collect()
}

#[tokio::test]
async fn a_user_sees_where_they_are_signed_in_and_signs_out_the_others() {
    let app = spawn_app().await;
    let laptop = app.signed_in(ALICE).await;
    let phone = app
        .signed_in_with_header(
            ALICE,
            "user-agent",
            "Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 Chrome/156.0 Mobile Safari/537.36",
        )
        .await;
    let tablet = app.signed_in(ALICE).await;
    let bob = app.signed_in(BOB).await;

    let page = laptop.get("/sessions").await;

    assert_eq!(page.status, StatusCode::OK);
    let rows = session_rows(&page.body);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(
        rows.iter()
            .filter(|row| row.contains("This browser"))
            .count(),
        1,
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|row| row.contains("Chrome on Android")),
        "{rows:?}"
    );
    assert!(rows.iter().all(|row| row.contains("127.0.0.1")), "{rows:?}");

    let ended = laptop.post_form("/sessions/end-others", &[]).await;

    assert_eq!(ended.location.as_deref(), Some("/sessions"));
    let after = laptop.get("/sessions").await;
    assert!(
        after
            .page()
            .text()
            .contains("2 other sessions are signed out.")
    );
    assert_eq!(session_rows(&after.body).len(), 1);
    assert_signed_out(&phone, "the phone").await;
    assert_signed_out(&tablet, "the tablet").await;
    assert_eq!(
        laptop.get("/ips").await.status,
        StatusCode::OK,
        "this one stays"
    );
    assert_eq!(
        bob.get("/ips").await.status,
        StatusCode::OK,
        "other users stay"
    );
}

/// The id in the first "Sign out" form of a sessions page that is not this browser's.
fn other_session_id(html: &str) -> String {
    html.split(r#"<tr class="session" id="session-"#)
        .skip(1)
        .find(|row| !row[..row.find("</tr>").unwrap_or(row.len())].contains("This browser"))
        .map(|row| row[..row.find('"').expect("the id's end")].to_owned())
        .expect("another session is listed")
}

#[tokio::test]
async fn a_user_signs_out_one_session_but_cannot_end_another_users() {
    let app = spawn_app().await;
    let laptop = app.signed_in(ALICE).await;
    let phone = app.signed_in(ALICE).await;
    let bob = app.signed_in(BOB).await;
    let bobs = other_session_id(&app.signed_in(BOB).await.get("/sessions").await.body);
    let phones = other_session_id(&laptop.get("/sessions").await.body);

    let ended = laptop
        .post_form(&format!("/sessions/{phones}/end"), &[])
        .await;
    let not_hers = laptop
        .post_form(&format!("/sessions/{bobs}/end"), &[])
        .await;

    assert_eq!(ended.location.as_deref(), Some("/sessions"));
    assert_signed_out(&phone, "the session she ended").await;
    assert_eq!(not_hers.status, StatusCode::NOT_FOUND);
    assert_eq!(
        bob.get("/ips").await.status,
        StatusCode::OK,
        "Bob's sessions stay"
    );
}

#[tokio::test]
async fn an_admin_sees_a_users_sessions_and_signs_them_out_everywhere() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let alice = app.signed_in(ALICE).await;
    let alice_again = app.signed_in(ALICE).await;
    let id = app.user_id(ALICE.username).await;
    let path = format!("/admin/users/{id}/sessions");

    let page = admin.get(&path).await;

    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(session_rows(&page.body).len(), 2);
    let ended = admin.post_form(&format!("{path}/end"), &[]).await;
    assert_eq!(ended.location.as_deref(), Some(path.as_str()));
    assert_signed_out(&alice, "her first browser").await;
    assert_signed_out(&alice_again, "her second browser").await;
    let after = admin.get(&path).await;
    assert!(
        after
            .page()
            .text()
            .contains("alice is signed out everywhere (2 sessions ended)."),
        "{}",
        after.page().text()
    );
    let audit: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit WHERE action = 'user.sessions.end'")
            .fetch_one(&app.db.pool)
            .await
            .expect("the audit table answers");
    assert_eq!(audit, 1);
    let support = app.signed_in(HELPDESK).await;
    assert_eq!(support.get(&path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.signed_in(BOB).await.get(&path).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_account_read_with_the_session_is_never_written_into_it() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.get("/ips").await;
    // A flash left and taken: both write the session's state back.
    let saved = alice.save(ALICE_SINGLE, "mail.alice-hosting.net").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = alice.get("/ips").await;
    assert_eq!(page.status, StatusCode::OK);

    let states: Vec<String> = sqlx::query_scalar("SELECT state FROM sessions")
        .fetch_all(&app.db.pool)
        .await
        .expect("the sessions");
    assert!(!states.is_empty());
    for state in states {
        assert!(
            !state.contains("\"account\"") && !state.contains("page_version"),
            "the stored state holds the account: {state}"
        );
    }
}

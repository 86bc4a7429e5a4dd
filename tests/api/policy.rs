//! The validation policy edited by an admin: stored in the database, in force at once for
//! every door, kept across a restart; help-desk users and customers cannot change it.

use crate::helpers::*;
use reqwest::StatusCode;

const NAME: &str = "mail.alice-hosting.net";

#[tokio::test]
async fn a_protected_domain_set_by_an_admin_rejects_names_under_it_at_once_and_after_a_restart() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    admin.get("/admin/policy").await;

    let saved = admin
        .post_form(
            "/admin/policy",
            &[("forward", ""), ("protected", "Alice-Hosting.net.\n")],
        )
        .await;

    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, NAME).await;
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None, "not published");
    let row = alice
        .get("/ips")
        .await
        .page()
        .row(ALICE_SINGLE)
        .expect("alice's row");
    assert!(row.text.contains("Rejected"), "{}", row.text);
    assert!(row.text.contains("alice-hosting.net"), "{}", row.text);

    let restarted = app.restart().await;
    let alice_again = restarted.signed_in(ALICE).await;
    alice_again
        .save(ALICE_V4_ADDRESSES[1], "www.alice-hosting.net")
        .await;
    assert_eq!(
        restarted.stored_ptr(ALICE_V4_ADDRESSES[1]).await,
        None,
        "still protected after a restart"
    );
    let page = admin.get("/admin/policy").await;
    assert!(
        page.body.contains("alice-hosting.net"),
        "the list shows the stored domain"
    );
}

#[tokio::test]
async fn a_severity_override_turns_a_warning_into_an_error() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    admin.get("/admin/policy").await;
    let generic = "dsl-113-45.pool.alice-hosting.net";
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, generic).await;
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some(generic),
        "a warning publishes"
    );

    admin
        .post_form(
            "/admin/policy",
            &[("severity-generic-looking", "error"), ("protected", "")],
        )
        .await;
    alice
        .save(ALICE_V4_ADDRESSES[1], "dsl-100-17.pool.alice-hosting.net")
        .await;

    assert_eq!(
        app.stored_ptr(ALICE_V4_ADDRESSES[1]).await,
        None,
        "an error does not"
    );
    let history = app.audit(ALICE_V4_ADDRESSES[1]).await;
    assert_eq!(
        history.last().map(|row| row.action.as_str()),
        Some("ptr.request.rejected")
    );
}

#[tokio::test]
async fn help_desk_gets_403_and_changes_nothing_and_customers_get_404() {
    let app = spawn_app().await;
    let helpdesk = app.signed_in(HELPDESK).await;
    // Any page of a signed-in user carries the session's form token (in the sign-out form).
    helpdesk.get("/lookup").await;
    let alice = app.signed_in(ALICE).await;

    let refused = helpdesk
        .post_form("/admin/policy", &[("protected", "alice-hosting.net")])
        .await;
    let hidden = alice.get("/admin/policy").await;
    let hidden_post = alice
        .post_form("/admin/policy", &[("protected", "alice-hosting.net")])
        .await;

    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden_post.status, StatusCode::NOT_FOUND);
    alice.save(ALICE_SINGLE, NAME).await;
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some(NAME),
        "nothing was protected"
    );
}

#[tokio::test]
async fn a_protected_domain_that_is_not_a_name_is_refused_beside_the_list() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    admin.get("/admin/policy").await;

    let reply = admin
        .post_form(
            "/admin/policy",
            &[("protected", "good.example.net\nbad_domain.net")],
        )
        .await;

    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("bad_domain.net"),
        "the bad line is named"
    );
    assert!(
        reply.body.contains("good.example.net"),
        "the typed list is kept"
    );
}

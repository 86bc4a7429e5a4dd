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

#[tokio::test]
async fn the_policy_page_says_where_each_value_in_force_comes_from() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("ptrdesk.toml");
    std::fs::write(
        &file,
        "forward_policy = \"warn\"\nprotected_domains = [\"your-provider.net\"]\n\n[severity]\ngeneric-looking = \"error\"\n",
    )
    .expect("the configuration file");
    let loaded = ptrdesk::config::Settings::load_from(Some(&file), std::iter::empty())
        .expect("the file is read");
    let app = crate::helpers::spawn_app_with(|settings| {
        settings.forward_policy = loaded.forward_policy;
        settings.protected_domains = loaded.protected_domains.clone();
        settings.severity = loaded.severity.clone();
        settings.origins = loaded.origins.clone();
    })
    .await;
    let admin = app.signed_in(ADMIN).await;
    let from_file = format!("configuration file {}", file.display());

    let page = admin.get("/admin/policy").await.page();

    let text = crate::helpers::collapse(&page.text());
    assert!(
        text.contains(&format!("In force: warn , from the {from_file}")),
        "{text}"
    );
    let choices = "as configured info warning error";
    assert!(
        text.contains(&format!("generic-looking error {choices} {from_file}")),
        "{text}"
    );
    assert!(
        text.contains(&format!("embeds-ip default {choices} built-in default")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Configured: your-provider.net, from the {from_file}"
        )),
        "{text}"
    );
    let saved = admin
        .post_form("/admin/policy", &[("forward", "off"), ("protected", "")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let text = crate::helpers::collapse(&admin.get("/admin/policy").await.page().text());
    assert!(
        text.contains("In force: off , from the database (chosen on this page)"),
        "{text}"
    );
}

#[tokio::test]
async fn the_policy_page_reads_a_static_default_name_as_static_hosting() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;

    let text = admin.get("/admin/policy").await.page().text();

    assert!(
        text.contains(
            "default_name_v4 Pattern static.{reversed}.clients.example.net \
             Example static.45.113.0.203.clients.example.net"
        ),
        "{text}"
    );
    assert!(
        text.contains("Reads as static hosting. The word static marks the space as static"),
        "{text}"
    );
    assert!(!text.contains("Suggestion"), "{text}");
    assert!(
        !text.contains("default_name_v6"),
        "no IPv6 pattern is configured: {text}"
    );
}

#[tokio::test]
async fn the_policy_page_warns_of_a_dsl_style_default_name_and_suggests_a_static_one() {
    let app = spawn_app_with(|settings| {
        settings.default_name_v4 = "dsl-{dashed}.pool.your-provider.net".to_owned();
        settings.default_name_v6 = Some("{reversed}.ip6.your-provider.net".to_owned());
    })
    .await;
    let admin = app.signed_in(ADMIN).await;

    let text = admin.get("/admin/policy").await.page().text();

    assert!(
        text.contains(
            "Example dsl-203-0-113-45.pool.your-provider.net generic-looking score 8 (warns from 3)"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Reads as dynamic or residential space. The words dsl and pool mark the space as \
             dynamic or residential"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Suggestion Mark the space as static hosting, e.g. default_name_v4 = \
             \"static.{reversed}.your-provider.net\"."
        ),
        "{text}"
    );
    assert!(
        text.contains("default_name_v6 Pattern {reversed}.ip6.your-provider.net"),
        "{text}"
    );
    assert!(
        text.contains("Reads as neither static nor dynamic."),
        "{text}"
    );
}

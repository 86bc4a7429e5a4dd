//! `confusable` through the panel: names that look like other names (Unicode TS #39) are
//! refused with a message that names the look-alike in both forms, admins keep the list of
//! brands and may lower the check's severity, and staff pages show the `xn--` form beside the
//! Unicode form of a name.

use crate::helpers::*;
use reqwest::StatusCode;

/// `mail.pаypal.com` with a Cyrillic `а` (U+0430).
const LOOK_ALIKE: &str = "mail.p\u{430}ypal.com";
/// The same name as stored and served by DNS.
const LOOK_ALIKE_ASCII: &str = "mail.xn--pypal-4ve.com";

/// The text of `ip`'s row on the customer's page.
async fn row_text(user: &TestUser, ip: &str) -> String {
    let page = user.get(&format!("/ips?ip={ip}")).await.page();
    page.row(ip).expect("the row of the address").text
}

#[tokio::test]
async fn a_brand_an_admin_adds_refuses_its_look_alikes_with_a_message_naming_the_brand() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, "mail.paypa1.com").await;
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("mail.paypa1.com"),
        "before the brand is listed the name publishes"
    );
    let admin = app.signed_in(ADMIN).await;
    admin.get("/admin/policy").await;

    let saved = admin
        .post_form(
            "/admin/policy",
            &[("protected", ""), ("brands", "PayPal.com.\n")],
        )
        .await;
    let look_alike = ALICE_V4_ADDRESSES[1];
    alice.save(look_alike, "www.paypa1.com").await;
    let real = ALICE_V4_ADDRESSES[2];
    alice.save(real, "mail.paypal.com").await;

    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(app.stored_ptr(look_alike).await, None, "refused");
    let row = row_text(&alice, look_alike).await;
    assert!(
        row.contains(
            "www.paypa1.com can be mistaken for paypal.com, the domain of a well-known brand"
        ),
        "{row}"
    );
    assert_eq!(
        app.stored_ptr(real).await.as_deref(),
        Some("mail.paypal.com"),
        "the brand's own domain is no look-alike"
    );
    let page = admin.get("/admin/policy").await;
    assert!(
        page.body.contains(">paypal.com</textarea>"),
        "the list shows the stored brand"
    );
    let restarted = app.restart().await;
    let again = restarted.signed_in(ALICE).await;
    again.save(ALICE_V4_ADDRESSES[3], "paypa1.com").await;
    assert_eq!(
        restarted.stored_ptr(ALICE_V4_ADDRESSES[3]).await,
        None,
        "still refused after a restart"
    );
}

#[tokio::test]
async fn a_name_with_a_cyrillic_letter_is_refused_and_the_message_shows_its_dns_form() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;

    alice.save(ALICE_SINGLE, LOOK_ALIKE).await;

    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
    let row = row_text(&alice, ALICE_SINGLE).await;
    assert!(
        row.contains(&format!(
            "In {LOOK_ALIKE} ({LOOK_ALIKE_ASCII}), the label \u{201c}p\u{430}ypal\u{201d} mixes \
             Latin (\u{201c}p\u{201d}) and Cyrillic (\u{201c}\u{430}\u{201d}, U+0430) letters"
        )),
        "{row}"
    );
}

#[tokio::test]
async fn an_admin_who_lowers_confusable_to_a_warning_lets_look_alikes_publish_with_it() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    admin.get("/admin/policy").await;
    let page = admin.get("/admin/policy").await;
    assert!(
        page.body.contains("severity-confusable"),
        "the check is on the policy page"
    );

    admin
        .post_form(
            "/admin/policy",
            &[
                ("severity-confusable", "warning"),
                ("protected", ""),
                ("brands", ""),
            ],
        )
        .await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, LOOK_ALIKE).await;

    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some(LOOK_ALIKE_ASCII),
        "a warning publishes"
    );
    let row = row_text(&alice, ALICE_SINGLE).await;
    assert!(row.contains("mixes Latin"), "the warning is shown: {row}");
    let stored = ptrdesk::db::policy::load(&app.db.pool)
        .await
        .expect("the policy");
    assert_eq!(
        stored.severity(ptrdesk::domain::finding::FindingId::Confusable),
        Some(ptrdesk::domain::finding::Severity::Warning)
    );
}

#[tokio::test]
async fn a_brand_that_is_not_a_name_is_refused_beside_the_list_and_nothing_is_saved() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    admin.get("/admin/policy").await;

    let reply = admin
        .post_form(
            "/admin/policy",
            &[
                ("protected", "ours.example.net"),
                ("brands", "paypal.com\npay pal.com"),
            ],
        )
        .await;

    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = reply.page().text();
    assert!(
        text.contains("Well-known brands: \u{201c}pay pal.com\u{201d}"),
        "the bad line is named: {text}"
    );
    assert!(
        reply.body.contains("paypal.com\npay pal.com"),
        "the typed list is kept"
    );
    let stored = ptrdesk::db::policy::load(&app.db.pool)
        .await
        .expect("the policy");
    assert!(stored.protected_domains.is_empty() && stored.brand_domains.is_empty());
}

#[tokio::test]
async fn staff_see_the_dns_form_beside_the_unicode_form_in_the_queue_the_dossier_and_the_audit_log()
{
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, LOOK_ALIKE).await;
    let admin = app.signed_in(ADMIN).await;
    let helpdesk = app.signed_in(HELPDESK).await;

    let queue = admin.get("/admin/review").await.page().text();
    let dossier = helpdesk
        .get(&format!("/lookup/ip/{ALICE_SINGLE}"))
        .await
        .page()
        .text();
    let audit = admin.get("/admin/audit").await.page().text();

    // The page's text has a space at each tag; compare without spaces.
    let both = format!("{LOOK_ALIKE}(inDNS:{LOOK_ALIKE_ASCII})");
    let shows_both = |text: &str| text.replace(' ', "").contains(&both);
    assert!(shows_both(&queue), "review queue: {queue}");
    assert!(shows_both(&dossier), "dossier: {dossier}");
    assert!(shows_both(&audit), "audit log: {audit}");
}

//! The states of a requested change (SPEC "States") as the customer lives them, with the DNS
//! checks asking a real DNS server that the test starts: pending until the forward record
//! resolves, published by the background re-check, rejected with the reason beside the field.

use crate::helpers::dns_server::{DnsServer, Zone};
use crate::helpers::*;
use ptrdesk::changes::{RecheckSummary, recheck_pending};
use ptrdesk::checks::policy::ForwardPolicy;
use reqwest::StatusCode;

const NAME: &str = "mail.alice-hosting.net";

/// A panel whose DNS checks ask `dns`, with `policy` for names that do not resolve to their IP.
async fn app_asking(dns: &DnsServer, policy: ForwardPolicy) -> TestApp {
    let server = dns.address.to_string();
    spawn_app_with(|settings| {
        settings.dns_checks = true;
        settings.dns_servers = vec![server];
        settings.check_mode = ptrdesk::domain::CheckMode::Resolver;
        settings.forward_policy = policy;
    })
    .await
}

/// `net` with alice's domain in it, but no address for `NAME` yet.
async fn dns_without_the_forward_record() -> DnsServer {
    DnsServer::serving([Zone::new("net"), Zone::new("alice-hosting.net")]).await
}

fn one_hour_later() -> i64 {
    ptrdesk::clock::now() + 3600
}

#[tokio::test]
async fn a_name_that_does_not_resolve_yet_waits_and_is_published_once_it_does() {
    let dns = dns_without_the_forward_record().await;
    let app = app_asking(&dns, ForwardPolicy::Require).await;
    let alice = app.signed_in(ALICE).await;

    let reply = alice.save(ALICE_SINGLE, NAME).await;

    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await,
        None,
        "the default stays in force"
    );
    let page = alice.get("/ips").await;
    assert!(
        page.body.contains("waits for DNS"),
        "the flash says what happens"
    );
    let row = page.page().row(ALICE_SINGLE).expect("alice's row");
    assert!(row.text.contains("Pending"), "{}", row.text);
    assert!(
        row.text
            .contains("mail.alice-hosting.net does not exist in DNS"),
        "{}",
        row.text
    );

    dns.add_a(NAME, ALICE_SINGLE).await;
    let summary = recheck_pending(&app.db, &app.engine(), one_hour_later())
        .await
        .expect("re-check");

    assert_eq!(
        summary,
        RecheckSummary {
            published: 1,
            rejected: 0,
            still_pending: 0
        }
    );
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await.as_deref(), Some(NAME));
    let history = app.audit(ALICE_SINGLE).await;
    let last = history.last().expect("an audit row");
    assert_eq!(
        (
            last.actor.as_str(),
            last.door.as_str(),
            last.action.as_str()
        ),
        ("system", "system", "ptr.set")
    );
    let row = alice
        .get("/ips")
        .await
        .page()
        .row(ALICE_SINGLE)
        .expect("alice's row");
    assert!(!row.text.contains("Pending"), "{}", row.text);
}

#[tokio::test]
async fn a_pending_change_is_rejected_when_its_deadline_passes() {
    let dns = dns_without_the_forward_record().await;
    let app = app_asking(&dns, ForwardPolicy::Require).await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, NAME).await;

    let after_deadline = ptrdesk::clock::now() + 25 * 3600;
    let summary = recheck_pending(&app.db, &app.engine(), after_deadline)
        .await
        .expect("re-check");

    assert_eq!(summary.rejected, 1);
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
    let row = alice
        .get("/ips")
        .await
        .page()
        .row(ALICE_SINGLE)
        .expect("alice's row");
    assert!(row.text.contains("Rejected"), "{}", row.text);
    assert!(row.text.contains("before the deadline"), "{}", row.text);
}

#[tokio::test]
async fn an_invented_domain_is_rejected_with_the_reason_beside_the_field() {
    let dns = dns_without_the_forward_record().await;
    let app = app_asking(&dns, ForwardPolicy::Require).await;
    let alice = app.signed_in(ALICE).await;

    alice.save(ALICE_SINGLE, "mail.invented-domain.net").await;

    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
    let row = alice
        .get("/ips")
        .await
        .page()
        .row(ALICE_SINGLE)
        .expect("alice's row");
    assert!(row.text.contains("Rejected"), "{}", row.text);
    assert!(
        row.text.contains("invented-domain.net does not exist"),
        "{}",
        row.text
    );
    assert_eq!(
        row.value("hostname").as_deref(),
        Some("mail.invented-domain.net"),
        "the request stays in the field"
    );
    let history = app.audit(ALICE_SINGLE).await;
    assert_eq!(
        history.last().map(|row| row.action.as_str()),
        Some("ptr.request.rejected")
    );
}

#[tokio::test]
async fn with_forward_policy_warn_a_name_that_does_not_resolve_is_published_with_a_warning() {
    let dns = dns_without_the_forward_record().await;
    let app = app_asking(&dns, ForwardPolicy::Warn).await;
    let alice = app.signed_in(ALICE).await;

    alice.save(ALICE_SINGLE, NAME).await;

    assert_eq!(app.stored_ptr(ALICE_SINGLE).await.as_deref(), Some(NAME));
    let page = alice.get("/ips").await;
    assert!(
        page.body
            .contains("Note: mail.alice-hosting.net does not exist in DNS"),
        "the warning is reported"
    );
}

#[tokio::test]
async fn a_newer_request_replaces_a_pending_one() {
    let dns = DnsServer::serving([
        Zone::new("net"),
        Zone::new("alice-hosting.net").a("www.alice-hosting.net", ALICE_SINGLE),
    ])
    .await;
    let app = app_asking(&dns, ForwardPolicy::Require).await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, NAME).await;

    alice.save(ALICE_SINGLE, "www.alice-hosting.net").await;

    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("www.alice-hosting.net")
    );
    dns.add_a(NAME, ALICE_SINGLE).await;
    let summary = recheck_pending(&app.db, &app.engine(), one_hour_later())
        .await
        .expect("re-check");
    assert_eq!(
        summary,
        RecheckSummary::default(),
        "the replaced request is not checked again"
    );
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("www.alice-hosting.net")
    );
}

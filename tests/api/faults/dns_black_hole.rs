//! The resolver the DNS checks ask is black-holed: a UDP socket that takes questions and a TCP
//! listener that takes connections, neither ever answering (`DnsServer::silent`). Through the
//! panel, a live check, a save and the background re-check each end by the check deadline
//! (asserted with room to spare: it is the deadline's correctness, not a speed target), the
//! change waits as pending, and the customer is told why. The checker's own behaviour with a
//! silent server is covered in `dns_checks`.

use crate::helpers::dns_server::DnsServer;
use crate::helpers::{ALICE, ALICE_SINGLE, TestApp, TestUser, collapse, spawn_app_with};
use ptrdesk::changes::{RecheckSummary, recheck_pending};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

const NAME: &str = "mail.alice-hosting.net";
/// Room for a loaded machine on top of the check budget.
const MARGIN: Duration = Duration::from_secs(2);

/// A panel whose DNS checks ask `dns`, with this question timeout and overall check budget.
async fn app_asking(dns: &DnsServer, question_timeout_ms: u64, budget_ms: u64) -> TestApp {
    let server = dns.address.to_string();
    spawn_app_with(|settings| {
        settings.dns_checks = true;
        settings.dns_servers = vec![server];
        settings.check_mode = ptrdesk::domain::CheckMode::Resolver;
        settings.dns_timeout_ms = question_timeout_ms;
        settings.check_budget_ms = budget_ms;
    })
    .await
}

/// Runs `work` and says how long it took.
async fn timed<T>(work: impl Future<Output = T>) -> (T, Duration) {
    let started = Instant::now();
    let done = work.await;
    (done, started.elapsed())
}

/// The live check of `NAME` for alice's single IP, as the page's script asks it.
async fn live_check(alice: &TestUser) -> (StatusCode, String) {
    let path = format!("/ptr/check?ip={ALICE_SINGLE}&hostname={NAME}&stage=full");
    let reply = alice.get(&path).await;
    (reply.status, reply.body)
}

/// Live check, save and re-check against a black hole, each within `bound`; every answer
/// names `reason`.
async fn everything_ends_in_time_saying(app: &TestApp, bound: Duration, reason: &str) {
    let alice = app.signed_in(ALICE).await;

    let ((status, fragment), checked_in) = timed(live_check(&alice)).await;
    let version = alice.version_of(ALICE_SINGLE).await;
    let (saved, saved_in) = timed(alice.save_at(ALICE_SINGLE, NAME, &version)).await;
    let page = alice.get("/ips").await;
    let rechecked_at = ptrdesk::clock::now() + 3600;
    let (summary, rechecked_in) =
        timed(recheck_pending(&app.db, &app.engine(), rechecked_at)).await;
    eprintln!(
        "black-holed resolver: live check {checked_in:?}, save {saved_in:?}, re-check {rechecked_in:?}"
    );

    for (what, took) in [
        ("the live check", checked_in),
        ("the save", saved_in),
        ("the re-check", rechecked_in),
    ] {
        assert!(took < bound, "{what} took {took:?}, past the deadline");
    }
    assert_eq!(status, StatusCode::OK);
    assert!(
        fragment.contains(r#"class="finding unverified""#),
        "{fragment}"
    );
    assert!(collapse(&fragment).contains(reason), "{fragment}");
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(
        page.body.contains("waits for DNS"),
        "the flash says the change waits"
    );
    let row = page.page().row(ALICE_SINGLE).expect("alice's row");
    assert!(row.text.contains("Pending"), "{}", row.text);
    assert!(
        row.text.contains(reason),
        "the reason is shown: {}",
        row.text
    );
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await,
        None,
        "the default stays"
    );
    assert_eq!(
        summary.expect("the re-check round ends without a database error"),
        RecheckSummary {
            published: 0,
            rejected: 0,
            still_pending: 1
        }
    );
}

#[tokio::test]
async fn a_black_holed_resolver_leaves_a_save_pending_with_the_reason_within_the_deadline() {
    let dns = DnsServer::silent().await;
    let app = app_asking(&dns, 1000, 3000).await;

    let reason = format!("no answer from {} within 1 s.", dns.address);
    everything_ends_in_time_saying(&app, Duration::from_secs(3) + MARGIN, &reason).await;
}

#[tokio::test]
async fn a_question_timeout_longer_than_the_budget_is_cut_off_by_the_budget() {
    let dns = DnsServer::silent().await;
    // Each question would wait 30 s; the engine's budget must end the checks after 1.5 s.
    let app = app_asking(&dns, 30_000, 1500).await;

    let reason = "DNS did not answer within 1.5 s; the checks will be run again.";
    everything_ends_in_time_saying(&app, Duration::from_millis(1500) + MARGIN, reason).await;
}

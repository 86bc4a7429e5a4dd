//! Publishing into DNS a provider already runs (issue 16): PTRs pushed into a real PowerDNS
//! over its HTTP API and into a real BIND with RFC 2136 updates signed with TSIG, from the
//! outbox, after commit; answered from outside (`dig`); retried while the backend is down and
//! shown not live until it confirmed; refusals named with the server, the zone and what it
//! answered; one push per outbox row across nodes.

use crate::helpers::backends::{Bind, PowerDns, dig_ptr};
use crate::helpers::dns_app::*;
use crate::helpers::knot::{Knot, SharedKey, XFR_KEY, free_port};
use crate::helpers::*;
use ptrdesk::config::{PublishMode, Settings};
use ptrdesk::db::outbox::{self, Kind};
use secrecy::SecretString;
use std::time::Duration;

const ALICE_ZONE: &str = "113.0.203.in-addr.arpa";
const ALICE_V6_ENTRY: &str = "2001:db8:10::25";
const ALICE_DEFAULT: &str = "static.45.113.0.203.clients.example.net";
/// The seed's reverse zones (IPv4 at /24, IPv6 at /48).
const SEED_ZONES: [&str; 4] = [
    ALICE_ZONE,
    "100.51.198.in-addr.arpa",
    "0.1.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
    "b.b.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
];
/// How long a push may take to be answered in these tests.
const ANSWERED: Duration = Duration::from_secs(20);

/// The key BIND takes updates with.
const UPDATE_KEY: SharedKey = SharedKey {
    name: "ptrdesk-update",
    secret: "c2VjcmV0LWZvci1keW5hbWljLXVwZGF0ZXMtMTIzNDU=",
};

/// A key BIND does not know.
const WRONG_KEY: SharedKey = SharedKey {
    name: "someone-else",
    secret: "YW5vdGhlci1zZWNyZXQtdGhhdC1iaW5kLWRvZXMtbm90",
};

fn towards_powerdns(settings: &mut Settings, pdns: &PowerDns) {
    settings.publish = PublishMode::PowerDns;
    settings.powerdns_api_url = Some(pdns.api_url.clone());
    settings.powerdns_api_key = Some(SecretString::from(pdns.api_key));
    settings.powerdns_dns_server = Some(pdns.dns.to_string());
    settings.outbox_poll_ms = 50;
}

fn towards_bind(settings: &mut Settings, bind: &Bind, key: SharedKey) {
    settings.publish = PublishMode::Rfc2136;
    settings.rfc2136_server = Some(bind.address.to_string());
    settings.rfc2136_tsig_key = Some(SecretString::from(key.setting()));
    settings.outbox_poll_ms = 50;
}

async fn row_text(user: &TestUser, ip: &str) -> String {
    user.get(&format!("/ips?ip={ip}"))
        .await
        .page()
        .row(ip)
        .map(|row| row.text)
        .unwrap_or_default()
}

/// The newest failure recorded for an outbox row of `kind` that mentions `about` (what the
/// operator reads; the log says the same).
async fn recorded_error(app: &TestApp, kind: Kind, about: &[&str]) -> Option<String> {
    let errors: Vec<String> = sqlx::query_scalar(
        "SELECT last_error FROM outbox WHERE kind = $1 AND last_error IS NOT NULL ORDER BY id DESC",
    )
    .bind(kind.as_str())
    .fetch_all(&app.db.pool)
    .await
    .expect("the outbox answers");
    errors
        .into_iter()
        .find(|error| about.iter().all(|part| error.contains(part)))
}

async fn answered(server: std::net::SocketAddr, ip: &str, expected: &[&str]) {
    wait_until(
        ANSWERED,
        &format!("{server} answers {expected:?} for {ip}"),
        || async { dig_ptr(server, ip).await == expected },
    )
    .await;
}

#[tokio::test]
async fn a_saved_ptr_is_answered_by_powerdns_and_a_reset_puts_the_default_name_back() {
    let pdns = PowerDns::start().await;
    let app = spawn_dns_app_with(|settings| towards_powerdns(settings, &pdns)).await;
    let alice = app.signed_in(ALICE).await;

    alice.save(ALICE_SINGLE, "mail.alice-hosting.net").await;

    answered(pdns.dns, ALICE_SINGLE, &["mail.alice-hosting.net"]).await;
    wait_until(ANSWERED, "the row says live", || async {
        row_text(&alice, ALICE_SINGLE).await.contains("Live")
    })
    .await;
    alice.reset(ALICE_SINGLE).await;
    answered(pdns.dns, ALICE_SINGLE, &[ALICE_DEFAULT]).await;
    // Addresses nobody changed carry the default too (the seed's assignments were pushed).
    answered(
        pdns.dns,
        "198.51.100.17",
        &["static.17.100.51.198.clients.example.net"],
    )
    .await;
}

#[tokio::test]
async fn a_removed_ipv6_entry_without_a_default_name_is_deleted_from_powerdns() {
    let pdns = PowerDns::start().await;
    let app = spawn_dns_app_with(|settings| towards_powerdns(settings, &pdns)).await;
    let alice = app.signed_in(ALICE).await;
    let subnet = app.assignment_id(ALICE_NUMBER, ALICE_V6_ENTRY).await;

    alice
        .add(subnet, ALICE_V6_ENTRY, "mail.alice-hosting.net")
        .await;
    answered(pdns.dns, ALICE_V6_ENTRY, &["mail.alice-hosting.net"]).await;
    alice.reset(ALICE_V6_ENTRY).await;

    answered(pdns.dns, ALICE_V6_ENTRY, &[]).await;
}

#[tokio::test]
async fn while_powerdns_is_down_a_save_is_retried_and_not_live_then_live_once_it_is_back() {
    let mut pdns = PowerDns::start().await;
    let app = spawn_dns_app_with(|settings| towards_powerdns(settings, &pdns)).await;
    let alice = app.signed_in(ALICE).await;
    // Everything the seed pushed is in before PowerDNS goes away.
    wait_until(ANSWERED, "the seed is pushed", || async {
        outbox::open_count(&app.db.pool, Kind::PowerDns)
            .await
            .unwrap_or(1)
            == 0
    })
    .await;
    pdns.stop();

    let saved = alice.save(ALICE_SINGLE, "mail.alice-hosting.net").await;

    assert_eq!(
        saved.status,
        reqwest::StatusCode::SEE_OTHER,
        "the save does not wait"
    );
    wait_until(ANSWERED, "a failed push is recorded", || async {
        recorded_error(&app, Kind::PowerDns, &[]).await.is_some()
    })
    .await;
    let row = row_text(&alice, ALICE_SINGLE).await;
    assert!(
        row.contains("not yet served by PowerDNS"),
        "the row says it is not live: {row}"
    );
    pdns.start_again().await;
    answered(pdns.dns, ALICE_SINGLE, &["mail.alice-hosting.net"]).await;
    wait_until(ANSWERED, "the row says live", || async {
        row_text(&alice, ALICE_SINGLE).await.contains("Live")
    })
    .await;
}

#[tokio::test]
async fn two_nodes_on_one_database_push_every_save_of_either() {
    let pdns = PowerDns::start().await;
    let node_a = spawn_dns_app_with(|settings| towards_powerdns(settings, &pdns)).await;
    let node_b = node_a.restart().await;
    let alice_on_a = node_a.signed_in(ALICE).await;
    let alice_on_b = alice_on_a.towards(&node_b.address);

    for (n, ip) in ALICE_V4_ADDRESSES.iter().enumerate() {
        let alice = if n % 2 == 0 { &alice_on_a } else { &alice_on_b };
        alice.save(ip, &format!("host{n}.alice-hosting.net")).await;
    }

    for (n, ip) in ALICE_V4_ADDRESSES.iter().enumerate() {
        let name = format!("host{n}.alice-hosting.net");
        answered(pdns.dns, ip, &[name.as_str()]).await;
    }
    wait_until(ANSWERED, "every push is confirmed", || async {
        outbox::open_count(&node_a.db.pool, Kind::PowerDns)
            .await
            .unwrap_or(1)
            == 0
    })
    .await;
}

#[tokio::test]
async fn two_nodes_claiming_at_once_take_each_outbox_row_once() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = fresh_database(dir.path()).await;
    let node_a = ptrdesk::db::Db::connect(&url)
        .await
        .expect("node a connects");
    let node_b = ptrdesk::db::Db::connect(&url)
        .await
        .expect("node b connects");
    let now = ptrdesk::clock::now();
    let target = outbox::Target {
        kind: Kind::PowerDns,
        target: "http://127.0.0.1:9".to_owned(),
    };
    outbox::set_targets(&node_a.pool, &[Kind::PowerDns], &[target], now)
        .await
        .expect("the target is stored");
    // More than one statement's worth of pushes (250 ranges each).
    let addresses: Vec<std::net::IpAddr> = (0..600u32)
        .map(|n| std::net::IpAddr::from(std::net::Ipv4Addr::from(0xC633_6400 + n)))
        .collect();
    let mut conn = node_a.pool.acquire().await.expect("a connection");
    outbox::enqueue_pushes(&mut conn, &addresses, &[], now)
        .await
        .expect("the pushes are written");
    drop(conn);

    let take_all = |db: ptrdesk::db::Db, holder: &'static str| async move {
        let mut taken = Vec::new();
        loop {
            let until = now + 60 + taken.len() as i64;
            if !outbox::claim(&db, holder, now, until, 29, &[Kind::PowerDns])
                .await
                .expect("a claim")
            {
                return taken;
            }
            let claimed = outbox::claimed_dns_effects(&db.pool, holder, until)
                .await
                .expect("the claimed rows");
            taken.extend(claimed.into_iter().map(|effect| effect.id));
        }
    };
    let (by_a, by_b) = tokio::join!(
        tokio::spawn(take_all(node_a.clone(), "node-a")),
        tokio::spawn(take_all(node_b.clone(), "node-b"))
    );
    let (by_a, by_b) = (by_a.expect("node a ran"), by_b.expect("node b ran"));

    let mut all: Vec<i64> = by_a.iter().chain(&by_b).copied().collect();
    all.sort_unstable();
    let total = all.len();
    all.dedup();
    assert_eq!(all.len(), total, "no row was taken by both nodes");
    assert_eq!(total, addresses.len(), "every row was taken");
}

#[tokio::test]
async fn dns_verify_compares_powerdns_with_the_database_and_says_which_names_are_synthesised() {
    let pdns = PowerDns::start().await;
    let app = spawn_dns_app_with(|settings| {
        towards_powerdns(settings, &pdns);
        settings.default_name_v6 = Some("v6.{reversed}.clients.example.net".to_owned());
    })
    .await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, "mail.alice-hosting.net").await;
    wait_until(ANSWERED, "every push is confirmed", || async {
        outbox::open_count(&app.db.pool, Kind::PowerDns)
            .await
            .unwrap_or(1)
            == 0
    })
    .await;
    let config = app.dir().join("verify.toml");
    std::fs::write(
        &config,
        format!(
            "database = {:?}\npublish = \"powerdns\"\npowerdns_api_url = {:?}\n\
             powerdns_dns_server = \"{}\"\ndefault_name_v6 = \"v6.{{reversed}}.clients.example.net\"\n",
            app.database_url, pdns.api_url, pdns.dns
        ),
    )
    .expect("the configuration is written");

    let mut command = ptrdesk_command();
    command
        .args(["dns", "verify", "--config"])
        .arg(&config)
        .env("PTRDESK_POWERDNS_API_KEY", pdns.api_key);
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the command ran")
        .expect("ptrdesk runs");
    let text = String::from_utf8_lossy(&output.stdout).to_string();

    assert!(
        output.status.success(),
        "no difference: {text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("comparing the publishing backend"), "{text}");
    assert!(
        text.contains("synthesised") && text.contains("cannot be transferred"),
        "the IPv6 default names are named as synthesised: {text}"
    );
    assert!(text.contains(" 0 differences"), "{text}\n{}", pdns.log());
}

#[tokio::test]
async fn a_saved_ptr_reaches_bind_as_a_signed_update_and_a_reset_puts_the_default_name_back() {
    let bind = Bind::primary_for(&SEED_ZONES, UPDATE_KEY).await;
    let app = spawn_dns_app_with(|settings| towards_bind(settings, &bind, UPDATE_KEY)).await;
    let alice = app.signed_in(ALICE).await;

    alice.save(ALICE_SINGLE, "mail.alice-hosting.net").await;

    answered(bind.address, ALICE_SINGLE, &["mail.alice-hosting.net"]).await;
    wait_until(ANSWERED, "the row says live", || async {
        row_text(&alice, ALICE_SINGLE).await.contains("Live")
    })
    .await;
    alice.reset(ALICE_SINGLE).await;
    answered(bind.address, ALICE_SINGLE, &[ALICE_DEFAULT]).await;
    let subnet = app.assignment_id(ALICE_NUMBER, ALICE_V6_ENTRY).await;
    alice
        .add(subnet, ALICE_V6_ENTRY, "mail.alice-hosting.net")
        .await;
    answered(bind.address, ALICE_V6_ENTRY, &["mail.alice-hosting.net"]).await;
    alice.reset(ALICE_V6_ENTRY).await;
    answered(bind.address, ALICE_V6_ENTRY, &[]).await;
    assert_eq!(
        recorded_error(&app, Kind::Rfc2136, &[]).await,
        None,
        "{}",
        bind.log()
    );
}

#[tokio::test]
async fn a_primary_that_refuses_the_key_is_named_with_the_zone_and_its_answer() {
    let bind = Bind::primary_for(&SEED_ZONES, UPDATE_KEY).await;
    let app = spawn_dns_app_with(|settings| towards_bind(settings, &bind, WRONG_KEY)).await;
    let alice = app.signed_in(ALICE).await;

    alice.save(ALICE_SINGLE, "mail.alice-hosting.net").await;

    wait_until(ANSWERED, "the refusal is recorded", || async {
        recorded_error(&app, Kind::Rfc2136, &[ALICE_ZONE, "NOTAUTH"])
            .await
            .is_some()
    })
    .await;
    let error = recorded_error(&app, Kind::Rfc2136, &[ALICE_ZONE, "NOTAUTH"])
        .await
        .unwrap_or_default();
    assert!(
        error.contains(&format!(
            "primary {} refused the UPDATE of zone {ALICE_ZONE}",
            bind.address
        )) && error.contains("NOTAUTH")
            && error.contains("BADKEY")
            && error.contains("someone-else"),
        "the refusal names the primary, the zone, the answer and the key: {error}"
    );
    let row = row_text(&alice, ALICE_SINGLE).await;
    assert!(row.contains("not yet served by the primary"), "{row}");
    assert_eq!(
        dig_ptr(bind.address, ALICE_SINGLE).await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn a_secondary_that_refuses_the_notify_key_is_named_with_the_zone_and_its_answer() {
    let knot_port = free_port();
    let app = spawn_dns_app_with(|settings| {
        settings.dns_secondaries = vec![format!("127.0.0.1:{knot_port}")];
        settings.dns_tsig_key = Some(SecretString::from(XFR_KEY.setting()));
        settings.outbox_poll_ms = 50;
    })
    .await;
    let knot = Knot::secondary_of(app.dns, knot_port, &[ALICE_ZONE], Some(WRONG_KEY)).await;
    let alice = app.signed_in(ALICE).await;

    alice.save(ALICE_SINGLE, "mail.alice-hosting.net").await;

    wait_until(ANSWERED, "the refused NOTIFY is recorded", || async {
        recorded_error(&app, Kind::Notify, &[ALICE_ZONE, "NOTAUTH"])
            .await
            .is_some()
    })
    .await;
    let error = recorded_error(&app, Kind::Notify, &[ALICE_ZONE, "NOTAUTH"])
        .await
        .unwrap_or_default();
    assert!(
        error.contains(&format!(
            "secondary 127.0.0.1:{knot_port} did not take NOTIFY for zone {ALICE_ZONE}"
        )) && error.contains("NOTAUTH")
            && error.contains("ptrdesk-xfr"),
        "the refusal names the secondary, the zone, the answer and the key: {error}\n{}",
        knot.log()
    );
}

/// Saves `saves` names one after the other and measures, for each, the time from the start
/// of the save request until `server` answers the new PTR (asked every 2 ms over UDP).
async fn save_to_answer(
    alice: &TestUser,
    server: std::net::SocketAddr,
    saves: usize,
) -> Vec<Duration> {
    let asker = Asker::udp(server);
    let mut times = Vec::with_capacity(saves);
    for n in 0..saves {
        let name = format!("bench{n}.alice-hosting.net");
        let version = alice.version_of(ALICE_SINGLE).await;
        let started = std::time::Instant::now();
        alice.save_at(ALICE_SINGLE, &name, &version).await;
        loop {
            if asker.ptr(ALICE_SINGLE).await.1 == [name.clone()] {
                break;
            }
            // A measurement, not a deadline: on a loaded machine (the whole suite at once) a
            // push may wait for a retry.
            assert!(
                started.elapsed() < ANSWERED * 3,
                "{name} not answered by {server}"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        times.push(started.elapsed());
    }
    times
}

fn median_and_max(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort_unstable();
    let median = (times[(times.len() - 1) / 2] + times[times.len() / 2]) / 2;
    (median, times[times.len() - 1])
}

/// The closing note's measure (README "Benchmarks"): 20 saves through each backend, each
/// answered by it; prints the median and the longest time from the save to the answer.
#[tokio::test]
async fn save_to_answer_latency_through_each_backend() {
    const SAVES: usize = 20;
    let pdns = PowerDns::start().await;
    let app = spawn_dns_app_with(|settings| towards_powerdns(settings, &pdns)).await;
    let alice = app.signed_in(ALICE).await;
    let (pdns_median, pdns_max) = median_and_max(save_to_answer(&alice, pdns.dns, SAVES).await);

    let bind = Bind::primary_for(&SEED_ZONES, UPDATE_KEY).await;
    let app = spawn_dns_app_with(|settings| towards_bind(settings, &bind, UPDATE_KEY)).await;
    let alice = app.signed_in(ALICE).await;
    let (bind_median, bind_max) = median_and_max(save_to_answer(&alice, bind.address, SAVES).await);

    let app = spawn_dns_app().await;
    let alice = app.signed_in(ALICE).await;
    let (own_median, own_max) = median_and_max(save_to_answer(&alice, app.dns, SAVES).await);

    println!(
        "save to answer over {SAVES} saves: PowerDNS (HTTP API) median {pdns_median:?} max {pdns_max:?}; \
         BIND (RFC 2136) median {bind_median:?} max {bind_max:?}; \
         embedded median {own_median:?} max {own_max:?}"
    );
}

//! DNSSEC-signed reverse zones (`dnssec = true`), checked from outside with BIND's and Knot's
//! own tools over loopback: `delv` validates signed PTR answers and signed denials against the
//! zone's KSK as trust anchor, `dnssec-verify` checks a whole zone as AXFR transferred it,
//! `kdig +dnssec` shows the NSEC proofs, `dnssec-dsfromkey` agrees with `ptrdesk dns ds`, and a
//! ZSK rollover never leaves a validator with a cached DNSKEY set unable to validate.

use crate::helpers::dns_app::*;
use crate::helpers::*;
use hickory_server::proto::dnssec::rdata::{DNSKEY, DNSSECRData, RRSIG};
use hickory_server::proto::dnssec::{PublicKey, Verifier};
use hickory_server::proto::op::ResponseCode;
use hickory_server::proto::rr::{DNSClass, RData, Record, RecordType};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Alice's /29 (198.51.100.16/29) lives in this zone.
const ZONE: &str = "100.51.198.in-addr.arpa";
const ADDRESS: &str = "198.51.100.17";

/// A panel signing its zones, allowed to transfer to loopback, once the zone's keys are served.
async fn spawn_signed(configure: impl FnOnce(&mut ptrdesk::config::Settings)) -> DnsApp {
    let app = spawn_dns_app_with(|settings| {
        settings.dnssec = true;
        settings.dns_secondaries = vec!["127.0.0.1".to_owned()];
        configure(settings);
    })
    .await;
    let asker = app.udp();
    wait_until(
        Duration::from_secs(20),
        "the zone's DNSKEY set is served",
        || async { dnskeys(&asker).await.len() == 2 },
    )
    .await;
    app
}

/// The zone's DNSKEY set as served.
async fn dnskeys(asker: &Asker) -> Vec<DNSKEY> {
    asker
        .ask(ZONE, RecordType::DNSKEY)
        .await
        .answers
        .iter()
        .filter_map(|record| match &record.data {
            RData::DNSSEC(DNSSECRData::DNSKEY(key)) => Some(key.clone()),
            _ => None,
        })
        .collect()
}

fn ksk(keys: &[DNSKEY]) -> DNSKEY {
    keys.iter()
        .find(|key| key.secure_entry_point())
        .cloned()
        .expect("a KSK (flags 257)")
}

fn base64(bytes: &[u8]) -> String {
    base64::Engine::encode(&base64::engine::general_purpose::STANDARD, bytes)
}

/// A delv trust-anchor file naming `key` as the zone's static key.
fn anchor_file(dir: &Path, key: &DNSKEY) -> PathBuf {
    let path = dir.join(format!(
        "anchor-{}.conf",
        key.calculate_key_tag().expect("a tag")
    ));
    std::fs::write(
        &path,
        format!(
            "trust-anchors {{ \"{ZONE}.\" static-key {} 3 {} \"{}\"; }};\n",
            key.flags(),
            u8::from(key.algorithm()),
            base64(key.public_key().public_bytes())
        ),
    )
    .expect("the anchor file is written");
    path
}

/// Runs a tool off the runtime (the server answers on it); its exit status and output.
async fn run(tool: &'static str, args: Vec<String>) -> (bool, String) {
    tokio::task::spawn_blocking(move || {
        let output = std::process::Command::new(tool)
            .args(&args)
            .output()
            .unwrap_or_else(|err| panic!("{tool} (BIND / Knot utilities) runs: {err}"));
        (
            output.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        )
    })
    .await
    .expect("the tool ran")
}

/// delv asking ptrdesk, validating from `anchor` (the zone as trust anchor).
async fn delv(app: &DnsApp, anchor: &Path, question: &[&str]) -> String {
    let mut args = vec![
        format!("@{}", app.dns.ip()),
        "-p".to_owned(),
        app.dns.port().to_string(),
        "-a".to_owned(),
        anchor.display().to_string(),
        format!("+root={ZONE}"),
        "+nomtrace".to_owned(),
    ];
    args.extend(question.iter().map(|arg| (*arg).to_owned()));
    run("delv", args).await.1
}

async fn kdig(app: &DnsApp, question: &[&str]) -> String {
    let mut args = vec![
        format!("@{}", app.dns.ip()),
        "-p".to_owned(),
        app.dns.port().to_string(),
        "+time=3".to_owned(),
        "+retry=0".to_owned(),
    ];
    args.extend(question.iter().map(|arg| (*arg).to_owned()));
    run("kdig", args).await.1
}

#[tokio::test]
async fn a_signed_ptr_answer_is_fully_validated_by_delv_from_the_zones_key() {
    let app = spawn_signed(|_| {}).await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ADDRESS, "node1.alice-hosting.net").await;
    let keys = dnskeys(&app.udp()).await;
    let anchor = anchor_file(app.dir(), &ksk(&keys));

    let validated = delv(&app, &anchor, &["-x", ADDRESS]).await;

    assert!(validated.contains("; fully validated"), "{validated}");
    assert!(
        validated.contains("PTR\tnode1.alice-hosting.net."),
        "{validated}"
    );
    assert!(validated.contains("RRSIG\tPTR 13 "), "{validated}");
}

#[tokio::test]
async fn a_validator_trusting_another_key_rejects_the_answers() {
    let app = spawn_signed(|_| {}).await;
    let keys = dnskeys(&app.udp()).await;
    // The ZSK posing as the zone's trust anchor: the DNSKEY set is not signed by it.
    let zsk = keys
        .iter()
        .find(|key| !key.secure_entry_point())
        .expect("a ZSK");
    let wrong = anchor_file(app.dir(), zsk);

    let answer = delv(&app, &wrong, &["-x", ADDRESS]).await;

    assert!(!answer.contains("; fully validated"), "{answer}");
    assert!(answer.contains("resolution failed"), "{answer}");
}

#[tokio::test]
async fn a_missing_name_and_a_missing_type_are_proven_with_nsec_and_validated() {
    let app = spawn_signed(|_| {}).await;
    let anchor = anchor_file(app.dir(), &ksk(&dnskeys(&app.udp()).await));
    // Outside Alice's /29, inside the zone: no such name.
    let missing = "50.100.51.198.in-addr.arpa";

    let nxdomain = kdig(&app, &["+dnssec", missing, "PTR"]).await;
    let nodata = kdig(&app, &["+dnssec", "17.100.51.198.in-addr.arpa", "TXT"]).await;
    let nxdomain_validated = delv(&app, &anchor, &[missing, "PTR"]).await;
    let nodata_validated = delv(&app, &anchor, &["17.100.51.198.in-addr.arpa", "TXT"]).await;

    assert!(nxdomain.contains("status: NXDOMAIN"), "{nxdomain}");
    let nsecs: Vec<&str> = nxdomain
        .lines()
        .filter(|line| line.contains("\tNSEC\t"))
        .collect();
    assert_eq!(
        nsecs.len(),
        2,
        "one covering the name, one the wildcard:\n{nxdomain}"
    );
    assert!(nxdomain.contains("RRSIG\tNSEC 13 "), "{nxdomain}");
    assert!(nodata.contains("status: NOERROR"), "{nodata}");
    assert!(
        nodata.contains("17.100.51.198.in-addr.arpa.")
            && nodata.contains("NSEC\t\\000.17.100.51.198.in-addr.arpa. PTR RRSIG NSEC"),
        "an NSEC at the name lists what it has:\n{nodata}"
    );
    assert!(
        nxdomain_validated.contains("; negative response, fully validated"),
        "{nxdomain_validated}"
    );
    assert!(
        nodata_validated.contains("; negative response, fully validated"),
        "{nodata_validated}"
    );
}

#[tokio::test]
async fn signatures_come_only_with_the_do_bit() {
    let app = spawn_signed(|_| {}).await;

    let plain = kdig(&app, &["-x", ADDRESS]).await;
    let with_do = kdig(&app, &["+dnssec", "-x", ADDRESS]).await;
    let plain_missing = kdig(&app, &["50.100.51.198.in-addr.arpa", "PTR"]).await;

    assert!(plain.contains("\tPTR\t"), "{plain}");
    assert!(!plain.contains("RRSIG"), "{plain}");
    assert!(!plain_missing.contains("NSEC"), "{plain_missing}");
    assert!(with_do.contains("RRSIG\tPTR 13 "), "{with_do}");
    assert!(
        with_do.contains("flags: do;") || with_do.contains("; Version: 0; flags: do"),
        "the DO bit is echoed:\n{with_do}"
    );
}

#[tokio::test]
async fn a_zone_transferred_by_axfr_is_verified_whole_by_dnssec_verify() {
    let app = spawn_signed(|_| {}).await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ADDRESS, "node1.alice-hosting.net").await;

    let transfer = kdig(
        &app,
        &["AXFR", ZONE, "+nocomments", "+nostats", "+noheader"],
    )
    .await;
    let file = app.dir().join("zone.db");
    std::fs::write(&file, &transfer).expect("the zone file is written");
    let (verified, report) = run(
        "dnssec-verify",
        vec!["-o".to_owned(), ZONE.to_owned(), file.display().to_string()],
    )
    .await;

    assert!(verified, "dnssec-verify: {report}\n{transfer}");
    assert!(report.contains("Zone fully signed"), "{report}");
    let count = |kind: &str| {
        transfer
            .lines()
            .filter(|line| line.split_whitespace().nth(3) == Some(kind))
            .count()
    };
    // The SOA opens and closes the transfer; 8 addresses, the apex: 9 names.
    assert_eq!(count("PTR"), 8, "{transfer}");
    assert_eq!(count("NSEC"), 9, "{transfer}");
    assert_eq!(count("DNSKEY"), 2, "{transfer}");
    assert!(count("RRSIG") >= 8 + 9 + 3, "{transfer}");
}

#[tokio::test]
async fn the_ds_record_of_the_cli_is_the_digest_of_the_served_ksk() {
    let app = spawn_signed(|_| {}).await;
    let keys = dnskeys(&app.udp()).await;
    let key_file = app.dir().join("ksk.key");
    let ksk = ksk(&keys);
    std::fs::write(
        &key_file,
        format!(
            "{ZONE}. 3600 IN DNSKEY 257 3 13 {}\n",
            base64(ksk.public_key().public_bytes())
        ),
    )
    .expect("the key file is written");

    let output = ptrdesk_command()
        .args(["dns", "ds", ZONE])
        .env("PTRDESK_DATABASE", &app.database_url)
        .env("PTRDESK_DNSSEC", "true")
        .output()
        .expect("ptrdesk runs");
    let (_, expected) = run(
        "dnssec-dsfromkey",
        vec![
            "-2".to_owned(),
            "-f".to_owned(),
            key_file.display().to_string(),
            ZONE.to_owned(),
        ],
    )
    .await;

    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let words = |text: &str| {
        text.split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(words(printed.trim()), words(expected.trim()));
}

#[tokio::test]
async fn the_ds_command_refuses_when_signing_is_off() {
    let app = spawn_dns_app().await;

    let output = ptrdesk_command()
        .args(["dns", "ds", ZONE])
        .env("PTRDESK_DATABASE", &app.database_url)
        .output()
        .expect("ptrdesk runs");

    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("DNSSEC is off"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The PTR RRset of `ADDRESS` with its signatures, asked with the DO bit.
async fn signed_ptr(asker: &Asker) -> (Vec<Record>, Vec<RRSIG>) {
    let name = format!("{}.in-addr.arpa", reversed(ADDRESS));
    let response = asker.ask_dnssec(&name, RecordType::PTR).await;
    assert_eq!(response.response_code, ResponseCode::NoError);
    let ptrs = response
        .answers
        .iter()
        .filter(|record| record.record_type() == RecordType::PTR)
        .cloned()
        .collect();
    let signatures = response
        .answers
        .iter()
        .filter_map(|record| match &record.data {
            RData::DNSSEC(DNSSECRData::RRSIG(rrsig)) => Some(rrsig.clone()),
            _ => None,
        })
        .collect();
    (ptrs, signatures)
}

fn reversed(ip: &str) -> String {
    ip.split('.').rev().collect::<Vec<_>>().join(".")
}

/// Whether a validator holding `cached` (a DNSKEY set) accepts the signed RRset.
fn validates(cached: &[DNSKEY], rrset: &[Record], signatures: &[RRSIG]) -> bool {
    let name = &rrset[0].name;
    signatures.iter().any(|rrsig| {
        cached.iter().any(|key| {
            key.calculate_key_tag().ok() == Some(rrsig.input().key_tag)
                && key
                    .verify_rrsig(name, DNSClass::IN, rrsig, rrset.iter())
                    .is_ok()
        })
    })
}

/// The first `Some` of `check`, asked every 10 ms for at most `limit`.
async fn first<T, F, Fut>(limit: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let started = tokio::time::Instant::now();
    loop {
        if let Some(found) = check().await {
            return found;
        }
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn tags(keys: &[DNSKEY]) -> Vec<u16> {
    let mut tags: Vec<u16> = keys
        .iter()
        .map(|key| key.calculate_key_tag().expect("a tag"))
        .collect();
    tags.sort_unstable();
    tags
}

#[tokio::test]
async fn a_zsk_rollover_keeps_every_cached_dnskey_set_validating() {
    const TTL: u32 = 2;
    let app = spawn_signed(|settings| {
        settings.dns_ttl_seconds = TTL;
        settings.dnssec_rollover_margin_seconds = 0;
    })
    .await;
    let asker = app.udp();
    let before = dnskeys(&asker).await;
    let anchor = anchor_file(app.dir(), &ksk(&before));
    let (ptrs, signatures) = signed_ptr(&asker).await;
    assert!(
        validates(&before, &ptrs, &signatures),
        "signed before the rollover"
    );

    let started = ptrdesk_command()
        .args(["dns", "rollover", ZONE])
        .env("PTRDESK_DATABASE", &app.database_url)
        .env("PTRDESK_DNSSEC", "true")
        .env("PTRDESK_DNS_TTL_SECONDS", TTL.to_string())
        .env("PTRDESK_DNSSEC_ROLLOVER_MARGIN_SECONDS", "0")
        .output()
        .expect("ptrdesk runs");
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let audited: Vec<(String, String)> =
        sqlx::query_as("SELECT actor, new_value FROM audit WHERE action = 'dnssec.rollover'")
            .fetch_all(&app.db.pool)
            .await
            .expect("the audit log");
    assert_eq!(
        audited,
        [("cli".to_owned(), format!("{ZONE}: new ZSK published"))]
    );
    let again = ptrdesk_command()
        .args(["dns", "rollover", ZONE])
        .env("PTRDESK_DATABASE", &app.database_url)
        .env("PTRDESK_DNSSEC", "true")
        .output()
        .expect("ptrdesk runs");
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("under way already"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    // Step 1: the new ZSK is published beside the old one, which still signs.
    let published = first(
        Duration::from_secs(10),
        "the new ZSK is published",
        || async { Some(dnskeys(&asker).await).filter(|keys| keys.len() == 3) },
    )
    .await;
    let published_at = std::time::Instant::now();
    let (ptrs, signatures) = signed_ptr(&asker).await;
    assert!(
        validates(&before, &ptrs, &signatures),
        "the old set still validates in step 1"
    );
    assert!(
        delv(&app, &anchor, &["-x", ADDRESS])
            .await
            .contains("; fully validated")
    );
    let new_tag = tags(&published)
        .into_iter()
        .find(|tag| !tags(&before).contains(tag))
        .expect("a new key");

    // Step 2: the new ZSK signs, not before the DNSKEY TTL has passed since it was published.
    let switched = first(Duration::from_secs(20), "the new ZSK signs", || async {
        Some(signed_ptr(&asker).await).filter(|(_, signatures)| {
            signatures
                .iter()
                .any(|rrsig| rrsig.input().key_tag == new_tag)
        })
    })
    .await;
    assert!(
        published_at.elapsed() >= Duration::from_secs(u64::from(TTL)) - Duration::from_millis(300),
        "signed with the new key {:?} after it was seen published (TTL {TTL} s)",
        published_at.elapsed()
    );
    let (ptrs, signatures) = switched;
    assert!(
        validates(&published, &ptrs, &signatures),
        "a validator that cached the set of step 1 validates the new signatures"
    );
    assert!(
        !validates(&before, &ptrs, &signatures),
        "(without pre-publishing, the set cached before the rollover would fail)"
    );
    let during = dnskeys(&asker).await;
    assert_eq!(
        tags(&during),
        tags(&published),
        "the old ZSK stays published while it may be cached"
    );
    assert!(
        delv(&app, &anchor, &["-x", ADDRESS])
            .await
            .contains("; fully validated")
    );

    // Step 3: the old ZSK leaves the DNSKEY set.
    let after = first(
        Duration::from_secs(20),
        "the old ZSK is removed",
        || async { Some(dnskeys(&asker).await).filter(|keys| keys.len() == 2) },
    )
    .await;
    assert!(tags(&after).contains(&new_tag));
    assert_eq!(
        ksk(&after),
        ksk(&before),
        "the KSK (and the parent's DS) stays"
    );
    let (ptrs, signatures) = signed_ptr(&asker).await;
    assert!(validates(&after, &ptrs, &signatures));
    let validated = delv(&app, &anchor, &["-x", ADDRESS]).await;
    assert!(validated.contains("; fully validated"), "{validated}");
}

/// The value of the label-less series `name` in a scrape of `/metrics`.
fn series(scrape: &str, name: &str) -> Option<f64> {
    scrape.lines().find_map(|line| {
        line.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix(' '))
            .and_then(|value| value.parse().ok())
    })
}

#[tokio::test]
async fn metrics_show_the_zone_store_and_the_signed_zones() {
    let app = spawn_signed(|_| {}).await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ADDRESS, "node1.alice-hosting.net").await;

    let scrape = reqwest::get(format!("{}/metrics", app.address))
        .await
        .expect("metrics answer")
        .text()
        .await
        .expect("a body");

    let entries = series(&scrape, "ptrdesk_dns_store_entries").expect("the entries gauge");
    assert!(entries >= 1.0, "{scrape}");
    assert!(
        series(&scrape, "ptrdesk_dns_store_generation").is_some_and(|g| g >= 1.0),
        "{scrape}"
    );
    assert_eq!(
        series(&scrape, "ptrdesk_dns_store_stale"),
        Some(0.0),
        "{scrape}"
    );
    assert!(series(&scrape, "ptrdesk_dns_store_last_reached_seconds").is_some_and(|s| s < 5.0));
    let signed = series(&scrape, "ptrdesk_dnssec_signed_zones").expect("the signed zones gauge");
    assert!(
        signed >= 2.0,
        "Alice's and Bob's zones are signed: {scrape}"
    );
}

#[tokio::test]
async fn the_admin_page_shows_each_zones_ds_record_and_keys_to_admins_only() {
    let app = spawn_signed(|_| {}).await;
    let output = ptrdesk_command()
        .args(["dns", "ds", ZONE])
        .env("PTRDESK_DATABASE", &app.database_url)
        .env("PTRDESK_DNSSEC", "true")
        .output()
        .expect("ptrdesk runs");
    let ds = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    assert!(ds.starts_with(&format!("{ZONE}. IN DS ")), "{ds}");
    let admin = app.signed_in(ADMIN).await;
    let helpdesk = app.signed_in(HELPDESK).await;
    let alice = app.signed_in(ALICE).await;

    let page = admin.get("/admin/dnssec").await;

    assert_eq!(page.status, reqwest::StatusCode::OK);
    let text = Page::new(&page.body).text();
    assert!(
        text.contains(&ds),
        "the DS record as the CLI prints it:\n{text}"
    );
    assert!(
        text.contains("KSK") && text.contains("ZSK") && text.contains("active"),
        "{text}"
    );
    assert_eq!(
        helpdesk.get("/admin/dnssec").await.status,
        reqwest::StatusCode::FORBIDDEN
    );
    assert_eq!(
        alice.get("/admin/dnssec").await.status,
        reqwest::StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_admin_page_says_when_signing_is_off() {
    let app = spawn_dns_app().await;
    let admin = app.signed_in(ADMIN).await;

    let page = admin.get("/admin/dnssec").await;

    assert_eq!(page.status, reqwest::StatusCode::OK);
    assert!(Page::new(&page.body).text().contains("Signing is off"));
}

#[tokio::test]
async fn knot_as_secondary_serves_the_transferred_zone_signed_and_delv_validates_it() {
    use crate::helpers::knot::{Knot, free_port};
    let knot_port = free_port();
    let app = spawn_signed(|settings| {
        settings.dns_secondaries = vec![format!("127.0.0.1:{knot_port}")];
    })
    .await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ADDRESS, "node1.alice-hosting.net").await;
    let serial = app.udp().serial(ZONE).await;
    let anchor = anchor_file(app.dir(), &ksk(&dnskeys(&app.udp()).await));

    let knot = Knot::secondary_of(app.dns, knot_port, &[ZONE], None).await;
    let secondary = knot.udp();
    wait_until(
        Duration::from_secs(15),
        "Knot transfers the zone",
        || async {
            let response = secondary.ask(ZONE, RecordType::SOA).await;
            soa_serial(&response.answers).is_some_and(|theirs| theirs >= serial)
        },
    )
    .await;
    let mut args = vec![
        "@127.0.0.1".to_owned(),
        "-p".to_owned(),
        knot_port.to_string(),
        "-a".to_owned(),
        anchor.display().to_string(),
        format!("+root={ZONE}"),
        "+nomtrace".to_owned(),
    ];
    let mut missing = args.clone();
    args.extend(["-x".to_owned(), ADDRESS.to_owned()]);
    missing.extend(["50.100.51.198.in-addr.arpa".to_owned(), "PTR".to_owned()]);
    let (_, validated) = run("delv", args).await;
    let (_, denied) = run("delv", missing).await;

    assert!(
        validated.contains("; fully validated"),
        "{validated}\n{}",
        knot.log()
    );
    assert!(
        validated.contains("node1.alice-hosting.net."),
        "{validated}"
    );
    assert!(
        denied.contains("; negative response, fully validated"),
        "Knot proves the name missing with the transferred NSEC chain:\n{denied}"
    );
}

#[tokio::test]
async fn signatures_run_two_weeks_at_least_and_a_new_window_moves_the_serial_for_secondaries() {
    let app = spawn_signed(|_| {}).await;
    let asker = app.udp();
    let now = ptrdesk::clock::now();

    let (_, signatures) = signed_ptr(&asker).await;
    let serial = asker.serial(ZONE).await;
    let window = ptrdesk::dns::dnssec::window_of(now);
    let moved = ptrdesk::db::dnssec::claim_window(&app.db.pool, ZONE, window + 1, now)
        .await
        .expect("the window is claimed");
    let again = ptrdesk::db::dnssec::claim_window(&app.db.pool, ZONE, window + 1, now)
        .await
        .expect("the claim is read");

    let rrsig = signatures.first().expect("a signature");
    let inception = i64::from(rrsig.input().sig_inception.get());
    let expiration = i64::from(rrsig.input().sig_expiration.get());
    assert!(inception <= now, "valid already ({inception} > {now})");
    assert!(
        expiration - now >= 14 * 86_400,
        "valid two weeks more at least: {}",
        expiration - now
    );
    assert!(moved, "the next window moves the serial once");
    assert!(!again, "and only once, whichever node claims it");
    wait_until(
        Duration::from_secs(5),
        "the new serial is served",
        || async { asker.serial(ZONE).await > serial },
    )
    .await;
}

//! ptrdesk as hidden primary (SPEC "Publishing to DNS"): zone transfers over TCP to the
//! configured secondaries only, TSIG-signed when a key is configured, and a real Knot DNS as
//! secondary that transfers the zone and follows a save once NOTIFY arrives.

use crate::helpers::dns_app::*;
use crate::helpers::knot::{Knot, SharedKey, XFR_KEY, free_port};
use crate::helpers::*;
use hickory_server::proto::op::ResponseCode;
use hickory_server::proto::rr::rdata::tsig::TsigAlgorithm;
use hickory_server::proto::rr::{RData, RecordType, TSigner};
use reqwest::StatusCode;
use std::net::IpAddr;
use std::time::Duration;

const ALICE_ZONE: &str = "113.0.203.in-addr.arpa";
const ALICE_SUBNET_ZONE: &str = "100.51.198.in-addr.arpa";
const LOOPBACK: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);
const ELSEWHERE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 2));

fn signer(key: SharedKey) -> TSigner {
    let secret = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, key.secret)
        .expect("a base64 secret");
    TSigner::new(secret, TsigAlgorithm::HmacSha256, dns_name(key.name), 300).expect("a TSIG signer")
}

#[tokio::test]
async fn a_configured_secondary_transfers_a_zone_over_tcp() {
    let app = spawn_dns_app_with(|settings| {
        settings.dns_secondaries = vec!["127.0.0.1".to_owned()];
    })
    .await;
    let alice = app.signed_in(ALICE).await;
    alice.save("198.51.100.17", "node1.alice-hosting.net").await;
    let serial = app.udp().serial(ALICE_SUBNET_ZONE).await;

    let records = Asker::tcp(app.dns, Some(LOOPBACK), None)
        .await
        .axfr(ALICE_SUBNET_ZONE)
        .await
        .expect("the transfer is allowed");

    assert_eq!(
        soa_serial(&records[..1]),
        Some(serial),
        "opens with the SOA"
    );
    assert_eq!(
        soa_serial(&records[records.len() - 1..]),
        Some(serial),
        "closes with it"
    );
    let ns = records
        .iter()
        .filter(|record| record.record_type() == RecordType::NS)
        .count();
    assert_eq!(ns, 2);
    let ptrs: Vec<(String, String)> = records
        .iter()
        .filter_map(|record| match &record.data {
            RData::PTR(target) => Some((record.name.to_string(), target.0.to_string())),
            _ => None,
        })
        .collect();
    assert_eq!(ptrs.len(), 8, "every address of the /29: {ptrs:?}");
    assert!(ptrs.contains(&(
        "17.100.51.198.in-addr.arpa.".to_owned(),
        "node1.alice-hosting.net.".to_owned()
    )));
    assert!(ptrs.contains(&(
        "18.100.51.198.in-addr.arpa.".to_owned(),
        "static.18.100.51.198.clients.example.net.".to_owned()
    )));
}

#[tokio::test]
async fn a_transfer_from_another_address_or_over_udp_is_refused() {
    let app = spawn_dns_app_with(|settings| {
        settings.dns_secondaries = vec!["127.0.0.1".to_owned()];
    })
    .await;

    let from_elsewhere = Asker::tcp(app.dns, Some(ELSEWHERE), None)
        .await
        .axfr(ALICE_ZONE)
        .await;
    let over_udp = app.udp().ask(ALICE_ZONE, RecordType::AXFR).await;
    let without_secondaries = spawn_dns_app().await;
    let unlisted = Asker::tcp(without_secondaries.dns, Some(LOOPBACK), None)
        .await
        .axfr(ALICE_ZONE)
        .await;

    let refused = ResponseCode::Refused.to_string();
    assert_eq!(
        from_elsewhere.map(|records| records.len()),
        Err(refused.clone())
    );
    assert_eq!(over_udp.response_code, ResponseCode::Refused);
    assert_eq!(unlisted.map(|records| records.len()), Err(refused));
}

#[tokio::test]
async fn with_a_key_configured_only_a_signed_transfer_is_served_and_every_message_is_signed() {
    let app = spawn_dns_app_with(|settings| {
        settings.dns_secondaries = vec!["127.0.0.1".to_owned()];
        settings.dns_tsig_key = Some(XFR_KEY.setting().into());
        // A /16 zone holding a /22: more than one message, so the chained signatures count.
        settings.reverse_zone_v4_prefix = 16;
    })
    .await;
    app.import("customer_number,customer_name,server,network\nK1,Alice Hosting GmbH,alice-big,198.51.104.0/22\n")
        .await;
    let wrong = SharedKey {
        name: XFR_KEY.name,
        secret: "bm90LXRoZS1yaWdodC1zZWNyZXQtYXQtYWxsLW5vLW5vLW5v",
    };

    let unsigned = Asker::tcp(app.dns, Some(LOOPBACK), None)
        .await
        .axfr("51.198.in-addr.arpa")
        .await;
    let badly_signed = Asker::tcp(app.dns, Some(LOOPBACK), Some(signer(wrong)))
        .await
        .axfr("51.198.in-addr.arpa")
        .await;
    let signed = Asker::tcp(app.dns, Some(LOOPBACK), Some(signer(XFR_KEY)))
        .await
        .axfr("51.198.in-addr.arpa")
        .await
        .expect("a signed transfer is served, each message verified");

    assert_eq!(
        unsigned.map(|records| records.len()),
        Err(ResponseCode::Refused.to_string())
    );
    assert!(badly_signed.is_err(), "a wrong key is not served");
    let ptrs = signed
        .iter()
        .filter(|record| record.record_type() == RecordType::PTR)
        .count();
    assert_eq!(ptrs, 1024 + 8, "the /22 and alice's /29");
}

#[tokio::test]
async fn knot_as_secondary_transfers_the_zone_and_serves_a_save_once_notify_arrives() {
    let knot_port = free_port();
    let app = spawn_dns_app_with(|settings| {
        settings.dns_secondaries = vec![format!("127.0.0.1:{knot_port}")];
        settings.dns_tsig_key = Some(XFR_KEY.setting().into());
    })
    .await;
    let knot = Knot::secondary_of(app.dns, knot_port, &[ALICE_ZONE], Some(XFR_KEY)).await;
    let serial = app.udp().serial(ALICE_ZONE).await;
    let secondary = knot.udp();
    wait_until(
        Duration::from_secs(15),
        "Knot transfers the zone",
        || async {
            let response = secondary.ask(ALICE_ZONE, RecordType::SOA).await;
            soa_serial(&response.answers).is_some_and(|theirs| theirs >= serial)
        },
    )
    .await;
    assert_eq!(
        secondary.ptr(ALICE_SINGLE).await.1,
        ["static.45.113.0.203.clients.example.net"],
        "{}",
        knot.log()
    );

    let alice = app.signed_in(ALICE).await;
    let version = alice.version_of(ALICE_SINGLE).await;
    let embedded = app.udp();
    let started = std::time::Instant::now();
    let saved = alice
        .save_at(ALICE_SINGLE, "mail.alice-hosting.net", &version)
        .await;
    let saved_in = started.elapsed();
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        embedded.ptr(ALICE_SINGLE).await.1,
        ["mail.alice-hosting.net"],
        "ptrdesk answers the saved PTR at once"
    );
    let in_embedded = started.elapsed();
    wait_until(
        Duration::from_secs(15),
        "Knot serves the saved PTR",
        || async { secondary.ptr(ALICE_SINGLE).await.1 == ["mail.alice-hosting.net"] },
    )
    .await;
    let in_knot = started.elapsed();

    println!(
        "save request {saved_in:?}; save → ptrdesk's answer {in_embedded:?}; save → Knot's answer {in_knot:?}"
    );
    assert!(
        app.udp().serial(ALICE_ZONE).await > serial,
        "the save bumped the serial"
    );
}

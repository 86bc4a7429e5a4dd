//! ptrdesk's own authoritative DNS (SPEC "Publishing to DNS"), asked by a real DNS client over
//! UDP and TCP: PTR for entries, the provider default, SOA and NS at the apex, NXDOMAIN and
//! NODATA inside a served zone, REFUSED outside, and a serial that grows with every published
//! change, across restarts.

use crate::helpers::dns_app::*;
use crate::helpers::*;
use hickory_server::proto::op::ResponseCode;
use hickory_server::proto::rr::{RData, RecordType};
use reqwest::StatusCode;
use std::time::Duration;

const ALICE_ZONE: &str = "113.0.203.in-addr.arpa";
const ALICE_SUBNET_ZONE: &str = "100.51.198.in-addr.arpa";

#[tokio::test]
async fn a_saved_ptr_is_answered_at_once_over_udp_and_tcp() {
    let app = spawn_dns_app().await;
    let alice = app.signed_in(ALICE).await;

    let saved = alice.save(ALICE_SINGLE, "mail.alice-hosting.net").await;

    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    for asker in [app.udp(), app.tcp().await] {
        let (code, targets) = asker.ptr(ALICE_SINGLE).await;
        assert_eq!(code, ResponseCode::NoError);
        assert_eq!(targets, ["mail.alice-hosting.net"]);
    }
    let response = app
        .udp()
        .ask("45.113.0.203.in-addr.arpa", RecordType::PTR)
        .await;
    assert!(response.authoritative, "the answer is authoritative");
}

#[tokio::test]
async fn an_address_without_an_entry_gets_the_provider_default_and_reset_brings_it_back() {
    let app = spawn_dns_app().await;
    let alice = app.signed_in(ALICE).await;
    let dns = app.udp();

    let (code, targets) = dns.ptr("198.51.100.20").await;

    assert_eq!(code, ResponseCode::NoError);
    assert_eq!(targets, ["static.20.100.51.198.clients.example.net"]);

    alice.save(ALICE_SINGLE, "www.alice-hosting.net").await;
    assert_eq!(dns.ptr(ALICE_SINGLE).await.1, ["www.alice-hosting.net"]);
    let reset = alice.reset(ALICE_SINGLE).await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER, "{}", reset.body);
    assert_eq!(
        dns.ptr(ALICE_SINGLE).await.1,
        ["static.45.113.0.203.clients.example.net"]
    );
}

#[tokio::test]
async fn ipv6_addresses_have_a_default_only_when_a_pattern_is_configured() {
    let without = spawn_dns_app().await;
    let with = spawn_dns_app_with(|settings| {
        settings.default_name_v6 = Some("v6-{dashed}.clients.example.net".to_owned());
    })
    .await;
    let alice = without.signed_in(ALICE).await;
    let assignment = without.assignment_id(ALICE_NUMBER, "2001:db8:10::1").await;
    let added = alice
        .add(assignment, "2001:db8:10::25", "mx.alice-hosting.net")
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);

    assert_eq!(
        without.udp().ptr("2001:db8:10::25").await,
        (
            ResponseCode::NoError,
            vec!["mx.alice-hosting.net".to_owned()]
        )
    );
    assert_eq!(
        without.udp().ptr("2001:db8:10::26").await,
        (ResponseCode::NXDomain, Vec::new())
    );
    assert_eq!(
        with.udp().ptr("2001:db8:10::26").await,
        (
            ResponseCode::NoError,
            vec!["v6-2001-0db8-0010-0000-0000-0000-0000-0026.clients.example.net".to_owned()]
        )
    );
}

#[tokio::test]
async fn the_zone_apex_has_the_configured_soa_and_ns() {
    let app = spawn_dns_app_with(|settings| {
        settings.dns_nameservers =
            vec!["a.ns.example.org".to_owned(), "b.ns.example.org".to_owned()];
        settings.dns_hostmaster = "dns-admin.example.org".to_owned();
    })
    .await;
    let dns = app.tcp().await;

    let soa = dns.ask(ALICE_ZONE, RecordType::SOA).await;
    let ns = dns.ask(ALICE_ZONE, RecordType::NS).await;

    assert_eq!(soa.response_code, ResponseCode::NoError);
    let RData::SOA(record) = &soa.answers[0].data else {
        panic!("a SOA answer: {:?}", soa.answers);
    };
    assert_eq!(record.mname.to_string(), "a.ns.example.org.");
    assert_eq!(record.rname.to_string(), "dns-admin.example.org.");
    let started = ptrdesk::clock::now() as u32 - 3600;
    assert!(record.serial > started, "a new zone starts at the clock");
    let mut servers: Vec<String> = ns
        .answers
        .iter()
        .filter_map(|record| match &record.data {
            RData::NS(server) => Some(server.0.to_string()),
            _ => None,
        })
        .collect();
    servers.sort();
    assert_eq!(servers, ["a.ns.example.org.", "b.ns.example.org."]);
}

#[tokio::test]
async fn a_name_in_a_served_zone_without_records_is_nxdomain_with_the_soa() {
    let app = spawn_dns_app().await;
    let dns = app.udp();

    // 203.0.113.1 is in alice's zone but assigned to no one.
    let missing = dns.ask("1.113.0.203.in-addr.arpa", RecordType::PTR).await;
    let no_such_label = dns.ask("x.113.0.203.in-addr.arpa", RecordType::PTR).await;

    for response in [&missing, &no_such_label] {
        assert_eq!(response.response_code, ResponseCode::NXDomain);
        assert!(response.answers.is_empty());
        assert!(
            soa_serial(&response.authorities).is_some(),
            "the SOA is in the authority section: {:?}",
            response.authorities
        );
        assert!(response.authoritative);
    }
}

#[tokio::test]
async fn a_name_with_a_ptr_asked_for_another_type_is_nodata() {
    let app = spawn_dns_app().await;
    let dns = app.udp();

    let response = dns.ask("45.113.0.203.in-addr.arpa", RecordType::TXT).await;
    let apex_ptr = dns.ask(ALICE_ZONE, RecordType::PTR).await;

    for response in [response, apex_ptr] {
        assert_eq!(response.response_code, ResponseCode::NoError);
        assert!(response.answers.is_empty());
        assert!(soa_serial(&response.authorities).is_some());
    }
}

#[tokio::test]
async fn names_outside_the_served_zones_are_refused() {
    let app = spawn_dns_app().await;
    let dns = app.tcp().await;

    for name in [
        "10.2.0.192.in-addr.arpa",
        "113.0.203.in-addr.arpa.example.net",
        "0.203.in-addr.arpa",
        "www.example.net",
    ] {
        let response = dns.ask(name, RecordType::PTR).await;
        assert_eq!(response.response_code, ResponseCode::Refused, "{name}");
        assert!(response.answers.is_empty());
    }
}

#[tokio::test]
async fn an_assignment_larger_than_the_zone_cut_is_served_in_each_of_its_zones() {
    let app = spawn_dns_app().await;
    app.import("customer_number,customer_name,server,network\nK1,Alice Hosting GmbH,alice-big,10.20.0.0/23\n")
        .await;
    let dns = app.udp();

    for zone in ["0.20.10.in-addr.arpa", "1.20.10.in-addr.arpa"] {
        assert!(dns.serial(zone).await > 0, "{zone} is served");
    }
    assert_eq!(
        dns.ptr("10.20.1.255").await.1,
        ["static.255.1.20.10.clients.example.net"]
    );
    let outside = dns.ask("2.20.10.in-addr.arpa", RecordType::SOA).await;
    assert_eq!(outside.response_code, ResponseCode::Refused);
}

#[tokio::test]
async fn the_serial_grows_with_every_published_change_and_only_then() {
    let app = spawn_dns_app().await;
    let alice = app.signed_in(ALICE).await;
    let dns = app.udp();
    let first = dns.serial(ALICE_SUBNET_ZONE).await;
    let other_zone = dns.serial(ALICE_ZONE).await;

    alice.save("198.51.100.17", "node1.alice-hosting.net").await;
    let second = dns.serial(ALICE_SUBNET_ZONE).await;
    alice.save("198.51.100.18", "node2.alice-hosting.net").await;
    let third = dns.serial(ALICE_SUBNET_ZONE).await;
    // A name that carries its own address is rejected: nothing is published.
    alice
        .save("198.51.100.19", "198-51-100-19.alice-hosting.net")
        .await;
    let after_rejection = dns.serial(ALICE_SUBNET_ZONE).await;

    assert!(second > first, "{second} > {first}");
    assert!(third > second, "{third} > {second}");
    assert_eq!(app.stored_ptr("198.51.100.19").await, None, "rejected");
    assert_eq!(after_rejection, third);
    assert_eq!(
        dns.serial(ALICE_ZONE).await,
        other_zone,
        "another zone's serial stands still"
    );
}

#[tokio::test]
async fn the_serial_keeps_growing_across_a_restart() {
    let app = spawn_dns_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.save("198.51.100.17", "node1.alice-hosting.net").await;
    let before = app.udp().serial(ALICE_SUBNET_ZONE).await;

    let restarted = app.restart().await;
    let after_restart = restarted.udp().serial(ALICE_SUBNET_ZONE).await;
    let alice_again = restarted.signed_in(ALICE).await;
    alice_again
        .save("198.51.100.17", "node-one.alice-hosting.net")
        .await;
    let after_change = restarted.udp().serial(ALICE_SUBNET_ZONE).await;

    assert_eq!(after_restart, before, "a restart alone changes nothing");
    assert!(after_change > before, "{after_change} > {before}");
    assert_eq!(
        restarted.udp().ptr("198.51.100.17").await.1,
        ["node-one.alice-hosting.net"]
    );
}

#[tokio::test]
async fn two_nodes_publishing_in_one_zone_at_once_allocate_two_serials() {
    let node_a = spawn_dns_app().await;
    let node_b = node_a.restart().await;
    let before = node_a.udp().serial(ALICE_SUBNET_ZONE).await;
    let alice_on_a = node_a.signed_in(ALICE).await;
    let alice_on_b = alice_on_a.towards(&node_b.address);

    let (one, other) = tokio::join!(
        alice_on_a.save("198.51.100.17", "node1.alice-hosting.net"),
        alice_on_b.save("198.51.100.18", "node2.alice-hosting.net"),
    );

    assert_eq!(one.status, StatusCode::SEE_OTHER, "{}", one.body);
    assert_eq!(other.status, StatusCode::SEE_OTHER, "{}", other.body);
    // Each node serves its own save at once; the other follows within a second.
    let followed = wait_until(
        Duration::from_secs(1),
        "both nodes serve both saves",
        || async {
            node_a.udp().serial(ALICE_SUBNET_ZONE).await >= before + 2
                && node_b.udp().serial(ALICE_SUBNET_ZONE).await
                    == node_a.udp().serial(ALICE_SUBNET_ZONE).await
        },
    )
    .await;
    let after = node_b.udp().serial(ALICE_SUBNET_ZONE).await;
    assert!(
        after >= before + 2,
        "each change got its own serial: {before} → {after} (followed in {followed:?})"
    );
    assert_eq!(node_a.udp().serial(ALICE_SUBNET_ZONE).await, after);
}

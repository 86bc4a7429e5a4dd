//! Delegation to a customer's own name servers (issue 16): an admin allows it per assignment;
//! the customer names their servers, which ptrdesk asks live (each must answer
//! authoritatively for the zone, with one serial); ptrdesk then publishes the cut — RFC 2317
//! for a classless IPv4 block (a child zone with NS, a CNAME per address), NS at the block's
//! own name for an IPv6 prefix — and the block's PTRs are no longer edited in ptrdesk until
//! the delegation ends. Real Knot servers stand in for the customer's, on loopback addresses
//! of their own; `dig` confirms the answers from outside.

use crate::helpers::dns_app::*;
use crate::helpers::dns_server::{DnsServer, Zone};
use crate::helpers::knot::{Knot, free_port};
use crate::helpers::*;
use hickory_server::proto::op::ResponseCode;
use hickory_server::proto::rr::{RData, RecordType};
use ptrdesk::config::Settings;
use ptrdesk::domain::CheckMode;
use reqwest::StatusCode;
use std::net::IpAddr;

const CHILD: &str = "16/29.100.51.198.in-addr.arpa";
const V6_CUT: &str = "0.0.0.0.0.1.0.0.8.b.d.0.1.0.0.2.ip6.arpa";

/// The customer's zone as their name servers hold it, at `serial`.
fn child_zone(origin: &str, serial: u32) -> String {
    format!(
        "$ORIGIN {origin}.\n$TTL 300\n\
         @ SOA ns1.alice-ns.net. hostmaster.alice-hosting.net. {serial} 3600 600 1209600 300\n\
         @ NS ns1.alice-ns.net.\n@ NS ns2.alice-ns.net.\n\
         17 PTR own-mx.alice-hosting.net.\n"
    )
}

/// The customer's name servers: one Knot answering for `zone` at `serial` on `port` of
/// 127.0.0.N for each N in `hosts`.
async fn customer_servers(hosts: &[u8], port: u16, zone: &str, serial: u32) -> Knot {
    let addresses: Vec<IpAddr> = hosts
        .iter()
        .map(|n| IpAddr::from([127, 0, 0, *n]))
        .collect();
    Knot::authoritative(&addresses, port, zone, &child_zone(zone, serial), None).await
}

/// What the customer's name server names resolve to: ns1 and ns2 on 127.0.0.2 and .3, ns9
/// on 127.0.0.9 (nothing answers there).
async fn resolver() -> DnsServer {
    DnsServer::serving([Zone::new("alice-ns.net")
        .a("ns1.alice-ns.net", "127.0.0.2")
        .a("ns2.alice-ns.net", "127.0.0.3")
        .a("ns9.alice-ns.net", "127.0.0.9")])
    .await
}

/// A panel serving DNS whose checks ask `resolver` and the customer's servers at `port`.
async fn spawn(resolver: &DnsServer, port: u16) -> DnsApp {
    spawn_publishing(resolver, port, |_| {}).await
}

/// The same, publishing as `publish` says besides.
async fn spawn_publishing(
    resolver: &DnsServer,
    port: u16,
    publish: impl FnOnce(&mut Settings),
) -> DnsApp {
    let address = resolver.address.to_string();
    spawn_dns_app_with(move |settings: &mut Settings| {
        settings.dns_checks = true;
        settings.check_mode = CheckMode::Resolver;
        settings.dns_servers = vec![address];
        settings.authority_port = port;
        settings.dns_secondaries = vec!["127.0.0.1".to_owned()];
        publish(settings);
    })
    .await
}

async fn allow(app: &DnsApp, ip: &str, allowed: &str) -> Reply {
    let admin = app.signed_in(ADMIN).await;
    admin.get("/admin/customers").await;
    let id = app.assignment_id(ALICE_NUMBER, ip).await;
    admin
        .post_form(
            &format!("/admin/assignments/{id}/delegation"),
            &[("allowed", allowed)],
        )
        .await
}

async fn delegate(alice: &TestUser, app: &DnsApp, ip: &str, servers: [&str; 2]) -> Reply {
    let id = app.assignment_id(ALICE_NUMBER, ip).await.to_string();
    alice
        .post_form(
            "/delegation",
            &[
                ("assignment", &id),
                ("ns1", servers[0]),
                ("ns2", servers[1]),
            ],
        )
        .await
}

/// `dig` from outside: the answer's text.
async fn dig(server: std::net::SocketAddr, name: &str, rtype: &str) -> String {
    let mut command = std::process::Command::new("dig");
    command.args([
        &format!("@{}", server.ip()),
        "-p",
        &server.port().to_string(),
        "+norecurse",
        "+time=2",
        "+tries=1",
        name,
        rtype,
    ]);
    let output = tokio::task::spawn_blocking(move || command.output().expect("dig runs"))
        .await
        .expect("dig ends");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn audit_actions(app: &DnsApp) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM audit WHERE action LIKE '%delegation%' ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .expect("the audit log answers")
}

#[tokio::test]
async fn a_classless_block_is_delegated_with_rfc_2317_cnames_once_the_name_servers_answer() {
    let port = free_port();
    let loopback = |last: u8| IpAddr::from([127, 0, 0, last]);
    let knot = customer_servers(&[2, 3], port, CHILD, 7).await;
    let resolver = resolver().await;
    let app = spawn(&resolver, port).await;
    let alice = app.signed_in(ALICE).await;

    let before = delegate(
        &alice,
        &app,
        "198.51.100.17",
        ["ns1.alice-ns.net", "ns2.alice-ns.net"],
    )
    .await;
    assert_eq!(before.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        before.body.contains("not enabled for this assignment"),
        "{}",
        before.body
    );
    assert!(
        !alice
            .get("/ips")
            .await
            .body
            .contains("Your own name servers")
    );

    let allowed = allow(&app, "198.51.100.17", "yes").await;
    assert_eq!(allowed.status, StatusCode::SEE_OTHER, "{}", allowed.body);
    let page = alice.get("/ips").await.body;
    assert!(
        page.contains(&format!("Serve the zone <code>{CHILD}</code>")),
        "{page}"
    );

    let delegated = delegate(
        &alice,
        &app,
        "198.51.100.17",
        ["ns1.alice-ns.net", "ns2.alice-ns.net"],
    )
    .await;

    assert_eq!(
        delegated.status,
        StatusCode::SEE_OTHER,
        "{}{}",
        delegated.body,
        knot.log()
    );
    let page = alice.get("/ips").await.body;
    assert!(
        page.contains("Delegated to <strong>ns1.alice-ns.net, ns2.alice-ns.net</strong>"),
        "{page}"
    );
    assert!(!page.contains("name=\"hostname\" value=\"\" data-ip=\"198.51.100.17\""));
    let asked = app
        .udp()
        .ask("17.100.51.198.in-addr.arpa", RecordType::PTR)
        .await;
    assert_eq!(asked.response_code, ResponseCode::NoError);
    let cnames: Vec<_> = asked
        .answers
        .iter()
        .filter_map(|record| match &record.data {
            RData::CNAME(target) => Some(target.0.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(cnames, [dns_name(&format!("17.{CHILD}"))]);
    let referral = app.udp().ask(&format!("17.{CHILD}"), RecordType::PTR).await;
    assert!(
        !referral.metadata.authoritative,
        "a referral is not authoritative"
    );
    assert!(referral.answers.is_empty());
    let ns: Vec<String> = referral
        .authorities
        .iter()
        .filter_map(|record| match &record.data {
            RData::NS(ns) => Some(ns.0.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(ns, ["ns1.alice-ns.net.", "ns2.alice-ns.net."]);
    let outside = dig(app.dns, "17.100.51.198.in-addr.arpa", "PTR").await;
    assert!(
        outside.contains(&format!("CNAME\t17.{CHILD}.")),
        "{outside}"
    );
    let theirs = dig(knot.address, &format!("17.{CHILD}"), "PTR").await;
    assert!(
        theirs.contains("PTR\town-mx.alice-hosting.net."),
        "{theirs}"
    );

    let transferred = Asker::tcp(app.dns, Some(loopback(1)), None)
        .await
        .axfr("100.51.198.in-addr.arpa")
        .await
        .expect("the zone transfers");
    let ptr_owners: Vec<String> = transferred
        .iter()
        .filter(|record| record.record_type() == RecordType::PTR)
        .map(|record| record.name.to_string())
        .collect();
    assert!(
        ptr_owners.is_empty(),
        "the block's PTRs are the customer's: {ptr_owners:?}"
    );
    let cname_count = transferred
        .iter()
        .filter(|record| record.record_type() == RecordType::CNAME)
        .count();
    assert_eq!(cname_count, 8, "one CNAME per address of the /29");

    let save = alice
        .post_form(
            "/ptr/save",
            &[
                ("ip", "198.51.100.17"),
                ("hostname", "mail.alice-hosting.net"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(
        save.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        save.body
    );
    assert!(
        save.body
            .contains("delegated to ns1.alice-ns.net, ns2.alice-ns.net"),
        "{}",
        save.body
    );

    let api = app.api_client(ALICE_NUMBER).await;
    let native =
        crate::helpers::api_client::set_ptr(&api, "198.51.100.18", "mail.alice-hosting.net", None)
            .await;
    assert_eq!(native.status, StatusCode::CONFLICT, "{}", native.body);
    assert_eq!(native.error_code(), "DELEGATED");
    let robot = api.delete_ptr("198.51.100.18").await;
    assert_eq!(robot.status, StatusCode::CONFLICT, "{}", robot.body);
    assert!(
        robot.body.contains("delegated to ns1.alice-ns.net"),
        "{}",
        robot.body
    );

    let ended = alice
        .post_form(
            "/delegation/end",
            &[(
                "assignment",
                &app.assignment_id(ALICE_NUMBER, "198.51.100.17")
                    .await
                    .to_string(),
            )],
        )
        .await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.udp().ptr("198.51.100.17").await.1,
        ["static.17.100.51.198.clients.example.net"],
        "ptrdesk serves the block's PTRs again"
    );
    assert_eq!(
        audit_actions(&app).await,
        [
            "assignment.delegation.allow",
            "delegation.set",
            "delegation.end"
        ]
    );
}

#[tokio::test]
async fn name_servers_that_do_not_answer_or_disagree_are_refused_with_findings_and_nothing_changes()
{
    let port = free_port();
    let knot_2 = customer_servers(&[2], port, CHILD, 7).await;
    let knot_3 = customer_servers(&[3], port, CHILD, 8).await;
    let resolver = resolver().await;
    let app = spawn(&resolver, port).await;
    allow(&app, "198.51.100.17", "yes").await;
    let alice = app.signed_in(ALICE).await;

    let silent = delegate(
        &alice,
        &app,
        "198.51.100.17",
        ["ns1.alice-ns.net", "ns9.alice-ns.net"],
    )
    .await;

    assert_eq!(silent.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        silent.body.contains(
            "ns9.alice-ns.net (127.0.0.9) does not answer for 16/29.100.51.198.in-addr.arpa"
        ),
        "{}",
        silent.body
    );
    assert!(
        silent.body.contains("value=\"ns9.alice-ns.net\""),
        "the typed names are kept"
    );

    let disagreeing = delegate(
        &alice,
        &app,
        "198.51.100.17",
        ["ns1.alice-ns.net", "ns2.alice-ns.net"],
    )
    .await;

    assert_eq!(disagreeing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        disagreeing.body.contains("different versions"),
        "{}{}{}",
        disagreeing.body,
        knot_2.log(),
        knot_3.log()
    );
    assert!(
        disagreeing.body.contains("serials 7, 8"),
        "{}",
        disagreeing.body
    );
    assert_eq!(
        app.udp().ptr("198.51.100.17").await.1,
        ["static.17.100.51.198.clients.example.net"],
        "nothing was delegated"
    );
    assert_eq!(audit_actions(&app).await, ["assignment.delegation.allow"]);
}

#[tokio::test]
async fn an_ipv6_prefix_is_delegated_with_ns_at_its_own_name_and_an_admin_can_end_it() {
    let port = free_port();
    let _knot = customer_servers(&[2, 3], port, V6_CUT, 3).await;
    let resolver = resolver().await;
    let app = spawn(&resolver, port).await;
    allow(&app, "2001:db8:10::1", "yes").await;
    let alice = app.signed_in(ALICE).await;

    let delegated = delegate(
        &alice,
        &app,
        "2001:db8:10::1",
        ["ns1.alice-ns.net", "ns2.alice-ns.net"],
    )
    .await;

    assert_eq!(
        delegated.status,
        StatusCode::SEE_OTHER,
        "{}",
        delegated.body
    );
    let name = format!("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.{V6_CUT}");
    let referral = app.udp().ask(&name, RecordType::PTR).await;
    assert!(!referral.metadata.authoritative);
    assert_eq!(referral.authorities.len(), 2, "{referral:?}");
    assert!(dig(app.dns, &name, "PTR").await.contains("AUTHORITY: 2"));

    let forbidden = allow(&app, "2001:db8:10::1", "no").await;

    assert_eq!(forbidden.status, StatusCode::SEE_OTHER);
    let served = app.udp().ask(&name, RecordType::PTR).await;
    assert!(
        served.metadata.authoritative,
        "ptrdesk answers for the prefix again"
    );
    assert_eq!(
        audit_actions(&app).await,
        [
            "assignment.delegation.allow",
            "delegation.set",
            "assignment.delegation.forbid",
            "delegation.end"
        ]
    );
}

#[tokio::test]
async fn an_admin_cannot_allow_delegating_a_whole_zone() {
    let app = spawn_dns_app().await;
    app.import("customer_number,customer_name,server,network\nK1,Alice Hosting GmbH,alice-rack,192.0.2.0/24\n")
        .await;

    let refused = allow(&app, "192.0.2.1", "yes").await;

    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("192.0.2.0/24 is a whole reverse zone"),
        "{}",
        refused.body
    );
    assert_eq!(audit_actions(&app).await, Vec::<String>::new());
}

/// A classless delegation pushed into a publishing backend answering at `backend`: the CNAME
/// of each address and the child zone's NS, removed again when the delegation ends.
async fn delegation_through_a_backend(backend: std::net::SocketAddr, app: &DnsApp) {
    allow(app, "198.51.100.17", "yes").await;
    let alice = app.signed_in(ALICE).await;
    let delegated = delegate(
        &alice,
        app,
        "198.51.100.17",
        ["ns1.alice-ns.net", "ns2.alice-ns.net"],
    )
    .await;
    assert_eq!(
        delegated.status,
        StatusCode::SEE_OTHER,
        "{}",
        delegated.body
    );

    let within = std::time::Duration::from_secs(20);
    wait_until(within, "the backend answers the CNAME", || async {
        dig(backend, "17.100.51.198.in-addr.arpa", "PTR")
            .await
            .contains(&format!("CNAME\t17.{CHILD}."))
    })
    .await;
    let referral = dig(backend, &format!("17.{CHILD}"), "PTR").await;
    assert!(referral.contains("NS\tns1.alice-ns.net."), "{referral}");

    let id = app
        .assignment_id(ALICE_NUMBER, "198.51.100.17")
        .await
        .to_string();
    alice
        .post_form("/delegation/end", &[("assignment", &id)])
        .await;

    wait_until(within, "the backend answers the PTR again", || async {
        dig(backend, "17.100.51.198.in-addr.arpa", "PTR")
            .await
            .contains("PTR\tstatic.17.100.51.198.clients.example.net.")
    })
    .await;
    let gone = dig(backend, &format!("17.{CHILD}"), "PTR").await;
    assert!(!gone.contains("ns1.alice-ns.net"), "{gone}");
}

#[tokio::test]
async fn a_delegation_reaches_powerdns_and_its_end_removes_it() {
    let port = free_port();
    let _knot = customer_servers(&[2, 3], port, CHILD, 7).await;
    let resolver = resolver().await;
    let pdns = crate::helpers::backends::PowerDns::start().await;
    let app = spawn_publishing(&resolver, port, |settings| {
        settings.publish = ptrdesk::config::PublishMode::PowerDns;
        settings.powerdns_api_url = Some(pdns.api_url.clone());
        settings.powerdns_api_key = Some(secrecy::SecretString::from(pdns.api_key));
        settings.powerdns_dns_server = Some(pdns.dns.to_string());
        settings.outbox_poll_ms = 50;
    })
    .await;

    delegation_through_a_backend(pdns.dns, &app).await;
}

#[tokio::test]
async fn a_delegation_reaches_bind_as_updates_and_its_end_removes_it() {
    const KEY: crate::helpers::knot::SharedKey = crate::helpers::knot::SharedKey {
        name: "ptrdesk-update",
        secret: "c2VjcmV0LWZvci1keW5hbWljLXVwZGF0ZXMtMTIzNDU=",
    };
    let port = free_port();
    let _knot = customer_servers(&[2, 3], port, CHILD, 7).await;
    let resolver = resolver().await;
    let bind = crate::helpers::backends::Bind::primary_for(&["100.51.198.in-addr.arpa"], KEY).await;
    let app = spawn_publishing(&resolver, port, |settings| {
        settings.publish = ptrdesk::config::PublishMode::Rfc2136;
        settings.rfc2136_server = Some(bind.address.to_string());
        settings.rfc2136_tsig_key = Some(secrecy::SecretString::from(KEY.setting()));
        settings.outbox_poll_ms = 50;
    })
    .await;

    delegation_through_a_backend(bind.address, &app).await;
}

//! The catalog zone (RFC 9432, issue 16): every reverse zone ptrdesk serves is a member of one
//! zone the secondaries transfer; a zone that joins or leaves moves the catalog's serial and
//! is announced by NOTIFY, so a Knot secondary configured once with the catalog serves a
//! newly imported /24 without any change to its configuration.

use crate::helpers::dns_app::*;
use crate::helpers::knot::{Knot, XFR_KEY, free_port};
use hickory_server::proto::op::ResponseCode;
use hickory_server::proto::rr::{RData, Record, RecordType};
use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

const CATALOG: &str = "catalog.ptrdesk.invalid";
const ALICE_ZONE: &str = "113.0.203.in-addr.arpa";
/// The zone of the /24 the tests import as a new customer's.
const NEW_ZONE: &str = "2.0.192.in-addr.arpa";
const NEW_ASSIGNMENT: &str = "customer_number,customer_name,server,network\n\
                              K7,Carol Cloud,carol-rack,192.0.2.0/24\n";

async fn spawn_with_catalog() -> DnsApp {
    spawn_dns_app_with(|settings| {
        settings.catalog_zone = Some(CATALOG.to_owned());
        settings.dns_secondaries = vec!["127.0.0.1".to_owned()];
    })
    .await
}

/// The catalog as a secondary transfers it.
async fn transfer(app: &DnsApp) -> Vec<Record> {
    Asker::tcp(app.dns, Some(IpAddr::V4(Ipv4Addr::LOCALHOST)), None)
        .await
        .axfr(CATALOG)
        .await
        .expect("the catalog is transferred to a secondary")
}

/// The member zones a transferred catalog lists (without the final dot).
fn members(records: &[Record]) -> BTreeSet<String> {
    records
        .iter()
        .filter_map(|record| match &record.data {
            RData::PTR(zone)
                if record
                    .name
                    .to_string()
                    .ends_with(&format!(".zones.{CATALOG}.")) =>
            {
                Some(zone.0.to_string().trim_end_matches('.').to_owned())
            }
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn the_catalog_lists_every_served_zone_in_schema_version_2() {
    let app = spawn_with_catalog().await;

    let records = transfer(&app).await;

    let listed = members(&records);
    assert!(listed.contains(ALICE_ZONE), "{listed:?}");
    assert!(listed.contains("100.51.198.in-addr.arpa"), "{listed:?}");
    assert!(
        listed.iter().any(|zone| zone.ends_with(".ip6.arpa")),
        "the IPv6 zones are members too: {listed:?}"
    );
    let version: Vec<String> = records
        .iter()
        .filter(|record| record.name.to_string() == format!("version.{CATALOG}."))
        .filter_map(|record| match &record.data {
            RData::TXT(txt) => Some(txt.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(version, ["2"], "RFC 9432 schema version");
    let ns: Vec<String> = records
        .iter()
        .filter_map(|record| match &record.data {
            RData::NS(ns) => Some(ns.0.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(ns, ["invalid."], "the catalog's NS points nowhere");
    let serial = app.udp().serial(CATALOG).await;
    assert_eq!(soa_serial(&records), Some(serial));

    let answered = app
        .udp()
        .ask(&format!("nothing.{CATALOG}"), RecordType::TXT)
        .await;
    assert_eq!(answered.response_code, ResponseCode::NXDomain);
    let empty_nonterminal = app
        .udp()
        .ask(&format!("zones.{CATALOG}"), RecordType::TXT)
        .await;
    assert_eq!(empty_nonterminal.response_code, ResponseCode::NoError);
    assert!(empty_nonterminal.answers.is_empty());
}

#[tokio::test]
async fn a_zone_that_joins_or_leaves_moves_the_catalog_serial_and_keeps_the_other_members_ids() {
    let app = spawn_with_catalog().await;
    let before = transfer(&app).await;
    let serial = soa_serial(&before).expect("a SOA");

    app.import(NEW_ASSIGNMENT).await;

    let after = transfer(&app).await;
    let moved = soa_serial(&after).expect("a SOA");
    assert!(moved > serial, "the serial moved: {serial} → {moved}");
    let (listed_before, listed_after) = (members(&before), members(&after));
    assert!(!listed_before.contains(NEW_ZONE));
    assert!(listed_after.contains(NEW_ZONE), "{listed_after:?}");
    let owner_of = |records: &[Record], zone: &str| {
        records
            .iter()
            .find(|record| matches!(&record.data, RData::PTR(ptr) if ptr.0.to_string() == format!("{zone}.")))
            .map(|record| record.name.to_string())
    };
    assert_eq!(
        owner_of(&before, ALICE_ZONE),
        owner_of(&after, ALICE_ZONE),
        "a member keeps its unique id"
    );

    // The assignment goes away and the zone sync retires its zone: it leaves the catalog.
    sqlx::query("DELETE FROM assignments WHERE network = '192.0.2.0/24'")
        .execute(&app.db.pool)
        .await
        .expect("the assignment is removed");
    let publishing = ptrdesk::dns::Publishing::from_settings(&ptrdesk::config::Settings::default())
        .expect("the default settings publish");
    ptrdesk::dns::sync::sync_all(&app.db, &publishing, ptrdesk::clock::now())
        .await
        .expect("the zone sync runs");

    let retired = transfer(&app).await;
    assert!(soa_serial(&retired).expect("a SOA") > moved);
    assert!(!members(&retired).contains(NEW_ZONE));
    assert_eq!(members(&retired), listed_before);
}

#[tokio::test]
async fn a_catalog_is_transferred_only_to_a_secondary_with_the_key() {
    let app = spawn_dns_app_with(|settings| {
        settings.catalog_zone = Some(CATALOG.to_owned());
        settings.dns_secondaries = vec!["127.0.0.1".to_owned()];
        settings.dns_tsig_key = Some(XFR_KEY.setting().into());
    })
    .await;

    let unsigned = Asker::tcp(app.dns, Some(IpAddr::V4(Ipv4Addr::LOCALHOST)), None)
        .await
        .axfr(CATALOG)
        .await;

    assert!(unsigned.is_err(), "{unsigned:?}");
}

#[test]
fn a_catalog_inside_the_reverse_tree_is_refused_with_a_reason() {
    let settings = ptrdesk::config::Settings {
        catalog_zone: Some("catalog.in-addr.arpa".to_owned()),
        ..ptrdesk::config::Settings::default()
    };

    let refused = ptrdesk::dns::Publishing::from_settings(&settings)
        .expect_err("the catalog may not live among the reverse zones");

    assert!(refused.to_string().contains("catalog_zone"), "{refused}");
}

#[tokio::test]
async fn knot_interpreting_the_catalog_serves_a_newly_imported_zone_without_a_configuration_change()
{
    let knot_port = free_port();
    let app = spawn_dns_app_with(|settings| {
        settings.catalog_zone = Some(CATALOG.to_owned());
        settings.dns_secondaries = vec![format!("127.0.0.1:{knot_port}")];
        settings.dns_tsig_key = Some(XFR_KEY.setting().into());
    })
    .await;
    let knot = Knot::catalog_consumer_of(app.dns, knot_port, CATALOG, Some(XFR_KEY)).await;
    let secondary = knot.udp();
    wait_until(
        Duration::from_secs(20),
        "Knot serves a zone it learnt from the catalog",
        || async {
            secondary.ptr("203.0.113.45").await.1 == ["static.45.113.0.203.clients.example.net"]
        },
    )
    .await;
    let unknown = secondary.ask(NEW_ZONE, RecordType::SOA).await;
    assert_eq!(
        unknown.response_code,
        ResponseCode::Refused,
        "not yet a zone of Knot's"
    );

    let started = Instant::now();
    app.import(NEW_ASSIGNMENT).await;
    wait_until(
        Duration::from_secs(20),
        "Knot serves the newly imported /24",
        || async {
            secondary.ptr("192.0.2.10").await.1 == ["static.10.2.0.192.clients.example.net"]
        },
    )
    .await;

    println!("import → Knot serves the new zone: {:?}", started.elapsed());
    assert_eq!(
        secondary.serial(NEW_ZONE).await,
        app.udp().serial(NEW_ZONE).await,
        "{}",
        knot.log()
    );
}

//! `domain-exists`, `forward-confirmed` and the TLD look-up against real DNS servers started by
//! each test on 127.0.0.1: hickory-server with test zones, servers that answer SERVFAIL or
//! REFUSED, and one that never answers.

use crate::helpers::dns_server::{DnsServer, QUESTION_TIMEOUT, Zone};
use ptrdesk::domain::Hostname;
use ptrdesk::domain::finding::{Finding, FindingId, Severity};
use std::net::IpAddr;
use std::time::Instant;

fn host(name: &str) -> Hostname {
    Hostname::parse(name).expect("a valid test hostname")
}

fn ip(address: &str) -> IpAddr {
    address.parse().expect("a test address")
}

/// `example.com` with the names most tests ask about.
fn example_com() -> Zone {
    Zone::new("example.com")
        .a("mail.example.com", "203.0.113.45")
        .a("pool.example.com", "198.51.100.7")
        .a("pool.example.com", "203.0.113.45")
        .a("pool.example.com", "198.51.100.9")
        .a("wrong.example.com", "198.51.100.7")
        .aaaa("v6only.example.com", "2001:db8:10::25")
}

async fn forward(dns: &DnsServer, hostname: &str, address: &str) -> Finding {
    dns.checker()
        .forward_confirmed(&host(hostname), ip(address))
        .await
}

fn assert_finding(finding: &Finding, severity: Severity, message: &str) {
    assert_eq!(
        (finding.severity, finding.message.as_str()),
        (severity, message),
        "{finding:#?}"
    );
}

#[tokio::test]
async fn a_name_whose_a_record_is_the_ip_is_forward_confirmed() {
    let dns = DnsServer::serving([example_com()]).await;

    let finding = forward(&dns, "mail.example.com", "203.0.113.45").await;

    assert_eq!(finding.id, FindingId::ForwardConfirmed);
    assert_finding(
        &finding,
        Severity::Info,
        "mail.example.com has A 203.0.113.45.",
    );
    assert_eq!(
        finding.details,
        [
            format!("asked {}", dns.address),
            "mail.example.com A 203.0.113.45".to_owned()
        ]
    );
}

#[tokio::test]
async fn one_matching_address_among_several_is_enough() {
    let dns = DnsServer::serving([example_com()]).await;

    let finding = forward(&dns, "pool.example.com", "203.0.113.45").await;

    assert_finding(
        &finding,
        Severity::Info,
        "pool.example.com has A 203.0.113.45.",
    );
    assert_eq!(
        finding.details.len(),
        4,
        "the server and all three A records: {finding:#?}"
    );
}

#[tokio::test]
async fn a_name_pointing_elsewhere_is_an_error_that_says_what_it_points_to() {
    let dns = DnsServer::serving([example_com()]).await;

    let finding = forward(&dns, "wrong.example.com", "203.0.113.45").await;

    assert_finding(
        &finding,
        Severity::Error,
        "wrong.example.com has A 198.51.100.7, not 203.0.113.45.",
    );
    assert!(finding.details.contains(&format!("asked {}", dns.address)));
}

#[tokio::test]
async fn a_name_that_does_not_exist_is_an_error_saying_nxdomain() {
    let dns = DnsServer::serving([example_com()]).await;

    let finding = forward(&dns, "typo.example.com", "203.0.113.45").await;

    assert_finding(
        &finding,
        Severity::Error,
        "typo.example.com does not exist in DNS (NXDOMAIN).",
    );
}

#[tokio::test]
async fn a_name_without_an_address_of_the_family_asked_is_an_error_saying_so() {
    let dns = DnsServer::serving([example_com()]).await;

    let finding = forward(&dns, "v6only.example.com", "203.0.113.45").await;

    assert_finding(
        &finding,
        Severity::Error,
        "v6only.example.com has no A record; add A 203.0.113.45.",
    );
}

#[tokio::test]
async fn an_ipv6_address_written_another_way_still_matches_its_aaaa_record() {
    let dns = DnsServer::serving([example_com()]).await;

    let finding = forward(
        &dns,
        "v6only.example.com",
        "2001:0DB8:0010:0000:0000:0000:0000:0025",
    )
    .await;

    assert_finding(
        &finding,
        Severity::Info,
        "v6only.example.com has AAAA 2001:db8:10::25.",
    );
}

#[tokio::test]
async fn a_cname_to_a_name_with_the_right_address_passes_and_names_the_alias() {
    let zone = example_com().cname("www.example.com", "mail.example.com");
    let dns = DnsServer::serving([zone]).await;

    let finding = forward(&dns, "www.example.com", "203.0.113.45").await;

    assert_finding(
        &finding,
        Severity::Info,
        "www.example.com has A 203.0.113.45 (through CNAME mail.example.com).",
    );
    assert!(
        finding
            .details
            .contains(&"www.example.com CNAME mail.example.com".to_owned()),
        "{finding:#?}"
    );
}

#[tokio::test]
async fn a_cname_into_another_zone_is_followed_there() {
    let alias = example_com().cname("www.example.com", "web.example.net");
    let target = Zone::new("example.net").a("web.example.net", "198.51.100.7");
    let dns = DnsServer::serving([alias, target]).await;

    let finding = forward(&dns, "www.example.com", "203.0.113.45").await;

    assert_finding(
        &finding,
        Severity::Error,
        "www.example.com (through CNAME web.example.net) has A 198.51.100.7, not 203.0.113.45.",
    );
}

#[tokio::test]
async fn a_cname_to_a_name_that_does_not_exist_is_an_error_naming_the_missing_name() {
    let zone = example_com().cname("www.example.com", "gone.example.com");
    let dns = DnsServer::serving([zone]).await;

    let finding = forward(&dns, "www.example.com", "203.0.113.45").await;

    assert_finding(
        &finding,
        Severity::Error,
        "www.example.com is an alias (www.example.com → gone.example.com), but gone.example.com \
         does not exist in DNS (NXDOMAIN).",
    );
}

#[tokio::test]
async fn a_cname_loop_is_an_error_naming_the_loop() {
    let zone = example_com()
        .cname("a.example.com", "b.example.com")
        .cname("b.example.com", "c.example.com")
        .cname("c.example.com", "a.example.com");
    let dns = DnsServer::serving([zone]).await;

    let finding = forward(&dns, "a.example.com", "203.0.113.45").await;

    assert_finding(
        &finding,
        Severity::Error,
        "a.example.com has a CNAME loop: a.example.com → b.example.com → c.example.com → a.example.com.",
    );
}

/// `c0.example.com CNAME c1.example.com`, … up to `c{length}`, which has the A record.
fn cname_chain(length: usize) -> Zone {
    let mut zone = Zone::new("example.com").a(&format!("c{length}.example.com"), "203.0.113.45");
    for link in 0..length {
        let (owner, target) = (
            format!("c{link}.example.com"),
            format!("c{}.example.com", link + 1),
        );
        zone = zone.cname(&owner, &target);
    }
    zone
}

#[tokio::test]
async fn a_chain_of_eight_cnames_is_followed_to_its_end() {
    let dns = DnsServer::serving([cname_chain(8)]).await;

    let finding = forward(&dns, "c0.example.com", "203.0.113.45").await;

    assert_eq!(finding.severity, Severity::Info, "{finding:#?}");
    assert!(
        finding.message.ends_with("→ c8.example.com)."),
        "{finding:#?}"
    );
}

#[tokio::test]
async fn a_chain_of_nine_cnames_is_an_error_naming_the_chain() {
    let dns = DnsServer::serving([cname_chain(9)]).await;

    let finding = forward(&dns, "c0.example.com", "203.0.113.45").await;

    assert_finding(
        &finding,
        Severity::Error,
        "c0.example.com has a CNAME chain longer than 8: c0.example.com → c1.example.com → \
         c2.example.com → c3.example.com → c4.example.com → c5.example.com → c6.example.com → \
         c7.example.com → c8.example.com → c9.example.com …",
    );
}

#[tokio::test]
async fn a_servfail_leaves_the_forward_check_unverified_with_the_reason() {
    let dns = DnsServer::answering(hickory_server::proto::op::ResponseCode::ServFail).await;

    let finding = forward(&dns, "mail.example.com", "203.0.113.45").await;

    let expected = format!(
        "mail.example.com could not be resolved to check 203.0.113.45: {} answered SERVFAIL \
         (server failure).",
        dns.address
    );
    assert_finding(&finding, Severity::Unverified, &expected);
}

#[tokio::test]
async fn a_refused_question_leaves_both_checks_unverified_with_the_reason() {
    let dns = DnsServer::answering(hickory_server::proto::op::ResponseCode::Refused).await;
    let checker = dns.checker();

    let forward = checker
        .forward_confirmed(&host("mail.example.com"), ip("203.0.113.45"))
        .await;
    let exists = checker.domain_exists("example.com").await;

    let reason = format!("{} answered REFUSED.", dns.address);
    assert_eq!(forward.severity, Severity::Unverified, "{forward:#?}");
    assert!(forward.message.ends_with(&reason), "{forward:#?}");
    assert_finding(
        &exists,
        Severity::Unverified,
        &format!("Whether example.com exists could not be checked: {reason}"),
    );
}

#[tokio::test]
async fn a_server_that_never_answers_leaves_the_checks_unverified_within_the_deadline() {
    let dns = DnsServer::silent().await;
    let checker = dns.checker();

    let started = Instant::now();
    let forward = checker
        .forward_confirmed(&host("mail.example.com"), ip("203.0.113.45"))
        .await;
    let forward_took = started.elapsed();
    let started = Instant::now();
    let exists = checker.domain_exists("example.com").await;
    let exists_took = started.elapsed();

    let reason = format!("no answer from {} within 1 s.", dns.address);
    assert_finding(
        &forward,
        Severity::Unverified,
        &format!("mail.example.com could not be resolved to check 203.0.113.45: {reason}"),
    );
    assert_finding(
        &exists,
        Severity::Unverified,
        &format!("Whether example.com exists could not be checked: {reason}"),
    );
    for took in [forward_took, exists_took] {
        assert!(took >= QUESTION_TIMEOUT, "gave up early, after {took:?}");
        assert!(
            took < 2 * QUESTION_TIMEOUT,
            "the deadline did not hold: {took:?}"
        );
    }
}

#[tokio::test]
async fn a_domain_with_an_soa_exists_and_the_finding_names_the_server() {
    let dns = DnsServer::serving([Zone::new("com"), example_com()]).await;

    let finding = dns.checker().domain_exists("example.com").await;

    assert_eq!(finding.id, FindingId::DomainExists);
    let expected = format!("example.com exists (SOA found at {}).", dns.address);
    assert_finding(&finding, Severity::Info, &expected);
}

#[tokio::test]
async fn an_invented_domain_is_an_error_saying_nxdomain() {
    let dns = DnsServer::serving([Zone::new("net"), example_com()]).await;

    let finding = dns.checker().domain_exists("example-invented.net").await;

    assert_finding(
        &finding,
        Severity::Error,
        "example-invented.net does not exist in DNS (NXDOMAIN): use a domain you own.",
    );
}

#[tokio::test]
async fn a_name_that_exists_without_an_soa_of_its_own_counts_as_existing() {
    let dns = DnsServer::serving([example_com()]).await;

    let finding = dns.checker().domain_exists("mail.example.com").await;

    assert_eq!(finding.severity, Severity::Info, "{finding:#?}");
    assert!(
        finding.message.starts_with("mail.example.com exists"),
        "{finding:#?}"
    );
}

#[tokio::test]
async fn a_registrable_domain_under_co_uk_is_looked_up_as_a_whole() {
    let zones = [
        Zone::new("uk"),
        Zone::new("co.uk"),
        Zone::new("example.co.uk").a("mail.example.co.uk", "203.0.113.45"),
    ];
    let dns = DnsServer::serving(zones).await;
    let checker = dns.checker();

    let registered = checker.domain_exists("example.co.uk").await;
    let invented = checker.domain_exists("example-invented.co.uk").await;

    let expected = format!("example.co.uk exists (SOA found at {}).", dns.address);
    assert_finding(&registered, Severity::Info, &expected);
    assert_finding(
        &invented,
        Severity::Error,
        "example-invented.co.uk does not exist in DNS (NXDOMAIN): use a domain you own.",
    );
}

#[tokio::test]
async fn a_tld_exists_when_dns_has_its_soa_and_not_when_the_root_says_nxdomain() {
    let dns = DnsServer::serving([Zone::new("."), Zone::new("com")]).await;
    let silent = DnsServer::silent().await;

    assert_eq!(dns.checker().tld_exists("com").await, Some(true));
    assert_eq!(dns.checker().tld_exists("zz").await, Some(false));
    assert_eq!(silent.checker().tld_exists("com").await, None);
}

#[tokio::test]
async fn a_record_added_after_a_check_is_seen_by_the_next_check_of_the_same_checker() {
    let dns = DnsServer::serving([example_com()]).await;
    let checker = dns.checker();
    let missing = checker
        .forward_confirmed(&host("new.example.com"), ip("203.0.113.45"))
        .await;
    let wrong = checker
        .forward_confirmed(&host("wrong.example.com"), ip("203.0.113.45"))
        .await;

    dns.add_a("new.example.com", "203.0.113.45").await;
    dns.add_a("wrong.example.com", "203.0.113.45").await;
    let added = checker
        .forward_confirmed(&host("new.example.com"), ip("203.0.113.45"))
        .await;
    let fixed = checker
        .forward_confirmed(&host("wrong.example.com"), ip("203.0.113.45"))
        .await;

    assert_eq!(
        (missing.severity, wrong.severity),
        (Severity::Error, Severity::Error)
    );
    assert_finding(
        &added,
        Severity::Info,
        "new.example.com has A 203.0.113.45.",
    );
    assert_finding(
        &fixed,
        Severity::Info,
        "wrong.example.com has A 203.0.113.45.",
    );
}

//! Unit tests of the `generic` rules.
use super::*;
use crate::domain::DefaultNamePattern;

fn host(name: &str) -> Hostname {
    Hostname::parse(name).unwrap()
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

/// The text of the name that `embeds-ip` blames, if any.
fn blamed(name: &str, address: &str) -> Option<String> {
    let finding = embeds_ip(&host(name), ip(address))?;
    let text = finding.message.split("(as ").nth(1)?.split(')').next()?;
    Some(text.to_owned())
}

#[test]
fn the_full_address_is_found_in_every_encoding() {
    let address = "203.0.113.45";
    for (name, text) in [
        ("203-0-113-45.example.com", "203-0-113-45"),
        ("45.113.0.203.example.com", "45.113.0.203"),
        ("mail.113-45-203-0.example.com", "113-45-203-0"),
        ("dhcp203-000-113-045.example.net", "203-000-113-045"),
        ("203000113045.example.com", "203000113045"),
        ("h3405803821.example.com", "3405803821"),
        ("0xcb00712d.dhcp.example.net", "cb00712d"),
        ("ipcb00712d.example.net", "cb00712d"),
        ("x-cb-00-71-2d.example.net", "cb-00-71-2d"),
        ("static.45.113.0.203.clients.your-server.de", "45.113.0.203"),
    ] {
        assert_eq!(blamed(name, address).as_deref(), Some(text), "{name}");
    }
}

#[test]
fn the_message_says_where_the_address_is_and_what_to_do() {
    let finding = embeds_ip(&host("203-0-113-45.example.com"), ip("203.0.113.45")).unwrap();
    assert_eq!(
        finding.message,
        "The name contains the address 203.0.113.45 (as 203-0-113-45); mail servers treat \
         such names as dynamic. Use a name of your own, such as mail.example.com."
    );
    assert_eq!(finding.severity, Severity::Error);
}

#[test]
fn numbers_that_merely_border_each_other_are_not_an_address() {
    let address = "203.0.113.45";
    for name in [
        "mail.example.com",
        "113-45.example.com",
        "0-113-45.example.com",
        "203-0-113-46.example.com",
        "2030-113-45.example.com",
        "1203-0-113-45x.example.com",
        "203x0-113-45.example.com",
        "203-0-113--45.example.com",
        "2203000113045.example.com",
        "dcb00712d.example.com",
        "cb00712d5.example.com",
    ] {
        assert_eq!(blamed(name, address), None, "{name}");
    }
}

#[test]
fn ipv6_addresses_are_found_as_hextets_nibbles_and_hex() {
    let address = "2001:db8::25";
    let reversed = "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2";
    for name in [
        "2001-db8--25.example.net".to_owned(),
        "v6-2001-0db8-0000-0000-0000-0000-0000-0025.example.net".to_owned(),
        "h20010db8000000000000000000000025.example.net".to_owned(),
        format!("{reversed}.ip6.example.net"),
    ] {
        assert!(blamed(&name, address).is_some(), "{name}");
    }
    assert_eq!(blamed("2001-db8--26.example.net", address), None);
    assert_eq!(blamed("db8--25.example.net", address), None);
}

fn defaults() -> DefaultNames {
    let sample = ip("192.0.2.1");
    let v4 = DefaultNamePattern::parse("static.{reversed}.clients.example.net", sample).unwrap();
    DefaultNames { v4, v6: None }
}

#[test]
fn the_default_name_offers_reset_to_default() {
    let name = host("static.45.113.0.203.clients.example.net");
    let finding = provider_default(&name, ip("203.0.113.45"), &defaults()).unwrap();
    assert_eq!(
        finding.message,
        "static.45.113.0.203.clients.example.net is the provider's default name of \
         203.0.113.45; to go back to it, use Reset to default instead."
    );
}

#[test]
fn any_name_in_the_default_name_domain_is_refused() {
    for name in [
        "mail.clients.example.net",
        "clients.example.net",
        "static.1.2.3.4.clients.example.net",
    ] {
        let finding = provider_default(&host(name), ip("203.0.113.45"), &defaults());
        assert!(
            finding
                .unwrap()
                .message
                .contains("use Reset to default instead"),
            "{name}"
        );
    }
    for name in [
        "mail.example.net",
        "myclients.example.net",
        "mail.example.com",
    ] {
        assert_eq!(
            provider_default(&host(name), ip("203.0.113.45"), &defaults()),
            None,
            "{name}"
        );
    }
}

fn warns(name: &str, address: &str) -> bool {
    generic_looking(&host(name), ip(address)).is_some()
}

#[test]
fn partial_octets_and_dynamic_words_read_as_generated() {
    for name in [
        "dsl-113-45.pool.example.net",
        "113-45.example.com",
        "113.0.45.example.com",
        "client-45.example.com",
        "static-ip.example.com",
        "cust123456.example.com",
    ] {
        assert!(warns(name, "203.0.113.45"), "{name}");
    }
}

#[test]
fn one_octet_one_word_or_the_customers_domain_do_not_warn() {
    for (name, address) in [
        ("mail-we0-f182.google.com", "74.125.82.182"),
        ("mx1.example.com", "203.0.113.1"),
        ("server1.example.com", "203.0.113.45"),
        ("pool.example.com", "203.0.113.45"),
        ("mail.dsl-113-45.com", "203.0.113.45"),
        ("mail.static-ip.co.uk", "203.0.113.45"),
        ("hostmaster.example.com", "203.0.113.45"),
        ("mail2024.example.com", "203.0.113.45"),
    ] {
        assert!(!warns(name, address), "{name}");
    }
}

#[test]
fn the_generic_message_names_what_was_found() {
    let finding =
        generic_looking(&host("dsl-113-45.pool.example.net"), ip("203.0.113.45")).unwrap();
    assert_eq!(
        finding.message,
        "The name looks automatically generated (it has the numbers 113 and 45 of the address \
         and the words dsl and pool); mail servers often treat such names as dynamic. Use a \
         name of your own, such as mail.example.com."
    );
    assert_eq!(
        finding.details,
        ["score 7 (warns from 3): address numbers 113, 45 +3; dynamic words dsl, pool +4"]
    );
}

#[test]
fn a_name_with_the_whole_address_is_left_to_embeds_ip() {
    assert!(!warns("pool-203-0-113-45.example.net", "203.0.113.45"));
    assert!(warns("pool-203-0-113-46.example.net", "203.0.113.45"));
}

#[test]
fn ipv6_hextets_count_as_partial_numbers() {
    assert!(warns("db8-25.example.net", "2001:db8::25"));
    assert!(!warns("mail.example.net", "2001:db8::25"));
}

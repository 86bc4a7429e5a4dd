//! Unit tests of the `names` rules.
use super::*;

fn host(name: &str) -> Hostname {
    Hostname::parse(name).unwrap()
}

fn id_of(finding: Option<Finding>) -> Option<&'static str> {
    finding.map(|finding| finding.id.as_str())
}

#[test]
fn every_special_use_name_and_any_name_below_it_is_reserved() {
    for name in [
        "mail.example.local",
        "printer.localhost",
        "mail.example",
        "a.b.test",
        "x.invalid",
        "abcdefghijklmnop.onion",
        "x.alt",
        "db.corp.internal",
        "45.113.0.203.in-addr.arpa",
        "router.home.arpa",
    ] {
        assert_eq!(
            id_of(reserved_name(&host(name))),
            Some("reserved-name"),
            "{name}"
        );
    }
    assert_eq!(reserved_name(&host("mail.example.com")), None);
    assert_eq!(reserved_name(&host("local.example.com")), None);
}

#[test]
fn a_reserved_name_names_its_special_use_tld() {
    let finding = reserved_name(&host("mail.example.local")).unwrap();
    assert_eq!(
        finding.message,
        "mail.example.local is under .local, which is for multicast DNS inside one local \
         network and never resolves in public DNS; use a name under a domain you own, such \
         as mail.example.com."
    );
}

#[test]
fn a_tld_missing_from_the_public_suffix_list_is_unknown() {
    assert_eq!(
        id_of(unknown_tld(&host("mail.example.zzz"))),
        Some("unknown-tld")
    );
    assert_eq!(
        id_of(unknown_tld(&host("mail.example.c"))),
        Some("unknown-tld")
    );
    for known in [
        "mail.example.com",
        "mail.example.co.uk",
        "xn--e1afmkfd.xn--p1ai",
        "a.b.ck",
    ] {
        assert_eq!(unknown_tld(&host(known)), None, "{known}");
    }
}

#[test]
fn a_reserved_tld_is_reported_as_reserved_not_as_unknown() {
    assert_eq!(unknown_tld(&host("mail.example.local")), None);
    assert_eq!(unknown_tld(&host("mail.example")), None);
}

#[test]
fn a_name_that_is_itself_a_public_suffix_is_refused() {
    for suffix in [
        "co.uk",
        "github.io",
        "foo.compute-1.amazonaws.com",
        "duckdns.org",
    ] {
        assert_eq!(
            id_of(public_suffix(&host(suffix))),
            Some("public-suffix"),
            "{suffix}"
        );
    }
    for name in [
        "example.co.uk",
        "mail.example.com",
        "mail.example.zzz",
        "in-addr.arpa",
    ] {
        assert_eq!(public_suffix(&host(name)), None, "{name}");
    }
}

#[test]
fn names_under_dynamic_dns_services_warn() {
    for (name, service) in [
        ("myhome.dyndns.org", "dyndns.org"),
        ("office.dyndns.info", "dyndns.info"),
        ("nas.no-ip.co.uk", "no-ip.co.uk"),
        ("x.ddns.net", "ddns.net"),
        ("box.duckdns.org", "duckdns.org"),
        ("a.b.freedns.afraid.org", "afraid.org"),
        ("abc123.myfritz.net", "myfritz.net"),
        ("home.dyndns-home.com", "dyndns-home.com"),
        ("m.spdns.de", "spdns.de"),
    ] {
        let finding = dynamic_dns(&host(name)).unwrap();
        assert_eq!(finding.severity, Severity::Warning);
        assert!(
            finding.message.contains(&format!("under {service},")),
            "{name}: {}",
            finding.message
        );
    }
}

#[test]
fn a_dynamic_dns_brand_inside_a_customer_domain_is_not_dynamic() {
    for name in [
        "dyndns.org",
        "dyndns.example.com",
        "mail.example.com",
        "noip.example.net",
    ] {
        assert_eq!(dynamic_dns(&host(name)), None, "{name}");
    }
}

#[test]
fn a_protected_domain_and_its_subdomains_are_refused() {
    let protected = vec!["your-server.de".to_owned(), "Example.NET.".to_owned()];
    for name in [
        "your-server.de",
        "static.1.2.3.4.your-server.de",
        "mail.example.net",
    ] {
        assert_eq!(
            id_of(protected_domain(&host(name), &protected)),
            Some("protected-domain"),
            "{name}"
        );
    }
    for name in [
        "my-your-server.de",
        "example.net.example.com",
        "mail.example.com",
    ] {
        assert_eq!(protected_domain(&host(name), &protected), None, "{name}");
    }
    assert_eq!(protected_domain(&host("mail.example.com"), &[]), None);
}

#[test]
fn the_registrable_domain_follows_the_public_suffix_list() {
    let registrable = |name: &str| registrable_domain(&host(name));
    assert_eq!(
        registrable("mail.example.co.uk").as_deref(),
        Some("example.co.uk")
    );
    assert_eq!(
        registrable("a.b.mail.example.com").as_deref(),
        Some("example.com")
    );
    assert_eq!(registrable("example.com").as_deref(), Some("example.com"));
    assert_eq!(
        registrable("xn--e1afmkfd.xn--p1ai").as_deref(),
        Some("xn--e1afmkfd.xn--p1ai")
    );
    assert_eq!(registrable("co.uk"), None);
    assert_eq!(registrable("mail.example.zzz"), None);
}

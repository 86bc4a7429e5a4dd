//! Rules about the name itself: `reserved-name`, `unknown-tld`, `public-suffix`,
//! `dynamic-dns`, `protected-domain`, and the registrable domain the DNS checks ask about.

use crate::domain::Hostname;
use crate::domain::finding::{Finding, FindingId, Severity};

/// Special-use top-level names (RFC 6761, RFC 6762, RFC 7686, RFC 9476, ICANN's `.internal`,
/// and `.arpa`, the infrastructure tree that holds reverse DNS itself), each with why it
/// cannot be a PTR target.
const RESERVED: [(&str, &str); 9] = [
    ("local", "is for multicast DNS inside one local network"),
    ("localhost", "always means this computer itself"),
    ("test", "is reserved for testing"),
    ("example", "is reserved for documentation examples"),
    (
        "invalid",
        "is reserved for names that are guaranteed not to exist",
    ),
    ("onion", "is for Tor onion services"),
    ("alt", "is reserved for names outside the DNS"),
    ("internal", "is reserved for private networks"),
    (
        "arpa",
        "holds DNS infrastructure such as the reverse-DNS tree",
    ),
];

/// Dynamic-DNS services: a name below one of these suffixes belongs to a home connection or a
/// service that follows a changing address, which mail servers distrust.
///
/// Source: the providers' own lists of the domains they offer for free host names, as submitted
/// by them to the private section of the Public Suffix List (DynDNS/Oracle Dyn, No-IP/Vitalwerks,
/// Dynu, DuckDNS, deSEC, dynv6, Securepoint, AVM MyFRITZ!, ddnss.de, dnshome, dyn.now,
/// addr.tools …), plus the providers that are not in the list (`freedns.afraid.org` and its
/// shared domains, `changeip.com`, `dnsdynamic.org`, `ydns.eu`, `selfhost.de`, `no-ip.com`,
/// `dynu.com`). Brands that use their name under many top-level domains are matched by label
/// in [`DYNAMIC_DNS_LABELS`] instead. Reviewed against psl 2.1.247.
const DYNAMIC_DNS_SUFFIXES: &[&str] = &[
    // No-IP (Vitalwerks)
    "no-ip.com",
    "noip.com",
    "noip.me",
    "noip.us",
    "ddns.net",
    "ddnsking.com",
    "3utilities.com",
    "bounceme.net",
    "freedynamicdns.net",
    "freedynamicdns.org",
    "gotdns.ch",
    "hopto.org",
    "hopto.me",
    "myddns.me",
    "myftp.biz",
    "myftp.org",
    "myvnc.com",
    "onthewifi.com",
    "redirectme.net",
    "servebeer.com",
    "serveblog.net",
    "servecounterstrike.com",
    "serveftp.com",
    "servegame.com",
    "servehalflife.com",
    "servehttp.com",
    "serveirc.com",
    "serveminecraft.net",
    "servemp3.com",
    "servepics.com",
    "servequake.com",
    "sytes.net",
    "webhop.me",
    "zapto.org",
    "ddns.me",
    // DynDNS (Oracle Dyn); dyndns.*, dynalias.* and friends are in DYNAMIC_DNS_LABELS
    "homeip.net",
    "dyn-o-saur.com",
    "dynathome.net",
    "is-a-geek.com",
    "is-a-geek.net",
    "is-a-geek.org",
    "game-host.org",
    "mine.nu",
    "ath.cx",
    // Dynu
    "dynu.com",
    "dynu.net",
    "dynuddns.com",
    "dynuddns.net",
    "dynuhosting.com",
    "freeddns.org",
    "freeddns.us",
    "mywire.org",
    "accesscam.org",
    "camdvr.org",
    "casacam.net",
    "ddnsfree.com",
    "ddnsgeek.com",
    "ddnsguru.com",
    "giize.com",
    "gleeze.com",
    "kozow.com",
    "loseyourip.com",
    "ooguy.com",
    "theworkpc.com",
    // DuckDNS, deSEC, dynv6, YDNS
    "duckdns.org",
    "dedyn.io",
    "desec.io",
    "dynv6.net",
    "ydns.eu",
    // FreeDNS (afraid.org) and its most used shared domains
    "afraid.org",
    "mooo.com",
    "chickenkiller.com",
    "twilightparadox.com",
    "strangled.net",
    "us.to",
    // ChangeIP, DNSdynamic, DNS Exit and smaller services
    "changeip.com",
    "changeip.net",
    "dnsdynamic.org",
    "ip-ddns.com",
    "drayddns.com",
    "dynns.com",
    "quicksytes.com",
    "dynamic-dns.info",
    "dns-dynamic.net",
    "ddns-ip.net",
    "ip-dynamic.org",
    "dynserv.org",
    "dyn.now",
    "dyn.addr.tools",
    "myddns.rocks",
    "ddns.wtf",
    "ddns.berlin",
    "mydns.jp",
    // German services: ddnss.de, dnshome, cosidns, dyn-ip24, home-webserver, dynamisches-dns
    "ddnss.de",
    "ddnss.org",
    "ddnssec.de",
    "dnshome.de",
    "dnshome.eu",
    "dyn.cosidns.de",
    "dyn-ip24.de",
    "dyn.home-webserver.de",
    "dynamisches-dns.de",
    "dyn-berlin.de",
    "selfhost.de",
    "selfhost.eu",
    "selfhost.bz",
];

/// Labels of dynamic-DNS brands that register their name under many top-level domains
/// (`dyndns.org`, `dyndns.tv`, `no-ip.co.uk`, `myfritz.net`, `myfritz.link`, `spdns.de`, …): a
/// name counts as dynamic when one of these labels is followed by nothing but a public suffix.
/// A label that merely starts with `dyndns` (`dyndns-home.com`, `dyndns1.de`) counts too.
const DYNAMIC_DNS_LABELS: &[&str] = &[
    "dyndns",
    "dynalias",
    "dnsalias",
    "homelinux",
    "homeunix",
    "selfip",
    "blogdns",
    "dnsdojo",
    "webhop",
    "gotdns",
    "no-ip",
    "myfritz",
    "spdns",
];

/// `reserved-name`: under a special-use name (never sent to DNS).
pub fn reserved_name(hostname: &Hostname) -> Option<Finding> {
    let (tld, why) = reserved_tld(hostname)?;
    let message = format!(
        "{hostname} is under .{tld}, which {why} and never resolves in public DNS; use a name \
         under a domain you own, such as mail.example.com."
    );
    Some(Finding::new(
        FindingId::ReservedName,
        Severity::Error,
        message,
    ))
}

/// `unknown-tld`: the top-level domain is not in the Public Suffix List.
pub fn unknown_tld(hostname: &Hostname) -> Option<Finding> {
    // A special-use name has its own finding; saying its TLD is unknown as well adds nothing.
    if reserved_tld(hostname).is_some() || suffix_is_known(hostname.as_ascii()) {
        return None;
    }
    let tld = hostname.tld();
    let message = format!(
        "The top-level domain .{tld} is not in the Public Suffix List; check the spelling of \
         the end of the name."
    );
    Some(Finding::new(
        FindingId::UnknownTld,
        Severity::Error,
        message,
    ))
}

/// `public-suffix`: the name is itself a public suffix.
pub fn public_suffix(hostname: &Hostname) -> Option<Finding> {
    let name = hostname.as_ascii();
    if reserved_tld(hostname).is_some() || !is_public_suffix(name) {
        return None;
    }
    let message = format!(
        "{hostname} is a public suffix, under which anyone can register names; use a host \
         name inside a domain you own, such as mail.example.com."
    );
    Some(Finding::new(
        FindingId::PublicSuffix,
        Severity::Error,
        message,
    ))
}

/// `dynamic-dns`: under a dynamic-DNS provider's suffix.
pub fn dynamic_dns(hostname: &Hostname) -> Option<Finding> {
    let service = dynamic_dns_service(hostname)?;
    let message = format!(
        "{hostname} is under {service}, a dynamic-DNS service, and mail servers often refuse \
         mail from such names; use a name under a domain you own."
    );
    Some(Finding::new(
        FindingId::DynamicDns,
        Severity::Warning,
        message,
    ))
}

/// `protected-domain`: inside one of `protected` (lower-case ASCII domains).
pub fn protected_domain(hostname: &Hostname, protected: &[String]) -> Option<Finding> {
    let name = hostname.as_ascii();
    let domain = protected.iter().find_map(|domain| {
        // Configuration is lower-case ASCII by contract; tolerate a trailing dot or capitals.
        let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
        (!domain.is_empty() && is_within(name, &domain)).then_some(domain)
    })?;
    let message = format!(
        "{domain} is reserved by the provider; use a name under a domain of your own, such as \
         mail.example.com."
    );
    Some(Finding::new(
        FindingId::ProtectedDomain,
        Severity::Error,
        message,
    ))
}

/// The registrable domain of the name (Public Suffix List aware), e.g. `example.co.uk` for
/// `mail.example.co.uk`; `None` when the name is a public suffix or has no known suffix.
pub fn registrable_domain(hostname: &Hostname) -> Option<String> {
    let domain = psl::domain(hostname.as_ascii().as_bytes())?;
    if !domain.suffix().is_known() {
        return None;
    }
    std::str::from_utf8(domain.as_bytes())
        .ok()
        .map(str::to_owned)
}

/// The special-use TLD the name is under, with the reason it is reserved.
fn reserved_tld(hostname: &Hostname) -> Option<(&'static str, &'static str)> {
    let tld = hostname.tld();
    RESERVED.into_iter().find(|(reserved, _)| *reserved == tld)
}

/// Whether the Public Suffix List knows the suffix of `name` (lower-case ASCII). psl matches an
/// unknown TLD with its catch-all `*` rule, so only `is_known` tells them apart.
fn suffix_is_known(name: &str) -> bool {
    psl::suffix(name.as_bytes()).is_some_and(|suffix| suffix.is_known())
}

/// Whether `name` (lower-case ASCII) is itself a known public suffix, wildcard rules included.
fn is_public_suffix(name: &str) -> bool {
    psl::suffix(name.as_bytes())
        .is_some_and(|suffix| suffix.is_known() && suffix.as_bytes() == name.as_bytes())
}

/// `name` equals `domain` or lies below it (both lower-case ASCII, no trailing dot).
fn is_within(name: &str, domain: &str) -> bool {
    name == domain
        || name
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// The dynamic-DNS domain the name is strictly below, if any.
fn dynamic_dns_service(hostname: &Hostname) -> Option<String> {
    let name = hostname.as_ascii();
    let listed = DYNAMIC_DNS_SUFFIXES.iter().find(|suffix| {
        name.strip_suffix(**suffix)
            .is_some_and(|rest| rest.ends_with('.'))
    });
    if let Some(suffix) = listed {
        return Some((*suffix).to_owned());
    }
    let labels: Vec<&str> = hostname.labels().collect();
    // Index 0 is never the brand: something must sit below the service's domain.
    (1..labels.len().saturating_sub(1)).find_map(|i| {
        let label = labels[i];
        let brand = DYNAMIC_DNS_LABELS.contains(&label) || label.starts_with("dyndns");
        let rest = labels[i + 1..].join(".");
        (brand && is_public_suffix(&rest)).then(|| labels[i..].join("."))
    })
}

#[cfg(test)]
mod tests {
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
}

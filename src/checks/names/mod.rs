//! Rules about the name itself: `reserved-name`, `unknown-tld`, `public-suffix`,
//! `dynamic-dns`, `protected-domain`, and the registrable domain the DNS checks ask about.

use crate::domain::Hostname;
use crate::domain::finding::{Finding, FindingId, Severity};
use crate::i18n::Text;

/// Special-use top-level names (RFC 6761, RFC 6762, RFC 7686, RFC 9476, ICANN's `.internal`,
/// and `.arpa`, the infrastructure tree that holds reverse DNS itself), each with why it
/// cannot be a PTR target.
const RESERVED: [(&str, &str); 9] = [
    ("local", "finding-reserved-why-local"),
    ("localhost", "finding-reserved-why-localhost"),
    ("test", "finding-reserved-why-test"),
    ("example", "finding-reserved-why-example"),
    ("invalid", "finding-reserved-why-invalid"),
    ("onion", "finding-reserved-why-onion"),
    ("alt", "finding-reserved-why-alt"),
    ("internal", "finding-reserved-why-internal"),
    ("arpa", "finding-reserved-why-arpa"),
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
    let text = Text::new("finding-reserved-name")
        .arg("hostname", hostname.to_string())
        .arg("tld", tld)
        .arg("why", Text::new(why));
    Some(Finding::said(
        FindingId::ReservedName,
        Severity::Error,
        text,
    ))
}

/// `unknown-tld`: the top-level domain is not in the Public Suffix List.
pub fn unknown_tld(hostname: &Hostname) -> Option<Finding> {
    // A special-use name has its own finding; saying its TLD is unknown as well adds nothing.
    if reserved_tld(hostname).is_some() || suffix_is_known(hostname.as_ascii()) {
        return None;
    }
    let tld = hostname.tld();
    let text = Text::new("finding-unknown-tld").arg("tld", tld);
    Some(Finding::said(FindingId::UnknownTld, Severity::Error, text))
}

/// `public-suffix`: the name is itself a public suffix.
pub fn public_suffix(hostname: &Hostname) -> Option<Finding> {
    let name = hostname.as_ascii();
    if reserved_tld(hostname).is_some() || !is_public_suffix(name) {
        return None;
    }
    let text = Text::new("finding-public-suffix").arg("hostname", hostname.to_string());
    Some(Finding::said(
        FindingId::PublicSuffix,
        Severity::Error,
        text,
    ))
}

/// `dynamic-dns`: under a dynamic-DNS provider's suffix.
pub fn dynamic_dns(hostname: &Hostname) -> Option<Finding> {
    let service = dynamic_dns_service(hostname)?;
    let text = Text::new("finding-dynamic-dns")
        .arg("hostname", hostname.to_string())
        .arg("service", service);
    Some(Finding::said(
        FindingId::DynamicDns,
        Severity::Warning,
        text,
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
    let text = Text::new("finding-protected-domain").arg("domain", domain);
    Some(Finding::said(
        FindingId::ProtectedDomain,
        Severity::Error,
        text,
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
mod tests;

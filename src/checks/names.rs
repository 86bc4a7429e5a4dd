//! Rules about the name itself: `reserved-name`, `unknown-tld`, `public-suffix`,
//! `dynamic-dns`, `protected-domain`, and the registrable domain the DNS checks ask about.

use crate::domain::Hostname;
use crate::domain::finding::Finding;

/// `reserved-name`: under a special-use name (never sent to DNS).
pub fn reserved_name(_hostname: &Hostname) -> Option<Finding> {
    None
}

/// `unknown-tld`: the top-level domain is not in the Public Suffix List.
pub fn unknown_tld(_hostname: &Hostname) -> Option<Finding> {
    None
}

/// `public-suffix`: the name is itself a public suffix.
pub fn public_suffix(_hostname: &Hostname) -> Option<Finding> {
    None
}

/// `dynamic-dns`: under a dynamic-DNS provider's suffix.
pub fn dynamic_dns(_hostname: &Hostname) -> Option<Finding> {
    None
}

/// `protected-domain`: inside one of `protected` (lower-case ASCII domains).
pub fn protected_domain(_hostname: &Hostname, _protected: &[String]) -> Option<Finding> {
    None
}

/// The registrable domain of the name (Public Suffix List aware), e.g. `example.co.uk` for
/// `mail.example.co.uk`; `None` when the name is a public suffix or has no known suffix.
pub fn registrable_domain(_hostname: &Hostname) -> Option<String> {
    None
}

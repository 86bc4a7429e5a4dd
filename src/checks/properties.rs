//! Property tests of the parsers the engine stands on: `Hostname::parse`, `Engine::offline`
//! and `Network::parse` never panic, and every accepted name is canonical and within the
//! length rules.

use super::Engine;
use super::policy::Policy;
use crate::domain::{DefaultNamePattern, DefaultNames, Hostname, Network};
use proptest::prelude::*;
use std::net::IpAddr;
use std::time::Duration;

fn engine() -> Engine {
    let sample: IpAddr = "192.0.2.10".parse().unwrap();
    let v4 = DefaultNamePattern::parse("static.{reversed}.clients.example.net", sample).unwrap();
    let v6 =
        DefaultNamePattern::parse("{reversed}.ip6.example.net", "2001:db8::1".parse().unwrap())
            .unwrap();
    Engine::new(
        Policy::new(DefaultNames { v4, v6: Some(v6) }),
        None,
        Duration::from_secs(3),
    )
}

/// Inputs that look like host names often enough to reach every rule: ASCII letters, digits,
/// hyphens and dots, some non-ASCII letters, marks, joiners and the ideographic full stop.
fn hostname_like() -> impl Strategy<Value = String> {
    let label =
        "[a-zA-Z0-9-]{1,12}|[a-zäöüßёяé\u{0301}\u{200D}-]{1,8}|xn--[a-z0-9-]{1,10}|[0-9]{1,3}";
    let tld = "com|de|co\\.uk|zzz|local|arpa|rf|xn--p1ai|[a-z]{2,3}|[0-9]{1,3}";
    (
        prop::collection::vec(prop::string::string_regex(label).unwrap(), 0..6),
        prop::string::string_regex(tld).unwrap(),
        "[.。]?",
    )
        .prop_map(|(labels, tld, dot)| {
            let mut name = labels.join(".");
            name.push('.');
            name.push_str(&tld);
            name.push_str(&dot);
            name
        })
}

/// Any input: arbitrary Unicode, or something close to a host name.
fn any_input() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "\\PC{0,300}", hostname_like()]
}

/// The length rules of `syntax`, measured on the `xn--` form.
fn meets_length_rules(hostname: &Hostname) -> Result<(), TestCaseError> {
    let ascii = hostname.as_ascii();
    prop_assert!(ascii.len() <= 253, "{ascii} has {} octets", ascii.len());
    prop_assert!(hostname.labels().count() >= 2, "{ascii} is a single label");
    for label in hostname.labels() {
        prop_assert!(
            (1..=63).contains(&label.len()),
            "label {label:?} of {ascii}"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    #[test]
    fn parsing_never_panics_and_accepted_names_are_canonical(input in any_input()) {
        if let Ok(hostname) = Hostname::parse(&input) {
            meets_length_rules(&hostname)?;
            let again = Hostname::parse(hostname.as_ascii());
            prop_assert_eq!(again.as_ref(), Ok(&hostname));
            let from_unicode = Hostname::parse(hostname.as_unicode()).map(|h| h.as_ascii().to_owned());
            prop_assert_eq!(from_unicode.as_deref(), Ok(hostname.as_ascii()));
        }
    }

    #[test]
    fn the_offline_engine_never_panics(input in any_input(), ip in any::<IpAddr>()) {
        let report = engine().offline(ip, &input);
        prop_assert_eq!(report.hostname.is_some(), Hostname::parse(&input).is_ok());
    }

    #[test]
    fn the_offline_engine_never_panics_on_names_built_from_the_address(ip in any::<IpAddr>(), prefix in "[a-z]{0,5}", sep in "[.-]") {
        let numbers = match ip {
            IpAddr::V4(v4) => v4.octets().map(|octet| octet.to_string()).join(&sep),
            IpAddr::V6(v6) => v6.segments().map(|hextet| format!("{hextet:x}")).join(&sep),
        };
        let report = engine().offline(ip, &format!("{prefix}{numbers}.example.com"));
        prop_assert!(report.hostname.is_none() || report.findings.iter().all(|f| !f.message.is_empty()));
    }

    #[test]
    fn network_parsing_never_panics(input in prop_oneof![any::<String>(), "[0-9a-fA-F:./ ]{0,48}"]) {
        let _ = Network::parse(&input);
    }
}

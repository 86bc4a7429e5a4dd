//! One verdict per address: the most pressing problem among the lines, with its fix.

use super::{Check, Line, PtrInForce, PtrSource, Status, Verdict, VerdictId};
use crate::checks::blocklists::{ListResult, Listing};
use crate::i18n::{t, t_args};
use std::net::IpAddr;

/// The most pressing problem, and its fix.
pub(super) fn verdict(
    ip: IpAddr,
    ptr: Option<&PtrInForce>,
    domain: Option<&str>,
    checks: &[Line],
    blocklists: &[ListResult],
) -> Verdict {
    let status = |id| {
        checks
            .iter()
            .find(|line| line.id == id)
            .map_or(Status::NotChecked, |line| line.status)
    };
    let record = if ip.is_ipv6() { "AAAA" } else { "A" };
    let found = |id: VerdictId, message: String, fix: Option<String>| Verdict { id, message, fix };
    let Some(ptr) = ptr else {
        let fix = t_args("rc-fix-set-ptr", &[("ip", &ip), ("record", &record)]);
        return match ip {
            IpAddr::V6(_) => found(VerdictId::Ipv6NoPtr, t("rc-verdict-ipv6-no-ptr"), Some(fix)),
            IpAddr::V4(_) => found(VerdictId::NoPtr, t("rc-verdict-no-ptr"), Some(fix)),
        };
    };
    let listed: Vec<&ListResult> = blocklists.iter().filter(|list| list.is_listed()).collect();
    if !listed.is_empty() {
        let zones: Vec<&str> = listed.iter().map(|list| list.zone.as_str()).collect();
        return found(
            VerdictId::Listed,
            t_args("rc-verdict-listed", &[("zones", &zones.join(", "))]),
            Some(t("rc-fix-listed")),
        );
    }
    if status(Check::ForwardConfirmed) == Status::Fail {
        return found(
            VerdictId::NotForwardConfirmed,
            t("rc-verdict-not-forward"),
            Some(t_args(
                "rc-fix-forward",
                &[
                    ("record", &record),
                    ("name", &ptr.name),
                    ("ip", &ip),
                    (
                        "domain",
                        &domain.map_or_else(|| t("rc-the-names-domain"), str::to_owned),
                    ),
                ],
            )),
        );
    }
    if status(Check::GenericName) == Status::Fail || ptr.source == PtrSource::Default {
        return found(
            VerdictId::TreatedAsDynamic,
            t("rc-verdict-dynamic"),
            Some(t_args(
                "rc-fix-dynamic",
                &[("record", &record), ("ip", &ip), ("name", &ptr.name)],
            )),
        );
    }
    if status(Check::Greeting) == Status::Fail {
        return found(
            VerdictId::GreetingMismatch,
            t("rc-verdict-greeting"),
            Some(t_args("rc-fix-greeting", &[("name", &ptr.name)])),
        );
    }
    let domain = domain.map_or_else(|| t("rc-the-domain"), str::to_owned);
    if status(Check::Spf) == Status::Fail {
        let mechanism = if ip.is_ipv6() { "ip6" } else { "ip4" };
        return found(
            VerdictId::NoSpf,
            t_args("rc-verdict-no-spf", &[("domain", &domain)]),
            Some(t_args(
                "rc-fix-spf",
                &[("domain", &domain), ("mechanism", &mechanism), ("ip", &ip)],
            )),
        );
    }
    if matches!(status(Check::Dmarc), Status::Fail | Status::Warning) {
        return found(
            VerdictId::NoDmarc,
            t_args("rc-verdict-no-dmarc", &[("domain", &domain)]),
            Some(t_args("rc-fix-dmarc", &[("domain", &domain)])),
        );
    }
    if matches!(status(Check::Mx), Status::Fail | Status::Warning) {
        return found(
            VerdictId::NoMx,
            t_args("rc-verdict-no-mx", &[("domain", &domain)]),
            Some(t_args("rc-fix-mx", &[("domain", &domain)])),
        );
    }
    let unanswered = checks.iter().any(|line| line.status == Status::Unverified)
        || blocklists
            .iter()
            .any(|list| matches!(list.listing, Listing::Unverified { .. }));
    if unanswered {
        return found(
            VerdictId::Unverified,
            t("rc-verdict-unverified"),
            Some(t("rc-fix-unverified")),
        );
    }
    found(VerdictId::Ready, t("rc-verdict-ready"), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: Check, status: Status) -> Line {
        Line {
            id,
            status,
            message: String::new(),
            details: Vec::new(),
        }
    }

    fn own(name: &str) -> PtrInForce {
        PtrInForce {
            name: name.to_owned(),
            source: PtrSource::Customer,
        }
    }

    #[test]
    fn records_that_were_not_read_are_no_verdict_of_their_own() {
        let checks = [
            line(Check::Ptr, Status::Pass),
            line(Check::ForwardConfirmed, Status::Pass),
            line(Check::Greeting, Status::NotChecked),
            line(Check::Mx, Status::NotChecked),
            line(Check::Spf, Status::NotChecked),
            line(Check::Dmarc, Status::NotChecked),
            line(Check::GenericName, Status::Pass),
        ];
        let ip: IpAddr = "192.0.2.1".parse().unwrap();

        let found = verdict(ip, Some(&own("mail.example.com")), None, &checks, &[]);

        assert_eq!(found.id, VerdictId::Ready);
    }

    #[test]
    fn a_listing_comes_before_a_missing_forward_record() {
        let checks = [
            line(Check::Ptr, Status::Pass),
            line(Check::ForwardConfirmed, Status::Fail),
        ];
        let listed = ListResult {
            zone: "zen.spamhaus.org".to_owned(),
            asked: "1.2.0.192.zen.spamhaus.org".to_owned(),
            listing: Listing::Listed { codes: Vec::new() },
            cached: false,
        };
        let ip: IpAddr = "192.0.2.1".parse().unwrap();

        let found = verdict(ip, Some(&own("mail.example.com")), None, &checks, &[listed]);
        let unlisted = verdict(ip, Some(&own("mail.example.com")), None, &checks, &[]);

        assert_eq!(found.id, VerdictId::Listed);
        assert_eq!(unlisted.id, VerdictId::NotForwardConfirmed);
        assert_eq!(
            unlisted.fix.as_deref(),
            Some("Add the A record mail.example.com → 192.0.2.1 in the DNS of the name's domain.")
        );
    }
}

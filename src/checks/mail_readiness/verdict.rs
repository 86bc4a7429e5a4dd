//! One verdict per address: the most pressing problem among the lines, with its fix.

use super::{Check, Line, PtrInForce, PtrSource, Status, Verdict, VerdictId};
use crate::checks::blocklists::{ListResult, Listing};
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
        let fix = format!(
            "Set a PTR for {ip} on the customer page: a name of your own, such as \
             mail.example.com, with an {record} record pointing to {ip}."
        );
        return match ip {
            IpAddr::V6(_) => found(
                VerdictId::Ipv6NoPtr,
                "IPv6 has no PTR".to_owned(),
                Some(fix),
            ),
            IpAddr::V4(_) => found(VerdictId::NoPtr, "No PTR".to_owned(), Some(fix)),
        };
    };
    let listed: Vec<&ListResult> = blocklists.iter().filter(|list| list.is_listed()).collect();
    if !listed.is_empty() {
        let zones: Vec<&str> = listed.iter().map(|list| list.zone.as_str()).collect();
        return found(
            VerdictId::Listed,
            format!("Listed on {}", zones.join(", ")),
            Some(
                "Look the address up on the list's own site to learn why, fix the cause (an \
                 open relay, a hacked account, a dynamic-space listing of a default name), then \
                 ask the list to remove it."
                    .to_owned(),
            ),
        );
    }
    if status(Check::ForwardConfirmed) == Status::Fail {
        return found(
            VerdictId::NotForwardConfirmed,
            "The PTR is not forward-confirmed".to_owned(),
            Some(format!(
                "Add the {record} record {} → {ip} in the DNS of {}.",
                ptr.name,
                domain.unwrap_or("the name's domain")
            )),
        );
    }
    if status(Check::GenericName) == Status::Fail || ptr.source == PtrSource::Default {
        return found(
            VerdictId::TreatedAsDynamic,
            "Will be treated as dynamic".to_owned(),
            Some(format!(
                "Set a PTR of your own that names the server, such as mail.example.com (with \
                 the {record} record → {ip}), instead of {}.",
                ptr.name
            )),
        );
    }
    if status(Check::Greeting) == Status::Fail {
        return found(
            VerdictId::GreetingMismatch,
            "The greeting does not name the PTR".to_owned(),
            Some(format!(
                "Make the mail server greet as {} (Postfix: myhostname = {}; Exim: \
                 primary_hostname).",
                ptr.name, ptr.name
            )),
        );
    }
    let domain = domain.unwrap_or("the domain");
    if status(Check::Spf) == Status::Fail {
        let mechanism = if ip.is_ipv6() { "ip6" } else { "ip4" };
        return found(
            VerdictId::NoSpf,
            format!("No valid SPF record for {domain}"),
            Some(format!(
                "Publish one TXT record at {domain}, such as \"v=spf1 mx {mechanism}:{ip} -all\"."
            )),
        );
    }
    if matches!(status(Check::Dmarc), Status::Fail | Status::Warning) {
        return found(
            VerdictId::NoDmarc,
            format!("No DMARC record for {domain}"),
            Some(format!(
                "Publish TXT \"v=DMARC1; p=none; rua=mailto:postmaster@{domain}\" at \
                 _dmarc.{domain}, then tighten p= once the reports look right."
            )),
        );
    }
    if matches!(status(Check::Mx), Status::Fail | Status::Warning) {
        return found(
            VerdictId::NoMx,
            format!("No MX for {domain}"),
            Some(format!(
                "Publish an MX record at {domain} so that replies and bounces reach you."
            )),
        );
    }
    let unanswered = checks.iter().any(|line| line.status == Status::Unverified)
        || blocklists
            .iter()
            .any(|list| matches!(list.listing, Listing::Unverified { .. }));
    if unanswered {
        return found(
            VerdictId::Unverified,
            "Not every check could be answered".to_owned(),
            Some("Look at the lines without an answer below and try again in a minute.".to_owned()),
        );
    }
    found(VerdictId::Ready, "Ready to send mail".to_owned(), None)
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

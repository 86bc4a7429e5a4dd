//! The lines of the page that need no DNS of their own: the PTR, the forward check's finding,
//! the greeting's finding and the generic-name score, each turned into a [`Line`].

use super::{Check, Line, PtrInForce, PtrSource, Status};
use crate::checks::generic::GenericScore;
use crate::checks::mail;
use crate::domain::Hostname;
use crate::domain::finding::{Finding, Severity};
use crate::i18n::{t, t_args};
use std::net::IpAddr;

pub(super) fn ptr_line(ip: IpAddr, ptr: Option<&PtrInForce>) -> Line {
    let (status, message) = match ptr {
        None if ip.is_ipv6() => (Status::Fail, t_args("rc-ptr-none-v6", &[("ip", &ip)])),
        None => (Status::Fail, t_args("rc-ptr-none", &[("ip", &ip)])),
        Some(ptr) if ptr.source == PtrSource::Default => (
            Status::Warning,
            t_args("rc-ptr-default", &[("name", &ptr.name)]),
        ),
        Some(ptr) => (Status::Pass, t_args("rc-ptr-own", &[("name", &ptr.name)])),
    };
    Line {
        id: Check::Ptr,
        status,
        message,
        details: Vec::new(),
    }
}

pub(super) fn forward_line(forward: Option<Finding>) -> Line {
    let Some(finding) = forward else {
        return Line {
            id: Check::ForwardConfirmed,
            status: Status::NotChecked,
            message: t("rc-forward-none"),
            details: Vec::new(),
        };
    };
    let status = match finding.severity {
        Severity::Info => Status::Pass,
        Severity::Unverified => Status::Unverified,
        Severity::Warning | Severity::Error => Status::Fail,
    };
    // What was found, not whom ptrdesk asked (its resolvers are the provider's business; the
    // help-desk sees them with the check's own findings).
    let message = finding.sentence();
    let details = finding
        .details
        .into_iter()
        .filter(|detail| !detail.starts_with("asked "))
        .collect();
    Line {
        id: Check::ForwardConfirmed,
        status,
        message,
        details,
    }
}

pub(super) fn greeting_line(
    ip: IpAddr,
    hostname: Option<&Hostname>,
    greeting: Option<Finding>,
) -> Line {
    let line = |status, message: String, details| Line {
        id: Check::Greeting,
        status,
        message,
        details,
    };
    match (greeting, hostname) {
        (_, None) => line(Status::NotChecked, t("rc-greeting-no-ptr"), Vec::new()),
        (None, Some(_)) => line(
            Status::NotChecked,
            t_args("rc-greeting-not-tested", &[("ip", &ip)]),
            Vec::new(),
        ),
        (Some(finding), Some(_)) => {
            let status =
                match finding.severity {
                    Severity::Info
                        if finding.text.as_ref().map_or(
                            finding.message.ends_with(mail::MATCHING_ENGLISH),
                            |text| text.key == mail::MATCHING,
                        ) =>
                    {
                        Status::Pass
                    }
                    Severity::Info => Status::NotChecked,
                    Severity::Unverified => Status::Unverified,
                    Severity::Warning | Severity::Error => Status::Fail,
                };
            line(status, finding.sentence(), finding.details)
        }
    }
}

pub(super) fn no_domain_lines(hostname: Option<&Hostname>) -> Vec<Line> {
    let message = match hostname {
        Some(name) => t_args("rc-records-no-domain", &[("name", &name.to_string())]),
        None => t("rc-records-no-ptr"),
    };
    [Check::Mx, Check::Spf, Check::Dmarc]
        .into_iter()
        .map(|id| Line {
            id,
            status: Status::NotChecked,
            message: message.clone(),
            details: Vec::new(),
        })
        .collect()
}

pub(super) fn generic_line(ptr: Option<&PtrInForce>, generic: Option<&GenericScore>) -> Line {
    let (status, message, details) = match (ptr, generic) {
        (Some(ptr), Some(score)) if score.embeds_ip => (
            Status::Fail,
            t_args("rc-generic-embeds", &[("name", &ptr.name)]),
            vec![t_args(
                "rc-generic-score-from",
                &[("score", &score.score), ("threshold", &score.threshold)],
            )],
        ),
        (Some(ptr), Some(score)) if score.looks_generated() => (
            Status::Fail,
            t_args(
                "rc-generic-generated",
                &[
                    ("name", &ptr.name),
                    ("score", &score.score),
                    ("threshold", &score.threshold),
                ],
            ),
            vec![score.breakdown.clone()],
        ),
        (Some(ptr), Some(score)) => (
            Status::Pass,
            t_args(
                "rc-generic-by-hand",
                &[
                    ("name", &ptr.name),
                    ("score", &score.score),
                    ("threshold", &score.threshold),
                ],
            ),
            vec![score.breakdown.clone()]
                .into_iter()
                .filter(|line| !line.is_empty())
                .collect(),
        ),
        _ => (Status::NotChecked, t("rc-generic-none"), Vec::new()),
    };
    Line {
        id: Check::GenericName,
        status,
        message,
        details,
    }
}

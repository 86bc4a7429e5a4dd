//! What a check found about a requested hostname (SPEC "The checks a PTR hostname goes through").

use crate::i18n::Text;
use serde::{Deserialize, Serialize};

/// The stable identifier of a check, used in JSON and in the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingId {
    /// Not a valid host name at all.
    Syntax,
    /// Under a special-use name such as `.local`.
    ReservedName,
    /// The top-level domain is unknown.
    UnknownTld,
    /// The name is itself a public suffix.
    PublicSuffix,
    /// Under a dynamic-DNS provider's suffix.
    DynamicDns,
    /// Inside a domain the provider reserves.
    ProtectedDomain,
    /// Carries this IP's address.
    EmbedsIp,
    /// The provider's own default name.
    ProviderDefault,
    /// Looks automatically generated.
    GenericLooking,
    /// Can be mistaken for another name (Unicode TS #39: mixed scripts, look-alike letters).
    Confusable,
    /// The registrable domain does not exist.
    DomainExists,
    /// The name does not resolve forward to this IP.
    ForwardConfirmed,
    /// The SMTP greeting names another host.
    MailBanner,
    /// The customer's name servers do not (all, alike) answer for a zone to delegate to them.
    Delegation,
}

/// How much a finding weighs; the worst one is the verdict. Ordered from least to most
/// serious: an unanswered DNS question holds a change back (pending), a warning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// For the record only (also: a DNS check that passed, saying what it found).
    Info,
    /// Published, but worth fixing.
    Warning,
    /// A DNS question could not be answered.
    Unverified,
    /// Not published.
    Error,
}

impl Severity {
    /// The sign pages show beside a finding of this severity.
    pub fn sign(self) -> &'static str {
        match self {
            Severity::Error => "\u{2717}",
            Severity::Warning => "!",
            Severity::Unverified => "?",
            Severity::Info => "\u{2713}",
        }
    }

    /// The name used in JSON and the policy.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Unverified => "unverified",
            Severity::Error => "error",
        }
    }
}

/// One result of one check, as stored with a change and shown to people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Which check.
    pub id: FindingId,
    /// How much it weighs.
    pub severity: Severity,
    /// One sentence for people, saying what was found and where, in English: what the audit
    /// log, the Robot API and findings stored before issue 19 hold.
    pub message: String,
    /// The same sentence kept language-neutral (catalogue `findings.ftl`), put into the
    /// reader's language when shown ([`Finding::sentence`]). `None` in findings stored before.
    /// Only stored ([`stored_json`]): what the APIs, webhooks and the audit log write of a
    /// finding stays `id`, `severity`, `message` and `details`.
    #[serde(default, skip_serializing)]
    pub text: Option<Text>,
    /// Facts behind the sentence (records found, server asked), for staff and the API.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
}

impl Finding {
    /// A finding whose sentence is `text`: shown in the reader's language, kept in English in
    /// `message`.
    pub fn said(id: FindingId, severity: Severity, text: Text) -> Finding {
        Finding {
            id,
            severity,
            message: text.english(),
            text: Some(text),
            details: Vec::new(),
        }
    }

    /// The sentence in the reader's language (English for a finding stored before issue 19).
    pub fn sentence(&self) -> String {
        Text::render_or(self.text.as_ref(), &self.message)
    }

    /// The same finding with its `message` in the reader's language: what the native API
    /// answers (the Robot API keeps the English one).
    pub fn for_reader(&self) -> Finding {
        Finding {
            message: self.sentence(),
            ..self.clone()
        }
    }

    /// The same finding with details added.
    pub fn with_details(mut self, details: Vec<String>) -> Finding {
        self.details = details;
        self
    }
}

impl FindingId {
    /// Every check, in the order the engine runs them.
    pub const ALL: [FindingId; 13] = [
        FindingId::Syntax,
        FindingId::ReservedName,
        FindingId::UnknownTld,
        FindingId::PublicSuffix,
        FindingId::DynamicDns,
        FindingId::ProtectedDomain,
        FindingId::EmbedsIp,
        FindingId::ProviderDefault,
        FindingId::GenericLooking,
        FindingId::Confusable,
        FindingId::DomainExists,
        FindingId::ForwardConfirmed,
        FindingId::MailBanner,
    ];

    /// Checks of something other than a PTR (not in the policy's severities).
    pub const OTHERS: [FindingId; 1] = [FindingId::Delegation];

    /// The stable id used in JSON, the policy and test vectors (`embeds-ip`).
    pub fn as_str(self) -> &'static str {
        match self {
            FindingId::Syntax => "syntax",
            FindingId::ReservedName => "reserved-name",
            FindingId::UnknownTld => "unknown-tld",
            FindingId::PublicSuffix => "public-suffix",
            FindingId::DynamicDns => "dynamic-dns",
            FindingId::ProtectedDomain => "protected-domain",
            FindingId::EmbedsIp => "embeds-ip",
            FindingId::ProviderDefault => "provider-default",
            FindingId::GenericLooking => "generic-looking",
            FindingId::Confusable => "confusable",
            FindingId::DomainExists => "domain-exists",
            FindingId::ForwardConfirmed => "forward-confirmed",
            FindingId::MailBanner => "mail-banner",
            FindingId::Delegation => "delegation",
        }
    }

    /// Reads an id as written in JSON or configuration.
    pub fn parse(text: &str) -> Option<FindingId> {
        FindingId::ALL
            .into_iter()
            .chain(FindingId::OTHERS)
            .find(|id| id.as_str() == text)
    }
}

/// The ids of every finding above `info`, in check order, once each.
pub fn ids_above_info(findings: &[Finding]) -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = Vec::new();
    for finding in findings {
        let id = finding.id.as_str();
        if finding.severity != Severity::Info && !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// The findings in one short line for the audit log: their ids above `info`, or `ok`.
pub fn summary(findings: &[Finding]) -> String {
    let ids = ids_above_info(findings);
    if ids.is_empty() {
        "ok".to_owned()
    } else {
        ids.join(", ")
    }
}

/// The worst thing found, or `ok`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Nothing above `info`.
    Ok,
    /// Worst is a warning.
    Warning,
    /// Worst is an unanswered DNS question.
    Unverified,
    /// At least one error.
    Error,
}

impl Verdict {
    /// The verdict of `findings`: their worst severity (`info` counts as ok).
    pub fn of(findings: &[Finding]) -> Verdict {
        match findings.iter().map(|finding| finding.severity).max() {
            Some(Severity::Error) => Verdict::Error,
            Some(Severity::Unverified) => Verdict::Unverified,
            Some(Severity::Warning) => Verdict::Warning,
            Some(Severity::Info) | None => Verdict::Ok,
        }
    }

    /// The name used in JSON and the test vectors.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Warning => "warning",
            Verdict::Unverified => "unverified",
            Verdict::Error => "error",
        }
    }
}

/// How findings are stored with a change or a drift: with their language-neutral sentence,
/// so that pages show it in the reader's language later.
pub fn stored_json(findings: &[Finding]) -> serde_json::Result<String> {
    #[derive(Serialize)]
    struct Stored<'a> {
        #[serde(flatten)]
        finding: &'a Finding,
        #[serde(skip_serializing_if = "Option::is_none")]
        text: &'a Option<Text>,
    }
    let stored: Vec<Stored<'_>> = findings
        .iter()
        .map(|finding| Stored {
            finding,
            text: &finding.text,
        })
        .collect();
    serde_json::to_string(&stored)
}

/// Serializes findings with their `message` in the reader's language (`serialize_with` of the
/// native API's answers).
pub fn serialize_for_reader<S: serde::Serializer>(
    findings: &[Finding],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(findings.iter().map(Finding::for_reader))
}

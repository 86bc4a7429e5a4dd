//! What a check found about a requested hostname (SPEC "The checks a PTR hostname goes through").

use serde::{Deserialize, Serialize};

/// The stable identifier of a check, used in JSON and in the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// The registrable domain does not exist.
    DomainExists,
    /// The name does not resolve forward to this IP.
    ForwardConfirmed,
    /// The SMTP greeting names another host.
    MailBanner,
}

/// How much a finding weighs; the worst one is the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// For the record only.
    Info,
    /// A DNS question could not be answered.
    Unverified,
    /// Published, but worth fixing.
    Warning,
    /// Not published.
    Error,
}

/// One result of one check, as stored with a change and shown to people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Which check.
    pub id: FindingId,
    /// How much it weighs.
    pub severity: Severity,
    /// One sentence for people.
    pub message: String,
}

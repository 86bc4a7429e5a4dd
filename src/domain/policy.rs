//! The parts of the validation policy that admins may override, as typed values: what the
//! database stores is parsed into these at its boundary ([`crate::db::policy`]), and the
//! check engine applies them ([`crate::checks::policy::Policy::with_overrides`]).

use super::finding::{FindingId, Severity};
use serde::Deserialize;
use std::fmt;

/// What a name that does not resolve forward to its IP leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ForwardPolicy {
    /// Not published until it resolves (the change waits as `pending`).
    #[default]
    Require,
    /// Published with a warning.
    Warn,
    /// Not checked.
    Off,
}

impl ForwardPolicy {
    /// Every policy, in the order the admin page offers them.
    pub const ALL: [ForwardPolicy; 3] = [
        ForwardPolicy::Require,
        ForwardPolicy::Warn,
        ForwardPolicy::Off,
    ];

    /// The name as stored, configured and shown: `require`, `warn`, `off`.
    pub fn as_str(self) -> &'static str {
        match self {
            ForwardPolicy::Require => "require",
            ForwardPolicy::Warn => "warn",
            ForwardPolicy::Off => "off",
        }
    }

    /// The policy named `name`, if any.
    pub fn parse(name: &str) -> Option<ForwardPolicy> {
        ForwardPolicy::ALL
            .into_iter()
            .find(|policy| policy.as_str() == name)
    }
}

/// Whom the DNS checks (`domain-exists`, `forward-confirmed`) ask (setting `check_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckMode {
    /// The zone's own name servers, found by walking the delegation from the root hints
    /// (or through a forwarder), with no cache in between: a record created a second ago
    /// is seen at once.
    #[default]
    Authoritative,
    /// The configured resolvers (`dns_servers`), for networks that block outgoing DNS; a
    /// resolver may answer from its cache, a negative answer included.
    Resolver,
}

impl CheckMode {
    /// The name as configured and shown: `authoritative`, `resolver`.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckMode::Authoritative => "authoritative",
            CheckMode::Resolver => "resolver",
        }
    }
}

/// The severities an admin may give a check (`unverified` is the engine's own).
pub const OVERRIDABLE_SEVERITIES: [Severity; 3] =
    [Severity::Info, Severity::Warning, Severity::Error];

/// The severity named `name` among those an admin may choose.
pub fn overridable_severity(name: &str) -> Option<Severity> {
    OVERRIDABLE_SEVERITIES
        .into_iter()
        .find(|severity| severity.as_str() == name)
}

/// What admins changed of the configured policy; empty parts mean "as configured".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyOverrides {
    /// The forward policy, when an admin chose one.
    pub forward: Option<ForwardPolicy>,
    /// Severity overrides, by check, in the order of [`FindingId::ALL`].
    pub severities: Vec<(FindingId, Severity)>,
    /// Domains customers may not use (lower-case ASCII form), beside the configured ones.
    pub protected_domains: Vec<String>,
    /// Domains of well-known brands whose look-alikes `confusable` refuses (lower-case ASCII
    /// form), beside the configured ones.
    pub brand_domains: Vec<String>,
}

impl PolicyOverrides {
    /// The severity chosen for `id`, if any.
    pub fn severity(&self, id: FindingId) -> Option<Severity> {
        self.severities
            .iter()
            .find(|(chosen, _)| *chosen == id)
            .map(|(_, severity)| *severity)
    }
}

/// One line for the audit log: `forward=warn; generic-looking=error; protected=a.example,…;
/// brands=b.example,…`.
impl fmt::Display for PolicyOverrides {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let forward = self.forward.map_or("as configured", ForwardPolicy::as_str);
        write!(f, "forward={forward}")?;
        for (id, severity) in &self.severities {
            write!(f, "; {}={}", id.as_str(), severity.as_str())?;
        }
        write!(f, "; protected={}", self.protected_domains.join(","))?;
        write!(f, "; brands={}", self.brand_domains.join(","))
    }
}

//! The validation policy: severity overrides, forward confirmation, protected domains and the
//! provider's default names. Comes from configuration (and, with the admin screens, the
//! database); the rules themselves never read configuration.

use crate::domain::DefaultNames;
use crate::domain::finding::{FindingId, Severity};
use serde::Deserialize;
use std::collections::HashMap;
use std::time::Duration;

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

/// Everything the rules are parameterised by.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Admin-raised or -lowered severities, by check.
    pub severity_overrides: HashMap<FindingId, Severity>,
    /// Forward confirmation.
    pub forward: ForwardPolicy,
    /// Domains the provider reserves (lower-case, ASCII form), e.g. its own.
    pub protected_domains: Vec<String>,
    /// The provider's default names.
    pub default_names: DefaultNames,
    /// How long a pending change is re-checked before it is rejected.
    pub pending_deadline: Duration,
}

impl Policy {
    /// A policy with the SPEC defaults and these default names.
    pub fn new(default_names: DefaultNames) -> Policy {
        Policy {
            severity_overrides: HashMap::new(),
            forward: ForwardPolicy::Require,
            protected_domains: Vec::new(),
            default_names,
            pending_deadline: Duration::from_secs(24 * 60 * 60),
        }
    }

    /// The severity a finding of `id` gets under this policy.
    pub fn severity(&self, id: FindingId, default: Severity) -> Severity {
        self.severity_overrides.get(&id).copied().unwrap_or(default)
    }
}

impl Policy {
    /// This policy with an admin's stored overrides applied (unknown ids and values in the
    /// database are ignored, so a bad row cannot stop the panel).
    pub fn with_overrides(&self, stored: &crate::db::policy::StoredPolicy) -> Policy {
        let mut policy = self.clone();
        match stored.forward_policy.as_deref() {
            Some("require") => policy.forward = ForwardPolicy::Require,
            Some("warn") => policy.forward = ForwardPolicy::Warn,
            Some("off") => policy.forward = ForwardPolicy::Off,
            _ => {}
        }
        for (id, value) in &stored.severities {
            let severity = [Severity::Info, Severity::Warning, Severity::Error]
                .into_iter()
                .find(|severity| severity.as_str() == value);
            if let (Some(id), Some(severity)) = (FindingId::parse(id), severity) {
                policy.severity_overrides.insert(id, severity);
            }
        }
        for domain in &stored.protected_domains {
            if !policy.protected_domains.contains(domain) {
                policy.protected_domains.push(domain.clone());
            }
        }
        policy
    }

    /// The name of the forward policy, as stored and shown.
    pub fn forward_name(&self) -> &'static str {
        match self.forward {
            ForwardPolicy::Require => "require",
            ForwardPolicy::Warn => "warn",
            ForwardPolicy::Off => "off",
        }
    }
}

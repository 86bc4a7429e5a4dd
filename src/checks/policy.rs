//! The validation policy: severity overrides, forward confirmation, protected domains, the
//! brands whose look-alikes are refused and the provider's default names. Comes from configuration (and, with the admin screens, the
//! database); the rules themselves never read configuration.

use crate::config::{ConfigError, Settings};
pub use crate::domain::ForwardPolicy;
use crate::domain::finding::{FindingId, Severity};
use crate::domain::policy::overridable_severity;
use crate::domain::{DefaultNames, PolicyOverrides};
use std::collections::HashMap;
use std::time::Duration;

/// Everything the rules are parameterised by.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Admin-raised or -lowered severities, by check.
    pub severity_overrides: HashMap<FindingId, Severity>,
    /// Forward confirmation.
    pub forward: ForwardPolicy,
    /// Domains the provider reserves (lower-case, ASCII form), e.g. its own.
    pub protected_domains: Vec<String>,
    /// Domains of well-known brands (lower-case, ASCII form) whose look-alikes `confusable`
    /// refuses; kept by admins on the policy page.
    pub brand_domains: Vec<String>,
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
            brand_domains: Vec::new(),
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
    /// This policy with an admin's overrides applied.
    pub fn with_overrides(&self, overrides: &PolicyOverrides) -> Policy {
        let mut policy = self.clone();
        if let Some(forward) = overrides.forward {
            policy.forward = forward;
        }
        for (id, severity) in &overrides.severities {
            policy.severity_overrides.insert(*id, *severity);
        }
        for domain in &overrides.protected_domains {
            if !policy.protected_domains.contains(domain) {
                policy.protected_domains.push(domain.clone());
            }
        }
        for domain in &overrides.brand_domains {
            if !policy.brand_domains.contains(domain) {
                policy.brand_domains.push(domain.clone());
            }
        }
        policy
    }
}

impl Policy {
    /// The validation policy `settings` describe.
    pub fn from_settings(settings: &Settings) -> Result<Policy, ConfigError> {
        let mut policy = Policy::new(settings.default_names()?);
        policy.forward = settings.forward_policy;
        policy.protected_domains = settings
            .protected_domains
            .iter()
            .map(|domain| domain.trim().trim_end_matches('.').to_ascii_lowercase())
            .filter(|domain| !domain.is_empty())
            .collect();
        for (id, severity) in &settings.severity {
            let finding = FindingId::parse(id)
                .ok_or_else(|| ConfigError::Invalid(format!("severity: unknown check {id:?}")))?;
            let severity = overridable_severity(severity).ok_or_else(|| {
                ConfigError::Invalid(format!("severity of {id}: use info, warning or error"))
            })?;
            policy.severity_overrides.insert(finding, severity);
        }
        policy.pending_deadline = Duration::from_secs(settings.pending_deadline_hours * 3600);
        Ok(policy)
    }
}

//! The check engine (SPEC "The checks a PTR hostname goes through"): one engine that every
//! door uses. Input: the IP, the raw hostname and the policy. Output: a [`Report`] with the
//! canonical name, the findings and the verdict. It writes nothing.
//!
//! Order: `syntax` (a name that does not parse stops here), the offline rules, then the DNS
//! rules in parallel within one overall deadline. `mail-banner` runs only on demand.

pub mod blocklists;
pub mod confusable;
pub mod dns;
pub mod generic;
pub mod mail;
pub mod mail_readiness;
pub mod names;
pub mod policy;
#[cfg(test)]
mod properties;
#[cfg(test)]
mod vectors;

use crate::config::{ConfigError, Settings};
use crate::domain::CheckMode;
use crate::domain::Hostname;
pub use crate::domain::finding::Verdict;
use crate::domain::finding::{Finding, FindingId, Severity};
use crate::i18n::{Arg, Text, ToArg};
use crate::observability::metrics::CheckKind;
use confusable::Originals;

/// Items as one list in the reader's language: "a", "a and b", "a, b and c".
pub(crate) fn listed(mut items: Vec<Arg>) -> Arg {
    let Some(last) = items.pop() else {
        return Arg::Text(String::new());
    };
    if items.is_empty() {
        return last;
    }
    let head = commas(items);
    Text::new("finding-list-and")
        .arg("head", head)
        .arg("last", last)
        .to_arg()
}

/// "a, b, c": the head of a list.
fn commas(mut items: Vec<Arg>) -> Arg {
    let Some(last) = items.pop() else {
        return Arg::Text(String::new());
    };
    if items.is_empty() {
        return last;
    }
    Text::new("finding-list-comma")
        .arg("head", commas(items))
        .arg("last", last)
        .to_arg()
}
use dns::{AuthoritySettings, DnsChecker, DnsSettings, Upstream};
use policy::{ForwardPolicy, Policy};
use serde::Serialize;
use std::net::IpAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// What the engine found about one hostname for one IP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The canonical name; `None` when the input is not a host name (`syntax`).
    pub hostname: Option<Hostname>,
    /// Every finding, in check order.
    pub findings: Vec<Finding>,
}

impl Report {
    /// The worst severity among the findings (`info` counts as ok).
    pub fn verdict(&self) -> Verdict {
        Verdict::of(&self.findings)
    }

    /// Whether a finding of `id` is present.
    pub fn has(&self, id: FindingId) -> bool {
        self.findings.iter().any(|finding| finding.id == id)
    }
}

/// The engine: a policy, and a DNS checker when the network may be used.
#[derive(Debug, Clone)]
pub struct Engine {
    /// Shared by every clone, so an admin's policy change reaches every door at once.
    in_force: Arc<RwLock<Arc<InForce>>>,
    dns: Option<DnsChecker>,
    budget: Duration,
    /// The DNS blocklists of the mail-readiness checks, with their kept answers (shared by
    /// every clone).
    blocklists: Arc<blocklists::Blocklists>,
}

/// A policy in force, with what the rules derive from it once rather than on every check.
#[derive(Debug)]
struct InForce {
    policy: Arc<Policy>,
    /// The skeletons of the protected and brand domains (`confusable`).
    originals: Originals,
}

impl InForce {
    fn new(policy: Policy) -> InForce {
        let originals = Originals::new(&policy.protected_domains, &policy.brand_domains);
        InForce {
            policy: Arc::new(policy),
            originals,
        }
    }
}

impl Engine {
    /// An engine; `dns: None` runs the offline checks only.
    pub fn new(policy: Policy, dns: Option<DnsChecker>, budget: Duration) -> Engine {
        Engine {
            in_force: Arc::new(RwLock::new(Arc::new(InForce::new(policy)))),
            dns,
            budget,
            blocklists: Arc::new(blocklists::Blocklists::none()),
        }
    }

    /// The same engine asking `blocklists` in the mail-readiness checks.
    pub fn with_blocklists(mut self, blocklists: blocklists::Blocklists) -> Engine {
        self.blocklists = Arc::new(blocklists);
        self
    }

    /// Whether this engine runs the DNS checks (else only the offline rules).
    pub fn asks_dns(&self) -> bool {
        self.dns.is_some()
    }

    /// The policy in force.
    pub fn policy(&self) -> Arc<Policy> {
        Arc::clone(&self.in_force().policy)
    }

    fn in_force(&self) -> Arc<InForce> {
        match self.in_force.read() {
            Ok(in_force) => Arc::clone(&in_force),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Puts `policy` in force for every door (and every clone of this engine).
    pub fn set_policy(&self, policy: Policy) {
        let in_force = Arc::new(InForce::new(policy));
        let mut slot = match self.in_force.write() {
            Ok(slot) => slot,
            Err(poisoned) => poisoned.into_inner(),
        };
        *slot = in_force;
    }

    /// `syntax` and every offline rule; instant, for live feedback while typing.
    pub fn offline(&self, ip: IpAddr, raw: &str) -> Report {
        let report = self.offline_report(ip, raw);
        crate::observability::metrics::check(CheckKind::Offline, &report.findings);
        report
    }

    /// `delegation`: whether every one of `servers` answers authoritatively for `zone` with
    /// the same serial. Without DNS checks, one `info` finding saying nothing was asked.
    pub async fn check_delegation(
        &self,
        zone: &hickory_resolver::proto::rr::Name,
        servers: &[Hostname],
    ) -> Vec<Finding> {
        match &self.dns {
            Some(dns) => {
                dns.delegation(zone, servers, dns.settings().nameserver_port)
                    .await
            }
            None => vec![Finding::said(
                FindingId::Delegation,
                Severity::Info,
                Text::new("finding-delegation-dns-off"),
            )],
        }
    }

    /// Every check but `mail-banner`: the offline report, then the DNS rules in parallel,
    /// all within the engine's budget.
    pub async fn check(&self, ip: IpAddr, raw: &str) -> Report {
        let report = self.full_report(ip, raw).await;
        crate::observability::metrics::check(CheckKind::Full, &report.findings);
        report
    }

    fn offline_report(&self, ip: IpAddr, raw: &str) -> Report {
        let hostname = match Hostname::parse(raw) {
            Ok(hostname) => hostname,
            Err(err) => {
                return Report {
                    hostname: None,
                    findings: vec![Finding::said(
                        FindingId::Syntax,
                        Severity::Error,
                        err.text(),
                    )],
                };
            }
        };
        let in_force = self.in_force();
        let policy = &in_force.policy;
        let found = [
            names::reserved_name(&hostname),
            names::unknown_tld(&hostname),
            names::public_suffix(&hostname),
            names::dynamic_dns(&hostname),
            names::protected_domain(&hostname, &policy.protected_domains),
            generic::embeds_ip(&hostname, ip),
            generic::provider_default(&hostname, ip, &policy.default_names),
            generic::generic_looking(&hostname, ip),
            confusable::confusable(&hostname, &in_force.originals),
        ];
        let findings = found
            .into_iter()
            .flatten()
            .map(|finding| self.apply_policy(finding))
            .collect();
        Report {
            hostname: Some(hostname),
            findings,
        }
    }

    async fn full_report(&self, ip: IpAddr, raw: &str) -> Report {
        let mut report = self.offline_report(ip, raw);
        let (Some(hostname), Some(dns)) = (report.hostname.clone(), self.dns.as_ref()) else {
            return report;
        };
        // A name that cannot exist in public DNS is never sent there.
        if report.has(FindingId::ReservedName) || report.has(FindingId::PublicSuffix) {
            return report;
        }
        let found =
            tokio::time::timeout(self.budget, self.dns_findings(dns, &hostname, ip, &report)).await;
        match found {
            Ok(findings) => {
                // A TLD newer than the list that DNS shows to exist is only a warning.
                if findings
                    .iter()
                    .any(|finding| finding.id == FindingId::UnknownTld)
                {
                    report
                        .findings
                        .retain(|finding| finding.id != FindingId::UnknownTld);
                }
                let findings = findings
                    .into_iter()
                    .map(|finding| self.apply_policy(finding));
                report.findings.extend(findings);
            }
            Err(_) => report.findings.push(Finding::said(
                FindingId::DomainExists,
                Severity::Unverified,
                Text::new("finding-dns-budget")
                    .arg("seconds", self.budget.as_secs_f32().to_string()),
            )),
        }
        report
    }

    async fn dns_findings(
        &self,
        dns: &DnsChecker,
        hostname: &Hostname,
        ip: IpAddr,
        offline: &Report,
    ) -> Vec<Finding> {
        let registrable = names::registrable_domain(hostname);
        let exists = async {
            match &registrable {
                Some(domain) => Some(dns.domain_exists(domain).await),
                None => None,
            }
        };
        let forward = async {
            match self.policy().forward {
                ForwardPolicy::Off => None,
                _ => Some(dns.forward_confirmed(hostname, ip).await),
            }
        };
        let tld = async {
            if offline.has(FindingId::UnknownTld) {
                dns.tld_exists(hostname.tld()).await
            } else {
                None
            }
        };
        let (exists, forward, tld_exists) = tokio::join!(exists, forward, tld);
        let mut findings: Vec<Finding> = exists.into_iter().chain(forward).collect();
        if tld_exists == Some(true) {
            findings.push(Finding::said(
                FindingId::UnknownTld,
                Severity::Warning,
                Text::new("finding-unknown-tld-newer").arg("tld", hostname.tld()),
            ));
        }
        findings
    }

    /// `mail-banner` for the customer's own `ip` (callers must have checked ownership).
    pub async fn mail_banner(&self, ip: IpAddr, hostname: &Hostname, port: u16) -> Finding {
        let finding = mail::mail_banner(ip, port, hostname, self.budget).await;
        let finding = self.apply_policy(finding);
        crate::observability::metrics::finding(&finding);
        finding
    }

    /// Applies severity overrides and the forward policy to a finding as a rule produced it.
    fn apply_policy(&self, mut finding: Finding) -> Finding {
        if finding.severity == Severity::Info || finding.severity == Severity::Unverified {
            return finding;
        }
        let policy = self.policy();
        if finding.id == FindingId::ForwardConfirmed && policy.forward == ForwardPolicy::Warn {
            finding.severity = Severity::Warning;
        }
        finding.severity = policy.severity(finding.id, finding.severity);
        finding
    }
}

impl Engine {
    /// The engine `settings` describe; offline only when no name server is known.
    pub fn from_settings(settings: &Settings) -> Result<Engine, ConfigError> {
        let dns = match dns_settings(settings)? {
            Some(dns) => {
                Some(DnsChecker::new(&dns).map_err(|err| ConfigError::Invalid(err.to_string()))?)
            }
            None => None,
        };
        Ok(Engine::new(
            Policy::from_settings(settings)?,
            dns,
            Duration::from_millis(settings.check_budget_ms),
        )
        .with_blocklists(blocklists::Blocklists::from_settings(settings)?))
    }
}

/// Whom the DNS checks ask, as `settings` say (`check_mode`, `root_hints`,
/// `delegation_forwarder`, `authority_port`, `dns_servers`); `None` when they do not run.
pub fn dns_settings(settings: &Settings) -> Result<Option<DnsSettings>, ConfigError> {
    if !settings.dns_checks {
        return Ok(None);
    }
    let question_timeout = Duration::from_millis(settings.dns_timeout_ms);
    let upstream = match settings.check_mode {
        CheckMode::Resolver => {
            let servers = settings.dns_server_addresses()?;
            if servers.is_empty() {
                tracing::warn!(
                    "no DNS servers configured or in /etc/resolv.conf: DNS checks are off"
                );
                return Ok(None);
            }
            Upstream::Resolvers(servers)
        }
        CheckMode::Authoritative => {
            let mut root_hints =
                crate::config::server_addresses("root_hints", &settings.root_hints)?;
            let forwarder = crate::config::server_addresses(
                "delegation_forwarder",
                &settings.delegation_forwarder,
            )?;
            if root_hints.is_empty() && forwarder.is_empty() {
                root_hints = dns::authority::IANA_ROOT_SERVERS
                    .iter()
                    .filter_map(|ip| ip.parse::<IpAddr>().ok())
                    .map(|ip| std::net::SocketAddr::new(ip, 53))
                    .collect();
            }
            if settings.authority_port == 0 {
                return Err(ConfigError::Invalid(
                    "authority_port: 0 is not a port".to_owned(),
                ));
            }
            Upstream::Authorities(AuthoritySettings {
                root_hints,
                forwarder,
                port: settings.authority_port,
            })
        }
    };
    Ok(Some(DnsSettings {
        upstream,
        question_timeout,
        nameserver_port: settings.authority_port,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_default_the_checks_walk_from_the_iana_root_servers_on_port_53() {
        let dns = dns_settings(&Settings::default())
            .expect("valid")
            .expect("on");

        let Upstream::Authorities(authorities) = dns.upstream else {
            panic!("authoritative by default");
        };
        assert_eq!(authorities.root_hints.len(), 13);
        assert_eq!(authorities.root_hints[0], "198.41.0.4:53".parse().unwrap());
        assert!(authorities.forwarder.is_empty());
        assert_eq!(authorities.port, 53);
    }

    #[test]
    fn resolver_mode_asks_the_configured_resolvers() {
        let settings = Settings {
            check_mode: CheckMode::Resolver,
            dns_servers: vec!["127.0.0.1:5300".to_owned()],
            ..Settings::default()
        };

        let dns = dns_settings(&settings).expect("valid").expect("on");

        assert_eq!(
            dns.upstream,
            Upstream::Resolvers(vec!["127.0.0.1:5300".parse().unwrap()])
        );
    }

    #[test]
    fn configured_root_hints_replace_the_iana_ones_and_bad_ones_are_named() {
        let settings = Settings {
            root_hints: vec!["127.0.0.2:5301".to_owned(), "127.0.0.3".to_owned()],
            authority_port: 5301,
            ..Settings::default()
        };
        let bad = Settings {
            root_hints: vec!["a.root-servers.net".to_owned()],
            ..Settings::default()
        };

        let dns = dns_settings(&settings).expect("valid").expect("on");
        let refused = dns_settings(&bad).expect_err("refused").to_string();

        assert_eq!(
            dns.upstream,
            Upstream::Authorities(AuthoritySettings {
                root_hints: vec![
                    "127.0.0.2:5301".parse().unwrap(),
                    "127.0.0.3:53".parse().unwrap()
                ],
                forwarder: Vec::new(),
                port: 5301,
            })
        );
        assert_eq!(
            refused,
            "invalid configuration: root_hints: \"a.root-servers.net\" is not an address"
        );
    }
}

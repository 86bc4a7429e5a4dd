//! Mail readiness of one address: will receivers trust mail sent from it? The PTR in force,
//! whether it is forward-confirmed, the SMTP greeting (on demand), whether the PTR's domain
//! has MX, SPF and DMARC records (present or absent, and their syntax — nothing about what
//! they allow), how generated the name looks, and the configured DNS blocklists. One verdict
//! per address, the most pressing problem first, with the fix beside it.
//!
//! Every DNS question goes the way the checks ask (`check_mode`), within the engine's budget;
//! a question that brings no answer makes its line `unverified`, never a pass.

mod lines;
mod records;
mod verdict;

use super::Engine;
use super::blocklists::ListResult;
use super::generic::{GenericScore, generic_score};
use super::names;
use crate::domain::Hostname;
use serde::Serialize;
use std::net::IpAddr;
use std::time::Instant;

/// Where the PTR in force comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PtrSource {
    /// The customer's own name.
    Customer,
    /// The provider's default name.
    Default,
}

/// The PTR ptrdesk publishes for the address now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PtrInForce {
    /// The name (ASCII).
    pub name: String,
    /// Whose name it is.
    pub source: PtrSource,
}

/// How one line of the page came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// As receivers want it.
    Pass,
    /// Worth fixing; receivers may still take the mail.
    Warning,
    /// Receivers will hold it against the address.
    Fail,
    /// No answer came; nothing is known.
    Unverified,
    /// Not run (the greeting is tested on demand only; no PTR to check).
    NotChecked,
}

impl Status {
    /// The CSS class and badge of the status.
    pub fn css(&self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warning => "warning",
            Status::Fail => "fail",
            Status::Unverified => "unverified",
            Status::NotChecked => "not-checked",
        }
    }

    /// The badge text.
    pub fn label(&self) -> &'static str {
        match self {
            Status::Pass => "OK",
            Status::Warning => "Warning",
            Status::Fail => "Problem",
            Status::Unverified => "No answer",
            Status::NotChecked => "Not tested",
        }
    }
}

/// The lines of the page, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// A PTR is in force.
    Ptr,
    /// The PTR resolves back to the address.
    ForwardConfirmed,
    /// The SMTP greeting names the PTR.
    Greeting,
    /// The PTR's domain has MX.
    Mx,
    /// The PTR's domain has an SPF record.
    Spf,
    /// The PTR's domain has a DMARC record.
    Dmarc,
    /// The name does not look generated.
    GenericName,
}

impl Check {
    /// Whether this is the greeting's line (the page puts its button there).
    pub fn is_greeting(&self) -> bool {
        *self == Check::Greeting
    }

    /// What the line is about, as the page names it.
    pub fn title(&self) -> &'static str {
        match self {
            Check::Ptr => "PTR in force",
            Check::ForwardConfirmed => "Forward-confirmed",
            Check::Greeting => "SMTP greeting",
            Check::Mx => "MX of the domain",
            Check::Spf => "SPF of the domain",
            Check::Dmarc => "DMARC of the domain",
            Check::GenericName => "Generic-name score",
        }
    }
}

/// One line: a check, how it came out, in a sentence, and what was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// Which check.
    pub id: Check,
    /// How it came out.
    pub status: Status,
    /// One sentence.
    pub message: String,
    /// What was found (records, the greeting).
    pub details: Vec<String>,
}

/// The verdicts, from the most pressing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VerdictId {
    /// An IPv6 address without PTR.
    Ipv6NoPtr,
    /// An IPv4 address without PTR.
    NoPtr,
    /// On a configured blocklist.
    Listed,
    /// The PTR does not resolve back to the address.
    NotForwardConfirmed,
    /// The name looks generated (or is the provider default).
    TreatedAsDynamic,
    /// The SMTP greeting names another host.
    GreetingMismatch,
    /// No valid SPF record on the PTR's domain.
    NoSpf,
    /// No DMARC record on the PTR's domain.
    NoDmarc,
    /// No MX on the PTR's domain.
    NoMx,
    /// Some questions brought no answer.
    Unverified,
    /// Nothing found against it.
    Ready,
}

/// One verdict per address, with the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Which.
    pub id: VerdictId,
    /// The verdict in a few words ("Ready to send mail").
    pub message: String,
    /// What to do about it; `None` when nothing is needed.
    pub fix: Option<String>,
}

impl Verdict {
    /// The CSS class of the verdict.
    pub fn css(&self) -> &'static str {
        match self.id {
            VerdictId::Ready => "pass",
            VerdictId::Unverified => "unverified",
            VerdictId::NoSpf | VerdictId::NoDmarc | VerdictId::NoMx => "warning",
            _ => "fail",
        }
    }
}

/// Everything the page, the API and the dossier show for one address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Readiness {
    /// The address.
    pub ip: IpAddr,
    /// The PTR in force; `None` when the address has none.
    pub ptr: Option<String>,
    /// Whose name it is.
    pub ptr_source: Option<PtrSource>,
    /// The PTR's registrable domain, whose MX, SPF and DMARC are read.
    pub domain: Option<String>,
    /// The verdict.
    pub verdict: Verdict,
    /// The lines, in [`Check`] order.
    pub checks: Vec<Line>,
    /// The configured blocklists.
    pub blocklists: Vec<ListResult>,
    /// How generated the name looks.
    pub generic: Option<GenericScore>,
    /// Whether the greeting was tested this time.
    pub greeting_tested: bool,
}

impl Readiness {
    /// The line of `id`.
    pub fn line(&self, id: Check) -> Option<&Line> {
        self.checks.iter().find(|line| line.id == id)
    }
}

impl Engine {
    /// The mail readiness of `ip` with `ptr` in force; `greeting_port` tests the SMTP greeting
    /// on that port (callers must have checked that the address is the customer's own).
    #[tracing::instrument(skip_all, fields(ip = %ip))]
    pub async fn mail_readiness(
        &self,
        ip: IpAddr,
        ptr: Option<PtrInForce>,
        greeting_port: Option<u16>,
    ) -> Readiness {
        let deadline = Instant::now() + self.budget;
        let hostname = ptr.as_ref().and_then(|ptr| Hostname::parse(&ptr.name).ok());
        let domain = hostname.as_ref().and_then(names::registrable_domain);
        let generic = hostname.as_ref().map(|name| generic_score(name, ip));

        let dns_work = async {
            let dns = self.dns.as_ref()?;
            let forward = async {
                match &hostname {
                    Some(name) => Some(dns.forward_confirmed(name, ip).await),
                    None => None,
                }
            };
            let records = async {
                match &domain {
                    Some(domain) => Some(records::domain_records(dns, domain).await),
                    None => None,
                }
            };
            let listed = self.blocklists.look_up(dns, ip, deadline);
            Some(tokio::join!(forward, records, listed))
        };
        let greeting = async {
            match (&hostname, greeting_port) {
                (Some(name), Some(port)) => Some(self.mail_banner(ip, name, port).await),
                _ => None,
            }
        };
        let (dns_found, greeting) =
            tokio::join!(tokio::time::timeout_at(deadline.into(), dns_work), greeting);

        let mut checks = vec![lines::ptr_line(ip, ptr.as_ref())];
        let mut blocklists = Vec::new();
        match dns_found {
            Ok(Some((forward, records, listed))) => {
                checks.push(lines::forward_line(forward));
                checks.push(lines::greeting_line(ip, hostname.as_ref(), greeting));
                match records {
                    Some(records) => checks.extend(records),
                    None => checks.extend(lines::no_domain_lines(hostname.as_ref())),
                }
                blocklists = listed;
            }
            found => {
                let why = match found {
                    Ok(None) => crate::i18n::t("rc-dns-off"),
                    _ => crate::i18n::t_args(
                        "rc-dns-timeout",
                        &[("seconds", &self.budget.as_secs_f32().to_string())],
                    ),
                };
                let unverified = |id| Line {
                    id,
                    status: Status::Unverified,
                    message: crate::i18n::t_args("rc-not-known", &[("why", &why)]),
                    details: Vec::new(),
                };
                checks.push(unverified(Check::ForwardConfirmed));
                checks.push(lines::greeting_line(ip, hostname.as_ref(), greeting));
                for id in [Check::Mx, Check::Spf, Check::Dmarc] {
                    checks.push(unverified(id));
                }
            }
        }
        checks.push(lines::generic_line(ptr.as_ref(), generic.as_ref()));
        let verdict = verdict::verdict(ip, ptr.as_ref(), domain.as_deref(), &checks, &blocklists);
        Readiness {
            ip,
            ptr: ptr.as_ref().map(|ptr| ptr.name.clone()),
            ptr_source: ptr.as_ref().map(|ptr| ptr.source),
            domain,
            verdict,
            checks,
            blocklists,
            generic,
            greeting_tested: greeting_port.is_some() && hostname.is_some(),
        }
    }

    /// The configured blocklist zones.
    pub fn blocklist_zones(&self) -> Vec<String> {
        self.blocklists.zones()
    }
}

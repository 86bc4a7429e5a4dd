//! Mail readiness of one address: will receivers trust mail sent from it? The PTR in force,
//! whether it is forward-confirmed, the SMTP greeting (on demand), whether the PTR's domain
//! has MX, SPF and DMARC records (present or absent, and their syntax — nothing about what
//! they allow), how generated the name looks, and the configured DNS blocklists. One verdict
//! per address, the most pressing problem first, with the fix beside it.
//!
//! Every DNS question goes the way the checks ask (`check_mode`), within the engine's budget;
//! a question that brings no answer makes its line `unverified`, never a pass.

use super::blocklists::ListResult;
use super::dns::{DnsChecker, Lookup, RData, RecordType};
use super::generic::{GenericScore, generic_score};
use super::names;
use super::{Engine, mail};
use crate::domain::Hostname;
use crate::domain::finding::{Finding, Severity};
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
                    Some(domain) => Some(domain_records(dns, domain).await),
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

        let mut checks = vec![ptr_line(ip, ptr.as_ref())];
        let mut blocklists = Vec::new();
        match dns_found {
            Ok(Some((forward, records, listed))) => {
                checks.push(forward_line(forward));
                checks.push(greeting_line(ip, hostname.as_ref(), greeting));
                match records {
                    Some(records) => checks.extend(records),
                    None => checks.extend(no_domain_lines(hostname.as_ref())),
                }
                blocklists = listed;
            }
            found => {
                let why = match found {
                    Ok(None) => "the DNS checks are off on this panel".to_owned(),
                    _ => format!("DNS did not answer within {} s", self.budget.as_secs_f32()),
                };
                let unverified = |id| Line {
                    id,
                    status: Status::Unverified,
                    message: format!("Not known: {why}."),
                    details: Vec::new(),
                };
                checks.push(unverified(Check::ForwardConfirmed));
                checks.push(greeting_line(ip, hostname.as_ref(), greeting));
                for id in [Check::Mx, Check::Spf, Check::Dmarc] {
                    checks.push(unverified(id));
                }
            }
        }
        checks.push(generic_line(ptr.as_ref(), generic.as_ref()));
        let verdict = verdict(ip, ptr.as_ref(), domain.as_deref(), &checks, &blocklists);
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

fn ptr_line(ip: IpAddr, ptr: Option<&PtrInForce>) -> Line {
    let (status, message) = match ptr {
        None if ip.is_ipv6() => (
            Status::Fail,
            format!("{ip} has no PTR: receivers refuse mail over IPv6 from addresses without one."),
        ),
        None => (Status::Fail, format!("{ip} has no PTR.")),
        Some(ptr) if ptr.source == PtrSource::Default => (
            Status::Warning,
            format!("The provider's default name {} is in force.", ptr.name),
        ),
        Some(ptr) => (Status::Pass, format!("{} is in force.", ptr.name)),
    };
    Line {
        id: Check::Ptr,
        status,
        message,
        details: Vec::new(),
    }
}

fn forward_line(forward: Option<Finding>) -> Line {
    let Some(finding) = forward else {
        return Line {
            id: Check::ForwardConfirmed,
            status: Status::NotChecked,
            message: "No PTR to confirm.".to_owned(),
            details: Vec::new(),
        };
    };
    let status = match finding.severity {
        Severity::Info => Status::Pass,
        Severity::Unverified => Status::Unverified,
        Severity::Warning | Severity::Error => Status::Fail,
    };
    Line {
        id: Check::ForwardConfirmed,
        status,
        message: finding.message,
        details: finding.details,
    }
}

fn greeting_line(ip: IpAddr, hostname: Option<&Hostname>, greeting: Option<Finding>) -> Line {
    let line = |status, message: String, details| Line {
        id: Check::Greeting,
        status,
        message,
        details,
    };
    match (greeting, hostname) {
        (_, None) => line(
            Status::NotChecked,
            "No PTR to compare the greeting with.".to_owned(),
            Vec::new(),
        ),
        (None, Some(_)) => line(
            Status::NotChecked,
            format!(
                "Not tested yet. The test connects to the mail server on {ip} and reads its \
                 greeting; nothing is sent but QUIT."
            ),
            Vec::new(),
        ),
        (Some(finding), Some(_)) => {
            let status = match finding.severity {
                Severity::Info if finding.message.ends_with(mail::MATCHING) => Status::Pass,
                Severity::Info => Status::NotChecked,
                Severity::Unverified => Status::Unverified,
                Severity::Warning | Severity::Error => Status::Fail,
            };
            line(status, finding.message, finding.details)
        }
    }
}

fn no_domain_lines(hostname: Option<&Hostname>) -> Vec<Line> {
    let message = match hostname {
        Some(name) => format!("{name} has no registrable domain to read records of."),
        None => "No PTR, so no domain to read records of.".to_owned(),
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

fn generic_line(ptr: Option<&PtrInForce>, generic: Option<&GenericScore>) -> Line {
    let (status, message, details) = match (ptr, generic) {
        (Some(ptr), Some(score)) if score.embeds_ip => (
            Status::Fail,
            format!(
                "{} carries the address itself: receivers read such names as dynamic space.",
                ptr.name
            ),
            vec![format!(
                "score {} (from {} reads as generated)",
                score.score, score.threshold
            )],
        ),
        (Some(ptr), Some(score)) if score.looks_generated() => (
            Status::Fail,
            format!(
                "{} looks generated (score {} of {}): receivers may read it as dynamic space.",
                ptr.name, score.score, score.threshold
            ),
            vec![score.breakdown.clone()],
        ),
        (Some(ptr), Some(score)) => (
            Status::Pass,
            format!(
                "{} reads as a name given by hand (score {}, generated from {}).",
                ptr.name, score.score, score.threshold
            ),
            vec![score.breakdown.clone()]
                .into_iter()
                .filter(|line| !line.is_empty())
                .collect(),
        ),
        _ => (
            Status::NotChecked,
            "No PTR to score.".to_owned(),
            Vec::new(),
        ),
    };
    Line {
        id: Check::GenericName,
        status,
        message,
        details,
    }
}

/// MX, SPF and DMARC of `domain`, asked in parallel.
async fn domain_records(dns: &DnsChecker, domain: &str) -> Vec<Line> {
    let dmarc_name = format!("_dmarc.{domain}");
    let (mx, txt, dmarc) = tokio::join!(
        dns.lookup(domain, RecordType::MX),
        dns.lookup(domain, RecordType::TXT),
        dns.lookup(&dmarc_name, RecordType::TXT),
    );
    vec![
        mx_line(domain, mx),
        spf_line(domain, txt),
        dmarc_line(domain, &dmarc_name, dmarc),
    ]
}

fn unanswered(id: Check, name: &str, why: String) -> Line {
    Line {
        id,
        status: Status::Unverified,
        message: format!("{name} could not be asked: {why}."),
        details: Vec::new(),
    }
}

fn mx_line(domain: &str, found: Result<Lookup, String>) -> Line {
    let line = |status, message, details| Line {
        id: Check::Mx,
        status,
        message,
        details,
    };
    match found {
        Err(why) => unanswered(Check::Mx, domain, why),
        Ok(Lookup::Records(records)) => {
            let exchanges: Vec<String> = records
                .iter()
                .filter_map(|data| match data {
                    RData::MX(mx) => Some(format!(
                        "MX {} {}",
                        mx.preference,
                        mx.exchange.to_ascii().trim_end_matches('.')
                    )),
                    _ => None,
                })
                .collect();
            line(Status::Pass, format!("{domain} has MX records."), exchanges)
        }
        Ok(Lookup::NoData) => line(
            Status::Warning,
            format!("{domain} has no MX record: replies and bounces to it have nowhere to go."),
            Vec::new(),
        ),
        Ok(Lookup::NxDomain) => line(
            Status::Fail,
            format!("{domain} does not exist in DNS (NXDOMAIN)."),
            Vec::new(),
        ),
    }
}

/// The TXT records of `found` as strings (a record's character-strings joined).
fn texts(records: &[RData]) -> Vec<String> {
    records
        .iter()
        .filter_map(|data| match data {
            RData::TXT(txt) => Some(
                txt.txt_data
                    .iter()
                    .map(|part| String::from_utf8_lossy(part).into_owned())
                    .collect::<String>(),
            ),
            _ => None,
        })
        .collect()
}

/// Whether `text` begins with the version tag `tag` (case-insensitive), followed by the end
/// or `separator`.
fn tagged(text: &str, tag: &str, separator: char) -> bool {
    let text = text.trim_start();
    text.len() >= tag.len()
        && text[..tag.len()].eq_ignore_ascii_case(tag)
        && text[tag.len()..]
            .chars()
            .next()
            .is_none_or(|next| next == separator || (separator == ' ' && next.is_whitespace()))
}

fn spf_line(domain: &str, found: Result<Lookup, String>) -> Line {
    let line = |status, message, details| Line {
        id: Check::Spf,
        status,
        message,
        details,
    };
    let records = match found {
        Err(why) => return unanswered(Check::Spf, domain, why),
        Ok(Lookup::NxDomain) => {
            return line(
                Status::Fail,
                format!("{domain} does not exist in DNS (NXDOMAIN)."),
                Vec::new(),
            );
        }
        Ok(Lookup::NoData) => Vec::new(),
        Ok(Lookup::Records(records)) => records,
    };
    let spf: Vec<String> = texts(&records)
        .into_iter()
        .filter(|text| tagged(text, "v=spf1", ' '))
        .collect();
    match spf.as_slice() {
        [] => line(
            Status::Fail,
            format!("{domain} has no SPF record (TXT \"v=spf1 …\")."),
            Vec::new(),
        ),
        [record] => match spf_problem(record) {
            None => line(
                Status::Pass,
                format!("{domain} has an SPF record."),
                vec![format!("TXT \"{record}\"")],
            ),
            Some(problem) => line(
                Status::Fail,
                format!("The SPF record of {domain} is not valid: {problem}."),
                vec![format!("TXT \"{record}\"")],
            ),
        },
        several => line(
            Status::Fail,
            format!(
                "{domain} has {} SPF records; receivers treat more than one as an error \
                 (RFC 7208, 3.2).",
                several.len()
            ),
            several
                .iter()
                .map(|text| format!("TXT \"{text}\""))
                .collect(),
        ),
    }
}

/// What is wrong with the syntax of an SPF record (RFC 7208, 12), if anything.
fn spf_problem(record: &str) -> Option<String> {
    const MECHANISMS: [&str; 8] = ["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"];
    for term in record.split_whitespace().skip(1) {
        let body = term.trim_start_matches(['+', '-', '~', '?']);
        if body.len() + 1 < term.len() {
            return Some(format!("\"{term}\" has more than one qualifier"));
        }
        let name_end = body.find([':', '/', '=']).unwrap_or(body.len());
        let (name, rest) = body.split_at(name_end);
        if rest.starts_with('=') {
            // A modifier: `redirect=`, `exp=` or one unknown to us (allowed).
            let valid = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !valid || rest.len() == 1 {
                return Some(format!("\"{term}\" is not a modifier"));
            }
            continue;
        }
        let name = name.to_ascii_lowercase();
        if !MECHANISMS.contains(&name.as_str()) {
            return Some(format!("\"{term}\" is not a mechanism"));
        }
        let value = rest.strip_prefix(':');
        let needs_value = matches!(name.as_str(), "include" | "exists" | "ip4" | "ip6");
        if needs_value && value.is_none_or(str::is_empty) {
            return Some(format!("\"{term}\" needs a value after \":\""));
        }
        if name == "all" && !rest.is_empty() {
            return Some(format!("\"{term}\": all takes no value"));
        }
        if let Some(value) = value
            && (name == "ip4" || name == "ip6")
        {
            let (address, prefix) = value.split_once('/').unwrap_or((value, ""));
            let parsed = match name.as_str() {
                "ip4" => address.parse::<std::net::Ipv4Addr>().is_ok(),
                _ => address.parse::<std::net::Ipv6Addr>().is_ok(),
            };
            let max = if name == "ip4" { 32 } else { 128 };
            let prefix_ok = prefix.is_empty() || prefix.parse::<u8>().is_ok_and(|bits| bits <= max);
            if !parsed || !prefix_ok {
                return Some(format!("\"{term}\" is not an {name} network"));
            }
        }
    }
    None
}

fn dmarc_line(domain: &str, name: &str, found: Result<Lookup, String>) -> Line {
    let line = |status, message, details| Line {
        id: Check::Dmarc,
        status,
        message,
        details,
    };
    let records = match found {
        Err(why) => return unanswered(Check::Dmarc, name, why),
        Ok(Lookup::NxDomain | Lookup::NoData) => Vec::new(),
        Ok(Lookup::Records(records)) => records,
    };
    let dmarc: Vec<String> = texts(&records)
        .into_iter()
        .filter(|text| tagged(text, "v=DMARC1", ';'))
        .collect();
    match dmarc.as_slice() {
        [] => line(
            Status::Warning,
            format!("{domain} has no DMARC record (TXT \"v=DMARC1; …\" at {name})."),
            Vec::new(),
        ),
        [record] => match dmarc_problem(record) {
            None => line(
                Status::Pass,
                format!("{domain} has a DMARC record."),
                vec![format!("{name} TXT \"{record}\"")],
            ),
            Some(problem) => line(
                Status::Fail,
                format!("The DMARC record of {domain} is not valid: {problem}."),
                vec![format!("{name} TXT \"{record}\"")],
            ),
        },
        several => line(
            Status::Fail,
            format!(
                "{name} has {} DMARC records; receivers ignore them all (RFC 7489, 6.6.3).",
                several.len()
            ),
            several
                .iter()
                .map(|text| format!("TXT \"{text}\""))
                .collect(),
        ),
    }
}

/// What is wrong with the syntax of a DMARC record (RFC 7489, 6.4), if anything.
fn dmarc_problem(record: &str) -> Option<String> {
    let mut policy = None;
    for (index, tag) in record.split(';').map(str::trim).enumerate() {
        if tag.is_empty() {
            continue;
        }
        let Some((name, value)) = tag.split_once('=') else {
            return Some(format!("\"{tag}\" is not a tag=value pair"));
        };
        let (name, value) = (name.trim(), value.trim());
        if index == 0 {
            continue; // v=DMARC1, matched already
        }
        if name == "p" {
            policy = Some(value.to_ascii_lowercase());
        }
    }
    match policy.as_deref() {
        Some("none" | "quarantine" | "reject") => None,
        Some(other) => Some(format!("p={other} is not none, quarantine or reject")),
        None => Some("it has no policy (p=none, quarantine or reject)".to_owned()),
    }
}

/// The most pressing problem, and its fix.
fn verdict(
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
    if status(Check::Dmarc) != Status::Pass && status(Check::Dmarc) != Status::Unverified {
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
            .any(|list| matches!(list.listing, super::blocklists::Listing::Unverified { .. }));
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

    #[test]
    fn spf_syntax_is_read_term_by_term() {
        assert_eq!(
            spf_problem(
                "v=spf1 mx ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.example.com ~all"
            ),
            None
        );
        assert_eq!(spf_problem("v=spf1 redirect=_spf.example.com"), None);
        assert!(spf_problem("v=spf1 ip4:192.0.2.300 -all").is_some());
        assert!(spf_problem("v=spf1 include -all").is_some());
        assert!(spf_problem("v=spf1 mx allow").is_some());
    }

    #[test]
    fn dmarc_needs_a_policy() {
        assert_eq!(
            dmarc_problem("v=DMARC1; p=reject; rua=mailto:d@example.com"),
            None
        );
        assert!(dmarc_problem("v=DMARC1; rua=mailto:d@example.com").is_some());
        assert!(dmarc_problem("v=DMARC1; p=maybe").is_some());
        assert!(tagged("v=DMARC1; p=none", "v=DMARC1", ';'));
        assert!(tagged("V=spf1 -all", "v=spf1", ' '));
        assert!(!tagged("v=spf10 -all", "v=spf1", ' '));
    }
}

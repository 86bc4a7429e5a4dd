//! The DNS rules, `domain-exists` and `forward-confirmed`, asked either of the zone's own
//! name servers (`check_mode = authoritative`, [`authority`]) or of configured resolvers
//! with hickory-resolver (`check_mode = resolver`). Every question has a deadline; a timeout,
//! SERVFAIL or REFUSED gives `unverified` with the reason, never a hang and never a silent
//! pass.
//!
//! Nothing is kept between questions: a pending change is checked again later and must see
//! the records as they are then. CNAME chains are walked here, one `CNAME` question per name,
//! so that a finding can name the chain and a loop is caught by us, not by a resolver limit.

pub mod authority;
mod delegation;
mod wire;

use crate::domain::Hostname;
use crate::domain::finding::{Finding, FindingId, Severity};
use crate::i18n::Text;
pub use authority::AuthoritySettings;
use hickory_resolver::TokioResolver;
use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError, NoRecords};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{Name, Record};
pub use hickory_resolver::proto::rr::{RData, RecordType};
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// How many CNAMEs `forward-confirmed` follows from the hostname (SPEC: ≤ 8).
pub const MAX_CNAMES: usize = 8;

/// Whom the DNS checks ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upstream {
    /// `check_mode = resolver`: these resolvers (test servers in tests).
    Resolvers(Vec<SocketAddr>),
    /// `check_mode = authoritative`: the zones' own servers, found from root hints.
    Authorities(AuthoritySettings),
}

impl fmt::Display for Upstream {
    /// Whom the checks ask, as the start-up log says it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |servers: &[SocketAddr]| {
            let servers: Vec<String> = servers.iter().map(SocketAddr::to_string).collect();
            servers.join(", ")
        };
        match self {
            Upstream::Resolvers(servers) => write!(f, "resolvers {}", list(servers)),
            Upstream::Authorities(authorities) if authorities.forwarder.is_empty() => write!(
                f,
                "the zones' own name servers (port {}), found from root hints {}",
                authorities.port,
                list(&authorities.root_hints)
            ),
            Upstream::Authorities(authorities) => write!(
                f,
                "the zones' own name servers (port {}), found through forwarder {}",
                authorities.port,
                list(&authorities.forwarder)
            ),
        }
    }
}

/// Which name servers to ask, and how long to wait.
#[derive(Debug, Clone)]
pub struct DnsSettings {
    /// Resolvers, or where the walk to the authorities starts.
    pub upstream: Upstream,
    /// Deadline of one question.
    pub question_timeout: Duration,
    /// The port a customer's own name servers are asked at (`delegation`; 53 but in tests).
    pub nameserver_port: u16,
}

impl DnsSettings {
    /// Asks `servers` as resolvers, `question_timeout` per question.
    pub fn resolvers(servers: Vec<SocketAddr>, question_timeout: Duration) -> DnsSettings {
        DnsSettings {
            upstream: Upstream::Resolvers(servers),
            question_timeout,
            nameserver_port: 53,
        }
    }
}

/// Why a resolver could not be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot set up DNS checks: {0}")]
pub struct DnsSetupError(String);

/// Asks the configured name servers.
#[derive(Clone)]
pub struct DnsChecker {
    settings: DnsSettings,
    /// The resolver of `check_mode = resolver`; `None` in authoritative mode.
    resolver: Option<TokioResolver>,
}

impl fmt::Debug for DnsChecker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DnsChecker")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// What one question brought back.
#[derive(Debug, Clone)]
enum Answer {
    /// Records of the type asked for (possibly with others the server added).
    Records(Vec<Record>),
    /// The name exists, but has no record of that type (NOERROR, empty answer).
    NoData,
    /// The name does not exist.
    NxDomain,
}

/// What [`DnsChecker::lookup`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// Records of the type asked for.
    Records(Vec<RData>),
    /// The name exists, without records of that type.
    NoData,
    /// The name does not exist.
    NxDomain,
}

/// An answer, whom it came from and what was odd on the way (lame or disagreeing servers).
struct Asked {
    answer: Answer,
    /// `None` in resolver mode (the resolvers are named once, first).
    from: Option<String>,
    /// Whom it came from in short, for a sentence (`None` in resolver mode).
    at: Option<Text>,
    notes: Vec<String>,
}

/// Why a question brought nothing back.
enum Unanswered {
    Timeout,
    Rcode(ResponseCode),
    Failed(String),
    /// The walk to the authorities ended without an answer: why, as a sentence's end.
    Authorities(Text),
}

impl DnsChecker {
    /// A checker asking `settings.servers` over UDP (TCP when an answer is truncated), with
    /// no cache, no hosts file and no search list: exactly the configured servers, every time.
    /// In authoritative mode: no resolver, the walk of [`authority`] for every question.
    pub fn new(settings: &DnsSettings) -> Result<DnsChecker, DnsSetupError> {
        if settings.question_timeout.is_zero() {
            return Err(DnsSetupError("the DNS question timeout is zero".to_owned()));
        }
        let servers = match &settings.upstream {
            Upstream::Resolvers(servers) => servers,
            Upstream::Authorities(authorities) => {
                if authorities.root_hints.is_empty() && authorities.forwarder.is_empty() {
                    return Err(DnsSetupError(
                        "no root hint and no delegation forwarder is configured".to_owned(),
                    ));
                }
                return Ok(DnsChecker {
                    settings: settings.clone(),
                    resolver: None,
                });
            }
        };
        if servers.is_empty() {
            return Err(DnsSetupError("no name server is configured".to_owned()));
        }
        let name_servers = servers.iter().map(|server| {
            let connection = |mut config: ConnectionConfig| {
                config.port = server.port();
                config
            };
            let connections = vec![
                connection(ConnectionConfig::udp()),
                connection(ConnectionConfig::tcp()),
            ];
            NameServerConfig::new(server.ip(), true, connections)
        });
        let config = ResolverConfig::from_name_servers(name_servers.collect());
        let mut builder =
            TokioResolver::builder_with_config(config, TokioRuntimeProvider::default());
        let options = builder.options_mut();
        options.timeout = settings.question_timeout;
        // One more try after a fast failure (a lost connection, a SERVFAIL from one of several
        // servers); a timeout is bounded again by `ask`, so retries never stretch a question.
        options.attempts = 1;
        // Nothing is kept between questions: a re-check must see what DNS serves now.
        options.cache_size = 0;
        options.positive_max_ttl = Some(Duration::ZERO);
        options.negative_max_ttl = Some(Duration::ZERO);
        options.use_hosts_file = ResolveHosts::Never;
        let resolver = builder
            .build()
            .map_err(|err| DnsSetupError(err.to_string()))?;
        Ok(DnsChecker {
            settings: settings.clone(),
            resolver: Some(resolver),
        })
    }

    /// The settings this checker was built with.
    pub fn settings(&self) -> &DnsSettings {
        &self.settings
    }

    /// The details a finding starts with: the resolvers asked (resolver mode); in
    /// authoritative mode each answer adds whom it came from ([`Details::asked`]).
    fn details(&self) -> Details {
        match &self.settings.upstream {
            Upstream::Resolvers(_) => Details(vec![format!("asked {}", self.servers())]),
            Upstream::Authorities(_) => Details(Vec::new()),
        }
    }

    /// `domain-exists`: the registrable domain has an SOA. An `info` finding saying what was
    /// found when it passes, `error` on NXDOMAIN, `unverified` when no answer came.
    #[tracing::instrument(skip_all, fields(domain = %registrable))]
    pub async fn domain_exists(&self, registrable: &str) -> Finding {
        let mut details = self.details();
        let finding = |severity, text: Text, details: Details| {
            Finding::said(FindingId::DomainExists, severity, text).with_details(details.0)
        };
        let said = |key: &str| Text::new(key).arg("domain", registrable);
        let Some(name) = fqdn(registrable) else {
            let text = said("finding-domain-not-a-name");
            return finding(Severity::Error, text, details);
        };
        let asked = match self.ask(&name, RecordType::SOA).await {
            Ok(asked) => asked,
            Err(why) => {
                let text = said("finding-domain-unverified").arg("reason", self.reason(&why));
                return finding(Severity::Unverified, text, details);
            }
        };
        let at = asked
            .at
            .clone()
            .unwrap_or_else(|| Text::new("finding-plain").arg("text", self.servers()));
        details.asked(&asked);
        match asked.answer {
            Answer::Records(_) => finding(
                Severity::Info,
                said("finding-domain-exists").arg("at", at),
                details,
            ),
            // The name is there, only not a zone apex (e.g. a subdomain of a provider's zone).
            Answer::NoData => finding(
                Severity::Info,
                said("finding-domain-exists-no-soa").arg("at", at),
                details,
            ),
            Answer::NxDomain => finding(Severity::Error, said("finding-domain-nxdomain"), details),
        }
    }

    /// `forward-confirmed`: the name resolves (A for IPv4, AAAA for IPv6, through at most 8
    /// CNAMEs) to `ip`. `info` when one address matches, `error` when none does (the engine
    /// applies the forward policy), `unverified` when no answer came.
    #[tracing::instrument(skip_all, fields(hostname = %hostname, ip = %ip))]
    pub async fn forward_confirmed(&self, hostname: &Hostname, ip: IpAddr) -> Finding {
        let record_type = match ip {
            IpAddr::V4(_) => RecordType::A,
            IpAddr::V6(_) => RecordType::AAAA,
        };
        let mut details = self.details();
        let finding = |severity, text: Text, details: Details| {
            Finding::said(FindingId::ForwardConfirmed, severity, text).with_details(details.0)
        };
        let said = |key: &str| {
            Text::new(key)
                .arg("hostname", hostname.to_string())
                .arg("ip", ip)
                .arg("type", record_type.to_string())
        };
        let Some(start) = fqdn(hostname.as_ascii()) else {
            let text = said("finding-forward-not-a-name");
            return finding(Severity::Error, text, details);
        };
        let unverified = |why: &Unanswered, details| {
            let text = said("finding-forward-unverified").arg("reason", self.reason(why));
            finding(Severity::Unverified, text, details)
        };

        // Walk the CNAME chain, one question per name; `chain` holds every name seen. A
        // resolver is asked for the CNAME (it would follow the chain itself), an authority
        // for the address: it answers with the CNAME when the name is an alias.
        let question = match self.resolver {
            Some(_) => RecordType::CNAME,
            None => record_type,
        };
        let mut current = start;
        let mut chain = vec![current.clone()];
        let last = loop {
            let asked = match self.ask(&current, question).await {
                Ok(asked) => asked,
                Err(why) => return unverified(&why, details),
            };
            details.asked(&asked);
            let target = match &asked.answer {
                Answer::Records(records) => cname_of(&current, records),
                Answer::NoData => None,
                Answer::NxDomain if chain.len() == 1 => {
                    let text = said("finding-forward-nxdomain");
                    return finding(Severity::Error, text, details);
                }
                Answer::NxDomain => {
                    let text = said("finding-forward-alias-nxdomain")
                        .arg("chain", show_chain(&chain))
                        .arg("target", shown(&current));
                    return finding(Severity::Error, text, details);
                }
            };
            let Some(target) = target else {
                break asked;
            };
            details.push(format!("{} CNAME {}", shown(&current), shown(&target)));
            let seen = chain.iter().any(|name| same_name(name, &target));
            chain.push(target.clone());
            if seen {
                let text = said("finding-forward-cname-loop").arg("chain", show_chain(&chain));
                return finding(Severity::Error, text, details);
            }
            if chain.len() > MAX_CNAMES + 1 {
                let text = said("finding-forward-cname-long")
                    .arg("max", MAX_CNAMES)
                    .arg("chain", show_chain(&chain));
                return finding(Severity::Error, text, details);
            }
            current = target;
        };

        // The end of the chain holds (or lacks) the addresses.
        let via = match chain.len() {
            1 => Text::new("finding-forward-direct"),
            _ => Text::new("finding-forward-via").arg("chain", show_chain(&chain[1..])),
        };
        let asked = match question == record_type {
            true => last,
            false => match self.ask(&current, record_type).await {
                Ok(asked) => {
                    details.asked(&asked);
                    asked
                }
                Err(why) => return unverified(&why, details),
            },
        };
        let addresses = match asked.answer {
            Answer::Records(records) => addresses_of(&records, record_type),
            Answer::NoData => Vec::new(),
            Answer::NxDomain => {
                // The name answered "no CNAME" a moment ago; it vanished in between.
                let text = said("finding-forward-via-nxdomain").arg("via", via);
                return finding(Severity::Error, text, details);
            }
        };
        for address in &addresses {
            details.push(format!("{} {record_type} {address}", shown(&current)));
        }
        if addresses.contains(&ip) {
            let text = said("finding-forward-confirmed").arg("via", via);
            return finding(Severity::Info, text, details);
        }
        let text = if addresses.is_empty() {
            said("finding-forward-none").arg("via", via)
        } else {
            let found: Vec<String> = addresses.iter().map(IpAddr::to_string).collect();
            said("finding-forward-other")
                .arg("via", via)
                .arg("found", found.join(", "))
        };
        finding(Severity::Error, text, details)
    }

    /// One question for the mail-readiness checks (MX, TXT, a blocklist's A), asked the way
    /// every check asks (the resolvers, or the zone's authorities): the records of
    /// `record_type` at `name`, or why no answer came, as the end of a sentence. Aliases are
    /// not walked here: a resolver follows them itself, an authority's CNAME gives no records.
    #[tracing::instrument(skip_all, fields(name = %name, record_type = %record_type))]
    pub async fn lookup(&self, name: &str, record_type: RecordType) -> Result<Lookup, Text> {
        let Some(fqdn) = fqdn(name) else {
            return Err(
                Text::new("finding-plain").arg("text", format!("{name} is not a domain name"))
            );
        };
        let asked = self
            .ask(&fqdn, record_type)
            .await
            .map_err(|why| self.reason(&why))?;
        Ok(match asked.answer {
            Answer::Records(records) => {
                let data: Vec<RData> = records
                    .into_iter()
                    .filter(|record| record.record_type() == record_type)
                    .map(|record| record.data)
                    .collect();
                if data.is_empty() {
                    Lookup::NoData
                } else {
                    Lookup::Records(data)
                }
            }
            Answer::NoData => Lookup::NoData,
            Answer::NxDomain => Lookup::NxDomain,
        })
    }

    /// Whether a top-level domain missing from the Public Suffix List exists in DNS (has an
    /// SOA); `None` when that could not be found out.
    #[tracing::instrument(skip_all, fields(tld = %tld))]
    pub async fn tld_exists(&self, tld: &str) -> Option<bool> {
        let name = fqdn(tld)?;
        match self.ask(&name, RecordType::SOA).await.ok()?.answer {
            Answer::Records(records) => Some(records.iter().any(|record| {
                record.record_type() == RecordType::SOA && same_name(&record.name, &name)
            })),
            Answer::NoData | Answer::NxDomain => Some(false),
        }
    }

    /// One question, bounded by the question timeout whatever happens inside: to the
    /// configured resolvers, or to the authorities of the name's zone.
    async fn ask(&self, name: &Name, record_type: RecordType) -> Result<Asked, Unanswered> {
        let Some(resolver) = &self.resolver else {
            let Upstream::Authorities(authorities) = &self.settings.upstream else {
                return Err(Unanswered::Failed("no resolver is set up".to_owned()));
            };
            let walk = authority::Walk::new(authorities, self.settings.question_timeout);
            return match walk.ask(name, record_type).await {
                Ok(answered) => Ok(Asked {
                    answer: answered.answer,
                    from: Some(answered.from),
                    at: Some(answered.at),
                    notes: answered.notes,
                }),
                Err(why) => Err(Unanswered::Authorities(why)),
            };
        };
        let timeout = self.settings.question_timeout;
        let asked = tokio::time::timeout(timeout, resolver.lookup(name.clone(), record_type)).await;
        let result = match asked {
            Err(_) => return Err(Unanswered::Timeout),
            Ok(result) => result,
        };
        let answer = match result {
            Ok(lookup) => Answer::Records(lookup.answers().to_vec()),
            Err(NetError::Dns(DnsError::NoRecordsFound(NoRecords { response_code, .. }))) => {
                match response_code {
                    ResponseCode::NoError => Answer::NoData,
                    ResponseCode::NXDomain => Answer::NxDomain,
                    code => return Err(Unanswered::Rcode(code)),
                }
            }
            Err(NetError::Dns(DnsError::ResponseCode(code))) => {
                return Err(Unanswered::Rcode(code));
            }
            Err(NetError::Timeout) => return Err(Unanswered::Timeout),
            Err(err) => {
                tracing::debug!(error = %err, "DNS question failed");
                return Err(Unanswered::Failed(err.to_string()));
            }
        };
        Ok(Asked {
            answer,
            from: None,
            at: None,
            notes: Vec::new(),
        })
    }

    /// The servers asked, as a finding names them: the resolvers, or the root hints.
    fn servers(&self) -> String {
        let servers = match &self.settings.upstream {
            Upstream::Resolvers(servers) => servers,
            Upstream::Authorities(authorities) if authorities.forwarder.is_empty() => {
                &authorities.root_hints
            }
            Upstream::Authorities(authorities) => &authorities.forwarder,
        };
        let servers: Vec<String> = servers.iter().map(SocketAddr::to_string).collect();
        servers.join(", ")
    }

    /// Why no answer came, as the end of a sentence.
    fn reason(&self, why: &Unanswered) -> Text {
        let servers = self.servers();
        match why {
            Unanswered::Timeout => Text::new("finding-reason-timeout")
                .arg("servers", servers)
                .arg(
                    "seconds",
                    self.settings.question_timeout.as_secs_f64().to_string(),
                ),
            Unanswered::Rcode(code) => Text::new("finding-reason-rcode")
                .arg("servers", servers)
                .arg("rcode", rcode_name(*code)),
            Unanswered::Failed(error) => Text::new("finding-reason-failed")
                .arg("servers", servers)
                .arg("error", error.to_string()),
            Unanswered::Authorities(why) => why.clone(),
        }
    }
}

/// A finding's details as they grow: whom each answer came from (once), what was odd.
struct Details(Vec<String>);

impl Details {
    fn push(&mut self, line: String) {
        if !self.0.contains(&line) {
            self.0.push(line);
        }
    }

    /// Adds whom `asked` came from and its notes.
    fn asked(&mut self, asked: &Asked) {
        if let Some(from) = &asked.from {
            self.push(format!("asked {from}"));
        }
        for note in &asked.notes {
            self.push(note.clone());
        }
    }
}

/// The fully qualified DNS name of `text` (ASCII, no trailing dot expected).
fn fqdn(text: &str) -> Option<Name> {
    let text = text.strip_suffix('.').unwrap_or(text);
    if text.is_empty() {
        return None;
    }
    let mut name = Name::from_ascii(text).ok()?;
    name.set_fqdn(true);
    Some(name)
}

/// A name as a finding shows it: lower case, no trailing dot.
fn shown(name: &Name) -> String {
    let text = name.to_lowercase().to_ascii();
    text.strip_suffix('.').unwrap_or(&text).to_owned()
}

/// `a → b → c`
fn show_chain(chain: &[Name]) -> String {
    let names: Vec<String> = chain.iter().map(shown).collect();
    names.join(" → ")
}

fn same_name(left: &Name, right: &Name) -> bool {
    left.to_lowercase() == right.to_lowercase()
}

/// The CNAME target of `owner` among `records`.
fn cname_of(owner: &Name, records: &[Record]) -> Option<Name> {
    records.iter().find_map(|record| match &record.data {
        RData::CNAME(cname) if same_name(&record.name, owner) => Some(cname.0.clone()),
        _ => None,
    })
}

/// The addresses of type `record_type` among `records`, in order and without repeats.
fn addresses_of(records: &[Record], record_type: RecordType) -> Vec<IpAddr> {
    let mut addresses: Vec<IpAddr> = Vec::new();
    for record in records {
        let address = match (&record.data, record_type) {
            (RData::A(a), RecordType::A) => IpAddr::V4(a.0),
            (RData::AAAA(aaaa), RecordType::AAAA) => IpAddr::V6(aaaa.0),
            _ => continue,
        };
        if !addresses.contains(&address) {
            addresses.push(address);
        }
    }
    addresses
}

/// The mnemonic people know from `dig`.
fn rcode_name(code: ResponseCode) -> String {
    match code {
        ResponseCode::ServFail => "SERVFAIL (server failure)".to_owned(),
        ResponseCode::Refused => "REFUSED".to_owned(),
        ResponseCode::FormErr => "FORMERR".to_owned(),
        ResponseCode::NotImp => "NOTIMP".to_owned(),
        ResponseCode::NotAuth => "NOTAUTH".to_owned(),
        other => format!("{} (rcode {})", other, u16::from(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_resolver::proto::rr::rdata::{A, AAAA, CNAME};

    fn name(text: &str) -> Name {
        fqdn(text).expect("a name")
    }

    #[test]
    fn names_are_shown_lower_case_without_the_root_dot() {
        assert_eq!(shown(&name("Mail.Example.COM.")), "mail.example.com");
        assert_eq!(
            show_chain(&[name("a.example.com"), name("b.example.com")]),
            "a.example.com → b.example.com"
        );
    }

    #[test]
    fn the_cname_of_a_name_is_found_whatever_its_case() {
        let records = [Record::from_rdata(
            name("WWW.example.com"),
            60,
            RData::CNAME(CNAME(name("web.example.net"))),
        )];
        assert_eq!(
            cname_of(&name("www.example.com"), &records),
            Some(name("web.example.net"))
        );
        assert_eq!(cname_of(&name("mail.example.com"), &records), None);
    }

    #[test]
    fn addresses_are_parsed_values_of_the_type_asked_for() {
        let owner = name("mail.example.com");
        let records = [
            Record::from_rdata(
                owner.clone(),
                60,
                RData::A(A("203.0.113.45".parse().unwrap())),
            ),
            Record::from_rdata(
                owner.clone(),
                60,
                RData::AAAA(AAAA("2001:db8::1".parse().unwrap())),
            ),
            Record::from_rdata(owner, 60, RData::A(A("203.0.113.45".parse().unwrap()))),
        ];
        assert_eq!(
            addresses_of(&records, RecordType::A),
            vec!["203.0.113.45".parse::<IpAddr>().unwrap()]
        );
        let v6: IpAddr = "2001:0db8:0000::0001".parse().unwrap();
        assert_eq!(addresses_of(&records, RecordType::AAAA), vec![v6]);
    }

    #[test]
    fn a_checker_needs_a_server_and_a_deadline() {
        let no_server = DnsSettings::resolvers(Vec::new(), Duration::from_secs(1));
        assert!(DnsChecker::new(&no_server).is_err());
        let no_deadline =
            DnsSettings::resolvers(vec!["127.0.0.1:53".parse().unwrap()], Duration::ZERO);
        assert!(DnsChecker::new(&no_deadline).is_err());
        let no_hint = DnsSettings {
            upstream: Upstream::Authorities(AuthoritySettings {
                root_hints: Vec::new(),
                forwarder: Vec::new(),
                port: 53,
            }),
            question_timeout: Duration::from_secs(1),
            nameserver_port: 53,
        };
        assert!(DnsChecker::new(&no_hint).is_err());
    }
}

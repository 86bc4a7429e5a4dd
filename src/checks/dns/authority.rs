//! `check_mode = authoritative`: the answer to a question comes from the name servers of the
//! zone that holds the name, found by walking the delegation from the root hints (or asked of
//! a forwarder, for the delegation only). Nothing is cached: every check walks again, so a
//! record created a second ago is seen, whatever a resolver remembers.
//!
//! Bounds: every question has the checker's deadline, a walk follows at most
//! [`MAX_REFERRALS`] referrals and sends at most [`MAX_QUESTIONS`] questions, the name
//! servers of one zone are asked [`STAGGER`] apart (at once when one fails), at most
//! [`MAX_SERVERS`] of them. Once one of a zone's servers gives a final answer, the others are
//! asked too, so that a lame server or servers that disagree are named in the finding.

use super::Answer;
use super::wire::{self, Failure};
use crate::i18n::Text;
use futures_util::stream::{FuturesUnordered, StreamExt};
use hickory_resolver::proto::op::{Message, ResponseCode};
use hickory_resolver::proto::rr::{Name, RData, Record, RecordType};
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::watch;

/// Referrals one walk follows at most (the root, a TLD, a few zone cuts below it).
pub const MAX_REFERRALS: usize = 10;
/// Questions one walk sends at most, those for the addresses of name servers included.
pub const MAX_QUESTIONS: usize = 40;
/// Name servers of one zone asked at most.
pub const MAX_SERVERS: usize = 6;
/// How long one server of a zone has before the next one is asked as well.
pub const STAGGER: Duration = Duration::from_millis(250);
/// How deep the look-up of a name server's address (a delegation without glue) may nest.
const MAX_NS_DEPTH: usize = 2;

/// The IPv4 addresses of the IANA root servers a.root-servers.net … m.root-servers.net.
pub const IANA_ROOT_SERVERS: [&str; 13] = [
    "198.41.0.4",
    "170.247.170.2",
    "192.33.4.12",
    "199.7.91.13",
    "192.203.230.10",
    "192.5.5.241",
    "192.112.36.4",
    "198.97.190.53",
    "192.36.148.17",
    "192.58.128.30",
    "193.0.14.129",
    "199.7.83.42",
    "202.12.27.33",
];

/// Where the authoritative checks start and which port the zones' servers listen on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthoritySettings {
    /// The root servers the walk starts from.
    pub root_hints: Vec<SocketAddr>,
    /// Resolvers asked for the delegation (a zone's NS and their addresses) instead of
    /// walking from the root; empty: walk.
    pub forwarder: Vec<SocketAddr>,
    /// The port of every name server found through a delegation.
    pub port: u16,
}

/// One name server: its name as the delegation names it, and the address asked.
#[derive(Debug, Clone)]
struct Server {
    name: String,
    address: SocketAddr,
}

impl Server {
    /// `ns1.example.com (192.0.2.53:53)`; a root hint by its address alone.
    fn shown(&self) -> String {
        if self.name == ROOT_HINT {
            format!("{ROOT_HINT} {}", self.address)
        } else {
            format!("{} ({})", self.name, self.address)
        }
    }
}

impl Server {
    /// [`Server::shown`] as a sentence in the reader's language.
    fn said(&self) -> Text {
        if self.name == ROOT_HINT {
            Text::new("rc-dns-root-hint").arg("address", self.address.to_string())
        } else {
            plain(self.shown())
        }
    }
}

/// Words kept as they are (a name, or a reason only staff read).
fn plain(text: String) -> Text {
    Text::new("finding-plain").arg("text", text)
}

/// `parts` joined by the separator sentence `key` (`{ $first }, { $rest }`).
fn joined(parts: Vec<Text>, key: &str) -> Text {
    let mut parts = parts.into_iter().rev();
    let last = parts.next().unwrap_or_else(|| plain(String::new()));
    parts.fold(last, |rest, first| {
        Text::new(key).arg("first", first).arg("rest", rest)
    })
}

/// Why a server's reply was of no use to the walk: the end of "ns1.example.com …". Kept as a
/// reason rather than words, so a finding's sentence says it in the reader's language and its
/// details (language-neutral) in English.
#[derive(Debug, Clone, PartialEq)]
enum Lame {
    /// It answered with this response code (`REFUSED`, `SERVFAIL` …).
    Answered(String),
    /// NXDOMAIN without the AA bit.
    NxDomainWithoutAuthority,
    /// Records without the AA bit: a cache, not the zone's server.
    RecordsWithoutAuthority,
    /// Neither authoritative nor a referral downwards.
    NoAuthorityNoReferral,
    /// No reply within the question's deadline, in seconds.
    NoAnswerWithin(f64),
    /// The question could not be sent (the socket's error, as the system said it).
    CouldNotBeAsked(String),
    /// The walk had used up its questions before this server's turn.
    NotAsked,
    /// A referral when an answer was due (the zone it pointed to).
    ReferredTo(Name),
}

impl Lame {
    /// The reason as a sentence's end, in the reader's language.
    fn text(&self) -> Text {
        match self {
            Lame::Answered(rcode) => Text::new("rc-dns-answered").arg("rcode", rcode.as_str()),
            Lame::NxDomainWithoutAuthority => Text::new("rc-dns-nxdomain-without-authority"),
            Lame::RecordsWithoutAuthority => Text::new("rc-dns-records-without-authority"),
            Lame::NoAuthorityNoReferral => Text::new("rc-dns-no-authority-no-referral"),
            Lame::NoAnswerWithin(seconds) => {
                Text::new("rc-dns-no-answer-within").arg("seconds", seconds.to_string())
            }
            Lame::CouldNotBeAsked(why) => {
                Text::new("rc-dns-could-not-be-asked").arg("why", why.as_str())
            }
            Lame::NotAsked => Text::new("rc-dns-not-asked").arg("questions", MAX_QUESTIONS),
            Lame::ReferredTo(zone) => Text::new("rc-dns-referred-to").arg("zone", zone_text(zone)),
        }
    }
}

impl std::fmt::Display for Lame {
    /// The reason in English, for a finding's details.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text().english())
    }
}

/// What a root server from the settings is called in a finding.
const ROOT_HINT: &str = "root hint";

/// What the authorities of a name's zone answered.
pub(super) struct Answered {
    /// The answer the check goes by: records if any server has them, else no data, else
    /// NXDOMAIN.
    pub answer: Answer,
    /// Whom the answer came from (`the name servers of example.com: ns1.example.com (…)`).
    pub from: String,
    /// The same in short (`the name servers of example.com`), for a finding's sentence in
    /// the reader's language.
    pub at: Text,
    /// Lame servers and disagreements, for the finding's details.
    pub notes: Vec<String>,
}

/// What one server's reply means for the walk.
enum Reply {
    /// An authoritative answer.
    Final(Answer),
    /// "Ask them": the zone `child`, its name servers and the addresses given as glue.
    Referral {
        child: Name,
        servers: Vec<Name>,
        glue: Vec<Record>,
    },
    /// No use, and why.
    Lame(Lame),
}

/// One walk: the settings, the deadline of a question and the questions left.
pub(super) struct Walk<'a> {
    settings: &'a AuthoritySettings,
    timeout: Duration,
    questions_left: Arc<AtomicUsize>,
}

type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

impl<'a> Walk<'a> {
    /// A walk within the bounds above.
    pub(super) fn new(settings: &'a AuthoritySettings, timeout: Duration) -> Walk<'a> {
        Walk {
            settings,
            timeout,
            questions_left: Arc::new(AtomicUsize::new(MAX_QUESTIONS)),
        }
    }

    /// Asks the authorities of `name`'s zone for `record_type`; `Err` says why no answer came.
    pub(super) async fn ask(&self, name: &Name, record_type: RecordType) -> Result<Answered, Text> {
        self.resolve(name.clone(), record_type, 0).await
    }

    fn resolve(
        &self,
        name: Name,
        record_type: RecordType,
        depth: usize,
    ) -> Boxed<'_, Result<Answered, Text>> {
        Box::pin(async move {
            let (mut zone, mut servers) = self.start(&name).await?;
            for _ in 0..=MAX_REFERRALS {
                match self.ask_zone(&zone, &servers, &name, record_type).await? {
                    Step::Answered(answered) => return Ok(answered),
                    Step::Referral { child, names, glue } => {
                        servers = self.addresses(&child, &names, &glue, depth).await;
                        if servers.is_empty() {
                            let names: Vec<String> = names.iter().map(shown).collect();
                            return Err(Text::new("rc-dns-no-address-found")
                                .arg("zone", zone_text(&child))
                                .arg("names", names.join(", ")));
                        }
                        zone = child;
                    }
                }
            }
            Err(Text::new("rc-dns-too-many-referrals")
                .arg("name", shown(&name))
                .arg("zones", MAX_REFERRALS))
        })
    }

    /// The first zone asked about `name`: the root (hints), or the zone a forwarder names.
    async fn start(&self, name: &Name) -> Result<(Name, Vec<Server>), Text> {
        if self.settings.forwarder.is_empty() {
            let mut hints: Vec<Server> = self
                .settings
                .root_hints
                .iter()
                .map(|address| Server {
                    name: ROOT_HINT.to_owned(),
                    address: *address,
                })
                .collect();
            // Spread the walks over the root servers rather than always starting at the first.
            if hints.len() > 1 {
                let first = rand::random_range(0..hints.len());
                hints.rotate_left(first);
            }
            return Ok((Name::root(), hints));
        }
        self.delegation_from_forwarder(name).await
    }

    /// Asks the forwarder which zone holds `name` (the SOA's owner in its answer) and that
    /// zone's name servers with their addresses.
    async fn delegation_from_forwarder(&self, name: &Name) -> Result<(Name, Vec<Server>), Text> {
        let soa = self.forward(name, RecordType::SOA).await?;
        let zone = soa
            .answers
            .iter()
            .chain(&soa.authorities)
            .find(|record| record.record_type() == RecordType::SOA && record.name.zone_of(name))
            .map(|record| record.name.clone())
            .ok_or_else(|| Text::new("rc-dns-forwarder-no-zone").arg("name", shown(name)))?;
        let ns = self.forward(&zone, RecordType::NS).await?;
        let names: Vec<Name> = ns
            .answers
            .iter()
            .filter_map(|record| match &record.data {
                RData::NS(ns) if record.name == zone => Some(ns.0.clone()),
                _ => None,
            })
            .collect();
        if names.is_empty() {
            return Err(Text::new("rc-dns-forwarder-no-name-server").arg("zone", zone_text(&zone)));
        }
        let mut servers = Vec::new();
        for ns_name in names.iter().take(MAX_SERVERS) {
            let from_additional = address_in(&ns.additionals, ns_name);
            let address = match from_additional {
                Some(address) => Some(address),
                None => match self.forward(ns_name, RecordType::A).await {
                    Ok(answer) => address_in(&answer.answers, ns_name),
                    Err(_) => None,
                },
            };
            if let Some(address) = address {
                servers.push(Server {
                    name: shown(ns_name),
                    address: SocketAddr::new(address, self.settings.port),
                });
            }
        }
        if servers.is_empty() {
            return Err(Text::new("rc-dns-forwarder-no-address").arg("zone", zone_text(&zone)));
        }
        Ok((zone, servers))
    }

    /// One recursive question to the forwarders, in order, until one answers.
    async fn forward(&self, name: &Name, record_type: RecordType) -> Result<Message, Text> {
        let mut why = Vec::new();
        for forwarder in &self.settings.forwarder {
            if !self.take_question() {
                break;
            }
            let failed = match wire::exchange(*forwarder, name, record_type, true, self.timeout)
                .await
            {
                Ok(message)
                    if matches!(
                        message.metadata.response_code,
                        ResponseCode::NoError | ResponseCode::NXDomain
                    ) =>
                {
                    return Ok(message);
                }
                Ok(message) => Lame::Answered(super::rcode_name(message.metadata.response_code)),
                Err(failure) => self.failure(&failure),
            };
            why.push(
                Text::new("rc-dns-forwarder-lame")
                    .arg("forwarder", forwarder.to_string())
                    .arg("why", failed.text()),
            );
        }
        if why.is_empty() {
            why.push(Text::new("rc-dns-too-many-questions").arg("questions", MAX_QUESTIONS));
        }
        Err(joined(why, "rc-dns-groups"))
    }

    /// The addresses of a delegation's name servers: the glue, else (for names outside the
    /// child zone) a walk of their own for their A record.
    async fn addresses(
        &self,
        child: &Name,
        names: &[Name],
        glue: &[Record],
        depth: usize,
    ) -> Vec<Server> {
        let port = self.settings.port;
        let lookups = names.iter().take(MAX_SERVERS).map(|ns_name| async move {
            if let Some(address) = address_in(glue, ns_name) {
                return Some(Server {
                    name: shown(ns_name),
                    address: SocketAddr::new(address, port),
                });
            }
            // A name inside the child without glue cannot be found (the child is needed to find it).
            if child.zone_of(ns_name) || depth >= MAX_NS_DEPTH {
                return None;
            }
            let answered = self
                .resolve(ns_name.clone(), RecordType::A, depth + 1)
                .await
                .ok()?;
            let Answer::Records(records) = answered.answer else {
                return None;
            };
            address_in(&records, ns_name).map(|address| Server {
                name: shown(ns_name),
                address: SocketAddr::new(address, port),
            })
        });
        futures_util::future::join_all(lookups)
            .await
            .into_iter()
            .flatten()
            .collect()
    }

    fn take_question(&self) -> bool {
        self.questions_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                left.checked_sub(1)
            })
            .is_ok()
    }

    fn failure(&self, failure: &Failure) -> Lame {
        match failure {
            Failure::Timeout => Lame::NoAnswerWithin(self.timeout.as_secs_f64()),
            Failure::Failed(why) => Lame::CouldNotBeAsked(why.to_string()),
        }
    }

    /// Asks the servers of `zone`, [`STAGGER`] apart, until one answers finally or refers;
    /// after a final answer the zone's other servers are asked too and compared.
    async fn ask_zone(
        &self,
        zone: &Name,
        servers: &[Server],
        name: &Name,
        record_type: RecordType,
    ) -> Result<Step, Text> {
        let servers = &servers[..servers.len().min(MAX_SERVERS)];
        // Servers with an index below the value may start now.
        let (go, may_start) = watch::channel(1usize);
        let mut asked: FuturesUnordered<_> = servers
            .iter()
            .enumerate()
            .map(|(index, server)| {
                let mut may_start = may_start.clone();
                async move {
                    let delay = STAGGER * u32::try_from(index).unwrap_or(u32::MAX);
                    let _ = tokio::time::timeout(delay, may_start.wait_for(|n| *n > index)).await;
                    if !self.take_question() {
                        return (index, Reply::Lame(Lame::NotAsked));
                    }
                    let reply = match wire::exchange(
                        server.address,
                        name,
                        record_type,
                        false,
                        self.timeout,
                    )
                    .await
                    {
                        Ok(message) => classify(zone, name, record_type, &message),
                        Err(failure) => Reply::Lame(self.failure(&failure)),
                    };
                    (index, reply)
                }
            })
            .collect();
        let mut finals: Vec<(usize, Answer)> = Vec::new();
        let mut lame: Vec<(usize, Lame)> = Vec::new();
        while let Some((index, reply)) = asked.next().await {
            match reply {
                Reply::Final(answer) => {
                    // The root's own answers are not compared: its servers are many and alike.
                    if finals.is_empty() && zone.is_root() {
                        finals.push((index, answer));
                        break;
                    }
                    go.send_replace(usize::MAX);
                    finals.push((index, answer));
                }
                Reply::Referral {
                    child,
                    servers: names,
                    glue,
                } if finals.is_empty() => {
                    return Ok(Step::Referral { child, names, glue });
                }
                Reply::Referral { child, .. } => lame.push((index, Lame::ReferredTo(child))),
                Reply::Lame(why) => {
                    lame.push((index, why));
                    go.send_modify(|n| *n = (*n).max(index + 2));
                }
            }
        }
        drop(asked);
        let at = Text::new("rc-dns-name-servers-of").arg("zone", zone_text(zone));
        let from = format!(
            "{}: {}",
            at.english(),
            servers
                .iter()
                .map(Server::shown)
                .collect::<Vec<_>>()
                .join(", ")
        );
        lame.sort_by_key(|(index, _)| *index);
        let lame_notes = lame.iter().map(|(index, why)| {
            format!(
                "{} is lame for {}: it {why}",
                servers[*index].name,
                shown_zone(zone)
            )
        });
        if finals.is_empty() {
            // Servers that failed alike are named together.
            let mut groups: Vec<(&Lame, Vec<Text>)> = Vec::new();
            for (index, why) in &lame {
                let server = servers[*index].said();
                match groups.iter_mut().find(|(reason, _)| *reason == why) {
                    Some((_, named)) => named.push(server),
                    None => groups.push((why, vec![server])),
                }
            }
            let why: Vec<Text> = groups
                .into_iter()
                .map(|(why, named)| {
                    Text::new("rc-dns-group")
                        .arg("servers", joined(named, "rc-dns-list"))
                        .arg("why", why.text())
                })
                .collect();
            return Err(Text::new("rc-dns-no-server-answered")
                .arg("zone", zone_text(zone))
                .arg("why", joined(why, "rc-dns-groups")));
        }
        let mut notes: Vec<String> = lame_notes.collect();
        finals.sort_by_key(|(index, _)| *index);
        let described: Vec<(usize, String)> = finals
            .iter()
            .map(|(index, answer)| (*index, describe(answer, record_type)))
            .collect();
        if described.iter().any(|(_, text)| *text != described[0].1) {
            // Negative answers first: they are what a resolver may be stuck with.
            let mut parts: Vec<&(usize, String)> = described.iter().collect();
            parts.sort_by_key(|(index, text)| (!is_negative(text), *index));
            let parts: Vec<String> = parts
                .iter()
                .map(|(index, text)| format!("{} answered {text}", servers[*index].name))
                .collect();
            notes.insert(
                0,
                format!(
                    "the name servers of {} disagree: {}",
                    shown_zone(zone),
                    parts.join(", ")
                ),
            );
        }
        Ok(Step::Answered(Answered {
            answer: merge(finals.into_iter().map(|(_, answer)| answer)),
            from,
            at,
            notes,
        }))
    }
}

/// What asking one zone led to.
enum Step {
    Answered(Answered),
    Referral {
        child: Name,
        names: Vec<Name>,
        glue: Vec<Record>,
    },
}

/// What `message`, the reply of a server of `zone`, means for the question. A referral is
/// told by its NS records for a zone below `zone` (and no SOA), not by the AA bit alone:
/// some servers set it on referrals too.
fn classify(zone: &Name, name: &Name, record_type: RecordType, message: &Message) -> Reply {
    let authoritative = message.metadata.authoritative;
    match message.metadata.response_code {
        ResponseCode::NXDomain if authoritative => return Reply::Final(Answer::NxDomain),
        ResponseCode::NXDomain => {
            return Reply::Lame(Lame::NxDomainWithoutAuthority);
        }
        ResponseCode::NoError => {}
        code => return Reply::Lame(Lame::Answered(super::rcode_name(code))),
    }
    let relevant: Vec<Record> = message
        .answers
        .iter()
        .filter(|record| {
            same(&record.name, name)
                && (record.record_type() == record_type
                    || record.record_type() == RecordType::CNAME)
        })
        .cloned()
        .collect();
    if !relevant.is_empty() {
        if authoritative {
            return Reply::Final(Answer::Records(relevant));
        }
        return Reply::Lame(Lame::RecordsWithoutAuthority);
    }
    let has_soa = message
        .authorities
        .iter()
        .any(|record| record.record_type() == RecordType::SOA);
    let child = message
        .authorities
        .iter()
        .find_map(|record| match &record.data {
            RData::NS(_)
                if !has_soa
                    && zone.zone_of(&record.name)
                    && !same(&record.name, zone)
                    && record.name.zone_of(name) =>
            {
                Some(record.name.clone())
            }
            _ => None,
        });
    let Some(child) = child else {
        if authoritative {
            return Reply::Final(Answer::NoData);
        }
        return Reply::Lame(Lame::NoAuthorityNoReferral);
    };
    let servers = message
        .authorities
        .iter()
        .filter_map(|record| match &record.data {
            RData::NS(ns) if same(&record.name, &child) => Some(ns.0.clone()),
            _ => None,
        })
        .collect();
    Reply::Referral {
        child,
        servers,
        glue: message.additionals.clone(),
    }
}

/// The first IPv4 address of `owner` among `records`, else its first IPv6 address.
fn address_in(records: &[Record], owner: &Name) -> Option<IpAddr> {
    let of_owner = || records.iter().filter(|record| same(&record.name, owner));
    of_owner()
        .find_map(|record| match &record.data {
            RData::A(a) => Some(IpAddr::V4(a.0)),
            _ => None,
        })
        .or_else(|| {
            of_owner().find_map(|record| match &record.data {
                RData::AAAA(aaaa) => Some(IpAddr::V6(aaaa.0)),
                _ => None,
            })
        })
}

/// The answer the check goes by: any records (all of them), else no data, else NXDOMAIN.
fn merge(answers: impl Iterator<Item = Answer>) -> Answer {
    let mut records: Vec<Record> = Vec::new();
    let mut no_data = false;
    for answer in answers {
        match answer {
            Answer::Records(found) => {
                for record in found {
                    if !records.contains(&record) {
                        records.push(record);
                    }
                }
            }
            Answer::NoData => no_data = true,
            Answer::NxDomain => {}
        }
    }
    if !records.is_empty() {
        Answer::Records(records)
    } else if no_data {
        Answer::NoData
    } else {
        Answer::NxDomain
    }
}

/// One server's answer in a few words: `NXDOMAIN`, `no A record`, `192.0.2.7`, `CNAME x`.
fn describe(answer: &Answer, record_type: RecordType) -> String {
    match answer {
        Answer::NxDomain => "NXDOMAIN".to_owned(),
        Answer::NoData => format!("no {record_type} record"),
        Answer::Records(records) => {
            let mut parts: Vec<String> = records
                .iter()
                .map(|record| match &record.data {
                    RData::A(a) => a.0.to_string(),
                    RData::AAAA(aaaa) => aaaa.0.to_string(),
                    RData::CNAME(cname) => format!("CNAME {}", shown(&cname.0)),
                    other => format!("{}", other.record_type()),
                })
                .collect();
            parts.sort();
            parts.dedup();
            parts.join(", ")
        }
    }
}

fn is_negative(text: &str) -> bool {
    text == "NXDOMAIN" || text.starts_with("no ")
}

fn same(left: &Name, right: &Name) -> bool {
    left.to_lowercase() == right.to_lowercase()
}

fn shown(name: &Name) -> String {
    super::shown(name)
}

/// A zone as a finding names it; the root is "the root zone".
/// [`shown_zone`] as a sentence's part in the reader's language.
fn zone_text(zone: &Name) -> Text {
    if zone.is_root() {
        Text::new("rc-dns-root-zone")
    } else {
        plain(shown(zone))
    }
}

fn shown_zone(zone: &Name) -> String {
    if zone.is_root() {
        "the root zone".to_owned()
    } else {
        shown(zone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_resolver::proto::op::{Message, MessageType, OpCode};
    use hickory_resolver::proto::rr::rdata::{A, NS, SOA};

    fn name(text: &str) -> Name {
        let mut name = Name::from_ascii(text).expect("a name");
        name.set_fqdn(true);
        name
    }

    fn a(owner: &str, address: &str) -> Record {
        Record::from_rdata(name(owner), 60, RData::A(A(address.parse().unwrap())))
    }

    fn ns(owner: &str, target: &str) -> Record {
        Record::from_rdata(name(owner), 60, RData::NS(NS(name(target))))
    }

    fn soa(owner: &str) -> Record {
        let soa = SOA::new(
            name("ns1.hosting.com"),
            name("hostmaster.hosting.com"),
            1,
            1,
            1,
            1,
            60,
        );
        Record::from_rdata(name(owner), 60, RData::SOA(soa))
    }

    fn reply(code: ResponseCode, authoritative: bool) -> Message {
        let mut message = Message::new(1, MessageType::Response, OpCode::Query);
        message.metadata.response_code = code;
        message.metadata.authoritative = authoritative;
        message
    }

    #[test]
    fn a_referral_is_told_by_its_ns_records_below_the_zone_even_with_the_aa_bit() {
        let mut message = reply(ResponseCode::NoError, true);
        message
            .authorities
            .push(ns("example.com", "ns1.hosting.com"));
        message.additionals.push(a("ns1.hosting.com", "127.0.0.3"));

        let classified = classify(
            &name("com"),
            &name("mail.example.com"),
            RecordType::A,
            &message,
        );

        let Reply::Referral {
            child,
            servers,
            glue,
        } = classified
        else {
            panic!("a referral");
        };
        assert_eq!(child, name("example.com"));
        assert_eq!(servers, [name("ns1.hosting.com")]);
        assert_eq!(
            address_in(&glue, &name("ns1.hosting.com")),
            Some("127.0.0.3".parse().unwrap())
        );
    }

    #[test]
    fn an_authoritative_negative_answer_is_final_and_anything_else_is_lame() {
        let mut no_data = reply(ResponseCode::NoError, true);
        no_data.authorities.push(soa("example.com"));
        let zone = name("example.com");
        let asked = name("mail.example.com");

        assert!(matches!(
            classify(&zone, &asked, RecordType::A, &no_data),
            Reply::Final(Answer::NoData)
        ));
        assert!(matches!(
            classify(
                &zone,
                &asked,
                RecordType::A,
                &reply(ResponseCode::NXDomain, true)
            ),
            Reply::Final(Answer::NxDomain)
        ));
        let Reply::Lame(why) = classify(
            &zone,
            &asked,
            RecordType::A,
            &reply(ResponseCode::Refused, false),
        ) else {
            panic!("lame");
        };
        assert_eq!(why, Lame::Answered("REFUSED".to_owned()));
        assert_eq!(why.to_string(), "answered REFUSED");
        let mut cached = reply(ResponseCode::NoError, false);
        cached.answers.push(a("mail.example.com", "192.0.2.7"));
        let Reply::Lame(why) = classify(&zone, &asked, RecordType::A, &cached) else {
            panic!("lame");
        };
        assert_eq!(why, Lame::RecordsWithoutAuthority);
        assert_eq!(
            why.to_string(),
            "answered without authority (from a cache?)"
        );
        // An "upward" referral, to the zone itself or above it, leads nowhere.
        let mut upward = reply(ResponseCode::NoError, false);
        upward.authorities.push(ns("com", "a.nic"));
        assert!(matches!(
            classify(&zone, &asked, RecordType::A, &upward),
            Reply::Lame(_)
        ));
    }

    #[test]
    fn a_lame_servers_reason_is_said_in_the_readers_language_and_kept_in_english() {
        let german = crate::i18n::Locale {
            language: crate::i18n::language("de").unwrap(),
            time_zone: jiff::tz::TimeZone::UTC,
        };
        let reasons = [
            Lame::Answered("REFUSED".to_owned()),
            Lame::NxDomainWithoutAuthority,
            Lame::RecordsWithoutAuthority,
            Lame::NoAuthorityNoReferral,
            Lame::NoAnswerWithin(1.5),
            Lame::CouldNotBeAsked("connection refused".to_owned()),
            Lame::NotAsked,
            Lame::ReferredTo(Name::from_ascii("example.net.").unwrap()),
        ];
        for reason in &reasons {
            let english = reason.to_string();
            let said = crate::i18n::in_locale(german.clone(), || reason.text().render());
            assert_ne!(said, english, "{reason:?} is not translated");
            // The words only English uses are gone; values (codes, names, the system's
            // error) stay as they are.
            for word in ["answered", "without", "within", "asked", "instead"] {
                assert!(!said.contains(word), "{said:?} keeps the English {word:?}");
            }
        }
        assert_eq!(
            reasons[7].to_string(),
            "referred to example.net instead of answering"
        );
        assert_eq!(
            crate::i18n::in_locale(german, || reasons[0].text().render()),
            "antwortete mit REFUSED"
        );
    }

    #[test]
    fn answers_merge_to_any_records_else_no_data_else_nxdomain() {
        let records = Answer::Records(vec![a("mail.example.com", "192.0.2.7")]);
        let merged = merge([Answer::NxDomain, records.clone(), Answer::NoData].into_iter());
        assert!(matches!(merged, Answer::Records(found) if found.len() == 1));
        assert!(matches!(
            merge([Answer::NxDomain, Answer::NoData].into_iter()),
            Answer::NoData
        ));
        assert!(matches!(
            merge([Answer::NxDomain].into_iter()),
            Answer::NxDomain
        ));
        assert_eq!(describe(&records, RecordType::A), "192.0.2.7");
        assert_eq!(
            describe(&Answer::NoData, RecordType::AAAA),
            "no AAAA record"
        );
    }
}

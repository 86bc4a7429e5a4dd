//! `delegation`: before ptrdesk delegates a customer's block to the customer's own name
//! servers, each of them must answer authoritatively for the delegated zone, and all must
//! serve the same SOA serial. Their addresses are found the way the other DNS checks find
//! records (resolvers, or the zones' authorities); then each address is asked the zone's SOA
//! directly, without recursion, at `port` (53 outside the tests).

use super::{Answer, DnsChecker, wire};
use crate::domain::Hostname;
use crate::domain::finding::{Finding, FindingId, Severity};
use crate::i18n::{Arg, Text, ToArg};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{Name, RData, RecordType};
use std::net::{IpAddr, SocketAddr};

/// What one address of one name server said about the zone.
enum Said {
    /// An authoritative SOA with this serial.
    Serial(u32),
    /// Anything else, as the end of a sentence.
    Problem(Text),
}

impl DnsChecker {
    /// The `delegation` findings for delegating `zone` to `servers`: an `error` per server
    /// that does not answer for it (none of its addresses found, no answer, not
    /// authoritative, no SOA) and one when the serials differ; one `info` when all agree.
    pub async fn delegation(&self, zone: &Name, servers: &[Hostname], port: u16) -> Vec<Finding> {
        // Without hickory's escape of the slash of an RFC 2317 child zone.
        let shown_zone: Vec<String> = zone
            .iter()
            .map(|label| String::from_utf8_lossy(label).into_owned())
            .collect();
        let shown_zone = shown_zone.join(".");
        let asked = servers
            .iter()
            .map(|server| self.ask_server(zone, server, port));
        let answers = futures_util::future::join_all(asked).await;
        let mut findings = Vec::new();
        let mut serials: Vec<(String, u32)> = Vec::new();
        for (server, said) in servers.iter().zip(answers) {
            for (address, said) in said {
                match said {
                    Said::Serial(serial) => {
                        let at = address.map(|ip| format!(" ({ip})")).unwrap_or_default();
                        serials.push((format!("{server}{at}"), serial));
                    }
                    Said::Problem(problem) => findings.push(Finding::said(
                        FindingId::Delegation,
                        Severity::Error,
                        Text::new("finding-delegation-no-answer")
                            .arg(
                                "server",
                                format!(
                                    "{server}{}",
                                    address.map(|ip| format!(" ({ip})")).unwrap_or_default()
                                ),
                            )
                            .arg("zone", &shown_zone)
                            .arg("problem", problem),
                    )),
                }
            }
        }
        let details: Vec<String> = serials
            .iter()
            .map(|(at, serial)| format!("{at}: SOA serial {serial}"))
            .collect();
        let mut distinct: Vec<u32> = serials.iter().map(|(_, serial)| *serial).collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() > 1 {
            findings.push(
                Finding::said(
                    FindingId::Delegation,
                    Severity::Error,
                    Text::new("finding-delegation-serials")
                        .arg("zone", &shown_zone)
                        .arg(
                            "serials",
                            distinct
                                .iter()
                                .map(u32::to_string)
                                .collect::<Vec<_>>()
                                .join(", "),
                        ),
                )
                .with_details(details.clone()),
            );
        }
        if findings.is_empty() {
            // "a and b and c", each pair joined in the reader's language.
            let names = servers
                .iter()
                .map(|server| Arg::Text(server.to_string()))
                .reduce(|head, last| {
                    Text::new("finding-list-and")
                        .arg("head", head)
                        .arg("last", last)
                        .to_arg()
                });
            findings.push(
                Finding::said(
                    FindingId::Delegation,
                    Severity::Info,
                    Text::new("finding-delegation-agree")
                        .arg("servers", names)
                        .arg("zone", &shown_zone),
                )
                .with_details(details),
            );
        }
        findings
    }

    /// What each address of `server` says about `zone` (one entry with no address when none
    /// could be found).
    async fn ask_server(
        &self,
        zone: &Name,
        server: &Hostname,
        port: u16,
    ) -> Vec<(Option<IpAddr>, Said)> {
        let Some(name) = super::fqdn(server.as_ascii()) else {
            return vec![(
                None,
                Said::Problem(Text::new("finding-delegation-not-a-name")),
            )];
        };
        let mut addresses = Vec::new();
        let mut why_none = Vec::new();
        for record_type in [RecordType::A, RecordType::AAAA] {
            match self.ask(&name, record_type).await {
                Ok(asked) => {
                    if let Answer::Records(records) = asked.answer {
                        addresses.extend(records.iter().filter_map(|record| match &record.data {
                            RData::A(a) => Some(IpAddr::V4(a.0)),
                            RData::AAAA(aaaa) => Some(IpAddr::V6(aaaa.0)),
                            _ => None,
                        }));
                    }
                }
                Err(why) => why_none.push(self.reason(&why)),
            }
        }
        if addresses.is_empty() {
            let problem = match why_none.first() {
                Some(why) => Text::new("finding-delegation-address-unknown").arg("why", why),
                None => Text::new("finding-delegation-no-address"),
            };
            return vec![(None, Said::Problem(problem))];
        }
        addresses.sort_unstable();
        addresses.dedup();
        let timeout = self.settings.question_timeout;
        let mut said = Vec::new();
        for address in addresses {
            let answer = wire::exchange(
                SocketAddr::new(address, port),
                zone,
                RecordType::SOA,
                false,
                timeout,
            )
            .await;
            said.push((Some(address), soa_serial(answer, zone, timeout)));
        }
        said
    }
}

fn soa_serial(
    answer: Result<hickory_resolver::proto::op::Message, wire::Failure>,
    zone: &Name,
    timeout: std::time::Duration,
) -> Said {
    let message = match answer {
        Ok(message) => message,
        Err(wire::Failure::Timeout) => {
            return Said::Problem(
                Text::new("finding-delegation-timeout")
                    .arg("seconds", timeout.as_secs_f64().to_string()),
            );
        }
        Err(wire::Failure::Failed(why)) => {
            return Said::Problem(Text::new("finding-plain").arg("text", why));
        }
    };
    if message.metadata.response_code != ResponseCode::NoError {
        return Said::Problem(
            Text::new("finding-delegation-rcode")
                .arg("rcode", super::rcode_name(message.metadata.response_code)),
        );
    }
    if !message.metadata.authoritative {
        return Said::Problem(Text::new("finding-delegation-not-authoritative"));
    }
    let serial = message
        .answers
        .iter()
        .find_map(|record| match &record.data {
            RData::SOA(soa) if record.name.to_lowercase() == zone.to_lowercase() => {
                Some(soa.serial)
            }
            _ => None,
        });
    match serial {
        Some(serial) => Said::Serial(serial),
        None => Said::Problem(Text::new("finding-delegation-no-soa")),
    }
}

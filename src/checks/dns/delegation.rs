//! `delegation`: before ptrdesk delegates a customer's block to the customer's own name
//! servers, each of them must answer authoritatively for the delegated zone, and all must
//! serve the same SOA serial. Their addresses are found the way the other DNS checks find
//! records (resolvers, or the zones' authorities); then each address is asked the zone's SOA
//! directly, without recursion, at `port` (53 outside the tests).

use super::{Answer, DnsChecker, wire};
use crate::domain::Hostname;
use crate::domain::finding::{Finding, FindingId, Severity};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{Name, RData, RecordType};
use std::net::{IpAddr, SocketAddr};

/// What one address of one name server said about the zone.
enum Said {
    /// An authoritative SOA with this serial.
    Serial(u32),
    /// Anything else, as the end of a sentence.
    Problem(String),
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
                    Said::Problem(problem) => findings.push(Finding::new(
                        FindingId::Delegation,
                        Severity::Error,
                        format!(
                            "{server}{} does not answer for {shown_zone}: {problem}. Set the zone up on it before delegating.",
                            address.map(|ip| format!(" ({ip})")).unwrap_or_default()
                        ),
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
                Finding::new(
                    FindingId::Delegation,
                    Severity::Error,
                    format!(
                        "The name servers serve different versions of {shown_zone} (serials {}): let them agree first.",
                        distinct
                            .iter()
                            .map(u32::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .with_details(details.clone()),
            );
        }
        if findings.is_empty() {
            let names: Vec<String> = servers.iter().map(ToString::to_string).collect();
            findings.push(
                Finding::new(
                    FindingId::Delegation,
                    Severity::Info,
                    format!(
                        "{} answer for {shown_zone} with the same serial.",
                        names.join(" and ")
                    ),
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
            return vec![(None, Said::Problem("it is not a DNS name".to_owned()))];
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
                Some(why) => format!("its address could not be looked up ({why})"),
                None => "it has no address (no A or AAAA record)".to_owned(),
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
            return Said::Problem(format!("no answer within {} s", timeout.as_secs_f64()));
        }
        Err(wire::Failure::Failed(why)) => return Said::Problem(why),
    };
    if message.metadata.response_code != ResponseCode::NoError {
        return Said::Problem(format!(
            "it answered {}",
            super::rcode_name(message.metadata.response_code)
        ));
    }
    if !message.metadata.authoritative {
        return Said::Problem(
            "its answer is not authoritative (the zone is not loaded there)".to_owned(),
        );
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
        None => Said::Problem("it has no SOA record for the zone".to_owned()),
    }
}

//! The inventory as the provider's systems describe it (the body of `PUT
//! /api/v1/inventory/customers/{number}` and `PUT /api/v1/inventory`, or a CSV file), and its
//! validation: every problem found, each named by its JSON path, before anything is planned.

use crate::domain::{Network, overlapping_spans};
use crate::field_limits;
use crate::i18n::Text;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// One customer as provisioning wants it.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CustomerSpec {
    /// The customer number (in the body of the whole-inventory call; the path names it in
    /// the one-customer call).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The customer's name.
    pub name: String,
    /// Cancelled (as `GET` answers it): such a customer holds no servers, and one that is not
    /// cancelled yet is cancelled, as by `DELETE`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cancelled: bool,
    /// Every server it should have, each with every assignment it should hold.
    #[serde(default)]
    pub servers: Vec<ServerSpec>,
}

/// One server as provisioning wants it.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ServerSpec {
    /// The server's name.
    pub name: String,
    /// Addresses and networks (`203.0.113.45`, `198.51.100.16/29`, `2001:db8:10::/64`).
    #[serde(default)]
    pub assignments: Vec<String>,
}

/// The whole inventory as provisioning wants it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InventorySpec {
    /// Every customer to hold.
    pub customers: Vec<CustomerSpec>,
    /// Cancel the customers that are not listed (otherwise they are left alone).
    #[serde(default)]
    pub remove_missing: bool,
}

/// What is wrong at one place of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The JSON path (`servers[0].assignments[2]`), or `line 12` for a CSV file.
    pub path: String,
    /// What is wrong there, kept language-neutral: answered in the reader's language.
    #[serde(serialize_with = "crate::i18n::serialize_text")]
    pub message: Text,
}

/// A validated customer.
#[derive(Debug, Clone)]
pub struct Desired {
    /// The JSON path of its entry (`""` or `customers[3].`), for problems found later.
    pub path: String,
    /// Its number.
    pub number: String,
    /// Its name.
    pub name: String,
    /// Cancelled (it then has no servers).
    pub cancelled: bool,
    /// Its servers.
    pub servers: Vec<DesiredServer>,
}

/// A validated server.
#[derive(Debug, Clone)]
pub struct DesiredServer {
    /// Its name.
    pub name: String,
    /// Its networks.
    pub networks: Vec<Network>,
}

/// Validates `specs`; `numbers[i]` is the number of customer `i` (from the path or the body)
/// and `prefix(i)` the JSON path of customer `i` (`""` or `customers[3].`). Answers what is
/// valid of it and every problem found (the valid part still goes to planning, so that the
/// overlaps with what is held are reported in the same answer).
pub fn validate(
    specs: &[CustomerSpec],
    numbers: &[Option<&str>],
    prefix: impl Fn(usize) -> String,
) -> (Vec<Desired>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut desired = Vec::new();
    let mut seen_numbers = HashSet::new();
    let mut placed: Vec<(Network, String)> = Vec::new();
    for (index, spec) in specs.iter().enumerate() {
        let at = prefix(index);
        let mut problem = |path: String, message: Text| problems.push(Problem { path, message });
        let number = numbers[index].map(str::trim).unwrap_or_default();
        if number.is_empty() || number.chars().count() > field_limits::CUSTOMER_NUMBER {
            let message =
                Text::new("refusal-inventory-number").arg("max", field_limits::CUSTOMER_NUMBER);
            problem(format!("{at}number"), message);
        } else if !seen_numbers.insert(number.to_owned()) {
            problem(
                format!("{at}number"),
                Text::new("refusal-inventory-number-twice").arg("number", number),
            );
        }
        let name = spec.name.trim();
        if name.is_empty() || name.chars().count() > field_limits::CUSTOMER_NAME {
            let message =
                Text::new("refusal-inventory-name").arg("max", field_limits::CUSTOMER_NAME);
            problem(format!("{at}name"), message);
        }
        if spec.cancelled && !spec.servers.is_empty() {
            let message = Text::new("refusal-inventory-cancelled");
            problem(format!("{at}cancelled"), message);
        }
        let mut servers = Vec::new();
        let mut server_names = HashSet::new();
        for (s, server) in spec.servers.iter().enumerate() {
            let server_at = format!("{at}servers[{s}]");
            let server_name = server.name.trim();
            if server_name.is_empty() || server_name.chars().count() > field_limits::SERVER_NAME {
                let message = Text::new("refusal-inventory-server-name")
                    .arg("max", field_limits::SERVER_NAME);
                problem(format!("{server_at}.name"), message);
            } else if !server_names.insert(server_name.to_owned()) {
                let message =
                    Text::new("refusal-inventory-server-twice").arg("server", server_name);
                problem(format!("{server_at}.name"), message);
            }
            let mut networks = Vec::new();
            for (n, text) in server.assignments.iter().enumerate() {
                let path = format!("{server_at}.assignments[{n}]");
                if text.chars().count() > field_limits::NETWORK {
                    let message = Text::new("refusal-inventory-network-length")
                        .arg("max", field_limits::NETWORK);
                    problem(path, message);
                    continue;
                }
                match Network::parse(text) {
                    Ok(network) => {
                        placed.push((network, path));
                        networks.push(network);
                    }
                    Err(err) => problem(path, err.text()),
                }
            }
            servers.push(DesiredServer {
                name: server_name.to_owned(),
                networks,
            });
        }
        desired.push(Desired {
            path: at,
            number: number.to_owned(),
            name: name.to_owned(),
            cancelled: spec.cancelled,
            servers,
        });
    }
    problems.extend(overlaps(&placed));
    (desired, problems)
}

/// A problem for every listed network that overlaps one listed before it (in address order).
fn overlaps(placed: &[(Network, String)]) -> Vec<Problem> {
    let spans: Vec<(u128, u128)> = placed.iter().map(|(network, _)| network.span()).collect();
    overlapping_spans(&spans)
        .into_iter()
        .map(|(index, before)| {
            let (other, other_path) = &placed[before];
            let (network, path) = &placed[index];
            let message = if network == other {
                Text::new("refusal-inventory-network-twice")
                    .arg("network", network.to_string())
                    .arg("other", other_path)
            } else {
                Text::new("refusal-inventory-overlap")
                    .arg("network", network.to_string())
                    .arg("other", other.to_string())
                    .arg("other_path", other_path)
            };
            Problem {
                path: path.clone(),
                message,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(servers: &[(&str, &[&str])]) -> CustomerSpec {
        CustomerSpec {
            number: None,
            name: "Acme GmbH".to_owned(),
            cancelled: false,
            servers: servers
                .iter()
                .map(|(name, networks)| ServerSpec {
                    name: (*name).to_owned(),
                    assignments: networks.iter().map(|n| (*n).to_owned()).collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn every_problem_is_named_by_its_path() {
        let spec = customer(&[
            (
                "web-1",
                &["203.0.113.45", "198.51.100.16/28", "not-a-network"],
            ),
            ("web-2", &["198.51.100.20", "203.0.113.45"]),
            ("web-1", &[]),
        ]);
        let (_, problems) = validate(&[spec], &[Some("K1")], |_| String::new());
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "servers[0].assignments[2]",
                "servers[2].name",
                "servers[1].assignments[0]",
                "servers[1].assignments[1]",
            ],
            "{problems:?}"
        );
        assert!(
            problems[2]
                .message
                .english()
                .contains("overlaps 198.51.100.16/28")
        );
        assert!(problems[3].message.english().contains("listed twice"));
    }

    #[test]
    fn a_clean_body_is_the_desired_state() {
        let spec = customer(&[("web-1", &["203.0.113.45", "2001:db8:10::/64"])]);
        let (desired, problems) = validate(&[spec], &[Some(" K1 ")], |_| String::new());
        assert_eq!(problems, []);
        assert_eq!(desired[0].number, "K1");
        assert_eq!(desired[0].servers[0].networks.len(), 2);
    }
}

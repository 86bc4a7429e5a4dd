//! The difference between the inventory as provisioning wants it ([`Desired`]) and as ptrdesk
//! holds it ([`Held`]): what to create, move, remove and rename, or the overlaps that forbid
//! it. Pure: nothing here reads or writes the database.

use super::spec::{Desired, Problem};
use crate::db::provisioning::{AssignmentRow, CustomerRow, ServerRow};
use crate::domain::Network;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// What ptrdesk holds now: the customers concerned, their servers and assignments (and, for
/// a one-customer call, those of every customer whose assignments overlap the desired ones).
#[derive(Debug, Clone, Default)]
pub struct Held {
    /// Customers.
    pub customers: Vec<CustomerRow>,
    /// Their servers.
    pub servers: Vec<ServerRow>,
    /// Their assignments.
    pub assignments: Vec<AssignmentRow>,
}

/// Where an assignment is: the customer's number and the server's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// Customer number.
    pub customer: String,
    /// Server name.
    pub server: String,
}

/// Something created or removed: a customer, a server of it, or an assignment on a server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// Customer number.
    pub customer: String,
    /// Server name (servers and assignments).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// The network (assignments).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
}

/// An assignment that changes server or customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Move {
    /// The network.
    pub network: String,
    /// Where it was.
    pub from: Place,
    /// Where it goes.
    pub to: Place,
}

/// A customer's new name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rename {
    /// Customer number.
    pub customer: String,
    /// The name before.
    pub from: String,
    /// The name after.
    pub to: String,
}

/// The difference, as the API answers it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// Customers, servers and assignments that come into being (a cancelled customer that
    /// comes back is created again).
    pub create: Vec<Item>,
    /// Assignments that move to another server or customer.
    #[serde(rename = "move")]
    pub moves: Vec<Move>,
    /// Assignments and servers that go, and customers cancelled.
    pub remove: Vec<Item>,
    /// Customers renamed.
    pub rename: Vec<Rename>,
}

impl Diff {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.create.is_empty()
            && self.moves.is_empty()
            && self.remove.is_empty()
            && self.rename.is_empty()
    }
}

/// An assignment to move, with what the write needs.
#[derive(Debug, Clone)]
pub struct PlannedMove {
    /// The assignment.
    pub assignment_id: i64,
    /// Its holder now.
    pub from_customer_id: i64,
    /// Its server now.
    pub from_server: String,
    /// The customer it goes to (number; it may be created by the same plan).
    pub to: Place,
    /// The network.
    pub network: Network,
}

/// An assignment to remove.
#[derive(Debug, Clone)]
pub struct PlannedRemoval {
    /// The assignment.
    pub assignment_id: i64,
    /// Its holder.
    pub customer_id: i64,
    /// Its server.
    pub server_id: i64,
    /// The server's name.
    pub server: String,
    /// The network.
    pub network: Network,
}

/// Every step of a reconciliation, in the order they are applied.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// New customers (number, name).
    pub new_customers: Vec<(String, String)>,
    /// Cancelled customers that come back (id).
    pub reactivated: Vec<i64>,
    /// Renames (id, before, after).
    pub renames: Vec<(i64, String, String)>,
    /// New servers (customer number, server name).
    pub new_servers: Vec<(String, String)>,
    /// Assignments removed (their entries reset to the default first).
    pub removals: Vec<PlannedRemoval>,
    /// Assignments moved (entries reset when the customer changes).
    pub moves: Vec<PlannedMove>,
    /// New assignments (customer number, server name, network).
    pub creates: Vec<(String, String, Network)>,
    /// Servers removed once empty (id, customer id, name).
    pub server_removals: Vec<(i64, i64, String)>,
    /// Customers cancelled (id).
    pub cancels: Vec<i64>,
    /// What the API answers.
    pub diff: Diff,
}

/// Which held customers the reconciliation is about: their assignments, servers and (with
/// `cancel_missing`) their existence follow the desired state; any other customer loses an
/// assignment only when it is listed for a managed customer (a move).
pub struct Scope {
    /// Cancel the held customers that are not desired.
    pub cancel_missing: bool,
}

/// The plan that makes `held` into `desired`, or every overlap with an assignment that would
/// stay with a customer outside the reconciliation.
pub fn plan(desired: &[Desired], held: &Held, scope: Scope) -> Result<Plan, Vec<Problem>> {
    let customers_by_number: HashMap<&str, &CustomerRow> = held
        .customers
        .iter()
        .map(|c| (c.number.as_str(), c))
        .collect();
    let customers_by_id: HashMap<i64, &CustomerRow> =
        held.customers.iter().map(|c| (c.id, c)).collect();
    let servers_by_id: HashMap<i64, &ServerRow> = held.servers.iter().map(|s| (s.id, s)).collect();
    let held_servers: HashSet<(i64, &str)> = held
        .servers
        .iter()
        .map(|s| (s.customer_id, s.name.as_str()))
        .collect();
    let desired_networks: HashSet<Network> = desired
        .iter()
        .flat_map(|c| c.servers.iter().flat_map(|s| s.networks.iter().copied()))
        .collect();
    let desired_numbers: HashSet<&str> = desired.iter().map(|c| c.number.as_str()).collect();
    let managed: HashSet<i64> = held
        .customers
        .iter()
        .filter(|c| desired_numbers.contains(c.number.as_str()) || scope.cancel_missing)
        .map(|c| c.id)
        .collect();
    let holder = |assignment: &AssignmentRow| -> Option<(&CustomerRow, &ServerRow)> {
        let server = servers_by_id.get(&assignment.server_id)?;
        Some((*customers_by_id.get(&server.customer_id)?, *server))
    };
    let held_by_network: HashMap<Network, &AssignmentRow> =
        held.assignments.iter().map(|a| (a.network, a)).collect();
    let mut by_address: Vec<(u128, u128, &AssignmentRow)> = held
        .assignments
        .iter()
        .map(|a| {
            let (first, last) = a.network.span();
            (first, last, a)
        })
        .collect();
    by_address.sort_by_key(|(first, _, _)| *first);

    let mut plan = Plan::default();
    let mut problems = Vec::new();
    for customer in desired {
        let existing = customers_by_number.get(customer.number.as_str()).copied();
        if customer.cancelled {
            // Held as cancelled: its assignments and servers go (it is managed, none listed).
            if let Some(row) = existing.filter(|row| row.cancelled_at.is_none()) {
                plan.cancels.push(row.id);
                plan.diff.remove.push(item(&customer.number, None, None));
            }
            continue;
        }
        match existing {
            None => {
                plan.new_customers
                    .push((customer.number.clone(), customer.name.clone()));
                plan.diff.create.push(item(&customer.number, None, None));
            }
            Some(row) => {
                if row.cancelled_at.is_some() {
                    plan.reactivated.push(row.id);
                    plan.diff.create.push(item(&customer.number, None, None));
                }
                if row.name != customer.name {
                    plan.renames
                        .push((row.id, row.name.clone(), customer.name.clone()));
                    plan.diff.rename.push(Rename {
                        customer: customer.number.clone(),
                        from: row.name.clone(),
                        to: customer.name.clone(),
                    });
                }
            }
        }
        for (s, server) in customer.servers.iter().enumerate() {
            let exists =
                existing.is_some_and(|row| held_servers.contains(&(row.id, server.name.as_str())));
            if !exists {
                plan.new_servers
                    .push((customer.number.clone(), server.name.clone()));
                let new = item(&customer.number, Some(&server.name), None);
                plan.diff.create.push(new);
            }
            for (n, network) in server.networks.iter().enumerate() {
                let to = Place {
                    customer: customer.number.clone(),
                    server: server.name.clone(),
                };
                if let Some(assignment) = held_by_network.get(network) {
                    let Some((from_customer, from_server)) = holder(assignment) else {
                        continue;
                    };
                    let from = Place {
                        customer: from_customer.number.clone(),
                        server: from_server.name.clone(),
                    };
                    if from != to {
                        plan.moves.push(PlannedMove {
                            assignment_id: assignment.id,
                            from_customer_id: from_customer.id,
                            from_server: from_server.name.clone(),
                            to: to.clone(),
                            network: *network,
                        });
                        let network = network.to_string();
                        plan.diff.moves.push(Move { network, from, to });
                    }
                    continue;
                }
                let (first, last) = network.span();
                let end = by_address.partition_point(|(start, _, _)| *start <= last);
                let mut overlapped: Vec<Problem> = Vec::new();
                for (_, held_last, other) in by_address[..end].iter().rev() {
                    if *held_last < first {
                        break;
                    }
                    let Some((other_customer, _)) = holder(other) else {
                        continue;
                    };
                    let leaves = managed.contains(&other_customer.id);
                    if !leaves && !desired_networks.contains(&other.network) {
                        overlapped.push(Problem {
                            path: format!("{}servers[{s}].assignments[{n}]", customer.path),
                            message: crate::i18n::Text::new("refusal-inventory-overlap-held")
                                .arg("network", network.to_string())
                                .arg("other", other.network.to_string())
                                .arg("number", &other_customer.number),
                        });
                    }
                }
                // Walked from the highest address down; reported in address order.
                problems.extend(overlapped.into_iter().rev());
                plan.creates
                    .push((customer.number.clone(), server.name.clone(), *network));
                let new = item(&customer.number, Some(&server.name), Some(network));
                plan.diff.create.push(new);
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for assignment in &held.assignments {
        let Some((customer, server)) = holder(assignment) else {
            continue;
        };
        if managed.contains(&customer.id) && !desired_networks.contains(&assignment.network) {
            plan.removals.push(PlannedRemoval {
                assignment_id: assignment.id,
                customer_id: customer.id,
                server_id: server.id,
                server: server.name.clone(),
                network: assignment.network,
            });
            let gone = item(
                &customer.number,
                Some(&server.name),
                Some(&assignment.network),
            );
            plan.diff.remove.push(gone);
        }
    }
    let desired_servers: HashSet<(&str, &str)> = desired
        .iter()
        .flat_map(|c| {
            c.servers
                .iter()
                .map(|s| (c.number.as_str(), s.name.as_str()))
        })
        .collect();
    for server in &held.servers {
        let Some(customer) = customers_by_id.get(&server.customer_id) else {
            continue;
        };
        let wanted = desired_servers.contains(&(customer.number.as_str(), server.name.as_str()));
        if managed.contains(&customer.id) && !wanted {
            plan.server_removals
                .push((server.id, customer.id, server.name.clone()));
            let gone = item(&customer.number, Some(&server.name), None);
            plan.diff.remove.push(gone);
        }
    }
    for customer in &held.customers {
        let listed = desired_numbers.contains(customer.number.as_str());
        if scope.cancel_missing && !listed && customer.cancelled_at.is_none() {
            plan.cancels.push(customer.id);
            plan.diff.remove.push(item(&customer.number, None, None));
        }
    }
    Ok(plan)
}

fn item(customer: &str, server: Option<&str>, network: Option<&Network>) -> Item {
    Item {
        customer: customer.to_owned(),
        server: server.map(str::to_owned),
        network: network.map(Network::to_string),
    }
}

//! What the customer's page shows: one page of their assignments, grouped by server, each with
//! a row per address (or per entry, for IPv6 and large IPv4 subnets). A page costs a constant
//! number of queries whatever the customer holds.

use crate::clock;
use crate::db::Db;
use crate::db::inventory::{self, ListFilter, ListedChange, ListedEntry, Server};
use crate::domain::ChangeState;
use crate::domain::finding::{Finding, Severity};
use crate::domain::{DefaultNames, Hostname, Network};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::net::IpAddr;

pub use crate::db::inventory::PAGE_SIZE;
/// Entries shown per IPv6 (or large IPv4) subnet before the customer has to filter.
pub const ENTRIES_PER_SUBNET: i64 = 200;

/// The page's query string: filter and page number, all optional, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct ListQuery {
    /// Server id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub server: String,
    /// An address, a network, or part of one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ip: String,
    /// Part of a hostname.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    /// 1-based page number.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub page: String,
}

impl ListQuery {
    /// Reads the `back` field of a form (a query string); anything odd gives the first page.
    pub fn from_back(back: &str) -> ListQuery {
        serde_urlencoded::from_str(back).unwrap_or_default()
    }

    /// The query string, without the leading `?`.
    pub fn to_query_string(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }

    /// The same query on another page.
    pub fn with_page(&self, page: i64) -> String {
        let mut other = self.clone();
        other.page = page.to_string();
        other.to_query_string()
    }

    /// The 1-based page number asked for.
    pub fn page_number(&self) -> i64 {
        self.page.trim().parse::<i64>().unwrap_or(1).max(1)
    }

    /// Whether any filter is set.
    pub fn is_filtered(&self) -> bool {
        !(self.server.trim().is_empty()
            && self.ip.trim().is_empty()
            && self.hostname.trim().is_empty())
    }

    /// The database filter this query means.
    pub fn filter(&self) -> ListFilter {
        let ip = self.ip.trim();
        let (range, network_text) = if ip.is_empty() {
            (None, None)
        } else if let Ok(address) = ip.parse::<IpAddr>() {
            (Some((address, address)), None)
        } else if let Ok(net) = ip.parse::<IpNet>() {
            (Some((net.network(), net.broadcast())), None)
        } else {
            (None, Some(ip.to_ascii_lowercase()))
        };
        let hostname = self.hostname.trim();
        ListFilter {
            server_id: self.server.trim().parse().ok(),
            range,
            network_text,
            hostname: (!hostname.is_empty()).then(|| hostname.to_lowercase()),
        }
    }
}

/// A form that came back with a problem, shown beside the field it concerns.
#[derive(Debug, Clone)]
pub enum FormProblem {
    /// The PTR field of one address.
    Row {
        /// The address.
        ip: IpAddr,
        /// What the customer typed, kept.
        input: String,
        /// What is wrong.
        message: String,
        /// The version to base the next save on.
        version: i64,
    },
    /// The "add an entry" form of a subnet.
    Add {
        /// The assignment whose form it is.
        assignment_id: i64,
        /// The typed address.
        address: String,
        /// The typed hostname.
        hostname: String,
        /// Problem with the address, if any.
        address_error: Option<String>,
        /// Problem with the hostname, if any.
        hostname_error: Option<String>,
    },
}

impl FormProblem {
    /// The sentence to show.
    pub fn message(&self) -> Option<String> {
        match self {
            FormProblem::Row { message, .. } => Some(message.clone()),
            FormProblem::Add {
                address_error,
                hostname_error,
                ..
            } => address_error.clone().or_else(|| hostname_error.clone()),
        }
    }
}

/// One address and its PTR field.
#[derive(Debug, Clone)]
pub struct Row {
    /// The address in canonical text.
    pub ip: String,
    /// The field's value: the customer's PTR (Unicode form) or what they typed.
    pub value: String,
    /// The provider default for this address, if there is one.
    pub default_name: Option<String>,
    /// Whether the customer has a PTR of their own here.
    pub customised: bool,
    /// The entry version the form is based on.
    pub version: i64,
    /// The problem to show beside the field.
    pub error: Option<String>,
    /// A change that is not published (yet): its state and reasons.
    pub open: Option<OpenChange>,
    /// With an open change: what DNS serves now (the customer's PTR or the default).
    pub in_force: Option<String>,
    /// Warnings kept with the PTR in force.
    pub warnings: Vec<Finding>,
}

/// A requested change that is not in force, as the customer sees it beside the field.
#[derive(Debug, Clone)]
pub struct OpenChange {
    /// Where it stands.
    pub state: ChangeState,
    /// One sentence on what happens next.
    pub summary: String,
    /// The reasons.
    pub findings: Vec<Finding>,
    /// An admin's note.
    pub note: Option<String>,
}

impl OpenChange {
    fn from_listed(change: &ListedChange) -> OpenChange {
        let summary = match change.state {
            ChangeState::Pending => format!(
                "Waiting for DNS. It is checked again automatically until {}; the current PTR stays until then.",
                change
                    .deadline
                    .map(clock::display)
                    .unwrap_or_else(|| "its deadline".to_owned())
            ),
            ChangeState::Rejected => {
                "Not published: fix what is listed below and save again.".to_owned()
            }
            ChangeState::InReview => "Waiting for an admin's decision.".to_owned(),
            ChangeState::Denied => "Refused by an admin. You may request another name.".to_owned(),
            ChangeState::Published => String::new(),
        };
        OpenChange {
            state: change.state,
            summary,
            findings: change
                .findings
                .iter()
                .filter(|finding| finding.severity != Severity::Info)
                .cloned()
                .collect(),
            note: change.note.clone(),
        }
    }

    /// The badge text.
    pub fn label(&self) -> &'static str {
        match self.state {
            ChangeState::Pending => "Pending",
            ChangeState::Rejected => "Rejected",
            ChangeState::InReview => "In review",
            ChangeState::Denied => "Denied",
            ChangeState::Published => "Published",
        }
    }

    /// The CSS class of the badge.
    pub fn css(&self) -> &'static str {
        self.state.as_str()
    }
}

/// The "add an entry" form of a subnet.
#[derive(Debug, Clone, Default)]
pub struct AddForm {
    /// Typed address.
    pub address: String,
    /// Typed hostname.
    pub hostname: String,
    /// Problem with the address.
    pub address_error: Option<String>,
    /// Problem with the hostname.
    pub hostname_error: Option<String>,
}

/// One assignment on the page.
#[derive(Debug, Clone)]
pub struct AssignmentView {
    /// Row id.
    pub id: i64,
    /// Canonical network text.
    pub network: String,
    /// "IPv4 address", "IPv4 subnet", "IPv6 subnet".
    pub kind: &'static str,
    /// A single address (its row needs no heading of its own).
    pub single: bool,
    /// True when every address has a row; false when entries are added one by one.
    pub lists_every_address: bool,
    /// The rows.
    pub rows: Vec<Row>,
    /// More entries exist than are shown.
    pub truncated: bool,
    /// The add form (used when not every address is listed).
    pub add: AddForm,
}

/// The assignments of one server on this page.
#[derive(Debug, Clone)]
pub struct ServerGroup {
    /// The server's name.
    pub server_name: String,
    /// Its assignments on this page.
    pub assignments: Vec<AssignmentView>,
}

/// Everything the page shows.
#[derive(Debug, Clone)]
pub struct Panel {
    /// All the customer's servers, for the filter.
    pub servers: Vec<Server>,
    /// This page's assignments by server.
    pub groups: Vec<ServerGroup>,
    /// Assignments matching the filter.
    pub total: i64,
    /// This page, 1-based.
    pub page: i64,
    /// Number of pages (at least 1).
    pub pages: i64,
    /// The problem of the form that came back, repeated at the top of the page (the field
    /// may be far down, or, for a forged form, not on the page at all).
    pub problem_summary: Option<String>,
}

/// Loads one page of the customer's panel.
pub async fn load(
    db: &Db,
    defaults: &DefaultNames,
    customer_id: i64,
    query: &ListQuery,
    problem: Option<&FormProblem>,
) -> Result<Panel, sqlx::Error> {
    let filter = query.filter();
    let servers = inventory::servers_of(&db.pool, customer_id).await?;
    let total = inventory::count_assignments(&db.pool, customer_id, &filter).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = query.page_number().min(pages);
    let offset = (page - 1) * PAGE_SIZE;
    let assignments =
        inventory::assignments_page(&db.pool, customer_id, &filter, PAGE_SIZE, offset).await?;
    let ids: Vec<i64> = assignments.iter().map(|assignment| assignment.id).collect();
    let hostname = filter.hostname.as_deref();
    let entries = inventory::page_entries(&db.pool, &ids, hostname, ENTRIES_PER_SUBNET + 1).await?;
    let open_changes = inventory::page_open_changes(&db.pool, &ids).await?;
    let mut open_by_assignment: HashMap<i64, Vec<ListedChange>> = HashMap::new();
    for change in open_changes {
        open_by_assignment
            .entry(change.assignment_id)
            .or_default()
            .push(change);
    }

    let mut by_assignment: HashMap<i64, Vec<ListedEntry>> = HashMap::new();
    for entry in entries {
        by_assignment
            .entry(entry.assignment_id)
            .or_default()
            .push(entry);
    }
    let mut groups: Vec<ServerGroup> = Vec::new();
    for assignment in assignments {
        let stored = by_assignment.remove(&assignment.id).unwrap_or_default();
        let open = open_by_assignment
            .remove(&assignment.id)
            .unwrap_or_default();
        let view = assignment_view(
            assignment.id,
            assignment.network,
            stored,
            open,
            defaults,
            &filter,
            problem,
        );
        match groups.last_mut() {
            Some(group) if group.server_name == assignment.server_name => {
                group.assignments.push(view)
            }
            _ => groups.push(ServerGroup {
                server_name: assignment.server_name,
                assignments: vec![view],
            }),
        }
    }
    Ok(Panel {
        servers,
        groups,
        total,
        page,
        pages,
        problem_summary: problem.and_then(FormProblem::message),
    })
}

fn assignment_view(
    id: i64,
    network: Network,
    stored: Vec<ListedEntry>,
    open: Vec<ListedChange>,
    defaults: &DefaultNames,
    filter: &ListFilter,
    problem: Option<&FormProblem>,
) -> AssignmentView {
    let by_ip: HashMap<IpAddr, &ListedEntry> =
        stored.iter().map(|entry| (entry.ip, entry)).collect();
    let open_by_ip: HashMap<IpAddr, &ListedChange> =
        open.iter().map(|change| (change.ip, change)).collect();
    let row = |ip: IpAddr, entry: Option<&ListedEntry>| {
        let hostname = entry.and_then(|entry| entry.hostname.as_deref());
        let default_name = defaults.for_ip(ip);
        let mut row = Row {
            ip: ip.to_string(),
            value: hostname.map(display_form).unwrap_or_default(),
            default_name: default_name.clone(),
            customised: hostname.is_some(),
            version: entry.map_or(0, |entry| entry.version),
            error: None,
            open: None,
            in_force: None,
            warnings: entry
                .filter(|entry| entry.hostname.is_some())
                .map(|entry| {
                    entry
                        .findings
                        .iter()
                        .filter(|finding| finding.severity == Severity::Warning)
                        .cloned()
                        .collect()
                })
                .unwrap_or_default(),
        };
        if let Some(change) = open_by_ip.get(&ip) {
            row.in_force = Some(match hostname {
                Some(name) => display_form(name),
                None => default_name.unwrap_or_else(|| "no PTR".to_owned()),
            });
            row.value = change
                .requested_hostname
                .as_deref()
                .map(display_form)
                .unwrap_or_default();
            row.open = Some(OpenChange::from_listed(change));
        }
        row
    };
    let listed = network.listed_addresses();
    let lists_every_address = listed.is_some();
    let mut truncated = false;
    let mut rows: Vec<Row> = match listed {
        Some(addresses) => addresses
            .into_iter()
            .filter(|ip| row_matches(*ip, by_ip.get(ip).copied(), filter))
            .map(|ip| row(ip, by_ip.get(&ip).copied()))
            .collect(),
        None => {
            // Addresses with a PTR of their own or with an open change, in address order.
            let mut shown: Vec<IpAddr> = stored
                .iter()
                .filter(|entry| {
                    entry.hostname.is_some() && row_matches(entry.ip, Some(entry), filter)
                })
                .map(|entry| entry.ip)
                .chain(open.iter().map(|change| change.ip))
                .collect();
            shown.sort();
            shown.dedup();
            truncated = shown.len() as i64 > ENTRIES_PER_SUBNET;
            shown
                .into_iter()
                .take(ENTRIES_PER_SUBNET as usize)
                .map(|ip| row(ip, by_ip.get(&ip).copied()))
                .collect()
        }
    };
    let mut add = AddForm::default();
    match problem {
        Some(FormProblem::Row {
            ip,
            input,
            message,
            version,
        }) if network.contains(*ip) => {
            let at = rows.iter().position(|row| row.ip == ip.to_string());
            let target = match at {
                Some(index) => &mut rows[index],
                None => {
                    rows.insert(0, row(*ip, by_ip.get(ip).copied()));
                    &mut rows[0]
                }
            };
            target.value = input.clone();
            target.error = Some(message.clone());
            target.version = *version;
        }
        Some(FormProblem::Add {
            assignment_id,
            address,
            hostname,
            address_error,
            hostname_error,
        }) if *assignment_id == id => {
            add = AddForm {
                address: address.clone(),
                hostname: hostname.clone(),
                address_error: address_error.clone(),
                hostname_error: hostname_error.clone(),
            };
        }
        _ => {}
    }
    AssignmentView {
        id,
        network: network.to_string(),
        kind: network.kind_label(),
        single: matches!(network, Network::V4Host(_)),
        lists_every_address,
        rows,
        truncated,
        add,
    }
}

/// Within a matching assignment, whether one address's row matches the filter too.
fn row_matches(ip: IpAddr, entry: Option<&ListedEntry>, filter: &ListFilter) -> bool {
    let in_range = filter
        .range
        .is_none_or(|(first, last)| first <= ip && ip <= last);
    let text_matches = filter
        .network_text
        .as_deref()
        .is_none_or(|text| ip.to_string().contains(text));
    let name_matches = filter.hostname.as_deref().is_none_or(|fragment| {
        entry
            .and_then(|entry| entry.hostname.as_deref())
            .is_some_and(|name| name.contains(fragment))
    });
    in_range && name_matches && (text_matches || filter.network_text.is_none())
}

/// The Unicode form of a stored (ASCII) name, for people.
fn display_form(ascii: &str) -> String {
    Hostname::parse(ascii)
        .map(|name| name.as_unicode().to_owned())
        .unwrap_or_else(|_| ascii.to_owned())
}

//! What the customer's page shows: one page of their assignments, grouped by server, each with
//! a row per address (or per entry, for IPv6 and large IPv4 subnets). A page costs a constant
//! number of queries whatever the customer holds.

use crate::db::Db;
use crate::db::inventory::{self, ListFilter, ListedAssignment, ListedChange, ListedEntry, Server};
use crate::dns::names::ZoneCuts;
use crate::domain::finding::Severity;
use crate::domain::{DefaultNames, Hostname, Network};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

mod cache;
mod form;
mod query;
mod view;

pub use crate::db::inventory::PAGE_SIZE;
pub use cache::{PageCache, PageData};
pub use form::{AddForm, FormProblem};
pub use query::ListQuery;
pub use view::{
    AssignmentView, DelegationView, NAMESERVER_FIELDS, OpenChange, Row, RowDrift, ServerGroup,
};
/// Entries shown per IPv6 (or large IPv4) subnet before the customer has to filter.
pub const ENTRIES_PER_SUBNET: i64 = 200;
/// Servers the filter lists; a customer with more types part of a server's name.
pub const SERVER_CHOICES: i64 = 10;

/// Everything the page shows.
#[derive(Debug, Clone)]
pub struct Panel {
    /// The customer's servers for the filter's list, when they are at most
    /// [`SERVER_CHOICES`]; else empty, and the filter asks for a name instead.
    pub servers: Vec<Server>,
    /// Whether the customer has more servers than the filter lists.
    pub many_servers: bool,
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

/// One page's rows as read (or found in the cache) and the live statuses read fresh: what
/// [`PageRows::panel`] turns into the page, and what decides whether a page rendered earlier
/// can be served again ([`PageRows::shown_key`]).
#[derive(Debug)]
pub struct PageRows {
    /// The customer's page version the rows are current with.
    pub version: i64,
    /// The rows.
    pub data: Arc<PageData>,
    /// The live DNS status of the page's entries (empty when no public server is watched).
    pub live: HashMap<IpAddr, crate::dns::live::LiveStatus>,
}

impl PageRows {
    /// The page as shown, with the form that came back (in the reader's words: nothing here
    /// is cached).
    pub fn panel(
        &self,
        defaults: &DefaultNames,
        cuts: Option<&ZoneCuts>,
        query: &ListQuery,
        problem: Option<&FormProblem>,
    ) -> Panel {
        build(
            &self.data,
            &self.live,
            defaults,
            cuts,
            &query.filter(),
            problem,
        )
    }

    /// What a rendered page depends on: the key (the query, the reader's language and time
    /// zone) and what it was rendered from (the rows' version, a digest of the live
    /// statuses). Two requests alike in both are shown the same page, apart from the
    /// session's own parts (see [`PageCache::shown`]).
    pub fn shown_key(&self, query: &ListQuery) -> (String, (i64, u64)) {
        use std::hash::{Hash, Hasher};
        let locale = crate::i18n::current();
        let mut live: Vec<_> = self.live.iter().collect();
        live.sort_by_key(|(ip, _)| **ip);
        let mut digest = std::collections::hash_map::DefaultHasher::new();
        live.hash(&mut digest);
        let key = format!(
            "{}|{}|{}",
            query.to_query_string(),
            locale.code(),
            locale.time_zone.iana_name().unwrap_or("")
        );
        (key, (self.version, digest.finish()))
    }
}

/// Reads one page of the customer's panel: the rows come from `cache` when the customer's
/// page version has not moved since they were read; live statuses are read fresh. `version`:
/// the customer's page version (beside the customer's id) as read with the signed-in account
/// at the start of the request (see [`crate::db::users::Account::page_version`]), so that a
/// hit costs no query at all; `None` reads it here (a form that came back after its request
/// wrote).
pub async fn rows(
    db: &Db,
    cache: &PageCache,
    (customer_id, version): (i64, Option<i64>),
    query: &ListQuery,
) -> Result<PageRows, sqlx::Error> {
    let filter = query.filter();
    // One connection for whatever the page reads: the pool tests every connection it takes
    // back (a round trip to the database), so a connection per query would double them.
    let mut conn = None;
    // First the version, then the rows (see the cache's module).
    let (version, live_status_kept) = match (version, cache.live_status_kept()) {
        (Some(version), Some(kept)) => (version, kept),
        (version, _) => {
            let stamp =
                inventory::page_stamp(&mut *connection(db, &mut conn).await?, customer_id).await?;
            cache.note_live_status_kept(stamp.live_status_kept);
            (version.unwrap_or(stamp.version), stamp.live_status_kept)
        }
    };
    let key = query.to_query_string();
    let data = match cache.get(customer_id, &key, version) {
        Some(data) => data,
        None => {
            let conn = connection(db, &mut conn).await?;
            let data = Arc::new(read_page(conn, customer_id, query, &filter).await?);
            cache.put(customer_id, key, version, Arc::clone(&data));
            data
        }
    };
    let live = if live_status_kept {
        crate::dns::live::for_page(connection(db, &mut conn).await?, &data.ids()).await?
    } else {
        HashMap::new()
    };
    Ok(PageRows {
        version,
        data,
        live,
    })
}

/// The page's one connection, taken from the pool when first needed.
async fn connection<'c>(
    db: &Db,
    conn: &'c mut Option<sqlx::pool::PoolConnection<sqlx::Any>>,
) -> Result<&'c mut sqlx::AnyConnection, sqlx::Error> {
    if conn.is_none() {
        *conn = Some(db.pool.acquire().await?);
    }
    match conn {
        Some(conn) => Ok(&mut **conn),
        None => Err(sqlx::Error::PoolClosed),
    }
}

/// The rows of one page, from the database.
async fn read_page(
    conn: &mut sqlx::AnyConnection,
    customer_id: i64,
    query: &ListQuery,
    filter: &ListFilter,
) -> Result<PageData, sqlx::Error> {
    // A list of the servers, unless there are more than a list can usefully hold (and the page
    // would fetch more rows the more servers there are).
    let servers = inventory::first_servers_of(&mut *conn, customer_id, SERVER_CHOICES + 1).await?;
    // Unfiltered (the common case), nothing here grows with what the customer holds: the total
    // is a kept counter, and the queries below skip what the page does not have.
    let total = if filter.is_empty() {
        inventory::listing_facts(&mut *conn, customer_id)
            .await?
            .assignments
    } else {
        inventory::count_assignments(&mut *conn, customer_id, filter).await?
    };
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = query.page_number().min(pages);
    // A "next" or "previous" link names the assignment its page follows or precedes: two
    // index seeks. A page asked for by number alone (page 1, a typed address, a filtered
    // list) is counted from the start; so is one whose assignment is gone, or past the end.
    let mut listed = None;
    if let Some((side, id)) = query.position()
        && let Some(position) = inventory::list_position(&mut *conn, customer_id, id).await?
    {
        let beside =
            inventory::assignments_page_at(&mut *conn, customer_id, &position, side, PAGE_SIZE)
                .await?;
        if !beside.assignments.is_empty() {
            listed = Some(beside);
        }
    }
    let listed = match listed {
        Some(listed) => listed,
        None => {
            let offset = (page - 1) * PAGE_SIZE;
            inventory::assignments_page(&mut *conn, customer_id, filter, PAGE_SIZE, offset).await?
        }
    };
    let ids: Vec<i64> = listed
        .assignments
        .iter()
        .map(|assignment| assignment.id)
        .collect();
    let hostname = filter.hostname.as_deref();
    let entries =
        inventory::page_entries(&mut *conn, &ids, hostname, ENTRIES_PER_SUBNET + 1).await?;
    let open_changes = if listed.with_open_changes {
        inventory::page_open_changes(&mut *conn, &ids).await?
    } else {
        Vec::new()
    };
    let drifting = crate::db::drift::of_assignments(&mut *conn, &ids).await?;
    Ok(PageData {
        servers,
        total,
        page,
        pages,
        assignments: listed.assignments,
        entries,
        open_changes,
        drifting,
    })
}

/// The page as shown, from its rows (in the reader's words: nothing here is cached).
fn build(
    data: &PageData,
    live: &HashMap<IpAddr, crate::dns::live::LiveStatus>,
    defaults: &DefaultNames,
    cuts: Option<&ZoneCuts>,
    filter: &ListFilter,
    problem: Option<&FormProblem>,
) -> Panel {
    let many_servers = data.servers.len() as i64 > SERVER_CHOICES;
    let servers = if many_servers {
        Vec::new()
    } else {
        data.servers.clone()
    };
    let drifting: HashMap<IpAddr, &crate::db::drift::Shown> = data
        .drifting
        .iter()
        .map(|drift| (drift.ip, drift))
        .collect();
    let mut open_by_assignment: HashMap<i64, Vec<&ListedChange>> = HashMap::new();
    for change in &data.open_changes {
        open_by_assignment
            .entry(change.assignment_id)
            .or_default()
            .push(change);
    }
    let mut by_assignment: HashMap<i64, Vec<&ListedEntry>> = HashMap::new();
    for entry in &data.entries {
        by_assignment
            .entry(entry.assignment_id)
            .or_default()
            .push(entry);
    }
    let mut groups: Vec<ServerGroup> = Vec::new();
    for assignment in &data.assignments {
        let stored = by_assignment.remove(&assignment.id).unwrap_or_default();
        let open = open_by_assignment
            .remove(&assignment.id)
            .unwrap_or_default();
        let delegation = delegation_view(assignment, cuts, problem);
        let mut view = assignment_view(
            assignment.id,
            assignment.network,
            &stored,
            &open,
            defaults,
            filter,
            problem,
        );
        view.delegation = delegation;
        if !live.is_empty() || !drifting.is_empty() {
            for row in &mut view.rows {
                let ip = row.ip.parse::<IpAddr>().ok();
                row.dns = ip.and_then(|ip| live.get(&ip).cloned());
                row.drift = ip
                    .and_then(|ip| drifting.get(&ip))
                    .map(|drift| RowDrift::from(*drift));
            }
        }
        match groups.last_mut() {
            Some(group) if group.server_id == assignment.server_id => group.assignments.push(view),
            _ => groups.push(ServerGroup {
                server_id: assignment.server_id,
                server_name: assignment.server_name.clone(),
                assignments: vec![view],
            }),
        }
    }
    Panel {
        servers,
        many_servers,
        groups,
        total: data.total,
        page: data.page,
        pages: data.pages,
        problem_summary: problem.and_then(FormProblem::message),
    }
}

/// The delegation part of an assignment an admin allows to delegate (and that can be, with
/// ptrdesk serving DNS): its state, the zone to serve, the form as it came back.
fn delegation_view(
    assignment: &ListedAssignment,
    cuts: Option<&ZoneCuts>,
    problem: Option<&FormProblem>,
) -> Option<view::DelegationView> {
    if !assignment.delegation_allowed && assignment.delegated_to.is_empty() {
        return None;
    }
    let cut = crate::dns::delegation::cut_of(&assignment.network, cuts?).ok()?;
    let mut delegation = view::DelegationView {
        delegated_to: assignment.delegated_to.clone(),
        zone: cut.zone_text(),
        inputs: vec![String::new(); NAMESERVER_FIELDS],
        error: None,
        findings: Vec::new(),
    };
    if let Some(FormProblem::Delegation {
        assignment_id,
        nameservers,
        message,
        findings,
    }) = problem
        && *assignment_id == assignment.id
    {
        for (field, typed) in delegation.inputs.iter_mut().zip(nameservers) {
            field.clone_from(typed);
        }
        delegation.error = Some(message.clone());
        delegation.findings.clone_from(findings);
    }
    Some(delegation)
}

fn assignment_view(
    id: i64,
    network: Network,
    stored: &[&ListedEntry],
    open: &[&ListedChange],
    defaults: &DefaultNames,
    filter: &ListFilter,
    problem: Option<&FormProblem>,
) -> AssignmentView {
    let by_ip: HashMap<IpAddr, &ListedEntry> =
        stored.iter().map(|entry| (entry.ip, *entry)).collect();
    let open_by_ip: HashMap<IpAddr, &ListedChange> =
        open.iter().map(|change| (change.ip, *change)).collect();
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
            dns: None,
            drift: None,
        };
        if let Some(change) = open_by_ip.get(&ip) {
            row.in_force = Some(match hostname {
                Some(name) => display_form(name),
                None => default_name.unwrap_or_else(|| crate::i18n::t("row-in-force-none")),
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
        Some(FormProblem::Review {
            change_id,
            justification,
            message,
        }) => {
            let open = rows
                .iter_mut()
                .filter_map(|row| row.open.as_mut())
                .find(|open| open.id == *change_id);
            if let Some(open) = open {
                open.review_input = justification.clone();
                open.review_error = Some(message.clone());
            }
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
        delegation: None,
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
    // Stored names are canonical: only an `xn--` label reads differently in Unicode, so the
    // parse (a UTS #46 pass per row) is skipped for the others.
    if !ascii.contains("xn--") {
        return ascii.to_owned();
    }
    Hostname::parse(ascii)
        .map(|name| name.as_unicode().to_owned())
        .unwrap_or_else(|_| ascii.to_owned())
}

//! What the native API lists about a customer's addresses: for each, its assignment and
//! server, the PTR in force, the provider default, the entry version (for `If-Match`) and the
//! open change with its findings. Pages follow address order with a cursor; see
//! [`crate::db::api_listing`] for which addresses are listed.

use crate::db::inventory::{ListFilter, ListedAssignment, ListedChange, ListedEntry, OwnedIp};
use crate::db::{Db, api_listing};
use crate::domain::finding::Finding;
use crate::domain::{ChangeState, DefaultNames, address_key};
use serde::Serialize;
use std::collections::HashMap;
use std::net::IpAddr;

/// Most addresses one page may hold.
pub const MAX_PER_PAGE: i64 = 500;
/// Addresses per page when the client does not say.
pub const DEFAULT_PER_PAGE: i64 = 100;

/// One address as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpItem {
    /// The address (RFC 5952 for IPv6).
    pub ip: IpAddr,
    /// The assignment holding it, e.g. `198.51.100.16/29`.
    pub assignment: String,
    /// The server the assignment is on.
    pub server: String,
    /// The customer's PTR in force (ASCII form); `None` when the provider default applies.
    pub ptr: Option<String>,
    /// The provider's default name for the address, if it has one.
    pub default: Option<String>,
    /// The entry version a change may name in `If-Match` (0: never written).
    pub version: i64,
    /// Warnings and notes kept with the PTR in force.
    pub findings: Vec<Finding>,
    /// A requested change that is not in force (pending, rejected, in review, denied).
    pub change: Option<OpenChangeItem>,
}

/// A requested change that is not in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenChangeItem {
    /// Where it stands.
    pub state: ChangeState,
    /// The requested name (ASCII form); `None` for a reset to the default.
    pub requested: Option<String>,
    /// What the checks found.
    pub findings: Vec<Finding>,
    /// An admin's note, if any.
    pub note: Option<String>,
    /// For a pending change: when it gives up (RFC 3339).
    pub deadline: Option<String>,
}

impl OpenChangeItem {
    fn from_listed(change: ListedChange) -> OpenChangeItem {
        OpenChangeItem {
            state: change.state,
            requested: change.requested_hostname,
            findings: change.findings,
            note: change.note,
            deadline: change.deadline.and_then(rfc3339),
        }
    }
}

fn rfc3339(unix_seconds: i64) -> Option<String> {
    time::OffsetDateTime::from_unix_timestamp(unix_seconds)
        .ok()?
        .format(&time::format_description::well_known::Rfc3339)
        .ok()
}

/// One page of the listing.
#[derive(Debug, Clone)]
pub struct IpPage {
    /// The addresses, in address order.
    pub items: Vec<IpItem>,
    /// Where the next page starts (its `after`); `None` on the last page.
    pub next: Option<IpAddr>,
}

/// One page of the customer's addresses after `after`, narrowed by `filter`. Four queries
/// whatever the page and the customer's size; a page may hold fewer than `per_page` items and
/// still have a next one (when a filter drops addresses), so clients follow `next` to the end.
pub async fn page(
    db: &Db,
    defaults: &DefaultNames,
    customer_id: i64,
    filter: &ListFilter,
    after: Option<IpAddr>,
    per_page: i64,
) -> Result<IpPage, sqlx::Error> {
    let per_page = per_page.clamp(1, MAX_PER_PAGE);
    let after_key = after.map(address_key).unwrap_or_default();
    let mut refs: Vec<(IpAddr, ListedAssignment)> = Vec::new();
    // How far each source is complete: beyond its last row it may hold more.
    let mut bound: Option<Vec<u8>> = None;
    let mut tighten = |key: Vec<u8>| {
        if bound.as_ref().is_none_or(|current| key < *current) {
            bound = Some(key);
        }
    };
    if filter.hostname.is_none() {
        let listed =
            api_listing::listed_assignments_after(&db.pool, customer_id, filter, after, per_page)
                .await?;
        if listed.len() as i64 == per_page
            && let Some(last) = listed.last()
        {
            tighten(address_key(last.network.last()));
        }
        for assignment in listed {
            for ip in assignment.network.listed_addresses().unwrap_or_default() {
                if address_key(ip) > after_key && matches(ip, &assignment, filter) {
                    refs.push((ip, assignment.clone()));
                }
            }
        }
    }
    let others =
        api_listing::named_or_subnet_items(&db.pool, customer_id, filter, after, per_page).await?;
    if others.len() as i64 == per_page
        && let Some(last) = others.last()
    {
        tighten(address_key(last.ip));
    }
    refs.extend(others.into_iter().map(|item| (item.ip, item.assignment)));
    refs.sort_by_key(|(ip, _)| address_key(*ip));
    refs.dedup_by_key(|(ip, _)| *ip);
    if let Some(bound) = &bound {
        refs.retain(|(ip, _)| address_key(*ip) <= *bound);
    }
    let next = if refs.len() as i64 > per_page {
        refs.truncate(per_page as usize);
        refs.last().map(|(ip, _)| *ip)
    } else {
        bound.as_deref().and_then(crate::domain::address_from_key)
    };
    let (Some((first, _)), Some((last, _))) = (refs.first(), refs.last()) else {
        return Ok(IpPage {
            items: Vec::new(),
            next,
        });
    };
    let entries =
        api_listing::entries_between(&db.pool, customer_id, filter, *first, *last).await?;
    let changes = api_listing::open_changes_between(&db.pool, customer_id, *first, *last).await?;
    let mut entries: HashMap<IpAddr, ListedEntry> =
        entries.into_iter().map(|entry| (entry.ip, entry)).collect();
    let mut changes: HashMap<IpAddr, ListedChange> = changes
        .into_iter()
        .map(|change| (change.ip, change))
        .collect();
    let items = refs
        .into_iter()
        .map(|(ip, assignment)| {
            item(
                ip,
                &assignment,
                entries.remove(&ip),
                changes.remove(&ip),
                defaults,
            )
        })
        .collect();
    Ok(IpPage { items, next })
}

/// Within a listed assignment, whether one address matches the range and text filters (the
/// server filter was applied to the assignment).
fn matches(ip: IpAddr, assignment: &ListedAssignment, filter: &ListFilter) -> bool {
    let in_range = filter.range.is_none_or(|(first, last)| {
        address_key(first) <= address_key(ip) && address_key(ip) <= address_key(last)
    });
    let text = filter.network_text.as_deref().is_none_or(|text| {
        ip.to_string().contains(text) || assignment.network.to_string().contains(text)
    });
    in_range && text
}

/// One address of the customer, proven theirs.
pub async fn one(db: &Db, defaults: &DefaultNames, owned: &OwnedIp) -> Result<IpItem, sqlx::Error> {
    let ip = owned.ip();
    let customer_id = owned.customer_id();
    let assignment = api_listing::assignment(&db.pool, owned.assignment_id())
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let all = ListFilter::default();
    let entry = api_listing::entries_between(&db.pool, customer_id, &all, ip, ip)
        .await?
        .pop();
    let change = api_listing::open_changes_between(&db.pool, customer_id, ip, ip)
        .await?
        .pop();
    Ok(item(ip, &assignment, entry, change, defaults))
}

fn item(
    ip: IpAddr,
    assignment: &ListedAssignment,
    entry: Option<ListedEntry>,
    change: Option<ListedChange>,
    defaults: &DefaultNames,
) -> IpItem {
    let (ptr, version, findings) = match entry {
        Some(entry) => {
            let findings = if entry.hostname.is_some() {
                entry.findings
            } else {
                Vec::new()
            };
            (entry.hostname, entry.version, findings)
        }
        None => (None, 0, Vec::new()),
    };
    IpItem {
        ip,
        assignment: assignment.network.to_string(),
        server: assignment.server_name.clone(),
        ptr,
        default: defaults.for_ip(ip),
        version,
        findings,
        change: change.map(OpenChangeItem::from_listed),
    }
}

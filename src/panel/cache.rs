//! The customer's page, cached per node in two layers, both keyed by customer and valid for
//! one page version:
//! - the rows one page shows, keyed by query string ([`PageCache::get`]); a hit skips the
//!   page's other queries;
//! - the page below its head as rendered ([`PageCache::shown`]), keyed by query string,
//!   language and time zone and valid for one digest of the live statuses too (those are
//!   read fresh on every request); a hit skips building and rendering the rows. It holds a
//!   marker where each session's CSRF token goes; the flash and the header are rendered per
//!   request.
//!
//! The version is the number the triggers of migration 0075 move in every transaction that
//! writes what the page shows, read on every request with the signed-in account
//! ([`crate::db::users::account`]; [`crate::db::inventory::page_stamp`] after a form came
//! back), so a write on any node shows on the next page everywhere.
//!
//! The version is read before the rows: rows read after a write committed but cached under
//! the version before it are newer than their label, never older, and the next request sees
//! the new version and reads them again.

use crate::db::drift::Shown;
use crate::db::inventory::{ListedAssignment, ListedChange, ListedEntry, Server};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Rows kept at most (assignments, entries, open changes and drifts of every cached page):
/// a page of 25 single addresses is about 60 rows, so this keeps thousands of pages in a few
/// tens of MB; when full, the cache starts over.
const MAX_ROWS: usize = 200_000;

/// The rows of one page of one customer's list, as read from the database.
#[derive(Debug, Clone)]
pub struct PageData {
    /// The filter's servers (at most [`super::SERVER_CHOICES`] + 1, as read).
    pub servers: Vec<Server>,
    /// Assignments matching the filter.
    pub total: i64,
    /// This page, 1-based, and the number of pages.
    pub page: i64,
    /// Number of pages (at least 1).
    pub pages: i64,
    /// The page's assignments, in list order.
    pub assignments: Vec<ListedAssignment>,
    /// Their stored entries.
    pub entries: Vec<ListedEntry>,
    /// Their open changes.
    pub open_changes: Vec<ListedChange>,
    /// Their entries' drifts.
    pub drifting: Vec<Shown>,
}

impl PageData {
    /// The page's assignment ids.
    pub fn ids(&self) -> Vec<i64> {
        self.assignments
            .iter()
            .map(|assignment| assignment.id)
            .collect()
    }

    fn rows(&self) -> usize {
        1 + self.servers.len()
            + self.assignments.len()
            + self.entries.len()
            + self.open_changes.len()
            + self.drifting.len()
    }
}

#[derive(Debug, Default)]
struct Pages {
    /// Customer → query string → (version, rows).
    by_customer: HashMap<i64, HashMap<String, (i64, Arc<PageData>)>>,
    rows: usize,
}

/// How long this node trusts what it last read about live statuses being kept: whether any
/// public name server or publishing backend is configured changes with the configuration,
/// and the live statuses themselves follow a poll of seconds.
const LIVE_STATUS_KEPT_FOR: Duration = Duration::from_secs(1);

/// What a rendered page was rendered from: the rows' page version and the live statuses'
/// digest.
pub type RenderedFrom = (i64, u64);

/// Bytes of rendered pages kept at most; when full, that cache starts over.
const MAX_SHOWN_BYTES: usize = 64 << 20;

/// Pages as rendered, without their session's parts: customer → key (see
/// [`super::PageRows::shown_key`]: query, language, time zone) → (the version and live
/// statuses' digest it was rendered from, HTML).
#[derive(Debug, Default)]
struct Rendered {
    by_customer: HashMap<i64, HashMap<String, (RenderedFrom, Arc<str>)>>,
    bytes: usize,
}

/// This node's cache of page data.
#[derive(Debug, Default)]
pub struct PageCache {
    pages: Mutex<Pages>,
    shown: Mutex<Rendered>,
    live_status_kept: Mutex<Option<(Instant, bool)>>,
}

impl PageCache {
    /// An empty cache.
    pub fn new() -> PageCache {
        PageCache::default()
    }

    /// Whether live statuses are kept, if read within the last second.
    pub fn live_status_kept(&self) -> Option<bool> {
        let noted = *self.live_status_kept.lock().ok()?;
        noted
            .filter(|(at, _)| at.elapsed() < LIVE_STATUS_KEPT_FOR)
            .map(|(_, kept)| kept)
    }

    /// Notes whether live statuses are kept, as just read.
    pub fn note_live_status_kept(&self, kept: bool) {
        if let Ok(mut noted) = self.live_status_kept.lock() {
            *noted = Some((Instant::now(), kept));
        }
    }

    /// The cached rows of `customer_id`'s page `query`, if they were read at `version`.
    pub fn get(&self, customer_id: i64, query: &str, version: i64) -> Option<Arc<PageData>> {
        let pages = self.pages.lock().ok()?;
        match pages.by_customer.get(&customer_id)?.get(query) {
            Some((cached, data)) if *cached == version => Some(Arc::clone(data)),
            _ => None,
        }
    }

    /// Keeps the rows of `customer_id`'s page `query`, read at `version`.
    pub fn put(&self, customer_id: i64, query: String, version: i64, data: Arc<PageData>) {
        let Ok(mut pages) = self.pages.lock() else {
            return;
        };
        let rows = data.rows();
        if pages.rows + rows > MAX_ROWS {
            pages.by_customer.clear();
            pages.rows = 0;
        }
        pages.rows += rows;
        let old = pages
            .by_customer
            .entry(customer_id)
            .or_default()
            .insert(query, (version, data));
        if let Some((_, old)) = old {
            pages.rows = pages.rows.saturating_sub(old.rows());
        }
    }

    /// The page of `customer_id` rendered for `key`, if it was rendered from `from` (the rows'
    /// version and the live statuses' digest).
    pub fn shown(&self, customer_id: i64, key: &str, from: RenderedFrom) -> Option<Arc<str>> {
        let shown = self.shown.lock().ok()?;
        match shown.by_customer.get(&customer_id)?.get(key) {
            Some((cached, html)) if *cached == from => Some(Arc::clone(html)),
            _ => None,
        }
    }

    /// Keeps the page of `customer_id` rendered for `key` from `from` (see [`Self::shown`]).
    pub fn keep_shown(&self, customer_id: i64, key: String, from: RenderedFrom, html: Arc<str>) {
        let Ok(mut shown) = self.shown.lock() else {
            return;
        };
        if shown.bytes + html.len() > MAX_SHOWN_BYTES {
            shown.by_customer.clear();
            shown.bytes = 0;
        }
        shown.bytes += html.len();
        let old = shown
            .by_customer
            .entry(customer_id)
            .or_default()
            .insert(key, (from, html));
        if let Some((_, old)) = old {
            shown.bytes = shown.bytes.saturating_sub(old.len());
        }
    }
}

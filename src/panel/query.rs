//! The page's query string: filter and page number, as typed, and the database filter it means.

use crate::db::inventory::{ListFilter, Side};
use serde::{Deserialize, Serialize};

/// The page's query string: filter and page number, all optional, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct ListQuery {
    /// Server id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub server: String,
    /// Part of a server name (the filter of a customer with too many servers for a list).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub server_name: String,
    /// An address, a network, or part of one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ip: String,
    /// Part of a hostname.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    /// 1-based page number.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub page: String,
    /// The page starts after this assignment (a "next" link of the unfiltered list).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub after: String,
    /// The page ends before this assignment (a "previous" link of the unfiltered list).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub before: String,
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

    /// The same query on another page, by its number.
    pub fn with_page(&self, page: i64) -> String {
        let mut other = self.clone();
        other.page = page.to_string();
        other.after.clear();
        other.before.clear();
        other.to_query_string()
    }

    /// The same query on the page next to this one (`page`, one more or one less), by the
    /// keyset position its links carry: the assignment the page follows or precedes. Page 1
    /// and filtered lists (short) go by number.
    pub fn with_page_beside(&self, page: i64, side: Side, assignment_id: i64) -> String {
        let mut other = self.clone();
        other.page = page.to_string();
        other.after.clear();
        other.before.clear();
        if page > 1 && !self.is_filtered() {
            let id = assignment_id.to_string();
            match side {
                Side::After => other.after = id,
                Side::Before => other.before = id,
            }
        }
        other.to_query_string()
    }

    /// The keyset position asked for (unfiltered lists only): the side and the assignment.
    pub fn position(&self) -> Option<(Side, i64)> {
        if self.is_filtered() {
            return None;
        }
        let id = |text: &str| text.trim().parse::<i64>().ok();
        id(&self.after)
            .map(|after| (Side::After, after))
            .or_else(|| id(&self.before).map(|before| (Side::Before, before)))
    }

    /// The 1-based page number asked for.
    pub fn page_number(&self) -> i64 {
        self.page.trim().parse::<i64>().unwrap_or(1).max(1)
    }

    /// Whether any filter is set.
    pub fn is_filtered(&self) -> bool {
        !(self.server.trim().is_empty()
            && self.server_name.trim().is_empty()
            && self.ip.trim().is_empty()
            && self.hostname.trim().is_empty())
    }

    /// The database filter this query means.
    pub fn filter(&self) -> ListFilter {
        let ip = self.ip.trim();
        let (range, network_text) = if ip.is_empty() {
            (None, None)
        } else if let Ok(address) = crate::domain::parse_address(ip) {
            (Some((address, address)), None)
        } else if let Ok(net) = crate::domain::parse_net(ip) {
            (Some((net.network(), net.broadcast())), None)
        } else {
            (None, Some(ip.to_ascii_lowercase()))
        };
        let hostname = self.hostname.trim();
        let server_name = self.server_name.trim();
        ListFilter {
            server_id: self.server.trim().parse().ok(),
            server_name: (!server_name.is_empty()).then(|| server_name.to_lowercase()),
            range,
            network_text,
            hostname: (!hostname.is_empty()).then(|| hostname.to_lowercase()),
        }
    }
}

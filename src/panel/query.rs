//! The page's query string: filter and page number, as typed, and the database filter it means.

use crate::db::inventory::ListFilter;
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

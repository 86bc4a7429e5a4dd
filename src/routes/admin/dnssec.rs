//! DNSSEC (read only): each signed zone's DS record to give the parent (the RIR), its keys and
//! where a ZSK rollover stands. Keys are made by the DNS jobs and rolled with
//! `ptrdesk dns rollover ZONE` (see [`crate::dns::dnssec`]).

use crate::auth::AdminUser;
use crate::db::dnssec::{KeyRole, StoredKey};
use crate::error::AppError;
use crate::i18n::filters;
use crate::routes::layout::{Layout, html};
use crate::session::AppSession;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

/// One key as listed.
struct ListedKey {
    role: &'static str,
    tag: String,
    state: &'static str,
    since: String,
}

/// One signed zone as listed.
struct SignedZone {
    name: String,
    ds: Vec<String>,
    keys: Vec<ListedKey>,
    /// What a rollover under way is waiting for, if one is.
    rollover: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "admin/dnssec.html")]
struct DnssecPage {
    layout: Layout,
    tab: &'static str,
    enabled: bool,
    zones: Vec<SignedZone>,
}

fn listed(zone: &str, keys: Vec<StoredKey>) -> SignedZone {
    use crate::db::dnssec::KeyState;
    let ds = crate::dns::dnssec::ds_records(zone, &keys).unwrap_or_default();
    let rollover = if keys
        .iter()
        .any(|key| key.role == KeyRole::Zsk && key.state == KeyState::Published)
    {
        Some("new ZSK published; it signs once the DNSKEY TTL has passed")
    } else if keys
        .iter()
        .any(|key| key.role == KeyRole::Zsk && key.state == KeyState::Retired)
    {
        Some("new ZSK signs; the old one leaves once its signatures' TTL has passed")
    } else {
        None
    };
    let keys = keys
        .into_iter()
        .map(|key| ListedKey {
            role: match key.role {
                KeyRole::Ksk => "KSK",
                KeyRole::Zsk => "ZSK",
            },
            tag: crate::dns::dnssec::ZoneKey::from_stored(key.clone())
                .map_or_else(|_| "unreadable".to_owned(), |read| read.tag.to_string()),
            state: key.state.as_str(),
            since: crate::clock::display(key.state_since),
        })
        .collect();
    SignedZone {
        name: zone.to_owned(),
        ds,
        keys,
        rollover,
    }
}

/// `GET /admin/dnssec`
pub async fn page(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let enabled = state
        .publishing
        .as_ref()
        .is_some_and(|publishing| publishing.dnssec.is_some());
    let mut zones: Vec<SignedZone> = Vec::new();
    let mut current: Option<(String, Vec<StoredKey>)> = None;
    for key in crate::db::dnssec::live_keys(&state.db.pool).await? {
        match &mut current {
            Some((zone, keys)) if *zone == key.zone => keys.push(key),
            _ => {
                if let Some((zone, keys)) = current.take() {
                    zones.push(listed(&zone, keys));
                }
                current = Some((key.zone.clone(), vec![key]));
            }
        }
    }
    if let Some((zone, keys)) = current {
        zones.push(listed(&zone, keys));
    }
    let page = DnssecPage {
        layout: Layout::new(&admin.user, &session)?,
        tab: "dnssec",
        enabled,
        zones,
    };
    html(StatusCode::OK, &page)
}

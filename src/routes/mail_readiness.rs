//! Mail readiness pages of the customer: one address (`/ips/{ip}/mail`), and every address of
//! one server (`/servers/{id}/mail`). Both read the PTR in force, run the engine's
//! mail-readiness checks and render one card per address; `?greeting=IP` also tests the SMTP
//! greeting of that (own) address. The native API and the help-desk dossier use
//! [`readiness_of`] too.

use crate::auth::CustomerUser;
use crate::checks::mail_readiness::{PtrInForce, PtrSource, Readiness};
use crate::db;
use crate::error::AppError;
use crate::i18n::filters;
use crate::routes::layout::{Layout, html};
use crate::session::AppSession;
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use futures_util::stream::{self, StreamExt};
use serde::Deserialize;
use std::net::IpAddr;

/// Addresses one server page checks at most; the others are named, with a link each.
pub const MAX_ADDRESSES: usize = 16;
/// Addresses checked at once on a server page.
const AT_ONCE: usize = 4;

/// The PTR ptrdesk publishes for `ip` now: the customer's entry, else the provider default.
pub async fn ptr_in_force(state: &AppState, ip: IpAddr) -> Result<Option<PtrInForce>, sqlx::Error> {
    let entry = db::entries::current(&state.db.pool, ip).await?;
    Ok(match entry.and_then(|entry| entry.hostname) {
        Some(name) => Some(PtrInForce {
            name,
            source: PtrSource::Customer,
        }),
        None => state.defaults.for_ip(ip).map(|name| PtrInForce {
            name,
            source: PtrSource::Default,
        }),
    })
}

/// The mail readiness of `ip` (whose ownership the caller checked); `greeting` tests the SMTP
/// greeting too.
pub async fn readiness_of(
    state: &AppState,
    ip: IpAddr,
    greeting: bool,
) -> Result<Readiness, sqlx::Error> {
    let ptr = ptr_in_force(state, ip).await?;
    let port = greeting.then_some(state.mail_port);
    Ok(state.engine.mail_readiness(ip, ptr, port).await)
}

/// `?greeting=IP`: the address whose greeting to test.
#[derive(Debug, Default, Deserialize)]
pub struct MailQuery {
    #[serde(default)]
    greeting: String,
}

impl MailQuery {
    fn greeting_of(&self, ip: IpAddr) -> bool {
        crate::domain::parse_address(self.greeting.trim()).is_ok_and(|asked| asked == ip)
    }
}

#[derive(Template)]
#[template(path = "customer/mail.html")]
struct MailPage {
    layout: Layout,
    heading: String,
    /// The server page's link (on an address page), or `None` on the server page.
    server_link: Option<(String, String)>,
    results: Vec<Readiness>,
    /// Addresses of the server not checked on this page (over [`MAX_ADDRESSES`]).
    not_checked: Vec<IpAddr>,
    zones: Vec<String>,
    /// Why nothing was checked (the live-check limit), if so.
    refused: Option<String>,
    /// Where the greeting buttons send the form.
    greeting_action: String,
}

/// `GET /ips/{ip}/mail[?greeting=IP]`
pub async fn address(
    user: CustomerUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<MailQuery>,
) -> Result<HttpResponse, AppError> {
    let owned = crate::routes::customer::owned(&state, &user, &path).await?;
    let ip = owned.ip();
    let mut conn = state.db.pool.acquire().await?;
    let server = db::mail_readiness::server_of_assignment(&mut conn, owned.assignment_id()).await?;
    drop(conn);
    let mut page = MailPage {
        layout: Layout::new(&user.user, &session)?,
        heading: format!("Mail readiness of {ip}"),
        server_link: server.map(|(id, name)| (format!("/servers/{id}/mail"), name)),
        results: Vec::new(),
        not_checked: Vec::new(),
        zones: state.engine.blocklist_zones(),
        refused: None,
        greeting_action: format!("/ips/{ip}/mail"),
    };
    if let Some(refused) = count(&state, &user, &mut page)? {
        return Ok(refused);
    }
    page.results
        .push(readiness_of(&state, ip, query.greeting_of(ip)).await?);
    html(StatusCode::OK, &page)
}

/// `GET /servers/{id}/mail[?greeting=IP]`
pub async fn server(
    user: CustomerUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<MailQuery>,
) -> Result<HttpResponse, AppError> {
    let server_id: i64 = path.trim().parse().map_err(|_| AppError::NotFound)?;
    let mut conn = state.db.pool.acquire().await?;
    let found = db::mail_readiness::server_addresses(
        &mut conn,
        user.customer_id,
        server_id,
        MAX_ADDRESSES as i64 + 1,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    drop(conn);
    let mut addresses: Vec<IpAddr> = Vec::new();
    for network in &found.networks {
        if let Some(every) = network.listed_addresses() {
            addresses.extend(every);
        }
    }
    for (ip, _) in &found.named {
        if !addresses.contains(ip) {
            addresses.push(*ip);
        }
    }
    let not_checked = addresses.split_off(addresses.len().min(MAX_ADDRESSES));
    let mut page = MailPage {
        layout: Layout::new(&user.user, &session)?,
        heading: format!("Mail readiness of server {}", found.name),
        server_link: None,
        results: Vec::new(),
        not_checked,
        zones: state.engine.blocklist_zones(),
        refused: None,
        greeting_action: format!("/servers/{server_id}/mail"),
    };
    if let Some(refused) = count(&state, &user, &mut page)? {
        return Ok(refused);
    }
    let state = &state;
    let query = &query;
    let results: Vec<Result<Readiness, sqlx::Error>> = stream::iter(addresses)
        .map(|ip| async move { readiness_of(state, ip, query.greeting_of(ip)).await })
        .buffered(AT_ONCE)
        .collect()
        .await;
    page.results = results.into_iter().collect::<Result<_, _>>()?;
    html(StatusCode::OK, &page)
}

/// Counts the page against the live-check limit (it asks DNS and, on demand, a mail server):
/// over it, the page says so with 429 and checks nothing.
fn count(
    state: &AppState,
    user: &CustomerUser,
    page: &mut MailPage,
) -> Result<Option<HttpResponse>, AppError> {
    let Err(wait) = state
        .live_check_limits
        .count(user.user.account.id, &user.user.source)
    else {
        return Ok(None);
    };
    page.refused = Some(format!(
        "You ran many checks in a short time; nothing was checked now. Try again in {} s.",
        wait.seconds()
    ));
    let mut response = html(StatusCode::TOO_MANY_REQUESTS, &*page)?;
    response.headers_mut().insert(
        header::RETRY_AFTER,
        header::HeaderValue::from(wait.seconds()),
    );
    Ok(Some(response))
}

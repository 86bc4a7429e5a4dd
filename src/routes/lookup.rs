//! The help-desk's read-only side (admins see it too): one search box over addresses,
//! networks, hostnames, customers and servers, and the IP dossier with "run the checks now".
//! Nothing here writes: every route is a GET, and the checks run on the engine alone.

use crate::auth::StaffUser;
use crate::db::{self, lookup::Holding};
use crate::domain::ChangeState;
use crate::domain::finding::Finding;
use crate::error::AppError;
use crate::field_limits;
use crate::i18n::filters;
use crate::routes::layout::{Layout, Pager, html};
use crate::session::AppSession;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use ipnet::IpNet;
use serde::Deserialize;
use sqlx::AnyConnection;
use std::net::IpAddr;

/// Results on one page of a search.
pub const PAGE_SIZE: usize = 50;
/// Pages a search can be followed to; past that, narrow the search.
pub const MAX_PAGES: usize = 20;

/// The search box.
#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
}

/// One line of the result list.
#[derive(Debug, Clone)]
struct Hit {
    kind: &'static str,
    matched: String,
    holding: Holding,
    /// The address the dossier link opens (the address itself, or the assignment's first).
    dossier: IpAddr,
}

#[derive(Template)]
#[template(path = "staff/lookup.html")]
struct LookupPage {
    layout: Layout,
    q: String,
    searched: bool,
    understood: &'static str,
    hits: Vec<Hit>,
    page: usize,
    has_next: bool,
    capped: bool,
}

impl LookupPage {
    fn pager(&self) -> Pager {
        Pager::open_ended(self.page as i64, self.has_next, |page| {
            serde_urlencoded::to_string([("q", self.q.as_str()), ("page", &page.to_string())])
                .map(|qs| format!("/lookup?{qs}"))
                .unwrap_or_else(|_| "/lookup".to_owned())
        })
    }
}

/// `GET /lookup?q=…&page=…`: the search box and what it found.
pub async fn search(
    user: StaffUser,
    session: AppSession,
    state: web::Data<AppState>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, AppError> {
    field_limits::check(&[("the search text", &query.q, field_limits::SEARCH)]).map_err(
        |too_long| {
            AppError::BadRequest(crate::i18n::t_args(
                "lookup-too-long",
                &[("problem", &too_long.text())],
            ))
        },
    )?;
    let q = query.q.trim().to_owned();
    let page = query
        .page
        .trim()
        .parse::<usize>()
        .unwrap_or(1)
        .clamp(1, MAX_PAGES);
    let (understood, mut hits) = if q.is_empty() {
        ("", Vec::new())
    } else {
        find(&state, &q, (page * PAGE_SIZE + 1) as i64).await?
    };
    let has_next = hits.len() > page * PAGE_SIZE;
    let capped = has_next && page == MAX_PAGES;
    hits.truncate(page * PAGE_SIZE);
    let hits = hits.split_off(((page - 1) * PAGE_SIZE).min(hits.len()));
    let body = LookupPage {
        layout: Layout::new(&user.user, &session)?,
        searched: !q.is_empty(),
        q,
        understood,
        hits,
        page,
        has_next: has_next && !capped,
        capped,
    };
    html(StatusCode::OK, &body)
}

/// Everything `q` finds, at most `limit` per kind of search, in the order they are listed:
/// an address finds the assignment holding it; a network, the assignments overlapping it;
/// any other text, customers (number or name), servers and hostnames.
async fn find(state: &AppState, q: &str, limit: i64) -> Result<(&'static str, Vec<Hit>), AppError> {
    let fragment = db::lookup::searchable(q)
        && crate::domain::parse_address(q).is_err()
        && crate::domain::parse_net(q).is_err();
    if fragment {
        // Right after start: the host-name index's first load (it needs a connection of
        // its own, so before this search holds one).
        state.search_index.ready().await?;
    }
    // One connection for every query of the search: the pool tests each connection it takes
    // back with a round trip.
    let mut conn = state.db.pool.acquire().await?;
    if let Ok(ip) = crate::domain::parse_address(q) {
        return Ok(("lookup-read-as-ip", by_address(&mut conn, ip).await?));
    }
    if let Ok(net) = crate::domain::parse_net(q) {
        return Ok((
            "lookup-read-as-network",
            by_network(&mut conn, net, limit).await?,
        ));
    }
    let hits = by_text(&mut conn, &state.search_index, state.db.engine, q, limit).await?;
    if !db::lookup::searchable(q) {
        // A trigram index cannot look for fewer characters; a number is matched whole.
        return Ok(("lookup-read-as-number", hits));
    }
    Ok(("lookup-read-as-text", hits))
}

/// The assignment holding `ip`.
async fn by_address(conn: &mut AnyConnection, ip: IpAddr) -> Result<Vec<Hit>, AppError> {
    Ok(db::lookup::holder(&mut *conn, ip)
        .await?
        .map(|holding| Hit {
            kind: "lookup-kind-address",
            matched: ip.to_string(),
            holding,
            dossier: ip,
        })
        .into_iter()
        .collect())
}

/// The assignments overlapping `net`: the one holding its first address, then those starting
/// inside it.
async fn by_network(
    conn: &mut AnyConnection,
    net: IpNet,
    limit: i64,
) -> Result<Vec<Hit>, AppError> {
    let net = net.trunc();
    let (first, last) = (net.network(), net.broadcast());
    let mut holdings: Vec<Holding> = db::lookup::holder(&mut *conn, first)
        .await?
        .into_iter()
        .collect();
    for holding in db::lookup::starting_between(&mut *conn, first, last, limit).await? {
        if holdings
            .iter()
            .all(|seen| seen.assignment_id != holding.assignment_id)
        {
            holdings.push(holding);
        }
    }
    Ok(holdings
        .into_iter()
        .map(|holding| Hit {
            kind: "lookup-kind-network",
            matched: net.to_string(),
            dossier: holding.network.first(),
            holding,
        })
        .collect())
}

/// Customers (number or name), servers and hostnames matching `q`.
async fn by_text(
    conn: &mut AnyConnection,
    index: &crate::search::HostnameIndex,
    engine: db::Engine,
    q: &str,
    limit: i64,
) -> Result<Vec<Hit>, AppError> {
    let matches = crate::search::matching_text(index, conn, engine, q, limit).await?;
    let mut hits = Vec::new();
    for holding in matches.customers {
        hits.push(Hit {
            kind: "lookup-kind-customer",
            matched: format!("{} {}", holding.customer_number, holding.customer_name),
            dossier: holding.network.first(),
            holding,
        });
    }
    for holding in matches.servers {
        hits.push(Hit {
            kind: "lookup-kind-server",
            matched: holding.server_name.clone(),
            dossier: holding.network.first(),
            holding,
        });
    }
    for hit in matches.hostnames {
        hits.push(Hit {
            kind: "lookup-kind-hostname",
            matched: format!("{} \u{2192} {}", hit.ip, hit.hostname),
            dossier: hit.ip,
            holding: hit.holding,
        });
    }
    Ok(hits)
}

/// The "run the checks now" form of the dossier.
#[derive(Debug, Default, Deserialize)]
pub struct DossierQuery {
    /// Set by the form's button: run the checks.
    #[serde(default)]
    run: String,
    /// The name to check (defaults to the open change's, else the entry in force's).
    #[serde(default)]
    hostname: String,
    /// Set by the mail-readiness button: run those checks.
    #[serde(default)]
    mail: String,
    /// The address whose SMTP greeting to test as well.
    #[serde(default)]
    greeting: String,
}

/// One public name server's status for the dossier's address.
#[derive(Debug, Clone)]
struct PublicServer {
    server: String,
    serial: Option<i64>,
    problem: Option<String>,
    checked_at: String,
    /// Whether it serves the serial the entry was published at (or later).
    serves_entry: Option<bool>,
}

/// What ptrdesk's own DNS answers for the address now.
#[derive(Debug, Clone)]
struct EmbeddedAnswer {
    zone: String,
    serial: i64,
    ptr: Option<String>,
}

/// The result of "run the checks now".
#[derive(Debug, Clone)]
struct LiveRun {
    hostname: String,
    findings: Vec<Finding>,
}

#[derive(Template)]
#[template(path = "staff/lookup_ip.html")]
struct DossierPage {
    layout: Layout,
    ip: IpAddr,
    holding: Option<Holding>,
    entry: Option<db::lookup::EntryInForce>,
    open_change: Option<db::lookup::ChangeSummary>,
    latest_change: Option<db::lookup::ChangeSummary>,
    default_name: Option<String>,
    embedded: Option<EmbeddedAnswer>,
    public_servers: Vec<PublicServer>,
    history: Vec<db::audit::AuditEntry>,
    /// The entry's drift: it fails its checks since it was re-verified.
    drift: Option<db::drift::Shown>,
    check_hostname: String,
    run: Option<LiveRun>,
    /// The mail readiness of the address, when asked for (assigned addresses only).
    mail: Option<crate::checks::mail_readiness::Readiness>,
    /// Where the greeting button of the mail readiness sends its form.
    greeting_action: String,
}

impl DossierPage {
    fn time(&self, at: &i64) -> String {
        crate::clock::display(*at)
    }

    /// A change's state as the dossier shows it, in the reader's language.
    fn state_label(&self, state: &crate::domain::ChangeState) -> String {
        crate::i18n::t(&format!("lookup-state-{}", state.as_str()))
    }
}

/// `GET /lookup/ip/{ip}[?run=1&hostname=…]`: everything about one address; with `run`, the
/// checks are run now on the engine and shown, and nothing is saved.
pub async fn dossier(
    user: StaffUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<DossierQuery>,
) -> Result<HttpResponse, AppError> {
    let ip = crate::domain::parse_address(&path).map_err(|_| AppError::NotFound)?;
    let pool = &state.db.pool;
    let holding = db::lookup::holder(pool, ip).await?;
    let entry = db::lookup::entry_in_force(pool, ip).await?;
    let latest_change = db::lookup::latest_change(pool, ip).await?;
    let open_change = latest_change
        .clone()
        .filter(|change| change.state != ChangeState::Published && !change.superseded);
    let default_name = state.defaults.for_ip(ip);
    let embedded = embedded_answer(&state, ip, holding.is_some(), entry.as_ref()).await?;
    let public_servers = public_servers(&state, embedded.as_ref(), entry.as_ref()).await?;
    let history = db::audit::for_address(pool, ip).await?;
    // The dossier prints `message`: the sentence in the reader's language.
    let drift = db::drift::current(pool, ip)
        .await?
        .map(|drift| db::drift::Shown {
            message: drift.sentence(),
            ..drift
        });
    // The name to check: the one typed, else the one asked for, in force, or the default.
    let check_hostname = match query.hostname.trim() {
        "" => open_change
            .as_ref()
            .and_then(|change| change.requested_hostname.clone())
            .or_else(|| entry.as_ref().and_then(|entry| entry.hostname.clone()))
            .or_else(|| default_name.clone())
            .unwrap_or_default(),
        typed => typed.to_owned(),
    };
    let mut run = None;
    if !query.run.is_empty() && !check_hostname.is_empty() {
        let findings = state.engine.check(ip, &check_hostname).await.findings;
        run = Some(LiveRun {
            hostname: check_hostname.clone(),
            findings,
        });
    }
    // Mail readiness, on demand, for an address a customer holds (the greeting connects to
    // the customer's server, so never to an unassigned address).
    let mail = match (&holding, query.mail.is_empty()) {
        (Some(_), false) => {
            let greeting = crate::domain::parse_address(query.greeting.trim()) == Ok(ip);
            Some(crate::routes::mail_readiness::readiness_of(&state, ip, greeting).await?)
        }
        _ => None,
    };
    let body = DossierPage {
        layout: Layout::new(&user.user, &session)?,
        ip,
        holding,
        entry,
        open_change,
        latest_change,
        default_name,
        embedded,
        public_servers,
        history,
        drift,
        check_hostname,
        run,
        mail,
        greeting_action: format!("/lookup/ip/{ip}"),
    };
    html(StatusCode::OK, &body)
}

/// What ptrdesk's DNS serves for `ip`: worked out from the database exactly as its answer
/// logic does (the entry's PTR, else the provider default, for an assigned address in an
/// active zone), so it holds for every node. `None` when no active zone covers the address.
async fn embedded_answer(
    state: &AppState,
    ip: IpAddr,
    assigned: bool,
    entry: Option<&db::lookup::EntryInForce>,
) -> Result<Option<EmbeddedAnswer>, AppError> {
    let Some((zone, serial)) = db::lookup::serving_zone(&state.db.pool, ip).await? else {
        return Ok(None);
    };
    let ptr = assigned
        .then(|| {
            entry
                .and_then(|entry| entry.hostname.clone())
                .or_else(|| state.defaults.for_ip(ip))
        })
        .flatten();
    Ok(Some(EmbeddedAnswer { zone, serial, ptr }))
}

/// What each public name server last served for the address's zone.
async fn public_servers(
    state: &AppState,
    embedded: Option<&EmbeddedAnswer>,
    entry: Option<&db::lookup::EntryInForce>,
) -> Result<Vec<PublicServer>, AppError> {
    let Some(zone) = embedded.map(|answer| answer.zone.as_str()) else {
        return Ok(Vec::new());
    };
    let published_at = entry
        .and_then(|entry| entry.published_in.as_ref())
        .filter(|(published_zone, _)| published_zone == zone)
        .map(|(_, serial)| *serial);
    Ok(db::zones::server_serials(&state.db.pool)
        .await?
        .into_iter()
        .filter(|seen| seen.zone == zone)
        .map(|seen| PublicServer {
            serves_entry: published_at.map(|published| {
                seen.serial.is_some_and(|serving| {
                    crate::dns::probe::serial_at_least(serving as u32, published as u32)
                })
            }),
            checked_at: crate::clock::display(seen.checked_at),
            server: seen.server,
            serial: seen.serial,
            problem: seen.problem,
        })
        .collect())
}

//! The customer's page: their servers and IPs with a PTR field beside each, and the actions
//! on it (save, reset to default, add and remove entries in a subnet, live checks). Every
//! action goes through the ownership query and then [`changes::submit`].

use crate::auth::CustomerUser;
use crate::changes::{self, ChangeRequest, Requested, SubmitError, Submitted};
use crate::db;
use crate::db::inventory::{OwnedIp, Side};
use crate::domain::finding::{Finding, Severity};
use crate::domain::{Door, Hostname};
use crate::error::AppError;
use crate::field_limits;
use crate::i18n::filters;
use crate::panel::{self, FormProblem, ListQuery, Panel};
use crate::routes::layout::{Layout, Pager, html};
use crate::session::{AppSession, CsrfForm};
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use std::net::IpAddr;

#[derive(Template)]
#[template(path = "customer/ips.html")]
struct IpsPage<'a> {
    layout: Layout,
    problem_summary: Option<String>,
    /// The page below its head, [`IpsMain`] with this session's CSRF token.
    main: &'a str,
}

/// The customer's page below its head: the same for every session of the customer that reads
/// it in the same language and time zone, so it is rendered once per page version and kept
/// ([`crate::panel::PageCache::shown`]), with [`CSRF_MARKER`] where each session's token goes.
#[derive(Template)]
#[template(path = "customer/_ips_main.html")]
struct IpsMain<'a> {
    csrf: &'a str,
    query: &'a ListQuery,
    back: String,
    panel: &'a Panel,
}

/// What a kept page holds where the CSRF token goes: random per process, so no text a
/// customer typed can hold it.
static CSRF_MARKER: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("csrf-marker-{}", crate::token::random_token(16)));

impl IpsMain<'_> {
    /// Previous and next: by the keyset position of this page's first and last assignment.
    fn pager(&self) -> Pager {
        let ids = self
            .panel
            .groups
            .iter()
            .flat_map(|group| group.assignments.iter().map(|assignment| assignment.id));
        let (first, last) = (ids.clone().next(), ids.last());
        let here = self.panel.page;
        Pager::counted(here, self.panel.pages, |page| {
            let beside = match (page < here, first, last) {
                (true, Some(first), _) => Some((Side::Before, first)),
                (false, _, Some(last)) => Some((Side::After, last)),
                _ => None,
            };
            let query = match beside {
                Some((side, id)) => self.query.with_page_beside(page, side, id),
                None => self.query.with_page(page),
            };
            format!("/ips?{query}")
        })
    }

    fn is_selected_server(&self, id: &i64) -> bool {
        self.query.server.trim() == id.to_string()
    }
}

/// Renders the customer's page, with the form that came back beside its field. Without one,
/// the page below its head is served as kept when nothing it shows has changed.
pub(crate) async fn render(
    user: &CustomerUser,
    session: &AppSession,
    state: &AppState,
    query: ListQuery,
    problem: Option<FormProblem>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let customer_id = user.customer_id;
    let rows = panel::rows(
        &state.db,
        &state.page_cache,
        (
            customer_id,
            // A form that came back may have followed a write of its own request: read again.
            problem.is_none().then_some(user.user.account.page_version),
        ),
        &query,
    )
    .await?;
    let layout = Layout::new(&user.user, session)?;
    let (key, from) = rows.shown_key(&query);
    let kept = match problem {
        None => state.page_cache.shown(customer_id, &key, from),
        Some(_) => None,
    };
    let (main, problem_summary) = match kept {
        Some(main) => (main, None),
        None => {
            let cuts = state.publishing.as_ref().map(|publishing| &publishing.cuts);
            let panel = rows.panel(&state.defaults, cuts, &query, problem.as_ref());
            let main: std::sync::Arc<str> = IpsMain {
                csrf: &CSRF_MARKER,
                query: &query,
                back: query.to_query_string(),
                panel: &panel,
            }
            .render()?
            .into();
            if problem.is_none() {
                state
                    .page_cache
                    .keep_shown(customer_id, key, from, std::sync::Arc::clone(&main));
            }
            (main, panel.problem_summary)
        }
    };
    let main = main.replace(CSRF_MARKER.as_str(), &layout.csrf);
    let page = IpsPage {
        layout,
        problem_summary,
        main: &main,
    };
    html(status, &page)
}

/// Back to the customer's page the form came from.
fn back_to_list(query: &ListQuery) -> HttpResponse {
    let qs = query.to_query_string();
    let location = if qs.is_empty() {
        "/ips".to_owned()
    } else {
        format!("/ips?{qs}")
    };
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// `GET /ips`
pub async fn list(
    user: CustomerUser,
    session: AppSession,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    field_limits::check(&[
        ("the server filter", &query.server, field_limits::SEARCH),
        ("the address filter", &query.ip, field_limits::SEARCH),
        (
            "the host name filter",
            &query.hostname,
            field_limits::SEARCH,
        ),
    ])
    .map_err(|too_long| {
        AppError::BadRequest(crate::i18n::t_args(
            "form-search-too-long",
            &[("problem", &too_long.text())],
        ))
    })?;
    render(&user, &session, &state, query, None, StatusCode::OK).await
}

/// The PTR field of one address.
#[derive(Deserialize)]
pub struct PtrForm {
    ip: String,
    #[serde(default)]
    hostname: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    back: String,
}

/// The customer's own address named by a form or query: anything unparsable, unassigned or
/// someone else's is the same 404.
pub(crate) async fn owned(
    state: &AppState,
    user: &CustomerUser,
    text: &str,
) -> Result<OwnedIp, AppError> {
    crate::routes::ownership::owned(&state.db, user.customer_id, text)
        .await?
        .map_err(|_| AppError::NotFound)
}

/// The hidden `back` field of a form on a list page (this one, the review queue): no list's
/// query string is this long, so an over-long one is a 400 (the page never shows the field).
pub(crate) fn check_back(back: &str) -> Result<(), AppError> {
    field_limits::check(&[("the form's return address", back, field_limits::BACK)]).map_err(
        |too_long| {
            AppError::BadRequest(crate::i18n::t_args(
                "form-back-too-long",
                &[("problem", &too_long.text())],
            ))
        },
    )
}

fn form_version(text: &str) -> Result<i64, AppError> {
    text.trim()
        .parse()
        .map_err(|_| AppError::BadRequest(crate::i18n::t("ips-missing-version")))
}

/// `POST /ptr/save`
pub async fn save(
    user: CustomerUser,
    session: AppSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<PtrForm>,
) -> Result<HttpResponse, AppError> {
    // Lengths: the host name has its own limit (a `syntax` finding beside the field).
    check_back(&form.back)?;
    let owned = owned(&state, &user, &form.ip).await?;
    let version = form_version(&form.version)?;
    let requested = (!form.hostname.is_empty()).then(|| Requested::Hostname(form.hostname.clone()));
    let answer = FormAnswer::new(&user, &session, &state, &form.back);
    apply(answer, owned, version, requested, form.hostname).await
}

/// `POST /ptr/reset`: back to the provider default (for IPv6: remove the entry).
pub async fn reset(
    user: CustomerUser,
    session: AppSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<PtrForm>,
) -> Result<HttpResponse, AppError> {
    check_back(&form.back)?;
    let owned = owned(&state, &user, &form.ip).await?;
    let version = form_version(&form.version)?;
    let answer = FormAnswer::new(&user, &session, &state, &form.back);
    apply(
        answer,
        owned,
        version,
        Some(Requested::Default),
        form.hostname,
    )
    .await
}

/// How a form of the customer's page is answered: back to the list it came from with a flash
/// message, or the page again with the problem beside the field.
pub(crate) struct FormAnswer<'a> {
    user: &'a CustomerUser,
    session: &'a AppSession,
    state: &'a AppState,
    query: ListQuery,
}

impl<'a> FormAnswer<'a> {
    /// For a form whose hidden `back` field holds the list's query string.
    pub(crate) fn new(
        user: &'a CustomerUser,
        session: &'a AppSession,
        state: &'a AppState,
        back: &str,
    ) -> FormAnswer<'a> {
        FormAnswer {
            user,
            session,
            state,
            query: ListQuery::from_back(back),
        }
    }

    /// The page again, with `problem` beside its field.
    pub(crate) async fn again(
        self,
        problem: FormProblem,
        status: StatusCode,
    ) -> Result<HttpResponse, AppError> {
        let FormAnswer {
            user,
            session,
            state,
            query,
        } = self;
        render(user, session, state, query, Some(problem), status).await
    }

    /// `message` as a flash, and back to the list.
    pub(crate) fn done(self, message: &str) -> Result<HttpResponse, AppError> {
        self.session.flash(message)?;
        Ok(back_to_list(&self.query))
    }

    /// What a change became, as a flash message, and back to the list.
    fn submitted(self, ip: IpAddr, submitted: &Submitted) -> Result<HttpResponse, AppError> {
        let has_default = self.state.defaults.for_ip(ip).is_some();
        let message = outcome_message(ip, submitted, has_default);
        self.done(&message)
    }
}

/// Why [`changes::submit`] did not take a form's change, as the form shows it; anything else
/// it refuses is an error page (another customer's address is 404).
enum Refused {
    /// The name is not a host name, or the address is delegated: the sentence to show.
    Syntax(String),
    /// Someone else changed the entry meanwhile; what it holds now (`None`: the default).
    Conflict(Option<String>),
}

impl Refused {
    fn of(err: SubmitError) -> Result<Refused, AppError> {
        match err {
            SubmitError::Syntax(err) => Ok(Refused::Syntax(err.text().render())),
            SubmitError::Conflict { current } => Ok(Refused::Conflict(current)),
            SubmitError::NotOwned => Err(AppError::NotFound),
            err @ SubmitError::Delegated { .. } => Ok(Refused::Syntax(err.sentence().render())),
            SubmitError::Database(err) => Err(err.into()),
        }
    }

    /// 409 for a conflict, else 422.
    fn status(&self) -> StatusCode {
        match self {
            Refused::Syntax(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Refused::Conflict(_) => StatusCode::CONFLICT,
        }
    }
}

/// Saves or resets one address. `requested` `None` means the field was left empty.
async fn apply(
    answer: FormAnswer<'_>,
    owned: OwnedIp,
    version: i64,
    requested: Option<Requested>,
    input: String,
) -> Result<HttpResponse, AppError> {
    let ip = owned.ip();
    let problem = |message: String, version: i64| FormProblem::Row {
        ip,
        input: input.clone(),
        message,
        version,
    };
    let Some(requested) = requested else {
        let message = crate::i18n::t("ips-enter-hostname");
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return answer.again(problem(message, version), status).await;
    };
    let request = ChangeRequest {
        owned,
        requested,
        based_on_version: Some(version),
        door: Door::Page,
        actor: answer.user.user.actor(),
    };
    let refused = match changes::submit(&answer.state.db, &answer.state.engine, request).await {
        Ok(submitted) => return answer.submitted(ip, &submitted),
        Err(err) => Refused::of(err)?,
    };
    let status = refused.status();
    let problem = match refused {
        Refused::Syntax(message) => problem(message, version),
        Refused::Conflict(current) => {
            let now = current.unwrap_or_else(|| crate::i18n::t("ips-the-default"));
            let message = crate::i18n::t_args("ips-conflict", &[("now", &now)]);
            let latest = db::entries::current(&answer.state.db.pool, ip)
                .await?
                .map_or(0, |entry| entry.version);
            problem(message, latest)
        }
    };
    answer.again(problem, status).await
}

/// The flash message that reports what a submitted change became.
fn outcome_message(ip: IpAddr, submitted: &Submitted, has_default: bool) -> String {
    let first_warning = |findings: &[Finding]| {
        findings
            .iter()
            .find(|finding| finding.severity == Severity::Warning)
            .map(|finding| {
                format!(
                    " {}",
                    crate::i18n::t_args("ips-note", &[("note", &finding.sentence())])
                )
            })
            .unwrap_or_default()
    };
    match submitted {
        Submitted::Published {
            hostname: Some(name),
            findings,
            ..
        } => format!(
            "{}{}",
            crate::i18n::t_args("ips-published", &[("ip", &ip), ("name", &name.to_string())]),
            first_warning(findings)
        ),
        Submitted::Published { hostname: None, .. } if has_default => {
            crate::i18n::t_args("ips-back-to-default", &[("ip", &ip)])
        }
        Submitted::Published { hostname: None, .. } => {
            crate::i18n::t_args("ips-removed", &[("ip", &ip)])
        }
        Submitted::Pending { report, .. } => crate::i18n::t_args(
            "ips-pending",
            &[
                ("ip", &ip),
                (
                    "name",
                    &report
                        .hostname
                        .as_ref()
                        .map(Hostname::to_string)
                        .unwrap_or_default(),
                ),
            ],
        ),
        Submitted::Rejected { report, .. } => crate::i18n::t_args(
            "ips-rejected",
            &[
                ("ip", &ip),
                (
                    "name",
                    &report
                        .hostname
                        .as_ref()
                        .map(Hostname::to_string)
                        .unwrap_or_default(),
                ),
            ],
        ),
        Submitted::Unchanged => crate::i18n::t_args("ips-unchanged", &[("ip", &ip)]),
    }
}

/// The "add an entry" form of an IPv6 (or large IPv4) subnet.
#[derive(Deserialize)]
pub struct AddForm {
    assignment: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    hostname: String,
    #[serde(default)]
    back: String,
}

/// `POST /ptr/add`: a PTR for any address inside a subnet.
pub async fn add(
    user: CustomerUser,
    session: AppSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<AddForm>,
) -> Result<HttpResponse, AppError> {
    let assignment_id: i64 = form
        .assignment
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    // Lengths: the host name has its own limit (a `syntax` finding beside the field).
    check_back(&form.back)?;
    let answer = FormAnswer::new(&user, &session, &state, &form.back);
    let problem =
        |address_error: Option<String>, hostname_error: Option<String>| FormProblem::Add {
            assignment_id,
            address: form.address.clone(),
            hostname: form.hostname.clone(),
            address_error,
            hostname_error,
        };
    let owned = match owned_in(&state, &user, assignment_id, &form.address).await? {
        Ok(owned) => owned,
        Err(message) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return answer.again(problem(Some(message), None), status).await;
        }
    };
    let ip = owned.ip();
    let request = ChangeRequest {
        owned,
        requested: Requested::Hostname(form.hostname.clone()),
        based_on_version: None,
        door: Door::Page,
        actor: user.user.actor(),
    };
    let refused = match changes::submit(&state.db, &state.engine, request).await {
        Ok(submitted) => return answer.submitted(ip, &submitted),
        Err(err) => Refused::of(err)?,
    };
    let status = refused.status();
    let message = match refused {
        Refused::Syntax(message) => message,
        Refused::Conflict(_) => crate::i18n::t("ips-add-conflict"),
    };
    answer.again(problem(None, Some(message)), status).await
}

/// The customer's address `text` inside assignment `assignment_id`, or what to say beside the
/// address field. Outside the subnet is one message whether the address is unassigned or
/// another customer's: telling the two apart would leak who owns what.
async fn owned_in(
    state: &AppState,
    user: &CustomerUser,
    assignment_id: i64,
    text: &str,
) -> Result<Result<OwnedIp, String>, AppError> {
    if let Err(too_long) = field_limits::check(&[("the address", text, field_limits::NETWORK)]) {
        return Ok(Err(too_long.text().render()));
    }
    let Ok(ip) = crate::domain::parse_address(text) else {
        return Ok(Err(crate::i18n::t("ips-add-not-an-address")));
    };
    Ok(
        db::inventory::owned_ip(&state.db.pool, user.customer_id, ip)
            .await?
            .filter(|owned| owned.assignment_id() == assignment_id)
            .ok_or_else(|| crate::i18n::t("ips-add-outside")),
    )
}

//! The review queue (SPEC "States"): admins see every open `rejected` and `in-review` change,
//! oldest first, open one, run its checks again, and approve or deny it with a note the
//! customer sees; customers ask for review of a rejected change (`request`). State moves go
//! through [`changes::decide_review`] and [`changes::request_review`], nothing else.

use crate::auth::AdminUser;
use crate::changes::{self, Decision, ReviewError};
use crate::db::audit;
use crate::db::review::{self, QueueItem};
use crate::domain::ChangeState;
use crate::domain::finding::{Finding, FindingId, Severity};
use crate::error::AppError;
use crate::field_limits;
use crate::i18n::filters;
use crate::routes::layout::{Layout, Pager, html};
use crate::session::{AppSession, CsrfForm};
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub mod drift;
mod query;
mod request;
mod view;

pub use query::QueueQuery;
pub use request::request_review;
use view::{DetailView, HistoryRow, QueueRow};
pub use view::{display_name, readable_age};

#[derive(Template)]
#[template(path = "admin/review.html")]
struct QueuePage {
    layout: Layout,
    query: QueueQuery,
    back: String,
    problems: Vec<String>,
    finding_ids: Vec<&'static str>,
    /// Entries drifting longer than `drift_review_days` (policy: review items of their own).
    long_drift: Vec<drift::DriftRow>,
    /// How many there are in all (the list shows the first page).
    long_drift_total: i64,
    /// The policy's `drift_review_days`.
    drift_days: i64,
    rows: Vec<QueueRow>,
    total: i64,
    page: i64,
    pages: i64,
}

impl QueuePage {
    fn pager(&self) -> Pager {
        Pager::counted(self.page, self.pages, |page| {
            self.query.page_link("/admin/review", page)
        })
    }

    fn is_selected_finding(&self, id: &&str) -> bool {
        self.query.finding.trim() == *id
    }
}

fn see_other(location: String) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

fn queue_location(back: &str) -> String {
    let query = QueueQuery::from_back(back).to_query_string();
    if query.is_empty() {
        "/admin/review".to_owned()
    } else {
        format!("/admin/review?{query}")
    }
}

fn detail_location(id: i64, back: &str) -> String {
    let query = QueueQuery::from_back(back).to_query_string();
    if query.is_empty() {
        format!("/admin/review/{id}")
    } else {
        format!("/admin/review/{id}?{query}")
    }
}

/// `GET /admin/review`
pub async fn queue(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let now = crate::clock::now();
    let (filter, problems) = query.filter(now);
    let total = review::count(&state.db.pool, &filter).await?;
    let pages = ((total + review::PAGE_SIZE - 1) / review::PAGE_SIZE).max(1);
    let page = query.page_number().min(pages);
    let items = review::page(
        &state.db.pool,
        &filter,
        review::PAGE_SIZE,
        (page - 1) * review::PAGE_SIZE,
    )
    .await?;
    let (long_drift, long_drift_total) = drift::queued(&state, &filter, now).await?;
    let page = QueuePage {
        layout: Layout::new(&admin.user, &session)?,
        back: query.to_query_string(),
        query,
        problems,
        finding_ids: FindingId::ALL.iter().map(|id| id.as_str()).collect(),
        long_drift,
        long_drift_total,
        drift_days: state.drift_review_days,
        rows: items.iter().map(|item| QueueRow::new(item, now)).collect(),
        total,
        page,
        pages,
    };
    html(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "admin/review_detail.html")]
struct DetailPage {
    layout: Layout,
    back: String,
    change: DetailView,
    findings: Vec<Finding>,
    history: Vec<HistoryRow>,
    in_force: String,
    note: String,
    note_error: Option<String>,
}

/// The detail page of change `id`; 404 when it is not in the queue.
async fn render_detail(
    admin: &AdminUser,
    session: &AppSession,
    state: &AppState,
    id: i64,
    back: String,
    note: String,
    note_error: Option<String>,
) -> Result<HttpResponse, AppError> {
    let item = review::item(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let history = audit::for_address(&state.db.pool, item.ip).await?;
    let entry = crate::db::entries::current(&state.db.pool, item.ip).await?;
    let in_force = match entry.and_then(|entry| entry.hostname) {
        Some(name) => view::display_name(&name),
        None => match state.defaults.for_ip(item.ip) {
            Some(default) => {
                crate::i18n::t_args("review-in-force-default", &[("name", &default.to_string())])
            }
            None => crate::i18n::t("review-no-ptr"),
        },
    };
    let status = if note_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = DetailPage {
        layout: Layout::new(&admin.user, session)?,
        back,
        change: DetailView::new(&item, crate::clock::now()),
        findings: item.findings.clone(),
        history: history.iter().map(HistoryRow::new).collect(),
        in_force,
        note,
        note_error,
    };
    html(status, &page)
}

/// `GET /admin/review/{id}`
pub async fn detail(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    let back = query.to_query_string();
    render_detail(
        &admin,
        &session,
        &state,
        id.into_inner(),
        back,
        String::new(),
        None,
    )
    .await
}

/// The approve / deny form.
#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    back: String,
}

/// `POST /admin/review/{id}/approve`: publish despite the findings.
pub async fn approve(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    decide(
        admin,
        session,
        state,
        id.into_inner(),
        Decision::Approve,
        form,
    )
    .await
}

/// `POST /admin/review/{id}/deny`: refuse for good; the customer sees the note.
pub async fn deny(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    decide(admin, session, state, id.into_inner(), Decision::Deny, form).await
}

async fn decide(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    id: i64,
    decision: Decision,
    form: DecisionForm,
) -> Result<HttpResponse, AppError> {
    crate::routes::customer::check_back(&form.back)?;
    let note = ("the note", form.note.as_str(), field_limits::NOTE);
    if let Err(too_long) = field_limits::check(&[note]) {
        let back = QueueQuery::from_back(&form.back).to_query_string();
        let error = Some(too_long.text().render());
        return render_detail(&admin, &session, &state, id, back, form.note, error).await;
    }
    let item = review::item(&state.db.pool, id).await?;
    let actor = admin.user.actor();
    match changes::decide_review(&state.db, id, decision, &form.note, &actor).await {
        Ok(outcome) => {
            session.flash(&decided_message(item.as_ref(), outcome))?;
            Ok(see_other(queue_location(&form.back)))
        }
        Err(err @ ReviewError::TextRequired(_)) => {
            let back = QueueQuery::from_back(&form.back).to_query_string();
            let error = Some(err.text().render());
            render_detail(&admin, &session, &state, id, back, form.note, error).await
        }
        Err(ReviewError::NotFound) => Err(AppError::NotFound),
        Err(err @ (ReviewError::WrongState(_) | ReviewError::NoLongerHeld)) => {
            session.flash(&crate::i18n::t_args(
                "review-nothing-changed",
                &[("error", &err.text())],
            ))?;
            Ok(see_other(queue_location(&form.back)))
        }
        Err(err @ ReviewError::Conflict) => {
            session.flash(&crate::i18n::t_args(
                "review-nothing-changed-conflict",
                &[("error", &err.text())],
            ))?;
            Ok(see_other(detail_location(id, &form.back)))
        }
        Err(ReviewError::Database(err)) => Err(err.into()),
    }
}

/// The flash after a decision, naming the change.
fn decided_message(item: Option<&QueueItem>, outcome: ChangeState) -> String {
    let (name, ip) = item
        .map(|item| {
            let name = item
                .requested_hostname
                .as_deref()
                .map(view::display_name)
                .unwrap_or_else(|| crate::i18n::t("review-the-provider-default"));
            (name, item.ip.to_string())
        })
        .unwrap_or_else(|| {
            (
                crate::i18n::t("review-the-requested-name"),
                crate::i18n::t("review-its-address"),
            )
        });
    match outcome {
        ChangeState::Published => {
            crate::i18n::t_args("review-approved", &[("name", &name), ("ip", &ip)])
        }
        _ => crate::i18n::t_args("review-denied", &[("name", &name), ("ip", &ip)]),
    }
}

/// The "run the checks again" form (only the CSRF token and where to come back to).
#[derive(Deserialize)]
pub struct RecheckForm {
    #[serde(default)]
    back: String,
}

/// `POST /admin/review/{id}/recheck`: runs the check engine on the requested name now and
/// stores the new findings on the change (its state stays; the admin decides).
pub async fn recheck(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<RecheckForm>,
) -> Result<HttpResponse, AppError> {
    crate::routes::customer::check_back(&form.back)?;
    let id = id.into_inner();
    let item = review::item(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let findings = match item.requested_hostname.as_deref() {
        Some(name) => state.engine.check(item.ip, name).await.findings,
        None => Vec::new(),
    };
    if !changes::store_recheck(&state.db, &admin.user.actor(), &item, &findings).await? {
        return Err(AppError::NotFound);
    }
    session.flash(&recheck_message(&findings))?;
    Ok(see_other(detail_location(id, &form.back)))
}

fn recheck_message(findings: &[Finding]) -> String {
    let errors = findings
        .iter()
        .filter(|finding| finding.severity == Severity::Error)
        .count();
    crate::i18n::t_args("review-rechecked", &[("count", &errors)])
}

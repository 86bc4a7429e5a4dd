//! Long drift in the review queue (issue 22): a published PTR that has failed its checks for
//! longer than `drift_review_days` is a queue item of its own; its page shows what fails and
//! since when, runs the checks again, and takes the admin's decision — keep it as it is, ask
//! the customer to fix it, or reset it to the provider default — through
//! [`changes::decide_drift`]. The item leaves the queue when the drift ends.

use super::view::{HistoryRow, display_name, readable_age};
use super::{QueueQuery, see_other};
use crate::auth::AdminUser;
use crate::changes::{self, DriftDecision, DriftReviewError, Reverified};
use crate::db::drift_review::{self, DriftReviewState, QueuedDrift};
use crate::db::{audit, drift::DriftFilter};
use crate::domain::finding::Finding;
use crate::error::AppError;
use crate::field_limits;
use crate::i18n::{self, filters};
use crate::routes::layout::{Layout, html};
use crate::session::{AppSession, CsrfForm};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use std::net::IpAddr;

/// One long drift as the queue lists it.
pub(super) struct DriftRow {
    pub(super) ip: String,
    pub(super) hostname: String,
    pub(super) customer_number: String,
    pub(super) customer_name: String,
    pub(super) finding_id: String,
    pub(super) message: String,
    pub(super) since: String,
    pub(super) age: String,
    /// "Customer asked 2026-… UTC" when an earlier ask brought it back.
    pub(super) asked: Option<String>,
}

impl DriftRow {
    fn new(queued: QueuedDrift, now: i64) -> DriftRow {
        let drift = queued.listed.drift;
        DriftRow {
            ip: drift.ip.to_string(),
            hostname: display_name(&queued.listed.hostname),
            customer_number: queued.listed.customer_number,
            customer_name: queued.listed.customer_name,
            finding_id: drift.finding_id,
            message: drift.message,
            since: crate::clock::display(drift.since),
            age: readable_age(now - drift.since),
            asked: queued
                .reviewed
                .filter(|reviewed| reviewed.state == DriftReviewState::Asked)
                .map(|reviewed| {
                    i18n::t_args(
                        "drift-row-asked",
                        &[("at", &i18n::format::datetime(reviewed.at))],
                    )
                }),
        }
    }
}

/// The long drifts of the queue matching the queue's filter, and how many there are; none
/// when the policy is off (`drift_review_days` 0).
pub(super) async fn queued(
    state: &AppState,
    filter: &crate::db::review::QueueFilter,
    now: i64,
) -> Result<(Vec<DriftRow>, i64), AppError> {
    let days = state.drift_review_days;
    if days <= 0 {
        return Ok((Vec::new(), 0));
    }
    let filter = DriftFilter {
        finding: filter.finding,
        customer: filter.customer.clone(),
        since_before: filter.created_before,
    };
    let period = now - days * 86_400;
    let (queued, total) = drift_review::queued(&state.db.pool, &filter, period, period).await?;
    Ok((
        queued
            .into_iter()
            .map(|queued| DriftRow::new(queued, now))
            .collect(),
        total,
    ))
}

#[derive(Template)]
#[template(path = "admin/review_drift.html")]
struct DriftDetailPage {
    layout: Layout,
    back: String,
    ip: String,
    hostname: String,
    hostname_ascii: String,
    customer: String,
    /// Since when it fails (Unix seconds; shown in the reader's time zone).
    since_at: i64,
    age: String,
    checked_at: i64,
    version: i64,
    days: i64,
    /// An earlier decision, said in a sentence.
    decided: Option<String>,
    findings: Vec<Finding>,
    history: Vec<HistoryRow>,
    note: String,
    note_error: Option<String>,
}

/// The review page of the drift of `ip`; 404 when it does not drift.
async fn render(
    admin: &AdminUser,
    session: &AppSession,
    state: &AppState,
    ip: IpAddr,
    back: String,
    note: String,
    note_error: Option<String>,
) -> Result<HttpResponse, AppError> {
    let item = drift_review::item(&state.db.pool, ip)
        .await?
        .ok_or(AppError::NotFound)?;
    let history = audit::for_address(&state.db.pool, ip).await?;
    let now = crate::clock::now();
    let listed = &item.queued.listed;
    let decided = item.queued.reviewed.as_ref().map(|reviewed| {
        let by = reviewed
            .by
            .clone()
            .unwrap_or_else(|| i18n::t("drift-an-admin"));
        let key = match reviewed.state {
            DriftReviewState::Kept => "drift-earlier-kept",
            DriftReviewState::Asked => "drift-earlier-asked",
        };
        i18n::t_args(
            key,
            &[
                ("at", &i18n::format::datetime(reviewed.at)),
                ("by", &by),
                ("note", &reviewed.note.clone().unwrap_or_default()),
            ],
        )
    });
    let page = DriftDetailPage {
        layout: Layout::new(&admin.user, session)?,
        back,
        ip: ip.to_string(),
        hostname: display_name(&listed.hostname),
        hostname_ascii: listed.hostname.clone(),
        customer: format!("{} ({})", listed.customer_name, listed.customer_number),
        since_at: listed.drift.since,
        age: readable_age(now - listed.drift.since),
        checked_at: listed.drift.checked_at,
        version: item.entry_version,
        days: state.drift_review_days,
        decided,
        findings: item.findings.clone(),
        history: history.iter().map(HistoryRow::new).collect(),
        note,
        note_error,
    };
    let status = if page.note_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    html(status, &page)
}

fn parse_ip(text: &str) -> Result<IpAddr, AppError> {
    text.parse().map_err(|_| AppError::NotFound)
}

fn location(ip: &str, back: &str) -> String {
    let query = QueueQuery::from_back(back).to_query_string();
    if query.is_empty() {
        format!("/admin/review/drift/{ip}")
    } else {
        format!("/admin/review/drift/{ip}?{query}")
    }
}

/// `GET /admin/review/drift/{ip}`
pub async fn detail(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    ip: web::Path<String>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    let ip = parse_ip(&ip)?;
    let back = query.to_query_string();
    render(&admin, &session, &state, ip, back, String::new(), None).await
}

/// The decision form.
#[derive(Deserialize)]
pub struct DriftDecisionForm {
    #[serde(default)]
    note: String,
    /// The entry version the page showed.
    version: i64,
    #[serde(default)]
    back: String,
}

/// `POST /admin/review/drift/{ip}/{decision}` with `keep`, `ask` or `reset`.
pub async fn decide(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    CsrfForm(form): CsrfForm<DriftDecisionForm>,
) -> Result<HttpResponse, AppError> {
    crate::routes::customer::check_back(&form.back)?;
    let (ip_text, decision) = path.into_inner();
    let ip = parse_ip(&ip_text)?;
    let decision = match decision.as_str() {
        "keep" => DriftDecision::Keep,
        "ask" => DriftDecision::AskCustomer,
        "reset" => DriftDecision::Reset,
        _ => return Err(AppError::NotFound),
    };
    let back = QueueQuery::from_back(&form.back).to_query_string();
    let note = ("the note", form.note.as_str(), field_limits::NOTE);
    if let Err(too_long) = field_limits::check(&[note]) {
        let error = Some(too_long.text().render());
        return render(&admin, &session, &state, ip, back, form.note, error).await;
    }
    let actor = admin.user.actor();
    let decided = changes::decide_drift(
        &state.db,
        &state.engine,
        ip,
        form.version,
        decision,
        &form.note,
        &actor,
    )
    .await;
    let message = match decided {
        Ok(()) => match decision {
            DriftDecision::Keep => i18n::t_args("drift-decided-keep", &[("ip", &ip)]),
            DriftDecision::AskCustomer => i18n::t_args(
                "drift-decided-ask",
                &[("ip", &ip), ("days", &state.drift_review_days)],
            ),
            DriftDecision::Reset => i18n::t_args("drift-decided-reset", &[("ip", &ip)]),
        },
        Err(DriftReviewError::NoteRequired) => {
            let error = Some(i18n::t("drift-note-required"));
            return render(&admin, &session, &state, ip, back, form.note, error).await;
        }
        Err(DriftReviewError::Database(err)) => return Err(err.into()),
        Err(DriftReviewError::NotDrifting) => i18n::t("drift-not-drifting"),
        Err(DriftReviewError::Reset(err)) => {
            i18n::t_args("drift-reset-refused", &[("reason", &err.text())])
        }
    };
    session.flash(&message)?;
    Ok(see_other(super::queue_location(&form.back)))
}

/// The "check again now" form.
#[derive(Deserialize)]
pub struct RecheckForm {
    #[serde(default)]
    back: String,
}

/// `POST /admin/review/drift/{ip}/recheck`: re-verifies the entry now, as the background job
/// would; a PTR that passes again ends its drift and leaves the queue.
pub async fn recheck(
    _admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    ip: web::Path<String>,
    CsrfForm(form): CsrfForm<RecheckForm>,
) -> Result<HttpResponse, AppError> {
    crate::routes::customer::check_back(&form.back)?;
    let ip = parse_ip(&ip)?;
    let entry = drift_review::published_of(&state.db.pool, ip)
        .await?
        .ok_or(AppError::NotFound)?;
    let outcome = changes::reverify(&state.db, &state.engine, &entry, crate::clock::now()).await?;
    let (key, to_queue) = match outcome {
        Reverified::DriftEnded | Reverified::Healthy => ("drift-recheck-passes", true),
        Reverified::Unknown => ("drift-recheck-unknown", false),
        Reverified::DriftStarted | Reverified::StillDrifting => ("drift-recheck-fails", false),
    };
    session.flash(&i18n::t(key))?;
    if to_queue {
        Ok(see_other(super::queue_location(&form.back)))
    } else {
        Ok(see_other(location(&ip.to_string(), &form.back)))
    }
}

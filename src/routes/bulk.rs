//! The bulk page: paste (or pick) a CSV of `ip,hostname` lines, check them as a dry run, then
//! apply them, atomically by default. The rules are [`crate::bulk`]'s, as for the API's bulk
//! endpoint; this module only turns lines into items and results into a table by line.

use crate::auth::CustomerUser;
use crate::bulk::{self, Caller, CsvLine, Input, ItemResult, Options, Outcome};
use crate::domain::finding::{Finding, Severity};
use crate::domain::{ChangeState, Door};
use crate::error::AppError;
use crate::field_limits;
use crate::i18n::filters;
use crate::routes::layout::{Layout, html};
use crate::session::{AppSession, CsrfForm};
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

/// Largest bulk form: 10,000 lines of long names, URL-encoded.
pub const FORM_LIMIT: usize = 4 * 1024 * 1024;

/// One line of the result table.
#[derive(Debug, Clone)]
pub struct LineView {
    /// Line number in the pasted text.
    pub line: u64,
    /// The address as written.
    pub ip: String,
    /// The name as written, or "provider default" for an empty one.
    pub name: String,
    /// Short result text.
    pub result: String,
    /// CSS class of the result badge.
    pub css: &'static str,
    /// Why it fails, if it does.
    pub error: Option<String>,
    /// What the checks found (warnings and errors).
    pub findings: Vec<Finding>,
}

#[derive(Template)]
#[template(path = "customer/bulk.html")]
struct BulkPage {
    layout: Layout,
    csv: String,
    atomic: bool,
    problem: Option<String>,
    notice: Option<String>,
    checked: bool,
    lines: Vec<LineView>,
}

/// The bulk form's fields.
#[derive(Deserialize)]
pub struct BulkForm {
    #[serde(default)]
    csv: String,
    /// The "all or nothing" checkbox (absent when unticked).
    atomic: Option<String>,
}

/// `GET /bulk`
pub async fn form(user: CustomerUser, session: AppSession) -> Result<HttpResponse, AppError> {
    let page = BulkPage {
        layout: Layout::new(&user.user, &session)?,
        csv: String::new(),
        atomic: true,
        problem: None,
        notice: None,
        checked: false,
        lines: Vec::new(),
    };
    html(StatusCode::OK, &page)
}

/// `POST /bulk/check`: the dry-run table; writes nothing.
pub async fn check(
    user: CustomerUser,
    session: AppSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<BulkForm>,
) -> Result<HttpResponse, AppError> {
    run(user, session, state, form, true).await
}

/// `POST /bulk/apply`: applies the lines; 303 with a summary when every line was taken,
/// otherwise the table at 422 (atomic: nothing written; else the failed lines were not).
pub async fn apply(
    user: CustomerUser,
    session: AppSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<BulkForm>,
) -> Result<HttpResponse, AppError> {
    run(user, session, state, form, false).await
}

async fn run(
    user: CustomerUser,
    session: AppSession,
    state: web::Data<AppState>,
    form: BulkForm,
    dry_run: bool,
) -> Result<HttpResponse, AppError> {
    let atomic = form.atomic.is_some();
    let mut page = BulkPage {
        layout: Layout::new(&user.user, &session)?,
        csv: form.csv,
        atomic,
        problem: None,
        notice: None,
        checked: false,
        lines: Vec::new(),
    };
    let lines = match lines_of(&page.csv) {
        Ok(lines) => lines,
        Err(problem) => {
            page.problem = Some(problem);
            return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let caller = Caller {
        customer_id: user.customer_id,
        actor: user.user.actor(),
        door: Door::Import,
    };
    let inputs = lines.iter().map(|line| line.input.clone()).collect();
    let options = Options { dry_run, atomic };
    let outcome = bulk::run(&state.db, &state.engine, &caller, inputs, options)
        .await
        .map_err(|err| AppError::Internal(err.into()))?;
    if !dry_run && outcome.summary.failed == 0 {
        session.flash(&applied_message(&outcome))?;
        return Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/bulk"))
            .finish());
    }
    let status = show_outcome(&mut page, &lines, &outcome, options);
    html(status, &page)
}

/// The lines of the pasted CSV, or what is wrong with it (nothing is checked then).
fn lines_of(csv: &str) -> Result<Vec<bulk::CsvLine>, String> {
    if let Some(long) = field_limits::long_csv_line_text(csv) {
        return Err(crate::i18n::t_args(
            "form-bulk-line-too-long",
            &[("problem", &long)],
        ));
    }
    bulk::parse_csv(csv).map_err(|err| match err {
        bulk::CsvError::Empty => crate::i18n::t("csv-empty"),
        bulk::CsvError::TooMany(lines) => crate::i18n::t_args(
            "csv-too-many",
            &[("lines", &lines), ("max", &bulk::MAX_ITEMS)],
        ),
    })
}

/// Puts a checked (or refused) run on `page`, line by line; the status to answer with.
fn show_outcome(
    page: &mut BulkPage,
    lines: &[bulk::CsvLine],
    outcome: &Outcome,
    Options { dry_run, atomic }: Options,
) -> StatusCode {
    page.checked = true;
    let status = if outcome.summary.failed == 0 {
        page.notice = Some(checked_message(outcome));
        StatusCode::OK
    } else {
        page.problem = Some(problem_message(outcome, dry_run, atomic));
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.lines = lines
        .iter()
        .zip(&outcome.items)
        .map(|(line, item)| line_view(line, item, dry_run || !outcome.applied))
        .collect();
    status
}

fn applied_message(outcome: &Outcome) -> String {
    let s = outcome.summary;
    crate::i18n::t_args(
        "bulk-applied",
        &[
            ("count", &s.total),
            ("published", &s.published),
            ("pending", &s.pending),
            ("rejected", &s.rejected),
            ("unchanged", &s.unchanged),
        ],
    )
}

fn checked_message(outcome: &Outcome) -> String {
    let s = outcome.summary;
    crate::i18n::t_args(
        "bulk-checked",
        &[
            ("count", &s.total),
            ("published", &s.published),
            ("pending", &s.pending),
            ("rejected", &s.rejected),
            ("unchanged", &s.unchanged),
        ],
    )
}

fn problem_message(outcome: &Outcome, dry_run: bool, atomic: bool) -> String {
    let s = outcome.summary;
    let key = if dry_run {
        "bulk-problem-checked"
    } else if atomic {
        "bulk-problem-atomic"
    } else {
        "bulk-problem-applied"
    };
    crate::i18n::t_args(
        key,
        &[
            ("failed", &s.failed),
            ("total", &s.total),
            ("applied", &(s.total - s.failed)),
        ],
    )
}

fn line_view(line: &CsvLine, item: &ItemResult, hypothetical: bool) -> LineView {
    let (ip, name) = match &line.input {
        Input::Change { ip, ptr } => (
            ip.clone(),
            ptr.clone()
                .unwrap_or_else(|| crate::i18n::t("bulk-provider-default")),
        ),
        Input::Unreadable { ip, .. } => (ip.clone(), String::new()),
    };
    let error = item.error.as_ref().map(|error| error.message.render());
    let (result, css) = match (&item.error, item.state, item.unchanged) {
        (Some(_), _, _) if hypothetical => (crate::i18n::t("bulk-cannot-apply"), "rejected"),
        (Some(_), _, _) => (crate::i18n::t("bulk-not-applied"), "rejected"),
        (None, _, true) => (crate::i18n::t("bulk-unchanged"), "unchanged"),
        (None, Some(state), false) => (state_label(state, hypothetical), state.as_str()),
        (None, None, false) => (String::new(), "unchanged"),
    };
    LineView {
        line: line.line,
        ip,
        name,
        result,
        css,
        error: error.clone(),
        // A syntax error is both the item's error and its one finding: shown once.
        findings: item
            .findings
            .iter()
            .filter(|finding| {
                finding.severity != Severity::Info
                    && finding.text.as_ref() != item.error.as_ref().map(|error| &error.message)
            })
            .cloned()
            .collect(),
    }
}

fn state_label(state: ChangeState, hypothetical: bool) -> String {
    let key = if hypothetical {
        "bulk-would-be"
    } else {
        "bulk-state"
    };
    crate::i18n::t_args(key, &[("state", &state.as_str())])
}

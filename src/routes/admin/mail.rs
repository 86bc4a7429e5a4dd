//! `GET /admin/mail`: the notification mail outbox — every mail with its recipient, kind,
//! state, attempts, last error and next try, newest first, narrowed by state — and "send
//! again now" for one not sent (`POST /admin/mail/{id}/retry`, through [`crate::admin::mail`]).

use super::done;
use crate::auth::AdminUser;
use crate::db::mail::{self, LoggedMail, MailState};
use crate::domain::MailTopic;
use crate::error::AppError;
use crate::routes::layout::{Layout, Pager, html};
use crate::session::{AppSession, CsrfForm, NoFields};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

/// Mails per page.
const PAGE_SIZE: i64 = 50;

/// One mail as the page lists it.
struct MailRow {
    id: i64,
    recipient: String,
    email: String,
    kind: String,
    about: String,
    happened: String,
    attempts: i64,
    /// `waiting`, `failing`, `given-up`, `dropped` or `sent`.
    state: &'static str,
    state_label: &'static str,
    /// The badge's class.
    badge: &'static str,
    last_error: String,
    /// When it is tried next, or none and when it was sent, dropped or given up.
    when: String,
    retry: bool,
}

fn kind(topic: &str, action: &str) -> String {
    let what = match action {
        "ptr.set" => "PTR published",
        "ptr.request.rejected" => "PTR not published",
        "change.approved" => "Review approved",
        "change.denied" => "Review denied",
        "ptr.drift.start" => "Drift began",
        "ptr.drift.end" => "Drift ended",
        "drift.review.asked" => "Asked to fix a long drift",
        "drift.review.reset" => "Long drift reset",
        _ if topic == MailTopic::ReviewDigest.as_str() => "Review digest",
        other => other,
    };
    what.to_owned()
}

impl MailRow {
    fn new(mail: LoggedMail) -> MailRow {
        let (state_label, badge, when) = match mail.state {
            MailState::Waiting => (
                "Waiting",
                "pending",
                crate::clock::display(mail.next_attempt_at),
            ),
            MailState::Failing => (
                "Failing",
                "pending",
                crate::clock::display(mail.next_attempt_at),
            ),
            MailState::GivenUp => (
                "Given up",
                "rejected",
                format!(
                    "none (given up {})",
                    crate::clock::display(mail.last_attempt_at.unwrap_or(mail.next_attempt_at))
                ),
            ),
            MailState::Dropped => (
                "Not sent",
                "denied",
                format!(
                    "dropped {}",
                    crate::clock::display(mail.sent_at.unwrap_or(0))
                ),
            ),
            MailState::Sent => (
                "Sent",
                "active",
                format!(
                    "none (sent {})",
                    crate::clock::display(mail.sent_at.unwrap_or(0))
                ),
            ),
        };
        MailRow {
            id: mail.id,
            recipient: mail.username,
            email: mail.email.unwrap_or_else(|| "no address".to_owned()),
            kind: kind(&mail.topic, &mail.action),
            about: mail.address_text.unwrap_or_default(),
            happened: crate::clock::display(mail.created_at),
            attempts: mail.attempts,
            state: mail.state.as_str(),
            state_label,
            badge,
            last_error: mail.last_error.unwrap_or_default(),
            when,
            retry: mail.state != MailState::Sent,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/mail.html")]
struct MailPage {
    layout: Layout,
    tab: &'static str,
    mail_enabled: bool,
    states: Vec<(&'static str, &'static str)>,
    selected: String,
    problem: Option<String>,
    rows: Vec<MailRow>,
    total: i64,
    page: i64,
    pages: i64,
}

impl MailPage {
    fn pager(&self) -> Pager {
        Pager::counted(self.page, self.pages, |page| {
            if self.selected.is_empty() {
                format!("/admin/mail?page={page}")
            } else {
                format!("/admin/mail?state={}&page={page}", self.selected)
            }
        })
    }
}

/// The page's query string.
#[derive(Deserialize)]
pub struct MailQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    page: String,
}

/// `GET /admin/mail`
pub async fn list(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    query: web::Query<MailQuery>,
) -> Result<HttpResponse, AppError> {
    let typed = query.state.trim();
    let filter = MailState::parse(typed);
    let problem = (filter.is_none() && !typed.is_empty())
        .then(|| "There is no such state; every mail is listed.".to_owned());
    let page = query.page.trim().parse::<i64>().unwrap_or(1).max(1);
    let (mails, total) =
        mail::log(&state.db.pool, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let body = MailPage {
        layout: Layout::new(&admin.user, &session)?,
        tab: "mail",
        mail_enabled: state.mail_enabled,
        states: vec![
            ("waiting", "Waiting"),
            ("failing", "Failing"),
            ("given-up", "Given up"),
            ("dropped", "Not sent"),
            ("sent", "Sent"),
        ],
        selected: filter.map_or(String::new(), |state| state.as_str().to_owned()),
        problem,
        rows: mails.into_iter().map(MailRow::new).collect(),
        total,
        page: page.min(pages),
        pages,
    };
    html(StatusCode::OK, &body)
}

/// `POST /admin/mail/{id}/retry`
pub async fn retry(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let message = if crate::admin::mail::retry_now(&state.db, &admin.by(), id).await? {
        "The mail is sent again within a few seconds; its result shows below."
    } else {
        "Nothing to send again: that mail was sent, or is being sent this moment."
    };
    done(&session, message, "/admin/mail")
}

//! `GET /admin/mail`: the notification mail outbox — every mail with its recipient, kind,
//! state, attempts, last error and next try, newest first, narrowed by state — and "send
//! again now" for one not sent (`POST /admin/mail/{id}/retry`, through [`crate::admin::mail`]).

use super::done;
use crate::auth::AdminUser;
use crate::db::mail::{self, LoggedMail, MailState};
use crate::domain::MailTopic;
use crate::error::AppError;
use crate::i18n::{self, filters};
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
    /// When the event happened (Unix seconds).
    happened: i64,
    attempts: i64,
    /// `waiting`, `failing`, `given-up`, `dropped` or `sent`.
    state: &'static str,
    state_label: String,
    /// The badge's class.
    badge: &'static str,
    last_error: String,
    /// When it is tried next, or none and when it was sent, dropped or given up.
    when: String,
    retry: bool,
}

/// The catalogue key of what a mail is about.
fn kind_key(topic: &str, action: &str) -> Option<&'static str> {
    Some(match action {
        "ptr.set" => "mail-kind-ptr-set",
        "ptr.request.rejected" => "mail-kind-ptr-rejected",
        "change.approved" => "mail-kind-approved",
        "change.denied" => "mail-kind-denied",
        "ptr.drift.start" => "mail-kind-drift-start",
        "ptr.drift.end" => "mail-kind-drift-end",
        "drift.review.asked" => "mail-kind-drift-asked",
        "drift.review.reset" => "mail-kind-drift-reset",
        _ if topic == MailTopic::ReviewDigest.as_str() => "mail-kind-digest",
        _ => return None,
    })
}

impl MailRow {
    fn new(mail: LoggedMail) -> MailRow {
        let none_since =
            |key: &str, at: i64| i18n::t_args(key, &[("at", &i18n::format::datetime(at))]);
        let (label, badge, when) = match mail.state {
            MailState::Waiting => (
                "mail-state-waiting",
                "pending",
                i18n::format::datetime(mail.next_attempt_at),
            ),
            MailState::Failing => (
                "mail-state-failing",
                "pending",
                i18n::format::datetime(mail.next_attempt_at),
            ),
            MailState::GivenUp => (
                "mail-state-given-up",
                "rejected",
                none_since(
                    "mail-next-none-given-up",
                    mail.last_attempt_at.unwrap_or(mail.next_attempt_at),
                ),
            ),
            MailState::Dropped => (
                "mail-state-dropped",
                "denied",
                none_since("mail-next-none-dropped", mail.sent_at.unwrap_or(0)),
            ),
            MailState::Sent => (
                "mail-state-sent",
                "active",
                none_since("mail-next-none-sent", mail.sent_at.unwrap_or(0)),
            ),
        };
        MailRow {
            id: mail.id,
            recipient: mail.username,
            email: mail
                .email
                .unwrap_or_else(|| i18n::t("mail-outbox-no-address")),
            kind: kind_key(&mail.topic, &mail.action).map_or_else(|| mail.action.clone(), i18n::t),
            about: mail.address_text.unwrap_or_default(),
            happened: mail.created_at,
            attempts: mail.attempts,
            state: mail.state.as_str(),
            state_label: i18n::t(label),
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
    states: Vec<(&'static str, String)>,
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
    let problem =
        (filter.is_none() && !typed.is_empty()).then(|| i18n::t("mail-outbox-unknown-state"));
    let page = query.page.trim().parse::<i64>().unwrap_or(1).max(1);
    let (mails, total) =
        mail::log(&state.db.pool, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let body = MailPage {
        layout: Layout::new(&admin.user, &session)?,
        tab: "mail",
        mail_enabled: state.mail_enabled,
        states: MailState::ALL
            .into_iter()
            .map(|state| {
                (
                    state.as_str(),
                    i18n::t(&format!("mail-state-{}", state.as_str())),
                )
            })
            .collect(),
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
        i18n::t("mail-retry-queued")
    } else {
        i18n::t("mail-retry-nothing")
    };
    done(&session, &message, "/admin/mail")
}

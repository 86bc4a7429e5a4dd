//! Webhooks: the endpoints the provider's systems listen on, registering and removing one,
//! and the delivery log with "send again", through [`crate::admin::webhooks`].

use super::{FormState, done};
use crate::admin::webhooks;
use crate::auth::AdminUser;
use crate::db;
use crate::domain::WebhookEvent;
use crate::error::AppError;
use crate::i18n::filters;
use crate::routes::layout::{Layout, html_no_store};
use crate::session::{AppSession, CsrfForm, NoFields};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use std::collections::HashMap;

/// Deliveries the log lists.
const LOG_LENGTH: i64 = 50;

/// One endpoint as listed.
struct Listed {
    id: i64,
    url: String,
    events: String,
    since: String,
}

/// One delivery as the log lists it.
struct Delivery {
    id: i64,
    event: String,
    event_id: String,
    url: String,
    at: String,
    attempts: i64,
    /// `delivered`, `failing` or `given-up` (the badge's class too).
    status: &'static str,
    /// What the status column says.
    detail: String,
}

#[derive(Template)]
#[template(path = "admin/webhooks.html")]
struct WebhooksPage {
    layout: Layout,
    tab: &'static str,
    endpoints: Vec<Listed>,
    deliveries: Vec<Delivery>,
    events: Vec<&'static str>,
    /// The secret of the endpoint just registered, shown once.
    secret: Option<String>,
    form: FormState,
    /// The events ticked on the form that came back.
    ticked: Vec<String>,
}

impl WebhooksPage {
    fn registered_title(&self) -> String {
        crate::i18n::t("admin-webhooks-registered")
    }

    fn is_ticked(&self, event: &&str) -> bool {
        !self.form.is_form("add") || self.ticked.iter().any(|t| t == event)
    }
}

async fn render(
    admin: &AdminUser,
    session: &AppSession,
    state: &AppState,
    secret: Option<String>,
    form: FormState,
    ticked: Vec<String>,
) -> Result<HttpResponse, AppError> {
    let endpoints = db::webhooks::endpoints(&state.db.pool)
        .await?
        .into_iter()
        .map(|endpoint| Listed {
            id: endpoint.id,
            url: endpoint.url,
            events: endpoint.events.replace(',', ", "),
            since: crate::clock::display(endpoint.created_at),
        })
        .collect();
    let deliveries = db::webhooks::log(&state.db.pool, LOG_LENGTH)
        .await?
        .into_iter()
        .map(logged)
        .collect();
    let status = form.status();
    let page = WebhooksPage {
        layout: Layout::new(&admin.user, session)?,
        tab: "webhooks",
        endpoints,
        deliveries,
        events: WebhookEvent::ALL.iter().map(|e| e.as_str()).collect(),
        secret,
        form,
        ticked,
    };
    // The answer to a registration carries the secret.
    html_no_store(status, &page)
}

fn logged(row: db::webhooks::LoggedDelivery) -> Delivery {
    let last = match (row.last_status, &row.last_error) {
        (Some(code), _) => format!("HTTP {code}"),
        (None, Some(error)) => error.clone(),
        (None, None) => crate::i18n::t("admin-webhooks-not-tried"),
    };
    let (status, detail) = match (row.delivered_at, row.given_up_at) {
        (Some(at), _) => (
            "delivered",
            format!("{last}, {}", crate::clock::display(at)),
        ),
        (None, Some(at)) => (
            "given-up",
            crate::i18n::t_args(
                "admin-webhooks-given-up-detail",
                &[("last", &last), ("at", &crate::clock::display(at))],
            ),
        ),
        (None, None) => (
            "failing",
            crate::i18n::t_args(
                "admin-webhooks-next-attempt",
                &[
                    ("last", &last),
                    ("at", &crate::clock::display(row.next_attempt_at)),
                ],
            ),
        ),
    };
    Delivery {
        id: row.id,
        event: row.event,
        event_id: format!("evt-{}", row.audit_id),
        url: row.url,
        at: crate::clock::display(row.created_at),
        attempts: row.attempts,
        status,
        detail,
    }
}

/// `GET /admin/webhooks`
pub async fn list(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    render(
        &admin,
        &session,
        &state,
        None,
        FormState::default(),
        Vec::new(),
    )
    .await
}

/// The registration form: `url`, `secret` and one checkbox per event (named after it).
#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    url: String,
    #[serde(default)]
    secret: String,
    #[serde(flatten)]
    ticked: HashMap<String, String>,
}

/// `POST /admin/webhooks`: registers an endpoint and answers the page with its secret.
pub async fn add(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<AddForm>,
) -> Result<HttpResponse, AppError> {
    let events: Vec<WebhookEvent> = WebhookEvent::ALL
        .into_iter()
        .filter(|event| form.ticked.contains_key(event.as_str()))
        .collect();
    let ticked = events.iter().map(|e| e.as_str().to_owned()).collect();
    let by = admin.by();
    match webhooks::add(&state.db, &by, &form.url, &events, &form.secret).await? {
        Ok(secret) => {
            let form = FormState::default();
            render(&admin, &session, &state, Some(secret), form, Vec::new()).await
        }
        Err(refused) => {
            let values = [("url", form.url.as_str())];
            let problem =
                FormState::problem("add", refused.field(), refused.text().render(), &values);
            render(&admin, &session, &state, None, problem, ticked).await
        }
    }
}

/// `POST /admin/webhooks/{id}/remove`
pub async fn remove(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    if !webhooks::remove(&state.db, &admin.by(), path.into_inner()).await? {
        return Err(AppError::NotFound);
    }
    let message = crate::i18n::t("admin-webhooks-removed");
    done(&session, &message, "/admin/webhooks")
}

/// `POST /admin/webhooks/deliveries/{id}/resend`
pub async fn resend(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    if !webhooks::send_again(&state.db, &admin.by(), path.into_inner()).await? {
        return Err(AppError::NotFound);
    }
    let message = crate::i18n::t("admin-webhooks-resent");
    done(&session, &message, "/admin/webhooks")
}

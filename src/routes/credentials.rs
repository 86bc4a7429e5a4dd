//! The customer's API credentials: create one (its secret is shown on the answer to the
//! create form and never again: only its SHA-256 is stored), list them with their last use,
//! revoke one. A credential of another customer is a 404, like everything not one's own.

use crate::auth::CustomerUser;
use crate::db;
use crate::error::AppError;
use crate::i18n::filters;
use crate::routes::api::{BLOCK_SECONDS, MAX_FAILED_LOGINS};
use crate::routes::layout::{Layout, html_no_store};
use crate::session::{AppSession, CsrfForm, NoFields};
use crate::state::ApiRateLimit;
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

/// Longest label accepted, in characters.
const MAX_LABEL_CHARS: usize = crate::field_limits::CREDENTIAL_LABEL;

/// One credential as the page lists it.
struct Listed {
    id: i64,
    label: String,
    username: String,
    created: String,
    last_used: Option<String>,
    revoked: Option<String>,
}

/// A credential just made, with its secret in clear: on this one page only.
struct Created {
    label: String,
    username: String,
    secret: String,
}

#[derive(Template)]
#[template(path = "customer/credentials.html")]
struct CredentialsPage {
    layout: Layout,
    credentials: Vec<Listed>,
    created: Option<Created>,
    label: String,
    label_error: Option<String>,
    base_url: String,
    rate: ApiRateLimit,
    max_failed_logins: i64,
    block_minutes: i64,
}

impl CredentialsPage {
    /// The user name for the curl examples: the new credential's, else a placeholder.
    fn example_user(&self) -> &str {
        self.created
            .as_ref()
            .map_or("USERNAME", |created| created.username.as_str())
    }
}

/// What the page shows besides the list.
#[derive(Default)]
struct Shown {
    created: Option<Created>,
    label: String,
    label_error: Option<String>,
}

async fn render(
    user: &CustomerUser,
    session: &AppSession,
    state: &AppState,
    req: &HttpRequest,
    shown: Shown,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let credentials = db::credentials::of_customer(&state.db.pool, user.customer_id)
        .await?
        .into_iter()
        .map(|credential| Listed {
            id: credential.id,
            label: credential.label,
            username: credential.username,
            created: crate::clock::display(credential.created_at),
            last_used: credential.last_used_at.map(crate::clock::display),
            revoked: credential.revoked_at.map(crate::clock::display),
        })
        .collect();
    let page = CredentialsPage {
        layout: Layout::new(&user.user, session)?,
        credentials,
        created: shown.created,
        label: shown.label,
        label_error: shown.label_error,
        base_url: crate::routes::same_origin::public_origin(req),
        rate: state.api_rate_limit,
        max_failed_logins: MAX_FAILED_LOGINS,
        block_minutes: BLOCK_SECONDS / 60,
    };
    // The answer to a create carries a secret.
    html_no_store(status, &page)
}

/// `GET /api-credentials`
pub async fn list(
    user: CustomerUser,
    session: AppSession,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    render(
        &user,
        &session,
        &state,
        &req,
        Shown::default(),
        StatusCode::OK,
    )
    .await
}

/// The create form.
#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    label: String,
}

/// `POST /api-credentials`: makes a credential and answers the page with its secret (200,
/// not a redirect: a reload must not show the secret again, and the list page never does).
pub async fn create(
    user: CustomerUser,
    session: AppSession,
    state: web::Data<AppState>,
    req: HttpRequest,
    CsrfForm(form): CsrfForm<CreateForm>,
) -> Result<HttpResponse, AppError> {
    let label = form.label.trim().to_owned();
    if let Some(problem) = label_problem(&state, user.customer_id, &label).await? {
        let shown = Shown {
            created: None,
            label: form.label,
            label_error: Some(problem),
        };
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render(&user, &session, &state, &req, shown, status).await;
    }
    let created = issue(&state, &user, label).await?;
    let shown = Shown {
        created: Some(created),
        ..Shown::default()
    };
    render(&user, &session, &state, &req, shown, StatusCode::OK).await
}

/// What keeps a credential called `label` from being made, if anything: no name, too long a
/// name, or as many active credentials as a customer may hold.
async fn label_problem(
    state: &AppState,
    customer_id: i64,
    label: &str,
) -> Result<Option<String>, AppError> {
    if label.is_empty() {
        return Ok(Some(
            "Name the credential, e.g. after the script or server that will use it.".to_owned(),
        ));
    }
    if label.chars().count() > MAX_LABEL_CHARS {
        return Ok(Some(format!("Use at most {MAX_LABEL_CHARS} characters.")));
    }
    let active = db::credentials::active_count(&state.db.pool, customer_id).await?;
    Ok((active >= state.api_credentials_per_customer).then(|| {
        format!(
            "You already have {} active credentials, the most allowed. Revoke one you no longer use, then create this one.",
            state.api_credentials_per_customer
        )
    }))
}

/// Makes and stores a credential called `label` for the user's customer; its secret is in
/// the answer only.
async fn issue(state: &AppState, user: &CustomerUser, label: String) -> Result<Created, AppError> {
    let customer = db::customers::by_id(&state.db.pool, user.customer_id)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the user's customer is missing")))?;
    let new = crate::credentials::generate(&customer.number);
    db::credentials::insert(
        &state.db.pool,
        user.customer_id,
        &new.username,
        &crate::credentials::hash_secret(&new.secret),
        &label,
        Some(user.user.account.id),
        crate::clock::now(),
    )
    .await?;
    tracing::info!(username = %new.username, "API credential created");
    Ok(Created {
        label,
        username: new.username,
        secret: new.secret,
    })
}

/// `POST /api-credentials/{id}/revoke`: requests with the credential fail with 401 at once.
pub async fn revoke(
    user: CustomerUser,
    session: AppSession,
    state: web::Data<AppState>,
    id: web::Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let credential = db::credentials::of_customer(&state.db.pool, user.customer_id)
        .await?
        .into_iter()
        .find(|credential| credential.id == id)
        .ok_or(AppError::NotFound)?;
    let revoked =
        db::credentials::revoke(&state.db.pool, user.customer_id, id, crate::clock::now()).await?;
    let message = if revoked {
        tracing::info!(username = %credential.username, "API credential revoked");
        format!(
            "\u{201c}{}\u{201d} ({}) is revoked: requests with it are refused from now on.",
            credential.label, credential.username
        )
    } else {
        format!(
            "\u{201c}{}\u{201d} ({}) was already revoked.",
            credential.label, credential.username
        )
    };
    session.flash(&message)?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/api-credentials"))
        .finish())
}

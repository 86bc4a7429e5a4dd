//! Signing in (with a password, or through the provider's OpenID Connect provider) and out.

use crate::admin::accounts::{self, IdentitySignIn};
use crate::auth::{self, SignInError, SignedIn};
use crate::db;
use crate::domain::Role;
use crate::error::AppError;
use crate::field_limits;
use crate::i18n::filters;
use crate::oidc::OidcError;
use crate::routes::layout::html;
use crate::session::{AppSession, CsrfForm, NoFields};
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    csrf: String,
    username: String,
    error: Option<String>,
    /// Why a sign-in through the provider failed (shown at its button, not at the fields).
    provider_error: Option<String>,
    flash: Option<String>,
    /// The OpenID Connect provider's name, when it is configured.
    provider: Option<String>,
    /// Whether the password form is shown (always, unless `oidc_only`).
    show_password: bool,
}

/// The fields of the sign-in form.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// The query of the sign-in page: `?password` shows the password form under `oidc_only`.
#[derive(Deserialize)]
pub struct LoginQuery {
    password: Option<String>,
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// What the sign-in page says went wrong.
enum Problem {
    /// Nothing.
    None,
    /// The password form's (wrong password, locked, too long).
    Password(String),
    /// A sign-in through the provider's.
    Provider(String),
}

/// The sign-in page with `username` filled in and the `problem` shown, answered with
/// `status`.
fn login_page(
    state: &AppState,
    session: &AppSession,
    status: StatusCode,
    username: String,
    problem: Problem,
    show_password: bool,
) -> Result<HttpResponse, AppError> {
    let (error, provider_error) = match problem {
        Problem::None => (None, None),
        Problem::Password(message) => (Some(message), None),
        Problem::Provider(message) => (None, Some(message)),
    };
    let page = LoginPage {
        csrf: session.csrf_token()?,
        username,
        error,
        provider_error,
        flash: session.take_flash(),
        provider: state
            .oidc
            .as_ref()
            .map(|oidc| oidc.provider_name().to_owned()),
        show_password: show_password || !state.oidc_only,
    };
    html(status, &page)
}

/// `GET /login`
pub async fn form(
    state: web::Data<AppState>,
    session: AppSession,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, AppError> {
    if session.user_id().is_some() {
        return Ok(see_other("/"));
    }
    let password = query.password.is_some();
    login_page(
        &state,
        &session,
        StatusCode::OK,
        String::new(),
        Problem::None,
        password,
    )
}

/// `POST /login`
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: AppSession,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let source = crate::client_address::source_address(&req);
    let username = form.username.trim().to_owned();
    // Nothing this long is an account or a password: no lookup, no hashing, no failure row.
    let lengths = field_limits::check(&[
        (
            "the user name",
            &form.username,
            field_limits::SIGN_IN_USERNAME,
        ),
        ("the password", &form.password, field_limits::PASSWORD),
    ]);
    if let Err(too_long) = lengths {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return login_page(
            &state,
            &session,
            status,
            username,
            Problem::Password(too_long.text().render()),
            true,
        );
    }
    let password = SecretString::from(form.password);
    let (status, error) = match auth::sign_in(&state.db, &username, password, &source).await {
        Ok(user_id) if state.oidc_only && !is_admin(&state, user_id).await? => {
            (StatusCode::FORBIDDEN, crate::i18n::t("login-admins-only"))
        }
        Ok(user_id) => {
            return super::second_factor::after_password(&state, &session, &req, user_id, &source)
                .await;
        }
        Err(SignInError::Internal(err)) => return Err(AppError::Internal(err)),
        Err(SignInError::Locked { minutes }) => (
            StatusCode::TOO_MANY_REQUESTS,
            crate::i18n::t_args("login-locked", &[("minutes", &minutes)]),
        ),
        Err(SignInError::WrongCredentials) => {
            (StatusCode::UNAUTHORIZED, crate::i18n::t("login-wrong"))
        }
    };
    login_page(
        &state,
        &session,
        status,
        username,
        Problem::Password(error),
        true,
    )
}

async fn is_admin(state: &AppState, user_id: i64) -> Result<bool, AppError> {
    let account = db::users::account(&state.db.pool, user_id).await?;
    Ok(account.is_some_and(|account| account.role == Role::Admin))
}

/// `GET /login/oidc`: sends the browser to the provider, keeping `state`, `nonce` and the
/// PKCE verifier in its session.
pub async fn oidc_start(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: AppSession,
) -> Result<HttpResponse, AppError> {
    let oidc = state.oidc.as_ref().ok_or(AppError::NotFound)?;
    session.readable()?;
    let redirect = oidc.redirect_url(&crate::routes::same_origin::public_origin(&req));
    match oidc.begin(&redirect).await {
        Ok((url, pending)) => {
            session.set_oidc_pending(&pending)?;
            Ok(see_other(&url))
        }
        Err(err) => {
            tracing::error!(error = %err, "starting a sign-in through the provider failed");
            let message = crate::i18n::t_args(
                "form-sign-in-provider-unreachable",
                &[("provider", &oidc.provider_name())],
            );
            login_page(
                &state,
                &session,
                StatusCode::BAD_GATEWAY,
                String::new(),
                Problem::Provider(message),
                false,
            )
        }
    }
}

/// What the provider sends the browser back with.
#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// The status of the login page that says why the provider's sign-in failed: the provider
/// not answering is a bad gateway, a stale or forged callback a bad request, a refusal 403.
fn failed_status(err: &OidcError) -> StatusCode {
    match err {
        OidcError::Provider(_) => StatusCode::BAD_GATEWAY,
        OidcError::UnknownState => StatusCode::BAD_REQUEST,
        OidcError::Refused(_) | OidcError::InvalidToken(_) => StatusCode::FORBIDDEN,
    }
}

/// `GET /login/oidc/callback`: completes the sign-in, or says why it did not.
pub async fn oidc_callback(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: AppSession,
    query: web::Query<CallbackQuery>,
) -> Result<HttpResponse, AppError> {
    let oidc = state.oidc.as_ref().ok_or(AppError::NotFound)?;
    session.readable()?;
    let source = crate::client_address::source_address(&req);
    let pending = session.take_oidc_pending();
    let refuse = |status: StatusCode, message: String| {
        login_page(
            &state,
            &session,
            status,
            String::new(),
            Problem::Provider(message),
            false,
        )
    };
    if let Some(error) = &query.error {
        let detail = query.error_description.as_deref().unwrap_or(error);
        return refuse(
            StatusCode::FORBIDDEN,
            crate::i18n::t_args(
                "login-provider-refused",
                &[("provider", &oidc.provider_name()), ("detail", &detail)],
            ),
        );
    }
    let (Some(pending), Some(code), Some(returned_state)) = (pending, &query.code, &query.state)
    else {
        return refuse(
            StatusCode::BAD_REQUEST,
            sign_in_again(&OidcError::UnknownState),
        );
    };
    let identity = match oidc.finish(pending, code, returned_state).await {
        Ok(identity) => identity,
        Err(err) => {
            tracing::warn!(error = %err, source = %source, "sign-in through the provider failed");
            return refuse(failed_status(&err), sign_in_again(&err));
        }
    };
    match accounts::sign_in_with_identity(&state.db, &identity, &source).await? {
        IdentitySignIn::SignedIn { user_id } => {
            session.sign_in(user_id, &source, crate::session::user_agent(&req))?;
            Ok(see_other("/"))
        }
        IdentitySignIn::Refused(why) => refuse(StatusCode::FORBIDDEN, why.render()),
    }
}

/// The sentence a person reads when a sign-in through the provider failed.
fn sign_in_again(err: &OidcError) -> String {
    match err {
        OidcError::Provider(_) => crate::i18n::t("login-provider-unreachable"),
        OidcError::UnknownState => crate::i18n::t("login-provider-unknown-state"),
        OidcError::Refused(_) | OidcError::InvalidToken(_) => {
            crate::i18n::t("login-provider-unverified")
        }
    }
}

/// `POST /logout`
pub async fn logout(
    session: AppSession,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    session.sign_out();
    Ok(see_other("/login"))
}

/// `GET /`: each role's start page: customers their PTRs, admins the review queue, help-desk
/// users the lookup.
pub async fn home(user: SignedIn) -> HttpResponse {
    see_other(match user.account.role {
        Role::Customer => "/ips",
        Role::Admin => "/admin/review",
        Role::HelpDesk => "/lookup",
    })
}

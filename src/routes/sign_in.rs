//! Signing in and out.

use crate::auth::{self, SignInError, SignedIn};
use crate::domain::Role;
use crate::error::AppError;
use crate::field_limits;
use crate::session::{AppSession, CsrfForm, NoFields};
use crate::startup::AppState;
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
    flash: Option<String>,
}

/// The fields of the sign-in form.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

fn render(status: StatusCode, html: String) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// `GET /login`
pub async fn form(session: AppSession) -> Result<HttpResponse, AppError> {
    if session.user_id().is_some() {
        return Ok(see_other("/"));
    }
    render(
        StatusCode::OK,
        LoginPage {
            csrf: session.csrf_token()?,
            username: String::new(),
            error: None,
            flash: session.take_flash(),
        }
        .render()?,
    )
}

/// `POST /login`
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: AppSession,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let source = auth::source_address(&req);
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
        let page = LoginPage {
            csrf: session.csrf_token()?,
            username,
            error: Some(too_long.message),
            flash: None,
        };
        return render(StatusCode::UNPROCESSABLE_ENTITY, page.render()?);
    }
    let (status, error) = match auth::sign_in(
        &state.db,
        &username,
        SecretString::from(form.password),
        &source,
    )
    .await
    {
        Ok(user_id) => {
            let user_agent = req
                .headers()
                .get(header::USER_AGENT)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("");
            session.sign_in(user_id, &source, user_agent)?;
            return Ok(see_other("/"));
        }
        Err(SignInError::Internal(err)) => return Err(AppError::Internal(err)),
        Err(err @ SignInError::Locked { .. }) => (StatusCode::TOO_MANY_REQUESTS, err.to_string()),
        Err(err @ SignInError::WrongCredentials) => (StatusCode::UNAUTHORIZED, err.to_string()),
    };
    render(
        status,
        LoginPage {
            csrf: session.csrf_token()?,
            username,
            error: Some(error),
            flash: None,
        }
        .render()?,
    )
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

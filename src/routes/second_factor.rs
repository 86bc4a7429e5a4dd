//! The second step of a password sign-in for users with a second factor (a code from their
//! authenticator app, or a recovery code), and the enrolment of staff who must have one
//! (`require_staff_2fa`): QR code, confirmation with a first code, recovery codes shown once.

use crate::admin::{Acting, accounts};
use crate::auth::{self, SignInError};
use crate::db;
use crate::domain::change::Door;
use crate::error::AppError;
use crate::i18n::filters;
use crate::routes::layout::html_no_store;
use crate::session::{AppSession, CsrfForm, PendingSecondFactor};
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "auth/code.html")]
struct CodePage {
    csrf: String,
    username: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "auth/enrol.html")]
struct EnrolPage {
    csrf: String,
    username: String,
    secret: String,
    /// The QR code, an SVG document made by the `qrcode` crate from the `otpauth://` URL.
    qr_svg: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "auth/recovery_codes.html")]
struct RecoveryCodesPage {
    codes: Vec<String>,
}

/// The code form.
#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

fn back_to_sign_in() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/login"))
        .finish()
}

/// Where a password sign-in of `user_id` goes next: a second factor, its enrolment, or
/// signed in; answers the redirect.
pub async fn after_password(
    state: &AppState,
    session: &AppSession,
    req: &HttpRequest,
    user_id: i64,
    source: &str,
) -> Result<HttpResponse, AppError> {
    let account = db::users::account(&state.db.pool, user_id)
        .await?
        .ok_or(AppError::SignInRequired)?;
    let enabled = db::two_factor::totp(&state.db.pool, user_id)
        .await?
        .is_some_and(|totp| totp.enabled_at.is_some());
    let staff = account.role != crate::domain::Role::Customer;
    let next = if enabled {
        Some(("/login/code", false))
    } else if staff && state.require_staff_2fa {
        Some(("/login/enrol", true))
    } else {
        None
    };
    let location = match next {
        Some((location, enrol)) => {
            session.await_second_factor(&PendingSecondFactor {
                user_id,
                username: account.username,
                enrol,
                since: crate::clock::now(),
            })?;
            location
        }
        None => {
            session.sign_in(user_id, source, crate::session::user_agent(req))?;
            "/"
        }
    };
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish())
}

/// A wrong code: counted as a failed sign-in; the sentence to show, and whether the
/// sign-in is now locked (then the pending sign-in is given up).
async fn wrong_code(
    state: &AppState,
    session: &AppSession,
    pending: &PendingSecondFactor,
    source: &str,
) -> Result<(StatusCode, String), AppError> {
    let now = crate::clock::now();
    match auth::record_failure(&state.db, &pending.username, source, now).await {
        Ok(SignInError::Locked { minutes }) => {
            session.forget_second_factor();
            Ok((
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "Too many wrong codes. Signing in is locked for {minutes} more minute(s); \
                     then start again with your password."
                ),
            ))
        }
        Ok(_) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            "That code is not right, or was used already. Enter the code your app shows now."
                .to_owned(),
        )),
        Err(SignInError::Internal(err)) => Err(AppError::Internal(err)),
        Err(other) => Err(AppError::Internal(anyhow::anyhow!("{other}"))),
    }
}

/// `GET /login/code`
pub async fn code_form(session: AppSession) -> Result<HttpResponse, AppError> {
    let Some(pending) = session.second_factor().filter(|pending| !pending.enrol) else {
        return Ok(back_to_sign_in());
    };
    let page = CodePage {
        csrf: session.csrf_token()?,
        username: pending.username,
        error: None,
    };
    html_no_store(StatusCode::OK, &page)
}

/// `POST /login/code`
pub async fn code_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: AppSession,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let Some(pending) = session.second_factor().filter(|pending| !pending.enrol) else {
        return Ok(back_to_sign_in());
    };
    let source = crate::client_address::source_address(&req);
    let now = crate::clock::now();
    if let Some(minutes) = auth::locked_for(&state.db, &pending.username, &source, now)
        .await
        .map_err(|err| AppError::Internal(anyhow::anyhow!("{err}")))?
    {
        session.forget_second_factor();
        let message = format!("Signing in is locked for {minutes} more minute(s).");
        session.flash(&message)?;
        return Ok(back_to_sign_in());
    }
    let code = form.code.trim();
    if !code.is_empty()
        && code.len() <= 32
        && crate::two_factor::accept_code(&state.db, pending.user_id, code, now).await?
    {
        session.sign_in(pending.user_id, &source, crate::session::user_agent(&req))?;
        return Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/"))
            .finish());
    }
    let (status, error) = wrong_code(&state, &session, &pending, &source).await?;
    if status == StatusCode::TOO_MANY_REQUESTS {
        session.flash(&error)?;
        return Ok(back_to_sign_in());
    }
    let page = CodePage {
        csrf: session.csrf_token()?,
        username: pending.username,
        error: Some(error),
    };
    html_no_store(status, &page)
}

/// The secret `pending`'s user enrols with: the one shown before if not confirmed yet (a
/// reload shows the same QR code), else a new one.
async fn enrolment_secret(state: &AppState, user_id: i64) -> Result<String, AppError> {
    if let Some(stored) = db::two_factor::totp(&state.db.pool, user_id).await?
        && stored.enabled_at.is_none()
    {
        return Ok(stored.secret);
    }
    let secret = crate::two_factor::new_secret();
    db::two_factor::start_enrolment(&state.db.pool, user_id, &secret).await?;
    Ok(secret)
}

async fn enrol_page(
    state: &AppState,
    session: &AppSession,
    pending: PendingSecondFactor,
    error: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let secret = enrolment_secret(state, pending.user_id).await?;
    let enrolment = crate::two_factor::enrolment(&secret, &pending.username)
        .map_err(|err| AppError::Internal(anyhow::anyhow!(err)))?;
    let page = EnrolPage {
        csrf: session.csrf_token()?,
        username: pending.username,
        secret: enrolment.secret,
        qr_svg: enrolment.qr_svg,
        error,
    };
    html_no_store(status, &page)
}

/// `GET /login/enrol`
pub async fn enrol_form(
    state: web::Data<AppState>,
    session: AppSession,
) -> Result<HttpResponse, AppError> {
    let Some(pending) = session.second_factor().filter(|pending| pending.enrol) else {
        return Ok(back_to_sign_in());
    };
    enrol_page(&state, &session, pending, None, StatusCode::OK).await
}

/// `POST /login/enrol`: the first code confirms the app; the answer shows the recovery
/// codes once and the user is signed in.
pub async fn enrol_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: AppSession,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let Some(pending) = session.second_factor().filter(|pending| pending.enrol) else {
        return Ok(back_to_sign_in());
    };
    let source = crate::client_address::source_address(&req);
    let account = db::users::account(&state.db.pool, pending.user_id)
        .await?
        .ok_or(AppError::SignInRequired)?;
    let by = Acting {
        actor: db::audit::Actor {
            user_id: Some(account.id),
            name: account.username.clone(),
            source: source.clone(),
        },
        door: Door::Page,
    };
    let now = crate::clock::now();
    let code = form.code.trim();
    if code.len() <= 32
        && let Some(codes) =
            accounts::confirm_two_factor(&state.db, &by, &account, code, now).await?
    {
        session.sign_in(account.id, &source, crate::session::user_agent(&req))?;
        return html_no_store(StatusCode::OK, &RecoveryCodesPage { codes });
    }
    let (status, error) = wrong_code(&state, &session, &pending, &source).await?;
    if status == StatusCode::TOO_MANY_REQUESTS {
        session.flash(&error)?;
        return Ok(back_to_sign_in());
    }
    enrol_page(&state, &session, pending, Some(error), status).await
}

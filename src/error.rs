//! The one error type at the HTTP edge.
//!
//! Policy: a user sees a status, a sentence and a request id, never internal error text; the
//! cause chain goes to the log once, here, tagged with the same request id. The id is the
//! request's own (see [`crate::observability::request_log`]): the one in the `X-Request-Id`
//! header and in the request's log line. "Not yours" and "does not exist" are the same 404,
//! so probing another customer's data teaches nothing.

use crate::i18n::{self, filters};
use crate::request_id::RequestId;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such page or record, or not the caller's.
    #[error("not found")]
    NotFound,
    /// A signed-in user whose role may look but not change (help-desk on an admin action).
    #[error("forbidden")]
    Forbidden,
    /// The page needs a signed-in user.
    #[error("sign-in required")]
    SignInRequired,
    /// A state-changing form without the session's CSRF token.
    #[error("form token missing or wrong")]
    CsrfRejected,
    /// A state-changing request sent from another site's page (its `Origin` or `Referer`).
    #[error("form sent from another site")]
    OtherSite,
    /// A request that cannot be understood, with a sentence for the user.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A request body over the limit.
    #[error("request body too large")]
    PayloadTooLarge,
    /// Anything else; the cause is logged, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        let _ = crate::db::note_error(&err);
        AppError::Internal(err.into())
    }
}

impl From<askama::Error> for AppError {
    fn from(err: askama::Error) -> Self {
        AppError::Internal(err.into())
    }
}

impl From<actix_session::SessionInsertError> for AppError {
    fn from(err: actix_session::SessionInsertError) -> Self {
        AppError::Internal(anyhow::anyhow!("session: {err}"))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
    request_id: &'a str,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::SignInRequired => StatusCode::SEE_OTHER,
            AppError::CsrfRejected | AppError::OtherSite => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::SignInRequired = self {
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/login"))
                .finish();
        }
        // Outside a request (a unit test rendering an error) there is no id to quote.
        let request_id = RequestId::current()
            .map(|id| id.as_str().to_owned())
            .unwrap_or_else(|| "none".to_owned());
        if let AppError::Internal(err) = self {
            tracing::error!(request_id = %request_id, error = ?err, "request failed");
        }
        let key = match self {
            AppError::NotFound => "error-not-found",
            AppError::Forbidden => "error-forbidden",
            AppError::CsrfRejected => "error-csrf",
            AppError::OtherSite => "error-other-site",
            AppError::BadRequest(_) => "error-bad-request",
            AppError::PayloadTooLarge => "error-too-large",
            _ => "error-internal",
        };
        let title = i18n::t(&format!("{key}-title"));
        let message = match self {
            AppError::BadRequest(message) => message.clone(),
            _ => i18n::t(key),
        };
        let page = ErrorPage {
            title: &title,
            message: &message,
            request_id: &request_id,
        };
        let body = page.render().unwrap_or_else(|_| title.clone());
        HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(body)
    }
}

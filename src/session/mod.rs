//! The signed-in session (actix-session over [`store::DbSessionStore`]: server-side, the
//! cookie carries only the session key) as a typed wrapper, the CSRF token that every
//! state-changing form carries, and flash messages shown after a redirect.

pub mod store;

use crate::error::AppError;
use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;

use store::{ACCOUNT, ADDRESS, SESSION_ID, STORE_FAILED, USER_AGENT, USER_ID};

const CSRF: &str = "csrf";
const FLASH: &str = "flash";
const OIDC_PENDING: &str = "oidc_pending";
const SECOND_FACTOR: &str = "second_factor";

/// A sign-in whose password was right and whose second factor is still to come: the user
/// is not signed in yet (no `USER_ID` in the session).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PendingSecondFactor {
    /// Who.
    pub user_id: i64,
    /// Their user name (failed codes count against it).
    pub username: String,
    /// `true`: they have no second factor yet and must enrol; `false`: they enter a code.
    pub enrol: bool,
    /// When the password was accepted; the code must follow within [`SECOND_FACTOR_SECONDS`].
    pub since: i64,
}

/// How long after the password the second factor may come.
pub const SECOND_FACTOR_SECONDS: i64 = 10 * 60;

/// Largest form body accepted; PTR forms are tiny, the CSV upload has its own limit.
pub const FORM_LIMIT: usize = 64 * 1024;

use crate::token::constant_time_eq;
use crate::token::random_token;

/// The session of the current request.
pub struct AppSession(Session);

impl FromRequest for AppSession {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<AppSession, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        std::future::ready(Ok(AppSession(req.get_session())))
    }
}

impl AppSession {
    /// The signed-in user's id, if any.
    pub fn user_id(&self) -> Option<i64> {
        self.0.get::<i64>(USER_ID).ok().flatten()
    }

    /// The account of the user this session was signed in to, as the store read it with the
    /// session at the start of the request (`None` when no one was, or the session began in
    /// this request).
    pub fn loaded_account(&self) -> Option<crate::db::users::Account> {
        self.0.get(ACCOUNT).ok().flatten()
    }

    /// An error when this request's session could not be read (the database is down):
    /// whatever needs the session fails with ptrdesk's own error page, not as signed out.
    pub fn readable(&self) -> Result<(), AppError> {
        match self.0.get::<bool>(STORE_FAILED) {
            Ok(Some(true)) => Err(AppError::Internal(anyhow::anyhow!(
                "the session store could not be read"
            ))),
            _ => Ok(()),
        }
    }

    /// The row id of this session in the session store, once it is stored (the handle of
    /// "where you're signed in").
    pub fn session_id(&self) -> Option<i64> {
        self.0.get::<i64>(SESSION_ID).ok().flatten()
    }

    /// Starts a new session for `user_id` signing in from `address` with `user_agent`: a
    /// fresh key (no session fixation) and a fresh CSRF token.
    pub fn sign_in(&self, user_id: i64, address: &str, user_agent: &str) -> Result<(), AppError> {
        self.0.renew();
        self.0.clear();
        self.0.insert(USER_ID, user_id)?;
        self.0.insert(CSRF, random_token(32))?;
        self.0.insert(ADDRESS, address)?;
        // A browser's name is a few hundred characters; keep no more than that of anyone's.
        let user_agent: String = user_agent.chars().take(300).collect();
        self.0.insert(USER_AGENT, user_agent)?;
        Ok(())
    }

    /// Ends the session and removes the cookie.
    pub fn sign_out(&self) {
        self.0.purge();
    }

    /// The CSRF token to put in forms; made on first use.
    pub fn csrf_token(&self) -> Result<String, AppError> {
        if let Some(token) = self.0.get::<String>(CSRF).ok().flatten() {
            return Ok(token);
        }
        let token = random_token(32);
        self.0.insert(CSRF, &token)?;
        Ok(token)
    }

    /// Starts waiting for `pending`'s second factor: a fresh key and CSRF token, no user
    /// signed in.
    pub fn await_second_factor(&self, pending: &PendingSecondFactor) -> Result<(), AppError> {
        self.0.renew();
        self.0.clear();
        self.0.insert(SECOND_FACTOR, pending)?;
        self.0.insert(CSRF, random_token(32))?;
        Ok(())
    }

    /// The sign-in waiting for its second factor, unless it waited too long.
    pub fn second_factor(&self) -> Option<PendingSecondFactor> {
        let pending = self
            .0
            .get::<PendingSecondFactor>(SECOND_FACTOR)
            .ok()
            .flatten()?;
        (crate::clock::now() - pending.since <= SECOND_FACTOR_SECONDS).then_some(pending)
    }

    /// Gives up the sign-in waiting for its second factor.
    pub fn forget_second_factor(&self) {
        self.0.remove(SECOND_FACTOR);
    }

    /// Keeps what a sign-in through the provider needs when the browser comes back.
    pub fn set_oidc_pending(&self, pending: &crate::oidc::PendingSignIn) -> Result<(), AppError> {
        self.0.insert(OIDC_PENDING, pending)?;
        Ok(())
    }

    /// The pending sign-in through the provider, removed as it is read (used once).
    pub fn take_oidc_pending(&self) -> Option<crate::oidc::PendingSignIn> {
        self.0
            .get::<crate::oidc::PendingSignIn>(OIDC_PENDING)
            .ok()
            .flatten()?;
        self.0
            .remove_as::<crate::oidc::PendingSignIn>(OIDC_PENDING)
            .and_then(Result::ok)
    }

    /// A message for the next page shown.
    pub fn flash(&self, message: &str) -> Result<(), AppError> {
        self.0.insert(FLASH, message)?;
        Ok(())
    }

    /// The pending message, removed as it is read.
    pub fn take_flash(&self) -> Option<String> {
        // Removing marks the session changed even when there is nothing to remove, and a
        // changed session is written back to the store: only remove what is there.
        self.0.get::<String>(FLASH).ok().flatten()?;
        self.0.remove_as::<String>(FLASH).and_then(Result::ok)
    }

    fn csrf_matches(&self, submitted: &str) -> bool {
        match self.0.get::<String>(CSRF).ok().flatten() {
            Some(expected) => constant_time_eq(expected.as_bytes(), submitted.as_bytes()),
            None => false,
        }
    }
}

#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// A urlencoded form that is only accepted with the session's CSRF token in its `csrf` field.
/// Every state-changing form handler takes this instead of `web::Form`, so none can forget.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<CsrfForm<T>, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = AppSession(req.get_session());
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let body = body.await.map_err(|err| {
                if err.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::PayloadTooLarge
                } else {
                    AppError::BadRequest("The form could not be read.".to_owned())
                }
            })?;
            session.readable()?;
            let field: CsrfField = serde_urlencoded::from_bytes(&body)
                .map_err(|_| AppError::BadRequest("The form could not be read.".to_owned()))?;
            if !session.csrf_matches(&field.csrf) {
                return Err(AppError::CsrfRejected);
            }
            let form = serde_urlencoded::from_bytes(&body)
                .map_err(|err| AppError::BadRequest(format!("The form is incomplete: {err}.")))?;
            Ok(CsrfForm(form))
        })
    }
}

/// A form whose only field is the CSRF token (sign-out).
#[derive(Debug, serde::Deserialize)]
pub struct NoFields {}

/// The browser's `User-Agent`, as sessions record it.
pub fn user_agent(req: &actix_web::HttpRequest) -> &str {
    req.headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
}

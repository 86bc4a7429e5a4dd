//! Who is asking: signing in (with throttling) and the extractors that make authorisation a
//! type. A handler that takes [`CustomerUser`] cannot run for anyone but a signed-in customer.
//!
//! Throttling policy: 5 failed sign-ins for one username, or from one source address, within
//! 10 minutes lock further tries for that username or address for 10 minutes, whatever the
//! password. Disabled users and unknown usernames fail exactly like a wrong password; a wrong
//! second-factor code counts as a failed sign-in too.

use crate::db::{self, Db, users::Account};
use crate::domain::Role;
use crate::error::AppError;
use crate::session::AppSession;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use secrecy::SecretString;
use std::future::Future;
use std::pin::Pin;

/// Failures within [`WINDOW_SECONDS`] that lead to a lock.
pub const MAX_FAILURES: i64 = 5;
/// The window failures are counted in, and the length of the lock.
pub const WINDOW_SECONDS: i64 = 10 * 60;

/// Why a sign-in did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Wrong username or password (deliberately not saying which).
    #[error("The username or password is not right.")]
    WrongCredentials,
    /// Too many failures; try again later.
    #[error(
        "Too many failed sign-ins. Signing in is locked for {minutes} more minute(s); try again later."
    )]
    Locked {
        /// Whole minutes left, at least 1.
        minutes: i64,
    },
    /// The database or hashing failed.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for SignInError {
    fn from(err: sqlx::Error) -> Self {
        SignInError::Internal(err.into())
    }
}

/// Checks a username and password from `source`; returns the user id.
#[tracing::instrument(skip_all, fields(username = %username, source = %source))]
pub async fn sign_in(
    db: &Db,
    username: &str,
    password: SecretString,
    source: &str,
) -> Result<i64, SignInError> {
    let now = crate::clock::now();
    if let Some(minutes) = locked_for(db, username, source, now).await? {
        return Err(SignInError::Locked { minutes });
    }
    let credentials = db::users::credentials(&db.pool, username).await?;
    let usable = credentials.as_ref().filter(|c| c.disabled_at.is_none());
    let stored = usable.map(|c| c.password_hash.clone());
    if crate::password::verify(password, stored).await?
        && let Some(user) = usable
    {
        return Ok(user.id);
    }
    Err(record_failure(db, username, source, now).await?)
}

/// Whole minutes (at least 1) that sign-ins of `username` or from `source` stay locked.
pub async fn locked_for(
    db: &Db,
    username: &str,
    source: &str,
    now: i64,
) -> Result<Option<i64>, SignInError> {
    let user_subject = format!("user:{username}");
    let source_subject = format!("source:{source}");
    let until = db::logins::locked_until(&db.pool, &user_subject, &source_subject, now).await?;
    Ok(until.map(|until| ((until - now) + 59) / 60))
}

/// Records a failed sign-in (a wrong password, or a wrong second-factor code) of `username`
/// from `source`, locking either when it reached [`MAX_FAILURES`]; returns the error to show.
pub async fn record_failure(
    db: &Db,
    username: &str,
    source: &str,
    now: i64,
) -> Result<SignInError, SignInError> {
    db::logins::record_failure(&db.pool, username, source, now).await?;
    let since = now - WINDOW_SECONDS;
    let mut locked = false;
    if db::logins::failures_for_user(&db.pool, username, since).await? >= MAX_FAILURES {
        let subject = format!("user:{username}");
        db::logins::lock(&db.pool, &subject, now + WINDOW_SECONDS).await?;
        locked = true;
    }
    if db::logins::failures_from_source(&db.pool, source, since).await? >= MAX_FAILURES {
        let subject = format!("source:{source}");
        db::logins::lock(&db.pool, &subject, now + WINDOW_SECONDS).await?;
        locked = true;
    }
    tracing::warn!(locked, "failed sign-in");
    Ok(if locked {
        SignInError::Locked {
            minutes: WINDOW_SECONDS / 60,
        }
    } else {
        SignInError::WrongCredentials
    })
}

/// Any signed-in, enabled user.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The user.
    pub account: Account,
    /// Their request's source address.
    pub source: String,
}

impl SignedIn {
    /// The actor to record in the audit log for this user's changes.
    pub fn actor(&self) -> db::audit::Actor {
        db::audit::Actor {
            user_id: Some(self.account.id),
            name: self.account.username.clone(),
            source: self.source.clone(),
        }
    }
}

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<SignedIn, AppError>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no app state")))?;
            let session = AppSession::extract(&req)
                .await
                .map_err(|err| AppError::Internal(anyhow::anyhow!("{err}")))?;
            session.readable()?;
            let user_id = session.user_id().ok_or(AppError::SignInRequired)?;
            // Loaded on every request, so a disabled user's session stops working at once: with
            // the session, in the same query, when it is this user's (else on its own).
            let account = match session.loaded_account() {
                Some(account) if account.id == user_id => Some(account),
                _ => db::users::account(&state.db.pool, user_id).await?,
            };
            match account {
                Some(account) if account.disabled_at.is_none() => {
                    crate::i18n::follow_user(
                        account.language.as_deref(),
                        account.time_zone.as_deref(),
                    );
                    Ok(SignedIn {
                        account,
                        source: crate::client_address::source_address(&req),
                    })
                }
                _ => {
                    session.sign_out();
                    Err(AppError::SignInRequired)
                }
            }
        })
    }
}

/// A signed-in customer user; any other role gets 404 (the page does not exist for them).
#[derive(Debug, Clone)]
pub struct CustomerUser {
    /// The user.
    pub user: SignedIn,
    /// The customer they act for.
    pub customer_id: i64,
}

impl FromRequest for CustomerUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<CustomerUser, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signed_in = SignedIn::from_request(req, payload);
        Box::pin(async move {
            let user = signed_in.await?;
            match (user.account.role, user.account.customer_id) {
                (Role::Customer, Some(customer_id)) => Ok(CustomerUser { user, customer_id }),
                _ => Err(AppError::NotFound),
            }
        })
    }
}

/// A signed-in admin or help-desk user: may look everything up. Customers get 404 (the
/// staff pages do not exist for them).
#[derive(Debug, Clone)]
pub struct StaffUser {
    /// The user.
    pub user: SignedIn,
}

impl StaffUser {
    /// Whether this staff user may change things (admins only).
    pub fn is_admin(&self) -> bool {
        self.user.account.role == Role::Admin
    }
}

impl FromRequest for StaffUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<StaffUser, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signed_in = SignedIn::from_request(req, payload);
        Box::pin(async move {
            let user = signed_in.await?;
            match user.account.role {
                Role::Admin | Role::HelpDesk => Ok(StaffUser { user }),
                Role::Customer => Err(AppError::NotFound),
            }
        })
    }
}

/// A signed-in admin: the only role that changes staff-side data. Help-desk users get 403
/// (they may see the page exists, but change nothing); customers get 404.
#[derive(Debug, Clone)]
pub struct AdminUser {
    /// The user.
    pub user: SignedIn,
}

impl AdminUser {
    /// This admin acting through the pages, for [`crate::admin::accounts`].
    pub fn by(&self) -> crate::admin::Acting {
        crate::admin::Acting {
            actor: self.user.actor(),
            door: crate::domain::change::Door::Page,
        }
    }
}

impl FromRequest for AdminUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<AdminUser, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signed_in = SignedIn::from_request(req, payload);
        Box::pin(async move {
            let user = signed_in.await?;
            match user.account.role {
                Role::Admin => Ok(AdminUser { user }),
                Role::HelpDesk => Err(AppError::Forbidden),
                Role::Customer => Err(AppError::NotFound),
            }
        })
    }
}

//! The APIs: the Robot-compatible rDNS API (`/rdns`) and the native JSON API (`/api/v1`).
//! Both authenticate with HTTP basic auth against a customer's API credentials
//! ([`ApiCustomer`]) and answer errors in the Robot envelope
//! `{"error":{"status":N,"code":"…","message":"…"}}` ([`ApiError`]).
//!
//! Messages are in the request's language (`Accept-Language`, [`crate::routes::locale`]),
//! which for the Robot paths is always English.
//!
//! Policy: 3 failed logins from one address block it for 10 minutes; each customer, with all
//! of its credentials together, may make `api_rate_limit` requests per
//! `api_rate_interval_seconds` (403 `RATE_LIMIT_EXCEEDED`).

pub mod robot;
pub mod v1;

use crate::db::{self, audit::Actor};
use crate::domain::StaffScope;
use crate::i18n;
use crate::state::{ApiRateLimit, AppState};
use actix_web::dev::Payload;
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use base64::Engine as _;
use serde_json::{Map, Value, json};
use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// Failed API logins from one address that block it.
pub const MAX_FAILED_LOGINS: i64 = 3;
/// How long the block lasts, and the window failures are counted in.
pub const BLOCK_SECONDS: i64 = 10 * 60;

/// An API error in the Robot envelope, with the `missing`/`invalid` arrays of a 400 and any
/// extra fields (our findings) beside them.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Robot error code, e.g. `IP_NOT_FOUND`.
    pub code: &'static str,
    /// A sentence for people.
    pub message: String,
    /// Fields inside `error` besides the standard three (`missing`, `invalid`, findings …).
    pub fields: Map<String, Value>,
    /// Response headers to add (rate-limit headers).
    pub headers: Vec<(&'static str, String)>,
}

impl ApiError {
    /// An error with no extra fields.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            fields: Map::new(),
            headers: Vec::new(),
        }
    }

    /// Adds a field inside the `error` object.
    pub fn with(mut self, key: &str, value: Value) -> ApiError {
        self.fields.insert(key.to_owned(), value);
        self
    }

    /// 401 `UNAUTHORIZED`.
    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", message)
    }

    /// 500 `INTERNAL_ERROR`; the cause is logged, not shown.
    pub fn internal(err: impl fmt::Debug) -> ApiError {
        let id = crate::token::random_token(8);
        tracing::error!(request_id = %id, error = ?err, "API request failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            i18n::t_args("api-internal", &[("id", &id)]),
        )
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(err: sqlx::Error) -> Self {
        ApiError::internal(err)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut error = Map::new();
        error.insert("status".to_owned(), json!(self.status.as_u16()));
        error.insert("code".to_owned(), json!(self.code));
        error.insert("message".to_owned(), json!(self.message));
        error.extend(self.fields.clone());
        let mut response = HttpResponse::build(self.status);
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"ptrdesk\""));
        }
        for (name, value) in &self.headers {
            response.insert_header((*name, value.clone()));
        }
        response.json(json!({ "error": error }))
    }
}

/// Where a credential stands in its rate-limit window.
#[derive(Debug, Clone, Copy)]
pub struct RateState {
    /// Requests allowed per window.
    pub limit: i64,
    /// Requests left in this window.
    pub remaining: i64,
    /// Seconds until the window resets.
    pub reset: i64,
}

impl RateState {
    /// The `RateLimit-*` headers (IETF draft) describing this state.
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        vec![
            ("RateLimit-Limit", self.limit.to_string()),
            ("RateLimit-Remaining", self.remaining.to_string()),
            ("RateLimit-Reset", self.reset.to_string()),
        ]
    }
}

/// A request authenticated with a customer's API credential, within its rate limit.
#[derive(Debug, Clone)]
pub struct ApiCustomer {
    /// The customer it acts for.
    pub customer_id: i64,
    /// The credential used.
    pub credential_id: i64,
    /// Who, for the audit log (`api:USERNAME`, source address).
    pub actor: Actor,
    /// The rate-limit window after this request.
    pub rate: RateState,
}

impl FromRequest for ApiCustomer {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<ApiCustomer, ApiError>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| ApiError::internal("no app state"))?;
            authenticate(state, &req).await
        })
    }
}

/// The user name and password of a basic `Authorization` header.
fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, secret) = text.split_once(':')?;
    Some((user.to_owned(), secret.to_owned()))
}

/// A request's basic credentials, once the source is known not to be blocked.
struct Attempt {
    source: String,
    username: String,
    secret: String,
    now: i64,
}

impl Attempt {
    /// Refuses a blocked source and a request without basic credentials.
    async fn begin(state: &AppState, req: &HttpRequest) -> Result<Attempt, ApiError> {
        let source = crate::client_address::source_address(req);
        tracing::Span::current().record("source", source.as_str());
        let now = crate::clock::now();
        let lock_subject = format!("api-source:{source}");
        if let Some(until) =
            db::logins::locked_until(&state.db.pool, &lock_subject, &lock_subject, now).await?
        {
            let minutes = ((until - now) + 59) / 60;
            return Err(ApiError::unauthorized(i18n::t_args(
                "api-login-blocked",
                &[("source", &source), ("minutes", &minutes)],
            )));
        }
        let Some((username, secret)) = basic_credentials(req) else {
            return Err(ApiError::unauthorized(i18n::t("api-login-required")));
        };
        Ok(Attempt {
            source,
            username,
            secret,
            now,
        })
    }

    /// Whether the secret is the one stored as `hash`.
    fn matches(&self, hash: &str) -> bool {
        crate::credentials::secret_matches(&self.secret, hash)
    }

    /// Counts a failed login (API failures apart from the sign-in form's: other limits,
    /// other lock) and answers 401.
    async fn refuse(self, state: &AppState) -> ApiError {
        let db = &state.db;
        let failure_source = format!("api:{}", self.source);
        let lock_subject = format!("api-source:{}", self.source);
        let subject = format!("api:{}", self.username);
        let counted = async {
            db::logins::record_failure(&db.pool, &subject, &failure_source, self.now).await?;
            let since = self.now - BLOCK_SECONDS;
            let failures =
                db::logins::failures_from_source(&db.pool, &failure_source, since).await?;
            if failures >= MAX_FAILED_LOGINS {
                db::logins::lock(&db.pool, &lock_subject, self.now + BLOCK_SECONDS).await?;
            }
            tracing::warn!(failures, "failed API login");
            Ok::<(), sqlx::Error>(())
        };
        match counted.await {
            Ok(()) => ApiError::unauthorized(i18n::t("api-login-wrong")),
            Err(err) => err.into(),
        }
    }

    /// Where the window stands after `used` requests, or 403 `RATE_LIMIT_EXCEEDED`.
    fn rate(
        &self,
        limit: ApiRateLimit,
        window_start: i64,
        used: i64,
    ) -> Result<RateState, ApiError> {
        let rate = RateState {
            limit: limit.max_requests,
            remaining: (limit.max_requests - used).max(0),
            reset: window_start + limit.interval - self.now,
        };
        if used <= limit.max_requests {
            return Ok(rate);
        }
        let mut error = ApiError::new(
            StatusCode::FORBIDDEN,
            "RATE_LIMIT_EXCEEDED",
            i18n::t_args(
                "api-rate-limit",
                &[
                    ("max", &limit.max_requests),
                    ("interval", &limit.interval),
                    ("reset", &rate.reset),
                ],
            ),
        )
        // Robot's documentation names it `max_request`, its live API sends `max_requests`:
        // both, so that clients written against either parse it.
        .with("max_request", json!(limit.max_requests))
        .with("max_requests", json!(limit.max_requests))
        .with("interval", json!(limit.interval));
        error.headers = rate.headers();
        error.headers.push(("Retry-After", rate.reset.to_string()));
        Err(error)
    }

    /// The start of the rate-limit window this request falls in.
    fn window_start(&self, limit: ApiRateLimit) -> i64 {
        self.now - self.now.rem_euclid(limit.interval)
    }
}

#[tracing::instrument(skip_all, fields(source))]
async fn authenticate(state: &AppState, req: &HttpRequest) -> Result<ApiCustomer, ApiError> {
    let attempt = Attempt::begin(state, req).await?;
    let db = &state.db;
    let stored = db::credentials::usable(&db.pool, &attempt.username).await?;
    let Some(stored) = stored.filter(|stored| attempt.matches(&stored.secret_hash)) else {
        return Err(attempt.refuse(state).await);
    };
    db::credentials::touch(&db.pool, stored.id, attempt.now).await?;
    let limit = state.api_rate_limit;
    let window_start = attempt.window_start(limit);
    db::credentials::count_request(&db.pool, stored.id, window_start).await?;
    // Counted for the customer, all credentials together: more credentials buy no more.
    let used =
        db::credentials::customer_requests(&db.pool, stored.customer_id, window_start).await?;
    let rate = attempt.rate(limit, window_start, used)?;
    Ok(ApiCustomer {
        customer_id: stored.customer_id,
        credential_id: stored.id,
        actor: Actor {
            user_id: None,
            name: format!("api:{}", attempt.username),
            source: attempt.source,
        },
        rate,
    })
}

/// A request authenticated with a staff API credential, within its rate limit (counted per
/// credential).
#[derive(Debug, Clone)]
pub struct ApiStaff {
    /// What the credential may do.
    pub scope: StaffScope,
    /// Who, for the audit log (`api:LABEL`, source address).
    pub actor: Actor,
    /// The rate-limit window after this request.
    pub rate: RateState,
}

impl ApiStaff {
    /// Who acts, through the door `api`.
    pub fn by(&self) -> crate::admin::Acting {
        crate::admin::Acting {
            actor: self.actor.clone(),
            door: crate::domain::Door::Api,
        }
    }

    /// 403 `FORBIDDEN` unless the credential may change the inventory.
    pub fn may_write(&self) -> Result<(), ApiError> {
        if self.scope.writes() {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "FORBIDDEN",
                i18n::t("api-scope-read"),
            ))
        }
    }
}

impl FromRequest for ApiStaff {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<ApiStaff, ApiError>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| ApiError::internal("no app state"))?;
            authenticate_staff(state, &req).await
        })
    }
}

#[tracing::instrument(skip_all, fields(source))]
async fn authenticate_staff(state: &AppState, req: &HttpRequest) -> Result<ApiStaff, ApiError> {
    let attempt = Attempt::begin(state, req).await?;
    let db = &state.db;
    let stored = db::staff_credentials::usable(&db.pool, &attempt.username).await?;
    let Some(stored) = stored.filter(|stored| attempt.matches(&stored.secret_hash)) else {
        return Err(attempt.refuse(state).await);
    };
    db::staff_credentials::touch(&db.pool, stored.id, attempt.now).await?;
    let limit = state.api_rate_limit;
    let window_start = attempt.window_start(limit);
    let used = db::staff_credentials::count_request(&db.pool, stored.id, window_start).await?;
    let rate = attempt.rate(limit, window_start, used)?;
    Ok(ApiStaff {
        scope: stored.scope,
        actor: Actor {
            user_id: None,
            name: format!("api:{}", stored.label),
            source: attempt.source,
        },
        rate,
    })
}

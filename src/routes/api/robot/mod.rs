//! The Robot-compatible rDNS API (`/rdns`, `/rdns/{ip}`), wire-identical to Hetzner Robot's
//! rDNS webservice, so existing Robot clients work by changing only their base URL.
//!
//! Policy, where Robot leaves room to decide:
//! - The IP in the path may be written in any textual form Rust's parser takes (IPv4 dotted
//!   quad without leading zeros; IPv6 compressed or not, any case, percent-encoded colons);
//!   answers show the canonical form (RFC 5952). Anything that is not an address, is not
//!   assigned, or is another customer's is the same 404 `IP_NOT_FOUND` (an IPv4-mapped IPv6
//!   address such as `::ffff:192.0.2.1` is not the IPv4 address: not found).
//! - `GET /rdns?server_ip=IP` lists the PTRs of the *server* holding IP (every assignment of
//!   that server, as Robot's `server_ip` names a server); an IP that is not the customer's,
//!   or not an address, lists nothing: 404 `NOT_FOUND`.
//! - "rdns entries" are the customer's own PTRs in force; provider defaults are not entries.
//!   A requested change that waits for DNS (`pending`) is not in force yet.
//! - Every write goes through [`changes::submit`] (door `api`). A write answers like Robot
//!   and adds `state` (`published`/`pending`) and `findings` beside `rdns`; a name the
//!   checks reject is 400 `INVALID_INPUT` with `invalid: ["ptr"]`, `findings` and, when the
//!   change was stored as rejected, `state: "rejected"` inside `error`.
//! - `DELETE` resets to the provider default (and drops an open request); it answers 200 with
//!   an empty body whether or not a PTR was set.
//! - Form bodies are read whatever their content type; a body that is not a form is simply a
//!   form without `ptr` (400 `INVALID_INPUT`, `missing: ["ptr"]`).

use super::{ApiCustomer, ApiError};
use crate::changes::{self, ChangeRequest, Requested, SubmitError, Submitted};
use crate::db::{self, inventory::OwnedIp};
use crate::domain::finding::{Finding, FindingId, Severity};
use crate::domain::{Door, Hostname};
use crate::routes::ownership::NotOwned;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde_json::{Value, json};
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

/// Largest form body the Robot API reads; a `ptr=` form is at most a few hundred bytes.
mod answers;
use answers::*;

pub const FORM_LIMIT: usize = 4 * 1024;

/// The `ptr` field of a form body. Reading it never fails, so an unauthenticated request
/// always gets its 401 first.
pub enum PtrField {
    /// No `ptr` field.
    Missing,
    /// The field as sent.
    Given(String),
    /// The body could not be read (too large, connection error).
    Unreadable,
}

impl FromRequest for PtrField {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<PtrField, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let Ok(body) = body.await else {
                return Ok(PtrField::Unreadable);
            };
            // Decoding is lossy, not failing: a body that is not a form has no `ptr`.
            let fields: Vec<(String, String)> =
                serde_urlencoded::from_bytes(&body).unwrap_or_default();
            Ok(fields
                .into_iter()
                .find(|(name, _)| name == "ptr")
                .map_or(PtrField::Missing, |(_, value)| PtrField::Given(value)))
        })
    }
}

/// `GET /rdns[?server_ip=IP]`
pub async fn list(
    api: ApiCustomer,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let server_ip = query_field(req.query_string(), "server_ip");
    with_rate(&api, list_ptrs(&state, &api, server_ip.as_deref()).await)
}

/// `GET /rdns/{ip}`
pub async fn show(
    api: ApiCustomer,
    state: web::Data<AppState>,
    ip: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    with_rate(&api, show_ptr(&state, &api, &ip).await)
}

/// `PUT /rdns/{ip}` `ptr=…`: creates a PTR; 409 when the IP has one of the customer's own.
pub async fn create(
    api: ApiCustomer,
    state: web::Data<AppState>,
    ip: web::Path<String>,
    ptr: PtrField,
) -> Result<HttpResponse, ApiError> {
    with_rate(&api, write_ptr(&state, &api, &ip, ptr, Mode::Create).await)
}

/// `POST /rdns/{ip}` `ptr=…`: creates (201) or updates (200) a PTR.
pub async fn create_or_update(
    api: ApiCustomer,
    state: web::Data<AppState>,
    ip: web::Path<String>,
    ptr: PtrField,
) -> Result<HttpResponse, ApiError> {
    with_rate(
        &api,
        write_ptr(&state, &api, &ip, ptr, Mode::CreateOrUpdate).await,
    )
}

/// `DELETE /rdns/{ip}`: back to the provider default; 200 with an empty body.
pub async fn delete(
    api: ApiCustomer,
    state: web::Data<AppState>,
    ip: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    with_rate(&api, delete_ptr(&state, &api, &ip).await)
}

/// Any other path under `/rdns`: 404 in the Robot envelope.
pub async fn unknown_path() -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "Not found: the Robot rDNS API has /rdns and /rdns/{ip}.",
    ))
}

/// A method the path does not have: 405 in the Robot envelope, with `Allow`.
pub async fn unknown_method(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let allowed = if req.match_info().get("ip").is_some() {
        "GET, PUT, POST, DELETE"
    } else {
        "GET"
    };
    let mut error = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        format!(
            "{} is not allowed here; this path answers {allowed}.",
            req.method()
        ),
    );
    error.headers.push(("Allow", allowed.to_owned()));
    Err(error)
}

async fn list_ptrs(
    state: &AppState,
    api: &ApiCustomer,
    server_ip: Option<&str>,
) -> Result<HttpResponse, ApiError> {
    let no_entries = || ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "No rDNS entries found.");
    let within = match server_ip.map(str::trim).filter(|text| !text.is_empty()) {
        None => None,
        Some(text) => {
            let owned = match crate::domain::parse_address(text) {
                Ok(ip) => db::inventory::owned_ip(&state.db.pool, api.customer_id, ip).await?,
                Err(_) => None,
            };
            Some(owned.ok_or_else(no_entries)?.assignment_id())
        }
    };
    let ptrs = db::entries::own_ptrs(&state.db.pool, api.customer_id, within).await?;
    if ptrs.is_empty() {
        return Err(no_entries());
    }
    let body: Vec<Value> = ptrs
        .iter()
        .map(|own| json!({ "rdns": rdns(own.ip, &own.hostname) }))
        .collect();
    Ok(HttpResponse::Ok().json(body))
}

async fn show_ptr(
    state: &AppState,
    api: &ApiCustomer,
    ip_text: &str,
) -> Result<HttpResponse, ApiError> {
    let ip = owned(state, api, ip_text).await?.ip();
    let ptr = db::entries::current(&state.db.pool, ip)
        .await?
        .and_then(|entry| entry.hostname)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "RDNS_NOT_FOUND",
                format!("No rDNS entry found for {ip}: the provider default applies."),
            )
        })?;
    Ok(HttpResponse::Ok().json(json!({ "rdns": rdns(ip, &ptr) })))
}

/// What a write may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `PUT`: only where the customer has no PTR of their own.
    Create,
    /// `POST`: either.
    CreateOrUpdate,
}

async fn write_ptr(
    state: &AppState,
    api: &ApiCustomer,
    ip_text: &str,
    field: PtrField,
    mode: Mode,
) -> Result<HttpResponse, ApiError> {
    let owned = owned(state, api, ip_text).await?;
    let ip = owned.ip();
    let raw = requested_ptr(field)?;
    let current = db::entries::current(&state.db.pool, ip).await?;
    let version = current.as_ref().map_or(0, |entry| entry.version);
    let write = Write {
        ip,
        raw: raw.clone(),
        in_force: current.and_then(|entry| entry.hostname),
        mode,
    };
    if mode == Mode::Create && write.in_force.is_some() {
        return Err(write.already_exists());
    }
    let request = ChangeRequest {
        owned,
        requested: Requested::Hostname(raw),
        // PUT only creates: a PTR set by someone else meanwhile makes it a conflict.
        based_on_version: (mode == Mode::Create).then_some(version),
        door: Door::Api,
        actor: api.actor.clone(),
    };
    write.answer(changes::submit(&state.db, &state.engine, request).await)
}

/// The `ptr` of a write, or the Robot error for its absence.
fn requested_ptr(field: PtrField) -> Result<String, ApiError> {
    match field {
        PtrField::Given(raw) => Ok(raw),
        PtrField::Missing => Err(invalid_input(
            "Missing input: ptr (form-encoded, e.g. ptr=mail.example.com).",
            &["ptr"],
            &[],
        )),
        PtrField::Unreadable => Err(invalid_input(
            format!(
                "The request body could not be read; send ptr=… as a form of at most {FORM_LIMIT} bytes."
            ),
            &[],
            &["ptr"],
        )),
    }
}

/// One `PUT`/`POST` and what stood before it, to turn its outcome into Robot's answer.
struct Write {
    ip: IpAddr,
    raw: String,
    /// The customer's own PTR in force before the write.
    in_force: Option<String>,
    mode: Mode,
}

impl Write {
    /// 201 when the IP had no PTR of the customer's own, else 200; the matching 500 code.
    fn status_and_failure(&self) -> (StatusCode, &'static str) {
        match self.in_force {
            Some(_) => (StatusCode::OK, "RDNS_UPDATE_FAILED"),
            None => (StatusCode::CREATED, "RDNS_CREATE_FAILED"),
        }
    }

    fn already_exists(&self) -> ApiError {
        ApiError::new(
            StatusCode::CONFLICT,
            "RDNS_ALREADY_EXISTS",
            format!(
                "{} already has an rDNS entry; use POST to change it.",
                self.ip
            ),
        )
    }

    fn canonical(&self, hostname: Option<&Hostname>) -> String {
        hostname.map_or_else(
            || self.raw.trim().to_owned(),
            |name| name.as_ascii().to_owned(),
        )
    }

    fn answer(self, outcome: Result<Submitted, SubmitError>) -> Result<HttpResponse, ApiError> {
        let (status, failed) = self.status_and_failure();
        match outcome {
            Ok(Submitted::Published {
                hostname, findings, ..
            }) => {
                let ptr = self.canonical(hostname.as_ref());
                Ok(written(status, self.ip, &ptr, "published", &findings))
            }
            Ok(Submitted::Pending { report, .. }) => {
                let ptr = self.canonical(report.hostname.as_ref());
                Ok(written(status, self.ip, &ptr, "pending", &report.findings))
            }
            Ok(Submitted::Unchanged) => {
                let ptr = self
                    .in_force
                    .clone()
                    .unwrap_or_else(|| self.canonical(None));
                Ok(written(status, self.ip, &ptr, "published", &[]))
            }
            Ok(Submitted::Rejected { report, .. }) => {
                let name = self.canonical(report.hostname.as_ref());
                let reason = first_error(&report.findings)
                    .map(|finding| format!(": {}", finding.message))
                    .unwrap_or_default();
                Err(
                    invalid_input(format!("{name} was not accepted{reason}"), &[], &["ptr"])
                        .with("state", json!("rejected"))
                        .with("findings", json!(report.findings)),
                )
            }
            Err(SubmitError::Syntax(err)) => {
                let finding = Finding::new(FindingId::Syntax, Severity::Error, err.to_string());
                Err(invalid_input(err.to_string(), &[], &["ptr"])
                    .with("findings", json!([finding])))
            }
            Err(SubmitError::Conflict { current: Some(_) }) if self.mode == Mode::Create => {
                Err(self.already_exists())
            }
            Err(SubmitError::Conflict { .. }) => Err(write_failed(
                failed,
                "Someone else changed this rDNS entry at the same moment; read it again and retry.",
                None::<()>,
            )),
            Err(SubmitError::NotOwned) => Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "IP_NOT_FOUND",
                format!("IP address {} not found.", self.ip),
            )),
            Err(SubmitError::Database(err)) => Err(write_failed(
                failed,
                "The rDNS entry could not be saved; nothing was changed. Try again.",
                Some(err),
            )),
        }
    }
}

async fn delete_ptr(
    state: &AppState,
    api: &ApiCustomer,
    ip_text: &str,
) -> Result<HttpResponse, ApiError> {
    let owned = owned(state, api, ip_text).await?;
    let request = ChangeRequest {
        owned,
        requested: Requested::Default,
        based_on_version: None,
        door: Door::Api,
        actor: api.actor.clone(),
    };
    let message = "The rDNS entry could not be deleted; nothing was changed. Try again.";
    match changes::submit(&state.db, &state.engine, request).await {
        Ok(Submitted::Published { .. } | Submitted::Unchanged) => Ok(HttpResponse::Ok().finish()),
        Ok(other) => Err(write_failed("RDNS_DELETE_FAILED", message, Some(other))),
        Err(SubmitError::NotOwned) => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "IP_NOT_FOUND",
            format!("IP address {} not found.", ip_text.trim()),
        )),
        Err(err) => Err(write_failed("RDNS_DELETE_FAILED", message, Some(err))),
    }
}

/// The customer's own address named in the path; anything else is `IP_NOT_FOUND`.
async fn owned(state: &AppState, api: &ApiCustomer, text: &str) -> Result<OwnedIp, ApiError> {
    let message = match crate::routes::ownership::owned(&state.db, api.customer_id, text).await? {
        Ok(owned) => return Ok(owned),
        Err(NotOwned::NotAnAddress) => {
            "IP address not found: the path does not name an IP address.".to_owned()
        }
        Err(NotOwned::NotTheirs(ip)) => format!("IP address {ip} not found."),
    };
    Err(ApiError::new(
        StatusCode::NOT_FOUND,
        "IP_NOT_FOUND",
        message,
    ))
}

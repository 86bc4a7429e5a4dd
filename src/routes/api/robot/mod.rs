//! The Robot-compatible rDNS API (`/rdns`, `/rdns/{ip}`), wire-identical to Hetzner Robot's
//! rDNS webservice, so existing Robot clients work by changing only their base URL.
//!
//! Policy, where Robot leaves room to decide (the README's Robot section lists every
//! difference a client can see):
//! - The IP in the path may be written in any textual form Rust's parser takes (IPv4 dotted
//!   quad without leading zeros; IPv6 compressed or not, any case, percent-encoded colons);
//!   answers show the canonical form (RFC 5952). Anything that is not an address, is not
//!   assigned, or is another customer's is the same 404 `IP_NOT_FOUND` (an IPv4-mapped IPv6
//!   address such as `::ffff:192.0.2.1` is not the IPv4 address: not found).
//! - `GET /rdns?server_ip=IP` lists the PTRs of the *server* holding IP (every assignment of
//!   that server, as Robot's `server_ip` names a server); an IP that is not the customer's,
//!   or not an address, lists nothing: 404 `NOT_FOUND`.
//! - "rdns entries" are the customer's own PTRs; provider defaults are not entries. A name is
//!   answered as the client sent it (case kept, one trailing dot stripped); DNS serves the
//!   canonical form, and a write equal but for case is unchanged.
//! - A requested change that waits for DNS (`pending`) is what `GET` answers for its address,
//!   with `"state": "pending"` and the findings beside `rdns`: a client that re-reads sees
//!   what it asked for. With `robot_pending = "refuse"` such a write is 400 `INVALID_INPUT`
//!   with the findings instead, and nothing is recorded.
//! - Every write goes through [`changes`] (door `api`). A write answers like Robot and adds
//!   `state` (`published`/`pending`) and `findings` beside `rdns`; a name the checks reject
//!   is 400 `INVALID_INPUT` with `invalid: ["ptr"]`, `findings` and, when the change was
//!   stored as rejected, `state: "rejected"` inside `error`.
//! - `DELETE`, and a write with an empty `ptr`, reset to the provider default and withdraw any
//!   request not yet in force. `DELETE` answers 200 with an empty body, or, when it withdrew a
//!   request, with `{"withdrawn": …}` saying which.
//! - `ptr` is read from the form body, else from the query string; form bodies are read
//!   whatever their content type (a body that is not a form is a form without `ptr`).
//! - Robot's `.yaml` suffix is not offered: 404 `NOT_FOUND` in JSON.

use super::{ApiCustomer, ApiError};
use crate::changes::{self, ChangeRequest, Requested, SubmitError, Submitted, WouldWait};
use crate::db::{self, inventory::OwnedIp};
use crate::domain::finding::{Finding, FindingId, Severity};
use crate::domain::{Door, Hostname, RobotPending, address_key};
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
pub mod paths;
use answers::*;

pub const FORM_LIMIT: usize = 4 * 1024;

/// The `ptr` field of a form body, else of the query string (`POST /rdns/IP?ptr=…`, as some
/// clients send it). Reading it never fails, so an unauthenticated request always gets its
/// 401 first.
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
        let in_query = query_field(req.query_string(), "ptr");
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
                .map(|(_, value)| value)
                .or(in_query)
                .map_or(PtrField::Missing, PtrField::Given))
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

/// Robot's `.yaml` suffix (`/rdns.yaml`, `/rdns/{ip}.yaml`): not offered, 404 in JSON.
pub async fn yaml_not_offered(api: ApiCustomer) -> Result<HttpResponse, ApiError> {
    with_rate(
        &api,
        Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "YAML answers (.yaml) are not offered here; leave off the suffix for JSON.",
        )),
    )
}

/// A method the path does not have: 405 in the Robot envelope, with `Allow`.
pub async fn unknown_method(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let allowed = if req.match_info().get("ip").is_some() {
        "GET, HEAD, PUT, POST, DELETE"
    } else {
        "GET, HEAD"
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
    let pending = db::changes::pending_of_customer(&state.db.pool, api.customer_id, within).await?;
    // A pending request is what its address answers (see the module documentation).
    let mut by_address: std::collections::BTreeMap<Vec<u8>, Value> = ptrs
        .iter()
        .map(|own| {
            (
                address_key(own.ip),
                json!({ "rdns": rdns(own.ip, &own.hostname) }),
            )
        })
        .collect();
    for waiting in &pending {
        by_address.insert(address_key(waiting.ip), pending_answer(waiting));
    }
    if by_address.is_empty() {
        return Err(no_entries());
    }
    Ok(HttpResponse::Ok().json(by_address.into_values().collect::<Vec<Value>>()))
}

async fn show_ptr(
    state: &AppState,
    api: &ApiCustomer,
    ip_text: &str,
) -> Result<HttpResponse, ApiError> {
    let ip = owned(state, api, ip_text).await?.ip();
    if let Some(waiting) = db::changes::pending_of(&state.db.pool, ip).await? {
        return Ok(HttpResponse::Ok().json(pending_answer(&waiting)));
    }
    let ptr = db::entries::own_ptr_as_sent(&state.db.pool, ip)
        .await?
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
    if raw.trim().is_empty() {
        // As the live Robot API does: an empty name is the provider default again.
        return reset_ptr(state, api, owned).await;
    }
    let current = db::entries::current(&state.db.pool, ip).await?;
    let version = current.as_ref().map_or(0, |entry| entry.version);
    let write = Write {
        ip,
        raw: raw.clone(),
        in_force: current.and_then(|entry| entry.hostname).is_some(),
        mode,
    };
    if mode == Mode::Create && write.in_force {
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
    match state.robot_pending {
        RobotPending::Accept => {
            write.answer(changes::submit(&state.db, &state.engine, request).await)
        }
        RobotPending::Refuse => {
            match changes::submit_unless_pending(&state.db, &state.engine, request).await {
                Ok(Err(WouldWait(report))) => Err(write.would_wait(&report.findings)),
                Ok(Ok(submitted)) => write.answer(Ok(submitted)),
                Err(err) => write.answer(Err(err)),
            }
        }
    }
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
    /// Whether the customer had a PTR of their own in force before the write.
    in_force: bool,
    mode: Mode,
}

impl Write {
    /// 201 when the IP had no PTR of the customer's own, else 200; the matching 500 code.
    fn status_and_failure(&self) -> (StatusCode, &'static str) {
        if self.in_force {
            (StatusCode::OK, "RDNS_UPDATE_FAILED")
        } else {
            (StatusCode::CREATED, "RDNS_CREATE_FAILED")
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

    /// The name as the client sent it: what every answer to this write shows.
    fn as_sent(&self) -> &str {
        Hostname::as_sent(&self.raw)
    }

    /// `robot_pending = "refuse"`: the name is not in force and would only wait for DNS.
    fn would_wait(&self, findings: &[Finding]) -> ApiError {
        let reason = findings
            .iter()
            .find(|finding| matches!(finding.severity, Severity::Error | Severity::Unverified))
            .map(|finding| format!(": {}", finding.message))
            .unwrap_or_default();
        invalid_input(
            format!(
                "{} was not accepted: DNS does not confirm it yet{reason} Nothing was changed; try again once DNS answers.",
                self.as_sent()
            ),
            &[],
            &["ptr"],
        )
        .with("findings", json!(findings))
    }

    fn answer(self, outcome: Result<Submitted, SubmitError>) -> Result<HttpResponse, ApiError> {
        let (status, failed) = self.status_and_failure();
        let ptr = self.as_sent();
        match outcome {
            Ok(Submitted::Published { findings, .. }) => {
                Ok(written(status, self.ip, ptr, "published", &findings))
            }
            Ok(Submitted::Pending { report, .. }) => {
                Ok(written(status, self.ip, ptr, "pending", &report.findings))
            }
            Ok(Submitted::Unchanged) => Ok(written(status, self.ip, ptr, "published", &[])),
            Ok(Submitted::Rejected { report, .. }) => {
                let reason = first_error(&report.findings)
                    .map(|finding| format!(": {}", finding.message))
                    .unwrap_or_default();
                Err(
                    invalid_input(format!("{ptr} was not accepted{reason}"), &[], &["ptr"])
                        .with("state", json!("rejected"))
                        .with("findings", json!(report.findings)),
                )
            }
            Err(SubmitError::Syntax(err)) => {
                let finding = Finding::said(FindingId::Syntax, Severity::Error, err.text());
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
            // The Robot API has no code for it; its clients read the message.
            Err(err @ SubmitError::Delegated { .. }) => Err(ApiError::new(
                StatusCode::CONFLICT,
                "CONFLICT",
                format!("IP address {}: {err}.", self.ip),
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
    let withdrawal = back_to_default(state, api, owned, "RDNS_DELETE_FAILED").await?;
    Ok(match withdrawal.withdrawn.last() {
        // Robot answers DELETE with no body; a withdrawn request is worth saying.
        None => HttpResponse::Ok().finish(),
        Some(change) => {
            HttpResponse::Ok().json(json!({ "withdrawn": withdrawn(withdrawal.ip, change) }))
        }
    })
}

/// A write with an empty `ptr`: the provider default, answered like a write of its name.
async fn reset_ptr(
    state: &AppState,
    api: &ApiCustomer,
    owned: OwnedIp,
) -> Result<HttpResponse, ApiError> {
    let ip = owned.ip();
    let withdrawal = back_to_default(state, api, owned, "RDNS_UPDATE_FAILED").await?;
    let mut body = json!({
        "rdns": { "ip": ip.to_string(), "ptr": state.defaults.for_ip(ip) },
        "state": "default",
        "findings": [],
    });
    if let Some(change) = withdrawal.withdrawn.last() {
        body["withdrawn"] = withdrawn(ip, change);
    }
    Ok(HttpResponse::Ok().json(body))
}

/// What [`back_to_default`] did, for the answer.
struct BackToDefault {
    ip: IpAddr,
    withdrawn: Vec<db::changes::Withdrawn>,
}

/// Resets `owned` to the provider default and withdraws its open requests; `failed` is the
/// Robot code of a failure.
async fn back_to_default(
    state: &AppState,
    api: &ApiCustomer,
    owned: OwnedIp,
    failed: &'static str,
) -> Result<BackToDefault, ApiError> {
    let ip = owned.ip();
    let request = ChangeRequest {
        owned,
        requested: Requested::Default,
        based_on_version: None,
        door: Door::Api,
        actor: api.actor.clone(),
    };
    let message = "The rDNS entry could not be reset; nothing was changed. Try again.";
    match changes::withdraw_and_reset(&state.db, &state.engine, request).await {
        Ok(
            done @ changes::Withdrawal {
                reset: Submitted::Published { .. } | Submitted::Unchanged,
                ..
            },
        ) => Ok(BackToDefault {
            ip,
            withdrawn: done.withdrawn,
        }),
        Ok(other) => Err(write_failed(failed, message, Some(other))),
        Err(SubmitError::NotOwned) => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "IP_NOT_FOUND",
            format!("IP address {ip} not found."),
        )),
        Err(err @ SubmitError::Delegated { .. }) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "CONFLICT",
            format!("IP address {ip}: {err}."),
        )),
        Err(err) => Err(write_failed(failed, message, Some(err))),
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

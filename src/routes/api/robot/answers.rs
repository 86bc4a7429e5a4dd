//! The JSON answers and errors of the Robot API, in Robot's exact shapes.

use super::{ApiCustomer, ApiError};
use crate::domain::finding::{Finding, Severity};
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde_json::{Value, json};
use std::fmt;
use std::net::IpAddr;

/// Robot's `rdns` object.
pub(super) fn rdns(ip: IpAddr, ptr: &str) -> Value {
    json!({ "ip": ip.to_string(), "ptr": ptr })
}

/// The answer to a write: Robot's `{"rdns": …}` plus our `state` and `findings` beside it.
pub(super) fn written(
    status: StatusCode,
    ip: IpAddr,
    ptr: &str,
    state: &str,
    findings: &[Finding],
) -> HttpResponse {
    HttpResponse::build(status).json(json!({
        "rdns": rdns(ip, ptr),
        "state": state,
        "findings": findings,
    }))
}

/// A pending request as `GET` answers it: Robot's `rdns` with the requested name, and our
/// `state` and `findings` beside it.
pub(super) fn pending_answer(waiting: &crate::db::changes::PendingName) -> Value {
    json!({
        "rdns": rdns(waiting.ip, &waiting.hostname),
        "state": "pending",
        "findings": waiting.findings,
    })
}

/// A withdrawn request, as `DELETE` (or an empty `ptr`) says it.
pub(super) fn withdrawn(ip: IpAddr, change: &crate::db::changes::Withdrawn) -> Value {
    let ptr = change
        .requested_as_sent
        .as_deref()
        .or(change.requested_hostname.as_deref());
    json!({ "ip": ip.to_string(), "ptr": ptr, "state": change.state.as_str() })
}

/// 400 `INVALID_INPUT` with Robot's `missing` and `invalid` arrays (both always present).
pub(super) fn invalid_input(
    message: impl Into<String>,
    missing: &[&str],
    invalid: &[&str],
) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "INVALID_INPUT", message)
        .with("missing", json!(missing))
        .with("invalid", json!(invalid))
}

/// A 500 with the operation's Robot code; the cause is logged with a request id, not shown.
pub(super) fn write_failed(
    code: &'static str,
    message: &str,
    cause: Option<impl fmt::Debug>,
) -> ApiError {
    let id = crate::token::random_token(8);
    match cause {
        Some(cause) => tracing::error!(request_id = %id, code, error = ?cause, "rDNS write failed"),
        None => tracing::warn!(request_id = %id, code, "rDNS write lost a race"),
    }
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        code,
        format!("{message} (request id {id})"),
    )
}

pub(super) fn first_error(findings: &[Finding]) -> Option<&Finding> {
    findings
        .iter()
        .find(|finding| finding.severity == Severity::Error)
}

/// The first value of `name` in a query string.
pub(super) fn query_field(query: &str, name: &str) -> Option<String> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    fields
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

/// Adds the credential's `RateLimit-*` headers to the answer, success or error.
pub(super) fn with_rate(
    api: &ApiCustomer,
    result: Result<HttpResponse, ApiError>,
) -> Result<HttpResponse, ApiError> {
    match result {
        Ok(mut response) => {
            for (name, value) in api.rate.headers() {
                if let (Ok(name), Ok(value)) = (
                    actix_web::http::header::HeaderName::from_bytes(name.as_bytes()),
                    actix_web::http::header::HeaderValue::from_str(&value),
                ) {
                    response.headers_mut().insert(name, value);
                }
            }
            Ok(response)
        }
        Err(mut error) => {
            error.headers.extend(api.rate.headers());
            Err(error)
        }
    }
}

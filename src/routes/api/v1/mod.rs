//! The native JSON API under `/api/v1`: list, read, set and reset the customer's PTRs with
//! the findings of every check, a dry-run check, bulk changes, and the OpenAPI document
//! (`static/openapi.json`, which describes every route and decision below).
//!
//! Policy:
//! - Basic auth with the customer's API credentials ([`ApiCustomer`]); every authenticated
//!   answer, errors included, carries `RateLimit-Limit`, `RateLimit-Remaining` and
//!   `RateLimit-Reset`. Errors use the Robot envelope ([`ApiError`]), unknown paths and
//!   methods too.
//! - An address that is not an address, not assigned, or another customer's is the same 404
//!   `IP_NOT_FOUND`, through every endpoint.
//! - Request bodies are JSON whatever their content type, read after authentication, so an
//!   unreadable body is a JSON 400 (413 when over the limit), never an HTML page.
//! - `If-Match: "<version>"` on `PUT`/`DELETE` refuses a change when the entry has moved on:
//!   412 `VERSION_MISMATCH`, naming the value in force. Every answer about one address has
//!   `ETag: "<version>"`.
//! - Every `message` is in the language of `Accept-Language` (English without it).

pub mod bulk;
pub mod check;
pub mod inventory;
pub mod ips;

use super::{ApiCustomer, ApiError, ApiStaff, RateState};
use crate::i18n;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde::de::DeserializeOwned;
use serde_json::json;
use std::future::Future;
use std::pin::Pin;

/// Largest body of a single-address request.
pub const BODY_LIMIT: usize = 16 * 1024;
/// Largest body of a bulk request: 10,000 changes of long names fit with room to spare.
pub const BULK_BODY_LIMIT: usize = 4 * 1024 * 1024;

/// The OpenAPI 3.1 document of this API.
const OPENAPI: &str = include_str!("../../../../static/openapi.json");

/// Adds the caller's rate-limit headers to an answer, success or error.
fn rated(
    rate: &RateState,
    answer: Result<HttpResponse, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let headers = rate.headers();
    match answer {
        Ok(mut response) => {
            for (name, value) in headers {
                if let (Ok(name), Ok(value)) =
                    (HeaderName::try_from(name), HeaderValue::try_from(value))
                {
                    response.headers_mut().insert(name, value);
                }
            }
            Ok(response)
        }
        Err(mut error) => {
            error.headers.extend(headers);
            Err(error)
        }
    }
}

/// A request body as read, never failing as an extractor: the handler turns a problem into
/// an [`ApiError`] after authentication, with the rate-limit headers.
pub struct Body(Result<web::Bytes, BodyProblem>);

enum BodyProblem {
    TooLarge,
    Unreadable,
}

impl FromRequest for Body {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Body, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            Ok(Body(body.await.map_err(|err| {
                if err.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
                    BodyProblem::TooLarge
                } else {
                    BodyProblem::Unreadable
                }
            })))
        })
    }
}

impl Body {
    /// The body as `T`: 413 `PAYLOAD_TOO_LARGE` over the limit, 400 `INVALID_INPUT` when it is
    /// not JSON of that shape (with `missing` for an absent field).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        let bytes = match &self.0 {
            Ok(bytes) => bytes,
            Err(BodyProblem::TooLarge) => {
                return Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "PAYLOAD_TOO_LARGE",
                    i18n::t("api-body-too-large"),
                ));
            }
            Err(BodyProblem::Unreadable) => {
                return Err(invalid_input(i18n::t("api-body-unreadable")));
            }
        };
        serde_json::from_slice(bytes).map_err(|err| {
            // serde's own words stay as data inside the sentence.
            let message = i18n::t_args("api-body-not-json", &[("detail", &err.to_string())]);
            match missing_field(&err.to_string()) {
                Some(field) => invalid_input(message).with("missing", json!([field])),
                None => invalid_input(message),
            }
        })
    }
}

/// The field named by serde's "missing field `x`" message.
fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    Some(rest[..rest.find('`')?].to_owned())
}

/// 400 `INVALID_INPUT`.
fn invalid_input(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "INVALID_INPUT", message)
}

/// 404 `IP_NOT_FOUND`: the one answer for unparsable, unassigned and other customers' IPs.
fn ip_not_found(text: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "IP_NOT_FOUND",
        i18n::t_args("api-ip-not-found", &[("ip", &text.trim())]),
    )
}

/// A query string an endpoint cannot read (`?dry_run=maybe`): 400 `INVALID_INPUT` in the
/// envelope, like every other error of this API.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|_, _| invalid_input(i18n::t("api-query-unreadable")).into())
}

/// `ETag: "<version>"`.
fn etag(version: i64) -> (&'static str, String) {
    ("ETag", format!("\"{version}\""))
}

/// `GET /api/v1/openapi.json`: the OpenAPI document; no authentication.
pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(OPENAPI)
}

/// Any other path under `/api/v1`: 404 in the envelope.
pub async fn unknown_path() -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        i18n::t("api-not-found"),
    ))
}

/// A method a path does not have: 405 in the envelope.
pub async fn unknown_method(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        i18n::t_args(
            "api-method-not-allowed",
            &[("method", &req.method().as_str()), ("path", &req.path())],
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_missing_field_is_read_from_serdes_message() {
        let err = serde_json::from_str::<check::CheckBody>("{\"ip\":\"192.0.2.1\"}")
            .expect_err("ptr is required");
        assert_eq!(missing_field(&err.to_string()).as_deref(), Some("ptr"));
        assert_eq!(missing_field("expected value at line 1 column 1"), None);
    }

    #[test]
    fn the_openapi_document_is_json() {
        let document: serde_json::Value = serde_json::from_str(OPENAPI).expect("valid JSON");
        assert!(
            document["openapi"]
                .as_str()
                .is_some_and(|v| v.starts_with("3.1"))
        );
    }
}

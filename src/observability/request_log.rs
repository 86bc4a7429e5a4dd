//! The request log: every HTTP request gets a short random id, kept in the request's
//! extensions, sent back in the `X-Request-Id` header and shown on the error page, and, when
//! it completes, exactly one log line with the method, the route pattern, the status, the
//! duration, the id and the client's address. The same id tags every log line written while
//! the request is handled (a `request` span), so a user who quotes it finds everything.
//!
//! Policy: the line names the route *pattern* (`/admin/review/{id}`), never headers, bodies
//! or query strings, so no secret a request carries reaches the log. Probes (`/livez`,
//! `/healthz`, `/metrics`) are logged at `debug`: a load balancer asking every second would
//! otherwise drown the lines a person reads.

use crate::observability::metrics;
use crate::request_id::RequestId;
use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::Method;
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use std::time::Instant;
use tracing::Instrument;

/// The response header that carries the request id.
pub const HEADER: &str = "x-request-id";

/// The route label of a request that matched no route.
const UNMATCHED: &str = "unmatched";

/// Routes asked by machines at a steady rate: logged at `debug`.
const PROBES: [&str; 3] = ["/livez", "/healthz", "/metrics"];

/// The middleware (`actix_web::middleware::from_fn`): id, span, metrics, header, log line.
pub async fn request_log(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let id = RequestId::random();
    req.extensions_mut().insert(id.clone());
    let method = req.method().clone();
    let client = crate::client_address::source_address(req.request());
    let span = tracing::info_span!("request", request_id = %id);
    // Inside the scope, so that an error page rendered for this request (by a handler, or
    // here for an error a middleware returned) shows this id.
    let answered = crate::request_id::scope(id.clone(), async move {
        next.call(req)
            .await
            .map_err(|err| (err.error_response(), err))
    });
    let completed = Completed {
        id: &id,
        method: &method,
        client: &client,
        started,
    };
    match answered.instrument(span).await {
        Ok(mut response) => {
            let route = response.request().match_pattern();
            completed.finish(route.as_deref(), response.status().as_u16());
            completed.tag(response.headers_mut());
            Ok(response)
        }
        // A middleware failed before any route answered (a handler's errors arrive as
        // responses): the page rendered above is what the client gets.
        Err((mut page, err)) => {
            completed.finish(None, page.status().as_u16());
            completed.tag(page.headers_mut());
            Err(InternalError::from_response(err, page).into())
        }
    }
}

/// What the log line and the metrics need of a request that has been answered.
struct Completed<'a> {
    id: &'a RequestId,
    method: &'a Method,
    client: &'a str,
    started: Instant,
}

impl Completed<'_> {
    /// Counts the request and writes its log line.
    fn finish(&self, route: Option<&str>, status: u16) {
        let took = self.started.elapsed();
        let route = route.unwrap_or(UNMATCHED);
        metrics::http_request(route, self.method.as_str(), status, took);
        let duration_ms = took.as_micros() as f64 / 1000.0;
        macro_rules! request_line {
            ($level:expr) => {
                tracing::event!(
                    target: "ptrdesk::request",
                    $level,
                    method = %self.method,
                    route = %route,
                    status,
                    duration_ms,
                    request_id = %self.id,
                    client = %self.client,
                    "request"
                )
            };
        }
        if PROBES.contains(&route) {
            request_line!(tracing::Level::DEBUG);
        } else {
            request_line!(tracing::Level::INFO);
        }
    }

    /// Adds the `X-Request-Id` header.
    fn tag(&self, headers: &mut HeaderMap) {
        if let Ok(value) = HeaderValue::from_str(self.id.as_str()) {
            headers.insert(HeaderName::from_static(HEADER), value);
        }
    }
}

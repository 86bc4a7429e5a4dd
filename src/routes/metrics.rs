//! `GET /metrics`: the Prometheus metrics (see [`crate::observability::metrics`]), for the
//! addresses of `metrics_allow` (loopback by default) and, when `metrics_token` is set, for
//! `Authorization: Bearer TOKEN` from anywhere. Anyone else gets a bare 403.

use crate::error::AppError;
use crate::observability::metrics;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use std::net::IpAddr;

/// `GET /metrics`
pub async fn metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let client = crate::client_address::source_address(&req)
        .parse::<IpAddr>()
        .ok();
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    if !state.metrics_access.permits(client, authorization) {
        return Ok(HttpResponse::Forbidden()
            .content_type("text/plain")
            .body("forbidden\n"));
    }
    // The other metrics are worth the most when the database is not answering.
    let changes = match crate::db::changes::count_by_state(&state.db.pool).await {
        Ok(changes) => Some(changes),
        Err(err) => {
            tracing::warn!(error = %err, "metrics: counting the changes failed");
            None
        }
    };
    let drifting = crate::db::drift::count(&state.db.pool).await;
    if let Err(err) = &drifting {
        tracing::warn!(error = %err, "metrics: counting the drifting entries failed");
    }
    metrics::entries_drifting(drifting.ok());
    let text = metrics::encode(changes.as_deref())
        .map_err(|_| anyhow::anyhow!("encoding the metrics failed"))?;
    Ok(HttpResponse::Ok()
        .content_type(metrics::CONTENT_TYPE)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(text))
}

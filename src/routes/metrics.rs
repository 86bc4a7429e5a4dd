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
    let store = state.dns_store.as_deref().map(|store| {
        let health = store.health();
        metrics::StoreGauges {
            entries: store.counts().0,
            generation: health.generation,
            reached_ago: health.last_reached.map(|ago| ago.as_secs_f64()),
            stale: health.stale,
            signed_zones: state
                .publishing
                .as_ref()
                .and_then(|publishing| publishing.dnssec.as_ref())
                .map(|keyring| keyring.zone_names().len()),
        }
    });
    let text = metrics::encode(changes.as_deref(), store)
        .map_err(|_| anyhow::anyhow!("encoding the metrics failed"))?;
    Ok(HttpResponse::Ok()
        .content_type(metrics::CONTENT_TYPE)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(text))
}

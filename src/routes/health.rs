//! Is this node alive, and is it well: `/livez` for "the process answers" (no database work,
//! so it stays cheap for load balancers and is the benchmarks' plain-text route), `/healthz`
//! for every part of the node (see [`crate::observability::health`]).

use crate::observability::health::{self, Status};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, web};

/// `GET /livez`: `ok`, as long as the process answers.
pub async fn livez() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body("ok\n")
}

/// `GET /healthz`: each part's health as JSON; 200 when none is failing, else 503.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let health = health::check(&state.db, state.dns_listener, state.dns_store.as_deref()).await;
    let mut reply = match health.status {
        Status::Failing => HttpResponse::ServiceUnavailable(),
        _ => HttpResponse::Ok(),
    };
    reply
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(health)
}

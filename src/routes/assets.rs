//! Static assets, compiled into the binary so a deployment is one file, and the health check.

use actix_web::{HttpResponse, http::header};

const STYLESHEET: &str = include_str!("../../static/ptrdesk.css");
const SCRIPT: &str = include_str!("../../static/ptrdesk.js");

/// `GET /static/ptrdesk.css`
pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(STYLESHEET)
}

/// `GET /static/ptrdesk.js`
pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(SCRIPT)
}

/// `GET /healthz`: the process answers.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok\n")
}

//! Static assets, compiled into the binary so a deployment is one file.

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

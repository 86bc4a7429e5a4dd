//! THE route table: every URL of ptrdesk, grouped by what protects it. Handlers are thin:
//! extract, parse, call the modules below `routes`, render or redirect.

pub mod api;
pub mod assets;
pub mod customer;
pub mod layout;
pub mod live_check;
pub mod sign_in;

use actix_web::web;

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg
        // Public.
        .route("/healthz", web::get().to(assets::healthz))
        .route("/static/ptrdesk.css", web::get().to(assets::stylesheet))
        .route("/static/ptrdesk.js", web::get().to(assets::script))
        .route("/login", web::get().to(sign_in::form))
        .route("/login", web::post().to(sign_in::submit))
        // Any signed-in user.
        .route("/", web::get().to(sign_in::home))
        .route("/logout", web::post().to(sign_in::logout))
        // Customers only (every other role gets 404).
        .route("/ips", web::get().to(customer::list))
        .route("/ptr/check", web::get().to(live_check::check))
        .route("/ptr/save", web::post().to(customer::save))
        .route("/ptr/reset", web::post().to(customer::reset))
        .route("/ptr/add", web::post().to(customer::add));
}

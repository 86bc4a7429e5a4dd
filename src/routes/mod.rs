//! THE route table: every URL of ptrdesk, grouped by what protects it. Handlers are thin:
//! extract, parse, call the modules below `routes`, render or redirect.

pub mod api;
pub mod assets;
pub mod bulk;
pub mod credentials;
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
        .route("/ptr/add", web::post().to(customer::add))
        // Bulk changes from pasted CSV (a larger body than other forms).
        .route("/bulk", web::get().to(bulk::form))
        .service(
            web::resource("/bulk/check")
                .app_data(web::PayloadConfig::new(bulk::FORM_LIMIT))
                .route(web::post().to(bulk::check)),
        )
        .service(
            web::resource("/bulk/apply")
                .app_data(web::PayloadConfig::new(bulk::FORM_LIMIT))
                .route(web::post().to(bulk::apply)),
        )
        // API credentials: the secret is shown once, on the answer to the create form.
        .route("/api-credentials", web::get().to(credentials::list))
        .route("/api-credentials", web::post().to(credentials::create))
        .route(
            "/api-credentials/{id}/revoke",
            web::post().to(credentials::revoke),
        )
        // Robot-compatible API: HTTP basic auth with a customer's API credentials
        // (`api::ApiCustomer`); every answer, errors and unknown paths included, is JSON.
        .service(
            web::scope("/rdns")
                .app_data(web::PayloadConfig::new(api::robot::FORM_LIMIT))
                .service(
                    web::resource("")
                        .route(web::get().to(api::robot::list))
                        .default_service(web::to(api::robot::unknown_method)),
                )
                .service(
                    web::resource("/{ip}")
                        .route(web::get().to(api::robot::show))
                        .route(web::put().to(api::robot::create))
                        .route(web::post().to(api::robot::create_or_update))
                        .route(web::delete().to(api::robot::delete))
                        .default_service(web::to(api::robot::unknown_method)),
                )
                .default_service(web::to(api::robot::unknown_path)),
        )
        // Native API: basic auth with a customer's API credentials (`api::ApiCustomer`), JSON
        // in and out, `RateLimit-*` headers on every authenticated answer; the OpenAPI
        // document needs no auth. Unknown paths and methods answer in the JSON envelope.
        .service(
            web::scope("/api/v1")
                .app_data(web::PayloadConfig::new(api::v1::BODY_LIMIT))
                .service(
                    web::resource("/openapi.json")
                        .route(web::get().to(api::v1::openapi))
                        .default_service(web::to(api::v1::unknown_method)),
                )
                .service(
                    web::resource("/ips")
                        .route(web::get().to(api::v1::ips::list))
                        .default_service(web::to(api::v1::unknown_method)),
                )
                .service(
                    web::resource("/ips/{ip}")
                        .route(web::get().to(api::v1::ips::show))
                        .route(web::put().to(api::v1::ips::set))
                        .route(web::delete().to(api::v1::ips::reset))
                        .default_service(web::to(api::v1::unknown_method)),
                )
                .service(
                    web::resource("/check")
                        .route(web::post().to(api::v1::check::check))
                        .default_service(web::to(api::v1::unknown_method)),
                )
                .service(
                    web::resource("/bulk")
                        .app_data(web::PayloadConfig::new(api::v1::BULK_BODY_LIMIT))
                        .route(web::post().to(api::v1::bulk::bulk))
                        .default_service(web::to(api::v1::unknown_method)),
                )
                .default_service(web::to(api::v1::unknown_path)),
        );
}

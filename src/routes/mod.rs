//! THE route table: every URL of ptrdesk, grouped by what protects it. Handlers are thin:
//! extract, parse, call the modules below `routes`, render or redirect.

pub mod admin;
pub mod api;
pub mod assets;
pub mod audit_log;
pub mod bulk;
pub mod credentials;
pub mod customer;
pub mod delegation;
pub mod drift;
pub mod health;
pub mod layout;
pub mod live_check;
pub mod locale;
pub mod lookup;
pub mod mail_readiness;
pub mod metrics;
pub mod notifications;
pub mod overview;
pub mod ownership;
pub mod preferences;
pub mod review;
pub mod same_origin;
pub mod second_factor;
pub mod sessions;
pub mod sign_in;

use crate::session::store::DbSessionStore;
use actix_session::SessionMiddleware;
use actix_web::web;

/// Registers every route; `sessions` wraps the pages of the panel only, so that assets,
/// health, metrics and the APIs (basic auth) never look up a session.
pub fn configure(cfg: &mut web::ServiceConfig, sessions: SessionMiddleware<DbSessionStore>) {
    cfg
        // Public.
        .route("/livez", web::get().to(health::livez))
        .route("/healthz", web::get().to(health::healthz))
        // Restricted by `metrics_allow` / `metrics_token`, not by a session.
        .route("/metrics", web::get().to(metrics::metrics))
        .route("/static/ptrdesk.css", web::get().to(assets::stylesheet))
        .route("/static/ptrdesk.js", web::get().to(assets::script));
    api(cfg);
    // The panel: every path the routes above did not take (unknown ones fall through to the
    // application's 404).
    cfg.service(
        web::scope("")
            .wrap(actix_web::middleware::from_fn(
                same_origin::refuse_other_sites,
            ))
            .wrap(sessions)
            .configure(panel),
    );
}

/// The pages of the panel: signed in through a session.
fn panel(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(sign_in::form))
        .route("/login/code", web::get().to(second_factor::code_form))
        .route("/login/code", web::post().to(second_factor::code_submit))
        .route("/login/enrol", web::get().to(second_factor::enrol_form))
        .route("/login/enrol", web::post().to(second_factor::enrol_submit))
        .route("/login/oidc", web::get().to(sign_in::oidc_start))
        .route(
            "/login/oidc/callback",
            web::get().to(sign_in::oidc_callback),
        )
        .route("/login", web::post().to(sign_in::submit))
        // Any signed-in user.
        .route("/", web::get().to(sign_in::home))
        .route("/logout", web::post().to(sign_in::logout))
        .route("/sessions", web::get().to(sessions::mine))
        .route(
            "/account/notifications",
            web::get().to(notifications::preferences),
        )
        .route(
            "/account/notifications",
            web::post().to(notifications::save_preferences),
        )
        .route("/account/preferences", web::get().to(preferences::page))
        .route("/account/preferences", web::post().to(preferences::save))
        .route(
            "/account/language",
            web::post().to(preferences::choose_language),
        )
        .route(
            "/mail/unsubscribe",
            web::get().to(notifications::unsubscribe),
        )
        .route("/sessions/end-others", web::post().to(sessions::end_others))
        .route("/sessions/{id}/end", web::post().to(sessions::end_mine))
        // Customers only (every other role gets 404).
        .route("/ips", web::get().to(customer::list))
        .route("/ptr/check", web::get().to(live_check::check))
        .route("/ips/{ip}/mail", web::get().to(mail_readiness::address))
        .route("/servers/{id}/mail", web::get().to(mail_readiness::server))
        .route("/ptr/save", web::post().to(customer::save))
        .route("/ptr/reset", web::post().to(customer::reset))
        .route("/ptr/add", web::post().to(customer::add))
        .route("/ptr/review", web::post().to(review::request_review))
        .route("/delegation", web::post().to(delegation::delegate))
        .route("/delegation/end", web::post().to(delegation::end))
        // Admins: the review queue (help-desk users get 403, customers 404).
        .route("/admin/review", web::get().to(review::queue))
        .route("/admin/review/{id}", web::get().to(review::detail))
        .route(
            "/admin/review/{id}/recheck",
            web::post().to(review::recheck),
        )
        .route(
            "/admin/review/{id}/approve",
            web::post().to(review::approve),
        )
        .route("/admin/review/{id}/deny", web::post().to(review::deny))
        // Long drift, a review item of its own (keep / ask / reset).
        .route(
            "/admin/review/drift/{ip}",
            web::get().to(review::drift::detail),
        )
        .route(
            "/admin/review/drift/{ip}/recheck",
            web::post().to(review::drift::recheck),
        )
        .route(
            "/admin/review/drift/{ip}/{decision}",
            web::post().to(review::drift::decide),
        )
        // Staff (admins and help-desk; customers 404): the read-only lookup and IP dossier.
        .route("/lookup", web::get().to(lookup::search))
        .route("/lookup/ip/{ip}", web::get().to(lookup::dossier))
        .route("/drift", web::get().to(drift::list))
        .route("/overview", web::get().to(overview::overview))
        // Admins (help-desk 403, customers 404): the audit log and its CSV export.
        .route("/admin/audit", web::get().to(audit_log::list))
        .route("/admin/audit.csv", web::get().to(audit_log::export))
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
        // Administration (admins; help-desk 403, customers 404): customers, users, servers
        // and assignments, CSV import.
        .route("/admin/customers", web::get().to(admin::customers::list))
        .route("/admin/customers", web::post().to(admin::customers::add))
        .route(
            "/admin/customers/{id}",
            web::get().to(admin::customers::show),
        )
        .route(
            "/admin/customers/{id}/rename",
            web::post().to(admin::customers::rename),
        )
        .route(
            "/admin/customers/{id}/servers",
            web::post().to(admin::assignments::add_server),
        )
        .route(
            "/admin/customers/{id}/assignments",
            web::post().to(admin::assignments::add),
        )
        .route(
            "/admin/assignments/{id}/move",
            web::post().to(admin::assignments::move_to),
        )
        .route(
            "/admin/assignments/{id}/remove",
            web::post().to(admin::assignments::remove),
        )
        .route(
            "/admin/assignments/{id}/delegation",
            web::post().to(admin::assignments::delegation),
        )
        .route(
            "/admin/credentials",
            web::get().to(admin::credentials::list),
        )
        .route(
            "/admin/credentials",
            web::post().to(admin::credentials::add),
        )
        .route(
            "/admin/credentials/{id}/revoke",
            web::post().to(admin::credentials::revoke),
        )
        .route("/admin/webhooks", web::get().to(admin::webhooks::list))
        .route("/admin/webhooks", web::post().to(admin::webhooks::add))
        .route(
            "/admin/webhooks/{id}/remove",
            web::post().to(admin::webhooks::remove),
        )
        .route(
            "/admin/webhooks/deliveries/{id}/resend",
            web::post().to(admin::webhooks::resend),
        )
        .route("/admin/mail", web::get().to(admin::mail::list))
        .route("/admin/mail/{id}/retry", web::post().to(admin::mail::retry))
        .route("/admin/dnssec", web::get().to(admin::dnssec::page))
        .route("/admin/policy", web::get().to(admin::policy::form))
        .route("/admin/policy", web::post().to(admin::policy::save))
        .route("/admin/users", web::get().to(admin::users::list))
        .route("/admin/users", web::post().to(admin::users::add))
        .route(
            "/admin/users/{id}/email",
            web::post().to(admin::users::set_email),
        )
        .route(
            "/admin/users/{id}/role",
            web::post().to(admin::users::change_role),
        )
        .route(
            "/admin/users/{id}/password",
            web::post().to(admin::users::reset_password),
        )
        .route(
            "/admin/users/{id}/two-factor/reset",
            web::post().to(admin::users::reset_two_factor),
        )
        .route(
            "/admin/users/{id}/disable",
            web::post().to(admin::users::disable),
        )
        .route(
            "/admin/users/{id}/enable",
            web::post().to(admin::users::enable),
        )
        .route(
            "/admin/users/{id}/sessions",
            web::get().to(sessions::of_user),
        )
        .route(
            "/admin/users/{id}/sessions/end",
            web::post().to(sessions::end_all_of_user),
        )
        .service(
            web::resource("/admin/import")
                .app_data(web::PayloadConfig::new(admin::import::FORM_LIMIT))
                .route(web::get().to(admin::import::form))
                .route(web::post().to(admin::import::submit)),
        );
}

/// The two APIs: HTTP basic auth with API credentials, no session.
fn api(cfg: &mut web::ServiceConfig) {
    cfg
        // Robot-compatible API: HTTP basic auth with a customer's API credentials
        // (`api::ApiCustomer`); every answer, errors and unknown paths included, is JSON.
        // Paths written another way (`//rdns/…`, `/RDNS/…`, `/rdns/`) are made canonical
        // before routing by `api::robot::paths::normalize`, wrapped around the whole app.
        .route("/rdns.yaml", web::to(api::robot::yaml_not_offered))
        .service(
            web::scope("/rdns")
                .app_data(web::PayloadConfig::new(api::robot::FORM_LIMIT))
                .service(
                    web::resource("")
                        .route(web::get().to(api::robot::list))
                        .route(web::head().to(api::robot::list))
                        .default_service(web::to(api::robot::unknown_method)),
                )
                .service(web::resource("/{file:[^/]+\\.yaml}").to(api::robot::yaml_not_offered))
                .service(
                    web::resource("/{ip}")
                        .route(web::get().to(api::robot::show))
                        .route(web::head().to(api::robot::show))
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
                .app_data(api::v1::query_config())
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
                    web::resource("/ips/{ip}/mail-readiness")
                        .route(web::get().to(api::v1::ips::mail_readiness))
                        .default_service(web::to(api::v1::unknown_method)),
                )
                .service(
                    web::resource("/check")
                        .route(web::post().to(api::v1::check::check))
                        .default_service(web::to(api::v1::unknown_method)),
                )
                .service(
                    web::resource("/inventory/customers/{number}/users")
                        .route(web::get().to(api::v1::inventory::users))
                        .route(web::post().to(api::v1::inventory::add_user))
                        .default_service(web::to(api::v1::unknown_method)),
                )
                .service(
                    web::resource("/inventory/customers/{number}")
                        .app_data(web::PayloadConfig::new(api::v1::BULK_BODY_LIMIT))
                        .route(web::get().to(api::v1::inventory::show))
                        .route(web::put().to(api::v1::inventory::put))
                        .route(web::delete().to(api::v1::inventory::cancel))
                        .default_service(web::to(api::v1::unknown_method)),
                )
                .service(
                    web::resource("/inventory")
                        .app_data(web::PayloadConfig::new(
                            api::v1::inventory::INVENTORY_BODY_LIMIT,
                        ))
                        .route(web::get().to(api::v1::inventory::show_all))
                        .route(web::put().to(api::v1::inventory::put_all))
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

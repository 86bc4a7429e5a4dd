//! Which language a request is answered in: chosen here from `Accept-Language` and the
//! configured default, and changed to the user's own setting once [`crate::auth::SignedIn`]
//! has loaded their account ([`crate::i18n::follow_user`]) (see [`crate::i18n`]). The Robot-compatible API ignores all of it:
//! its clients parse its English messages.

use crate::i18n::{self, Locale};
use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web;

/// Answers the request inside its locale.
pub async fn choose(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let default = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.default_locale.clone())
        .unwrap_or_else(Locale::english);
    // Robot paths are canonical here (`api::robot::paths::normalize` runs first).
    let locale = if req.path() == "/rdns"
        || req.path().starts_with("/rdns/")
        || req.path().starts_with("/rdns.")
    {
        Locale::english()
    } else {
        let accept = req
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok());
        Locale {
            language: i18n::negotiate(accept, &default.language),
            time_zone: default.time_zone,
        }
    };
    i18n::scope(locale, next.call(req)).await
}

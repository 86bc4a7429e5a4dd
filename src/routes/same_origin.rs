//! Where the panel is reached, and the refusal of forms sent from other sites.
//!
//! Policy: the panel's public address is `public_url` when configured; else the `Host` the
//! browser asked for, or the `X-Forwarded-Host`/`-Proto` of a trusted proxy (never of anyone
//! else: a client could name any site there). A state-changing request (not GET, HEAD or
//! OPTIONS) whose `Origin` — or, without one, `Referer` — names another host is refused with
//! 403 before any handler runs, in addition to the CSRF token every form carries.

use crate::client_address::TrustedProxies;
use crate::error::AppError;
use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, web};

/// The panel's address as its users reach it: `scheme://host[:port]`, no trailing slash.
pub fn public_origin(req: &HttpRequest) -> String {
    let state = req.app_data::<web::Data<AppState>>();
    if let Some(url) = state.and_then(|state| state.public_url.as_deref()) {
        return url.to_owned();
    }
    let from_trusted_proxy = req
        .app_data::<web::Data<TrustedProxies>>()
        .zip(req.peer_addr())
        .is_some_and(|(trusted, peer)| trusted.0.contains(peer.ip()));
    if from_trusted_proxy {
        let info = req.connection_info();
        return format!("{}://{}", info.scheme(), info.host());
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// The `host[:port]` part of an origin or URL, lower case; `None` when there is none.
fn authority(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    (!authority.is_empty()).then(|| authority.to_ascii_lowercase())
}

/// Whether `origin` (an `Origin` value or a `Referer` URL) names the panel's own host.
/// Schemes are not compared: behind a TLS-terminating proxy the panel may see `http` where
/// the browser says `https`.
fn is_own(origin: &str, own: &str) -> bool {
    matches!((authority(origin), authority(own)), (Some(theirs), Some(ours)) if theirs == ours)
}

/// Middleware: refuses a state-changing request sent from another site's page.
pub async fn refuse_other_sites(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.call(req).await;
    }
    let headers = req.headers();
    let sender = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .map(|value| value.to_str().unwrap_or("").to_owned());
    if let Some(sender) = sender {
        let own = public_origin(req.request());
        if !is_own(&sender, &own) {
            tracing::warn!(sender = %sender, own = %own, "form from another site refused");
            return Err(AppError::OtherSite.into());
        }
    }
    next.call(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_origin_matches_its_own_host_and_port_only() {
        let own = "http://127.0.0.1:8080";
        assert!(is_own("http://127.0.0.1:8080", own));
        assert!(is_own("https://127.0.0.1:8080", own), "scheme not compared");
        assert!(is_own("http://127.0.0.1:8080/ips?page=2", own), "a Referer");
        assert!(!is_own("http://127.0.0.1:9090", own), "another port");
        assert!(!is_own("https://evil.example", own));
        assert!(!is_own("http://127.0.0.1:8080.evil.example", own));
        assert!(!is_own("null", own), "an opaque origin");
        assert!(!is_own("", own));
    }
}

//! `GET /metrics`: the Prometheus metrics (see [`crate::observability::metrics`]), for the
//! addresses of `metrics_allow` (loopback by default) and, when `metrics_token` is set, for
//! `Authorization: Bearer TOKEN` from anywhere. Anyone else gets a bare 403.

use crate::client_address::AddressList;
use crate::error::AppError;
use crate::observability::metrics;
use crate::startup::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::{ExposeSecret, SecretString};
use std::net::IpAddr;

/// Who may read the metrics.
#[derive(Debug, Clone)]
pub struct MetricsAccess {
    allow: AddressList,
    /// The SHA-256 of the token, compared in constant time.
    token_hash: Option<String>,
}

impl MetricsAccess {
    /// Addresses in `allow`, and holders of `token` when one is set.
    pub fn new(allow: AddressList, token: Option<SecretString>) -> MetricsAccess {
        MetricsAccess {
            allow,
            token_hash: token.map(|token| crate::credentials::hash_secret(token.expose_secret())),
        }
    }

    /// Whether a request from `client` with this `Authorization` header may read them.
    pub fn permits(&self, client: Option<IpAddr>, authorization: Option<&str>) -> bool {
        if client.is_some_and(|ip| self.allow.contains(ip)) {
            return true;
        }
        let given = authorization.and_then(|value| value.strip_prefix("Bearer "));
        match (&self.token_hash, given) {
            (Some(hash), Some(given)) => crate::credentials::secret_matches(given.trim(), hash),
            _ => false,
        }
    }
}

/// `GET /metrics`
pub async fn metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let client = crate::auth::source_address(&req).parse::<IpAddr>().ok();
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
    let text = metrics::encode(changes.as_deref())
        .map_err(|_| anyhow::anyhow!("encoding the metrics failed"))?;
    Ok(HttpResponse::Ok()
        .content_type(metrics::CONTENT_TYPE)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(token: Option<&str>) -> MetricsAccess {
        let allow = AddressList::parse(&["127.0.0.0/8", "::1"]).expect("a list");
        MetricsAccess::new(allow, token.map(SecretString::from))
    }

    #[test]
    fn loopback_may_read_and_others_only_with_the_token() {
        let local: IpAddr = "127.0.0.2".parse().expect("an address");
        let remote: IpAddr = "192.0.2.7".parse().expect("an address");
        let mapped: IpAddr = "::ffff:127.0.0.1".parse().expect("an address");

        assert!(access(None).permits(Some(local), None));
        assert!(access(None).permits(Some(mapped), None));
        assert!(!access(None).permits(Some(remote), None));
        assert!(!access(None).permits(None, Some("Bearer anything")));
        let with_token = access(Some("s3cret-token"));
        assert!(with_token.permits(Some(remote), Some("Bearer s3cret-token")));
        assert!(!with_token.permits(Some(remote), Some("Bearer s3cret-tokeN")));
        assert!(!with_token.permits(Some(remote), Some("Basic s3cret-token")));
        assert!(!with_token.permits(Some(remote), None));
    }
}

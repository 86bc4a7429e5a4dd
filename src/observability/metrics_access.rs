//! Who may read `/metrics`: the addresses of `metrics_allow` (loopback by default) and, when
//! `metrics_token` is set, holders of that token from anywhere.

use crate::client_address::AddressList;
use crate::config::{ConfigError, Settings};
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

impl MetricsAccess {
    /// The access `settings` give (`metrics_allow`, `metrics_token`), checked.
    pub fn from_settings(settings: &Settings) -> Result<MetricsAccess, ConfigError> {
        let allow = AddressList::parse(&settings.metrics_allow)
            .map_err(|err| ConfigError::Invalid(format!("metrics_allow: {err}")))?;
        let token = match &settings.metrics_token {
            Some(token) if token.expose_secret().trim().is_empty() => {
                return Err(ConfigError::Invalid(
                    "metrics_token is empty; remove it or set a long random value".to_owned(),
                ));
            }
            Some(token) => Some(token.clone()),
            None => None,
        };
        Ok(MetricsAccess::new(allow, token))
    }
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

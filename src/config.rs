//! Settings: built-in defaults, then an optional TOML file, then `PTRDESK_…` environment
//! variables (`PTRDESK_DATABASE`, `PTRDESK_SESSION_KEY`, …, one per setting, upper case).
//!
//! Policy: no secret has a default. `serve` refuses to start without a session key; only the
//! demo makes one up.

use crate::domain::{DefaultNamePattern, DefaultNames};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;

/// Everything ptrdesk can be told, as read from file and environment.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Address the web panel listens on.
    pub listen: SocketAddr,
    /// `sqlite://FILE` (created on start) or `postgres://…`.
    pub database: String,
    /// Hex of at least 64 random bytes; signs and encrypts the session cookie.
    pub session_key: Option<SecretString>,
    /// Mark cookies `Secure`; set when the panel is reached over https.
    pub secure_cookies: bool,
    /// Pattern of the provider's default name for IPv4 addresses.
    pub default_name_v4: String,
    /// Pattern for IPv6 addresses; none by default (such addresses then have no PTR).
    pub default_name_v6: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: "sqlite://ptrdesk.sqlite".to_owned(),
            session_key: None,
            secure_cookies: false,
            default_name_v4: "static.{reversed}.clients.example.net".to_owned(),
            default_name_v6: None,
        }
    }
}

/// Why the settings cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read the configuration file {path}: {source}")]
    Read {
        /// Which file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file or an environment variable does not fit the settings.
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl Settings {
    /// Defaults, overridden by `file` (if given), overridden by `PTRDESK_…` variables.
    pub fn load(file: Option<&Path>) -> Result<Settings, ConfigError> {
        let mut table = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.display().to_string(),
                    source,
                })?;
                text.parse::<toml::Table>()
                    .map_err(|err| ConfigError::Invalid(format!("{}: {err}", path.display())))?
            }
            None => toml::Table::new(),
        };
        for (name, value) in std::env::vars() {
            if let Some(key) = name.strip_prefix("PTRDESK_") {
                let value = match value.as_str() {
                    "true" => toml::Value::Boolean(true),
                    "false" => toml::Value::Boolean(false),
                    _ => toml::Value::String(value),
                };
                table.insert(key.to_ascii_lowercase(), value);
            }
        }
        table
            .try_into()
            .map_err(|err: toml::de::Error| ConfigError::Invalid(err.message().to_owned()))
    }

    /// The default-name patterns, checked.
    pub fn default_names(&self) -> Result<DefaultNames, ConfigError> {
        let invalid =
            |err: crate::domain::default_name::PatternError| ConfigError::Invalid(err.to_string());
        let v4 = DefaultNamePattern::parse(
            &self.default_name_v4,
            IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)),
        )
        .map_err(invalid)?;
        let v6 = match &self.default_name_v6 {
            Some(pattern) => Some(
                DefaultNamePattern::parse(
                    pattern,
                    IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)),
                )
                .map_err(invalid)?,
            ),
            None => None,
        };
        Ok(DefaultNames { v4, v6 })
    }

    /// The session key as bytes; an error when it is missing or too short.
    pub fn session_key_bytes(&self) -> Result<Vec<u8>, ConfigError> {
        let key = self.session_key.as_ref().ok_or_else(|| {
            ConfigError::Invalid(
                "session_key is not set (PTRDESK_SESSION_KEY); generate one with `openssl rand -hex 64`"
                    .to_owned(),
            )
        })?;
        let bytes = hex::decode(key.expose_secret().trim())
            .map_err(|_| ConfigError::Invalid("session_key must be hex".to_owned()))?;
        if bytes.len() < 64 {
            return Err(ConfigError::Invalid(format!(
                "session_key has {} bytes; at least 64 are needed",
                bytes.len()
            )));
        }
        Ok(bytes)
    }
}

//! Structured logs with `tracing`, to standard error (standard output belongs to the
//! commands' own output). The level comes from `RUST_LOG`; by default `info`, with the DNS
//! server's per-question lines kept at `warn`.
//!
//! The format is the setting `log_format` (file or `PTRDESK_LOG_FORMAT`): `text` (the default,
//! one readable line per event) or `json` (one JSON object per line, for log shippers). The
//! commands that read a configuration file start logging once they have read it
//! ([`init_as`]), so that every line is in the configured format; the others use the
//! environment ([`init`]).
//!
//! Policy: no secret is ever logged. Passwords, session keys, cookies, API secrets and TSIG
//! keys live in `secrecy` types or never reach a log call; the request log
//! ([`crate::observability::request_log`]) names the route pattern, never headers or bodies.

pub use crate::config::LogFormat;
use tracing_subscriber::EnvFilter;

/// The environment variable that selects the log format.
pub const LOG_FORMAT_ENV: &str = "PTRDESK_LOG_FORMAT";

impl LogFormat {
    /// The format named by [`LOG_FORMAT_ENV`]; `text` when unset or not understood (the
    /// settings then refuse the value with a message, see [`crate::config::Settings::load`]).
    pub fn from_env() -> LogFormat {
        match std::env::var(LOG_FORMAT_ENV).as_deref() {
            Ok("json") => LogFormat::Json,
            _ => LogFormat::Text,
        }
    }
}

/// Installs the global subscriber once, in the format of [`LogFormat::from_env`]; later
/// calls (tests) are ignored.
pub fn init() {
    init_as(LogFormat::from_env());
}

/// Installs the global subscriber once, writing `format`; later calls are ignored.
pub fn init_as(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,hickory_server=warn"));
    // Colours only for a person at a terminal: escape codes in a file or a journal are noise
    // (and break `grep route=/login`).
    let colours = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colours)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

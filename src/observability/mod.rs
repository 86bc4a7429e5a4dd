//! Operating a node: is it healthy ([`health`], `/healthz`), what has it done ([`metrics`],
//! `/metrics`, readable as [`metrics_access`] allows), and one log line per HTTP request with an id the user can quote
//! ([`request_log`]). The log output itself is set up in [`crate::telemetry`].

pub mod health;
pub mod metrics;
pub mod metrics_access;
pub mod request_log;

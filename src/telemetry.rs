//! Structured logs with `tracing`, to standard error (standard output belongs to the
//! commands' own output). The level comes from `RUST_LOG`; by default `info`, with the DNS
//! server's per-question lines kept at `warn`.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls (tests) are ignored.
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,hickory_server=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

//! The integration suite: the real application on port 0 with a fresh SQLite file per test,
//! driven over HTTP like a browser (and the real binary for the command line).

mod administration;
mod api_credentials;
mod audit_log;
mod bulk;
#[cfg(feature = "measurements")]
mod bulk_contention;
mod change_states;
mod cli;
mod concurrency;
mod confusables;
mod demo;
mod dns_checks;
mod dns_hidden_primary;
mod dns_live_and_drift;
mod dns_server_answers;
mod escaping;
mod faults;
mod helpers;
mod jobs_across_nodes;
mod limits;
mod live_checks;
mod login;
mod lookup;
mod mail_banner;
mod native_api;
mod nodes;
mod observability;
mod oidc;
mod operator;
mod other_sites;
mod ownership;
mod panel;
mod policy;
mod provider_scale;
mod proxy;
mod public;
mod review;
mod robot_api;
mod robot_clients;
mod saving;
mod seed;
mod sessions;
mod shutdown;
mod two_factor;
mod zone_sync;

//! ptrdesk: a reverse-DNS control panel for hosting providers.
//!
//! Start reading at [`startup::Application`] (how the web app is assembled), then
//! [`routes`] (every URL), [`changes::submit`] (the one path that writes a PTR) and [`db`].

pub mod admin;
pub mod auth;
pub mod bulk;
pub mod changes;
pub mod checks;
pub mod cli;
pub mod client_address;
pub mod clock;
pub mod config;
pub mod credentials;
pub mod db;
pub mod demo;
pub mod dns;
pub mod domain;
pub mod error;
pub mod field_limits;
pub mod http_client;
pub mod i18n;
pub mod import;
pub mod ip_list;
pub mod jobs;
pub mod observability;
pub mod oidc;
pub mod outbox;
pub mod panel;
pub mod password;
pub mod rate_limit;
pub mod request_id;
pub mod reverify;
pub mod routes;
pub mod seed;
pub mod session;
pub mod shutdown;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod token;
pub mod two_factor;

//! ptrdesk: a reverse-DNS control panel for hosting providers.
//!
//! Start reading at [`startup::Application`] (how the web app is assembled), then
//! [`routes`] (every URL), [`changes::submit`] (the one path that writes a PTR) and [`db`].

pub mod auth;
pub mod bulk;
pub mod changes;
pub mod checks;
pub mod cli;
pub mod clock;
pub mod config;
pub mod credentials;
pub mod db;
pub mod demo;
pub mod dns;
pub mod domain;
pub mod error;
pub mod import;
pub mod ip_list;
pub mod jobs;
pub mod panel;
pub mod password;
pub mod routes;
pub mod session;
pub mod startup;
pub mod telemetry;

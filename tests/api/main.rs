//! The integration suite: the real application on port 0 with a fresh SQLite file per test,
//! driven over HTTP like a browser (and the real binary for the command line).

mod change_states;
mod cli;
mod dns_checks;
mod helpers;
mod live_checks;
mod login;
mod mail_banner;
mod nodes;
mod ownership;
mod panel;
mod public;
mod saving;

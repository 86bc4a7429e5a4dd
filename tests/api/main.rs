//! The integration suite: the real application on port 0 with a fresh SQLite file per test,
//! driven over HTTP like a browser (and the real binary for the command line).

mod cli;
mod helpers;
mod login;
mod ownership;
mod panel;
mod public;
mod saving;

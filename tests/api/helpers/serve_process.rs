//! The real `ptrdesk serve` binary as a child process, for what only a process can show:
//! signals (SIGTERM, SIGKILL), its exit status, its log. Its database is arranged like
//! `spawn_app`'s (the seed and the four users) by [`unserved_app`], with no panel of the test's
//! own serving it.

use super::{ADMIN, ALICE, ALICE_NUMBER, BOB, HELPDESK, SEED, TestApp};
use ptrdesk::config::Settings;
use ptrdesk::domain::Role;
use secrecy::{ExposeSecret, SecretString};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How long the process may take to start serving (a loaded machine, migrations).
const START_PATIENCE: Duration = Duration::from_secs(30);

/// A fresh database with the standard seed and users, and no panel serving it: the returned
/// app's `address` is empty until a [`ServeProcess`] serves it (set it to the process's).
pub async fn unserved_app() -> TestApp {
    let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
    let database_url = super::fresh_database(dir.path()).await;
    let settings = Settings {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        database: database_url.clone(),
        session_key: Some(SecretString::from(ptrdesk::token::random_token(64))),
        dns_checks: false,
        // Staff sign in with a password alone, as in the demo (see helpers::spawn_app_with).
        require_staff_2fa: false,
        ..Settings::default()
    };
    let db = ptrdesk::db::Db::connect(&database_url)
        .await
        .expect("the test database opens");
    let app = TestApp {
        address: String::new(),
        db,
        database_url,
        settings,
        dir,
    };
    app.import(SEED).await;
    app.add_user(ALICE, Role::Customer, Some(ALICE_NUMBER))
        .await;
    app.add_user(BOB, Role::Customer, Some("K2")).await;
    app.add_user(ADMIN, Role::Admin, None).await;
    app.add_user(HELPDESK, Role::HelpDesk, None).await;
    app
}

/// `ptrdesk serve` running as a child process until it exits or this is dropped (then it is
/// killed).
pub struct ServeProcess {
    pid: u32,
    /// `http://127.0.0.1:PORT`
    pub address: String,
    /// Where it listens.
    pub port: u16,
    log: watch::Receiver<String>,
    /// Set once standard error is closed: the log is complete.
    log_closed: watch::Receiver<bool>,
    exit: watch::Receiver<Option<ExitStatus>>,
}

impl ServeProcess {
    /// Starts `ptrdesk serve` on `app`'s database, on a free port of 127.0.0.1, with the
    /// defaults of `spawn_app` (DNS checks off) and `env` (`PTRDESK_…` settings) on top, and
    /// waits until it serves.
    pub async fn start(app: &TestApp, env: &[(&str, &str)]) -> ServeProcess {
        let mut command = super::ptrdesk_command();
        let session_key = app
            .settings
            .session_key
            .as_ref()
            .expect("the test settings have a session key")
            .expose_secret()
            .to_owned();
        command
            .arg("serve")
            .env("PTRDESK_DATABASE", &app.database_url)
            .env("PTRDESK_SESSION_KEY", session_key)
            .env("PTRDESK_LISTEN", "127.0.0.1:0")
            .env("PTRDESK_DNS_CHECKS", "false")
            .env("PTRDESK_REQUIRE_STAFF_2FA", "false")
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .current_dir(app.dir())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("the ptrdesk binary starts");
        let pid = child.id();
        let stderr = child.stderr.take().expect("a pipe from standard error");
        let (log_sender, log) = watch::channel(String::new());
        let (log_closer, log_closed) = watch::channel(false);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                log_sender.send_modify(|log| {
                    log.push_str(&line);
                    log.push('\n');
                });
            }
            log_closer.send_replace(true);
        });
        let (exit_sender, exit) = watch::channel(None);
        std::thread::spawn(move || {
            let status = child.wait().expect("the child is waited for");
            exit_sender.send_replace(Some(status));
        });
        let mut process = ServeProcess {
            pid,
            address: String::new(),
            port: 0,
            log,
            log_closed,
            exit,
        };
        let serving = process
            .wait_for_log("ptrdesk is serving", START_PATIENCE)
            .await;
        process.port =
            port_in(&serving).unwrap_or_else(|| panic!("no port in the log:\n{serving}"));
        process.address = format!("http://127.0.0.1:{}", process.port);
        process
    }

    /// Everything it logged so far.
    pub fn log(&self) -> String {
        self.log.borrow().clone()
    }

    /// Waits until its log contains `text` and returns the log; panics after `within`.
    pub async fn wait_for_log(&self, text: &str, within: Duration) -> String {
        let mut log = self.log.clone();
        match tokio::time::timeout(within, log.wait_for(|log| log.contains(text))).await {
            Ok(Ok(log)) => log.clone(),
            _ => panic!(
                "ptrdesk did not log {text:?} within {within:?}; its log:\n{}",
                self.log()
            ),
        }
    }

    /// Sends `signal` (`TERM`, `KILL`, …) with `kill(1)`.
    pub fn signal(&self, signal: &str) {
        let sent = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.pid.to_string())
            .status()
            .expect("kill runs");
        assert!(sent.success(), "kill -{signal} {} failed", self.pid);
    }

    /// Waits for the process to exit (and its log to be read to the end) and returns its
    /// status; panics after `within`.
    pub async fn exited_within(&self, within: Duration) -> ExitStatus {
        let (mut exit, mut log_closed) = (self.exit.clone(), self.log_closed.clone());
        let ended = async {
            let status = *exit.wait_for(Option::is_some).await.ok()?;
            log_closed.wait_for(|closed| *closed).await.ok()?;
            status
        };
        match tokio::time::timeout(within, ended).await {
            Ok(Some(status)) => status,
            _ => panic!(
                "ptrdesk did not exit within {within:?}; its log:\n{}",
                self.log()
            ),
        }
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        if self.exit.borrow().is_none() {
            let _ = Command::new("kill")
                .arg("-KILL")
                .arg(self.pid.to_string())
                .status();
        }
    }
}

/// The port in the text log line `… ptrdesk is serving port=PORT`.
fn port_in(log: &str) -> Option<u16> {
    let line = log
        .lines()
        .find(|line| line.contains("ptrdesk is serving"))?;
    let rest = &line[line.find("port=")? + "port=".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

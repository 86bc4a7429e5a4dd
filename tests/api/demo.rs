//! `ptrdesk demo`, run as the real binary on ports 0: it serves its own forward zones, so its
//! data shows every state without the internet.

use crate::helpers::{fresh_database, visitor_at};
use reqwest::StatusCode;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long the demo may take to seed and print its URL.
const STARTUP: Duration = Duration::from_secs(60);

/// The running demo, and the file its log goes to; killed when dropped, whatever the test's
/// outcome, and its log shown when the test failed.
pub(crate) struct Demo {
    child: Child,
    log: std::path::PathBuf,
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            eprintln!("the demo's log:\n{log}");
        }
    }
}

/// Starts `ptrdesk demo` on `database` with both listeners on port 0 and returns it with the
/// URL it prints once seeded.
pub(crate) fn start_demo(dir: &std::path::Path, database: &str) -> (Demo, String) {
    let log = dir.join("demo.log");
    let mut command = crate::helpers::ptrdesk_command();
    command
        .args([
            "demo",
            "--listen",
            "127.0.0.1:0",
            "--dns-listen",
            "127.0.0.1:0",
        ])
        .args(["--database", database])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).expect("the demo's log file"));
    let mut child = command.spawn().expect("the ptrdesk binary starts");
    let stdout = child.stdout.take().expect("a pipe from standard output");
    let demo = Demo { child, log };
    let (lines, printed) = mpsc::channel();
    std::thread::spawn(move || {
        // Keep reading after the test stops listening: a closed pipe would kill the demo at
        // its next line of output.
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let deadline = std::time::Instant::now() + STARTUP;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let line = printed
            .recv_timeout(left)
            .expect("the demo prints its URL in time");
        if let Some(url) = line.strip_prefix("ptrdesk demo: ") {
            return (demo, url.trim_end_matches('/').to_owned());
        }
    }
}

#[tokio::test]
async fn the_demo_shows_its_customer_a_change_in_every_state_without_the_internet() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let database = fresh_database(dir.path()).await;
    let path = dir.path().to_owned();
    let (_demo, url) = tokio::task::spawn_blocking(move || start_demo(&path, &database))
        .await
        .expect("the demo starts");

    let demo = visitor_at(&url);
    let signed_in = demo.login("demo", "demo").await;
    let page = demo.get("/ips").await.page();
    let text = page.text();

    assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "demo signs in");
    for shown in [
        "Pending",
        "Rejected",
        "In review",
        "Denied",
        // Pending: the name has no A record yet in the demo's own forward zone.
        "new.demo-hosting.net does not exist in DNS (NXDOMAIN)",
        // Unverified: the demo's DNS refuses .org.
        "answered REFUSED",
        // Rejected by DNS: a typo in the domain.
        "demo-hostng.net does not exist in DNS (NXDOMAIN)",
    ] {
        assert!(text.contains(shown), "{shown:?} is on the page: {text}");
    }
    let readiness = demo.get("/ips/198.51.100.17/mail").await.page().text();
    assert!(
        readiness.contains("Listed on dnsbl.demo-hosting.net")
            && readiness.contains("127.0.0.2 demo listing"),
        "mail readiness shows the demo blocklist's listing: {readiness}"
    );
    let published = page.row("203.0.113.45").expect("the row of 203.0.113.45");
    assert_eq!(
        published.value("hostname").as_deref(),
        Some("www.demo-hosting.net"),
        "published: www.demo-hosting.net has its A record in the demo's forward zone"
    );
}

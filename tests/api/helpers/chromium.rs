//! Real headless Chromium for the browser tests, driven over WebDriver: `Chromium::start()`
//! runs Debian's `chromedriver` on a port it picks itself, opens a session in a fresh profile,
//! and shuts both down when dropped. Nothing here downloads a browser: the test command
//! (`scripts/test.sh`) installs `chromium` and `chromium-driver` with apt.

use fantoccini::error::NewSessionError;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::ops::Deref;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tempfile::TempDir;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Headless as root, no traffic of its own, a fixed window (RECIPES, "Headless Chromium").
const FLAGS: [&str; 10] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--window-size=1280,900",
];

/// How long chromedriver and Chromium may take to come up; generous because the whole suite
/// runs in parallel on two cores. A session is usually up in about 1.5 s.
const STARTUP: Duration = Duration::from_secs(30);
/// How often a WebDriver connection is retried while chromedriver is starting.
const RETRY_EVERY: Duration = Duration::from_millis(100);
/// How long chromedriver may take to quit the browser and exit before it is killed.
const SHUTDOWN: Duration = Duration::from_secs(5);

/// How long [`eventually`] waits for the page to reach a state.
pub const PATIENCE: Duration = Duration::from_secs(10);
/// How often [`eventually`] looks at the page.
const POLL_EVERY: Duration = Duration::from_millis(50);

/// One headless Chromium with its own chromedriver and profile; derefs to the WebDriver
/// [`Client`].
pub struct Chromium {
    client: Client,
    driver: Child,
    port: u16,
    /// Chromium's profile and chromedriver's log; removed after the browser is gone.
    _dir: TempDir,
}

impl Chromium {
    /// Starts chromedriver and opens a browser session. Panics, saying how to install them,
    /// if Chromium or chromedriver is missing: a browser test never skips silently.
    pub async fn start() -> Chromium {
        for (path, package) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
            assert!(
                Path::new(path).exists(),
                "{path} is missing: the browser tests need Debian's `{package}`. \
                 Run scripts/test.sh (it installs chromium and chromium-driver with apt), \
                 or `apt-get install chromium chromium-driver`."
            );
        }
        let dir = tempfile::tempdir().expect("a temporary directory for the browser");
        let log = dir.path().join("chromedriver.log");
        // Port 0: chromedriver picks a free port and prints it, so no port is guessed. It
        // picks by binding and letting go, so another process may take the port in between
        // ("bind() failed: Address already in use"); then it exits and is started again.
        let mut attempt = 1;
        let (driver, port) = loop {
            let mut driver = Command::new(CHROMEDRIVER)
                .arg("--port=0")
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|err| panic!("{CHROMEDRIVER} does not start: {err}"));
            let stdout = driver
                .stdout
                .take()
                .expect("chromedriver's stdout is piped");
            // Waiting for the port blocks, so it happens off the runtime that serves the panel.
            let reported = tokio::task::spawn_blocking(move || reported_port(stdout))
                .await
                .expect("the wait for chromedriver's port does not panic");
            match reported {
                Ok(port) => break (driver, port),
                Err(problem) => {
                    let _ = driver.kill();
                    let _ = driver.wait();
                    let raced = tail(&log).contains("Address already in use");
                    if !raced || attempt == 3 {
                        panic!("{problem}\n{}", tail(&log));
                    }
                    attempt += 1;
                }
            }
        };
        let mut driver = driver;
        let profile = dir.path().join("profile");
        let mut args: Vec<String> = FLAGS.iter().map(|flag| (*flag).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let capabilities = json!({
            "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("the capabilities are a JSON object")
        };
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities);
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + STARTUP;
        let client = loop {
            match builder.connect(&url).await {
                Ok(client) => break client,
                // Not listening yet: try again shortly, within the deadline.
                Err(
                    NewSessionError::Failed(_)
                    | NewSessionError::FailedC(_)
                    | NewSessionError::Lost(_),
                ) if Instant::now() < deadline => tokio::time::sleep(RETRY_EVERY).await,
                Err(err) => {
                    request_shutdown(port);
                    stop(&mut driver);
                    panic!(
                        "no WebDriver session from chromedriver on {url}: {err}\n{}",
                        tail(&log)
                    );
                }
            }
        };
        Chromium {
            client,
            driver,
            port,
            _dir: dir,
        }
    }
}

impl Deref for Chromium {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

impl Drop for Chromium {
    /// `GET /shutdown` makes chromedriver quit Chromium and exit; killing chromedriver
    /// instead would leave Chromium running. It is killed only if it does not exit in time.
    fn drop(&mut self) {
        request_shutdown(self.port);
        stop(&mut self.driver);
    }
}

/// Reads chromedriver's stdout until it names its port ("… started successfully on port N."),
/// then keeps draining it on the same thread so chromedriver never blocks on a full pipe.
fn reported_port(stdout: impl Read + Send + 'static) -> Result<u16, String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut sender = Some(sender);
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(port) = line
                .split("on port ")
                .nth(1)
                .map(|rest| rest.trim_end_matches('.').trim())
                .and_then(|port| port.parse::<u16>().ok())
                .filter(|port| *port != 0)
                && let Some(sender) = sender.take()
            {
                let _ = sender.send(port);
            }
        }
    });
    receiver.recv_timeout(STARTUP).map_err(|err| match err {
        mpsc::RecvTimeoutError::Timeout => {
            format!("chromedriver did not report its port within {STARTUP:?}")
        }
        mpsc::RecvTimeoutError::Disconnected => {
            "chromedriver exited before it reported its port".to_owned()
        }
    })
}

/// Asks chromedriver to close its sessions and exit; best effort, for `Drop`.
fn request_shutdown(port: u16) {
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let Ok(mut stream) = TcpStream::connect_timeout(&address, SHUTDOWN) else {
        return;
    };
    let _ = stream.set_write_timeout(Some(SHUTDOWN));
    let _ = stream.set_read_timeout(Some(SHUTDOWN));
    let request =
        format!("GET /shutdown HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_ok() {
        // The answer comes once the browser is gone.
        let _ = stream.read_to_end(&mut Vec::new());
    }
}

/// Waits for chromedriver to exit, polling, and kills it when it is still there after
/// [`SHUTDOWN`].
fn stop(driver: &mut Child) {
    let deadline = Instant::now() + SHUTDOWN;
    while Instant::now() < deadline {
        match driver.try_wait() {
            Ok(Some(_)) | Err(_) => return,
            Ok(None) => std::thread::sleep(POLL_EVERY),
        }
    }
    let _ = driver.kill();
    let _ = driver.wait();
}

impl Chromium {
    /// Signs `person` in through the login form of the panel at `address` (its base URL) and
    /// waits until the browser has left the login page.
    pub async fn sign_in(&self, address: &str, person: super::Person) {
        use fantoccini::Locator;
        self.goto(&format!("{address}/login"))
            .await
            .expect("the login page opens");
        for (id, text) in [("username", person.username), ("password", person.password)] {
            self.find(Locator::Id(id))
                .await
                .expect("a sign-in field")
                .send_keys(text)
                .await
                .expect("the field is filled in");
        }
        self.find(Locator::XPath("//button[normalize-space()='Sign in']"))
            .await
            .expect("the Sign in button")
            .click()
            .await
            .expect("Sign in is clicked");
        eventually("the first page after signing in", async || {
            let url = self.current_url().await.map_err(|err| err.to_string())?;
            (!url.path().starts_with("/login"))
                .then_some(())
                .ok_or(url.to_string())
        })
        .await;
    }
}

/// The end of chromedriver's log, for a failure message.
fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(20);
    format!(
        "chromedriver's log ends with:\n{}",
        lines[start..].join("\n")
    )
}

/// Polls `probe` every 50 ms until it returns `Ok`, for at most [`PATIENCE`]; panics naming
/// `what` was awaited and the last thing `probe` saw.
pub async fn eventually<T, E: std::fmt::Debug>(
    what: &str,
    mut probe: impl AsyncFnMut() -> Result<T, E>,
) -> T {
    let deadline = Instant::now() + PATIENCE;
    loop {
        match probe().await {
            Ok(value) => return value,
            Err(seen) if Instant::now() >= deadline => {
                panic!("waited {PATIENCE:?} for {what}; the page shows {seen:?}")
            }
            Err(_) => tokio::time::sleep(POLL_EVERY).await,
        }
    }
}

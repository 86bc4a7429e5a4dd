//! Operating a node: `/livez`, `/healthz` part by part, the Prometheus metrics at `/metrics`
//! and who may read them, the request id of every response and of the error page, and the
//! real binary's request log, which must never carry a secret.

use crate::helpers::dns_app::*;
use crate::helpers::dns_server::DnsServer;
use crate::helpers::*;
use hickory_server::proto::op::ResponseCode;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

const LOOPBACK: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);
const ELSEWHERE: [u8; 4] = [127, 0, 0, 2];
const ALICE_ZONE: &str = "113.0.203.in-addr.arpa";

/// One plain answer: status, headers, body.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|value| value.to_str().expect("an ASCII header"))
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|err| panic!("JSON ({err}): {}", self.body))
    }

    /// The request id an error page shows.
    fn page_request_id(&self) -> String {
        let start = r#"<code class="request-id">"#;
        let from = self
            .body
            .find(start)
            .unwrap_or_else(|| panic!("the page shows a request id: {}", self.body))
            + start.len();
        let to = from
            + self.body[from..]
                .find("</code>")
                .expect("the end of the id");
        self.body[from..to].to_owned()
    }
}

fn client(source: Option<IpAddr>) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(source)
        .build()
        .expect("an HTTP client")
}

async fn answer(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("the panel answers");
    Answer {
        status: response.status(),
        headers: response.headers().clone(),
        body: response.text().await.expect("a text body"),
    }
}

async fn get(address: &str, path: &str) -> Answer {
    answer(client(None).get(format!("{address}{path}"))).await
}

/// The series of one scrape of `/metrics`, by their full name with labels.
struct Scrape {
    text: String,
    values: HashMap<String, f64>,
}

impl Scrape {
    fn parse(text: String) -> Scrape {
        let values = text
            .lines()
            .filter(|line| !line.starts_with('#') && !line.is_empty())
            .map(|line| {
                let (series, value) = line.rsplit_once(' ').expect("`series value`");
                (series.to_owned(), value.parse().expect("a number"))
            })
            .collect();
        Scrape { text, values }
    }

    /// The value of `series`; panics, showing the whole scrape, when it is missing.
    fn value(&self, series: &str) -> f64 {
        *self
            .values
            .get(series)
            .unwrap_or_else(|| panic!("{series} in\n{}", self.text))
    }

    fn has(&self, series: &str) -> bool {
        self.values.contains_key(series)
    }
}

async fn scrape(address: &str) -> Scrape {
    let reply = get(address, "/metrics").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        reply.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    Scrape::parse(reply.body)
}

#[tokio::test]
async fn livez_answers_ok_in_plain_text_even_without_the_database() {
    let app = spawn_app().await;
    app.db.pool.close().await;

    let reply = get(&app.address, "/livez").await;

    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("text/plain"));
    assert_eq!(reply.body, "ok\n");
}

#[tokio::test]
async fn healthz_names_every_part_and_dns_is_disabled_on_a_node_without_it() {
    let app = spawn_app().await;

    let reply = get(&app.address, "/healthz").await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        reply.json(),
        serde_json::json!({
            "status": "ok",
            "parts": {
                "process": {"status": "ok"},
                "database": {"status": "ok"},
                "dns_listener": {"status": "disabled"},
                "dns_store": {"status": "disabled"},
            }
        })
    );
}

#[tokio::test]
async fn healthz_asks_the_dns_listener_of_a_node_that_serves_dns() {
    let app = spawn_dns_app().await;

    let reply = get(&app.address, "/healthz").await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let health = reply.json();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["parts"]["database"]["status"], "ok");
    assert_eq!(
        health["parts"]["dns_listener"],
        serde_json::json!({"status": "ok", "address": app.dns.to_string()})
    );
    assert_eq!(health["parts"]["dns_store"]["status"], "ok");
}

#[tokio::test]
async fn healthz_is_503_naming_the_database_when_it_is_gone() {
    let app = spawn_app().await;
    app.db.pool.close().await;

    let reply = get(&app.address, "/healthz").await;

    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
    let health = reply.json();
    assert_eq!(health["status"], "failing");
    assert_eq!(health["parts"]["process"]["status"], "ok");
    assert_eq!(health["parts"]["database"]["status"], "failing");
    let reason = health["parts"]["database"]["reason"]
        .as_str()
        .expect("a reason");
    assert!(reason.contains("SELECT 1"), "{reason}");
    assert_eq!(health["parts"]["dns_listener"]["status"], "disabled");
}

#[tokio::test]
async fn a_dns_listener_that_does_not_answer_is_failing() {
    let app = spawn_app().await;
    let silent = DnsServer::silent().await;

    let health = ptrdesk::observability::health::check(&app.db, Some(silent.address), None).await;

    let json = serde_json::to_value(&health).expect("JSON");
    assert_eq!(json["status"], "failing", "{json}");
    assert_eq!(json["parts"]["database"]["status"], "ok");
    assert_eq!(json["parts"]["dns_listener"]["status"], "failing");
    let reason = json["parts"]["dns_listener"]["reason"]
        .as_str()
        .expect("a reason");
    assert!(reason.contains("did not answer"), "{reason}");
}

/// A loopback port free for both UDP and TCP, for a DNS listener of a child process.
fn free_dns_port() -> u16 {
    for _ in 0..50 {
        let udp = std::net::UdpSocket::bind("127.0.0.1:0").expect("a UDP socket");
        let port = udp.local_addr().expect("a bound socket").port();
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no loopback port free for both UDP and TCP");
}

#[tokio::test]
async fn metrics_count_requests_checks_dns_answers_transfers_notify_and_changes() {
    let secondary = DnsServer::answering(ResponseCode::NoError).await;
    let notify_to = secondary.address.to_string();
    // The metrics registry is the process's: this panel runs as a process of its own, so what
    // other tests of this test process do (under plain `cargo test`) is not counted here.
    let mut app = crate::helpers::serve_process::unserved_app().await;
    let dns = std::net::SocketAddr::from(([127, 0, 0, 1], free_dns_port()));
    let dns_listen = dns.to_string();
    let process = crate::helpers::serve_process::ServeProcess::start(
        &app,
        &[
            ("PTRDESK_DNS_LISTEN", dns_listen.as_str()),
            ("PTRDESK_DNS_SECONDARIES", notify_to.as_str()),
            ("PTRDESK_DNS_NOTIFY_POLL_MS", "20"),
        ],
    )
    .await;
    app.address = process.address.clone();
    let admin = app.signed_in(ADMIN).await;
    let alice = app.signed_in(ALICE).await;

    for _ in 0..2 {
        assert_eq!(get(&app.address, "/livez").await.status, StatusCode::OK);
    }
    let review = admin.get("/admin/review/424242").await;
    let saved = alice.save(ALICE_SINGLE, "www.alice-hosting.net").await;
    // `.test` is reserved: a `reserved-name` error, so the change is rejected.
    let rejected = alice.save(ALICE_V4_ADDRESSES[1], "mail.alice.test").await;
    let (code, _) = Asker::udp(dns).ptr(ALICE_SINGLE).await;
    assert_eq!(code, ResponseCode::NoError);
    Asker::tcp(dns, Some(LOOPBACK), None)
        .await
        .axfr(ALICE_ZONE)
        .await
        .expect("the secondary's address may transfer");
    let elsewhere = Asker::tcp(dns, Some(IpAddr::from(ELSEWHERE)), None)
        .await
        .axfr(ALICE_ZONE)
        .await;
    assert!(
        elsewhere.is_err(),
        "arranged: a transfer from elsewhere is refused"
    );
    let notified = format!(
        "ptrdesk_notify_attempts_total{{secondary=\"{}\",outcome=\"answered\"}}",
        secondary.address
    );
    wait_until(Duration::from_secs(10), "a NOTIFY is answered", || async {
        scrape(&app.address).await.has(&notified)
    })
    .await;

    let metrics = scrape(&app.address).await;

    assert_eq!(
        metrics.value(r#"ptrdesk_http_requests_total{route="/livez",method="GET",status="200"}"#),
        2.0
    );
    assert_eq!(
        metrics.value(r#"ptrdesk_http_request_duration_seconds_count{route="/livez"}"#),
        2.0
    );
    assert_eq!(
        metrics.value(&format!(
            r#"ptrdesk_http_requests_total{{route="/admin/review/{{id}}",method="GET",status="{}"}}"#,
            review.status.as_u16()
        )),
        1.0
    );
    assert!(
        !metrics.text.contains("424242"),
        "a raw path became a label: {}",
        metrics.text
    );
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(rejected.status, StatusCode::SEE_OTHER);
    assert_eq!(
        metrics.value(r#"ptrdesk_checks_total{kind="full",verdict="ok"}"#),
        1.0
    );
    assert_eq!(
        metrics.value(r#"ptrdesk_checks_total{kind="full",verdict="error"}"#),
        1.0
    );
    assert_eq!(
        metrics.value(r#"ptrdesk_check_findings_total{finding="reserved-name",severity="error"}"#),
        1.0
    );
    assert_eq!(
        metrics.value(r#"ptrdesk_dns_queries_total{qtype="PTR",rcode="NOERROR"}"#),
        1.0
    );
    assert_eq!(
        metrics.value(r#"ptrdesk_dns_queries_total{qtype="AXFR",rcode="REFUSED"}"#),
        1.0
    );
    assert_eq!(
        metrics.value(r#"ptrdesk_zone_transfers_total{kind="axfr",outcome="full"}"#),
        1.0
    );
    assert_eq!(
        metrics.value(r#"ptrdesk_zone_transfers_total{kind="axfr",outcome="refused"}"#),
        1.0
    );
    assert!(metrics.value(&notified) >= 1.0);
    assert_eq!(metrics.value(r#"ptrdesk_changes{state="published"}"#), 1.0);
    assert_eq!(metrics.value(r#"ptrdesk_changes{state="rejected"}"#), 1.0);
    assert_eq!(metrics.value(r#"ptrdesk_changes{state="in-review"}"#), 0.0);
}

#[tokio::test]
async fn metrics_are_refused_to_an_address_not_allowed_unless_it_brings_the_token() {
    const TOKEN: &str = "scrape-token-of-the-monitoring-host";
    let app = spawn_app_with(|settings| {
        settings.metrics_allow = vec!["127.0.0.1".to_owned()];
        settings.metrics_token = Some(secrecy::SecretString::from(TOKEN));
    })
    .await;
    let url = format!("{}/metrics", app.address);
    let elsewhere = client(Some(IpAddr::from(ELSEWHERE)));

    let allowed = get(&app.address, "/metrics").await;
    let refused = answer(elsewhere.get(&url)).await;
    let wrong_token = answer(elsewhere.get(&url).bearer_auth("scrape-token-guessed")).await;
    let with_token = answer(elsewhere.get(&url).bearer_auth(TOKEN)).await;

    assert_eq!(allowed.status, StatusCode::OK);
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.body, "forbidden\n");
    assert_eq!(wrong_token.status, StatusCode::FORBIDDEN);
    assert_eq!(wrong_token.body, "forbidden\n");
    assert_eq!(with_token.status, StatusCode::OK);
    assert!(
        with_token.body.contains("ptrdesk_http_requests_total{"),
        "{}",
        with_token.body
    );
}

#[tokio::test]
async fn every_answer_carries_its_own_request_id_and_a_404_page_shows_it() {
    let app = spawn_app().await;

    let first = get(&app.address, "/livez").await;
    let second = get(&app.address, "/livez").await;
    let missing = get(&app.address, "/no/such/page").await;

    let first = first.header("x-request-id").expect("an id").to_owned();
    let second = second.header("x-request-id").expect("an id").to_owned();
    assert_eq!(first.len(), 12, "{first}");
    assert!(first.chars().all(|c| c.is_ascii_hexdigit()), "{first}");
    assert_ne!(first, second);
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let header = missing.header("x-request-id").expect("an id");
    assert_eq!(missing.page_request_id(), header);
}

#[tokio::test]
async fn a_server_error_page_shows_the_request_id_of_its_response() {
    let app = spawn_app().await;
    let browser = client(None);
    let login = format!("{}/login", app.address);
    let form = answer(browser.get(&login)).await;
    let csrf = form_csrf(&form.body);
    app.db.pool.close().await;

    let failed = answer(browser.post(&login).form(&[
        ("csrf", csrf.as_str()),
        ("username", ALICE.username),
        ("password", ALICE.password),
    ]))
    .await;

    assert_eq!(
        failed.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        failed.body
    );
    assert!(
        failed.body.contains("Something went wrong"),
        "{}",
        failed.body
    );
    let header = failed.header("x-request-id").expect("an id");
    assert_eq!(failed.page_request_id(), header);
}

/// The CSRF token of the first form on a page.
fn form_csrf(html: &str) -> String {
    let start = r#"name="csrf" value=""#;
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("a form with a CSRF token: {html}"))
        + start.len();
    let to = from + html[from..].find('"').expect("the end of the token");
    html[from..to].to_owned()
}

mod real_binary {
    //! The real `ptrdesk serve` with `RUST_LOG=debug`: its standard error has one line per
    //! request and not one secret.

    use super::*;
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Child, Command, Stdio};
    use std::sync::mpsc;

    const PASSWORD: &str = "observability-password-typed-on-stdin";
    const ASSIGNMENTS: &str = "customer_number,customer_name,server,network\n\
                               K1,Alice Hosting GmbH,alice-web,203.0.113.45\n";

    /// Every secret the node knows in this test, by name.
    struct Secrets {
        session_key: String,
        tsig_setting: String,
        tsig_secret: String,
    }

    impl Secrets {
        fn new() -> Secrets {
            let tsig_secret = base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                ptrdesk::token::random_token(32).as_bytes(),
            );
            Secrets {
                session_key: ptrdesk::token::random_token(64),
                tsig_setting: format!("hmac-sha256:xfr-key:{tsig_secret}"),
                tsig_secret,
            }
        }
    }

    /// `ptrdesk` with a clean `PTRDESK_…` environment for this node.
    fn ptrdesk(database: &str, secrets: &Secrets, format: &str) -> Command {
        let mut command = crate::helpers::ptrdesk_command();
        command
            .env("RUST_LOG", "debug")
            .env("PTRDESK_LOG_FORMAT", format)
            .env("PTRDESK_DATABASE", database)
            .env("PTRDESK_LISTEN", "127.0.0.1:0")
            .env("PTRDESK_SESSION_KEY", &secrets.session_key)
            .env("PTRDESK_DNS_LISTEN", "127.0.0.1:0")
            .env("PTRDESK_DNS_TSIG_KEY", &secrets.tsig_setting)
            .env("PTRDESK_DNS_CHECKS", "false")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// Runs a command to its end with `stdin`; returns its standard error.
    fn run(mut command: Command, stdin: &str) -> String {
        let mut child = command.spawn().expect("the ptrdesk binary starts");
        child
            .stdin
            .take()
            .expect("a pipe to standard input")
            .write_all(stdin.as_bytes())
            .expect("standard input is written");
        let output = child.wait_with_output().expect("the ptrdesk binary ends");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stderr).into_owned()
    }

    /// `ptrdesk serve`, stopped when dropped.
    struct Serving {
        child: Child,
        lines: mpsc::Receiver<String>,
        reader: Option<std::thread::JoinHandle<()>>,
        log: Vec<String>,
    }

    impl Serving {
        /// Starts `command` (a `ptrdesk serve …`).
        fn start(mut command: Command) -> Serving {
            let mut child = command.spawn().expect("ptrdesk serve starts");
            let stderr = child.stderr.take().expect("a pipe from standard error");
            let (send, lines) = mpsc::channel();
            let reader = std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    if send.send(line).is_err() {
                        break;
                    }
                }
            });
            Serving {
                child,
                lines,
                reader: Some(reader),
                log: Vec::new(),
            }
        }

        /// Reads the log until the line that says the panel serves; returns its port.
        fn port(&mut self) -> u16 {
            loop {
                let line = self
                    .lines
                    .recv_timeout(Duration::from_secs(60))
                    .unwrap_or_else(|_| {
                        panic!("no `ptrdesk is serving` in\n{}", self.log.join("\n"))
                    });
                self.log.push(line.clone());
                if line.contains("ptrdesk is serving") {
                    return number_after(&line, "port").expect("the line names the port");
                }
            }
        }

        /// Stops the process and returns everything it wrote to standard error.
        fn stop(mut self) -> Vec<String> {
            // An error here means it had ended by itself already.
            let _ = self.child.kill();
            self.child.wait().expect("ptrdesk serve is reaped");
            if let Some(reader) = self.reader.take() {
                reader.join().expect("the log reader ends");
            }
            let mut log = std::mem::take(&mut self.log);
            log.extend(self.lines.try_iter());
            log
        }
    }

    impl Drop for Serving {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// The number after `key=` (text) or `"key":` (JSON) in a log line.
    fn number_after(line: &str, key: &str) -> Option<u16> {
        let at = [format!("{key}="), format!("\"{key}\":")]
            .iter()
            .find_map(|prefix| line.find(prefix.as_str()).map(|at| at + prefix.len()))?;
        let digits: String = line[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    }

    /// One request log line, as either format writes it.
    #[derive(Debug)]
    struct RequestLine {
        level: String,
        route: String,
        status: u64,
        request_id: String,
    }

    fn request_lines(log: &[String], format: &str) -> Vec<RequestLine> {
        log.iter()
            .filter_map(|line| {
                if format == "json" {
                    let json: Value = serde_json::from_str(line)
                        .unwrap_or_else(|err| panic!("a JSON log line ({err}): {line}"));
                    let fields = &json["fields"];
                    (json["target"] == "ptrdesk::request").then(|| RequestLine {
                        level: json["level"].as_str().unwrap_or_default().to_owned(),
                        route: fields["route"].as_str().unwrap_or_default().to_owned(),
                        status: fields["status"].as_u64().unwrap_or_default(),
                        request_id: fields["request_id"].as_str().unwrap_or_default().to_owned(),
                    })
                } else {
                    line.contains(" ptrdesk::request: ").then(|| {
                        let field = |name: &str| {
                            let start = format!(" {name}=");
                            line.find(&start)
                                .map(|at| {
                                    line[at + start.len()..]
                                        .split(' ')
                                        .next()
                                        .unwrap_or_default()
                                        .to_owned()
                                })
                                .unwrap_or_default()
                        };
                        RequestLine {
                            level: ["DEBUG", "INFO", "WARN", "ERROR"]
                                .into_iter()
                                .find(|level| line.contains(level))
                                .unwrap_or_default()
                                .to_owned(),
                            route: field("route"),
                            status: field("status").parse().unwrap_or_default(),
                            request_id: field("request_id"),
                        }
                    })
                }
            })
            .collect()
    }

    async fn serve_sign_in_and_call_the_api_without_logging_a_secret(format: &str) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let database = fresh_database(dir.path()).await;
        let secrets = Secrets::new();
        let csv = dir.path().join("assignments.csv");
        std::fs::write(&csv, ASSIGNMENTS).expect("the CSV file is written");
        let mut command_log = run(
            {
                let mut command = ptrdesk(&database, &secrets, format);
                command.args(["import", "assignments"]).arg(&csv);
                command
            },
            "",
        );
        command_log += &run(
            {
                let mut command = ptrdesk(&database, &secrets, format);
                command.args([
                    "user",
                    "add",
                    "alice",
                    "--role",
                    "customer",
                    "--customer",
                    "K1",
                    "--password-stdin",
                ]);
                command
            },
            &format!("{PASSWORD}\n"),
        );
        let mut command = ptrdesk(&database, &secrets, format);
        command.arg("serve");
        let mut serving = Serving::start(command);
        let address = format!("http://127.0.0.1:{}", serving.port());

        let browser = visitor_at(&address);
        let signed_in = browser.login("alice", PASSWORD).await;
        assert_eq!(
            signed_in.status,
            StatusCode::SEE_OTHER,
            "{}",
            signed_in.body
        );
        let cookie = signed_in
            .session_cookie()
            .expect("a session cookie")
            .trim_start_matches("ptrdesk_session=")
            .split(';')
            .next()
            .expect("a value")
            .to_owned();
        let created = browser
            .post_form("/api-credentials", &[("label", "log test")])
            .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let between = |start: &str, end: &str| {
            let from = created.body.find(start).expect("the page shows it") + start.len();
            let to = from + created.body[from..].find(end).expect("its end");
            created.body[from..to].to_owned()
        };
        let username = between(r#"<code class="credential-username">"#, "</code>");
        let secret = between(r#"class="secret" value=""#, "\"");
        let api = answer(
            client(None)
                .post(format!("{address}/rdns/203.0.113.45"))
                .basic_auth(&username, Some(&secret))
                .form(&[("ptr", "www.alice-hosting.net")]),
        )
        .await;
        assert_eq!(api.status, StatusCode::CREATED, "{}", api.body);
        let missing = get(&address, "/no/such/page").await;
        let missing_id = missing.header("x-request-id").expect("an id").to_owned();
        assert_eq!(get(&address, "/livez").await.status, StatusCode::OK);
        let log = serving.stop();

        let everything = format!("{command_log}\n{}", log.join("\n"));
        let basic_auth = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            format!("{username}:{secret}"),
        );
        for (what, value) in [
            ("the password", PASSWORD),
            ("the session key", secrets.session_key.as_str()),
            ("the session cookie", cookie.as_str()),
            ("the API secret", secret.as_str()),
            ("the API basic-auth header", basic_auth.as_str()),
            ("the TSIG key", secrets.tsig_setting.as_str()),
            ("the TSIG secret", secrets.tsig_secret.as_str()),
        ] {
            assert!(value.len() >= 16, "arranged: {what} is long enough to find");
            assert!(
                !everything.contains(value),
                "{what} is in the log:\n{everything}"
            );
        }
        let lines = request_lines(&log, format);
        let seen = |route: &str, status: u64, level: &str| {
            lines
                .iter()
                .any(|line| line.route == route && line.status == status && line.level == level)
        };
        assert!(seen("/login", 303, "INFO"), "{lines:#?}");
        assert!(seen("/api-credentials", 200, "INFO"), "{lines:#?}");
        assert!(seen("/rdns/{ip}", 201, "INFO"), "{lines:#?}");
        assert!(seen("/livez", 200, "DEBUG"), "{lines:#?}");
        let missing_line = lines
            .iter()
            .find(|line| line.request_id == missing_id)
            .unwrap_or_else(|| panic!("a line with the 404's id {missing_id}: {lines:#?}"));
        assert_eq!(missing_line.status, 404);
        assert_eq!(missing_line.route, "unmatched");
    }

    /// `ptrdesk serve --config FILE` with `toml` in the file: it must refuse to start;
    /// returns what it said.
    async fn serve_refuses(toml: &str) -> String {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let database = fresh_database(dir.path()).await;
        let file = dir.path().join("ptrdesk.toml");
        std::fs::write(&file, toml).expect("the configuration is written");
        let mut command = ptrdesk(&database, &Secrets::new(), "text");
        command.arg("serve").arg("--config").arg(&file);
        let mut serving = Serving::start(command);
        // A node that accepted the file would serve until stopped: wait for it to end, boundedly.
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = serving.child.try_wait().expect("the process can be asked") {
                break status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "ptrdesk serve started with {toml:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        assert!(!status.success(), "{status:?}");
        serving.stop().join("\n")
    }

    // `log_format = "json"` in the file is taken: operator::log_format_json_in_the_file_….

    #[tokio::test]
    async fn a_metrics_allow_entry_that_is_no_address_is_refused_by_name() {
        let said = serve_refuses("metrics_allow = [\"127.0.0.1\", \"monitoring-host\"]\n").await;

        assert!(said.contains("metrics_allow"), "{said}");
        assert!(said.contains("monitoring-host"), "{said}");
    }

    #[tokio::test]
    async fn text_logs_have_a_line_per_request_and_no_secret() {
        serve_sign_in_and_call_the_api_without_logging_a_secret("text").await;
    }

    #[tokio::test]
    async fn json_logs_have_a_line_per_request_and_no_secret() {
        serve_sign_in_and_call_the_api_without_logging_a_secret("json").await;
    }
}

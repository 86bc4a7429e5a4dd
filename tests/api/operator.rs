//! An operator's first hour: the real `ptrdesk` binary started as the README says, with
//! what goes wrong on the way (a missing directory, a database it cannot write, a URL of
//! another engine, an address in use) said so that the operator knows what to do.

use crate::helpers::{ALICE, ALICE_NUMBER, ALICE_SINGLE, HELPDESK, collapse, spawn_app};
use reqwest::StatusCode;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Duration;

/// Runs `ptrdesk ARGS` with `env` and waits for it to end.
async fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = crate::helpers::ptrdesk_command();
    command
        .args(args)
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .stdin(Stdio::null());
    tokio::task::spawn_blocking(move || command.output().expect("the ptrdesk binary runs"))
        .await
        .expect("the command runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Starts `ptrdesk ARGS`, reads its standard error until a line contains `until` (or it
/// ends), kills it and returns what it logged.
async fn log_until(dir: &Path, args: &[&str], env: &[(&str, &str)], until: &str) -> String {
    let mut command = crate::helpers::ptrdesk_command();
    command
        .args(args)
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let until = until.to_owned();
    let reading = tokio::task::spawn_blocking(move || {
        let mut child = command.spawn().expect("the ptrdesk binary starts");
        let stderr = child.stderr.take().expect("a pipe from standard error");
        let mut log = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            log.push_str(&line);
            log.push('\n');
            if line.contains(&until) {
                break;
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        log
    });
    tokio::time::timeout(Duration::from_secs(60), reading)
        .await
        .expect("ptrdesk logs within a minute")
        .expect("the log is read")
}

fn session_key() -> String {
    ptrdesk::token::random_token(64)
}

#[tokio::test]
async fn import_before_the_first_serve_creates_the_databases_directory() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("assignments.csv");
    std::fs::write(
        &file,
        "customer_number,customer_name,server,network\nK10001,Demo Hosting GmbH,web-1,203.0.113.45\n",
    )
    .expect("the CSV file");
    let database = dir.path().join("var/lib/ptrdesk/ptrdesk.sqlite");
    let url = format!("sqlite://{}", database.display());

    let output = run(
        dir.path(),
        &["import", "assignments", "assignments.csv"],
        &[("PTRDESK_DATABASE", &url)],
    )
    .await;

    assert!(output.status.success(), "{}", stderr(&output));
    assert!(database.is_file(), "the database file is created");
}

#[tokio::test]
async fn a_database_url_of_another_engine_is_refused_with_the_list_of_those_taken() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for url in [
        "mysql://root:s3cret@db.internal/ptrdesk",
        "postgress://ptrdesk:s3cret@127.0.0.1/ptrdesk",
    ] {
        let output = run(dir.path(), &["user", "list"], &[("PTRDESK_DATABASE", url)]).await;

        let message = stderr(&output);
        assert!(!output.status.success(), "{url} was taken");
        for named in ["sqlite://FILE", "postgres://", "postgresql://"] {
            assert!(message.contains(named), "{named} in {message}");
        }
        assert!(
            !message.contains("s3cret"),
            "the password is shown: {message}"
        );
        assert!(message.contains("@"), "the URL is named: {message}");
    }
    assert_eq!(
        std::fs::read_dir(dir.path())
            .expect("the directory")
            .count(),
        0,
        "no file was created for the URL"
    );
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_named_at_once() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("notes.sqlite");
    std::fs::write(&file, "shopping list\n".repeat(100)).expect("a file");
    let url = format!("sqlite://{}", file.display());
    let started = std::time::Instant::now();

    let output = run(dir.path(), &["user", "list"], &[("PTRDESK_DATABASE", &url)]).await;

    let message = stderr(&output);
    assert!(!output.status.success());
    assert!(message.contains(&url), "{message}");
    assert!(message.contains("is not an SQLite database"), "{message}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "no retries for 5 s"
    );
}

/// Whether this process runs as root (the tests that act as another user need it).
fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

#[tokio::test]
async fn serve_refuses_a_database_file_it_may_read_but_not_write() {
    // The test command runs as root (it installs packages with apt); a test that would check
    // nothing must not pass.
    assert!(
        is_root(),
        "acting as the user nobody needs root: run the suite as root (scripts/test.sh)"
    );
    // As the issue found it: root ran `import`, the service runs as another user.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("ptrdesk.sqlite");
    let url = format!("sqlite://{}", file.display());
    let created = run(dir.path(), &["user", "list"], &[("PTRDESK_DATABASE", &url)]).await;
    assert!(created.status.success(), "{}", stderr(&created));
    let mode = std::os::unix::fs::PermissionsExt::from_mode(0o755);
    std::fs::set_permissions(dir.path(), mode).expect("the directory is readable");
    let key = session_key();
    let mut command = std::process::Command::new("runuser");
    command
        .args(["-u", "nobody", "--", env!("CARGO_BIN_EXE_ptrdesk"), "serve"])
        .env_clear()
        .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
        .env("PTRDESK_DATABASE", &url)
        .env("PTRDESK_SESSION_KEY", &key)
        .env("PTRDESK_LISTEN", "127.0.0.1:0")
        // Whatever happens, it asks no name server outside loopback.
        .env("PTRDESK_DNS_CHECKS", "false")
        .current_dir(dir.path());

    let output = tokio::task::spawn_blocking(move || command.output().expect("runuser runs"))
        .await
        .expect("the command runs");

    let message = stderr(&output);
    assert!(!output.status.success(), "it started: {message}");
    assert!(!message.contains("ptrdesk is serving"), "{message}");
    assert!(message.contains("can be read but not written"), "{message}");
    assert!(message.contains(&url), "the URL is named: {message}");
    assert!(message.contains("chown"), "it says what to do: {message}");
}

#[tokio::test]
async fn serve_refuses_a_database_opened_read_only() {
    let app = spawn_app().await;
    let url = if app.database_url.starts_with("postgres") {
        sqlx::query("SELECT 1 AS ok")
            .execute(&app.db.pool)
            .await
            .ok();
        let name = app
            .database_url
            .rsplit('/')
            .next()
            .expect("a database name");
        let statement = format!("ALTER DATABASE {name} SET default_transaction_read_only = on");
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
            .execute(&app.db.pool)
            .await
            .expect("the database is made read-only");
        app.database_url.clone()
    } else {
        format!("{}?mode=ro", app.database_url)
    };

    let output = run(app.dir(), &["user", "list"], &[("PTRDESK_DATABASE", &url)]).await;

    let message = stderr(&output);
    assert!(!output.status.success(), "{message}");
    assert!(message.contains("can be read but not written"), "{message}");
}

/// Makes a file immutable (`chattr +i`: not even root may write it) until dropped.
struct Immutable(std::path::PathBuf);

impl Immutable {
    fn set(path: &Path) -> Option<Immutable> {
        let done = std::process::Command::new("chattr")
            .arg("+i")
            .arg(path)
            .status()
            .is_ok_and(|status| status.success());
        done.then(|| Immutable(path.to_owned()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(&self.0)
            .status();
    }
}

#[tokio::test]
async fn healthz_fails_while_the_database_takes_no_writes() {
    let app = spawn_app().await;
    let visitor = app.visitor();
    assert_eq!(visitor.get("/healthz").await.status, StatusCode::OK);

    let guard = if let Some(path) = app.database_url.strip_prefix("sqlite://") {
        Some(Immutable::set(Path::new(path)).expect(
            "chattr +i on the database file: needs root and a file system that has it (ext4)",
        ))
    } else {
        let name = app
            .database_url
            .rsplit('/')
            .next()
            .expect("a database name");
        for statement in [
            format!("ALTER DATABASE {name} SET default_transaction_read_only = on"),
            // The pool's connections end; the new ones are read-only, as on a replica.
            format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            ),
        ] {
            sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
                .execute(&app.db.pool)
                .await
                .ok();
        }
        None
    };

    let reply = visitor.get("/healthz").await;

    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
    let health: serde_json::Value = serde_json::from_str(&reply.body).expect("JSON");
    assert_eq!(health["parts"]["database"]["status"], "failing");
    assert_eq!(
        health["parts"]["database"]["reason"],
        "the database answers but takes no writes"
    );
    drop(guard);
}

#[tokio::test]
async fn log_format_json_in_the_file_is_taken_and_start_up_says_what_the_node_does() {
    let app = spawn_app().await;
    let secret_url = app.database_url.clone();
    let config = app.dir().join("ptrdesk.toml");
    std::fs::write(
        &config,
        format!(
            "log_format = \"json\"\nlisten = \"127.0.0.1:0\"\ndns_listen = \"127.0.0.1:0\"\n\
             database = \"{secret_url}\"\ndns_secondaries = [\"127.0.0.1:5300\"]\n\
             forward_policy = \"warn\"\ndns_checks = false\n"
        ),
    )
    .expect("the configuration file");
    let key = session_key();
    let config_arg = config.display().to_string();

    let log = log_until(
        app.dir(),
        &["serve", "--config", &config_arg],
        &[("PTRDESK_SESSION_KEY", &key)],
        "ptrdesk is serving",
    )
    .await;

    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    let fields = |message: &str| {
        lines
            .iter()
            .find(|line| line["fields"]["message"] == message)
            .map(|line| line["fields"].clone())
            .unwrap_or_else(|| panic!("no {message:?} line in:\n{log}"))
    };
    assert_eq!(fields("configuration")["file"], config_arg.as_str());
    let listening = fields("listening");
    assert!(
        listening["http"]
            .as_str()
            .is_some_and(|http| http.starts_with("127.0.0.1:"))
    );
    assert!(
        listening["dns"]
            .as_str()
            .is_some_and(|dns| dns.contains("UDP and TCP"))
    );
    assert!(fields("database")["url"].as_str().is_some());
    assert_eq!(fields("secondaries")["notify"], "127.0.0.1:5300");
    let policy = fields("checks and policy in force");
    assert_eq!(policy["forward_policy"], "warn");
    assert_eq!(policy["dns_checks"], "off (offline checks only)");
    assert!(!log.contains(&key), "the session key is logged");
}

#[tokio::test]
async fn the_database_password_is_not_in_the_start_up_log() {
    let shown = ptrdesk::db::open::shown("postgres://ptrdesk:s3cret@127.0.0.1:5432/ptrdesk");
    assert_eq!(shown, "postgres://ptrdesk@127.0.0.1:5432/ptrdesk");
}

#[tokio::test]
async fn an_address_in_use_is_named_with_what_wanted_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let database = format!("sqlite://{}/ptrdesk.sqlite", dir.path().display());
    let key = session_key();
    let taken_tcp = std::net::TcpListener::bind("127.0.0.1:0").expect("a TCP port");
    let taken_udp = std::net::UdpSocket::bind("127.0.0.1:0").expect("a UDP port");
    let http = taken_tcp.local_addr().expect("its address").to_string();
    let dns = taken_udp.local_addr().expect("its address").to_string();
    let base = [
        ("PTRDESK_DATABASE", database.as_str()),
        ("PTRDESK_SESSION_KEY", key.as_str()),
    ];

    let http_taken = run(
        dir.path(),
        &["serve"],
        &[base[0], base[1], ("PTRDESK_LISTEN", &http)],
    )
    .await;
    let dns_taken = run(
        dir.path(),
        &["serve"],
        &[
            base[0],
            base[1],
            ("PTRDESK_LISTEN", "127.0.0.1:0"),
            ("PTRDESK_DNS_LISTEN", &dns),
        ],
    )
    .await;

    let message = stderr(&http_taken);
    assert!(!http_taken.status.success());
    assert!(
        message.contains(&format!("cannot listen for HTTP on {http}")),
        "{message}"
    );
    assert!(message.contains("in use"), "{message}");
    let message = stderr(&dns_taken);
    assert!(!dns_taken.status.success());
    assert!(
        message.contains(&format!("cannot listen for DNS on {dns}")),
        "{message}"
    );
}

#[tokio::test]
async fn a_missing_configuration_file_is_reported_once() {
    let dir = tempfile::tempdir().expect("a temporary directory");

    let output = run(
        dir.path(),
        &["serve", "--config", "/etc/no-such-ptrdesk.toml"],
        &[],
    )
    .await;

    let message = stderr(&output);
    assert!(!output.status.success());
    assert!(message.contains("/etc/no-such-ptrdesk.toml"), "{message}");
    assert_eq!(message.matches("No such file").count(), 1, "{message}");
}

#[tokio::test]
async fn the_demo_refuses_a_database_that_holds_other_data() {
    let app = spawn_app().await;

    let output = run(
        app.dir(),
        &[
            "demo",
            "--listen",
            "127.0.0.1:0",
            "--dns-listen",
            "127.0.0.1:0",
            "--database",
            &app.database_url,
        ],
        &[],
    )
    .await;

    let message = stderr(&output);
    assert!(!output.status.success(), "the demo ran: {message}");
    assert!(message.contains("not the demo's"), "{message}");
    let admin = ptrdesk::db::users::credentials(&app.db.pool, "admin")
        .await
        .expect("a query");
    assert!(admin.is_none(), "the demo's admin login was added");
}

#[tokio::test]
async fn an_ipv4_mapped_ipv6_address_is_the_ipv4_address_in_every_door() {
    let app = spawn_app().await;
    let mapped = format!("::ffff:{ALICE_SINGLE}");
    let www = "www.alice-hosting.net";

    // The panel's form.
    let alice = app.signed_in(ALICE).await;
    let version = alice.version_of(ALICE_SINGLE).await;
    let saved = alice.save_at(&mapped, www, &version).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await.as_deref(), Some(www));

    // The help-desk lookup and dossier.
    let helpdesk = app.signed_in(HELPDESK).await;
    let dossier = collapse(
        &helpdesk
            .get(&format!("/lookup/ip/{mapped}"))
            .await
            .page()
            .text(),
    );
    assert!(
        !dossier.contains("No assignment holds this address"),
        "{dossier}"
    );
    assert!(dossier.contains("Owner K1"), "{dossier}");
    let search = collapse(
        &helpdesk
            .get(&format!("/lookup?q={mapped}"))
            .await
            .page()
            .text(),
    );
    assert!(search.contains("alice-web"), "{search}");

    // The Robot API and the native API.
    let robot = app.api_client(ALICE_NUMBER).await;
    let reply = robot.get(&format!("/rdns/{mapped}")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["rdns"]["ip"], ALICE_SINGLE);
    assert_eq!(reply.json()["rdns"]["ptr"], www);
    let native = robot.get(&format!("/api/v1/ips/{mapped}")).await;
    assert_eq!(native.status, StatusCode::OK, "{:?}", native.json());

    // The command line: check and import.
    let checked = run(
        app.dir(),
        &["check", &mapped, www, "--offline", "--format", "json"],
        &[],
    )
    .await;
    assert!(checked.status.success(), "{}", stderr(&checked));
    let csv = app.dir().join("mapped.csv");
    std::fs::write(
        &csv,
        "customer_number,customer_name,server,network\nK1,Alice Hosting GmbH,alice-web,::ffff:198.18.0.5\n",
    )
    .expect("the CSV file");
    let imported = run(
        app.dir(),
        &["import", "assignments", &csv.display().to_string()],
        &[("PTRDESK_DATABASE", &app.database_url)],
    )
    .await;
    assert!(imported.status.success(), "{}", stderr(&imported));
    let page = alice.get("/ips").await.page();
    assert!(
        page.row("198.18.0.5").is_some(),
        "imported as the IPv4 address"
    );
}

#[tokio::test]
async fn a_hostname_starting_with_a_hyphen_is_checked_not_read_as_an_option() {
    let dir = tempfile::tempdir().expect("a temporary directory");

    let output = run(
        dir.path(),
        &[
            "check",
            "192.0.2.10",
            "-leading-hyphen.example",
            "--offline",
            "--format",
            "json",
        ],
        &[],
    )
    .await;

    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the JSON report");
    assert_eq!(report["verdict"], "error");
    assert_eq!(report["findings"][0]["id"], "syntax", "{report}");
}

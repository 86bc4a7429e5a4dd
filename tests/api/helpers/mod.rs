//! The test harness: `spawn_app()` boots the real application on port 0 with a fresh SQLite
//! file and two seeded customers; `TestUser` is one person's browser (cookies kept, redirects
//! not followed); `Page` reads what a user sees on an HTML page.

use ptrdesk::config::Settings;
use ptrdesk::db::{self, Db, audit::AuditEntry, entries::Entry};
use ptrdesk::domain::Role;
use ptrdesk::startup::Application;
use reqwest::StatusCode;
use secrecy::SecretString;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use tempfile::TempDir;

pub mod api;
pub mod api_client;
pub mod axe;
pub mod backends;
mod browser;
pub mod chromium;
pub mod dns_app;
pub mod dns_hierarchy;
pub mod dns_server;
pub mod held_dns;
pub mod knot;
pub mod oidc_provider;
mod page;
pub mod postgres_cluster;
pub mod serve_process;
pub mod smtp;
pub mod unbound;

pub use browser::{Reply, TestUser};

/// The `ptrdesk` binary as a command, without the `PTRDESK_*` variables of the suite's own
/// environment: the binary reads each as a setting and refuses names it does not know
/// (`PTRDESK_TEST_POSTGRES`), and a test's settings must be only the ones it gives. One
/// exception: the root hint is [`NO_ROOT`] unless the test gives one, so that a process whose
/// DNS checks are on never asks the real root servers.
pub fn ptrdesk_command() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_ptrdesk"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("PTRDESK_") {
            command.env_remove(name);
        }
    }
    command.env("PTRDESK_ROOT_HINTS", NO_ROOT);
    command
}
pub use page::{Form, Page, collapse};

/// A loopback port nothing listens on: the test panels' root hint unless a test gives its own.
pub const NO_ROOT: &str = "127.0.0.1:9";

/// Someone who can sign in.
#[derive(Debug, Clone, Copy)]
pub struct Person {
    /// Login name.
    pub username: &'static str,
    /// Their password.
    pub password: &'static str,
}

/// Customer user of K1.
pub const ALICE: Person = Person {
    username: "alice",
    password: "alice-correct-horse",
};
/// Customer user of K2.
pub const BOB: Person = Person {
    username: "bob",
    password: "bob-battery-staple",
};
/// An administrator.
pub const ADMIN: Person = Person {
    username: "root",
    password: "admin-long-password",
};
/// A help-desk user.
pub const HELPDESK: Person = Person {
    username: "support",
    password: "helpdesk-long-password",
};

/// Alice's customer, as the header shows it.
pub const ALICE_CUSTOMER: &str = "Alice Hosting GmbH";
/// Alice's customer number.
pub const ALICE_NUMBER: &str = "K1";
/// Alice's single IPv4 address (server `alice-web`).
pub const ALICE_SINGLE: &str = "203.0.113.45";
/// Alice's IPv4 subnet (server `alice-cluster`).
pub const ALICE_V4_SUBNET: &str = "198.51.100.16/29";
/// Every address of that subnet.
pub const ALICE_V4_ADDRESSES: [&str; 8] = [
    "198.51.100.16",
    "198.51.100.17",
    "198.51.100.18",
    "198.51.100.19",
    "198.51.100.20",
    "198.51.100.21",
    "198.51.100.22",
    "198.51.100.23",
];
/// Alice's IPv6 subnet (server `alice-mail`).
pub const ALICE_V6_SUBNET: &str = "2001:db8:10::/64";

/// Bob's customer, as the header shows it.
pub const BOB_CUSTOMER: &str = "Bob Networks Ltd";
/// Bob's single IPv4 address (server `bob-edge`, like all of his).
pub const BOB_SINGLE: &str = "203.0.113.200";
/// Bob's IPv4 subnet.
pub const BOB_V4_SUBNET: &str = "203.0.113.208/29";
/// Every address of that subnet.
pub const BOB_V4_ADDRESSES: [&str; 8] = [
    "203.0.113.208",
    "203.0.113.209",
    "203.0.113.210",
    "203.0.113.211",
    "203.0.113.212",
    "203.0.113.213",
    "203.0.113.214",
    "203.0.113.215",
];
/// Bob's IPv6 subnet.
pub const BOB_V6_SUBNET: &str = "2001:db8:bb::/64";

const SEED: &str = "\
customer_number,customer_name,server,network
K1,Alice Hosting GmbH,alice-web,203.0.113.45
K1,Alice Hosting GmbH,alice-cluster,198.51.100.16/29
K1,Alice Hosting GmbH,alice-mail,2001:db8:10::/64
K2,Bob Networks Ltd,bob-edge,203.0.113.200
K2,Bob Networks Ltd,bob-edge,203.0.113.208/29
K2,Bob Networks Ltd,bob-edge,2001:db8:bb::/64
";

/// One running panel on its own SQLite file.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub address: String,
    /// The panel's database, for arranging data and checking what was stored.
    pub db: Db,
    /// `sqlite://…` of the file, for the command line.
    pub database_url: String,
    settings: Settings,
    dir: Arc<TempDir>,
}

/// A panel with the standard seed and default settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A panel with the standard seed, after `configure` adjusted the settings.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        ptrdesk::telemetry::init();
    }
    let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
    let database_url = fresh_database(dir.path()).await;
    let mut settings = Settings {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        database: database_url.clone(),
        session_key: Some(SecretString::from(ptrdesk::token::random_token(64))),
        // The panel tests run the offline checks; the DNS checks have their own tests
        // against DNS servers they start.
        dns_checks: false,
        // A test that turns the DNS checks on says whom they ask (`dns_servers` with
        // `check_mode = resolver`, or root hints of a loopback hierarchy); one that forgets
        // asks a closed loopback port, never the real root servers.
        root_hints: vec![NO_ROOT.to_owned()],
        // Staff sign in with their password alone here, as in the demo; the second factor
        // has tests of its own (tests/api/two_factor.rs).
        require_staff_2fa: false,
        ..Settings::default()
    };
    configure(&mut settings);
    let app = start(settings, dir).await;
    app.import(SEED).await;
    app.add_user(ALICE, Role::Customer, Some(ALICE_NUMBER))
        .await;
    app.add_user(BOB, Role::Customer, Some("K2")).await;
    app.add_user(ADMIN, Role::Admin, None).await;
    app.add_user(HELPDESK, Role::HelpDesk, None).await;
    app
}

/// A browser that has not signed in yet, for a panel this harness did not start (`http://…`).
pub fn visitor_at(address: &str) -> TestUser {
    TestUser::new(address, None)
}

/// The same, whose every request carries the header `name: value` (an `Accept-Language`).
pub fn visitor_at_with_header(address: &str, name: &str, value: &str) -> TestUser {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
        value.parse().expect("a header value"),
    );
    TestUser::with_headers(address, None, headers)
}

/// Set to `postgres://USER@HOST:PORT` to run the suite on PostgreSQL (scripts/test.sh starts a
/// private cluster and does); unset, every test gets an SQLite file.
pub const POSTGRES_ENV: &str = "PTRDESK_TEST_POSTGRES";

/// The URL of an empty database of its own for one test: a new database in the PostgreSQL
/// cluster named by [`POSTGRES_ENV`], else an SQLite file in `dir`.
pub async fn fresh_database(dir: &std::path::Path) -> String {
    let Ok(server) = std::env::var(POSTGRES_ENV) else {
        return format!("sqlite://{}/ptrdesk.sqlite", dir.display());
    };
    let server = server.trim_end_matches('/');
    let name = format!("ptrdesk_test_{}", ptrdesk::token::random_token(6));
    sqlx::any::install_default_drivers();
    let mut admin =
        <sqlx::AnyConnection as sqlx::Connection>::connect(&format!("{server}/postgres"))
            .await
            .expect("the PostgreSQL test cluster answers");
    let create = format!("CREATE DATABASE {name}");
    sqlx::raw_sql(sqlx::AssertSqlSafe(create))
        .execute(&mut admin)
        .await
        .expect("a test database");
    format!("{server}/{name}")
}

async fn start(settings: Settings, dir: Arc<TempDir>) -> TestApp {
    let application = Application::build(&settings)
        .await
        .expect("the application builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    let db = application.db().clone();
    tokio::spawn(application.run_until_stopped());
    TestApp {
        address,
        db,
        database_url: settings.database.clone(),
        settings,
        dir,
    }
}

impl TestApp {
    /// The check engine the panel runs, for driving the background re-checks by hand.
    pub fn engine(&self) -> ptrdesk::checks::Engine {
        ptrdesk::checks::Engine::from_settings(&self.settings).expect("the settings give an engine")
    }

    /// The settings the panel runs with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// A second panel on the same database file, as after a restart of the process.
    pub async fn restart(&self) -> TestApp {
        let mut settings = self.settings.clone();
        settings.listen = SocketAddr::from(([127, 0, 0, 1], 0));
        start(settings, Arc::clone(&self.dir)).await
    }

    /// The temporary directory the database lives in (for CSV files and the like).
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Imports assignments (`customer_number,customer_name,server,network` lines).
    pub async fn import(&self, csv: &str) {
        // As the panel would: zone rows only where it serves DNS.
        let publishing = self.settings.dns_listen.map(|_| {
            ptrdesk::dns::Publishing::from_settings(&self.settings).expect("the settings publish")
        });
        ptrdesk::import::import_assignments(
            &self.db,
            publishing.as_ref(),
            csv,
            &ptrdesk::import::cli_actor(),
        )
        .await
        .expect("the seed imports");
    }

    /// Adds a user; `customer` is a customer number.
    pub async fn add_user(&self, person: Person, role: Role, customer: Option<&str>) {
        let customer_id = match customer {
            Some(number) => Some(self.customer_id(number).await),
            None => None,
        };
        let hash = ptrdesk::password::hash(SecretString::from(person.password))
            .await
            .expect("the password hashes");
        db::users::insert(
            &self.db.pool,
            person.username,
            &hash,
            role,
            customer_id,
            ptrdesk::clock::now(),
        )
        .await
        .expect("the user is added");
    }

    /// The row id of the customer with this number.
    pub async fn customer_id(&self, number: &str) -> i64 {
        db::customers::find(&self.db.pool, number)
            .await
            .expect("the customers table answers")
            .expect("the customer exists")
            .id
    }

    /// The assignment of customer `number` that holds `ip`.
    pub async fn assignment_id(&self, number: &str, ip: &str) -> i64 {
        let customer_id = self.customer_id(number).await;
        db::inventory::owned_ip(&self.db.pool, customer_id, ip.parse().expect("an address"))
            .await
            .expect("the ownership query answers")
            .expect("the address is the customer's")
            .assignment_id()
    }

    /// The id of customer `number`'s server called `name`.
    pub async fn server_id(&self, number: &str, name: &str) -> i64 {
        let customer_id = self.customer_id(number).await;
        db::inventory::find_server(&self.db.pool, customer_id, name)
            .await
            .expect("the servers table answers")
            .expect("the server exists")
    }

    /// The stored entry of `ip`, if one was ever written.
    pub async fn entry(&self, ip: &str) -> Option<Entry> {
        db::entries::current(&self.db.pool, ip.parse().expect("an address"))
            .await
            .expect("the entries table answers")
    }

    /// The customer's own PTR of `ip` (`None`: the provider default applies).
    pub async fn stored_ptr(&self, ip: &str) -> Option<String> {
        self.entry(ip).await.and_then(|entry| entry.hostname)
    }

    /// The audit history of `ip`, oldest first.
    pub async fn audit(&self, ip: &str) -> Vec<AuditEntry> {
        db::audit::for_address(&self.db.pool, ip.parse().expect("an address"))
            .await
            .expect("the audit table answers")
    }

    /// Every audit row's action and actor, oldest first.
    pub async fn audit_actions(&self) -> Vec<(String, String)> {
        sqlx::query_as("SELECT action, actor FROM audit ORDER BY id")
            .fetch_all(&self.db.pool)
            .await
            .expect("the audit table answers")
    }

    /// A browser that has not signed in yet.
    pub fn visitor(&self) -> TestUser {
        TestUser::new(&self.address, None)
    }

    /// A browser on another loopback address (Linux routes all of 127.0.0.0/8 to `lo`), so
    /// that throttling by source address can be told apart from throttling by username.
    pub fn visitor_from(&self, source: [u8; 4]) -> TestUser {
        TestUser::new(&self.address, Some(IpAddr::from(source)))
    }

    /// A browser reached through a reverse proxy on 127.0.0.1 that says the client is
    /// `forwarded_for` (`X-Forwarded-For`).
    pub fn visitor_via_proxy(&self, forwarded_for: &str) -> TestUser {
        let mut headers = reqwest::header::HeaderMap::new();
        let value = forwarded_for.parse().expect("a header value");
        headers.insert("x-forwarded-for", value);
        TestUser::with_headers(&self.address, None, headers)
    }

    /// Someone who copied a session cookie (`name=value`) and replays it, keeping nothing the
    /// panel sets.
    pub fn replaying(&self, cookie: &str) -> TestUser {
        TestUser::replaying(&self.address, cookie)
    }

    /// A browser in which `person` has signed in, and the session cookie (`name=value`) that
    /// the sign-in set.
    pub async fn signed_in_with_cookie(&self, person: Person) -> (TestUser, String) {
        let user = self.visitor();
        let reply = signs_in(&user, person).await;
        let cookie = reply
            .session_cookie()
            .expect("signing in sets the session cookie")
            .split(';')
            .next()
            .unwrap_or_default()
            .to_owned();
        (user, cookie)
    }

    /// The row id of the user called `username`.
    pub async fn user_id(&self, username: &str) -> i64 {
        db::users::credentials(&self.db.pool, username)
            .await
            .expect("the users table answers")
            .expect("the user exists")
            .id
    }

    /// A browser whose every request carries the header `name: value` (an `Origin`, an
    /// `X-Forwarded-Host`).
    pub fn visitor_with_header(&self, name: &str, value: &str) -> TestUser {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
            value.parse().expect("a header value"),
        );
        TestUser::with_headers(&self.address, None, headers)
    }

    /// The same, signed in as `person`.
    pub async fn signed_in_with_header(&self, person: Person, name: &str, value: &str) -> TestUser {
        let user = self.visitor_with_header(name, value);
        signs_in(&user, person).await;
        user
    }

    /// A browser in which `person` has signed in.
    pub async fn signed_in(&self, person: Person) -> TestUser {
        let user = self.visitor();
        signs_in(&user, person).await;
        user
    }
}

/// `person` signs in with `user`'s browser; the reply to the sign-in form.
async fn signs_in(user: &TestUser, person: Person) -> Reply {
    let reply = user.login(person.username, person.password).await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "{} signs in",
        person.username
    );
    reply
}

//! Real publishing backends for the tests, each started in the foreground as a child process
//! on 127.0.0.1 and free ports, with its own temporary directory, and stopped when dropped:
//! Debian's PowerDNS Authoritative (`pdns-server` + `pdns-backend-sqlite3`) with its HTTP API,
//! and BIND (`bind9`) as a primary that takes RFC 2136 updates signed with a TSIG key.
//! [`dig`] asks either from outside, as an operator would.

use super::dns_app::wait_until;
use super::knot::{SharedKey, free_port};
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tempfile::TempDir;

/// How long a server may take to come up.
const START_LIMIT: Duration = Duration::from_secs(15);

/// A TCP port of 127.0.0.1 free now (for PowerDNS' API).
fn free_tcp_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free TCP port on loopback")
        .port()
}

/// `dig @SERVER -p PORT ARGS +short` (from bind9-dnsutils); its output lines.
pub async fn dig(server: SocketAddr, args: &[&str]) -> Vec<String> {
    let mut command = Command::new("dig");
    command
        .arg(format!("@{}", server.ip()))
        .arg("-p")
        .arg(server.port().to_string())
        .args(args)
        .args(["+short", "+time=2", "+tries=1"]);
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("dig runs")
        .expect("dig runs (install Debian's bind9-dnsutils, as scripts/test.sh does)");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| !line.starts_with(';'))
        .map(|line| line.trim().trim_end_matches('.').to_owned())
        .filter(|line| !line.is_empty())
        .collect()
}

/// The PTR targets `server` answers for `ip` (`dig -x`), without the final dot.
pub async fn dig_ptr(server: SocketAddr, ip: &str) -> Vec<String> {
    dig(server, &["-x", ip]).await
}

/// PowerDNS Authoritative with the SQLite backend and its HTTP API.
pub struct PowerDns {
    /// Where it answers DNS.
    pub dns: SocketAddr,
    /// Its API (`http://127.0.0.1:PORT`).
    pub api_url: String,
    /// The API key.
    pub api_key: &'static str,
    dir: TempDir,
    child: Option<Child>,
}

impl Drop for PowerDns {
    fn drop(&mut self) {
        self.stop();
    }
}

impl PowerDns {
    /// Creates the schema and starts PowerDNS; returns once its API answers.
    pub async fn start() -> PowerDns {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let database = dir.path().join("pdns.sqlite3");
        let schema =
            std::fs::read_to_string("/usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql")
                .expect("the PowerDNS SQLite schema (install Debian's pdns-backend-sqlite3)");
        let created = Command::new("sqlite3")
            .arg(&database)
            .arg(schema)
            .output()
            .expect("sqlite3 runs");
        assert!(created.status.success(), "the PowerDNS schema is created");
        let mut pdns = PowerDns {
            dns: SocketAddr::from(([127, 0, 0, 1], free_port())),
            api_url: format!("http://127.0.0.1:{}", free_tcp_port()),
            api_key: "pdns-test-key",
            dir,
            child: None,
        };
        std::fs::write(
            pdns.dir.path().join("pdns.conf"),
            pdns.configuration(&database),
        )
        .expect("pdns.conf is written");
        pdns.start_again().await;
        pdns
    }

    fn configuration(&self, database: &std::path::Path) -> String {
        let port = self.api_url.rsplit(':').next().unwrap_or_default();
        format!(
            "launch=gsqlite3\ngsqlite3-database={database}\nlocal-address=127.0.0.1\n\
             local-port={dns_port}\nsocket-dir={dir}\nguardian=no\ndaemon=no\n\
             disable-syslog=yes\napi=yes\napi-key={key}\nwebserver=yes\n\
             webserver-address=127.0.0.1\nwebserver-port={port}\n\
             webserver-allow-from=127.0.0.0/8\n",
            database = database.display(),
            dns_port = self.dns.port(),
            dir = self.dir.path().display(),
            key = self.api_key,
        )
    }

    /// Starts it (again, on the same ports and data); returns once its API answers.
    pub async fn start_again(&mut self) {
        let log = std::fs::File::options()
            .create(true)
            .append(true)
            .open(self.dir.path().join("pdns.log"))
            .expect("a log file");
        let child = Command::new("pdns_server")
            .arg(format!("--config-dir={}", self.dir.path().display()))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("pdns_server starts (install Debian's pdns-server)");
        self.child = Some(child);
        let client = reqwest::Client::new();
        let url = format!("{}/api/v1/servers/localhost", self.api_url);
        let key = self.api_key;
        wait_until(START_LIMIT, "PowerDNS' API answers", || async {
            client
                .get(&url)
                .header("X-API-Key", key)
                .send()
                .await
                .is_ok_and(|response| response.status().is_success())
        })
        .await;
    }

    /// Stops it (its data stays).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// What it logged so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("pdns.log")).unwrap_or_default()
    }
}

/// BIND's named as the primary of some reverse zones, taking updates signed with a key.
pub struct Bind {
    /// Where it answers (UDP and TCP).
    pub address: SocketAddr,
    dir: TempDir,
    child: Child,
}

impl Drop for Bind {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Bind {
    /// Starts named as primary of `zones` (each with only SOA and NS), letting `key` update
    /// their PTRs, and NS and CNAME for delegations (`update-policy { grant KEY zonesub PTR NS
    /// CNAME; }`); returns once it answers.
    pub async fn primary_for(zones: &[&str], key: SharedKey) -> Bind {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let port = free_port();
        let config = dir.path().join("named.conf");
        let mut text = format!(
            "key \"{name}\" {{ algorithm hmac-sha256; secret \"{secret}\"; }};\n\
             options {{\n  directory \"{dir}\";\n  pid-file \"{dir}/named.pid\";\n  \
             session-keyfile \"{dir}/session.key\";\n  listen-on port {port} {{ 127.0.0.1; }};\n  \
             listen-on-v6 {{ none; }};\n  recursion no;\n  dnssec-validation no;\n  notify no;\n  \
             allow-transfer {{ key \"{name}\"; }};\n}};\ncontrols {{ }};\n",
            name = key.name,
            secret = key.secret,
            dir = dir.path().display(),
        );
        for zone in zones {
            let file: PathBuf = dir.path().join(format!("{zone}.zone"));
            std::fs::write(
                &file,
                "$TTL 300\n@ IN SOA ns1.example.net. hostmaster.example.net. 1 3600 600 86400 300\n\
                 @ IN NS ns1.example.net.\n",
            )
            .expect("a zone file is written");
            text.push_str(&format!(
                "zone \"{zone}\" {{ type primary; file \"{}\"; update-policy {{ grant \"{}\" zonesub PTR NS CNAME; }}; }};\n",
                file.display(),
                key.name
            ));
        }
        std::fs::write(&config, text).expect("named.conf is written");
        let checked = Command::new("named-checkconf")
            .arg(&config)
            .output()
            .expect("named-checkconf runs (install Debian's bind9-utils)");
        assert!(
            checked.status.success(),
            "named-checkconf: {}{}",
            String::from_utf8_lossy(&checked.stdout),
            String::from_utf8_lossy(&checked.stderr)
        );
        let log = std::fs::File::create(dir.path().join("named.log")).expect("a log file");
        let child = Command::new("named")
            .arg("-g")
            .arg("-c")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("named starts (install Debian's bind9)");
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let first = zones.first().copied().unwrap_or(".").to_owned();
        wait_until(START_LIMIT, "BIND answers", || {
            let first = first.clone();
            async move { !dig(address, &["SOA", &first]).await.is_empty() }
        })
        .await;
        Bind {
            address,
            dir,
            child,
        }
    }

    /// What it logged so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("named.log")).unwrap_or_default()
    }
}

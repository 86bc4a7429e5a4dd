//! A real Knot DNS (Debian's `knot`, installed by scripts/test.sh) as a secondary of ptrdesk:
//! its own temporary directory and configuration, 127.0.0.1 and a free unprivileged port,
//! started in the foreground as a child process and stopped when dropped.

use super::dns_app::{Asker, DNS_TIMEOUT};
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::path::Path;
use std::process::Stdio;
use tempfile::TempDir;

/// A TSIG key shared by ptrdesk and a secondary.
#[derive(Debug, Clone, Copy)]
pub struct SharedKey {
    /// The key's name.
    pub name: &'static str,
    /// Its secret, base64.
    pub secret: &'static str,
}

impl SharedKey {
    /// As ptrdesk's `dns_tsig_key` wants it.
    pub fn setting(&self) -> String {
        format!("hmac-sha256:{}:{}", self.name, self.secret)
    }
}

/// The key the tests share with Knot.
pub const XFR_KEY: SharedKey = SharedKey {
    name: "ptrdesk-xfr",
    secret: "K2tf3TRjvQkVCmJF3/Z9vA4ZPqkNwNHB5TkKrwNFZGY=",
};

/// A port of 127.0.0.1 free for UDP and TCP now, for a server that must be told its port
/// before it starts (Knot cannot report a port it picked).
pub fn free_port() -> u16 {
    for _ in 0..20 {
        let udp = UdpSocket::bind("127.0.0.1:0").expect("a UDP socket on loopback");
        let port = udp.local_addr().expect("a bound socket").port();
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no port of 127.0.0.1 was free for both UDP and TCP");
}

/// A running knotd.
pub struct Knot {
    /// Where it answers.
    pub address: SocketAddr,
    dir: TempDir,
    child: std::process::Child,
}

impl Drop for Knot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Knot {
    /// Starts Knot on `port` as secondary of `primary` for `zones`, with `key` for transfers and
    /// NOTIFY when given.
    pub async fn secondary_of(
        primary: SocketAddr,
        port: u16,
        zones: &[&str],
        key: Option<SharedKey>,
    ) -> Knot {
        Knot::start(port, |dir| {
            let mut text = configuration(dir, port, primary, key);
            for zone in zones {
                text.push_str(&format!(
                    "  - domain: {zone}\n    master: primary\n    acl: notify_from_primary\n"
                ));
            }
            text
        })
    }

    /// Starts Knot on `port` as secondary of `primary` for the catalog zone `catalog` alone
    /// (`catalog-role: interpret`): every member zone the catalog lists is transferred from
    /// `primary` too, configured by the catalog's template, with no zone of its own.
    pub async fn catalog_consumer_of(
        primary: SocketAddr,
        port: u16,
        catalog: &str,
        key: Option<SharedKey>,
    ) -> Knot {
        Knot::start(port, |dir| {
            let mut text = configuration(dir, port, primary, key);
            text = text.replace(
                "zone:\n",
                &format!(
                    "  - id: catalog-member\n    storage: \"{}/zones\"\n    master: primary\n    \
                     acl: notify_from_primary\n    zonefile-sync: -1\n    zonefile-load: none\n    \
                     journal-content: none\nzone:\n",
                    dir.display()
                ),
            );
            text.push_str(&format!(
                "  - domain: {catalog}\n    master: primary\n    acl: notify_from_primary\n    \
                 catalog-role: interpret\n    catalog-template: catalog-member\n"
            ));
            text
        })
    }

    /// Starts Knot on `port` as the primary of `zone`, loaded from `zone_file` (master file
    /// text), allowing transfers from loopback (signed with `key` when given): the "current
    /// primary" a provider moves away from.
    pub async fn primary_of(
        port: u16,
        zone: &str,
        zone_file: &str,
        key: Option<SharedKey>,
    ) -> Knot {
        Knot::authoritative(&[[127, 0, 0, 1].into()], port, zone, zone_file, key).await
    }

    /// Starts Knot on `port` of each address in `listen` (loopback ones; the first is
    /// [`Knot::address`]), authoritative for `zone` loaded from `zone_file`, allowing
    /// transfers from loopback (signed with `key` when given): a customer's own name server,
    /// or a provider's current primary.
    pub async fn authoritative(
        listen: &[std::net::IpAddr],
        port: u16,
        zone: &str,
        zone_file: &str,
        key: Option<SharedKey>,
    ) -> Knot {
        let listen_text: Vec<String> = listen.iter().map(|ip| format!("{ip}@{port}")).collect();
        let listen_text = format!("[ {} ]", listen_text.join(", "));
        let first = SocketAddr::new(listen[0], port);
        let mut knot = Knot::start(port, |dir| {
            std::fs::write(
                dir.join("zones")
                    .join(format!("{}.zone", zone.replace('/', "_"))),
                zone_file,
            )
            .expect("the zone file is written");
            let dir_text = dir.display();
            let file = zone.replace('/', "_");
            let mut text = format!(
                "server:\n    rundir: \"{dir_text}/run\"\n    listen: {listen_text}\n\
                 log:\n  - target: stderr\n    any: info\n\
                 database:\n    storage: \"{dir_text}/db\"\n"
            );
            let key_line = match key {
                Some(key) => {
                    text.push_str(&format!(
                        "key:\n  - id: {}\n    algorithm: hmac-sha256\n    secret: {}\n",
                        key.name, key.secret
                    ));
                    format!("\n    key: {}", key.name)
                }
                None => String::new(),
            };
            text.push_str(&format!(
                "acl:\n  - id: transfer_to_loopback\n    address: 127.0.0.0/8\n    action: transfer{key_line}\n\
                 zone:\n  - domain: \"{zone}\"\n    storage: \"{dir_text}/zones\"\n    file: {file}.zone\n    \
                 acl: transfer_to_loopback\n"
            ));
            text
        });
        knot.address = first;
        knot.serving(zone).await
    }

    /// Waits until Knot answers the SOA of `zone` (it loads its zone files after it starts).
    async fn serving(self, zone: &str) -> Knot {
        let started = std::time::Instant::now();
        let asker = Asker::udp(self.address);
        while started.elapsed() < DNS_TIMEOUT * 2 {
            let answered = asker
                .try_ask(zone, hickory_server::proto::rr::RecordType::SOA)
                .await;
            if answered.is_ok_and(|response| !response.answers.is_empty()) {
                return self;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("Knot never served {zone}: {}", self.log());
    }

    /// Writes the configuration `configure` makes for Knot's directory, checks it with
    /// `knotc conf-check` and starts knotd.
    fn start(port: u16, configure: impl FnOnce(&Path) -> String) -> Knot {
        let dir = tempfile::tempdir().expect("a temporary directory");
        for sub in ["run", "db", "zones"] {
            std::fs::create_dir(dir.path().join(sub)).expect("a Knot directory");
        }
        let config = dir.path().join("knot.conf");
        std::fs::write(&config, configure(dir.path())).expect("the Knot configuration is written");
        let checked = std::process::Command::new("knotc")
            .arg("-c")
            .arg(&config)
            .arg("conf-check")
            .output()
            .expect("knotc runs (install Debian's knot, as scripts/test.sh does)");
        assert!(
            checked.status.success(),
            "knotc conf-check: {}{}",
            String::from_utf8_lossy(&checked.stdout),
            String::from_utf8_lossy(&checked.stderr)
        );
        let log = std::fs::File::create(dir.path().join("knotd.log")).expect("a log file");
        let child = std::process::Command::new("knotd")
            .arg("-c")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("knotd starts");
        Knot {
            address: SocketAddr::from(([127, 0, 0, 1], port)),
            dir,
            child,
        }
    }

    /// A client asking Knot over UDP.
    pub fn udp(&self) -> Asker {
        Asker::udp(self.address)
    }

    /// What Knot logged so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("knotd.log")).unwrap_or_default()
    }
}

/// Knot's configuration up to the `zone:` section's header (the zones are appended).
fn configuration(dir: &Path, port: u16, primary: SocketAddr, key: Option<SharedKey>) -> String {
    let dir = dir.display();
    let mut text = format!(
        "server:\n    rundir: \"{dir}/run\"\n    listen: 127.0.0.1@{port}\n    tcp-io-timeout: {timeout}\n\
         log:\n  - target: stderr\n    any: info\n\
         database:\n    storage: \"{dir}/db\"\n",
        timeout = DNS_TIMEOUT.as_millis(),
    );
    let key_line = match key {
        Some(key) => {
            text.push_str(&format!(
                "key:\n  - id: {}\n    algorithm: hmac-sha256\n    secret: {}\n",
                key.name, key.secret
            ));
            format!("\n    key: {}", key.name)
        }
        None => String::new(),
    };
    text.push_str(&format!(
        "remote:\n  - id: primary\n    address: {}@{}{key_line}\n\
         acl:\n  - id: notify_from_primary\n    address: {}\n    action: notify{key_line}\n\
         template:\n  - id: default\n    storage: \"{dir}/zones\"\n    zonefile-sync: -1\n    \
         zonefile-load: none\n    journal-content: none\n\
         zone:\n",
        primary.ip(),
        primary.port(),
        primary.ip(),
    ));
    text
}

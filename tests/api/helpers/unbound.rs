//! Debian's `unbound` as the caching resolver in front of a loopback hierarchy: started in the
//! foreground on 127.0.0.1 and a free port, with a configuration written into its own temporary
//! directory, the zones it serves asked of stub servers given by the test. It remembers
//! answers, and negative answers for the zone's negative TTL (RFC 2308), as customers'
//! resolvers do. Stopped when dropped.

use ptrdesk::checks::dns::{DnsChecker, DnsSettings, RecordType};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const UNBOUND: &str = "/usr/sbin/unbound";

/// A running unbound.
pub struct Unbound {
    /// Where it answers (UDP and TCP).
    pub address: SocketAddr,
    child: Child,
    _dir: TempDir,
}

impl Unbound {
    /// unbound answering for `zone` by asking `stubs` (the zone's own servers).
    pub async fn start(zone: &str, stubs: &[SocketAddr]) -> Unbound {
        assert!(
            std::path::Path::new(UNBOUND).exists(),
            "{UNBOUND} is missing: run scripts/test.sh (it installs Debian's unbound)"
        );
        let dir = tempfile::tempdir().expect("a temporary directory");
        let port = free_port();
        let stub_lines: String = stubs
            .iter()
            .map(|stub| format!("  stub-addr: {}@{}\n", stub.ip(), stub.port()))
            .collect();
        let config = format!(
            "server:\n  interface: 127.0.0.1\n  port: {port}\n  do-not-query-localhost: no\n  \
             username: \"\"\n  chroot: \"\"\n  directory: \"{dir}\"\n  pidfile: \"{dir}/unbound.pid\"\n  \
             use-syslog: no\n  logfile: \"\"\n  verbosity: 0\n  module-config: \"iterator\"\n  \
             access-control: 127.0.0.0/8 allow\n  do-ip6: no\n  num-threads: 1\n  \
             qname-minimisation: no\nstub-zone:\n  name: \"{zone}\"\n{stub_lines}\
             remote-control:\n  control-enable: no\n",
            dir = dir.path().display(),
        );
        let file = dir.path().join("unbound.conf");
        std::fs::write(&file, config).expect("the configuration is written");
        let child = tokio::task::spawn_blocking(move || {
            Command::new(UNBOUND)
                .arg("-d")
                .arg("-c")
                .arg(file)
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("unbound starts")
        })
        .await
        .expect("the start task");
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let unbound = Unbound {
            address,
            child,
            _dir: dir,
        };
        unbound.wait_until_it_answers(zone).await;
        unbound
    }

    async fn wait_until_it_answers(&self, zone: &str) {
        let settings = DnsSettings::resolvers(vec![self.address], Duration::from_millis(200));
        let checker = DnsChecker::new(&settings).expect("a checker");
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if checker.lookup(zone, RecordType::SOA).await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("unbound did not answer for {zone} within 20 s");
    }
}

impl Drop for Unbound {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port of 127.0.0.1 free for UDP and TCP at the moment of asking.
fn free_port() -> u16 {
    for _ in 0..50 {
        let udp = std::net::UdpSocket::bind("127.0.0.1:0").expect("a UDP socket");
        let port = udp.local_addr().expect("a bound socket").port();
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no port of 127.0.0.1 was free for UDP and TCP");
}

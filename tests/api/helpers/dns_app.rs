//! The panel with its authoritative DNS server on port 0 of 127.0.0.1, and a DNS client that
//! asks it (or any server) over UDP or TCP, from a chosen loopback source, optionally with a
//! TSIG key.

use super::{ADMIN, ALICE, ALICE_NUMBER, BOB, HELPDESK, SEED, TestApp};
use hickory_net::client::{Client, ClientHandle};
use hickory_net::runtime::TokioRuntimeProvider;
use hickory_net::tcp::TcpClientStream;
use hickory_net::udp::UdpClientStream;
use hickory_net::xfer::DnsMultiplexer;
use hickory_server::proto::op::{DnsResponse, ResponseCode};
use hickory_server::proto::rr::{DNSClass, Name, RData, Record, RecordType, TSigner};
use ptrdesk::config::Settings;
use ptrdesk::domain::Role;
use ptrdesk::startup::Application;
use secrecy::SecretString;
use std::net::{IpAddr, SocketAddr};
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;

/// The deadline of one question in these tests.
pub const DNS_TIMEOUT: Duration = Duration::from_secs(5);

/// A running panel that also serves DNS.
pub struct DnsApp {
    app: TestApp,
    /// Where its DNS server listens, UDP and TCP.
    pub dns: SocketAddr,
}

impl Deref for DnsApp {
    type Target = TestApp;

    fn deref(&self) -> &TestApp {
        &self.app
    }
}

/// A panel with the standard seed, serving DNS, after `configure` adjusted the settings.
pub async fn spawn_dns_app_with(configure: impl FnOnce(&mut Settings)) -> DnsApp {
    if std::env::var_os("TEST_LOG").is_some() {
        ptrdesk::telemetry::init();
    }
    let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
    let database_url = super::fresh_database(dir.path()).await;
    let mut settings = Settings {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        database: database_url,
        session_key: Some(SecretString::from(ptrdesk::token::random_token(64))),
        dns_checks: false,
        dns_listen: Some(SocketAddr::from(([127, 0, 0, 1], 0))),
        // Staff sign in with a password alone, as in the demo (see helpers::spawn_app_with).
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

/// A panel with the standard seed, serving DNS with the default settings.
pub async fn spawn_dns_app() -> DnsApp {
    spawn_dns_app_with(|_| {}).await
}

async fn start(settings: Settings, dir: Arc<TempDir>) -> DnsApp {
    let application = Application::build(&settings)
        .await
        .expect("the application builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    let dns = application
        .dns_address()
        .expect("the application serves DNS");
    let db = application.db().clone();
    tokio::spawn(application.run_until_stopped());
    DnsApp {
        app: TestApp {
            address,
            db,
            database_url: settings.database.clone(),
            settings,
            dir,
        },
        dns,
    }
}

impl DnsApp {
    /// A second process on the same database, as after a restart.
    pub async fn restart(&self) -> DnsApp {
        let mut settings = self.app.settings.clone();
        settings.listen = SocketAddr::from(([127, 0, 0, 1], 0));
        settings.dns_listen = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
        start(settings, Arc::clone(&self.app.dir)).await
    }

    /// A client asking this server over UDP.
    pub fn udp(&self) -> Asker {
        Asker::udp(self.dns)
    }

    /// A client asking this server over TCP.
    pub async fn tcp(&self) -> Asker {
        Asker::tcp(self.dns, None, None).await
    }
}

/// A DNS client bound to one server.
pub struct Asker {
    client: Client<TokioRuntimeProvider>,
    background: tokio::task::JoinHandle<()>,
}

impl Drop for Asker {
    fn drop(&mut self) {
        self.background.abort();
    }
}

impl Asker {
    /// Over UDP.
    pub fn udp(server: SocketAddr) -> Asker {
        let stream = UdpClientStream::builder(server, TokioRuntimeProvider::default())
            .with_timeout(Some(DNS_TIMEOUT))
            .build();
        let (client, background) = Client::<TokioRuntimeProvider>::from_sender(stream);
        Asker {
            client,
            background: tokio::spawn(async move {
                let _ = background.await;
            }),
        }
    }

    /// Over TCP, from `source` (a loopback address; any when `None`), signing with `key`.
    pub async fn tcp(server: SocketAddr, source: Option<IpAddr>, key: Option<TSigner>) -> Asker {
        let (connect, sender) = TcpClientStream::new(
            server,
            source.map(|ip| SocketAddr::new(ip, 0)),
            Some(DNS_TIMEOUT),
            TokioRuntimeProvider::default(),
        );
        let stream = connect.await.expect("a TCP connection to the DNS server");
        let mut multiplexer = DnsMultiplexer::new(stream, sender).with_timeout(DNS_TIMEOUT);
        if let Some(key) = key {
            multiplexer = multiplexer.with_signer(key);
        }
        let (client, background) = Client::<TokioRuntimeProvider>::from_sender(multiplexer);
        Asker {
            client,
            background: tokio::spawn(async move {
                let _ = background.await;
            }),
        }
    }

    /// Asks `rtype` at `name`: the response, or why there is none.
    pub async fn try_ask(&self, name: &str, rtype: RecordType) -> Result<DnsResponse, String> {
        let mut client = self.client.clone();
        client
            .query(dns_name(name), DNSClass::IN, rtype)
            .await
            .map_err(|err| err.to_string())
    }

    /// Asks `rtype` at `name` and returns the whole response.
    pub async fn ask(&self, name: &str, rtype: RecordType) -> DnsResponse {
        let mut client = self.client.clone();
        client
            .query(dns_name(name), DNSClass::IN, rtype)
            .await
            .unwrap_or_else(|err| panic!("{name} {rtype} is answered: {err}"))
    }

    /// Sends NOTIFY for `zone` (as a primary tells its secondaries); the response code.
    pub async fn notify(&self, zone: &str) -> ResponseCode {
        let mut client = self.client.clone();
        client
            .notify(
                dns_name(zone),
                DNSClass::IN,
                RecordType::SOA,
                None::<hickory_server::proto::rr::RecordSet>,
            )
            .await
            .unwrap_or_else(|err| panic!("NOTIFY for {zone} is answered: {err}"))
            .response_code
    }

    /// The PTR targets of `ip` (without the final dot) and the response code.
    pub async fn ptr(&self, ip: &str) -> (ResponseCode, Vec<String>) {
        let ip: IpAddr = ip.parse().expect("an address");
        let response = self.ask(&Name::from(ip).to_string(), RecordType::PTR).await;
        let targets = response
            .answers
            .iter()
            .filter_map(|record| match &record.data {
                RData::PTR(target) => Some(target.0.to_string().trim_end_matches('.').to_owned()),
                _ => None,
            })
            .collect();
        (response.response_code, targets)
    }

    /// The zone's SOA serial as this server answers it.
    pub async fn serial(&self, zone: &str) -> u32 {
        let response = self.ask(zone, RecordType::SOA).await;
        assert_eq!(
            response.response_code,
            ResponseCode::NoError,
            "SOA of {zone}"
        );
        soa_serial(&response.answers).unwrap_or_else(|| panic!("{zone} has a SOA"))
    }

    /// Transfers `zone` (AXFR): the records of every message, or the code of a refusal.
    pub async fn axfr(&self, zone: &str) -> Result<Vec<Record>, String> {
        use futures_util::StreamExt;
        let mut client = self.client.clone();
        let mut messages = client.zone_transfer(dns_name(zone), None);
        let mut records = Vec::new();
        while let Some(message) = messages.next().await {
            let message = message.map_err(|err| err.to_string())?;
            if message.response_code != ResponseCode::NoError {
                return Err(message.response_code.to_string());
            }
            records.extend(message.answers.iter().cloned());
        }
        Ok(records)
    }
}

/// The serial of the first SOA among `records`.
pub fn soa_serial(records: &[Record]) -> Option<u32> {
    records.iter().find_map(|record| match &record.data {
        RData::SOA(soa) => Some(soa.serial),
        _ => None,
    })
}

/// A fully qualified name.
pub fn dns_name(text: &str) -> Name {
    let text = text.trim_end_matches('.');
    // A label with a slash (an RFC 2317 child zone, `16/29.…`) is taken byte for byte.
    let mut name = Name::from_ascii(text)
        .or_else(|_| Name::from_labels(text.split('.').map(str::as_bytes)))
        .expect("a DNS name");
    name.set_fqdn(true);
    name
}

/// Waits until `check` holds, asking again every 10 ms, for at most `limit`; returns how long
/// it took. A bounded poll of an outcome, never a sleep standing in for one.
pub async fn wait_until<F, Fut>(limit: Duration, what: &str, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let started = tokio::time::Instant::now();
    loop {
        if check().await {
            return started.elapsed();
        }
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

//! `mail-banner` against small SMTP greeting servers that each test starts on 127.0.0.1: what
//! the finding says about the greeting, and that the check keeps its deadline, its 512-octet
//! cap and its manners (a `QUIT`, nothing else).

use ptrdesk::checks::mail::mail_banner;
use ptrdesk::domain::Hostname;
use ptrdesk::domain::finding::{Finding, FindingId, Severity};
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const DEADLINE: Duration = Duration::from_secs(2);

/// One SMTP server that greets one client, then records what the client sends until it
/// closes the connection.
struct GreetingServer {
    port: u16,
    heard: JoinHandle<Vec<u8>>,
}

impl GreetingServer {
    /// Greets with `greeting`, then listens.
    async fn greeting(greeting: &'static [u8]) -> GreetingServer {
        GreetingServer::start(move |mut stream| async move {
            stream
                .write_all(greeting)
                .await
                .expect("the greeting is sent");
            stream
        })
        .await
    }

    /// Accepts, says nothing, and listens.
    async fn silent() -> GreetingServer {
        GreetingServer::start(|stream| async { stream }).await
    }

    /// Sends octets without a line end for as long as the client takes them.
    async fn endless_line() -> GreetingServer {
        GreetingServer::start(|mut stream| async move {
            let chunk = [b'x'; 1024];
            stream.write_all(b"220 ").await.expect("the start is sent");
            while stream.write_all(&chunk).await.is_ok() {}
            stream
        })
        .await
    }

    async fn start<F, Speaking>(speak: F) -> GreetingServer
    where
        F: FnOnce(TcpStream) -> Speaking + Send + 'static,
        Speaking: Future<Output = TcpStream> + Send,
    {
        let listener = TcpListener::bind((LOOPBACK, 0))
            .await
            .expect("a listener on loopback");
        let port = listener.local_addr().expect("a bound listener").port();
        let heard = tokio::spawn(async move {
            let (stream, _) = listener.accept().await.expect("the check connects");
            let stream = speak(stream).await;
            let mut heard = Vec::new();
            let _ = stream.take(4096).read_to_end(&mut heard).await;
            heard
        });
        GreetingServer { port, heard }
    }

    /// Everything the check sent, once it closed the connection.
    async fn heard(self) -> Vec<u8> {
        self.heard.await.expect("the server task ends")
    }
}

fn host(name: &str) -> Hostname {
    Hostname::parse(name).expect("a valid test hostname")
}

async fn check(port: u16, hostname: &str) -> Finding {
    mail_banner(LOOPBACK, port, &host(hostname), DEADLINE).await
}

fn assert_finding(finding: &Finding, severity: Severity, message: &str) {
    assert_eq!(finding.id, FindingId::MailBanner);
    assert_eq!(
        (finding.severity, finding.message.as_str()),
        (severity, message),
        "{finding:#?}"
    );
}

#[tokio::test]
async fn a_greeting_naming_the_ptr_passes_and_the_check_says_quit_and_nothing_else() {
    let server = GreetingServer::greeting(b"220 Mail.Example.COM. ESMTP Postfix\r\n").await;

    let finding = check(server.port, "mail.example.com").await;

    let expected = format!(
        "The mail server on port {} of 127.0.0.1 greets as Mail.Example.COM, matching the PTR.",
        server.port
    );
    assert_finding(&finding, Severity::Info, &expected);
    assert!(
        finding
            .details
            .contains(&"greeting \"220 Mail.Example.COM. ESMTP Postfix\"".to_owned()),
        "{finding:#?}"
    );
    assert_eq!(server.heard().await, b"QUIT\r\n");
}

#[tokio::test]
async fn a_greeting_naming_another_host_is_a_warning_naming_both() {
    let server = GreetingServer::greeting(b"220 vps-1234.provider.example ESMTP\r\n").await;

    let finding = check(server.port, "mail.example.com").await;

    let expected = format!(
        "The mail server on port {} of 127.0.0.1 greets as vps-1234.provider.example, not as \
         mail.example.com: make its greeting name the PTR.",
        server.port
    );
    assert_finding(&finding, Severity::Warning, &expected);
    assert_eq!(server.heard().await, b"QUIT\r\n");
}

#[tokio::test]
async fn a_multi_line_greeting_is_read_to_its_end_and_judged_by_its_first_line() {
    let greeting =
        b"220-mail.example.com ESMTP\r\n220-other.example.net says hello\r\n220 ready\r\n";
    let server = GreetingServer::greeting(greeting).await;

    let finding = check(server.port, "mail.example.com").await;

    assert_eq!(finding.severity, Severity::Info, "{finding:#?}");
    assert!(
        finding.message.contains("greets as mail.example.com"),
        "{finding:#?}"
    );
    assert_eq!(server.heard().await, b"QUIT\r\n");
}

#[tokio::test]
async fn a_server_refusing_with_554_is_a_warning_quoting_it() {
    let server = GreetingServer::greeting(b"554 5.7.1 No SMTP service here\r\n").await;

    let finding = check(server.port, "mail.example.com").await;

    let expected = format!(
        "The mail server on port {} of 127.0.0.1 refuses connections: \"554 5.7.1 No SMTP service here\".",
        server.port
    );
    assert_finding(&finding, Severity::Warning, &expected);
    assert_eq!(server.heard().await, b"QUIT\r\n");
}

#[tokio::test]
async fn a_server_busy_with_421_is_a_warning_too() {
    let server = GreetingServer::greeting(b"421 4.3.2 Service not available\r\n").await;

    let finding = check(server.port, "mail.example.com").await;

    assert_eq!(finding.severity, Severity::Warning, "{finding:#?}");
    assert!(
        finding.message.contains("refuses connections"),
        "{finding:#?}"
    );
}

#[tokio::test]
async fn a_closed_port_is_information_that_nothing_answers_smtp() {
    let listener = TcpListener::bind((LOOPBACK, 0))
        .await
        .expect("a listener on loopback");
    let port = listener.local_addr().expect("a bound listener").port();
    drop(listener);

    let finding = check(port, "mail.example.com").await;

    let expected =
        format!("Nothing answers SMTP on port {port} of 127.0.0.1 (connection refused).");
    assert_finding(&finding, Severity::Info, &expected);
}

#[tokio::test]
async fn a_silent_server_is_information_once_the_deadline_has_passed() {
    let server = GreetingServer::silent().await;

    let started = Instant::now();
    let finding = check(server.port, "mail.example.com").await;
    let took = started.elapsed();

    let expected = format!(
        "Port {} of 127.0.0.1 accepted a connection but stayed silent for 2 s.",
        server.port
    );
    assert_finding(&finding, Severity::Info, &expected);
    assert!(took >= DEADLINE, "gave up early, after {took:?}");
    assert!(
        // Generous: a loaded machine may be late by a second; a deadline that does not hold
        // waits for the server, which stays silent for as long as the test runs.
        took < DEADLINE + Duration::from_secs(5),
        "the deadline did not hold: {took:?}"
    );
    assert_eq!(server.heard().await, b"", "no QUIT before a greeting");
}

#[tokio::test]
async fn a_server_that_never_ends_its_line_is_read_no_further_than_512_octets() {
    let server = GreetingServer::endless_line().await;

    let started = Instant::now();
    let finding = check(server.port, "mail.example.com").await;
    let took = started.elapsed();

    let expected = format!(
        "Port {} of 127.0.0.1 sent 512 octets without ending a line: that is not an SMTP greeting \
         (a reply line has at most 512).",
        server.port
    );
    assert_finding(&finding, Severity::Warning, &expected);
    assert!(took < DEADLINE / 2, "the check kept reading: {took:?}");
    assert_eq!(server.heard().await, b"", "no QUIT in the middle of a line");
}

#[tokio::test]
async fn something_else_than_smtp_on_the_port_is_information() {
    let server = GreetingServer::greeting(b"SSH-2.0-OpenSSH_9.2p1\r\n").await;

    let finding = check(server.port, "mail.example.com").await;

    let expected = format!(
        "Port {} of 127.0.0.1 answered, but not with an SMTP greeting: \"SSH-2.0-OpenSSH_9.2p1\".",
        server.port
    );
    assert_finding(&finding, Severity::Info, &expected);
}

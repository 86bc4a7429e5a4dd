//! Protocol corners of ptrdesk's DNS, asked by real clients over loopback: kdig and knsupdate
//! (knot-dnsutils) and hickory's client. EDNS versions other than 0 get BADVERS (RFC 6891), an
//! answer too large for UDP comes truncated and kdig's retry over TCP gets it whole, and
//! UPDATE and NOTIFY from anyone are refused and change nothing.

use crate::helpers::dns_app::*;
use crate::helpers::*;
use hickory_server::proto::op::ResponseCode;
use std::net::SocketAddr;

const ALICE_ZONE: &str = "113.0.203.in-addr.arpa";

/// Runs a knot-dnsutils tool (off the runtime: the server answers on it), with `input` on its
/// standard input; its standard output and error.
async fn run(tool: &'static str, args: Vec<String>, input: String) -> String {
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut child = std::process::Command::new(tool)
            .args(&args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("{tool} (Debian knot-dnsutils) runs: {err}"));
        child
            .stdin
            .take()
            .expect("a standard input")
            .write_all(input.as_bytes())
            .expect("the input is written");
        let output = child.wait_with_output().expect("it ends");
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
    .await
    .expect("the tool ran")
}

async fn kdig(server: SocketAddr, args: &[&str]) -> String {
    let mut all = vec![
        format!("@{}", server.ip()),
        "-p".to_owned(),
        server.port().to_string(),
        "+time=3".to_owned(),
        "+retry=0".to_owned(),
    ];
    all.extend(args.iter().map(|arg| (*arg).to_owned()));
    run("kdig", all, String::new()).await
}

#[tokio::test]
async fn an_edns_version_other_than_0_is_answered_badvers() {
    let app = spawn_dns_app().await;

    let version_1 = kdig(app.dns, &["+edns=1", "-x", ALICE_SINGLE]).await;
    let version_0 = kdig(app.dns, &["+edns=0", "-x", ALICE_SINGLE]).await;

    assert!(version_1.contains("status: BADVERS"), "{version_1}");
    assert!(
        version_1.contains("Version: 0;"),
        "our OPT says version 0: {version_1}"
    );
    assert!(!version_1.contains("static.45.113.0.203"), "{version_1}");
    assert!(version_0.contains("status: NOERROR"), "{version_0}");
    assert!(
        version_0.contains("static.45.113.0.203.clients.example.net."),
        "{version_0}"
    );
}

#[tokio::test]
async fn an_answer_too_large_for_udp_is_truncated_and_kdig_gets_it_whole_over_tcp() {
    // 30 long name server names: the NS answer is about 1.8 kB, more than 512 octets.
    let app = spawn_dns_app_with(|settings| {
        settings.dns_nameservers = (1..=30)
            .map(|n| format!("ns{n:02}.a-rather-long-name-for-name-servers.example.net"))
            .collect();
    })
    .await;

    let truncated = kdig(app.dns, &["+noedns", "+ignore", "NS", ALICE_ZONE]).await;
    let retried = kdig(app.dns, &["+noedns", "NS", ALICE_ZONE]).await;
    let with_edns = kdig(app.dns, &["+bufsize=4096", "NS", ALICE_ZONE]).await;

    let flags = truncated
        .lines()
        .find(|line| line.starts_with(";; Flags:"))
        .unwrap_or_else(|| panic!("a flags line: {truncated}"));
    assert!(flags.contains(" tc"), "{flags}");
    assert!(truncated.contains("(UDP)"), "{truncated}");
    let names = |output: &str| {
        output
            .lines()
            .filter(|line| line.contains("\tNS\t") || line.contains(" NS "))
            .filter(|line| line.contains("a-rather-long-name-for-name-servers"))
            .count()
    };
    assert!(names(&truncated) < 30, "{truncated}");
    assert!(
        retried.contains("(TCP)"),
        "kdig retried over TCP: {retried}"
    );
    assert_eq!(names(&retried), 30, "{retried}");
    assert!(with_edns.contains("(UDP)"), "{with_edns}");
    assert_eq!(
        names(&with_edns),
        30,
        "a large EDNS buffer takes it whole: {with_edns}"
    );
}

#[tokio::test]
async fn an_update_from_anyone_is_refused_and_changes_nothing() {
    let app = spawn_dns_app().await;
    let script = format!(
        "server 127.0.0.1 {}\nzone {ALICE_ZONE}.\nupdate delete 45.{ALICE_ZONE}. PTR\nupdate add 45.{ALICE_ZONE}. 300 PTR evil.example.com.\nsend\nanswer\n",
        app.dns.port()
    );

    let output = run("knsupdate", vec!["-t".to_owned(), "3".to_owned()], script).await;

    assert!(output.contains("REFUSED"), "{output}");
    assert_eq!(
        app.udp().ptr(ALICE_SINGLE).await.1,
        ["static.45.113.0.203.clients.example.net"]
    );
}

#[tokio::test]
async fn a_notify_from_anyone_is_refused() {
    let app = spawn_dns_app().await;

    let over_udp = app.udp().notify(ALICE_ZONE).await;
    let over_tcp = app.tcp().await.notify(ALICE_ZONE).await;

    assert_eq!(over_udp, ResponseCode::Refused);
    assert_eq!(over_tcp, ResponseCode::Refused);
}

//! `mail-banner`: where the customer's own IP answers SMTP, the first `220` greeting should
//! name the PTR hostname. Run on demand only, only against the customer's own IP.

use crate::domain::Hostname;
use crate::domain::finding::{Finding, FindingId, Severity};
use std::net::IpAddr;
use std::time::Duration;

/// Connects to `ip:port`, reads the greeting (at most 512 octets, within `deadline`) and
/// compares the name in it with `hostname`: `warning` on mismatch, `info` when it matches or
/// when nothing answers SMTP there.
pub async fn mail_banner(ip: IpAddr, port: u16, hostname: &Hostname, _deadline: Duration) -> Finding {
    Finding::new(
        FindingId::MailBanner,
        Severity::Info,
        format!("The mail banner of {ip} port {port} was not checked for {hostname}: not built yet."),
    )
}

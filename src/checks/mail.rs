//! `mail-banner`: where the customer's own IP answers SMTP, the first `220` greeting should
//! name the PTR hostname. Run on demand only, only against the customer's own IP.
//!
//! The only traffic is a TCP connection, reading the greeting (at most 512 octets, the SMTP
//! line limit, within the deadline) and, when the greeting was read whole, a polite `QUIT`.

use crate::domain::Hostname;
use crate::domain::finding::{Finding, FindingId, Severity};
use crate::i18n::Text;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

/// The most the check reads: the longest reply line SMTP allows (RFC 5321, 4.5.3.1.5).
pub const GREETING_CAP: usize = 512;

/// The sentence of a greeting that names the PTR (the mail-readiness page tells a match from
/// "nothing answers SMTP", both `info`, by it).
pub const MATCHING: &str = "finding-mail-banner-matches";

/// How the English message of a greeting that names the PTR ends (findings stored before their
/// sentences were kept language-neutral).
pub const MATCHING_ENGLISH: &str = ", matching the PTR.";

/// How much of a server's text a finding quotes.
const QUOTED_CHARS: usize = 100;

/// How reading the greeting ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// A final reply line (`220 …`, or any line that is not a `NNN-` continuation) arrived.
    Complete,
    /// The cap was reached first.
    Capped,
    /// The deadline passed first.
    TimedOut,
    /// The server closed the connection (or it failed) first.
    Closed,
}

/// Connects to `ip:port`, reads the greeting (at most 512 octets, within `deadline`) and
/// compares the name in it with `hostname`: `warning` on mismatch, `info` when it matches or
/// when nothing answers SMTP there.
#[tracing::instrument(skip_all, fields(ip = %ip, port = port))]
pub async fn mail_banner(
    ip: IpAddr,
    port: u16,
    hostname: &Hostname,
    deadline: Duration,
) -> Finding {
    let address = SocketAddr::new(ip, port);
    let started = Instant::now();
    let until = started + deadline;
    let seconds = deadline.as_secs_f64().to_string();
    let details = vec![format!("connected to {address}")];
    let said = |key: &str| {
        Text::new(key)
            .arg("port", port.to_string())
            .arg("ip", ip)
            .arg("seconds", &seconds)
    };
    let finding = |severity, text: Text, details: Vec<String>| {
        Finding::said(FindingId::MailBanner, severity, text).with_details(details)
    };

    let mut stream = match tokio::time::timeout_at(until, TcpStream::connect(address)).await {
        Ok(Ok(stream)) => stream,
        Ok(Err(err)) => {
            let text = said("finding-mail-banner-nothing").arg("why", connect_error(&err));
            return finding(Severity::Info, text, vec![format!("tried {address}")]);
        }
        Err(_) => {
            let why = said("finding-mail-banner-no-connection");
            let text = said("finding-mail-banner-nothing").arg("why", why);
            return finding(Severity::Info, text, vec![format!("tried {address}")]);
        }
    };

    let (greeting, ending) = read_greeting(&mut stream, until).await;
    if ending == Ending::Complete {
        // The server spoke its whole greeting; leave as SMTP asks. Its answer is not needed.
        let _ = tokio::time::timeout_at(until, stream.write_all(b"QUIT\r\n")).await;
        let _ = tokio::time::timeout_at(until, stream.shutdown()).await;
    }
    drop(stream);

    let mut details = details;
    let Some(first) = first_line(&greeting) else {
        let (severity, text) = match ending {
            Ending::Capped => (
                Severity::Warning,
                said("finding-mail-banner-capped").arg("cap", GREETING_CAP),
            ),
            _ if greeting.is_empty() && ending == Ending::TimedOut => {
                (Severity::Info, said("finding-mail-banner-silent"))
            }
            _ if greeting.is_empty() => (Severity::Info, said("finding-mail-banner-closed")),
            Ending::TimedOut => (
                Severity::Info,
                said("finding-mail-banner-unfinished-within"),
            ),
            _ => (Severity::Info, said("finding-mail-banner-unfinished")),
        };
        if !greeting.is_empty() {
            details.push(format!("received \"{}\"", quoted(&greeting)));
        }
        return finding(severity, text, details);
    };
    details.push(format!("greeting \"{}\"", quoted(first)));

    let shown = quoted(first);
    let (code, rest) = match reply_code(first) {
        Some(parts) => parts,
        None => {
            let text = said("finding-mail-banner-not-smtp").arg("greeting", &shown);
            return finding(Severity::Info, text, details);
        }
    };
    if code != 220 {
        let text = said("finding-mail-banner-refuses").arg("greeting", &shown);
        return finding(Severity::Warning, text, details);
    }
    let named = rest
        .split(u8::is_ascii_whitespace)
        .find(|word| !word.is_empty());
    let name = String::from_utf8_lossy(named.unwrap_or_default());
    let name = name.strip_suffix('.').unwrap_or(&name);
    if name.is_empty() {
        let text = said("finding-mail-banner-no-name")
            .arg("greeting", &shown)
            .arg("hostname", hostname.to_string());
        return finding(Severity::Warning, text, details);
    }
    let matches = name.eq_ignore_ascii_case(hostname.as_ascii())
        || name.to_lowercase() == hostname.as_unicode();
    if matches {
        let text = said(MATCHING).arg("name", name);
        finding(Severity::Info, text, details)
    } else {
        let text = said("finding-mail-banner-other-name")
            .arg("name", quoted(name.as_bytes()))
            .arg("hostname", hostname.to_string());
        finding(Severity::Warning, text, details)
    }
}

/// Reads until a final reply line, the cap, the deadline or the end of the connection.
async fn read_greeting(stream: &mut TcpStream, until: Instant) -> (Vec<u8>, Ending) {
    let mut buffer = vec![0u8; GREETING_CAP];
    let mut length = 0;
    let ending = loop {
        if reply_is_complete(&buffer[..length]) {
            break Ending::Complete;
        }
        if length == GREETING_CAP {
            break Ending::Capped;
        }
        match tokio::time::timeout_at(until, stream.read(&mut buffer[length..])).await {
            Err(_) => break Ending::TimedOut,
            Ok(Ok(0)) | Ok(Err(_)) => break Ending::Closed,
            Ok(Ok(read)) => length += read,
        }
    };
    buffer.truncate(length);
    (buffer, ending)
}

/// Whether `received` holds a line that ends the reply: anything but a `NNN-` continuation.
fn reply_is_complete(received: &[u8]) -> bool {
    let mut lines = received.split(|&octet| octet == b'\n');
    // The part after the last line end is unfinished.
    lines.next_back();
    lines.any(|line| !(reply_code(line).is_some() && line.get(3) == Some(&b'-')))
}

/// The first whole line, without its line end.
fn first_line(received: &[u8]) -> Option<&[u8]> {
    let end = received.iter().position(|&octet| octet == b'\n')?;
    let line = &received[..end];
    Some(line.strip_suffix(b"\r").unwrap_or(line))
}

/// `220-mail.example.com ESMTP` → `(220, "mail.example.com ESMTP")`.
fn reply_code(line: &[u8]) -> Option<(u16, &[u8])> {
    let digits = line.get(..3)?;
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let code = digits
        .iter()
        .fold(0u16, |code, digit| code * 10 + u16::from(digit - b'0'));
    match line.get(3) {
        None => Some((code, &[])),
        Some(b' ' | b'-') => Some((code, &line[4..])),
        Some(_) => None,
    }
}

/// A server's text, safe to show: printable ASCII only, shortened.
fn quoted(text: &[u8]) -> String {
    let text = text
        .strip_suffix(b"\r\n")
        .or_else(|| text.strip_suffix(b"\n"))
        .unwrap_or(text);
    let mut shown: String = text
        .iter()
        .take(QUOTED_CHARS)
        .map(|&octet| {
            if octet.is_ascii_graphic() || octet == b' ' {
                char::from(octet)
            } else {
                '?'
            }
        })
        .collect();
    if text.len() > QUOTED_CHARS {
        shown.push('…');
    }
    shown
}

fn connect_error(err: &std::io::Error) -> Text {
    match err.kind() {
        std::io::ErrorKind::ConnectionRefused => Text::new("finding-mail-banner-refused"),
        std::io::ErrorKind::TimedOut => Text::new("finding-mail-banner-timed-out"),
        _ => Text::new("finding-plain").arg("text", err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_is_complete_at_its_first_line_that_is_not_a_continuation() {
        assert!(!reply_is_complete(b""));
        assert!(!reply_is_complete(b"220 mail.example.com"));
        assert!(reply_is_complete(b"220 mail.example.com ESMTP\r\n"));
        assert!(!reply_is_complete(
            b"220-mail.example.com ESMTP\r\n220-more\r\n"
        ));
        assert!(reply_is_complete(
            b"220-mail.example.com ESMTP\r\n220 ready\r\n"
        ));
        assert!(reply_is_complete(b"SSH-2.0-OpenSSH_9.2\r\n"));
    }

    #[test]
    fn the_code_and_text_of_a_reply_line_are_split() {
        assert_eq!(
            reply_code(b"220-mail.example.com ESMTP"),
            Some((220, &b"mail.example.com ESMTP"[..]))
        );
        assert_eq!(
            reply_code(b"554 No SMTP service"),
            Some((554, &b"No SMTP service"[..]))
        );
        assert_eq!(reply_code(b"220"), Some((220, &b""[..])));
        assert_eq!(reply_code(b"22"), None);
        assert_eq!(reply_code(b"2200 x"), None);
        assert_eq!(reply_code(b"HTTP/1.1 400"), None);
    }

    #[test]
    fn the_first_line_needs_its_line_end() {
        assert_eq!(first_line(b"220 a\r\n220 b\r\n"), Some(&b"220 a"[..]));
        assert_eq!(first_line(b"220 a"), None);
    }

    #[test]
    fn quoted_text_is_printable_and_short() {
        assert_eq!(quoted(b"220 a\x1b[31m\r\n"), "220 a?[31m");
        assert_eq!(quoted(&[b'x'; 200]).chars().count(), QUOTED_CHARS + 1);
    }
}

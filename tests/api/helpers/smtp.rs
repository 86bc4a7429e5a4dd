//! A real SMTP server for the mail tests: Debian's `python3-aiosmtpd` (installed by
//! scripts/test.sh) on 127.0.0.1 and a port of its own, storing every message it receives in a
//! maildir; the messages are read back with Python's own `email` parser (multipart, quoted-
//! printable, base64 and encoded headers decoded as a mail program would). Stopped when dropped.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// Debian's interpreter, which has the `aiosmtpd` package (not a pyenv one earlier on PATH).
const PYTHON: &str = "/usr/bin/python3";

/// One received mail, decoded.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Mail {
    /// `To:`.
    pub to: String,
    /// `From:`.
    pub from: String,
    /// `Subject:`, decoded.
    pub subject: String,
    /// The text/plain part.
    pub text: String,
    /// The text/html part.
    pub html: String,
    /// When the server stored it (seconds since the epoch, with fractions).
    pub received: f64,
}

/// A port free now: the OS picks it; aiosmtpd binds it a moment later (nothing else on this
/// machine hands out ports in between but the OS, which does not reuse one at once).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// aiosmtpd running until dropped.
pub struct SmtpServer {
    /// Where it listens.
    pub port: u16,
    child: Child,
    dir: TempDir,
}

impl SmtpServer {
    /// Starts the server and waits until it takes connections.
    pub async fn start() -> SmtpServer {
        SmtpServer::start_on(free_port()).await
    }

    /// Starts the server on `port` (one [`free_port`] gave, where a panel was told to send
    /// before any server listened) and waits until it takes connections.
    pub async fn start_on(port: u16) -> SmtpServer {
        let dir = tempfile::tempdir().expect("a temporary directory");
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(dir.path().join("mail").join(sub)).expect("the maildir");
        }
        let child = Command::new(PYTHON)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts (package python3-aiosmtpd)");
        let server = SmtpServer { port, child, dir };
        server.wait_listening().await;
        server
    }

    async fn wait_listening(&self) {
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .is_err()
        {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "aiosmtpd did not listen on {}",
                self.port
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `smtp://127.0.0.1:PORT`, the panel's `smtp_url`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn maildir(&self) -> PathBuf {
        self.dir.path().join("mail")
    }

    /// Every mail received so far, oldest first.
    pub async fn mails(&self) -> Vec<Mail> {
        let maildir = self.maildir();
        tokio::task::spawn_blocking(move || read_maildir(&maildir))
            .await
            .expect("the maildir is read")
    }

    /// Waits (at most `limit`) until a mail to `to` whose subject contains `subject` came.
    pub async fn wait_for(&self, to: &str, subject: &str, limit: Duration) -> Mail {
        let started = Instant::now();
        loop {
            if let Some(mail) = self
                .mails()
                .await
                .into_iter()
                .find(|mail| mail.to.contains(to) && mail.subject.contains(subject))
            {
                return mail;
            }
            assert!(
                started.elapsed() < limit,
                "no mail to {to} about {subject:?} within {limit:?}; received: {:?}",
                self.mails().await
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// How a [`SmtpServer::start_secured`] server wants TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secured {
    /// Plain at first, `STARTTLS` required before `AUTH` and mail (submission, port 587).
    StartTls,
    /// TLS from the first byte (submissions, port 465).
    ImplicitTls,
}

impl SmtpServer {
    /// aiosmtpd with TLS — a certificate for 127.0.0.1 from a CA made for this server
    /// ([`SmtpServer::ca_file`]) — that takes mail only after `AUTH` as `user`/`password`.
    pub async fn start_secured(mode: Secured, user: &str, password: &str) -> SmtpServer {
        let dir = tempfile::tempdir().expect("a temporary directory");
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(dir.path().join("mail").join(sub)).expect("the maildir");
        }
        make_certificates(dir.path());
        let port = free_port();
        let child = Command::new(PYTHON)
            .arg("-c")
            .arg(SECURED)
            .arg(dir.path().join("mail"))
            .arg(port.to_string())
            .arg(dir.path().join("server.pem"))
            .arg(dir.path().join("server.key"))
            .arg(match mode {
                Secured::StartTls => "starttls",
                Secured::ImplicitTls => "tls",
            })
            .arg(user)
            .arg(password)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts (package python3-aiosmtpd)");
        let server = SmtpServer { port, child, dir };
        server.wait_listening().await;
        server
    }

    /// The PEM file of the CA that signed a secured server's certificate.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }
}

/// A CA and a certificate for 127.0.0.1 signed by it (`ca.pem`, `server.pem`, `server.key`).
fn make_certificates(dir: &Path) {
    let openssl = |args: &[&str]| {
        let output = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl runs");
        assert!(
            output.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    openssl(
        &[
            &["req", "-x509"][..],
            &ec,
            &[
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=ptrdesk test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign",
            ],
        ]
        .concat(),
    );
    openssl(
        &[
            &["req"][..],
            &ec,
            &[
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=127.0.0.1",
            ],
        ]
        .concat(),
    );
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
    )
    .expect("the extensions file");
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "server.ext",
    ]);
}

/// aiosmtpd's controller with TLS and AUTH (its command line offers no AUTH).
const SECURED: &str = r#"
import ssl, sys, threading
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword
maildir, port, cert, key, mode, user, password = sys.argv[1:8]
def authenticate(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
          and auth_data.password == password.encode())
    return AuthResult(success=ok, handled=False)
context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
options = dict(hostname="127.0.0.1", port=int(port), authenticator=authenticate, auth_required=True)
if mode == "starttls":
    options.update(tls_context=context, require_starttls=True)
else:
    # The whole connection is TLS, but aiosmtpd only knows of its own STARTTLS: it offers AUTH
    # over implicit TLS only when told not to wait for one.
    options.update(ssl_context=context, auth_require_tls=False)
Controller(Mailbox(maildir), **options).start()
threading.Event().wait()
"#;

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const READ: &str = r#"
import email, email.policy, json, mailbox, os, sys
out = []
for key, message in mailbox.Maildir(sys.argv[1], factory=None, create=False).iteritems():
    path = os.path.join(sys.argv[1], "new", key)
    if not os.path.exists(path):
        path = os.path.join(sys.argv[1], "cur", key)
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    text = parsed.get_body(("plain",))
    html = parsed.get_body(("html",))
    out.append({
        "to": str(parsed["To"]), "from": str(parsed["From"]), "subject": str(parsed["Subject"]),
        "text": text.get_content() if text else "", "html": html.get_content() if html else "",
        "received": os.path.getmtime(path),
    })
out.sort(key=lambda mail: mail["received"])
print(json.dumps(out))
"#;

fn read_maildir(maildir: &Path) -> Vec<Mail> {
    let output = Command::new(PYTHON)
        .args(["-c", READ])
        .arg(maildir)
        .output()
        .expect("python3 reads the maildir");
    assert!(
        output.status.success(),
        "reading the maildir failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the reader prints JSON")
}

/// The first `href` of `html` that starts with `prefix`.
pub fn link(html: &str, prefix: &str) -> Option<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&amp;", "&").replace("&#38;", "&"))
        .find(|href| href.starts_with(prefix))
}

//! Notification mail (issue 22): the mails of `mail_outbox` sent over SMTP (lettre on our
//! tokio runtime, deadline per mail), each with a plain-text and an HTML part, a link to the
//! right page and an unsubscribe link signed so that it works without signing in; and the
//! admins' digest of new review requests, queued every `review_digest_seconds`.
//!
//! Rows come from the database's trigger on `audit` (customers' events, in the transaction of
//! the event) and from [`queue_digest_if_due`]; they are claimed per node, retried with the
//! outbox's back-off for 24 hours, then given up. A save never waits on SMTP.

use crate::db::mail::{self as stored, DueMail, MailAttempt};
use crate::db::{Db, leases};
use crate::domain::finding::{Finding, Severity};
use crate::domain::{EmailAddress, MailTopic};
use crate::i18n::{self, Locale, filters};
use crate::shutdown::Shutdown;
use askama::Template;
use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
use std::time::Duration;

/// How long one mail may take to hand over (connect, TLS, AUTH, DATA).
const SEND_DEADLINE: Duration = Duration::from_secs(20);
/// How long a node holds the mails it claimed.
const CLAIM_SECONDS: i64 = 120;
/// Mails claimed at once.
const BATCH: i64 = 16;
/// The lease of the digest job, and its progress row.
const DIGEST: &str = "mail.review-digest";
/// Review requests a digest lists by name.
const DIGEST_LISTED: i64 = 20;

/// Why the mail settings cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    /// `smtp_url` is not one of the forms understood.
    #[error(
        "smtp_url is not smtp://HOST:PORT, smtp://HOST:PORT?tls=starttls or smtps://USER:PASSWORD@HOST:PORT: {0}"
    )]
    Url(String),
    /// `smtp_ca_file` cannot be read or holds no certificate.
    #[error("smtp_ca_file {path}: {reason}")]
    Ca {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// `mail_from` is missing or not an address.
    #[error(
        "mail_from must be a sender such as \"ptrdesk <rdns@example.net>\" when smtp_url is set: {0}"
    )]
    From(String),
}

/// Signs and checks the links of mails that work without a session.
#[derive(Clone)]
pub struct LinkSigner {
    key: Arc<[u8]>,
}

impl std::fmt::Debug for LinkSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkSigner(…)")
    }
}

impl LinkSigner {
    /// A signer whose key is derived from `secret` (the session key): a separate key, so a
    /// link's signature says nothing about the cookie key.
    pub fn new(secret: &[u8]) -> LinkSigner {
        let derived = crate::token::sign(secret, "ptrdesk mail links v1");
        LinkSigner {
            key: Arc::from(derived.into_bytes()),
        }
    }

    fn message(user_id: i64, topic: MailTopic) -> String {
        format!("unsubscribe {user_id} {}", topic.as_str())
    }

    /// The query string of the unsubscribe link for `user_id` and `topic`.
    pub fn unsubscribe_query(&self, user_id: i64, topic: MailTopic) -> String {
        let signature = crate::token::sign(&self.key, &Self::message(user_id, topic));
        format!("user={user_id}&topic={}&sig={signature}", topic.as_str())
    }

    /// Whether `signature` is that of the unsubscribe link for `user_id` and `topic`.
    pub fn verify_unsubscribe(&self, user_id: i64, topic: MailTopic, signature: &str) -> bool {
        crate::token::verify(&self.key, &Self::message(user_id, topic), signature)
    }
}

/// Everything the mail job needs.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The panel's address for links (`public_url`, else where this node listens).
    pub base_url: String,
    links: LinkSigner,
    /// Seconds between two digests.
    pub digest_every: i64,
    /// The language and time zone of a recipient who chose none (`default_language`,
    /// `default_time_zone`).
    pub default_locale: Locale,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer from the settings; `None` when `smtp_url` is not set.
    pub fn new(
        smtp_url: Option<&SecretString>,
        ca_file: Option<&std::path::Path>,
        mail_from: Option<&str>,
        base_url: String,
        links: LinkSigner,
        digest_every: Duration,
        default_locale: Locale,
    ) -> Result<Option<Mailer>, MailConfigError> {
        let Some(smtp_url) = smtp_url else {
            return Ok(None);
        };
        let ca = match ca_file {
            Some(path) => {
                let failed = |reason: String| MailConfigError::Ca {
                    path: path.display().to_string(),
                    reason,
                };
                let pem = std::fs::read(path).map_err(|err| failed(err.to_string()))?;
                Certificate::from_pem(&pem).map_err(|err| failed(err.to_string()))?;
                Some(pem)
            }
            None => None,
        };
        let transport = transport(smtp_url.expose_secret(), ca.as_deref())?;
        let from = mail_from
            .ok_or_else(|| MailConfigError::From("it is not set".to_owned()))?
            .parse::<Mailbox>()
            .map_err(|err| MailConfigError::From(err.to_string()))?;
        Ok(Some(Mailer {
            transport,
            from,
            base_url: base_url.trim_end_matches('/').to_owned(),
            links,
            digest_every: i64::try_from(digest_every.as_secs())
                .unwrap_or(86_400)
                .max(1),
            default_locale,
        }))
    }
}

/// The TLS parameters for `host`: the system's roots, and the certificates of `ca` (PEM).
fn tls_parameters(host: &str, ca: Option<&[u8]>) -> Result<TlsParameters, MailConfigError> {
    let mut builder = TlsParameters::builder(host.to_owned());
    if let Some(pem) = ca {
        let certificate =
            Certificate::from_pem(pem).map_err(|err| MailConfigError::Url(err.to_string()))?;
        builder = builder.add_root_certificate(certificate);
    }
    builder
        .build()
        .map_err(|err| MailConfigError::Url(err.to_string()))
}

/// The SMTP transport `url` names (see [`MailConfigError::Url`]), trusting `ca` (PEM) besides
/// the system's roots; the password never appears in an error.
fn transport(
    url: &str,
    ca: Option<&[u8]>,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailConfigError> {
    let parsed = url::Url::parse(url).map_err(|err| MailConfigError::Url(err.to_string()))?;
    let host = parsed
        .host_str()
        .filter(|host| !host.is_empty())
        .ok_or_else(|| MailConfigError::Url("no host".to_owned()))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let tls = parsed
        .query_pairs()
        .find(|(key, _)| key == "tls")
        .map(|(_, value)| value.into_owned());
    let builder = match (parsed.scheme(), tls.as_deref()) {
        ("smtp", None | Some("none")) => {
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&host)
                .port(parsed.port().unwrap_or(25))
        }
        ("smtp", Some("starttls")) => {
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&host)
                .tls(Tls::Required(tls_parameters(&host, ca)?))
                .port(parsed.port().unwrap_or(587))
        }
        ("smtps", None) => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&host)
            .tls(Tls::Wrapper(tls_parameters(&host, ca)?))
            .port(parsed.port().unwrap_or(465)),
        (scheme, tls) => {
            return Err(MailConfigError::Url(format!(
                "scheme {scheme:?} with tls={tls:?} is not understood"
            )));
        }
    };
    let builder = if parsed.username().is_empty() {
        builder
    } else {
        let decode = |text: &str| {
            percent_decode(text).ok_or_else(|| {
                MailConfigError::Url("bad percent-encoding in the user or password".to_owned())
            })
        };
        let user = decode(parsed.username())?;
        let password = decode(parsed.password().unwrap_or_default())?;
        builder.credentials(Credentials::new(user, password))
    };
    Ok(builder.timeout(Some(SEND_DEADLINE)).build())
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// What one mail says, for both parts.
#[derive(Debug, Clone)]
pub struct MailContent {
    /// The subject line.
    pub subject: String,
    /// The recipient's user name.
    pub username: String,
    /// The first paragraph.
    pub intro: String,
    /// Label and value pairs.
    pub facts: Vec<(String, String)>,
    /// A list (the digest's requests).
    pub items: Vec<String>,
    /// The button's text.
    pub action_text: String,
    /// Where it leads.
    pub action_url: String,
    /// The topic, as the preferences page calls it.
    pub topic_label: String,
    /// The preferences page.
    pub preferences_url: String,
    /// The signed unsubscribe link.
    pub unsubscribe_url: String,
}

#[derive(Template)]
#[template(path = "mail/notification.txt")]
struct TextPart<'a> {
    mail: &'a MailContent,
}

#[derive(Template)]
#[template(path = "mail/notification.html")]
struct HtmlPart<'a> {
    mail: &'a MailContent,
}

fn first_problem(findings: Option<&str>) -> Option<String> {
    let findings: Vec<Finding> = serde_json::from_str(findings?).ok()?;
    findings
        .iter()
        .find(|finding| finding.severity == Severity::Error)
        .or_else(|| {
            findings
                .iter()
                .find(|finding| finding.severity == Severity::Unverified)
        })
        .map(Finding::sentence)
}

/// The content of an event's mail (`None`: an event this version does not mail).
fn event_content(
    mailer: &Mailer,
    due: &DueMail,
    topic: MailTopic,
    requests: &[stored::ReviewRequest],
    request_count: i64,
) -> Option<MailContent> {
    let ip = due.address_text.clone().unwrap_or_default();
    let name = due.new_value.clone().unwrap_or_default();
    let in_force = due.old_value.clone().unwrap_or_default();
    let ips_url = format!("{}/ips?ip={ip}", mailer.base_url);
    let t = |key: &str| {
        i18n::t_args(
            key,
            &[("ip", &ip), ("name", &name), ("in_force", &in_force)],
        )
    };
    let mut facts = vec![(t("mail-fact-address"), ip.clone())];
    let (subject, intro, action_text, action_url, items) = match (topic, due.action.as_str()) {
        (MailTopic::Pending, "ptr.set") => {
            facts.push((t("mail-fact-ptr"), name.clone()));
            (
                t("mail-published-subject"),
                t("mail-published-intro"),
                t("mail-action-addresses"),
                ips_url,
                Vec::new(),
            )
        }
        (MailTopic::Pending, "ptr.request.rejected") => {
            facts.push((t("mail-fact-requested"), name.clone()));
            if let Some(problem) = first_problem(due.findings.as_deref()) {
                facts.push((t("mail-fact-why"), problem));
            }
            (
                t("mail-rejected-subject"),
                t("mail-rejected-intro"),
                t("mail-action-why"),
                ips_url,
                Vec::new(),
            )
        }
        (MailTopic::Review, "change.approved" | "change.denied") => {
            let approved = due.action == "change.approved";
            facts.push((t("mail-fact-requested"), name.clone()));
            if let Some(note) = &due.note {
                facts.push((t("mail-fact-note"), note.clone()));
            }
            let (subject, intro) = if approved {
                ("mail-approved-subject", "mail-approved-intro")
            } else {
                ("mail-denied-subject", "mail-denied-intro")
            };
            (
                t(subject),
                t(intro),
                t("mail-action-addresses"),
                ips_url,
                Vec::new(),
            )
        }
        (MailTopic::Drift, "ptr.drift.start") => {
            facts.push((t("mail-fact-ptr"), in_force.clone()));
            facts.push((t("mail-fact-fails"), name.clone()));
            (
                t("mail-drift-subject"),
                t("mail-drift-intro"),
                t("mail-action-entry"),
                ips_url,
                Vec::new(),
            )
        }
        (MailTopic::Drift, "ptr.drift.end") => {
            facts.push((t("mail-fact-ptr"), in_force.clone()));
            (
                t("mail-drift-over-subject"),
                t("mail-drift-over-intro"),
                t("mail-action-entry"),
                ips_url,
                Vec::new(),
            )
        }
        (MailTopic::Drift, "drift.review.asked") => {
            facts.push((t("mail-fact-ptr"), in_force.clone()));
            if let Some(problem) = first_problem(due.findings.as_deref()) {
                facts.push((t("mail-fact-fails"), problem));
            }
            facts.push((t("mail-fact-note"), name.clone()));
            (
                t("mail-fix-subject"),
                t("mail-fix-intro"),
                t("mail-action-entry"),
                ips_url,
                Vec::new(),
            )
        }
        (MailTopic::Drift, "drift.review.reset") => {
            facts.push((t("mail-fact-ptr-until-now"), in_force.clone()));
            facts.push((t("mail-fact-note"), name.clone()));
            (
                t("mail-reset-subject"),
                t("mail-reset-intro"),
                t("mail-action-addresses"),
                ips_url,
                Vec::new(),
            )
        }
        (MailTopic::ReviewDigest, _) => {
            facts.clear();
            let mut items: Vec<String> = requests
                .iter()
                .map(|request| {
                    let justification = request
                        .justification
                        .as_deref()
                        .map(|text| format!(": \u{201c}{}\u{201d}", shorten(text)))
                        .unwrap_or_default();
                    let default = i18n::t("mail-digest-the-default");
                    i18n::t_args(
                        "mail-digest-item",
                        &[
                            (
                                "customer",
                                &request.customer_number.as_deref().unwrap_or("?"),
                            ),
                            ("ip", &request.address_text.as_deref().unwrap_or("?")),
                            ("name", &request.requested.as_deref().unwrap_or(&default)),
                            ("at", &crate::clock::display(request.at)),
                        ],
                    ) + &justification
                })
                .collect();
            if request_count > requests.len() as i64 {
                items.push(i18n::t_args(
                    "mail-digest-more",
                    &[("count", &(request_count - requests.len() as i64))],
                ));
            }
            (
                i18n::t_args("mail-digest-subject", &[("count", &request_count)]),
                i18n::t("mail-digest-intro"),
                i18n::t("mail-action-queue"),
                format!("{}/admin/review", mailer.base_url),
                items,
            )
        }
        _ => return None,
    };
    Some(MailContent {
        subject,
        username: due.username.clone(),
        intro,
        facts,
        items,
        action_text,
        action_url,
        topic_label: topic.label(),
        preferences_url: format!("{}/account/notifications", mailer.base_url),
        unsubscribe_url: format!(
            "{}/mail/unsubscribe?{}",
            mailer.base_url,
            mailer.links.unsubscribe_query(due.user_id, topic)
        ),
    })
}

fn shorten(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= 80 {
        return text;
    }
    format!(
        "{}\u{2026}",
        text.chars().take(80).collect::<String>().trim_end()
    )
}

/// The message of `content` to `to`.
fn message(mailer: &Mailer, to: &EmailAddress, content: &MailContent) -> Result<Message, String> {
    let text = TextPart { mail: content }
        .render()
        .map_err(|err| format!("rendering the text part failed: {err}"))?;
    let html = HtmlPart { mail: content }
        .render()
        .map_err(|err| format!("rendering the HTML part failed: {err}"))?;
    let to: Mailbox = to
        .as_str()
        .parse()
        .map_err(|err| format!("the address is not usable: {err}"))?;
    Message::builder()
        .from(mailer.from.clone())
        .to(to)
        .subject(content.subject.clone())
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(text),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html),
                ),
        )
        .map_err(|err| format!("building the mail failed: {err}"))
}

/// What became of one round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// Mails the SMTP server took.
    pub sent: usize,
    /// Mails that failed this time.
    pub failed: usize,
}

/// Claims the due mails for `holder` and sends them, each with its deadline; a failed one is
/// tried again after the outbox's back-off from `retry_first`.
pub async fn send_due(
    db: &Db,
    mailer: &Mailer,
    holder: &str,
    retry_first: i64,
) -> Result<Round, sqlx::Error> {
    let now = crate::clock::now();
    let due = stored::claim_due(db, holder, now, now + CLAIM_SECONDS, BATCH).await?;
    let mut round = Round::default();
    for mail in due {
        let outcome = send_one(db, mailer, &mail).await?;
        let at = crate::clock::now();
        let retry_at = at + super::backoff_seconds(retry_first, mail.attempts + 1);
        let attempt = match outcome {
            Ok(()) => {
                round.sent += 1;
                MailAttempt {
                    at,
                    done: true,
                    error: None,
                    next_attempt_at: None,
                }
            }
            Err(Failure::Drop(why)) => MailAttempt {
                at,
                done: true,
                error: Some(why),
                next_attempt_at: None,
            },
            Err(Failure::Retry(why)) => {
                round.failed += 1;
                tracing::warn!(mail = mail.id, error = %why, "sending a notification mail failed");
                MailAttempt {
                    at,
                    done: false,
                    error: Some(why),
                    next_attempt_at: (retry_at <= mail.created_at + super::RETRY_PERIOD_SECONDS)
                        .then_some(retry_at),
                }
            }
        };
        stored::record(&db.pool, mail.id, &attempt).await?;
    }
    Ok(round)
}

enum Failure {
    /// Not sent and never will be (no address any more, a disabled user).
    Drop(String),
    /// Not sent this time.
    Retry(String),
}

async fn send_one(
    db: &Db,
    mailer: &Mailer,
    mail: &DueMail,
) -> Result<Result<(), Failure>, sqlx::Error> {
    let Some(email) = mail.email.as_deref() else {
        return Ok(Err(Failure::Drop(
            "the user has no e-mail address any more".to_owned(),
        )));
    };
    if mail.disabled_at.is_some() {
        return Ok(Err(Failure::Drop("the user is disabled".to_owned())));
    }
    let Ok(to) = EmailAddress::parse(email) else {
        return Ok(Err(Failure::Drop(
            "the stored address is not one".to_owned(),
        )));
    };
    let Some(topic) = MailTopic::parse(&mail.topic) else {
        return Ok(Err(Failure::Drop(format!("unknown topic {}", mail.topic))));
    };
    let (requests, count) = match (topic, mail.digest_after_id) {
        (MailTopic::ReviewDigest, Some(after)) => (
            stored::review_requests(&db.pool, after, mail.audit_id, DIGEST_LISTED).await?,
            stored::review_requests_after(&db.pool, after, mail.audit_id).await?,
        ),
        _ => (Vec::new(), 0),
    };
    // Written in the recipient's language and time zone, whoever caused the event.
    let mut locale = mailer.default_locale.clone();
    if let Some(language) = mail.language.as_deref().and_then(i18n::language) {
        locale.language = language;
    }
    if let Some(time_zone) = mail.time_zone.as_deref().and_then(i18n::time_zone) {
        locale.time_zone = time_zone;
    }
    let written = i18n::in_locale(locale, || {
        let content = event_content(mailer, mail, topic, &requests, count)?;
        Some(message(mailer, &to, &content))
    });
    let Some(message) = written else {
        return Ok(Err(Failure::Drop(format!("no mail for {}", mail.action))));
    };
    let message = match message {
        Ok(message) => message,
        Err(why) => return Ok(Err(Failure::Drop(why))),
    };
    let sent = tokio::time::timeout(SEND_DEADLINE, mailer.transport.send(message)).await;
    Ok(match sent {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(err)) => Err(Failure::Retry(err.to_string())),
        Err(_) => Err(Failure::Retry(format!(
            "no answer within {} s",
            SEND_DEADLINE.as_secs()
        ))),
    })
}

/// Queues the digest of the review requests since the last one, when `digest_every` has
/// passed (one node: the digest's lease). The first run only notes where it starts.
pub async fn queue_digest_if_due(
    db: &Db,
    mailer: &Mailer,
    holder: &str,
) -> Result<u64, sqlx::Error> {
    let now = crate::clock::now();
    if !leases::claim(&db.pool, DIGEST, holder, now + 120, now).await? {
        return Ok(0);
    }
    let last = stored::last_audit_id(&db.pool).await?;
    let Some((after, last_run_at)) = stored::digest_progress(&db.pool, DIGEST).await? else {
        stored::queue_digest(db, DIGEST, last, last, now, false).await?;
        return Ok(0);
    };
    if now - last_run_at < mailer.digest_every {
        return Ok(0);
    }
    let count = stored::review_requests_after(&db.pool, after, last).await?;
    stored::queue_digest(db, DIGEST, after, last, now, count > 0).await
}

/// Sends due mails every `every` and queues the digest when due, until `shutdown`.
pub async fn run(
    db: Db,
    mailer: Mailer,
    every: Duration,
    retry_first: Duration,
    shutdown: Shutdown,
) {
    let retry_first = i64::try_from(retry_first.as_secs()).unwrap_or(30);
    let holder = leases::new_holder();
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut digest_checked_at = 0;
    loop {
        tokio::select! {
            _ = shutdown.requested() => return,
            _ = ticks.tick() => {}
        }
        let now = crate::clock::now();
        if now - digest_checked_at >= mailer.digest_every.min(60) {
            digest_checked_at = now;
            match queue_digest_if_due(&db, &mailer, &holder).await {
                Ok(0) => {}
                Ok(queued) => tracing::info!(queued, "queued the review digest"),
                Err(err) => tracing::warn!(error = %err, "review digest: the database failed"),
            }
        }
        if let Err(err) = send_due(&db, &mailer, &holder, retry_first).await {
            tracing::warn!(error = %err, "notification mails: the database failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transport_of(url: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailConfigError> {
        transport(url, None)
    }

    #[test]
    fn the_three_forms_of_smtp_url_are_understood_and_others_refused() {
        assert!(transport_of("smtp://127.0.0.1:2525").is_ok());
        assert!(transport_of("smtp://mail.example.net:587?tls=starttls").is_ok());
        assert!(transport_of("smtps://user:p%40ss@mail.example.net:465").is_ok());
        for bad in [
            "http://mail.example.net",
            "smtp://mail.example.net?tls=maybe",
            "smtp://",
        ] {
            assert!(transport_of(bad).is_err(), "{bad}");
        }
        let err =
            transport_of("smtps://user:secret@mail.example.net?tls=starttls").expect_err("refused");
        assert!(!err.to_string().contains("secret"), "{err}");
    }

    #[test]
    fn an_unsubscribe_link_is_signed_for_its_user_and_topic() {
        let links = LinkSigner::new(b"session key");
        let query = links.unsubscribe_query(7, MailTopic::Drift);
        let signature = query.rsplit_once("sig=").expect("signed").1;
        assert!(links.verify_unsubscribe(7, MailTopic::Drift, signature));
        assert!(!links.verify_unsubscribe(8, MailTopic::Drift, signature));
        assert!(!links.verify_unsubscribe(7, MailTopic::Review, signature));
        assert!(!LinkSigner::new(b"other key").verify_unsubscribe(7, MailTopic::Drift, signature));
    }
}

//! Webhook endpoints as admins keep them: registering one (a URL, the events it wants, the
//! secret its deliveries are signed with), removing one, sending a delivery again; each with
//! its audit row.

use super::{Acting, audit};
use crate::db::{self, Db};
use crate::domain::{AuditAction, WebhookEvent};

/// Longest URL accepted.
pub const URL_LIMIT: usize = 2000;
/// Longest secret accepted.
pub const SECRET_LIMIT: usize = 200;

/// Why an endpoint was not registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// Not an `http:` or `https:` URL with a host.
    #[error("Enter the receiver's URL, starting with https:// (or http:// inside your network).")]
    Url,
    /// No event chosen.
    #[error("Choose at least one event.")]
    NoEvent,
    /// A secret too long.
    #[error("The secret has at most {SECRET_LIMIT} characters.")]
    Secret,
}

impl Refused {
    /// The form field it concerns.
    pub fn field(self) -> &'static str {
        match self {
            Refused::Url => "url",
            Refused::NoEvent => "events",
            Refused::Secret => "secret",
        }
    }

    /// The sentence in the reader's language (`Display` stays English, for the logs).
    pub fn text(self) -> crate::i18n::Text {
        match self {
            Refused::Url => crate::i18n::Text::new("form-webhook-url"),
            Refused::NoEvent => crate::i18n::Text::new("form-webhook-no-event"),
            Refused::Secret => {
                crate::i18n::Text::new("form-webhook-secret").arg("max", SECRET_LIMIT)
            }
        }
    }
}

/// Registers an endpoint for `events` at `url`, signing with `secret` (a random one when
/// empty); the secret, to show once.
pub async fn add(
    db: &Db,
    by: &Acting,
    url: &str,
    events: &[WebhookEvent],
    secret: &str,
) -> Result<Result<String, Refused>, sqlx::Error> {
    let url = url.trim();
    let parsed = url::Url::parse(url).ok();
    let fits = url.chars().count() <= URL_LIMIT
        && parsed
            .as_ref()
            .is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
    if !fits {
        return Ok(Err(Refused::Url));
    }
    if events.is_empty() {
        return Ok(Err(Refused::NoEvent));
    }
    let secret = match secret.trim() {
        "" => crate::token::random_token(24),
        given if given.chars().count() > SECRET_LIMIT => return Ok(Err(Refused::Secret)),
        given => given.to_owned(),
    };
    let names: Vec<&str> = events.iter().map(|e| e.as_str()).collect();
    let names = names.join(",");
    let mut tx = db.begin_write().await?;
    let now = crate::clock::now();
    let user = by.actor.user_id;
    db::webhooks::insert(&mut *tx, url, &secret, &names, user, now).await?;
    let value = format!("{url} ({names})");
    audit(
        &mut tx,
        by,
        AuditAction::WebhookAdd,
        None,
        None,
        Some(&value),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(secret))
}

/// Removes endpoint `id` (its deliveries not yet made are given up); false when there is no
/// such endpoint.
pub async fn remove(db: &Db, by: &Acting, id: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let now = crate::clock::now();
    let Some(url) = db::webhooks::remove(&mut *tx, id, now).await? else {
        return Ok(false);
    };
    db::webhooks::give_up_for(&mut *tx, id, now).await?;
    audit(
        &mut tx,
        by,
        AuditAction::WebhookRemove,
        None,
        Some(&url),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Queues delivery `id` to be sent again now; false when there is no such delivery.
pub async fn send_again(db: &Db, by: &Acting, id: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    if !db::webhooks::send_again(&mut *tx, id, crate::clock::now()).await? {
        return Ok(false);
    }
    let value = format!("delivery {id}");
    audit(
        &mut tx,
        by,
        AuditAction::WebhookResend,
        None,
        None,
        Some(&value),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

//! Notification mail for people: each user's preferences (their address and which topics of
//! their role they receive, `GET`/`POST /account/notifications`), and the unsubscribe link of
//! every mail (`GET /mail/unsubscribe`), which works without signing in: it carries a
//! signature over the user and the topic ([`crate::outbox::mail::LinkSigner`]).

use crate::admin::accounts;
use crate::auth::SignedIn;
use crate::domain::{EmailAddress, MailTopic};
use crate::error::AppError;
use crate::i18n::filters;
use crate::routes::layout::{Layout, html};
use crate::session::{AppSession, CsrfForm};
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

/// One topic's checkbox.
struct TopicChoice {
    name: &'static str,
    label: String,
    on: bool,
}

/// One entry of the user's notification list.
struct Listed {
    at: String,
    text: String,
    link: Option<String>,
    css: &'static str,
    badge: String,
}

/// Events shown in the list.
const LISTED: i64 = 20;

fn listed(event: crate::db::mail::RecentEvent) -> Listed {
    let ip = event.address_text.unwrap_or_default();
    let new = event.new_value.unwrap_or_default();
    let old = event.old_value.unwrap_or_default();
    let (badge, css, key) = match event.action.as_str() {
        "ptr.set" => ("notice-published", "published", "notice-published-text"),
        "ptr.request.rejected" => ("notice-rejected", "rejected", "notice-rejected-text"),
        "change.approved" => ("notice-approved", "published", "notice-approved-text"),
        "change.denied" => ("notice-denied", "denied", "notice-denied-text"),
        "ptr.drift.start" => ("notice-drift", "drift", "notice-drift-text"),
        "ptr.drift.end" => ("notice-drift-over", "published", "notice-drift-over-text"),
        "drift.review.asked" => ("notice-fix", "drift", "notice-fix-text"),
        "drift.review.reset" => ("notice-reset", "rejected", "notice-reset-text"),
        "change.review-requested" => ("notice-review", "in-review", "notice-review-text"),
        _ => ("notice-event", "unchanged", "notice-event-text"),
    };
    let text = crate::i18n::t_args(
        key,
        &[
            ("ip", &ip),
            ("new", &new),
            ("old", &old),
            ("action", &event.action),
        ],
    );
    let badge = crate::i18n::t(badge);
    let link = match event.action.as_str() {
        "change.review-requested" => Some("/admin/review".to_owned()),
        _ if ip.is_empty() => None,
        _ => Some(format!("/ips?ip={ip}")),
    };
    Listed {
        at: crate::clock::display(event.at),
        text,
        link,
        css,
        badge,
    }
}

#[derive(Template)]
#[template(path = "account/notifications.html")]
struct PreferencesPage {
    layout: Layout,
    recent: Vec<Listed>,
    email: String,
    email_error: Option<String>,
    topics: Vec<TopicChoice>,
    mail_enabled: bool,
}

async fn render(
    user: &SignedIn,
    session: &AppSession,
    state: &AppState,
    typed: Option<(&str, String)>,
) -> Result<HttpResponse, AppError> {
    let pool = &state.db.pool;
    let off = crate::db::mail::opt_outs(pool, user.account.id).await?;
    let stored = crate::db::mail::email_of(pool, user.account.id).await?;
    let (email, email_error, status) = match typed {
        Some((email, error)) => (
            email.to_owned(),
            Some(error),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        None => (stored.unwrap_or_default(), None, StatusCode::OK),
    };
    let recent = match (user.account.role, user.account.customer_id) {
        (crate::domain::Role::Customer, Some(customer)) => {
            crate::db::mail::customer_events(pool, customer, LISTED).await?
        }
        (crate::domain::Role::Admin, _) => {
            crate::db::mail::review_request_events(pool, LISTED).await?
        }
        _ => Vec::new(),
    };
    let page = PreferencesPage {
        layout: Layout::new(user, session)?,
        recent: recent.into_iter().map(listed).collect(),
        email,
        email_error,
        topics: MailTopic::of_role(user.account.role)
            .iter()
            .map(|topic| TopicChoice {
                name: topic.as_str(),
                label: topic.label(),
                on: !off.contains(topic),
            })
            .collect(),
        mail_enabled: state.mail_enabled,
    };
    html(status, &page)
}

/// `GET /account/notifications`
pub async fn preferences(
    user: SignedIn,
    session: AppSession,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    render(&user, &session, &state, None).await
}

/// The preferences form: the address, and one checkbox per topic (present when ticked).
#[derive(Deserialize)]
pub struct PreferencesForm {
    #[serde(default)]
    email: String,
    pending: Option<String>,
    review: Option<String>,
    drift: Option<String>,
    #[serde(rename = "review-digest")]
    review_digest: Option<String>,
}

/// `POST /account/notifications`
pub async fn save_preferences(
    user: SignedIn,
    session: AppSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<PreferencesForm>,
) -> Result<HttpResponse, AppError> {
    let email = match form.email.trim() {
        "" => None,
        typed => match EmailAddress::parse(typed) {
            Ok(email) => Some(email),
            Err(err) => {
                return render(&user, &session, &state, Some((typed, err.message()))).await;
            }
        },
    };
    let ticked = |topic: MailTopic| match topic {
        MailTopic::Pending => form.pending.is_some(),
        MailTopic::Review => form.review.is_some(),
        MailTopic::Drift => form.drift.is_some(),
        MailTopic::ReviewDigest => form.review_digest.is_some(),
    };
    let on: Vec<MailTopic> = MailTopic::of_role(user.account.role)
        .iter()
        .copied()
        .filter(|topic| ticked(*topic))
        .collect();
    let by = crate::admin::Acting {
        actor: user.actor(),
        door: crate::domain::Door::Page,
    };
    accounts::set_mail_preferences(&state.db, &by, &user.account, email.as_ref(), &on).await?;
    session.flash(&crate::i18n::t("notifications-saved"))?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/account/notifications"))
        .finish())
}

/// The unsubscribe link's query.
#[derive(Deserialize)]
pub struct UnsubscribeQuery {
    #[serde(default)]
    user: i64,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    sig: String,
}

#[derive(Template)]
#[template(path = "account/unsubscribed.html")]
struct UnsubscribedPage {
    topic_label: String,
}

/// `GET /mail/unsubscribe?user=…&topic=…&sig=…`: turns the topic off for that user, without
/// signing in; a link whose signature does not hold is 404 (it names nobody).
pub async fn unsubscribe(
    state: web::Data<AppState>,
    query: web::Query<UnsubscribeQuery>,
) -> Result<HttpResponse, AppError> {
    let topic = MailTopic::parse(&query.topic).ok_or(AppError::NotFound)?;
    if !state
        .mail_links
        .verify_unsubscribe(query.user, topic, &query.sig)
    {
        return Err(AppError::NotFound);
    }
    accounts::unsubscribe(&state.db, query.user, topic).await?;
    html(
        StatusCode::OK,
        &UnsubscribedPage {
            topic_label: topic.label(),
        },
    )
}

//! "Where you're signed in": every user's own sessions (created, last seen, address,
//! browser), ending one or every other; and the same list of any user for admins, who may
//! end them (audited as `user.sessions.end`).

use crate::auth::{AdminUser, SignedIn};
use crate::db::{self, sessions::SessionListing};
use crate::error::AppError;
use crate::i18n::filters;
use crate::routes::layout::{Layout, html};
use crate::session::{AppSession, CsrfForm, NoFields};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;

/// One session as the page lists it.
struct Listed {
    id: i64,
    created: String,
    last_seen: String,
    address: String,
    browser: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "account/sessions.html")]
struct SessionsPage {
    layout: Layout,
    /// `None`: the signed-in user's own sessions; `Some`: an admin looking at this user.
    of_user: Option<(i64, String)>,
    sessions: Vec<Listed>,
    /// The idle timeout and the lifetime, as people read them.
    idle: String,
    lifetime: String,
}

/// A number of seconds as people read it: `8 hours`, `7 days`, `90 minutes`.
fn duration(seconds: i64) -> String {
    let (amount, unit) = if seconds % 86_400 == 0 {
        (seconds / 86_400, "day")
    } else if seconds % 3600 == 0 {
        (seconds / 3600, "hour")
    } else {
        (seconds / 60, "minute")
    };
    format!("{amount} {unit}{}", if amount == 1 { "" } else { "s" })
}

/// A short name of the browser a `User-Agent` describes.
fn browser_name(user_agent: Option<&str>) -> String {
    let Some(agent) = user_agent.filter(|agent| !agent.trim().is_empty()) else {
        return "Unknown browser".to_owned();
    };
    let browser = [
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .into_iter()
    .find(|(token, _)| agent.contains(token))
    .map(|(_, name)| name);
    let system = [
        ("Windows", "Windows"),
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(token, _)| agent.contains(token))
    .map(|(_, name)| name);
    match (browser, system) {
        (Some(browser), Some(system)) => format!("{browser} on {system}"),
        (Some(browser), None) => browser.to_owned(),
        (None, _) => agent.chars().take(60).collect(),
    }
}

/// The sessions as listed: this browser's first, then the most recently used.
fn listed(sessions: Vec<SessionListing>, current: Option<i64>) -> Vec<Listed> {
    let mut sessions = sessions;
    sessions.sort_by_key(|session| Some(session.id) != current);
    sessions
        .into_iter()
        .map(|session| Listed {
            id: session.id,
            created: crate::clock::display(session.created_at),
            last_seen: crate::clock::display(session.last_seen_at),
            address: session.address.unwrap_or_else(|| "unknown".to_owned()),
            browser: browser_name(session.user_agent.as_deref()),
            current: Some(session.id) == current,
        })
        .collect()
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// `GET /sessions`
pub async fn mine(
    user: SignedIn,
    session: AppSession,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let sessions = db::sessions::of_user(&state.db.pool, user.account.id).await?;
    html(
        StatusCode::OK,
        &SessionsPage {
            layout: Layout::new(&user, &session)?,
            of_user: None,
            sessions: listed(sessions, session.session_id()),
            idle: duration(state.session_limits.idle_seconds),
            lifetime: duration(state.session_limits.lifetime_seconds),
        },
    )
}

/// `POST /sessions/{id}/end`: signs one of the user's sessions out.
pub async fn end_mine(
    user: SignedIn,
    session: AppSession,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    if Some(id) == session.session_id() {
        session.sign_out();
        return Ok(see_other("/login"));
    }
    if !db::sessions::end_one(&state.db.pool, user.account.id, id).await? {
        return Err(AppError::NotFound);
    }
    session.flash("That session is signed out.")?;
    Ok(see_other("/sessions"))
}

/// `POST /sessions/end-others`: signs out every session of the user but this one.
pub async fn end_others(
    user: SignedIn,
    session: AppSession,
    state: web::Data<AppState>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let keep = session
        .session_id()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a signed-in session without a row")))?;
    let ended = db::sessions::end_all_of_user(&state.db.pool, user.account.id, Some(keep)).await?;
    session.flash(&match ended {
        0 => "You were signed in nowhere else.".to_owned(),
        1 => "1 other session is signed out.".to_owned(),
        n => format!("{n} other sessions are signed out."),
    })?;
    Ok(see_other("/sessions"))
}

/// The user named by an admin path, or 404.
async fn target(state: &AppState, id: i64) -> Result<db::users::Account, AppError> {
    db::users::account(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /admin/users/{id}/sessions`
pub async fn of_user(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let target = target(&state, id.into_inner()).await?;
    let sessions = db::sessions::of_user(&state.db.pool, target.id).await?;
    html(
        StatusCode::OK,
        &SessionsPage {
            layout: Layout::new(&admin.user, &session)?,
            of_user: Some((target.id, target.username)),
            sessions: listed(sessions, session.session_id()),
            idle: duration(state.session_limits.idle_seconds),
            lifetime: duration(state.session_limits.lifetime_seconds),
        },
    )
}

/// `POST /admin/users/{id}/sessions/end`: signs the user out everywhere.
pub async fn end_all_of_user(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let target = target(&state, id.into_inner()).await?;
    let ended = crate::admin::accounts::end_sessions(&state.db, &admin.by(), &target).await?;
    session.flash(&format!(
        "{} is signed out everywhere ({ended} sessions ended).",
        target.username
    ))?;
    if target.id == admin.user.account.id {
        return Ok(see_other("/login"));
    }
    Ok(see_other(&format!("/admin/users/{}/sessions", target.id)))
}

#[cfg(test)]
mod tests {
    use super::browser_name;

    #[test]
    fn a_user_agent_reads_as_browser_and_system() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
                      Chrome/156.0.0.0 Safari/537.36";
        assert_eq!(browser_name(Some(chrome)), "Chrome on Linux");
        let firefox =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0";
        assert_eq!(browser_name(Some(firefox)), "Firefox on Windows");
        assert_eq!(browser_name(None), "Unknown browser");
        assert_eq!(browser_name(Some("ptrdesk-test")), "ptrdesk-test");
    }
}

//! A user's language and time zone: the header's language menu (`POST /account/language`,
//! back to the page it was used on) and the page with both (`GET`/`POST /account/preferences`).
//! Stored with the user, so every browser and every node shows the same.

use crate::auth::SignedIn;
use crate::error::AppError;
use crate::i18n::{self, filters};
use crate::routes::layout::{Layout, html};
use crate::session::{AppSession, CsrfForm};
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "account/preferences.html")]
struct PreferencesPage {
    layout: Layout,
    /// The stored choice; empty: follow the browser.
    language: String,
    /// The stored choice; empty: the provider's default.
    time_zone: String,
    default_time_zone: String,
    time_zones: &'static [String],
    /// What was wrong with the time zone typed, beside its field.
    time_zone_error: Option<String>,
    /// A stored time shown as the user will see times.
    example: i64,
}

impl PreferencesPage {
    fn languages(&self) -> &'static [i18n::Language] {
        i18n::languages()
    }
}

async fn render(
    user: &SignedIn,
    session: &AppSession,
    state: &AppState,
    typed: Option<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let (language, time_zone, time_zone_error, status) = match typed {
        Some((language, time_zone, error)) => (
            language,
            time_zone,
            Some(error),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        None => (
            user.account.language.clone().unwrap_or_default(),
            user.account.time_zone.clone().unwrap_or_default(),
            None,
            StatusCode::OK,
        ),
    };
    let page = PreferencesPage {
        layout: Layout::new(user, session)?,
        language,
        time_zone,
        default_time_zone: state
            .default_locale
            .time_zone
            .iana_name()
            .unwrap_or("UTC")
            .to_owned(),
        time_zones: i18n::time_zone_names(),
        time_zone_error,
        example: crate::clock::now(),
    };
    html(status, &page)
}

/// `GET /account/preferences`
pub async fn page(
    user: SignedIn,
    session: AppSession,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    render(&user, &session, &state, None).await
}

/// The preferences form: both fields may be empty (follow the browser, the default).
#[derive(Deserialize)]
pub struct PreferencesForm {
    #[serde(default)]
    language: String,
    #[serde(default)]
    time_zone: String,
}

/// `POST /account/preferences`
pub async fn save(
    user: SignedIn,
    session: AppSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<PreferencesForm>,
) -> Result<HttpResponse, AppError> {
    let language = match form.language.trim() {
        "" => None,
        code => Some(
            i18n::language(code)
                .ok_or_else(|| AppError::BadRequest(i18n::t("preferences-unknown-language")))?
                .to_string(),
        ),
    };
    let time_zone = match form.time_zone.trim() {
        "" => None,
        name => match i18n::time_zone(name) {
            Some(zone) => Some(zone.iana_name().unwrap_or(name).to_owned()),
            None => {
                let error = i18n::t_args("preferences-unknown-time-zone", &[("name", &name)]);
                return render(
                    &user,
                    &session,
                    &state,
                    Some((form.language.clone(), name.to_owned(), error)),
                )
                .await;
            }
        },
    };
    crate::admin::accounts::set_locale(
        &state.db,
        user.account.id,
        language.as_deref(),
        time_zone.as_deref(),
    )
    .await?;
    // The confirmation reads in the language just chosen.
    i18n::follow_user(language.as_deref(), time_zone.as_deref());
    session.flash(&i18n::t("preferences-saved"))?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/account/preferences"))
        .finish())
}

/// The header's language menu.
#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    language: String,
}

/// `POST /account/language`: the language chosen in the header; back to the page it was
/// chosen on (the `Referer`, when it is one of ours), else the start page.
pub async fn choose_language(
    req: HttpRequest,
    user: SignedIn,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<LanguageForm>,
) -> Result<HttpResponse, AppError> {
    let language = i18n::language(&form.language)
        .ok_or_else(|| AppError::BadRequest(i18n::t("preferences-unknown-language")))?;
    crate::admin::accounts::set_locale(
        &state.db,
        user.account.id,
        Some(&language.to_string()),
        user.account.time_zone.as_deref(),
    )
    .await?;
    let origin = crate::routes::same_origin::public_origin(&req);
    let back = req
        .headers()
        .get(header::REFERER)
        .and_then(|referer| referer.to_str().ok())
        .and_then(|referer| referer.strip_prefix(origin.as_str()))
        .filter(|path| path.starts_with('/') && !path.starts_with("//"))
        .unwrap_or("/")
        .to_owned();
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, back))
        .finish())
}

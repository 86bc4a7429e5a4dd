//! Staff API credentials (provisioning, monitoring): the list, making one (its secret shown
//! once, on the answer to the form) and revoking one, through [`crate::admin::credentials`].

use super::{FormState, done};
use crate::admin::credentials;
use crate::auth::AdminUser;
use crate::db;
use crate::domain::StaffScope;
use crate::error::AppError;
use crate::i18n::filters;
use crate::routes::layout::{Layout, html_no_store};
use crate::session::{AppSession, CsrfForm, NoFields};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

/// One credential as listed.
struct Listed {
    id: i64,
    label: String,
    username: String,
    scope: &'static str,
    created: String,
    last_used: Option<String>,
    revoked: Option<String>,
}

/// A credential just made, with its secret: on this answer only.
struct Made {
    title: String,
    username: String,
    secret: String,
}

#[derive(Template)]
#[template(path = "admin/credentials.html")]
struct CredentialsPage {
    layout: Layout,
    tab: &'static str,
    credentials: Vec<Listed>,
    made: Option<Made>,
    base_url: String,
    form: FormState,
}

async fn render(
    admin: &AdminUser,
    session: &AppSession,
    state: &AppState,
    req: &HttpRequest,
    made: Option<Made>,
    form: FormState,
) -> Result<HttpResponse, AppError> {
    let credentials = db::staff_credentials::listing(&state.db.pool)
        .await?
        .into_iter()
        .map(|credential| Listed {
            id: credential.id,
            label: credential.label,
            username: credential.username,
            scope: credential.scope.as_str(),
            created: crate::clock::display(credential.created_at),
            last_used: credential.last_used_at.map(crate::clock::display),
            revoked: credential.revoked_at.map(crate::clock::display),
        })
        .collect();
    let page = CredentialsPage {
        layout: Layout::new(&admin.user, session)?,
        tab: "credentials",
        credentials,
        made,
        base_url: crate::routes::same_origin::public_origin(req),
        form: form.clone(),
    };
    // The answer to a new credential carries its secret.
    html_no_store(form.status(), &page)
}

/// `GET /admin/credentials`
pub async fn list(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    render(&admin, &session, &state, &req, None, FormState::default()).await
}

/// The "make a credential" form.
#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    label: String,
    #[serde(default)]
    scope: String,
}

/// `POST /admin/credentials`: makes a credential and answers the page with its secret (200,
/// not a redirect: a reload must not show the secret again).
pub async fn add(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    req: HttpRequest,
    CsrfForm(form): CsrfForm<AddForm>,
) -> Result<HttpResponse, AppError> {
    let values = [
        ("label", form.label.as_str()),
        ("scope", form.scope.as_str()),
    ];
    let problem = |field: &str, message: String| FormState::problem("add", field, message, &values);
    let Some(scope) = StaffScope::parse(form.scope.trim()) else {
        let problem = problem("scope", crate::i18n::t("admin-error-choose-scope"));
        return render(&admin, &session, &state, &req, None, problem).await;
    };
    match credentials::add(&state.db, &admin.by(), &form.label, scope).await? {
        Ok(made) => {
            let made = Made {
                title: crate::i18n::t_args(
                    "admin-credential-made-title",
                    &[("label", &form.label.trim())],
                ),
                username: made.username,
                secret: made.secret,
            };
            render(
                &admin,
                &session,
                &state,
                &req,
                Some(made),
                FormState::default(),
            )
            .await
        }
        Err(refused) => {
            let problem = problem("label", refused.text().render());
            render(&admin, &session, &state, &req, None, problem).await
        }
    }
}

/// `POST /admin/credentials/{id}/revoke`
pub async fn revoke(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    if !credentials::revoke(&state.db, &admin.by(), path.into_inner()).await? {
        return Err(AppError::NotFound);
    }
    let message = crate::i18n::t("admin-credential-revoked");
    done(&session, &message, "/admin/credentials")
}

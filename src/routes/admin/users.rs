//! Users: the list, adding one (role, customer for customer users, initial password),
//! changing a role, resetting a password (the new one is shown once) and disabling or
//! enabling an account (through [`crate::admin::accounts`], which ends the user's sessions).

use super::{FormState, see_other};
use crate::admin::accounts::{self, Refused};
use crate::auth::AdminUser;
use crate::db::{self, admin::LIST_CAP, admin::UserRow};
use crate::domain::{EmailAddress, Role};
use crate::error::AppError;
use crate::field_limits;
use crate::i18n::filters;
use crate::routes::layout::{Layout, html};
use crate::session::{AppSession, CsrfForm, NoFields};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use askama::Template;
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    layout: Layout,
    tab: &'static str,
    q: String,
    users: Vec<UserRow>,
    /// More users match than are listed.
    more: bool,
    cap: i64,
    form: FormState,
}

impl UsersPage {
    fn role_label(role: &Role) -> String {
        crate::i18n::t(match role {
            Role::Customer => "admin-role-customer",
            Role::Admin => "admin-role-admin",
            Role::HelpDesk => "admin-role-helpdesk",
        })
    }
}

/// The users page listing the users `q` finds (the first [`LIST_CAP`] without one).
async fn render(
    admin: &AdminUser,
    session: &AppSession,
    state: &AppState,
    q: &str,
    form: FormState,
) -> Result<HttpResponse, AppError> {
    let status = form.status();
    let users = db::admin::users(&state.db.pool, q.trim()).await?;
    let page = UsersPage {
        layout: Layout::new(&admin.user, session)?,
        tab: "users",
        q: q.to_owned(),
        users: users.rows,
        more: users.more,
        cap: LIST_CAP,
        form,
    };
    html(status, &page)
}

/// The list's search box.
#[derive(Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
}

/// `GET /admin/users?q=…`
pub async fn list(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    query: web::Query<Search>,
) -> Result<HttpResponse, AppError> {
    let q = &query.q;
    field_limits::check(&[("the search text", q, field_limits::SEARCH)]).map_err(|too_long| {
        AppError::BadRequest(crate::i18n::t_args(
            "form-search-too-long",
            &[("problem", &too_long.text())],
        ))
    })?;
    render(&admin, &session, &state, q, FormState::default()).await
}

/// Where the browser goes after a change to `user`: the list narrowed to that user, who might
/// not be among the first [`LIST_CAP`] otherwise.
fn back_to(user: &str) -> HttpResponse {
    let query = serde_urlencoded::to_string([("q", user)]).unwrap_or_default();
    see_other(&format!("/admin/users?{query}"))
}

/// The role and customer fields, as the add and role forms send them.
async fn role_and_customer(
    state: &AppState,
    form_name: &str,
    role: &str,
    customer: &str,
    values: &[(&str, &str)],
) -> Result<Result<(Role, Option<i64>), FormState>, AppError> {
    let Some(role) = Role::parse(role.trim()) else {
        return Ok(Err(FormState::problem(
            form_name,
            "role",
            crate::i18n::t("admin-error-choose-role"),
            values,
        )));
    };
    if role != Role::Customer {
        return Ok(Ok((role, None)));
    }
    let number = customer.trim();
    if number.is_empty() {
        return Ok(Err(FormState::problem(
            form_name,
            "customer",
            crate::i18n::t("admin-error-customer-needed"),
            values,
        )));
    }
    // Longer than any number or name: no customer has it, and it is not looked up.
    let findable = number.chars().count() <= field_limits::CUSTOMER_NAME;
    let found = if findable {
        db::customers::find(&state.db.pool, number).await?
    } else {
        None
    };
    match found {
        Some(customer) => Ok(Ok((role, Some(customer.id)))),
        None => Ok(Err(FormState::problem(
            form_name,
            "customer",
            crate::i18n::t("admin-error-no-customer"),
            values,
        ))),
    }
}

/// The "add a user" form.
#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    customer: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    email: String,
}

/// `POST /admin/users`
pub async fn add(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<AddForm>,
) -> Result<HttpResponse, AppError> {
    let values = [
        ("username", form.username.as_str()),
        ("role", form.role.as_str()),
        ("customer", form.customer.as_str()),
        ("email", form.email.as_str()),
    ];
    let refused = |refused: Refused| {
        FormState::problem("add", refused.field(), refused.text().render(), &values)
    };
    let email = match form.email.trim() {
        "" => None,
        typed => match EmailAddress::parse(typed) {
            Ok(email) => Some(email),
            Err(err) => {
                let problem = FormState::problem("add", "email", err.message(), &values);
                return render(&admin, &session, &state, "", problem).await;
            }
        },
    };
    let username = accounts::check_username(&form.username).map_err(refused);
    let chosen = role_and_customer(&state, "add", &form.role, &form.customer, &values).await?;
    let added = match (username, chosen) {
        (Err(problem), _) | (_, Err(problem)) => Err(problem),
        (Ok(username), Ok((role, customer_id))) => match accounts::check_password(&form.password) {
            Err(refusal) => Err(refused(refusal)),
            Ok(()) => {
                let password = SecretString::from(form.password.clone());
                let hash = crate::password::hash(password).await?;
                accounts::add_user(&state.db, &admin.by(), username, &hash, role, customer_id)
                    .await?
                    .map(|id| (username, id))
                    .map_err(refused)
            }
        },
    };
    match added {
        Ok((username, id)) => {
            if let Some(email) = &email
                && let Some(user) = db::users::account(&state.db.pool, id).await?
            {
                accounts::set_email(&state.db, &admin.by(), &user, Some(email)).await?;
            }
            session.flash(&crate::i18n::t_args(
                "admin-user-added",
                &[("user", &username)],
            ))?;
            Ok(back_to(username))
        }
        Err(problem) => render(&admin, &session, &state, "", problem).await,
    }
}

/// The user named by a path, or 404.
async fn user(state: &AppState, id: i64) -> Result<db::users::Account, AppError> {
    db::users::account(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The "change role" form.
#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    customer: String,
}

/// `POST /admin/users/{id}/role`
pub async fn change_role(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let target = user(&state, path.into_inner()).await?;
    let form_name = format!("user-{}", target.id);
    let values = [
        ("role", form.role.as_str()),
        ("customer", form.customer.as_str()),
    ];
    let chosen = role_and_customer(&state, &form_name, &form.role, &form.customer, &values).await?;
    let chosen = chosen.and_then(|(role, customer_id)| {
        if target.id == admin.user.account.id && role != Role::Admin {
            Err(FormState::problem(
                form_name.as_str(),
                "role",
                crate::i18n::t("admin-error-own-role"),
                &values,
            ))
        } else {
            Ok((role, customer_id))
        }
    });
    let (role, customer_id) = match chosen {
        Ok(chosen) => chosen,
        Err(problem) => {
            return render(&admin, &session, &state, &target.username, problem).await;
        }
    };
    accounts::set_role(&state.db, &admin.by(), &target, role, customer_id).await?;
    session.flash(&crate::i18n::t_args(
        "admin-user-role-changed",
        &[
            ("user", &target.username),
            ("role", &UsersPage::role_label(&role)),
        ],
    ))?;
    Ok(back_to(&target.username))
}

/// The "e-mail address" form.
#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

/// `POST /admin/users/{id}/email`: where the user's notification mails go (empty: nowhere).
pub async fn set_email(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<EmailForm>,
) -> Result<HttpResponse, AppError> {
    let target = user(&state, path.into_inner()).await?;
    let email = match form.email.trim() {
        "" => None,
        typed => match EmailAddress::parse(typed) {
            Ok(email) => Some(email),
            Err(err) => {
                let form_name = format!("user-{}", target.id);
                let values = [("email", form.email.as_str())];
                let problem = FormState::problem(&form_name, "email", err.message(), &values);
                return render(&admin, &session, &state, &target.username, problem).await;
            }
        },
    };
    accounts::set_email(&state.db, &admin.by(), &target, email.as_ref()).await?;
    session.flash(&match &email {
        Some(email) => crate::i18n::t_args(
            "admin-user-email-set",
            &[("user", &target.username), ("email", &email.to_string())],
        ),
        None => crate::i18n::t_args("admin-user-email-removed", &[("user", &target.username)]),
    })?;
    Ok(back_to(&target.username))
}

/// `POST /admin/users/{id}/password`: a new random password, shown once in the flash.
pub async fn reset_password(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let target = user(&state, path.into_inner()).await?;
    let password = crate::token::random_token(10);
    let hash = crate::password::hash(SecretString::from(password.clone())).await?;
    accounts::set_password(&state.db, &admin.by(), &target, &hash).await?;
    session.flash(&crate::i18n::t_args(
        "admin-user-password-reset",
        &[("user", &target.username), ("password", &password)],
    ))?;
    Ok(back_to(&target.username))
}

/// `POST /admin/users/{id}/two-factor/reset`: the user lost their authenticator app and
/// their recovery codes; they enrol again at their next sign-in.
pub async fn reset_two_factor(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let target = user(&state, path.into_inner()).await?;
    accounts::reset_two_factor(&state.db, &admin.by(), &target).await?;
    session.flash(&crate::i18n::t_args(
        "admin-user-two-factor-reset",
        &[("user", &target.username)],
    ))?;
    Ok(back_to(&target.username))
}

/// `POST /admin/users/{id}/disable`
pub async fn disable(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    set_disabled(admin, session, state, path.into_inner(), true).await
}

/// `POST /admin/users/{id}/enable`
pub async fn enable(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    set_disabled(admin, session, state, path.into_inner(), false).await
}

async fn set_disabled(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    id: i64,
    disabled: bool,
) -> Result<HttpResponse, AppError> {
    let target = user(&state, id).await?;
    if disabled && target.id == admin.user.account.id {
        let problem = FormState::problem(
            format!("user-{id}"),
            "disable",
            crate::i18n::t("admin-error-disable-self"),
            &[],
        );
        return render(&admin, &session, &state, &target.username, problem).await;
    }
    accounts::set_disabled(&state.db, &admin.by(), &target, disabled).await?;
    let done = if disabled {
        "admin-user-disabled"
    } else {
        "admin-user-enabled"
    };
    session.flash(&crate::i18n::t_args(done, &[("user", &target.username)]))?;
    Ok(back_to(&target.username))
}

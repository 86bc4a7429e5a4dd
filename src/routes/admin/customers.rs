//! Customers: the searchable list, adding one (number + name), and one customer's page with
//! its servers and assignments (whose actions live in [`super::assignments`]), and renaming.

use super::{FormState, done, field};
use crate::admin::{self, customers::NumberTaken};
use crate::auth::AdminUser;
use crate::db::{self, admin::AssignmentRow, admin::CustomerRow, customers::Customer};
use crate::error::AppError;
use crate::field_limits;
use crate::i18n::filters;
use crate::routes::layout::{Layout, html};
use crate::session::{AppSession, CsrfForm};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/customers.html")]
struct CustomersPage {
    layout: Layout,
    tab: &'static str,
    q: String,
    customers: Vec<CustomerRow>,
    /// More customers match than are listed.
    more: bool,
    cap: i64,
    form: FormState,
}

/// The list's search box.
#[derive(Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
}

async fn render_list(
    admin: &AdminUser,
    session: &AppSession,
    state: &AppState,
    q: String,
    form: FormState,
) -> Result<HttpResponse, AppError> {
    let status = form.status();
    let customers = db::admin::customers(&state.db.pool, q.trim()).await?;
    let page = CustomersPage {
        layout: Layout::new(&admin.user, session)?,
        tab: "customers",
        q,
        customers: customers.rows,
        more: customers.more,
        cap: db::admin::LIST_CAP,
        form,
    };
    html(status, &page)
}

/// `GET /admin/customers`
pub async fn list(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    query: web::Query<Search>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner().q;
    field_limits::check(&[("the search text", &q, field_limits::SEARCH)]).map_err(|too_long| {
        AppError::BadRequest(crate::i18n::t_args(
            "form-search-too-long",
            &[("problem", &too_long.text())],
        ))
    })?;
    render_list(&admin, &session, &state, q, FormState::default()).await
}

/// The "add a customer" form.
#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    name: String,
}

/// `POST /admin/customers`
pub async fn add(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<AddForm>,
) -> Result<HttpResponse, AppError> {
    let values = [
        ("number", form.number.as_str()),
        ("name", form.name.as_str()),
    ];
    let problem = |field: &str, message: &str| FormState::problem("add", field, message, &values);
    let added = match (
        field(&form.number, field_limits::CUSTOMER_NUMBER),
        field(&form.name, field_limits::CUSTOMER_NAME),
    ) {
        (None, _) => Err(problem(
            "number",
            &crate::i18n::t("admin-error-customer-number"),
        )),
        (_, None) => Err(problem(
            "name",
            &crate::i18n::t("admin-error-customer-name"),
        )),
        (Some(number), Some(name)) => admin::customers::add(&state.db, &admin.by(), number, name)
            .await?
            .map(|id| (id, number, name))
            .map_err(|NumberTaken| problem("number", &crate::i18n::t("admin-error-number-taken"))),
    };
    match added {
        Ok((id, number, name)) => done(
            &session,
            &crate::i18n::t_args(
                "admin-customer-added",
                &[("number", &number), ("name", &name)],
            ),
            &format!("/admin/customers/{id}"),
        ),
        Err(problem) => render_list(&admin, &session, &state, String::new(), problem).await,
    }
}

#[derive(Template)]
#[template(path = "admin/customer.html")]
struct CustomerPage {
    layout: Layout,
    tab: &'static str,
    customer: Customer,
    servers: Vec<db::inventory::Server>,
    /// The assignments search box.
    q: String,
    assignments: Vec<AssignmentRow>,
    /// More assignments match than are listed.
    more: bool,
    cap: i64,
    form: FormState,
}

/// The customer named by a path, or 404.
pub(crate) async fn customer(state: &AppState, id: i64) -> Result<Customer, AppError> {
    db::customers::by_id(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// One customer's page listing the assignments `q` finds (the first [`db::admin::LIST_CAP`]
/// without one), with `form` showing a problem (if any) beside its field. A problem with one
/// assignment's form comes with that assignment's network as `q`, so that it is listed.
pub(crate) async fn render_customer(
    admin: &AdminUser,
    session: &AppSession,
    state: &AppState,
    customer_id: i64,
    q: &str,
    form: FormState,
) -> Result<HttpResponse, AppError> {
    let status = form.status();
    let customer = customer(state, customer_id).await?;
    let servers = db::inventory::servers_of(&state.db.pool, customer_id).await?;
    let assignments = db::admin::assignments_of(&state.db.pool, customer_id, q.trim()).await?;
    let page = CustomerPage {
        layout: Layout::new(&admin.user, session)?,
        tab: "customers",
        customer,
        servers,
        q: q.to_owned(),
        assignments: assignments.rows,
        more: assignments.more,
        cap: db::admin::LIST_CAP,
        form,
    };
    html(status, &page)
}

/// `GET /admin/customers/{id}?q=…`
pub async fn show(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    query: web::Query<Search>,
) -> Result<HttpResponse, AppError> {
    let q = &query.q;
    field_limits::check(&[("the search text", q, field_limits::SEARCH)]).map_err(|too_long| {
        AppError::BadRequest(crate::i18n::t_args(
            "form-search-too-long",
            &[("problem", &too_long.text())],
        ))
    })?;
    render_customer(
        &admin,
        &session,
        &state,
        path.into_inner(),
        q,
        FormState::default(),
    )
    .await
}

/// The rename form.
#[derive(Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    name: String,
}

/// `POST /admin/customers/{id}/rename`
pub async fn rename(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<RenameForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let before = customer(&state, id).await?;
    let Some(name) = field(&form.name, field_limits::CUSTOMER_NAME) else {
        let problem = FormState::problem(
            "rename",
            "name",
            crate::i18n::t("admin-error-new-name"),
            &[("name", &form.name)],
        );
        return render_customer(&admin, &session, &state, id, "", problem).await;
    };
    admin::customers::rename(&state.db, &admin.by(), id, &before.name, name).await?;
    let message = crate::i18n::t_args(
        "admin-customer-renamed",
        &[("number", &before.number), ("name", &name)],
    );
    done(&session, &message, &format!("/admin/customers/{id}"))
}

//! The forms of one customer's servers and IP assignments: add a server, add an assignment,
//! move one to another server or customer, remove one. What each does, and why a PTR never
//! follows an IP to a new owner, is [`crate::admin::assignments`].

use super::customers::{customer, render_customer};
use super::{FormState, done, field};
use crate::admin::assignments::{self as write, MoveTarget, ServerExists};
use crate::auth::AdminUser;
use crate::db;
use crate::domain::Network;
use crate::error::AppError;
use crate::field_limits;
use crate::session::{AppSession, CsrfForm};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

impl From<write::Error> for AppError {
    fn from(err: write::Error) -> AppError {
        match err {
            write::Error::NotFound => AppError::NotFound,
            write::Error::Database(err) => err.into(),
            err @ write::Error::Reset(_) => AppError::Internal(err.into()),
        }
    }
}

/// The "add a server" form.
#[derive(Deserialize)]
pub struct ServerForm {
    #[serde(default)]
    name: String,
}

/// `POST /admin/customers/{id}/servers`
pub async fn add_server(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<ServerForm>,
) -> Result<HttpResponse, AppError> {
    let customer = customer(&state, path.into_inner()).await?;
    let problem = |message: &str| {
        FormState::problem("server", "name", message, &[("name", form.name.as_str())])
    };
    let added = match field(&form.name, field_limits::SERVER_NAME) {
        None => Err(problem(&crate::i18n::t("admin-error-server-name"))),
        Some(name) => write::add_server(&state.db, &admin.by(), &customer, name)
            .await?
            .map(|_| name)
            .map_err(|ServerExists| problem(&ServerExists.text().render())),
    };
    match added {
        Ok(name) => done(
            &session,
            &crate::i18n::t_args("admin-server-added", &[("name", &name)]),
            &format!("/admin/customers/{}", customer.id),
        ),
        Err(problem) => render_customer(&admin, &session, &state, customer.id, "", problem).await,
    }
}

/// The "add an assignment" form.
#[derive(Deserialize)]
pub struct AssignmentForm {
    #[serde(default)]
    server: String,
    #[serde(default)]
    network: String,
}

/// `POST /admin/customers/{id}/assignments`
pub async fn add(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<AssignmentForm>,
) -> Result<HttpResponse, AppError> {
    let customer = customer(&state, path.into_inner()).await?;
    let values = [
        ("server", form.server.as_str()),
        ("network", form.network.as_str()),
    ];
    let refused =
        |field: &str, message: String| FormState::problem("assignment", field, message, &values);
    let server = match form.server.trim().parse::<i64>() {
        Ok(id) => db::admin::server(&state.db.pool, id)
            .await?
            .filter(|s| s.customer_id == customer.id),
        Err(_) => None,
    };
    let network = ("the network", form.network.as_str(), field_limits::NETWORK);
    let network = match field_limits::check(&[network]) {
        Ok(()) => Network::parse(form.network.trim()).map_err(|err| err.text().render()),
        Err(too_long) => Err(too_long.text().render()),
    };
    let added = match (server, network) {
        (None, _) => Err(refused(
            "server",
            crate::i18n::t("admin-error-choose-server"),
        )),
        (_, Err(message)) => Err(refused("network", message)),
        (Some(server), Ok(network)) => {
            let server = (server.id, server.name.as_str());
            let publishing = state.publishing.as_deref();
            write::add_assignment(
                &state.db,
                publishing,
                &admin.by(),
                customer.id,
                server,
                &network,
            )
            .await?
            .map_err(|overlaps| refused("network", overlaps.text().render()))
        }
    };
    match added {
        Ok(value) => done(
            &session,
            &crate::i18n::t_args("admin-assignment-added", &[("network", &value)]),
            &format!("/admin/customers/{}", customer.id),
        ),
        Err(problem) => render_customer(&admin, &session, &state, customer.id, "", problem).await,
    }
}

/// The move form: the target customer (number) and server (name).
#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    customer: String,
    #[serde(default)]
    server: String,
}

/// `POST /admin/assignments/{id}/move`: to another server of the same customer, or to another
/// customer (whose entries then go back to the default).
pub async fn move_to(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let target = MoveTarget {
        customer: &form.customer,
        server: &form.server,
    };
    match write::move_to(&state.db, &state.engine, &admin.by(), id, target).await? {
        Ok(moved) => {
            let network = moved.before.network;
            let mut message = crate::i18n::t_args(
                "admin-assignment-moved",
                &[
                    ("network", &network.to_string()),
                    ("server", &moved.server_name),
                    ("customer", &moved.to.name),
                ],
            );
            if let Some(reset) = moved.reset {
                message.push(' ');
                message.push_str(&crate::i18n::t_args(
                    "admin-assignment-moved-reset",
                    &[("count", &reset)],
                ));
            }
            let location = format!("/admin/customers/{}", moved.before.customer_id);
            done(&session, &message, &location)
        }
        Err(refused) => {
            let values = [
                ("customer", form.customer.as_str()),
                ("server", form.server.as_str()),
            ];
            let message = refused.text().render();
            let problem =
                FormState::problem(format!("move-{id}"), refused.field(), message, &values);
            again(&admin, &session, &state, id, problem).await
        }
    }
}

/// The customer page again with `problem` beside the form of assignment `id`, which is listed
/// (the list narrowed to it).
async fn again(
    admin: &AdminUser,
    session: &AppSession,
    state: &AppState,
    id: i64,
    problem: FormState,
) -> Result<HttpResponse, AppError> {
    let assignment = write::held(&state.db, id).await?;
    let network = assignment.network.to_string();
    render_customer(
        admin,
        session,
        state,
        assignment.customer_id,
        &network,
        problem,
    )
    .await
}

/// The remove form: `reset` set to confirm that the assignment's PTRs go back to the default.
#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    reset: String,
}

/// `POST /admin/assignments/{id}/remove`: only without PTRs of its own or open changes,
/// unless the form asks to reset them first.
pub async fn remove(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<RemoveForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let reset = !form.reset.is_empty();
    match write::remove(&state.db, &state.engine, &admin.by(), id, reset).await? {
        Ok(removed) => {
            let message = crate::i18n::t_args(
                "admin-assignment-removed",
                &[
                    ("network", &removed.assignment.network.to_string()),
                    ("count", &removed.reset),
                ],
            );
            let location = format!("/admin/customers/{}", removed.assignment.customer_id);
            done(&session, &message, &location)
        }
        Err(has_entries) => {
            let message = has_entries.text().render();
            let problem = FormState::problem(format!("remove-{id}"), "reset", message, &[]);
            again(&admin, &session, &state, id, problem).await
        }
    }
}

/// The delegation form: `allowed` is `yes` or `no`.
#[derive(Deserialize)]
pub struct DelegationForm {
    #[serde(default)]
    allowed: String,
}

/// `POST /admin/assignments/{id}/delegation`: allows the customer to delegate the assignment
/// to their own name servers, or forbids it (ending a delegation in force).
pub async fn delegation(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<DelegationForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let allowed = form.allowed == "yes";
    let refuse =
        |message: String| FormState::problem(format!("delegation-{id}"), "allowed", message, &[]);
    let Some(publishing) = &state.publishing else {
        let message = crate::i18n::t("admin-delegation-no-dns");
        return again(&admin, &session, &state, id, refuse(message)).await;
    };
    if allowed && publishing.dnssec.is_some() {
        // A signed parent must prove the child unsigned (NSEC at the cut, no DS); ptrdesk
        // does not sign delegations yet.
        let message = crate::i18n::t("admin-delegation-dnssec");
        return again(&admin, &session, &state, id, refuse(message)).await;
    }
    match write::allow_delegation(&state.db, &admin.by(), &publishing.cuts, id, allowed).await? {
        Ok(()) => {
            let assignment = write::held(&state.db, id).await?;
            let message = if allowed {
                crate::i18n::t_args(
                    "admin-delegation-allowed",
                    &[("network", &assignment.network.to_string())],
                )
            } else {
                crate::i18n::t_args(
                    "admin-delegation-ended",
                    &[("network", &assignment.network.to_string())],
                )
            };
            let location = format!(
                "/admin/customers/{}#assignment-{id}",
                assignment.customer_id
            );
            done(&session, &message, &location)
        }
        Err(not_delegable) => {
            let mut message = not_delegable.text().render();
            message.push('.');
            again(&admin, &session, &state, id, refuse(message)).await
        }
    }
}

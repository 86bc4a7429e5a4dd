//! Servers and IP assignments of a customer: add a server, add an assignment, move one to
//! another server or customer, remove one.
//!
//! Policy: a PTR never follows an IP to a new owner. Moving an assignment to another customer,
//! and removing one, first resets every address of it that has a PTR of its own or an open
//! change back to the default through [`changes::record`] (door `system`, the admin as actor),
//! in the same transaction as the move, so the reset is audited like any other change and
//! supersedes the old owner's open changes. The move holds the assignment's lock from before
//! it reads what to reset until it commits; a save of one of its addresses in flight takes
//! the same lock and asks again who holds the address, so no PTR of the old owner is recorded
//! after the reset list was read.

use super::customers::{customer, render_customer};
use super::{FormState, audit_row, field, see_other};
use crate::auth::AdminUser;
use crate::changes::{self, ChangeRequest, Requested, SubmitError};
use crate::db::{self, PublishTx, admin::HeldAssignment};
use crate::domain::{Door, Network};
use crate::error::AppError;
use crate::field_limits;
use crate::session::{AppSession, CsrfForm};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

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
    let Some(name) = field(&form.name, field_limits::SERVER_NAME) else {
        let problem = problem("Enter the server's name (at most 100 characters).");
        return render_customer(
            &admin,
            &session,
            &state,
            customer.id,
            "",
            problem,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let mut tx = state.db.begin_write().await?;
    if db::inventory::find_server(&mut *tx, customer.id, name)
        .await?
        .is_some()
    {
        drop(tx);
        let problem = problem("This customer has a server with this name already.");
        return render_customer(
            &admin,
            &session,
            &state,
            customer.id,
            "",
            problem,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    db::inventory::insert_server(&mut *tx, customer.id, name, crate::clock::now()).await?;
    audit_row(
        &mut tx,
        &admin,
        "server.add",
        Some(customer.id),
        None,
        Some(name),
    )
    .await?;
    tx.commit().await?;
    session.flash(&format!("Server {name} was added."))?;
    Ok(see_other(&format!("/admin/customers/{}", customer.id)))
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
    let server = match form.server.trim().parse::<i64>() {
        Ok(id) => db::admin::server(&state.db.pool, id)
            .await?
            .filter(|s| s.customer_id == customer.id),
        Err(_) => None,
    };
    let refused =
        |field: &str, message: String| FormState::problem("assignment", field, message, &values);
    let network = ("the network", form.network.as_str(), field_limits::NETWORK);
    let network = match field_limits::check(&[network]) {
        Ok(()) => Network::parse(form.network.trim()).map_err(|err| err.to_string()),
        Err(too_long) => Err(too_long.message),
    };
    let outcome = match (server, network) {
        (None, _) => Err(refused(
            "server",
            "Choose one of this customer's servers.".to_owned(),
        )),
        (_, Err(message)) => Err(refused("network", message)),
        (Some(server), Ok(network)) => {
            let mut tx = state.db.begin_publish().await?;
            let now = crate::clock::now();
            match db::inventory::add_assignment(&mut tx, server.id, &network, now).await? {
                Err(Some(existing)) => Err(refused(
                    "network",
                    format!("{network} overlaps the existing assignment {existing}."),
                )),
                Err(None) => Err(refused(
                    "network",
                    format!("{network} overlaps an assignment added at the same moment."),
                )),
                Ok(_) => {
                    tx.range_changed(network.first(), network.last());
                    if let Some(publishing) = &state.publishing {
                        crate::dns::sync::create_zones_of(&mut tx, publishing, &network, now)
                            .await?;
                    }
                    let value = format!("{network} on {}", server.name);
                    audit_row(
                        &mut tx,
                        &admin,
                        "assignment.add",
                        Some(customer.id),
                        None,
                        Some(&value),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(value)
                }
            }
        }
    };
    match outcome {
        Ok(value) => {
            session.flash(&format!("Assignment {value} was added."))?;
            Ok(see_other(&format!("/admin/customers/{}", customer.id)))
        }
        Err(problem) => {
            render_customer(
                &admin,
                &session,
                &state,
                customer.id,
                "",
                problem,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// The assignment named by a path, or 404.
async fn held(state: &AppState, id: i64) -> Result<HeldAssignment, AppError> {
    db::admin::assignment(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The assignment `id`, locked for the rest of `tx` against the writers of its addresses and
/// other admins, as it is now; 404 when it is gone.
async fn locked(tx: &mut PublishTx, id: i64) -> Result<HeldAssignment, AppError> {
    tx.lock_assignments(&[id]).await?;
    db::admin::assignment(&mut ***tx, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Resets every address of `assignment` that has a PTR of its own or an open change to the
/// default, inside `tx`; returns how many were reset.
async fn reset_all(
    tx: &mut PublishTx,
    state: &AppState,
    admin: &AdminUser,
    assignment: &HeldAssignment,
) -> Result<usize, AppError> {
    let addresses = db::admin::addresses_to_reset(&mut ***tx, assignment.id).await?;
    let mut reset = 0;
    for ip in addresses {
        let Some(owned) = db::inventory::owned_ip(&mut ***tx, assignment.customer_id, ip).await?
        else {
            continue;
        };
        let request = ChangeRequest {
            owned,
            requested: Requested::Default,
            based_on_version: None,
            door: Door::System,
            actor: admin.user.actor(),
        };
        let prepared = changes::prepare(&state.engine, request)
            .await
            .map_err(submit_error)?;
        match changes::record(tx, prepared).await {
            Ok(_) => reset += 1,
            Err(SubmitError::NotOwned) => {}
            Err(err) => return Err(submit_error(err)),
        }
    }
    Ok(reset)
}

fn submit_error(err: SubmitError) -> AppError {
    AppError::Internal(anyhow::anyhow!("resetting an entry to the default: {err}"))
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
    let assignment = held(&state, path.into_inner()).await?;
    let form_name = format!("move-{}", assignment.id);
    let values = [
        ("customer", form.customer.as_str()),
        ("server", form.server.as_str()),
    ];
    let refuse =
        |field: &str, message: &str| FormState::problem(form_name.clone(), field, message, &values);
    // Empty means this customer; longer than any number or name, no customer (not looked up).
    let customer_text = form.customer.trim();
    let target_customer = if customer_text.is_empty() {
        db::customers::by_id(&state.db.pool, assignment.customer_id).await?
    } else if customer_text.chars().count() > field_limits::CUSTOMER_NAME {
        None
    } else {
        db::customers::find(&state.db.pool, customer_text).await?
    };
    let server_text = form.server.trim();
    let problem = match target_customer {
        None => Some(refuse("customer", "There is no customer with this number.")),
        Some(_) if server_text.is_empty() => Some(refuse(
            "server",
            "Enter the name of the server to move it to.",
        )),
        Some(_) if server_text.chars().count() > field_limits::SERVER_NAME => Some(refuse(
            "server",
            "That customer has no server with this name; add it first.",
        )),
        Some(ref target) => {
            match db::inventory::find_server(&state.db.pool, target.id, server_text).await? {
                None => Some(refuse(
                    "server",
                    "That customer has no server with this name; add it first.",
                )),
                Some(id) if id == assignment.server_id => Some(refuse(
                    "server",
                    "The assignment is on this server already.",
                )),
                Some(_) => None,
            }
        }
    };
    let (Some(target), None) = (target_customer, problem.clone()) else {
        let problem = problem.unwrap_or_default();
        return render_customer(
            &admin,
            &session,
            &state,
            assignment.customer_id,
            &assignment.network.to_string(),
            problem,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let server_name = form.server.trim();
    let mut tx = state.db.begin_publish().await?;
    // Read again under the lock: another admin may have moved it since, and saves of its
    // addresses in flight are waited for (they then find it moved), so the reset list below
    // is complete.
    let assignment = locked(&mut tx, assignment.id).await?;
    let server_id = db::inventory::find_server(&mut **tx, target.id, server_name)
        .await?
        .ok_or(AppError::NotFound)?;
    let other_customer = target.id != assignment.customer_id;
    let reset = if other_customer {
        reset_all(&mut tx, &state, &admin, &assignment).await?
    } else {
        0
    };
    db::admin::move_assignment(&mut **tx, assignment.id, server_id).await?;
    let old = format!("{} on {}", assignment.network, assignment.server_name);
    let new = format!(
        "{} on {} ({})",
        assignment.network, server_name, target.number
    );
    audit_row(
        &mut tx,
        &admin,
        "assignment.move",
        Some(target.id),
        Some(&old),
        Some(&new),
    )
    .await?;
    tx.commit().await?;
    let mut message = format!(
        "{} moved to {server_name} of {}.",
        assignment.network, target.name
    );
    if other_customer {
        message.push_str(&format!(
            " {reset} address(es) went back to the provider default."
        ));
    }
    session.flash(&message)?;
    Ok(see_other(&format!(
        "/admin/customers/{}",
        assignment.customer_id
    )))
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
    held(&state, id).await?;
    let mut tx = state.db.begin_publish().await?;
    let assignment = locked(&mut tx, id).await?;
    let pending = db::admin::addresses_to_reset(&mut **tx, assignment.id).await?;
    if !pending.is_empty() && form.reset.is_empty() {
        drop(tx);
        let message = format!(
            "{} has {} address(es) with a PTR of their own or an open change. Use \u{201c}Reset and remove\u{201d} to put them back to the default and remove it.",
            assignment.network,
            pending.len()
        );
        let problem =
            FormState::problem(format!("remove-{}", assignment.id), "reset", message, &[]);
        return render_customer(
            &admin,
            &session,
            &state,
            assignment.customer_id,
            &assignment.network.to_string(),
            problem,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let reset = reset_all(&mut tx, &state, &admin, &assignment).await?;
    db::admin::delete_assignment(&mut tx, assignment.id).await?;
    tx.range_changed(assignment.network.first(), assignment.network.last());
    let old = format!("{} on {}", assignment.network, assignment.server_name);
    audit_row(
        &mut tx,
        &admin,
        "assignment.remove",
        Some(assignment.customer_id),
        Some(&old),
        None,
    )
    .await?;
    tx.commit().await?;
    session.flash(&format!(
        "{} was removed; {reset} address(es) went back to the default first.",
        assignment.network
    ))?;
    Ok(see_other(&format!(
        "/admin/customers/{}",
        assignment.customer_id
    )))
}

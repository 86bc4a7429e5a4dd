//! The provisioning API (staff credentials): the inventory as the provider's systems want it,
//! reconciled by [`crate::admin::inventory`].
//!
//! - `GET /api/v1/inventory/customers/{number}`: the customer's state, with its `ETag`.
//! - `PUT` of the same URL (scope `inventory`): makes the customer hold exactly the body; answers
//!   the difference (`create`, `move`, `remove`, `rename`), empty when nothing changed;
//!   `?dry_run=true` answers it without changing anything; `If-Match` with the `ETag` of a
//!   `GET` refuses the call (412) when the customer changed since.
//! - `DELETE` of the same URL (scope `inventory`): cancels the customer.
//! - `GET …/users`: the customer's logins; `POST …/users` (scope `inventory`): a new login with a
//!   random initial password, answered once.
//! - `GET /api/v1/inventory`: every customer in that shape; `PUT` of it (scope `inventory`): the
//!   whole inventory, `remove_missing` to cancel the customers not listed.
//!
//! Problems with the body are 422 `INVALID_INPUT`, every one listed by JSON path in
//! `problems` (and their paths in `invalid`); nothing is changed.

use super::{ApiError, ApiStaff, Body, rated};
use crate::admin::accounts;
use crate::admin::inventory::{self, CustomerSpec, InventorySpec, Outcome, Reconcile, Refused};
use crate::db;
use crate::i18n;
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

/// Largest body of a whole-inventory call: a provider with a million addresses fits.
pub const INVENTORY_BODY_LIMIT: usize = 256 * 1024 * 1024;

/// `?dry_run=true`
#[derive(Debug, Deserialize)]
pub struct DryRun {
    #[serde(default)]
    dry_run: bool,
}

impl From<inventory::Error> for ApiError {
    fn from(err: inventory::Error) -> ApiError {
        match err {
            inventory::Error::Raced(why) => ApiError::new(
                StatusCode::CONFLICT,
                "CONFLICT",
                i18n::t_args("api-inventory-raced", &[("why", &why)]),
            ),
            err => ApiError::internal(err),
        }
    }
}

/// `GET /api/v1/inventory/customers/{number}`
pub async fn show(
    api: ApiStaff,
    state: web::Data<AppState>,
    number: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let answer = async {
        let Some(customer) = inventory::customer_state(&state.db, &number).await? else {
            return Err(customer_not_found(&number));
        };
        Ok(HttpResponse::Ok()
            .insert_header((header::ETAG, customer.etag()))
            .json(customer))
    };
    rated(&api.rate, answer.await)
}

/// `PUT /api/v1/inventory/customers/{number}`
pub async fn put(
    api: ApiStaff,
    state: web::Data<AppState>,
    req: HttpRequest,
    number: web::Path<String>,
    query: web::Query<DryRun>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let answer = async {
        api.may_write()?;
        let spec: CustomerSpec = body.json()?;
        let by = api.by();
        let reconcile = reconciler(&state, &by, query.dry_run);
        let if_match = if_match(&req);
        let outcome = reconcile.customer(&number, &spec, if_match).await?;
        answer_with_state(&state, &number, outcome).await
    };
    rated(&api.rate, answer.await)
}

/// `DELETE /api/v1/inventory/customers/{number}`: cancels the customer.
pub async fn cancel(
    api: ApiStaff,
    state: web::Data<AppState>,
    req: HttpRequest,
    number: web::Path<String>,
    query: web::Query<DryRun>,
) -> Result<HttpResponse, ApiError> {
    let answer = async {
        api.may_write()?;
        let by = api.by();
        let reconcile = reconciler(&state, &by, query.dry_run);
        let outcome = reconcile.cancel(&number, if_match(&req)).await?;
        answer_with_state(&state, &number, outcome).await
    };
    rated(&api.rate, answer.await)
}

/// `GET /api/v1/inventory/customers/{number}/users`: the customer's logins.
pub async fn users(
    api: ApiStaff,
    state: web::Data<AppState>,
    number: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let answer = async {
        let Some(customer) = db::provisioning::customer(&state.db.pool, &number).await? else {
            return Err(customer_not_found(&number));
        };
        let users = db::provisioning::users_of(&state.db.pool, customer.id).await?;
        Ok(HttpResponse::Ok().json(json!({ "users": users })))
    };
    rated(&api.rate, answer.await)
}

/// The body of a new login.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLogin {
    username: String,
}

/// `POST /api/v1/inventory/customers/{number}/users`: a login for the customer with a random
/// initial password, answered once (the customer changes it after signing in).
pub async fn add_user(
    api: ApiStaff,
    state: web::Data<AppState>,
    number: web::Path<String>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let answer = async {
        api.may_write()?;
        let login: NewLogin = body.json()?;
        let Some(customer) = db::provisioning::customer(&state.db.pool, &number).await? else {
            return Err(customer_not_found(&number));
        };
        let password = crate::token::random_token(10);
        let hash = crate::password::hash(secrecy::SecretString::from(password.clone()))
            .await
            .map_err(ApiError::internal)?;
        let by = api.by();
        let role = crate::domain::Role::Customer;
        let added = accounts::add_user(
            &state.db,
            &by,
            &login.username,
            &hash,
            role,
            Some(customer.id),
        )
        .await?;
        match added {
            Ok(_) => Ok(HttpResponse::Created().json(json!({
                "username": login.username.trim(),
                "password": password,
            }))),
            Err(refused) => Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "INVALID_INPUT",
                refused.text().render(),
            )
            .with("invalid", json!(["username"]))),
        }
    };
    rated(&api.rate, answer.await)
}

/// `GET /api/v1/inventory`: every customer, in the shape `PUT` takes.
pub async fn show_all(api: ApiStaff, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let answer = async {
        let customers = inventory::all_states(&state.db).await?;
        Ok(HttpResponse::Ok().json(json!({ "customers": customers })))
    };
    rated(&api.rate, answer.await)
}

/// `PUT /api/v1/inventory`: the whole inventory.
pub async fn put_all(
    api: ApiStaff,
    state: web::Data<AppState>,
    query: web::Query<DryRun>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let answer = async {
        api.may_write()?;
        let spec: InventorySpec = body.json()?;
        let by = api.by();
        let reconcile = reconciler(&state, &by, query.dry_run);
        match reconcile.all(&spec).await? {
            Ok(outcome) => Ok(HttpResponse::Ok().json(outcome.diff)),
            Err(refused) => Err(refusal(refused, "")),
        }
    };
    rated(&api.rate, answer.await)
}

fn reconciler<'a>(
    state: &'a AppState,
    by: &'a crate::admin::Acting,
    dry_run: bool,
) -> Reconcile<'a> {
    Reconcile {
        db: &state.db,
        engine: &state.engine,
        publishing: state.publishing.as_deref(),
        by,
        dry_run,
    }
}

fn if_match(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(header::IF_MATCH)
        .and_then(|value| value.to_str().ok())
}

/// The difference, with the customer's `ETag` after it.
async fn answer_with_state(
    state: &AppState,
    number: &str,
    outcome: Result<Outcome, Refused>,
) -> Result<HttpResponse, ApiError> {
    let outcome = outcome.map_err(|refused| refusal(refused, number))?;
    let mut answer = HttpResponse::Ok();
    if let Some(customer) = inventory::customer_state(&state.db, number).await? {
        answer.insert_header((header::ETAG, customer.etag()));
    }
    Ok(answer.json(outcome.diff))
}

fn refusal(refused: Refused, number: &str) -> ApiError {
    match refused {
        Refused::Problems(problems) => {
            let mut paths: Vec<&str> = Vec::new();
            for problem in &problems {
                if !paths.contains(&problem.path.as_str()) {
                    paths.push(&problem.path);
                }
            }
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "INVALID_INPUT",
                i18n::t_args("api-inventory-problems", &[("count", &problems.len())]),
            )
            .with("invalid", json!(paths))
            .with("problems", json!(problems))
        }
        Refused::Stale(etag) => ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "PRECONDITION_FAILED",
            i18n::t("api-inventory-stale"),
        )
        .with("etag", json!(etag)),
        Refused::NotFound => customer_not_found(number),
    }
}

fn customer_not_found(number: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "CUSTOMER_NOT_FOUND",
        i18n::t_args("api-customer-not-found", &[("number", &number)]),
    )
}

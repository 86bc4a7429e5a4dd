//! `POST /api/v1/bulk`: many changes in one request, with per-item results, `dry_run` and
//! `atomic` (default true). The rules live in [`crate::bulk`]; a refused atomic batch is 422
//! `BULK_NOT_APPLIED` with the per-item results inside the error.

use super::ips::present;
use super::{ApiCustomer, ApiError, Body, invalid_input, rated};
use crate::bulk::{self, Caller, Input, MAX_ITEMS, Options, Outcome};
use crate::domain::Door;
use crate::i18n;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The request body.
#[derive(Debug, Deserialize)]
pub struct BulkBody {
    changes: Vec<BulkChange>,
    #[serde(default)]
    dry_run: bool,
    #[serde(default = "atomic_by_default")]
    atomic: bool,
}

fn atomic_by_default() -> bool {
    true
}

/// One change: `{"ip": "…", "ptr": "…"}`, `"ptr": null` for the provider default.
#[derive(Debug, Deserialize)]
struct BulkChange {
    ip: String,
    #[serde(default, deserialize_with = "present")]
    ptr: Option<Option<String>>,
}

/// What a carried-out (or dry-run) batch answers: the options and the outcome.
#[derive(Serialize)]
struct BulkAnswer<'a> {
    dry_run: bool,
    atomic: bool,
    #[serde(flatten)]
    outcome: &'a Outcome,
}

/// `POST /api/v1/bulk`
pub async fn bulk(
    api: ApiCustomer,
    state: web::Data<AppState>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let answer = async {
        let body: BulkBody = body.json()?;
        let inputs = inputs(body.changes)?;
        let options = Options {
            dry_run: body.dry_run,
            atomic: body.atomic,
        };
        let caller = Caller {
            customer_id: api.customer_id,
            actor: api.actor.clone(),
            door: Door::Api,
        };
        let outcome = bulk::run(&state.db, &state.engine, &caller, inputs, options)
            .await
            .map_err(ApiError::internal)?;
        if options.atomic && !options.dry_run && !outcome.applied {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "BULK_NOT_APPLIED",
                i18n::t_args(
                    "api-bulk-not-applied",
                    &[
                        ("failed", &outcome.summary.failed),
                        ("total", &outcome.summary.total),
                    ],
                ),
            )
            .with("summary", json!(outcome.summary))
            .with("items", json!(outcome.items)));
        }
        Ok(HttpResponse::Ok().json(BulkAnswer {
            dry_run: options.dry_run,
            atomic: options.atomic,
            outcome: &outcome,
        }))
    };
    rated(&api.rate, answer.await)
}

/// The batch's inputs: 1 to [`MAX_ITEMS`] changes, each with `ptr` given (null or a name).
fn inputs(changes: Vec<BulkChange>) -> Result<Vec<Input>, ApiError> {
    if changes.is_empty() || changes.len() > MAX_ITEMS {
        return Err(invalid_input(i18n::t_args(
            "api-bulk-count",
            &[("max", &MAX_ITEMS), ("count", &changes.len())],
        ))
        .with("invalid", json!(["changes"])));
    }
    let missing: Vec<String> = changes
        .iter()
        .enumerate()
        .filter(|(_, change)| change.ptr.is_none())
        .map(|(index, _)| format!("changes[{index}].ptr"))
        .collect();
    if !missing.is_empty() {
        return Err(invalid_input(i18n::t("api-bulk-ptr-missing")).with("missing", json!(missing)));
    }
    Ok(changes
        .into_iter()
        .map(|change| Input::Change {
            ip: change.ip,
            ptr: change.ptr.flatten(),
        })
        .collect())
}

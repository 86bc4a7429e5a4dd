//! `POST /api/v1/check`: a dry run of one change — the engine's report and the state the
//! change would get. Writes nothing; only the customer's own addresses.

use super::{ApiCustomer, ApiError, Body, ip_not_found, rated};
use crate::changes;
use crate::checks::Verdict;
use crate::db;
use crate::domain::finding::Finding;
use crate::domain::{ChangeState, Hostname};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// `{"ip": "…", "ptr": "…", "offline": false}`
#[derive(Debug, Deserialize)]
pub struct CheckBody {
    ip: String,
    ptr: String,
    /// Skip every check that needs the network.
    #[serde(default)]
    offline: bool,
}

/// What the check answers.
#[derive(Serialize)]
struct CheckAnswer {
    ip: IpAddr,
    /// The canonical name; `None` when it is not a host name.
    hostname: Option<Hostname>,
    verdict: Verdict,
    /// The state a save would get; `None` when nothing would be stored (syntax).
    state: Option<ChangeState>,
    offline: bool,
    /// In the request's language (`Accept-Language`).
    #[serde(serialize_with = "crate::domain::finding::serialize_for_reader")]
    findings: Vec<Finding>,
}

/// `POST /api/v1/check`
pub async fn check(
    api: ApiCustomer,
    state: web::Data<AppState>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let answer = async {
        let body: CheckBody = body.json()?;
        let ip = crate::domain::parse_address(&body.ip).map_err(|_| ip_not_found(&body.ip))?;
        db::inventory::owned_ip(&state.db.pool, api.customer_id, ip)
            .await?
            .ok_or_else(|| ip_not_found(&body.ip))?;
        let report = if body.offline {
            state.engine.offline(ip, &body.ptr)
        } else {
            state.engine.check(ip, &body.ptr).await
        };
        // A name that does not parse is never stored, so it would get no state.
        let would_be = report.hostname.is_some().then(|| changes::decide(&report));
        Ok(HttpResponse::Ok().json(CheckAnswer {
            ip,
            verdict: report.verdict(),
            state: would_be,
            offline: body.offline,
            hostname: report.hostname,
            findings: report.findings,
        }))
    };
    rated(&api.rate, answer.await)
}

//! Live checks while the customer types: `GET /ptr/check` answers the findings for a name as
//! an HTML fragment (templates/customer/_findings.html). Writes nothing; only for the
//! customer's own addresses, like every other door.

use crate::auth::CustomerUser;
use crate::domain::Hostname;
use crate::domain::finding::{Finding, FindingId, Severity};
use crate::error::AppError;
use crate::routes::customer::owned;
use crate::startup::AppState;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

/// The query of a live check.
#[derive(Deserialize)]
pub struct CheckQuery {
    ip: String,
    #[serde(default)]
    hostname: String,
    #[serde(default)]
    stage: String,
}

#[derive(Template)]
#[template(path = "customer/_findings.html")]
struct FindingsFragment {
    findings: Vec<Finding>,
    final_stage: bool,
    syntax_error: bool,
    empty: bool,
}

/// `GET /ptr/check?ip=…&hostname=…&stage=offline|full|mail`: the findings for a name as the
/// customer types it, as an HTML fragment. Writes nothing. `offline` answers at once, `full`
/// adds the DNS checks, `mail` runs `mail-banner` against the customer's own IP.
pub async fn check(
    user: CustomerUser,
    state: web::Data<AppState>,
    query: web::Query<CheckQuery>,
) -> Result<HttpResponse, AppError> {
    let owned = owned(&state, &user, &query.ip).await?;
    let ip = owned.ip();
    let raw = query.hostname.as_str();
    let empty = raw.trim().is_empty();
    let (findings, final_stage) = if empty {
        (Vec::new(), true)
    } else {
        match query.stage.as_str() {
            "offline" => (state.engine.offline(ip, raw).findings, false),
            "mail" => match Hostname::parse(raw) {
                Ok(hostname) => (
                    vec![
                        state
                            .engine
                            .mail_banner(ip, &hostname, state.mail_port)
                            .await,
                    ],
                    true,
                ),
                Err(_) => (state.engine.offline(ip, raw).findings, true),
            },
            _ => (state.engine.check(ip, raw).await.findings, true),
        }
    };
    let syntax_error = findings
        .iter()
        .any(|finding| finding.id == FindingId::Syntax);
    let fragment = FindingsFragment {
        findings,
        final_stage: final_stage || syntax_error,
        syntax_error,
        empty,
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(fragment.render()?))
}

//! Live checks while the customer types: `GET /ptr/check` answers the findings for a name as
//! an HTML fragment (templates/customer/_findings.html). Writes nothing; only for the
//! customer's own addresses, like every other door.
//!
//! Rate-limit policy: the stages that send something out on the customer's behalf — `full`
//! (DNS questions) and `mail` (an SMTP connection) — count against `live_check_per_user` per
//! user and `live_check_per_address` per client address, per `live_check_interval_seconds`
//! ([`crate::rate_limit::live_check`]). `offline` does not count: it runs on the CPU alone, costs what a page
//! view costs, and the page's script sends one before every `full`, so counting it would only
//! halve what a person may type without stopping anything the limits are for. Over a limit the
//! answer is 429 with `Retry-After` and a fragment the page shows in place of the findings.

use crate::auth::CustomerUser;
use crate::domain::Hostname;
use crate::domain::finding::{Finding, FindingId};
use crate::error::AppError;
use crate::i18n::filters;
use crate::rate_limit::RetryAfter;
use crate::routes::customer::owned;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use std::net::IpAddr;

/// The query of a live check.
#[derive(Deserialize)]
pub struct CheckQuery {
    ip: String,
    #[serde(default)]
    hostname: String,
    #[serde(default)]
    stage: Stage,
}

/// How far a live check goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Stage {
    /// The offline rules only, answered at once while the customer types.
    Offline,
    /// `mail-banner` against the customer's own IP.
    Mail,
    /// Every check but `mail-banner`, DNS included (also what an unknown stage gets).
    #[default]
    #[serde(other)]
    Full,
}

#[derive(Template)]
#[template(path = "customer/_findings.html")]
struct FindingsFragment {
    findings: Vec<Finding>,
    final_stage: bool,
    syntax_error: bool,
    empty: bool,
    /// Set when the check was refused for the rate limit: what to tell the customer.
    refused: Option<String>,
}

/// What the customer is told when a check was refused.
fn refusal_message(stage: Stage, wait: &RetryAfter) -> String {
    let key = match stage {
        Stage::Mail => "live-refused-mail",
        Stage::Offline | Stage::Full => "live-refused-dns",
    };
    crate::i18n::t_args(key, &[("seconds", &wait.seconds())])
}

/// `GET /ptr/check?ip=…&hostname=…&stage=offline|full|mail`: the findings for a name as the
/// customer types it, as an HTML fragment. Writes nothing. `offline` answers at once, `full`
/// adds the DNS checks, `mail` runs `mail-banner` against the customer's own IP; those two
/// count against the rate limits (429 with `Retry-After` over them).
pub async fn check(
    user: CustomerUser,
    state: web::Data<AppState>,
    query: web::Query<CheckQuery>,
) -> Result<HttpResponse, AppError> {
    let raw = query.hostname.as_str();
    let empty = raw.trim().is_empty();
    let sends_queries = !empty && query.stage != Stage::Offline;
    if sends_queries
        && let Err(wait) = state
            .live_check_limits
            .count(user.user.account.id, &user.user.source)
    {
        let fragment = FindingsFragment {
            findings: Vec::new(),
            final_stage: true,
            syntax_error: false,
            empty: false,
            refused: Some(refusal_message(query.stage, &wait)),
        };
        return Ok(HttpResponse::TooManyRequests()
            .insert_header((header::RETRY_AFTER, wait.seconds().to_string()))
            .content_type("text/html; charset=utf-8")
            .body(fragment.render()?));
    }
    let owned = owned(&state, &user, &query.ip).await?;
    let (findings, final_stage) = if empty {
        (Vec::new(), true)
    } else {
        run(&state, owned.ip(), raw, query.stage).await
    };
    let syntax_error = findings
        .iter()
        .any(|finding| finding.id == FindingId::Syntax);
    let fragment = FindingsFragment {
        findings,
        final_stage: final_stage || syntax_error,
        syntax_error,
        empty,
        refused: None,
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(fragment.render()?))
}

/// The findings of `stage` for `raw` at `ip`, and whether no later stage follows.
async fn run(state: &AppState, ip: IpAddr, raw: &str, stage: Stage) -> (Vec<Finding>, bool) {
    match stage {
        Stage::Offline => (state.engine.offline(ip, raw).findings, false),
        Stage::Mail => match Hostname::parse(raw) {
            Ok(hostname) => {
                let banner = state
                    .engine
                    .mail_banner(ip, &hostname, state.mail_port)
                    .await;
                (vec![banner], true)
            }
            Err(_) => (state.engine.offline(ip, raw).findings, true),
        },
        Stage::Full => (state.engine.check(ip, raw).await.findings, true),
    }
}

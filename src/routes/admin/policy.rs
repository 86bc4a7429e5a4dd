//! The validation policy (admins): the forward-confirmation policy, severity overrides per
//! check, and the protected-domain list. Stored in the database as overrides of the
//! configuration and put in force at once for every door (other nodes reload it within
//! `recheck_interval_seconds`).

use super::see_other;
use crate::auth::AdminUser;
use crate::domain::finding::{FindingId, Severity};
use crate::domain::policy::overridable_severity;
use crate::domain::{ForwardPolicy, Hostname, PolicyOverrides};
use crate::error::AppError;
use crate::field_limits;
use crate::routes::layout::{Layout, html};
use crate::session::{AppSession, CsrfForm};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use std::collections::HashMap;

/// One check's line on the page.
struct CheckRow {
    id: &'static str,
    configured: &'static str,
    chosen: &'static str,
    /// Where the severity in force comes from: this page (the database), the file or the
    /// environment, or the built-in default.
    origin: String,
}

/// Where a value chosen on this page is kept.
const FROM_DATABASE: &str = "database (chosen on this page)";

#[derive(Template)]
#[template(path = "admin/policy.html")]
struct PolicyPage {
    layout: Layout,
    tab: &'static str,
    forward: &'static str,
    configured_forward: &'static str,
    forward_origin: String,
    checks: Vec<CheckRow>,
    configured_protected: String,
    protected_origin: String,
    protected: String,
    problem: Option<String>,
}

/// The page: `overrides` as the admin chose them (or typed them, with `problem` beside the
/// protected-domain list), `protected` as the list's text.
fn render(
    admin: &AdminUser,
    session: &AppSession,
    state: &AppState,
    overrides: &PolicyOverrides,
    protected: String,
    problem: Option<String>,
) -> Result<HttpResponse, AppError> {
    let checks = FindingId::ALL
        .into_iter()
        .filter(|id| *id != FindingId::Syntax)
        .map(|id| CheckRow {
            id: id.as_str(),
            configured: state
                .base_policy
                .severity_overrides
                .get(&id)
                .map_or("default", |severity| severity.as_str()),
            chosen: overrides.severity(id).map_or("", Severity::as_str),
            origin: if overrides.severity(id).is_some() {
                FROM_DATABASE.to_owned()
            } else if state.base_policy.severity_overrides.contains_key(&id) {
                state.setting_origins.of("severity").to_string()
            } else {
                "built-in default".to_owned()
            },
        })
        .collect();
    let status = match problem {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let page = PolicyPage {
        layout: Layout::new(&admin.user, session)?,
        tab: "policy",
        forward: overrides.forward.map_or("", ForwardPolicy::as_str),
        configured_forward: state.base_policy.forward.as_str(),
        forward_origin: match overrides.forward {
            Some(_) => FROM_DATABASE.to_owned(),
            None => state.setting_origins.of("forward_policy").to_string(),
        },
        configured_protected: state.base_policy.protected_domains.join(", "),
        protected_origin: state.setting_origins.of("protected_domains").to_string(),
        checks,
        protected,
        problem,
    };
    html(status, &page)
}

/// `GET /admin/policy`
pub async fn form(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let overrides = crate::db::policy::load(&state.db.pool).await?;
    let protected = overrides.protected_domains.join("\n");
    render(&admin, &session, &state, &overrides, protected, None)
}

/// `POST /admin/policy`: every field at once; empty means "as configured".
pub async fn save(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    CsrfForm(fields): CsrfForm<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let field = |name: &str| fields.get(name).map_or("", |value| value.trim());
    let mut overrides = PolicyOverrides {
        forward: ForwardPolicy::parse(field("forward")),
        severities: FindingId::ALL
            .into_iter()
            .filter_map(|id| {
                overridable_severity(field(&format!("severity-{}", id.as_str())))
                    .map(|severity| (id, severity))
            })
            .collect(),
        protected_domains: Vec::new(),
    };
    let protected = fields.get("protected").cloned().unwrap_or_default();
    match protected_domains(&protected) {
        Ok(domains) => overrides.protected_domains = domains,
        Err(problem) => {
            return render(
                &admin,
                &session,
                &state,
                &overrides,
                protected,
                Some(problem),
            );
        }
    }
    crate::admin::policy::save(
        &state.db,
        &state.engine,
        &state.base_policy,
        &admin.by(),
        &overrides,
    )
    .await?;
    session.flash("The validation policy is saved and in force.")?;
    Ok(see_other("/admin/policy"))
}

/// The protected-domain list as typed (one per line, blank lines ignored), checked and
/// without repeats; or what is wrong with it.
fn protected_domains(text: &str) -> Result<Vec<String>, String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    if lines.len() > field_limits::PROTECTED_DOMAINS {
        return Err(format!(
            "{} lines; at most {} are accepted. Nothing was saved.",
            lines.len(),
            field_limits::PROTECTED_DOMAINS
        ));
    }
    let mut domains: Vec<String> = Vec::new();
    for line in lines {
        let domain = Hostname::parse(line).map_err(|err| {
            let err = err.to_string();
            let err = err.trim_end_matches('.');
            format!("\u{201c}{line}\u{201d}: {err}. Nothing was saved.")
        })?;
        let domain = domain.as_ascii().to_owned();
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    Ok(domains)
}

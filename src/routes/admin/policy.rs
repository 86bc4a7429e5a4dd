//! The validation policy (admins): the forward-confirmation policy, severity overrides per
//! check, and the protected-domain list. Stored in the database as overrides of the
//! configuration and put in force at once for every door (other nodes reload it within
//! `recheck_interval_seconds`).

use super::{audit_row, html, see_other};
use crate::auth::AdminUser;
use crate::db::policy::StoredPolicy;
use crate::domain::Hostname;
use crate::domain::finding::FindingId;
use crate::error::AppError;
use crate::field_limits;
use crate::routes::layout::Layout;
use crate::session::{AppSession, CsrfForm};
use crate::startup::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use std::collections::HashMap;

/// One check's line on the page.
struct CheckRow {
    id: &'static str,
    configured: &'static str,
    chosen: String,
}

#[derive(Template)]
#[template(path = "admin/policy.html")]
struct PolicyPage {
    layout: Layout,
    tab: &'static str,
    forward: String,
    configured_forward: &'static str,
    checks: Vec<CheckRow>,
    protected: String,
    problem: Option<String>,
}

async fn render(
    admin: &AdminUser,
    session: &AppSession,
    state: &AppState,
    stored: &StoredPolicy,
    protected: String,
    problem: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let chosen: HashMap<&str, &str> = stored
        .severities
        .iter()
        .map(|(id, value)| (id.as_str(), value.as_str()))
        .collect();
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
            chosen: chosen
                .get(id.as_str())
                .map_or("", |value| *value)
                .to_owned(),
        })
        .collect();
    let page = PolicyPage {
        layout: Layout::new(&admin.user, session)?,
        tab: "policy",
        forward: stored.forward_policy.clone().unwrap_or_default(),
        configured_forward: state.base_policy.forward_name(),
        checks,
        protected,
        problem,
    };
    Ok(html(status, page.render()?))
}

/// `GET /admin/policy`
pub async fn form(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let stored = crate::db::policy::load(&state.db.pool).await?;
    let protected = stored.protected_domains.join("\n");
    render(
        &admin,
        &session,
        &state,
        &stored,
        protected,
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /admin/policy`: every field at once; empty means "as configured".
pub async fn save(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    CsrfForm(fields): CsrfForm<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let forward = fields
        .get("forward")
        .map(|value| value.trim())
        .unwrap_or_default();
    let mut stored = StoredPolicy {
        forward_policy: ["require", "warn", "off"]
            .contains(&forward)
            .then(|| forward.to_owned()),
        ..StoredPolicy::default()
    };
    for id in FindingId::ALL {
        let value = fields
            .get(&format!("severity-{}", id.as_str()))
            .map(|value| value.trim());
        if let Some(value @ ("info" | "warning" | "error")) = value {
            stored
                .severities
                .push((id.as_str().to_owned(), value.to_owned()));
        }
    }
    let protected_text = fields.get("protected").cloned().unwrap_or_default();
    let listed = protected_text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .count();
    if listed > field_limits::PROTECTED_DOMAINS {
        let problem = Some(format!(
            "Protected domains: {listed} lines; at most {} are accepted. Nothing was saved.",
            field_limits::PROTECTED_DOMAINS
        ));
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render(
            &admin,
            &session,
            &state,
            &stored,
            protected_text,
            problem,
            status,
        )
        .await;
    }
    for line in protected_text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
    {
        match Hostname::parse(line) {
            Ok(domain)
                if !stored
                    .protected_domains
                    .contains(&domain.as_ascii().to_owned()) =>
            {
                stored.protected_domains.push(domain.as_ascii().to_owned());
            }
            Ok(_) => {}
            Err(err) => {
                let problem = Some(format!("Protected domains: \u{201c}{line}\u{201d}: {err}"));
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                return render(
                    &admin,
                    &session,
                    &state,
                    &stored,
                    protected_text,
                    problem,
                    status,
                )
                .await;
            }
        }
    }
    let before = crate::db::policy::load(&state.db.pool).await?;
    let mut tx = state.db.begin_write().await?;
    crate::db::policy::replace(&mut tx, &stored, crate::clock::now()).await?;
    let describe = |policy: &StoredPolicy| format!("{policy:?}");
    audit_row(
        &mut tx,
        &admin,
        "policy.update",
        None,
        Some(&describe(&before)),
        Some(&describe(&stored)),
    )
    .await?;
    tx.commit().await?;
    state
        .engine
        .set_policy(state.base_policy.with_overrides(&stored));
    session.flash("The validation policy is saved and in force.")?;
    Ok(see_other("/admin/policy"))
}

//! The validation policy (admins): the forward-confirmation policy, severity overrides per
//! check, the protected-domain list and the brands whose look-alikes are refused; beside it,
//! how receivers read the provider's own default names (configured, not changed here). Stored in the database as overrides of the
//! configuration and put in force at once for every door (other nodes reload it within
//! `recheck_interval_seconds`).

use super::see_other;
use crate::auth::AdminUser;
use crate::checks::generic::default_names::{self, Reading};
use crate::domain::finding::{FindingId, Severity};
use crate::domain::policy::overridable_severity;
use crate::domain::{ForwardPolicy, Hostname, PolicyOverrides};
use crate::error::AppError;
use crate::field_limits;
use crate::i18n::filters;
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
    configured: String,
    chosen: &'static str,
    /// Where the severity in force comes from: this page (the database), the file or the
    /// environment, or the built-in default.
    origin: String,
}

/// Where a value chosen on this page is kept.
fn from_database() -> String {
    crate::i18n::t("admin-policy-origin-database")
}

/// Where a setting came from, in the reader's language.
fn origin_text(origin: &crate::config::Origin) -> String {
    use crate::config::Origin;
    match origin {
        Origin::Default => crate::i18n::t("admin-policy-origin-default"),
        Origin::File(path) => crate::i18n::t_args("admin-policy-origin-file", &[("path", path)]),
        Origin::Environment(name) => {
            crate::i18n::t_args("admin-policy-origin-environment", &[("name", name)])
        }
    }
}

#[derive(Template)]
#[template(path = "admin/policy.html")]
struct PolicyPage {
    layout: Layout,
    tab: &'static str,
    forward: &'static str,
    configured_forward: String,
    forward_origin: String,
    checks: Vec<CheckRow>,
    configured_protected: String,
    protected_origin: String,
    protected: String,
    problem: Option<String>,
    brands: String,
    brands_problem: Option<String>,
    /// The default-name patterns in force, read for a sample address each (IPv4, IPv6).
    defaults: Vec<(&'static str, Reading)>,
}

impl PolicyPage {
    /// The forward policy in force, in the reader's language.
    fn forward_in_force(&self) -> String {
        if self.forward.is_empty() {
            self.configured_forward.clone()
        } else {
            crate::i18n::t(&format!("admin-policy-forward-{}", self.forward))
        }
    }
}

/// The sample addresses the default names are shown for (documentation ranges).
const SAMPLE_V4: std::net::Ipv4Addr = std::net::Ipv4Addr::new(203, 0, 113, 45);
const SAMPLE_V6: std::net::Ipv6Addr = std::net::Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x45);

/// How receivers read the configured default names: (setting, reading).
fn default_readings(state: &AppState) -> Vec<(&'static str, Reading)> {
    let names = &state.base_policy.default_names;
    let v4 = Some((
        "default_name_v4",
        default_names::read(&names.v4, SAMPLE_V4.into()),
    ));
    let v6 = names.v6.as_ref().map(|pattern| {
        (
            "default_name_v6",
            default_names::read(pattern, SAMPLE_V6.into()),
        )
    });
    v4.into_iter().chain(v6).collect()
}

/// The two domain lists as their text areas show them, each with what is wrong with it.
struct Lists {
    protected: String,
    problem: Option<String>,
    brands: String,
    brands_problem: Option<String>,
}

/// The page: `overrides` as the admin chose them (or typed them, with the problems beside the
/// lists), `lists` as the lists' text.
fn render(
    admin: &AdminUser,
    session: &AppSession,
    state: &AppState,
    overrides: &PolicyOverrides,
    lists: Lists,
) -> Result<HttpResponse, AppError> {
    let checks = FindingId::ALL
        .into_iter()
        .filter(|id| *id != FindingId::Syntax)
        .map(|id| CheckRow {
            id: id.as_str(),
            configured: state.base_policy.severity_overrides.get(&id).map_or_else(
                || crate::i18n::t("admin-policy-default"),
                |severity| crate::i18n::t(&format!("admin-policy-severity-{}", severity.as_str())),
            ),
            chosen: overrides.severity(id).map_or("", Severity::as_str),
            origin: if overrides.severity(id).is_some() {
                from_database()
            } else if state.base_policy.severity_overrides.contains_key(&id) {
                origin_text(&state.setting_origins.of("severity"))
            } else {
                crate::i18n::t("admin-policy-origin-default")
            },
        })
        .collect();
    let status = match (&lists.problem, &lists.brands_problem) {
        (None, None) => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let page = PolicyPage {
        layout: Layout::new(&admin.user, session)?,
        tab: "policy",
        forward: overrides.forward.map_or("", ForwardPolicy::as_str),
        configured_forward: crate::i18n::t(&format!(
            "admin-policy-forward-{}",
            state.base_policy.forward.as_str()
        )),
        forward_origin: match overrides.forward {
            Some(_) => from_database(),
            None => origin_text(&state.setting_origins.of("forward_policy")),
        },
        configured_protected: state.base_policy.protected_domains.join(", "),
        protected_origin: origin_text(&state.setting_origins.of("protected_domains")),
        checks,
        protected: lists.protected,
        problem: lists.problem,
        brands: lists.brands,
        brands_problem: lists.brands_problem,
        defaults: default_readings(state),
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
    let lists = Lists {
        protected: overrides.protected_domains.join("\n"),
        problem: None,
        brands: overrides.brand_domains.join("\n"),
        brands_problem: None,
    };
    render(&admin, &session, &state, &overrides, lists)
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
        brand_domains: Vec::new(),
    };
    let protected = fields.get("protected").cloned().unwrap_or_default();
    let brands = fields.get("brands").cloned().unwrap_or_default();
    let limits = (field_limits::PROTECTED_DOMAINS, field_limits::BRAND_DOMAINS);
    match (domains(&protected, limits.0), domains(&brands, limits.1)) {
        (Ok(protected), Ok(brands)) => {
            overrides.protected_domains = protected;
            overrides.brand_domains = brands;
        }
        (protected_parsed, brands_parsed) => {
            let lists = Lists {
                protected,
                problem: protected_parsed.err(),
                brands,
                brands_problem: brands_parsed.err(),
            };
            return render(&admin, &session, &state, &overrides, lists);
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
    session.flash(&crate::i18n::t("admin-policy-saved"))?;
    Ok(see_other("/admin/policy"))
}

/// A domain list as typed (one per line, blank lines ignored, at most `limit`), checked and
/// without repeats; or what is wrong with it.
fn domains(text: &str, limit: usize) -> Result<Vec<String>, String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    if lines.len() > limit {
        return Err(crate::i18n::t_args(
            "admin-policy-too-many-lines",
            &[("count", &lines.len()), ("limit", &limit)],
        ));
    }
    let mut domains: Vec<String> = Vec::new();
    for line in lines {
        let domain = Hostname::parse(line).map_err(|err| {
            let err = err.text().render();
            let err = err.trim_end_matches('.');
            crate::i18n::t_args(
                "admin-policy-bad-domain",
                &[("line", &line), ("error", &err)],
            )
        })?;
        let domain = domain.as_ascii().to_owned();
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    Ok(domains)
}

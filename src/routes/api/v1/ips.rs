//! `/api/v1/ips` and `/api/v1/ips/{ip}`: the customer's addresses, one address, set and reset.

use super::{ApiCustomer, ApiError, Body, etag, invalid_input, ip_not_found, rated};
use crate::changes::{self, ChangeRequest, Requested, SubmitError, Submitted};
use crate::db::{self, inventory::ListFilter, inventory::OwnedIp};
use crate::domain::finding::{Finding, FindingId, Severity};
use crate::domain::{ChangeState, Door, Hostname, HostnameError};
use crate::i18n;
use crate::ip_list::{self, DEFAULT_PER_PAGE, MAX_PER_PAGE};
use crate::panel::ListQuery;
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::json;
use std::net::IpAddr;

/// The query of the listing: the page's filters plus the cursor and page size.
#[derive(Debug, Default, Deserialize, Serialize)]
struct ListParams {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    server: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    ip: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    hostname: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    after: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    per_page: String,
}

/// `GET /api/v1/ips?server=&ip=&hostname=&after=&per_page=`
pub async fn list(
    api: ApiCustomer,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    rated(&api.rate, list_ips(&state, &api, req.query_string()).await)
}

async fn list_ips(
    state: &AppState,
    api: &ApiCustomer,
    query: &str,
) -> Result<HttpResponse, ApiError> {
    let params: ListParams = serde_urlencoded::from_str(query)
        .map_err(|_| invalid_input(i18n::t("api-query-unreadable")))?;
    let (filter, after, per_page) = params.parse()?;
    let page = ip_list::page(
        &state.db,
        &state.defaults,
        api.customer_id,
        &filter,
        after,
        per_page,
    )
    .await?;
    let next = page.next.map(|ip| params.next_link(ip, per_page));
    let mut response = HttpResponse::Ok();
    if let Some(next) = &next {
        response.insert_header((header::LINK, format!("<{next}>; rel=\"next\"")));
    }
    Ok(response.json(ListAnswer {
        ips: &page.items,
        next,
    }))
}

impl ListParams {
    /// The filter (as the page reads it), the cursor and the page size; 400 for a value that
    /// cannot be one.
    fn parse(&self) -> Result<(ListFilter, Option<IpAddr>, i64), ApiError> {
        let wrong =
            |field: &str, message: String| invalid_input(message).with("invalid", json!([field]));
        let per_page = match self.per_page.trim() {
            "" => DEFAULT_PER_PAGE,
            text => text
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=MAX_PER_PAGE).contains(n))
                .ok_or_else(|| {
                    let message = i18n::t_args("api-per-page", &[("max", &MAX_PER_PAGE)]);
                    wrong("per_page", message)
                })?,
        };
        let after = match self.after.trim() {
            "" => None,
            text => Some(
                crate::domain::parse_address(text)
                    .map_err(|_| wrong("after", i18n::t("api-after")))?,
            ),
        };
        let server = self.server.trim();
        if !server.is_empty() && server.parse::<i64>().is_err() {
            return Err(wrong("server", i18n::t("api-server")));
        }
        let filter = ListQuery {
            server: self.server.clone(),
            server_name: String::new(),
            ip: self.ip.clone(),
            hostname: self.hostname.clone(),
            ..ListQuery::default()
        }
        .filter();
        Ok((filter, after, per_page))
    }

    /// The same query from the address after `ip`.
    fn next_link(&self, ip: IpAddr, per_page: i64) -> String {
        let next = ListParams {
            after: ip.to_string(),
            per_page: per_page.to_string(),
            server: self.server.clone(),
            ip: self.ip.clone(),
            hostname: self.hostname.clone(),
        };
        let query = serde_urlencoded::to_string(&next).unwrap_or_default();
        format!("/api/v1/ips?{query}")
    }
}

/// What the listing answers.
#[derive(Serialize)]
struct ListAnswer<'a> {
    ips: &'a [ip_list::IpItem],
    /// The next page's URL; `None` on the last page.
    next: Option<String>,
}

/// The customer's own address named in the path, or 404.
async fn owned(state: &AppState, api: &ApiCustomer, text: &str) -> Result<OwnedIp, ApiError> {
    crate::routes::ownership::owned(&state.db, api.customer_id, text)
        .await?
        .map_err(|_| ip_not_found(text))
}

/// `GET /api/v1/ips/{ip}`
pub async fn show(
    api: ApiCustomer,
    state: web::Data<AppState>,
    ip: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    rated(&api.rate, show_ip(&state, &api, &ip).await)
}

async fn show_ip(
    state: &AppState,
    api: &ApiCustomer,
    text: &str,
) -> Result<HttpResponse, ApiError> {
    let owned = owned(state, api, text).await?;
    let item = ip_list::one(&state.db, &state.defaults, &owned).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(item.version))
        .json(item))
}

/// The query of the mail-readiness call.
#[derive(Debug, Default, Deserialize)]
struct ReadinessParams {
    #[serde(default)]
    greeting: String,
}

/// `GET /api/v1/ips/{ip}/mail-readiness[?greeting=true]`: the mail readiness of the address
/// (the greeting is tested only when asked).
pub async fn mail_readiness(
    api: ApiCustomer,
    state: web::Data<AppState>,
    ip: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let answer = async {
        let owned = owned(&state, &api, &ip).await?;
        let params: ReadinessParams = serde_urlencoded::from_str(req.query_string())
            .map_err(|_| invalid_input(i18n::t("api-query-unreadable")))?;
        let greeting = match params.greeting.trim() {
            "" | "false" | "0" => false,
            "true" | "1" => true,
            _ => {
                return Err(
                    invalid_input(i18n::t("api-greeting")).with("invalid", json!(["greeting"]))
                );
            }
        };
        let readiness =
            crate::routes::mail_readiness::readiness_of(&state, owned.ip(), greeting).await?;
        Ok(HttpResponse::Ok().json(readiness))
    };
    rated(&api.rate, answer.await)
}

/// `{"ptr": "…"}`; `{"ptr": null}` resets like `DELETE`.
#[derive(Debug, Deserialize)]
pub struct PtrBody {
    #[serde(default, deserialize_with = "present")]
    ptr: Option<Option<String>>,
}

/// Tells an absent field (`None`) from an explicit `null` (`Some(None)`).
pub fn present<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

/// `PUT /api/v1/ips/{ip}` `{"ptr": "…"}` with optional `If-Match: "<version>"`.
pub async fn set(
    api: ApiCustomer,
    state: web::Data<AppState>,
    ip: web::Path<String>,
    req: HttpRequest,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let answer = async {
        let owned = owned(&state, &api, &ip).await?;
        let ptr = body.json::<PtrBody>()?.ptr.ok_or_else(missing_ptr)?;
        let requested = ptr.map_or(Requested::Default, Requested::Hostname);
        change(&state, &api, owned, requested, if_match(&req)?).await
    };
    rated(&api.rate, answer.await)
}

fn missing_ptr() -> ApiError {
    invalid_input(i18n::t("api-ptr-missing")).with("missing", json!(["ptr"]))
}

/// `DELETE /api/v1/ips/{ip}` with optional `If-Match`: back to the provider default.
pub async fn reset(
    api: ApiCustomer,
    state: web::Data<AppState>,
    ip: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let answer = async {
        let owned = owned(&state, &api, &ip).await?;
        change(&state, &api, owned, Requested::Default, if_match(&req)?).await
    };
    rated(&api.rate, answer.await)
}

/// The version named by `If-Match` (`"3"`, `W/"3"` or `3`); `None` without one or for `*`.
fn if_match(req: &HttpRequest) -> Result<Option<i64>, ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Ok(None);
    }
    let unquoted = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
    unquoted
        .parse::<i64>()
        .map(Some)
        .map_err(|_| invalid_input(i18n::t("api-if-match")).with("invalid", json!(["If-Match"])))
}

/// What a set or reset answers.
#[derive(Debug, Serialize)]
struct ChangeAnswer {
    ip: IpAddr,
    /// `published`, `pending` or `rejected`.
    state: ChangeState,
    /// The request asked for what is already in force: nothing was written.
    unchanged: bool,
    /// The canonical name asked for; `null` for the provider default.
    requested: Option<String>,
    /// The PTR in force after the request; `null` when the default applies.
    ptr: Option<String>,
    /// In the request's language (`Accept-Language`).
    #[serde(serialize_with = "crate::domain::finding::serialize_for_reader")]
    findings: Vec<Finding>,
    change_id: Option<i64>,
    /// The entry version now (also the ETag).
    version: i64,
}

async fn change(
    state: &AppState,
    api: &ApiCustomer,
    owned: OwnedIp,
    requested: Requested,
    based_on_version: Option<i64>,
) -> Result<HttpResponse, ApiError> {
    let ip = owned.ip();
    let requested_name = match &requested {
        Requested::Hostname(raw) => Hostname::parse(raw)
            .ok()
            .map(|name| name.as_ascii().to_owned()),
        Requested::Default => None,
    };
    let request = ChangeRequest {
        owned,
        requested,
        based_on_version,
        door: Door::Api,
        actor: api.actor.clone(),
    };
    let submitted = match changes::submit(&state.db, &state.engine, request).await {
        Ok(submitted) => submitted,
        Err(SubmitError::Syntax(err)) => return Err(not_a_host_name(&err)),
        Err(SubmitError::Conflict { current }) => {
            return Err(version_mismatch(state, ip, based_on_version, current).await);
        }
        Err(SubmitError::NotOwned) => return Err(ip_not_found(&ip.to_string())),
        Err(err @ SubmitError::Delegated { .. }) => return Err(delegated(&err)),
        Err(SubmitError::Database(err)) => return Err(err.into()),
    };
    let entry = db::entries::current(&state.db.pool, ip).await?;
    let answer = ChangeAnswer::new(ip, requested_name, submitted, entry);
    Ok(HttpResponse::Ok()
        .insert_header(etag(answer.version))
        .json(answer))
}

impl ChangeAnswer {
    fn new(
        ip: IpAddr,
        requested: Option<String>,
        submitted: Submitted,
        entry: Option<db::entries::Entry>,
    ) -> ChangeAnswer {
        let (state, change_id, findings) = match submitted {
            Submitted::Published {
                change_id,
                findings,
                ..
            } => (ChangeState::Published, Some(change_id), findings),
            Submitted::Pending { change_id, report } => {
                (ChangeState::Pending, Some(change_id), report.findings)
            }
            Submitted::Rejected { change_id, report } => {
                (ChangeState::Rejected, Some(change_id), report.findings)
            }
            Submitted::Unchanged => (ChangeState::Published, None, Vec::new()),
        };
        ChangeAnswer {
            ip,
            state,
            unchanged: change_id.is_none(),
            requested,
            version: entry.as_ref().map_or(0, |entry| entry.version),
            ptr: entry.and_then(|entry| entry.hostname),
            findings,
            change_id,
        }
    }
}

/// 422 `INVALID_INPUT` with the `syntax` finding: not a host name, nothing stored.
/// 409 `DELEGATED`: the address's reverse names are the customer's own name servers' now.
fn delegated(err: &SubmitError) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "DELEGATED", err.text().render())
}

fn not_a_host_name(err: &HostnameError) -> ApiError {
    // The native API speaks the request's language (`Accept-Language`).
    let finding = Finding::said(FindingId::Syntax, Severity::Error, err.text()).for_reader();
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_INPUT",
        finding.message.clone(),
    )
    .with("invalid", json!(["ptr"]))
    .with("findings", json!([finding]))
}

/// 412 `VERSION_MISMATCH`, naming what is in force now and its version.
async fn version_mismatch(
    state: &AppState,
    ip: IpAddr,
    asked: Option<i64>,
    current: Option<String>,
) -> ApiError {
    let version = match db::entries::current(&state.db.pool, ip).await {
        Ok(entry) => entry.map_or(0, |entry| entry.version),
        Err(err) => return ApiError::internal(err),
    };
    let now = current
        .clone()
        .unwrap_or_else(|| i18n::t("api-provider-default"));
    let mut error = ApiError::new(
        StatusCode::PRECONDITION_FAILED,
        "VERSION_MISMATCH",
        i18n::t_args(
            "api-version-mismatch",
            &[
                ("ip", &ip),
                ("asked", &asked.unwrap_or(version)),
                ("now", &now),
                ("version", &version),
            ],
        ),
    )
    .with("current_ptr", json!(current))
    .with("current_version", json!(version));
    error.headers.push(etag(version));
    error
}

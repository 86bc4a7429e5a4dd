//! The audit log for admins: every recorded change and action, filtered by customer, IP (an
//! address or a network), actor, door and date range, newest first; and the same selection as
//! a CSV download. Help-desk users get 403, customers 404 ([`AdminUser`]).

use crate::auth::AdminUser;
use crate::db::{
    self,
    audit_search::{AuditFilter, AuditRow},
};
use crate::domain::Door;
use crate::error::AppError;
use crate::field_limits;
use crate::i18n::filters;
use crate::routes::layout::{Layout, Pager, html};
use crate::session::AppSession;
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// Rows on one page of the log.
pub const PAGE_SIZE: i64 = 50;
/// The most rows one CSV export holds; narrow the filters for more.
pub const CSV_MAX_ROWS: i64 = 100_000;
/// The last page the log can be followed to (as many rows as one CSV export holds); a larger
/// page number shows this one, so no request makes the database skip more rows than that.
pub const MAX_PAGE: i64 = CSV_MAX_ROWS / PAGE_SIZE;

/// Every door, in the order the filter offers them.
const DOORS: [Door; 5] = [
    Door::Page,
    Door::Api,
    Door::Import,
    Door::Review,
    Door::System,
];

/// The filter form, as typed (also the query string of the pager and the export link).
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct AuditQuery {
    #[serde(default)]
    customer: String,
    #[serde(default)]
    ip: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    door: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default, skip_serializing)]
    page: String,
}

impl AuditQuery {
    fn query_string(&self) -> String {
        let fields = [
            ("customer", &self.customer),
            ("ip", &self.ip),
            ("actor", &self.actor),
            ("door", &self.door),
            ("from", &self.from),
            ("to", &self.to),
        ];
        let set: Vec<(&str, &str)> = fields
            .iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(name, value)| (*name, value.trim()))
            .collect();
        serde_urlencoded::to_string(set).unwrap_or_default()
    }
}

/// Turns the typed filters into an [`AuditFilter`]; a filter that cannot be understood is
/// reported in the returned problems (and the log is then not searched).
async fn parse_filter(
    state: &AppState,
    query: &AuditQuery,
) -> Result<(AuditFilter, Vec<String>), AppError> {
    let mut filter = AuditFilter::default();
    let mut problems = Vec::new();
    let lengths = field_limits::check(&[
        ("the customer filter", &query.customer, field_limits::SEARCH),
        ("the IP filter", &query.ip, field_limits::SEARCH),
        ("the actor filter", &query.actor, field_limits::SEARCH),
        ("the door filter", &query.door, field_limits::SEARCH),
        ("the From date", &query.from, field_limits::SEARCH),
        ("the To date", &query.to, field_limits::SEARCH),
    ]);
    if let Err(too_long) = lengths {
        problems.push(too_long.text().render());
        return Ok((filter, problems));
    }
    let customer = query.customer.trim();
    if !customer.is_empty() {
        match db::customers::find(&state.db.pool, customer).await? {
            Some(found) => filter.customer_id = Some(found.id),
            None => problems.push(crate::i18n::t_args(
                "admin-audit-no-customer",
                &[("customer", &customer)],
            )),
        }
    }
    let mut note = |parsed: Result<(), String>| {
        if let Err(problem) = parsed {
            problems.push(problem);
        }
    };
    note(range_of(query.ip.trim()).map(|range| filter.range = range));
    let actor = query.actor.trim();
    if !actor.is_empty() {
        filter.actor = Some(actor.to_owned());
    }
    note(door_named(query.door.trim()).map(|door| filter.door = door));
    note(
        day_of(query.from.trim(), &crate::i18n::t("admin-audit-from-short"))
            .map(|start| filter.from = start),
    );
    note(
        day_of(query.to.trim(), &crate::i18n::t("admin-audit-to-short"))
            .map(|start| filter.until = start.map(|day| day + 86_400)),
    );
    Ok((filter, problems))
}

/// The addresses an IP filter stands for (an address, or a network); `None` when empty.
fn range_of(ip: &str) -> Result<Option<(IpAddr, IpAddr)>, String> {
    if ip.is_empty() {
        return Ok(None);
    }
    if let Ok(address) = crate::domain::parse_address(ip) {
        return Ok(Some((address, address)));
    }
    let net = crate::domain::parse_net(ip)
        .map_err(|_| crate::i18n::t_args("admin-audit-bad-ip", &[("ip", &ip)]))?;
    Ok(Some((net.trunc().network(), net.trunc().broadcast())))
}

/// The door a door filter names; `None` when empty.
fn door_named(door: &str) -> Result<Option<Door>, String> {
    if door.is_empty() {
        return Ok(None);
    }
    DOORS
        .into_iter()
        .find(|known| known.as_str() == door)
        .map(Some)
        .ok_or_else(|| crate::i18n::t_args("admin-audit-bad-door", &[("door", &door)]))
}

/// Midnight UTC of the day a date filter (`label`) names; `None` when empty.
fn day_of(text: &str, label: &str) -> Result<Option<i64>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    day_start(text).map(Some).ok_or_else(|| {
        crate::i18n::t_args(
            "admin-audit-bad-date",
            &[("label", &label), ("text", &text)],
        )
    })
}

/// Midnight UTC of a `YYYY-MM-DD` date, in Unix seconds.
fn day_start(text: &str) -> Option<i64> {
    let mut parts = text.splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    let date =
        time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp())
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    layout: Layout,
    query: AuditQuery,
    problems: Vec<String>,
    rows: Vec<AuditRow>,
    page: i64,
    has_next: bool,
    doors: Vec<&'static str>,
}

impl AuditPage {
    fn time(&self, at: &i64) -> String {
        crate::clock::display(*at)
    }

    fn pager(&self) -> Pager {
        let qs = self.query.query_string();
        Pager::open_ended(self.page, self.has_next, |page| {
            if qs.is_empty() {
                format!("/admin/audit?page={page}")
            } else {
                format!("/admin/audit?{qs}&page={page}")
            }
        })
    }

    fn csv_link(&self) -> String {
        let qs = self.query.query_string();
        if qs.is_empty() {
            "/admin/audit.csv".to_owned()
        } else {
            format!("/admin/audit.csv?{qs}")
        }
    }

    fn is_door(&self, door: &&str) -> bool {
        self.query.door.trim() == *door
    }
}

/// `GET /admin/audit`: one page of the log, newest first.
pub async fn list(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let page = query
        .page
        .trim()
        .parse::<i64>()
        .unwrap_or(1)
        .clamp(1, MAX_PAGE);
    let (filter, problems) = parse_filter(&state, &query).await?;
    let mut rows = if problems.is_empty() {
        db::audit_search::search(
            &state.db.pool,
            &filter,
            PAGE_SIZE + 1,
            (page - 1) * PAGE_SIZE,
        )
        .await?
    } else {
        Vec::new()
    };
    let has_next = rows.len() as i64 > PAGE_SIZE && page < MAX_PAGE;
    rows.truncate(PAGE_SIZE as usize);
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = AuditPage {
        layout: Layout::new(&admin.user, &session)?,
        query,
        problems,
        rows,
        page,
        has_next,
        doors: DOORS.iter().map(|door| door.as_str()).collect(),
    };
    html(status, &body)
}

/// `GET /admin/audit.csv`: the rows the same filters select (at most [`CSV_MAX_ROWS`]),
/// newest first, as a CSV download.
pub async fn export(
    _admin: AdminUser,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let (filter, problems) = parse_filter(&state, &query).await?;
    if !problems.is_empty() {
        return Err(AppError::BadRequest(problems.join(" ")));
    }
    let rows = db::audit_search::search(&state.db.pool, &filter, CSV_MAX_ROWS, 0).await?;
    let body = to_csv(&rows).map_err(|err| AppError::Internal(err.into()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"ptrdesk-audit.csv\"",
        ))
        .body(body))
}

/// The CSV columns, in order.
const CSV_HEADER: [&str; 12] = [
    "id",
    "time",
    "actor",
    "source",
    "door",
    "action",
    "customer_number",
    "customer_name",
    "ip",
    "old_value",
    "new_value",
    "change_id",
];

/// A cell as text a spreadsheet will not run: values typed by customers (names, justifications)
/// that start like a formula get a leading apostrophe.
fn spreadsheet_safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

fn to_csv(rows: &[AuditRow]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER)?;
    for row in rows {
        let time = time::OffsetDateTime::from_unix_timestamp(row.at)
            .ok()
            .and_then(|at| {
                at.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_else(|| row.at.to_string());
        let cells = [
            row.id.to_string(),
            time,
            row.actor.clone(),
            row.source.clone(),
            row.door.clone(),
            row.action.clone(),
            row.customer_number.clone().unwrap_or_default(),
            row.customer_name.clone().unwrap_or_default(),
            row.address_text.clone().unwrap_or_default(),
            row.old_value.clone().unwrap_or_default(),
            row.new_value.clone().unwrap_or_default(),
            row.change_id.map(|id| id.to_string()).unwrap_or_default(),
        ];
        writer.write_record(cells.iter().map(|cell| spreadsheet_safe(cell)))?;
    }
    writer
        .into_inner()
        .map_err(|err| csv::Error::from(err.into_error()))
}

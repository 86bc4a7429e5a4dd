//! `GET /drift`: the staff list of entry drift (issue 22) — published entries that fail their
//! checks since they were re-verified, longest first, narrowed by check, customer and age
//! (the review queue's filters). Admins and help-desk; read-only: a drift is fixed in DNS by
//! its customer, and ends by itself at the next check.

use crate::auth::StaffUser;
use crate::db::drift::{self, DriftFilter};
use crate::domain::finding::FindingId;
use crate::error::AppError;
use crate::i18n::filters;
use crate::routes::layout::{Layout, Pager, html};
use crate::routes::review::QueueQuery;
use crate::session::AppSession;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

/// One drifting entry as the list shows it.
struct DriftRow {
    ip: String,
    hostname: String,
    customer_number: String,
    customer_name: String,
    finding_id: String,
    message: String,
    since: String,
    age: String,
    checked_at: String,
}

#[derive(Template)]
#[template(path = "staff/drift.html")]
struct DriftPage {
    layout: Layout,
    query: QueueQuery,
    problems: Vec<String>,
    finding_ids: Vec<&'static str>,
    rows: Vec<DriftRow>,
    total: i64,
    page: i64,
    pages: i64,
}

impl DriftPage {
    fn pager(&self) -> Pager {
        Pager::counted(self.page, self.pages, |page| {
            self.query.page_link("/drift", page)
        })
    }

    fn is_selected_finding(&self, id: &&str) -> bool {
        self.query.finding.trim() == *id
    }
}

/// `GET /drift`
pub async fn list(
    user: StaffUser,
    session: AppSession,
    state: web::Data<AppState>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let now = crate::clock::now();
    let (queue_filter, problems) = query.filter(now);
    let filter = DriftFilter {
        finding: queue_filter.finding,
        customer: queue_filter.customer,
        since_before: queue_filter.created_before,
    };
    let page = query.page_number();
    let (listed, total) = drift::list(&state.db.pool, &filter, page).await?;
    let pages = ((total + drift::PAGE_SIZE - 1) / drift::PAGE_SIZE).max(1);
    let rows = listed
        .into_iter()
        .map(|listed| DriftRow {
            ip: listed.drift.ip.to_string(),
            hostname: crate::routes::review::display_name(&listed.hostname),
            customer_number: listed.customer_number,
            customer_name: listed.customer_name,
            finding_id: listed.drift.finding_id,
            message: listed.drift.message,
            since: crate::clock::display(listed.drift.since),
            age: crate::routes::review::readable_age(now - listed.drift.since),
            checked_at: crate::clock::display(listed.drift.checked_at),
        })
        .collect();
    let body = DriftPage {
        layout: Layout::new(&user.user, &session)?,
        query,
        problems,
        finding_ids: FindingId::ALL.iter().map(|id| id.as_str()).collect(),
        rows,
        total,
        page: page.min(pages),
        pages,
    };
    html(StatusCode::OK, &body)
}

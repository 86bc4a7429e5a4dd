//! CSV import of assignments from the browser (pasted, or a file the page's script reads
//! into the box), through [`crate::import::import_assignments`]: every line is checked
//! first and one bad line imports nothing; each bad line is listed with its number.

use super::see_other;
use crate::auth::AdminUser;
use crate::error::AppError;
use crate::field_limits;
use crate::i18n::filters;
use crate::import::{ImportError, LineError, import_assignments};
use crate::routes::layout::{Layout, html};
use crate::session::{AppSession, CsrfForm};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

/// Largest import form accepted (about 20,000 lines).
pub const FORM_LIMIT: usize = 2 * 1024 * 1024;

#[derive(Template)]
#[template(path = "admin/import.html")]
struct ImportPage {
    layout: Layout,
    tab: &'static str,
    csv: String,
    errors: Vec<LineError>,
    problem: Option<String>,
}

/// The page with `csv` in the box; with a `problem` (and the bad lines) it answers 422.
async fn render(
    admin: &AdminUser,
    session: &AppSession,
    csv: String,
    errors: Vec<LineError>,
    problem: Option<String>,
) -> Result<HttpResponse, AppError> {
    let status = match problem {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let page = ImportPage {
        layout: Layout::new(&admin.user, session)?,
        tab: "import",
        csv,
        errors,
        problem,
    };
    html(status, &page)
}

/// `GET /admin/import`
pub async fn form(admin: AdminUser, session: AppSession) -> Result<HttpResponse, AppError> {
    render(&admin, &session, String::new(), Vec::new(), None).await
}

/// The import form.
#[derive(Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    csv: String,
}

/// `POST /admin/import`
pub async fn submit(
    admin: AdminUser,
    session: AppSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<ImportForm>,
) -> Result<HttpResponse, AppError> {
    let refused = if form.csv.trim().is_empty() {
        Some(crate::i18n::t("admin-import-empty"))
    } else {
        field_limits::long_csv_line_text(&form.csv)
            .map(|long| crate::i18n::t_args("admin-import-long-line", &[("problem", &long)]))
    };
    if refused.is_some() {
        return render(&admin, &session, form.csv, Vec::new(), refused).await;
    }
    let publishing = state.publishing.as_deref();
    match import_assignments(&state.db, publishing, &form.csv, &admin.user.actor()).await {
        Ok(summary) => {
            session.flash(&crate::i18n::t_args(
                "admin-import-done",
                &[("summary", &summary.text())],
            ))?;
            Ok(see_other("/admin/import"))
        }
        Err(ImportError::Rejected(errors)) => {
            let count = errors.len();
            let problem = crate::i18n::t_args("admin-import-rejected", &[("count", &count)]);
            render(&admin, &session, form.csv, errors, Some(problem)).await
        }
        Err(ImportError::Database(err)) => Err(err.into()),
    }
}

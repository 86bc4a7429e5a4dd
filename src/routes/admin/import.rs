//! CSV import of assignments from the browser (pasted, or a file the page's script reads
//! into the box), through [`crate::import::import_assignments`]: every line is checked
//! first and one bad line imports nothing; each bad line is listed with its number.

use super::{html, see_other};
use crate::auth::AdminUser;
use crate::error::AppError;
use crate::field_limits;
use crate::import::{ImportError, LineError, import_assignments};
use crate::routes::layout::Layout;
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

async fn render(
    admin: &AdminUser,
    session: &AppSession,
    csv: String,
    errors: Vec<LineError>,
    problem: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let page = ImportPage {
        layout: Layout::new(&admin.user, session)?,
        tab: "import",
        csv,
        errors,
        problem,
    };
    Ok(html(status, page.render()?))
}

/// `GET /admin/import`
pub async fn form(admin: AdminUser, session: AppSession) -> Result<HttpResponse, AppError> {
    render(
        &admin,
        &session,
        String::new(),
        Vec::new(),
        None,
        StatusCode::OK,
    )
    .await
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
    if form.csv.trim().is_empty() {
        let problem = Some("Paste the CSV lines, or choose a file.".to_owned());
        return render(
            &admin,
            &session,
            form.csv,
            Vec::new(),
            problem,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    if let Some(long) = field_limits::long_csv_line(&form.csv) {
        let problem = Some(format!("Nothing was imported: {long}"));
        return render(
            &admin,
            &session,
            form.csv,
            Vec::new(),
            problem,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match import_assignments(
        &state.db,
        state.publishing.as_deref(),
        &form.csv,
        &admin.user.actor(),
    )
    .await
    {
        Ok(summary) => {
            session.flash(&format!("CSV import: {summary}."))?;
            Ok(see_other("/admin/import"))
        }
        Err(ImportError::Rejected(errors)) => {
            let problem = Some(format!(
                "Nothing was imported: {} line(s) need fixing.",
                errors.len()
            ));
            render(
                &admin,
                &session,
                form.csv,
                errors,
                problem,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(ImportError::Database(err)) => Err(err.into()),
    }
}

//! The customer's side of review: "Ask for review" under a rejected change on their page.

use crate::auth::CustomerUser;
use crate::changes::{self, ReviewError};
use crate::error::AppError;
use crate::field_limits;
use crate::panel::FormProblem;
use crate::routes::customer::{self, FormAnswer};
use crate::session::{AppSession, CsrfForm};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

/// The "ask for review" form.
#[derive(Deserialize)]
pub struct ReviewRequestForm {
    change: String,
    #[serde(default)]
    justification: String,
    #[serde(default)]
    back: String,
}

/// `POST /ptr/review`: `rejected → in-review` with the customer's justification. Another
/// customer's change, or none, is a 404; an empty justification comes back beside the field.
pub async fn request_review(
    user: CustomerUser,
    session: AppSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<ReviewRequestForm>,
) -> Result<HttpResponse, AppError> {
    let change_id: i64 = form.change.trim().parse().map_err(|_| AppError::NotFound)?;
    customer::check_back(&form.back)?;
    let answer = FormAnswer::new(&user, &session, &state, &form.back);
    let problem = |message: String| FormProblem::Review {
        change_id,
        justification: form.justification.clone(),
        message,
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    let justification = (
        "the justification",
        form.justification.as_str(),
        field_limits::JUSTIFICATION,
    );
    if let Err(too_long) = field_limits::check(&[justification]) {
        return answer
            .again(problem(too_long.text().render()), status)
            .await;
    }
    let actor = user.user.actor();
    let asked = changes::request_review(
        &state.db,
        change_id,
        user.customer_id,
        &form.justification,
        &actor,
    );
    match asked.await {
        Ok(()) => answer.done(&crate::i18n::t("form-review-requested")),
        Err(err @ ReviewError::TextRequired(_)) => {
            answer.again(problem(err.text().render()), status).await
        }
        Err(ReviewError::NotFound) => Err(AppError::NotFound),
        Err(
            err @ (ReviewError::WrongState(_) | ReviewError::Conflict | ReviewError::NoLongerHeld),
        ) => answer.done(&crate::i18n::t_args(
            "form-review-nothing-sent",
            &[("error", &err.text())],
        )),
        Err(ReviewError::Database(err)) => Err(err.into()),
    }
}

//! The customer's side of delegation: "Delegate to your own name servers" under an assignment
//! an admin allowed it for, and "End the delegation". What each does is
//! [`crate::changes::delegation`].

use crate::auth::CustomerUser;
use crate::changes::delegation::{self, DelegationError, DelegationRequest, Refused};
use crate::domain::Door;
use crate::error::AppError;
use crate::field_limits;
use crate::panel::FormProblem;
use crate::routes::customer::{self, FormAnswer};
use crate::session::{AppSession, CsrfForm};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

/// The delegation form: the assignment and up to four name servers.
#[derive(Deserialize)]
pub struct DelegationForm {
    assignment: String,
    #[serde(default)]
    ns1: String,
    #[serde(default)]
    ns2: String,
    #[serde(default)]
    ns3: String,
    #[serde(default)]
    ns4: String,
    #[serde(default)]
    back: String,
}

impl DelegationForm {
    fn assignment_id(&self) -> Result<i64, AppError> {
        self.assignment
            .trim()
            .parse()
            .map_err(|_| AppError::NotFound)
    }

    fn nameservers(&self) -> Vec<String> {
        [&self.ns1, &self.ns2, &self.ns3, &self.ns4]
            .into_iter()
            .cloned()
            .collect()
    }
}

impl From<DelegationError> for AppError {
    fn from(err: DelegationError) -> AppError {
        match err {
            DelegationError::NotOwned => AppError::NotFound,
            DelegationError::Database(err) => err.into(),
        }
    }
}

/// `POST /delegation`: checks the name servers live and delegates, or shows beside the form
/// why not (422). Another customer's assignment is a 404.
pub async fn delegate(
    user: CustomerUser,
    session: AppSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<DelegationForm>,
) -> Result<HttpResponse, AppError> {
    let assignment_id = form.assignment_id()?;
    customer::check_back(&form.back)?;
    let answer = FormAnswer::new(&user, &session, &state, &form.back);
    let nameservers = form.nameservers();
    let problem = |message: String, findings| FormProblem::Delegation {
        assignment_id,
        nameservers: nameservers.clone(),
        message,
        findings,
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    let fields: Vec<(&str, &str, usize)> = nameservers
        .iter()
        .map(|name| ("a name server", name.as_str(), field_limits::NAMESERVER))
        .collect();
    if let Err(too_long) = field_limits::check(&fields) {
        return answer
            .again(problem(too_long.text().render(), Vec::new()), status)
            .await;
    }
    let Some(publishing) = &state.publishing else {
        return Err(AppError::NotFound);
    };
    let request = DelegationRequest {
        assignment_id,
        customer_id: user.customer_id,
        nameservers: nameservers.clone(),
        door: Door::Page,
        actor: user.user.actor(),
    };
    match delegation::delegate(&state.db, &state.engine, &publishing.cuts, &request).await? {
        Ok(_) => answer.done(&crate::i18n::t_args(
            "delegation-done",
            &[(
                "nameservers",
                &request
                    .nameservers
                    .iter()
                    .map(|name| name.trim())
                    .filter(|name| !name.is_empty())
                    .collect::<Vec<_>>()
                    .join(", "),
            )],
        )),
        Err(Refused::Findings(findings)) => {
            let message = crate::i18n::t("delegation-not-ready");
            answer.again(problem(message, findings), status).await
        }
        Err(refused) => {
            answer
                .again(problem(refused.text().render(), Vec::new()), status)
                .await
        }
    }
}

/// The "end the delegation" form.
#[derive(Deserialize)]
pub struct EndForm {
    assignment: String,
    #[serde(default)]
    back: String,
}

/// `POST /delegation/end`: ptrdesk serves the block's PTRs again.
pub async fn end(
    user: CustomerUser,
    session: AppSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<EndForm>,
) -> Result<HttpResponse, AppError> {
    let assignment_id: i64 = form
        .assignment
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    customer::check_back(&form.back)?;
    let answer = FormAnswer::new(&user, &session, &state, &form.back);
    let request = DelegationRequest {
        assignment_id,
        customer_id: user.customer_id,
        nameservers: Vec::new(),
        door: Door::Page,
        actor: user.user.actor(),
    };
    if delegation::undelegate(&state.db, &request).await? {
        answer.done(&crate::i18n::t("delegation-ended"))
    } else {
        answer.done(&crate::i18n::t("delegation-not-delegated"))
    }
}

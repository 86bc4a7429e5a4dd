//! Requested changes with their state and findings (SPEC "States").

use crate::domain::{ChangeState, address_key, finding::Finding};
use sqlx::{Any, Executor};
use std::net::IpAddr;

/// A change as it is first recorded.
#[derive(Debug, Clone)]
pub struct NewChange<'a> {
    /// The address it is for.
    pub ip: IpAddr,
    /// The assignment holding the address.
    pub assignment_id: i64,
    /// The customer owning it.
    pub customer_id: i64,
    /// The canonical hostname asked for; `None` asks for the default.
    pub requested_hostname: Option<&'a str>,
    /// Where it stands.
    pub state: ChangeState,
    /// What the checks found.
    pub findings: &'a [Finding],
    /// The user who asked, if a user did.
    pub created_by: Option<i64>,
    /// When.
    pub at: i64,
}

/// Records a change and returns its id.
pub async fn insert<'e>(
    db: impl Executor<'e, Database = Any>,
    change: &NewChange<'_>,
) -> Result<i64, sqlx::Error> {
    let findings =
        serde_json::to_string(change.findings).map_err(|err| sqlx::Error::Encode(Box::new(err)))?;
    sqlx::query_scalar(
        "INSERT INTO changes (address, address_text, assignment_id, customer_id, requested_hostname, state, \
                              findings, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(address_key(change.ip))
    .bind(change.ip.to_string())
    .bind(change.assignment_id)
    .bind(change.customer_id)
    .bind(change.requested_hostname)
    .bind(change.state.as_str())
    .bind(findings)
    .bind(change.created_by)
    .bind(change.at)
    .fetch_one(db)
    .await
}

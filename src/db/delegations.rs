//! Delegation of an assignment's reverse names to the customer's own name servers (migration
//! 0051): whether an admin allows it, and the name servers the customer named. Writes happen
//! in the callers' transactions ([`crate::admin::assignments::allow_delegation`],
//! [`crate::changes::delegation`]), which log the assignment's range for the DNS zone stores.

use crate::domain::{address_from_key, address_key};
use sqlx::{Any, Executor};
use std::net::IpAddr;

/// An assignment's delegation state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelegationState {
    /// Whether an admin allows it.
    pub allowed: bool,
    /// The customer's name servers, when delegated.
    pub nameservers: Vec<String>,
    /// When it was last delegated (Unix seconds; kept after the delegation ended).
    pub since: Option<i64>,
}

impl DelegationState {
    /// Whether the assignment is delegated now.
    pub fn delegated(&self) -> bool {
        !self.nameservers.is_empty()
    }
}

#[derive(sqlx::FromRow)]
struct StateRow {
    delegation_allowed: i64,
    delegated_to: Option<String>,
    delegated_at: Option<i64>,
}

fn split(text: Option<&str>) -> Vec<String> {
    text.unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// The delegation state of assignment `id` (`None`: no such assignment).
pub async fn state<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<DelegationState>, sqlx::Error> {
    let row: Option<StateRow> = sqlx::query_as(
        "SELECT delegation_allowed, delegated_to, delegated_at FROM assignments WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| DelegationState {
        allowed: row.delegation_allowed != 0,
        nameservers: split(row.delegated_to.as_deref()),
        since: row.delegated_at,
    }))
}

/// Allows or forbids delegating assignment `id`; forbidding ends a delegation in force.
pub async fn set_allowed<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    allowed: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE assignments SET delegation_allowed = $2, \
           delegated_to = CASE WHEN $2 = 1 THEN delegated_to ELSE NULL END \
         WHERE id = $1",
    )
    .bind(id)
    .bind(i64::from(allowed))
    .execute(db)
    .await?;
    Ok(())
}

/// Delegates assignment `id` to `nameservers` (it must be allowed: `false` when it is not).
pub async fn delegate<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    nameservers: &[String],
    at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assignments SET delegated_to = $2, delegated_at = $3 \
         WHERE id = $1 AND delegation_allowed = 1",
    )
    .bind(id)
    .bind(nameservers.join(" "))
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends the delegation of assignment `id`; whether there was one.
pub async fn undelegate<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assignments SET delegated_to = NULL \
         WHERE id = $1 AND delegated_to IS NOT NULL",
    )
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A delegated assignment as DNS serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedDelegation {
    /// Its first address ([`crate::domain::address_number`]).
    pub first: u128,
    /// Its last address.
    pub last: u128,
    /// The customer's name servers.
    pub nameservers: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct ServedRow {
    first_addr: Vec<u8>,
    last_addr: Vec<u8>,
    delegated_to: String,
}

/// The delegated assignments starting in `first..=last` (assignments never overlap a zone's
/// range partly in a way that matters here: a delegated one lies inside one zone).
pub async fn served_between(
    conn: &mut sqlx::AnyConnection,
    first: IpAddr,
    last: IpAddr,
) -> Result<Vec<ServedDelegation>, sqlx::Error> {
    let rows: Vec<ServedRow> = sqlx::query_as(
        "SELECT first_addr, last_addr, delegated_to FROM assignments \
         WHERE delegated_at IS NOT NULL AND delegated_to IS NOT NULL \
           AND first_addr >= $1 AND first_addr <= $2 \
         ORDER BY first_addr",
    )
    .bind(address_key(first))
    .bind(address_key(last))
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            let number = |key: &[u8]| {
                address_from_key(key)
                    .map(crate::domain::address_number)
                    .ok_or_else(|| sqlx::Error::Decode("stored address is not 16 bytes".into()))
            };
            Ok(ServedDelegation {
                first: number(&row.first_addr)?,
                last: number(&row.last_addr)?,
                nameservers: split(Some(&row.delegated_to)),
            })
        })
        .collect()
}

/// An assignment ever delegated, as a publishing backend needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EverDelegated {
    /// Its network.
    pub network: String,
    /// The name servers it is delegated to now (empty: no longer).
    pub nameservers: Vec<String>,
}

/// The assignments lying wholly in `first..=last` that were ever delegated (delegated now, or
/// once: their cut is to be removed).
pub async fn ever_delegated_within<'e>(
    db: impl Executor<'e, Database = Any>,
    first: IpAddr,
    last: IpAddr,
) -> Result<Vec<EverDelegated>, sqlx::Error> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT network, delegated_to FROM assignments \
         WHERE delegated_at IS NOT NULL AND first_addr >= $1 AND first_addr <= $2 \
           AND last_addr <= $2 ORDER BY first_addr",
    )
    .bind(address_key(first))
    .bind(address_key(last))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(network, servers)| EverDelegated {
            network,
            nameservers: split(servers.as_deref()),
        })
        .collect())
}

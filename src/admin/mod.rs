//! The write paths of administration: user accounts, the validation policy, customers,
//! servers and IP assignments. Each function is one transaction with its audit row; the admin
//! pages, the command line and the API call these and never open a transaction of their own.
//! PTR entries are not written here: a removed or moved assignment's entries go back to the
//! default through [`crate::changes`].

pub mod accounts;
pub mod assignments;
pub mod credentials;
pub mod customers;
pub mod inventory;
pub mod mail;
pub mod policy;
pub mod webhooks;
pub mod zone_import;

use crate::db::{self, audit::Actor};
use crate::domain::AuditAction;
use crate::domain::change::Door;

/// Who acts, and through which door (an admin's page, the operator's command line, an API
/// credential).
#[derive(Debug, Clone)]
pub struct Acting {
    /// Who.
    pub actor: Actor,
    /// Through which door.
    pub door: Door,
}

/// The audit row of one administrative action by `by`, inside `tx`.
pub(crate) async fn audit(
    tx: &mut db::Tx,
    by: &Acting,
    action: AuditAction,
    customer_id: Option<i64>,
    old_value: Option<&str>,
    new_value: Option<&str>,
) -> Result<(), sqlx::Error> {
    db::audit::insert(
        &mut **tx,
        &db::audit::NewAuditRow {
            actor: &by.actor,
            door: by.door,
            action,
            customer_id,
            ip: None,
            old_value,
            new_value,
            change_id: None,
            at: crate::clock::now(),
        },
    )
    .await
}

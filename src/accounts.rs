//! The write path of user accounts: changing a role, replacing a password, disabling and
//! enabling, ending sessions. Each is one transaction with its audit row, and each of the
//! first three ends every session of the user in that same transaction (their next request,
//! on any node, is signed out). The admin pages and the command line both call these.

use crate::db::{self, audit::Actor, users::Account};
use crate::domain::Role;
use crate::domain::change::Door;

/// Who acts, and through which door (an admin's page, or the operator's command line).
#[derive(Debug, Clone)]
pub struct AccountActor {
    /// Who.
    pub actor: Actor,
    /// Through which door.
    pub door: Door,
}

async fn audit(
    tx: &mut db::Tx,
    by: &AccountActor,
    action: &str,
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

/// Gives `user` the role `role` (with `customer_id` for a customer user) and signs them out
/// everywhere: what they may do changed.
pub async fn set_role(
    db: &db::Db,
    by: &AccountActor,
    user: &Account,
    role: Role,
    customer_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    db::admin::set_role(&mut *tx, user.id, role, customer_id).await?;
    db::sessions::end_all_of_user(&mut *tx, user.id, None).await?;
    let before = format!("{} ({})", user.username, user.role.as_str());
    audit(
        &mut tx,
        by,
        "user.role",
        customer_id.or(user.customer_id),
        Some(&before),
        Some(role.as_str()),
    )
    .await?;
    tx.commit().await
}

/// Replaces `user`'s password hash and signs them out everywhere: whoever knew the old
/// password is signed out with it.
pub async fn set_password(
    db: &db::Db,
    by: &AccountActor,
    user: &Account,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    db::admin::set_password_hash(&mut *tx, user.id, password_hash).await?;
    db::sessions::end_all_of_user(&mut *tx, user.id, None).await?;
    audit(
        &mut tx,
        by,
        "user.password.reset",
        user.customer_id,
        None,
        Some(&user.username),
    )
    .await?;
    tx.commit().await
}

/// Disables `user` (signing them out everywhere and refusing the API credentials they made)
/// or enables them again.
pub async fn set_disabled(
    db: &db::Db,
    by: &AccountActor,
    user: &Account,
    disabled: bool,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    db::admin::set_disabled(&mut *tx, user.id, disabled.then(crate::clock::now)).await?;
    if disabled {
        db::sessions::end_all_of_user(&mut *tx, user.id, None).await?;
    }
    let action = if disabled {
        "user.disable"
    } else {
        "user.enable"
    };
    audit(
        &mut tx,
        by,
        action,
        user.customer_id,
        None,
        Some(&user.username),
    )
    .await?;
    tx.commit().await
}

/// Signs `user` out everywhere; returns how many sessions ended.
pub async fn end_sessions(
    db: &db::Db,
    by: &AccountActor,
    user: &Account,
) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let ended = db::sessions::end_all_of_user(&mut *tx, user.id, None).await?;
    let summary = format!("{} ({ended} sessions)", user.username);
    audit(
        &mut tx,
        by,
        "user.sessions.end",
        user.customer_id,
        None,
        Some(&summary),
    )
    .await?;
    tx.commit().await?;
    Ok(ended)
}

//! Customers as admins keep them: adding one (a unique number and a name) and renaming one.

use super::{Acting, audit};
use crate::db::{self, Db};
use crate::domain::AuditAction;

/// The customer number is taken; nothing was added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberTaken;

/// Adds customer `number` called `name`; its id, or [`NumberTaken`].
pub async fn add(
    db: &Db,
    by: &Acting,
    number: &str,
    name: &str,
) -> Result<Result<i64, NumberTaken>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let id = match db::customers::insert(&mut *tx, number, name, crate::clock::now()).await {
        Ok(id) => id,
        Err(err) if db::is_unique_violation(&err) => return Ok(Err(NumberTaken)),
        Err(err) => return Err(err),
    };
    let added = format!("{number} {name}");
    audit(
        &mut tx,
        by,
        AuditAction::CustomerAdd,
        Some(id),
        None,
        Some(&added),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Renames customer `id` from `before` to `name`.
pub async fn rename(
    db: &Db,
    by: &Acting,
    id: i64,
    before: &str,
    name: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    db::admin::rename_customer(&mut *tx, id, name).await?;
    audit(
        &mut tx,
        by,
        AuditAction::CustomerRename,
        Some(id),
        Some(before),
        Some(name),
    )
    .await?;
    tx.commit().await
}

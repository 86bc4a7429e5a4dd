//! The notification mail outbox seen by admins: sending a mail that failed (or was given up,
//! or dropped) again now, audited (`mail.retry`).

use super::{Acting, audit};
use crate::db::{self, Db};
use crate::domain::AuditAction;

/// Makes mail `id` due now, with its audit row, in one transaction; false when there is no
/// such mail left to send (it was sent, or is being sent this moment).
pub async fn retry_now(db: &Db, by: &Acting, id: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    if !db::mail::retry_now(&mut *tx, id, crate::clock::now()).await? {
        return Ok(false);
    }
    let value = format!("mail {id}");
    audit(
        &mut tx,
        by,
        AuditAction::MailRetry,
        None,
        None,
        Some(&value),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

//! API credentials of staff: made (the secret is shown once) and revoked by admins on their
//! page and by the operator with `ptrdesk credential`, each with its audit row.

use super::{Acting, audit};
use crate::credentials::{self, NewCredential};
use crate::db::{self, Db};
use crate::domain::{AuditAction, StaffScope};
use crate::field_limits;

/// The label is empty or too long; nothing was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Enter what the credential is for (at most {max} characters).", max = field_limits::CREDENTIAL_LABEL)]
pub struct BadLabel;

impl BadLabel {
    /// The sentence in the reader's language (`Display` stays English, for the logs).
    pub fn text(self) -> crate::i18n::Text {
        crate::i18n::Text::new("form-credential-label").arg("max", field_limits::CREDENTIAL_LABEL)
    }
}

/// Makes a staff credential called `label` with `scope`; the credential with its secret (show
/// it once), or why not.
pub async fn add(
    db: &Db,
    by: &Acting,
    label: &str,
    scope: StaffScope,
) -> Result<Result<NewCredential, BadLabel>, sqlx::Error> {
    let label = label.trim();
    if label.is_empty() || label.chars().count() > field_limits::CREDENTIAL_LABEL {
        return Ok(Err(BadLabel));
    }
    let made = credentials::generate_staff();
    let hash = credentials::hash_secret(&made.secret);
    let mut tx = db.begin_write().await?;
    let now = crate::clock::now();
    let user = by.actor.user_id;
    db::staff_credentials::insert(&mut *tx, &made.username, &hash, label, scope, user, now).await?;
    let value = format!("{} {label} ({})", made.username, scope.as_str());
    audit(
        &mut tx,
        by,
        AuditAction::CredentialAdd,
        None,
        None,
        Some(&value),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(made))
}

/// Revokes staff credential `id`; false when there is no such usable credential.
pub async fn revoke(db: &Db, by: &Acting, id: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let Some(label) = db::staff_credentials::revoke(&mut *tx, id, crate::clock::now()).await?
    else {
        return Ok(false);
    };
    audit(
        &mut tx,
        by,
        AuditAction::CredentialRevoke,
        None,
        Some(&label),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

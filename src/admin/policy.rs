//! The validation policy as admins change it: stored as overrides of the configured policy and
//! put in force on this node at once (other nodes reload it within `recheck_interval_seconds`,
//! see [`crate::jobs`]).

use super::{Acting, audit};
use crate::checks::Engine;
use crate::checks::policy::Policy;
use crate::db::Db;
use crate::domain::AuditAction;
use crate::domain::PolicyOverrides;

/// Replaces the stored overrides with `overrides`, audited with the overrides before and
/// after, and puts `base` with them in force in `engine`.
pub async fn save(
    db: &Db,
    engine: &Engine,
    base: &Policy,
    by: &Acting,
    overrides: &PolicyOverrides,
) -> Result<(), sqlx::Error> {
    let before = crate::db::policy::load(&db.pool).await?;
    let mut tx = db.begin_write().await?;
    crate::db::policy::replace(&mut tx, overrides, crate::clock::now()).await?;
    audit(
        &mut tx,
        by,
        AuditAction::PolicyUpdate,
        None,
        Some(&before.to_string()),
        Some(&overrides.to_string()),
    )
    .await?;
    tx.commit().await?;
    engine.set_policy(base.with_overrides(overrides));
    Ok(())
}

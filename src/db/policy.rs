//! The validation policy as admins edit it, stored as overrides of the configured policy:
//! rows of `policy_settings` (`forward_policy`, `severity:CHECK`), `protected_domains` and
//! `brand_domains`, parsed here into [`PolicyOverrides`]. A row this version does not understand (a check
//! since removed, a value edited by hand) is skipped with a warning, so it cannot stop the
//! panel.

use crate::domain::PolicyOverrides;
use crate::domain::finding::FindingId;
use crate::domain::policy::{ForwardPolicy, overridable_severity};
use sqlx::{Any, Executor};

#[derive(sqlx::FromRow)]
struct Setting {
    name: String,
    value: String,
}

/// Reads the stored overrides.
pub async fn load<'e, E>(db: E) -> Result<PolicyOverrides, sqlx::Error>
where
    E: Executor<'e, Database = Any> + Copy,
{
    let settings: Vec<Setting> =
        sqlx::query_as("SELECT name, value FROM policy_settings ORDER BY name")
            .fetch_all(db)
            .await?;
    let protected_domains: Vec<String> =
        sqlx::query_scalar("SELECT domain FROM protected_domains ORDER BY domain")
            .fetch_all(db)
            .await?;
    let brand_domains: Vec<String> =
        sqlx::query_scalar("SELECT domain FROM brand_domains ORDER BY domain")
            .fetch_all(db)
            .await?;
    let mut stored = PolicyOverrides {
        protected_domains,
        brand_domains,
        ..PolicyOverrides::default()
    };
    for setting in settings {
        let understood = if setting.name == "forward_policy" {
            ForwardPolicy::parse(&setting.value).map(|forward| stored.forward = Some(forward))
        } else {
            setting
                .name
                .strip_prefix("severity:")
                .and_then(FindingId::parse)
                .zip(overridable_severity(&setting.value))
                .map(|chosen| stored.severities.push(chosen))
        };
        if understood.is_none() {
            tracing::warn!(setting = %setting.name, value = %setting.value, "stored policy setting not understood; skipped");
        }
    }
    stored
        .severities
        .sort_by_key(|(id, _)| FindingId::ALL.iter().position(|known| known == id));
    Ok(stored)
}

/// Replaces the stored policy with `policy` (inside the caller's transaction).
pub async fn replace(
    tx: &mut sqlx::AnyConnection,
    policy: &PolicyOverrides,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM policy_settings")
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM protected_domains")
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM brand_domains")
        .execute(&mut *tx)
        .await?;
    let settings = policy
        .forward
        .iter()
        .map(|forward| ("forward_policy".to_owned(), forward.as_str()))
        .chain(
            policy
                .severities
                .iter()
                .map(|(id, severity)| (format!("severity:{}", id.as_str()), severity.as_str())),
        );
    for (name, value) in settings {
        sqlx::query("INSERT INTO policy_settings (name, value, updated_at) VALUES ($1, $2, $3)")
            .bind(name)
            .bind(value)
            .bind(at)
            .execute(&mut *tx)
            .await?;
    }
    for domain in &policy.protected_domains {
        sqlx::query("INSERT INTO protected_domains (domain, created_at) VALUES ($1, $2)")
            .bind(domain.as_str())
            .bind(at)
            .execute(&mut *tx)
            .await?;
    }
    for domain in &policy.brand_domains {
        sqlx::query("INSERT INTO brand_domains (domain, created_at) VALUES ($1, $2)")
            .bind(domain.as_str())
            .bind(at)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

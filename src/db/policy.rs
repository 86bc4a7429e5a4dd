//! The validation policy as admins edit it, stored as overrides of the configured policy.

use sqlx::{Any, Executor};

/// What the database holds of the policy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredPolicy {
    /// `require`, `warn` or `off`, when an admin chose one.
    pub forward_policy: Option<String>,
    /// Severity overrides by check id (`info`, `warning`, `error`).
    pub severities: Vec<(String, String)>,
    /// Domains customers may not use.
    pub protected_domains: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct Setting {
    name: String,
    value: String,
}

/// Reads the stored policy.
pub async fn load<'e, E>(db: E) -> Result<StoredPolicy, sqlx::Error>
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
    let mut stored = StoredPolicy {
        protected_domains,
        ..StoredPolicy::default()
    };
    for setting in settings {
        if setting.name == "forward_policy" {
            stored.forward_policy = Some(setting.value);
        } else if let Some(id) = setting.name.strip_prefix("severity:") {
            stored.severities.push((id.to_owned(), setting.value));
        }
    }
    Ok(stored)
}

/// Replaces the stored policy with `policy` (inside the caller's transaction).
pub async fn replace(
    tx: &mut sqlx::AnyConnection,
    policy: &StoredPolicy,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM policy_settings")
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM protected_domains")
        .execute(&mut *tx)
        .await?;
    let settings = policy
        .forward_policy
        .iter()
        .map(|value| ("forward_policy".to_owned(), value.clone()))
        .chain(
            policy
                .severities
                .iter()
                .map(|(id, value)| (format!("severity:{id}"), value.clone())),
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
    Ok(())
}

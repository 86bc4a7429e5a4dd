//! `ptrdesk credential …`: staff API credentials from the operator's command line, through
//! [`crate::admin::credentials`] (audited as actor `cli`).

use super::CredentialCommand;
use super::operator;
use crate::admin::credentials;
use crate::config::Settings;
use crate::db::{self, Db};
use crate::domain::StaffScope;
use anyhow::{Context, bail};

/// Runs one `ptrdesk credential` command.
pub(super) async fn run(command: CredentialCommand) -> anyhow::Result<()> {
    match command {
        CredentialCommand::Add {
            label,
            scope,
            config,
        } => {
            let scope = StaffScope::parse(&scope)
                .with_context(|| format!("unknown scope {scope:?}: use inventory or read"))?;
            let db = connect(config.as_deref()).await?;
            match credentials::add(&db, &operator(), &label, scope).await? {
                Ok(made) => {
                    println!("{}:{}", made.username, made.secret);
                    eprintln!(
                        "staff credential {label:?} ({}) made; the secret is not shown again",
                        scope.as_str()
                    );
                    Ok(())
                }
                Err(refused) => bail!("{refused}"),
            }
        }
        CredentialCommand::List { config } => {
            let db = connect(config.as_deref()).await?;
            for credential in db::staff_credentials::listing(&db.pool).await? {
                let status = match credential.revoked_at {
                    Some(at) => format!("revoked {}", crate::clock::display(at)),
                    None => credential.last_used_at.map_or_else(
                        || "never used".to_owned(),
                        |at| format!("last used {}", crate::clock::display(at)),
                    ),
                };
                println!(
                    "{:>4}  {:<18} {:<10} {:<32} {status}",
                    credential.id,
                    credential.username,
                    credential.scope.as_str(),
                    credential.label
                );
            }
            Ok(())
        }
        CredentialCommand::Revoke { id, config } => {
            let db = connect(config.as_deref()).await?;
            if !credentials::revoke(&db, &operator(), id).await? {
                bail!("no usable staff credential with number {id} (see ptrdesk credential list)");
            }
            println!("staff credential {id} is revoked");
            Ok(())
        }
    }
}

async fn connect(config: Option<&std::path::Path>) -> anyhow::Result<Db> {
    let settings = Settings::load(config)?;
    Ok(Db::connect(&settings.database).await?)
}

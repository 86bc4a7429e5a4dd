//! `ptrdesk import assignments FILE --sync`: the whole inventory made to hold exactly what a
//! CSV file lists, through [`crate::admin::inventory`] (the same reconciliation as `PUT
//! /api/v1/inventory`), audited as actor `cli` through the door `import`.

use crate::admin::Acting;
use crate::admin::inventory::{Diff, InventorySpec, Reconcile, Refused};
use crate::config::Settings;
use crate::db::Db;
use crate::domain::Door;
use anyhow::bail;

/// The options of a sync.
pub(super) struct Sync {
    /// Print the difference only.
    pub dry_run: bool,
    /// Cancel the customers the file does not list.
    pub remove_missing: bool,
}

/// Reconciles the inventory with `csv` and prints the difference.
pub(super) async fn sync(settings: &Settings, csv: &str, options: Sync) -> anyhow::Result<()> {
    let customers = match crate::import::desired_inventory(csv) {
        Ok(customers) => customers,
        Err(lines) => {
            let lines: Vec<String> = lines
                .iter()
                .map(|err| format!("line {}: {}", err.line, err.message))
                .collect();
            bail!("nothing was changed:\n{}", lines.join("\n"));
        }
    };
    let db = Db::connect(&settings.database).await?;
    let engine = crate::checks::Engine::from_settings(settings)?;
    // Zone rows as a node serving DNS with this configuration would create them.
    let publishing = match settings.dns_listen {
        Some(_) => Some(crate::dns::Publishing::from_settings(settings)?),
        None => None,
    };
    let by = Acting {
        actor: crate::import::cli_actor(),
        door: Door::Import,
    };
    let reconcile = Reconcile {
        db: &db,
        engine: &engine,
        publishing: publishing.as_ref(),
        by: &by,
        dry_run: options.dry_run,
    };
    let spec = InventorySpec {
        customers,
        remove_missing: options.remove_missing,
    };
    match reconcile.all(&spec).await? {
        Ok(outcome) => {
            print_diff(&outcome.diff);
            if outcome.diff.is_empty() {
                println!("nothing to change: the inventory holds what the file lists");
            } else if options.dry_run {
                println!("dry run: nothing was changed");
            }
            Ok(())
        }
        Err(Refused::Problems(problems)) => {
            let problems: Vec<String> = problems
                .iter()
                .map(|p| format!("{}: {}", p.path, p.message.english()))
                .collect();
            bail!("nothing was changed:\n{}", problems.join("\n"))
        }
        Err(other) => bail!("nothing was changed: {other:?}"),
    }
}

/// One line per step: `+` created, `>` moved, `-` removed, `~` renamed.
fn print_diff(diff: &Diff) {
    let place = |customer: &str, server: &Option<String>, network: &Option<String>| {
        let mut text = customer.to_owned();
        if let Some(server) = server {
            text.push_str(&format!(" {server}"));
        }
        if let Some(network) = network {
            text.push_str(&format!(" {network}"));
        }
        text
    };
    for item in &diff.create {
        println!("+ {}", place(&item.customer, &item.server, &item.network));
    }
    for moved in &diff.moves {
        println!(
            "> {} from {} {} to {} {}",
            moved.network,
            moved.from.customer,
            moved.from.server,
            moved.to.customer,
            moved.to.server
        );
    }
    for item in &diff.remove {
        println!("- {}", place(&item.customer, &item.server, &item.network));
    }
    for rename in &diff.rename {
        println!("~ {} {:?} -> {:?}", rename.customer, rename.from, rename.to);
    }
}

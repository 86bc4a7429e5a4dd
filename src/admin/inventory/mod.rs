//! The provider's systems drive the inventory: a desired state of customers, servers and
//! assignments ([`spec`]) is compared with what ptrdesk holds ([`plan`]) and the difference
//! applied in one transaction with an audit row per step, or answered without a change (a
//! dry run). Sending the same state twice changes nothing the second time.
//!
//! Policy, as on the admin pages ([`super::assignments`]): a PTR never follows an IP to a new
//! owner. An assignment that moves to another customer, or goes, first has every address with
//! a PTR of its own or an open change reset to the default through [`crate::changes`]. A
//! network that overlaps another customer's assignment without being the same network is
//! refused (only the same network moves). Cancelling a customer removes its assignments and
//! servers and disables its users; the customer row and the audit log stay.

pub mod plan;
pub mod spec;

pub use plan::Diff;
pub use spec::{CustomerSpec, InventorySpec, Problem, ServerSpec};

use super::Acting;
use super::assignments::reset_all;
use crate::checks::Engine;
use crate::db::provisioning::{self as rows, CustomerRow};
use crate::db::{self, Db, PublishTx, admin::HeldAssignment};
use crate::dns::Publishing;
use crate::domain::AuditAction;
use plan::{Held, Plan, Scope};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Why a reconciliation failed (as opposed to being refused, [`Refused`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Resetting an entry, or moving an assignment, failed.
    #[error("{0}")]
    Assignment(#[from] super::assignments::Error),
    /// Another writer added an overlapping assignment or a customer meanwhile; nothing was
    /// changed, the same call may be made again.
    #[error("{0}")]
    Raced(String),
}

/// Why nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The input has these problems.
    Problems(Vec<Problem>),
    /// `If-Match` named another state than the one held (its ETag now, `None` when there is
    /// no such customer).
    Stale(Option<String>),
    /// No such customer (a cancellation).
    NotFound,
}

/// A customer as provisioning sees it: the answer of `GET`, and the shape `PUT` takes.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CustomerState {
    /// The customer number.
    pub number: String,
    /// Its name.
    pub name: String,
    /// Whether provisioning cancelled it.
    pub cancelled: bool,
    /// Its servers by name, each with its assignments in address order.
    pub servers: Vec<ServerSpec>,
}

impl CustomerState {
    /// The entity tag of this state: it changes whenever anything in it does.
    pub fn etag(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        format!("\"{}\"", &hex::encode(Sha256::digest(json))[..20])
    }
}

/// The customer called `number` as provisioning sees it.
pub async fn customer_state(db: &Db, number: &str) -> Result<Option<CustomerState>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    state_of(&mut conn, number).await
}

async fn state_of(
    conn: &mut sqlx::AnyConnection,
    number: &str,
) -> Result<Option<CustomerState>, sqlx::Error> {
    let Some(customer) = rows::customer(&mut *conn, number).await? else {
        return Ok(None);
    };
    let servers = rows::servers(&mut *conn, Some(&[customer.id])).await?;
    let mut assignments = rows::assignments(&mut *conn, Some(&[customer.id])).await?;
    assignments.sort_by_key(|a| a.network.span());
    let mut specs: Vec<ServerSpec> = servers
        .iter()
        .map(|server| ServerSpec {
            name: server.name.clone(),
            assignments: assignments
                .iter()
                .filter(|a| a.server_id == server.id)
                .map(|a| a.network.to_string())
                .collect(),
        })
        .collect();
    specs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Some(CustomerState {
        number: customer.number,
        name: customer.name,
        cancelled: customer.cancelled_at.is_some(),
        servers: specs,
    }))
}

/// Every customer as provisioning sees it, by number: the answer of `GET /api/v1/inventory`,
/// and the body `PUT` takes.
pub async fn all_states(db: &Db) -> Result<Vec<CustomerState>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    let customers = rows::customers(&mut *conn).await?;
    let servers = rows::servers(&mut *conn, None).await?;
    let mut assignments = rows::assignments(&mut *conn, None).await?;
    assignments.sort_by_key(|a| a.network.span());
    let mut by_server: HashMap<i64, Vec<String>> = HashMap::new();
    for assignment in &assignments {
        by_server
            .entry(assignment.server_id)
            .or_default()
            .push(assignment.network.to_string());
    }
    let mut by_customer: HashMap<i64, Vec<ServerSpec>> = HashMap::new();
    for server in servers {
        by_customer
            .entry(server.customer_id)
            .or_default()
            .push(ServerSpec {
                assignments: by_server.remove(&server.id).unwrap_or_default(),
                name: server.name,
            });
    }
    let mut states: Vec<CustomerState> = customers
        .into_iter()
        .map(|customer| {
            let mut servers = by_customer.remove(&customer.id).unwrap_or_default();
            servers.sort_by(|a, b| a.name.cmp(&b.name));
            CustomerState {
                number: customer.number,
                name: customer.name,
                cancelled: customer.cancelled_at.is_some(),
                servers,
            }
        })
        .collect();
    states.sort_by(|a, b| a.number.cmp(&b.number));
    Ok(states)
}

/// What a reconciliation did (or, in a dry run, would do).
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The difference.
    pub diff: Diff,
    /// Whether it was applied (false in a dry run, and when nothing differs).
    pub applied: bool,
}

/// A reconciliation and where it writes.
pub struct Reconcile<'a> {
    /// The database.
    pub db: &'a Db,
    /// The check engine (resets go through the one write path).
    pub engine: &'a Engine,
    /// The zones to create for new assignments when this node serves DNS.
    pub publishing: Option<&'a Publishing>,
    /// Who acts, through which door.
    pub by: &'a Acting,
    /// Answer the difference without changing anything.
    pub dry_run: bool,
}

impl Reconcile<'_> {
    /// Makes customer `number` hold exactly `spec` (`if_match`: only if its state's ETag is
    /// this one).
    pub async fn customer(
        &self,
        number: &str,
        spec: &CustomerSpec,
        if_match: Option<&str>,
    ) -> Result<Result<Outcome, Refused>, Error> {
        if spec
            .number
            .as_deref()
            .is_some_and(|body| body.trim() != number)
        {
            return Ok(Err(Refused::Problems(vec![Problem {
                path: "number".to_owned(),
                message: crate::i18n::Text::new("refusal-inventory-other-customer")
                    .arg("number", number),
            }])));
        }
        let only = std::slice::from_ref(spec);
        let checked = spec::validate(only, &[Some(number)], |_| String::new());
        let scope = Scope {
            cancel_missing: false,
        };
        let if_match = if_match.map(|tag| (number, tag));
        self.run(if_match, checked, scope, Concerned::Around(number))
            .await
    }

    /// Makes the whole inventory hold exactly `spec`: the listed customers as listed, the
    /// others left alone or (with `remove_missing`) cancelled.
    pub async fn all(&self, spec: &InventorySpec) -> Result<Result<Outcome, Refused>, Error> {
        let numbers: Vec<Option<&str>> =
            spec.customers.iter().map(|c| c.number.as_deref()).collect();
        let prefix = |index| format!("customers[{index}].");
        let checked = spec::validate(&spec.customers, &numbers, prefix);
        let scope = Scope {
            cancel_missing: spec.remove_missing,
        };
        self.run(None, checked, scope, Concerned::Everything).await
    }

    /// Cancels customer `number`: every assignment removed (entries reset first), its servers
    /// removed, its users disabled; the customer and its history stay.
    pub async fn cancel(
        &self,
        number: &str,
        if_match: Option<&str>,
    ) -> Result<Result<Outcome, Refused>, Error> {
        let scope = Scope {
            cancel_missing: true,
        };
        let if_match = if_match.map(|tag| (number, tag));
        let nothing = (Vec::new(), Vec::new());
        self.run(if_match, nothing, scope, Concerned::Cancelled(number))
            .await
    }

    /// One reconciliation in its own transaction, serialised with the others: `If-Match`
    /// (customer number, expected ETag) compared with the state inside it, what is held read
    /// for `concerned`, the plan made and applied (or, refused or a dry run, rolled back at
    /// once). `problems` found in the input already are answered together with the plan's.
    async fn run(
        &self,
        if_match: Option<(&str, &str)>,
        (desired, mut problems): (Vec<spec::Desired>, Vec<Problem>),
        scope: Scope,
        concerned: Concerned<'_>,
    ) -> Result<Result<Outcome, Refused>, Error> {
        let mut tx = self.db.begin_publish().await?;
        let planned = async {
            rows::lock_reconciliation(&mut tx).await?;
            if let Some((number, expected)) = if_match {
                let etag = state_of(&mut tx, number).await?.map(|s| s.etag());
                if expected.trim() != "*" && etag.as_deref() != Some(expected.trim()) {
                    return Ok(Err(Refused::Stale(etag)));
                }
            }
            let held = match concerned {
                Concerned::Around(number) => held_around(&mut tx, number, &desired).await?,
                Concerned::Everything => held_everything(&mut tx).await?,
                Concerned::Cancelled(number) => {
                    let held = held_around(&mut tx, number, &desired).await?;
                    if held.customers.is_empty() {
                        return Ok(Err(Refused::NotFound));
                    }
                    held
                }
            };
            let planned = match plan::plan(&desired, &held, scope) {
                Ok(plan) if problems.is_empty() => Ok((held, plan)),
                Ok(_) => Err(Refused::Problems(std::mem::take(&mut problems))),
                Err(more) => {
                    problems.extend(more);
                    Err(Refused::Problems(std::mem::take(&mut problems)))
                }
            };
            Ok::<_, Error>(planned)
        }
        .await;
        match planned {
            Ok(Ok((held, plan))) if !self.dry_run && !plan.diff.is_empty() => {
                if let Err(err) = self.apply(&mut tx, &held, &plan).await {
                    tx.rollback().await?;
                    return Err(err);
                }
                tx.commit().await?;
                Ok(Ok(Outcome {
                    diff: plan.diff,
                    applied: true,
                }))
            }
            Ok(Ok((_, plan))) => {
                tx.rollback().await?;
                Ok(Ok(Outcome {
                    diff: plan.diff,
                    applied: false,
                }))
            }
            Ok(Err(refused)) => {
                tx.rollback().await?;
                Ok(Err(refused))
            }
            Err(err) => {
                tx.rollback().await?;
                Err(err)
            }
        }
    }

    /// Every step of `plan`, in order, each with its audit row.
    async fn apply(&self, tx: &mut PublishTx, held: &Held, plan: &Plan) -> Result<(), Error> {
        let now = crate::clock::now();
        let by = self.by;
        let mut customer_ids: HashMap<String, i64> = held
            .customers
            .iter()
            .map(|c| (c.number.clone(), c.id))
            .collect();
        for (number, name) in &plan.new_customers {
            let id = match db::customers::insert(&mut ***tx, number, name, now).await {
                Ok(id) => id,
                Err(err) if db::is_unique_violation(&err) => {
                    return Err(Error::Raced(format!(
                        "customer {number} was added meanwhile"
                    )));
                }
                Err(err) => return Err(err.into()),
            };
            customer_ids.insert(number.clone(), id);
            let added = format!("{number} {name}");
            let action = AuditAction::CustomerAdd;
            super::audit(tx, by, action, Some(id), None, Some(&added)).await?;
        }
        for id in &plan.reactivated {
            rows::set_cancelled(&mut ***tx, *id, None).await?;
            super::audit(
                tx,
                by,
                AuditAction::CustomerReactivate,
                Some(*id),
                None,
                None,
            )
            .await?;
        }
        for (id, before, after) in &plan.renames {
            db::admin::rename_customer(&mut ***tx, *id, after).await?;
            let action = AuditAction::CustomerRename;
            super::audit(tx, by, action, Some(*id), Some(before), Some(after)).await?;
        }
        let mut server_ids: HashMap<(i64, String), i64> = held
            .servers
            .iter()
            .map(|s| ((s.customer_id, s.name.clone()), s.id))
            .collect();
        for (number, name) in &plan.new_servers {
            let customer_id = customer_ids[number];
            let id = db::inventory::insert_server(&mut ***tx, customer_id, name, now).await?;
            server_ids.insert((customer_id, name.clone()), id);
            let action = AuditAction::ServerAdd;
            super::audit(tx, by, action, Some(customer_id), None, Some(name)).await?;
        }
        let touched: Vec<i64> = (plan.removals.iter().map(|r| r.assignment_id))
            .chain(plan.moves.iter().map(|m| m.assignment_id))
            .collect();
        tx.lock_assignments(&touched).await?;
        for removal in &plan.removals {
            let assignment = HeldAssignment {
                id: removal.assignment_id,
                server_id: removal.server_id,
                server_name: removal.server.clone(),
                customer_id: removal.customer_id,
                network: removal.network,
            };
            reset_all(tx, self.engine, by, &assignment).await?;
            db::admin::delete_assignment(tx, assignment.id).await?;
            tx.range_changed(assignment.network.first(), assignment.network.last());
            let old = format!("{} on {}", assignment.network, assignment.server_name);
            let customer = Some(assignment.customer_id);
            let action = AuditAction::AssignmentRemove;
            super::audit(tx, by, action, customer, Some(&old), None).await?;
        }
        for moved in &plan.moves {
            let customer_id = customer_ids[&moved.to.customer];
            let server_id = server_ids[&(customer_id, moved.to.server.clone())];
            if customer_id != moved.from_customer_id {
                let assignment = HeldAssignment {
                    id: moved.assignment_id,
                    server_id,
                    server_name: moved.from_server.clone(),
                    customer_id: moved.from_customer_id,
                    network: moved.network,
                };
                reset_all(tx, self.engine, by, &assignment).await?;
            }
            db::admin::move_assignment(&mut ***tx, moved.assignment_id, server_id).await?;
            let old = format!("{} on {}", moved.network, moved.from_server);
            let new = format!(
                "{} on {} ({})",
                moved.network, moved.to.server, moved.to.customer
            );
            let action = AuditAction::AssignmentMove;
            super::audit(tx, by, action, Some(customer_id), Some(&old), Some(&new)).await?;
        }
        for (number, server, network) in &plan.creates {
            let customer_id = customer_ids[number];
            let server_id = server_ids[&(customer_id, server.clone())];
            match db::inventory::add_assignment(tx, server_id, network, now).await? {
                Ok(_) => {}
                Err(existing) => {
                    let existing =
                        existing.unwrap_or_else(|| "one added at the same moment".into());
                    return Err(Error::Raced(format!(
                        "{network} overlaps {existing}, added meanwhile"
                    )));
                }
            }
            tx.range_changed(network.first(), network.last());
            if let Some(publishing) = self.publishing {
                crate::dns::sync::create_zones_of(tx, publishing, network, now).await?;
            }
            let value = format!("{network} on {server}");
            let action = AuditAction::AssignmentAdd;
            super::audit(tx, by, action, Some(customer_id), None, Some(&value)).await?;
        }
        for (id, customer_id, name) in &plan.server_removals {
            rows::delete_server(&mut ***tx, *id).await?;
            let action = AuditAction::ServerRemove;
            super::audit(tx, by, action, Some(*customer_id), Some(name), None).await?;
        }
        for id in &plan.cancels {
            cancel_customer(tx, by, *id, now).await?;
        }
        Ok(())
    }
}

/// Marks customer `id` cancelled and disables its users (their sessions end).
async fn cancel_customer(tx: &mut PublishTx, by: &Acting, id: i64, now: i64) -> Result<(), Error> {
    rows::set_cancelled(&mut ***tx, id, Some(now)).await?;
    for (user_id, username) in rows::active_users_of(&mut ***tx, id).await? {
        db::admin::set_disabled(&mut ***tx, user_id, Some(now)).await?;
        db::sessions::end_all_of_user(&mut ***tx, user_id, None).await?;
        let action = AuditAction::UserDisable;
        super::audit(tx, by, action, Some(id), None, Some(&username)).await?;
    }
    super::audit(tx, by, AuditAction::CustomerCancel, Some(id), None, None).await?;
    Ok(())
}

/// What a reconciliation reads of what ptrdesk holds.
enum Concerned<'a> {
    /// This customer and those holding assignments that overlap the desired ones.
    Around(&'a str),
    /// Everything.
    Everything,
    /// This customer, which must exist (a cancellation).
    Cancelled(&'a str),
}

/// Everything ptrdesk holds.
async fn held_everything(tx: &mut PublishTx) -> Result<Held, sqlx::Error> {
    Ok(Held {
        customers: rows::customers(&mut ***tx).await?,
        servers: rows::servers(&mut ***tx, None).await?,
        assignments: rows::assignments(&mut ***tx, None).await?,
    })
}

/// What a one-customer reconciliation compares with: customer `number`, and every customer
/// holding an assignment that overlaps one of `desired`'s networks, with their servers and
/// assignments.
async fn held_around(
    tx: &mut PublishTx,
    number: &str,
    desired: &[spec::Desired],
) -> Result<Held, sqlx::Error> {
    let mut ids: Vec<i64> = Vec::new();
    if let Some(customer) = rows::customer(&mut ***tx, number).await? {
        ids.push(customer.id);
    }
    for network in desired
        .iter()
        .flat_map(|c| c.servers.iter().flat_map(|s| s.networks.iter()))
    {
        ids.extend(rows::holders_overlapping(&mut ***tx, network).await?);
    }
    ids.sort_unstable();
    ids.dedup();
    let customers: Vec<CustomerRow> = rows::customers_by_id(&mut ***tx, &ids).await?;
    Ok(Held {
        servers: rows::servers(&mut ***tx, Some(&ids)).await?,
        assignments: rows::assignments(&mut ***tx, Some(&ids)).await?,
        customers,
    })
}

//! Servers and IP assignments of a customer: add a server, add an assignment, move one to
//! another server or customer, remove one.
//!
//! Policy: a PTR never follows an IP to a new owner. Moving an assignment to another customer,
//! and removing one, first resets every address of it that has a PTR of its own or an open
//! change back to the default through [`changes::record`] (door `system`, the admin as actor),
//! in the same transaction as the move, so the reset is audited like any other change and
//! supersedes the old owner's open changes. The move holds the assignment's lock from before
//! it reads what to reset until it commits; a save of one of its addresses in flight takes
//! the same lock and asks again who holds the address, so no PTR of the old owner is recorded
//! after the reset list was read.

use super::{Acting, audit};
use crate::changes::{self, ChangeRequest, Requested, SubmitError};
use crate::checks::Engine;
use crate::db::{self, Db, PublishTx, admin::HeldAssignment, customers::Customer};
use crate::dns::Publishing;
use crate::domain::AuditAction;
use crate::domain::{Door, Network};
use crate::field_limits;

/// Why an assignment action failed (as opposed to being refused, see the `…Refused` types).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The assignment is gone (removed by another admin meanwhile).
    #[error("no such assignment")]
    NotFound,
    /// Resetting one of its entries to the default failed.
    #[error("resetting an entry to the default: {0}")]
    Reset(SubmitError),
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// The customer has a server with this name already; nothing was added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("This customer has a server with this name already.")]
pub struct ServerExists;

impl ServerExists {
    /// The sentence in the reader's language (`Display` stays English, for the logs).
    pub fn text(self) -> crate::i18n::Text {
        crate::i18n::Text::new("form-server-exists")
    }
}

/// Adds server `name` to `customer`.
pub async fn add_server(
    db: &Db,
    by: &Acting,
    customer: &Customer,
    name: &str,
) -> Result<Result<i64, ServerExists>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    if db::inventory::find_server(&mut *tx, customer.id, name)
        .await?
        .is_some()
    {
        return Ok(Err(ServerExists));
    }
    let id = db::inventory::insert_server(&mut *tx, customer.id, name, crate::clock::now()).await?;
    audit(
        &mut tx,
        by,
        AuditAction::ServerAdd,
        Some(customer.id),
        None,
        Some(name),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// The network overlaps an assignment; nothing was added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Overlaps {
    /// This existing assignment.
    #[error("{network} overlaps the existing assignment {existing}.")]
    Existing {
        /// What was asked for.
        network: Network,
        /// What is there.
        existing: String,
    },
    /// One added by another transaction at the same moment.
    #[error("{0} overlaps an assignment added at the same moment.")]
    Concurrent(Network),
}

impl Overlaps {
    /// The sentence in the reader's language (`Display` stays English, for the logs).
    pub fn text(&self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            Overlaps::Existing { network, existing } => Text::new("form-overlaps-existing")
                .arg("network", network.to_string())
                .arg("existing", existing),
            Overlaps::Concurrent(network) => {
                Text::new("form-overlaps-concurrent").arg("network", network.to_string())
            }
        }
    }
}

/// Adds `network` to the customer's server `server_id` (called `server_name`), with the zone
/// rows it needs when this node serves DNS; what the audit row says was added (`network on
/// server`), or why not.
pub async fn add_assignment(
    db: &Db,
    publishing: Option<&Publishing>,
    by: &Acting,
    customer_id: i64,
    (server_id, server_name): (i64, &str),
    network: &Network,
) -> Result<Result<String, Overlaps>, sqlx::Error> {
    let mut tx = db.begin_publish().await?;
    let now = crate::clock::now();
    match db::inventory::add_assignment(&mut tx, server_id, network, now).await? {
        Err(Some(existing)) => {
            let network = *network;
            return Ok(Err(Overlaps::Existing { network, existing }));
        }
        Err(None) => return Ok(Err(Overlaps::Concurrent(*network))),
        Ok(_) => {}
    }
    tx.range_changed(network.first(), network.last());
    if let Some(publishing) = publishing {
        crate::dns::sync::create_zones_of(&mut tx, publishing, network, now).await?;
    }
    let value = format!("{network} on {server_name}");
    let action = AuditAction::AssignmentAdd;
    audit(&mut tx, by, action, Some(customer_id), None, Some(&value)).await?;
    tx.commit().await?;
    Ok(Ok(value))
}

/// The assignment `id` as it is now.
pub async fn held(db: &Db, id: i64) -> Result<HeldAssignment, Error> {
    db::admin::assignment(&db.pool, id)
        .await?
        .ok_or(Error::NotFound)
}

/// The assignment `id`, locked for the rest of `tx` against the writers of its addresses and
/// other admins, as it is now.
async fn locked(tx: &mut PublishTx, id: i64) -> Result<HeldAssignment, Error> {
    tx.lock_assignments(&[id]).await?;
    db::admin::assignment(&mut ***tx, id)
        .await?
        .ok_or(Error::NotFound)
}

/// Resets every address of `assignment` that has a PTR of its own or an open change to the
/// default, inside `tx`; returns how many were reset.
pub(crate) async fn reset_all(
    tx: &mut PublishTx,
    engine: &Engine,
    by: &Acting,
    assignment: &HeldAssignment,
) -> Result<usize, Error> {
    let addresses = db::admin::addresses_to_reset(&mut ***tx, assignment.id).await?;
    let mut reset = 0;
    for ip in addresses {
        let Some(owned) = db::inventory::owned_ip(&mut ***tx, assignment.customer_id, ip).await?
        else {
            continue;
        };
        let request = ChangeRequest {
            owned,
            requested: Requested::Default,
            based_on_version: None,
            door: Door::System,
            actor: by.actor.clone(),
        };
        let prepared = changes::prepare(engine, request)
            .await
            .map_err(Error::Reset)?;
        match changes::record(tx, prepared).await {
            Ok(_) => reset += 1,
            Err(SubmitError::NotOwned) => {}
            Err(err) => return Err(Error::Reset(err)),
        }
    }
    Ok(reset)
}

/// Why a move was refused; each names the field of the move form it concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoveRefused {
    /// No customer with that number.
    #[error("There is no customer with this number.")]
    NoCustomer,
    /// No server named.
    #[error("Enter the name of the server to move it to.")]
    NoServerName,
    /// The target customer has no such server.
    #[error("That customer has no server with this name; add it first.")]
    NoSuchServer,
    /// It is on that server already.
    #[error("The assignment is on this server already.")]
    SameServer,
}

impl MoveRefused {
    /// The form field the refusal concerns.
    pub fn field(self) -> &'static str {
        match self {
            MoveRefused::NoCustomer => "customer",
            _ => "server",
        }
    }

    /// The sentence in the reader's language (`Display` stays English, for the logs).
    pub fn text(self) -> crate::i18n::Text {
        crate::i18n::Text::new(match self {
            MoveRefused::NoCustomer => "form-move-no-customer",
            MoveRefused::NoServerName => "form-move-no-server-name",
            MoveRefused::NoSuchServer => "form-move-no-such-server",
            MoveRefused::SameServer => "form-move-same-server",
        })
    }
}

/// A move that happened.
#[derive(Debug, Clone)]
pub struct Moved {
    /// The assignment as it was before.
    pub before: HeldAssignment,
    /// The customer it now belongs to.
    pub to: Customer,
    /// The server it is now on.
    pub server_name: String,
    /// How many of its addresses went back to the default (moves to another customer only).
    pub reset: Option<usize>,
}

/// Where a move goes: `customer` (number or name; empty for the assignment's own) and the name
/// of one of that customer's servers.
pub struct MoveTarget<'a> {
    /// The customer's number or name, or empty.
    pub customer: &'a str,
    /// The server's name.
    pub server: &'a str,
}

/// Moves assignment `id` to another server of its customer, or to another customer (whose
/// entries then go back to the default first).
pub async fn move_to(
    db: &Db,
    engine: &Engine,
    by: &Acting,
    id: i64,
    target: MoveTarget<'_>,
) -> Result<Result<Moved, MoveRefused>, Error> {
    let assignment = held(db, id).await?;
    let (customer, server_id, server_name) = match move_target(db, &assignment, target).await? {
        Ok(found) => found,
        Err(refused) => return Ok(Err(refused)),
    };
    let mut tx = db.begin_publish().await?;
    // Read again under the lock: another admin may have moved it since, and saves of its
    // addresses in flight are waited for (they then find it moved), so the reset list below
    // is complete.
    let assignment = locked(&mut tx, assignment.id).await?;
    let reset = if customer.id != assignment.customer_id {
        Some(reset_all(&mut tx, engine, by, &assignment).await?)
    } else {
        None
    };
    db::admin::move_assignment(&mut **tx, assignment.id, server_id).await?;
    let old = format!("{} on {}", assignment.network, assignment.server_name);
    let new = format!(
        "{} on {server_name} ({})",
        assignment.network, customer.number
    );
    let action = AuditAction::AssignmentMove;
    audit(
        &mut tx,
        by,
        action,
        Some(customer.id),
        Some(&old),
        Some(&new),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(Moved {
        before: assignment,
        to: customer,
        server_name,
        reset,
    }))
}

/// The customer and server (id, name) a move goes to, or why it cannot. Texts longer than any number or
/// name find nothing (and are not looked up).
async fn move_target(
    db: &Db,
    assignment: &HeldAssignment,
    target: MoveTarget<'_>,
) -> Result<Result<(Customer, i64, String), MoveRefused>, sqlx::Error> {
    let customer_text = target.customer.trim();
    let customer = if customer_text.is_empty() {
        db::customers::by_id(&db.pool, assignment.customer_id).await?
    } else if customer_text.chars().count() > field_limits::CUSTOMER_NAME {
        None
    } else {
        db::customers::find(&db.pool, customer_text).await?
    };
    let Some(customer) = customer else {
        return Ok(Err(MoveRefused::NoCustomer));
    };
    let server_text = target.server.trim();
    if server_text.is_empty() {
        return Ok(Err(MoveRefused::NoServerName));
    }
    if server_text.chars().count() > field_limits::SERVER_NAME {
        return Ok(Err(MoveRefused::NoSuchServer));
    }
    Ok(
        match db::inventory::find_server(&db.pool, customer.id, server_text).await? {
            None => Err(MoveRefused::NoSuchServer),
            Some(id) if id == assignment.server_id => Err(MoveRefused::SameServer),
            Some(id) => Ok((customer, id, server_text.to_owned())),
        },
    )
}

/// The assignment has addresses with a PTR of their own or an open change, and the removal
/// was not asked to reset them; nothing was removed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{network} has {count} address(es) with a PTR of their own or an open change. Use \u{201c}Reset and remove\u{201d} to put them back to the default and remove it."
)]
pub struct HasEntries {
    /// The assignment.
    pub network: Network,
    /// How many addresses.
    pub count: usize,
}

impl HasEntries {
    /// The sentence in the reader's language (`Display` stays English, for the logs).
    pub fn text(&self) -> crate::i18n::Text {
        crate::i18n::Text::new("form-has-entries")
            .arg("network", self.network.to_string())
            .arg("count", self.count)
    }
}

/// A removal that happened.
#[derive(Debug, Clone)]
pub struct Removed {
    /// The assignment as it was.
    pub assignment: HeldAssignment,
    /// How many of its addresses went back to the default first.
    pub reset: usize,
}

/// Removes assignment `id`: only without PTRs of its own or open changes, unless `reset` asks
/// to put them back to the default first.
pub async fn remove(
    db: &Db,
    engine: &Engine,
    by: &Acting,
    id: i64,
    reset: bool,
) -> Result<Result<Removed, HasEntries>, Error> {
    let mut tx = db.begin_publish().await?;
    let assignment = locked(&mut tx, id).await?;
    let pending = db::admin::addresses_to_reset(&mut **tx, assignment.id).await?;
    if !pending.is_empty() && !reset {
        let network = assignment.network;
        let count = pending.len();
        return Ok(Err(HasEntries { network, count }));
    }
    let reset = reset_all(&mut tx, engine, by, &assignment).await?;
    db::admin::delete_assignment(&mut tx, assignment.id).await?;
    tx.range_changed(assignment.network.first(), assignment.network.last());
    let old = format!("{} on {}", assignment.network, assignment.server_name);
    let customer = Some(assignment.customer_id);
    audit(
        &mut tx,
        by,
        AuditAction::AssignmentRemove,
        customer,
        Some(&old),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(Removed { assignment, reset }))
}

/// Allows or forbids delegating assignment `id` to its customer's own name servers (`cuts`:
/// ptrdesk's zone cuts). Allowing a block that cannot be delegated is refused with the reason;
/// forbidding ends a delegation in force (the entries are served again), audited as such.
pub async fn allow_delegation(
    db: &Db,
    by: &Acting,
    cuts: &crate::dns::names::ZoneCuts,
    id: i64,
    allowed: bool,
) -> Result<Result<(), crate::dns::delegation::NotDelegable>, Error> {
    let mut tx = db.begin_publish().await?;
    let assignment = locked(&mut tx, id).await?;
    if allowed && let Err(refused) = crate::dns::delegation::cut_of(&assignment.network, cuts) {
        tx.rollback().await?;
        return Ok(Err(refused));
    }
    let state = db::delegations::state(&mut **tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    if state.allowed == allowed {
        tx.rollback().await?;
        return Ok(Ok(()));
    }
    db::delegations::set_allowed(&mut **tx, id, allowed).await?;
    let network = assignment.network.to_string();
    let customer = Some(assignment.customer_id);
    let action = if allowed {
        AuditAction::AssignmentDelegationAllow
    } else {
        AuditAction::AssignmentDelegationForbid
    };
    audit(&mut tx, by, action, customer, None, Some(&network)).await?;
    if state.delegated() {
        let servers = state.nameservers.join(" ");
        audit(
            &mut tx,
            by,
            AuditAction::DelegationEnd,
            customer,
            Some(&servers),
            Some(&network),
        )
        .await?;
        tx.range_changed(assignment.network.first(), assignment.network.last());
    }
    tx.commit().await?;
    Ok(Ok(()))
}

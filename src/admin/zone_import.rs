//! Carrying over the PTRs a provider's current primary serves (`ptrdesk import zone ZONE
//! --from SERVER`): the zone is transferred (AXFR, [`crate::dns::pull`]) and each PTR whose
//! address lies in a known assignment becomes that address's entry, through the one write
//! path ([`changes::record`], door `import`, audited as a PTR set by the operator).
//!
//! Policy, per address:
//! - no assignment holds it, it has several PTRs, or its name is not a host name: skipped;
//! - it equals the provider's default name: skipped (the default serves it already);
//! - it fails a check (an error, or a forward record not found): imported anyway — it is what
//!   DNS served until now — and listed with the findings; with `--strict`, refused and listed;
//! - it equals the entry in force: unchanged.
//!
//! A dry run checks everything and writes nothing. Changes are written in transactions of
//! [`BATCH`] addresses; a database failure stops the import after the batches already
//! written (run it again: written addresses are then unchanged).

use crate::changes::{self, ChangeRequest, Requested, SubmitError, Submitted};
use crate::checks::Engine;
use crate::db::audit::Actor;
use crate::db::{self, Db};
use crate::dns::Publishing;
use crate::dns::names::{Located, Node};
use crate::dns::pull::{self, PullError};
use crate::dns::tsig::TsigKey;
use crate::domain::finding::{Finding, Severity};
use crate::domain::{ChangeState, Door};
use futures_util::StreamExt;
use hickory_server::proto::rr::{LowerName, Name, RData, RecordType};
use std::collections::BTreeMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr};

/// Addresses written per transaction.
pub const BATCH: usize = 500;
/// Addresses checked at the same time (DNS checks wait on the network, not the CPU).
const PARALLEL_CHECKS: usize = 16;

/// What to import, from where.
#[derive(Debug, Clone)]
pub struct ZoneImport {
    /// The zone to transfer.
    pub zone: Name,
    /// The primary serving it now.
    pub from: SocketAddr,
    /// The TSIG key the primary wants for transfers.
    pub key: Option<TsigKey>,
    /// Check and report, write nothing.
    pub dry_run: bool,
    /// Refuse PTRs that fail a check instead of importing them anyway.
    pub strict: bool,
}

/// Why an address was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    /// No assignment holds the address.
    NoAssignment,
    /// The PTR is the provider's default name.
    EqualsDefault,
    /// More than one PTR at the address; ptrdesk keeps one.
    SeveralPtrs(usize),
    /// The target is not a host name.
    NotAHostname(String),
    /// The owner name is not the full reverse name of one address.
    NotAnAddress,
    /// The assignment moved or went away while the import ran.
    NoLongerHeld,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skipped::NoAssignment => write!(f, "no assignment holds the address"),
            Skipped::EqualsDefault => write!(f, "equals the default name"),
            Skipped::SeveralPtrs(count) => write!(
                f,
                "{count} PTRs at one address (ptrdesk publishes one; set it in the panel)"
            ),
            Skipped::NotAHostname(reason) => write!(f, "not a host name: {reason}"),
            Skipped::NotAnAddress => write!(f, "not the reverse name of one address"),
            Skipped::NoLongerHeld => write!(f, "its assignment moved while the import ran"),
        }
    }
}

/// What became of one PTR of the zone.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Now (or, in a dry run, would be) the address's entry; `failed` lists what the checks
    /// found wrong with it (imported anyway).
    Imported {
        /// Errors and unverified findings (empty: it passed).
        failed: Vec<Finding>,
    },
    /// The entry in force already says so.
    Unchanged,
    /// Not imported, and why.
    Skipped(Skipped),
    /// Failed a check and `--strict` was given: not imported.
    Refused {
        /// The findings that refused it.
        failed: Vec<Finding>,
    },
}

/// One PTR of the transferred zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The address (its owner name when it is none).
    pub owner: String,
    /// The PTR's target, without the final dot.
    pub target: String,
    /// What became of it.
    pub outcome: Outcome,
}

/// What an import did (or would do).
#[derive(Debug, Clone)]
pub struct ZoneReport {
    /// The zone.
    pub zone: Name,
    /// Where it came from.
    pub from: SocketAddr,
    /// The transferred zone's serial.
    pub serial: u32,
    /// Every PTR, in address order.
    pub lines: Vec<Line>,
    /// Records that are no PTR and were left alone, by type (NS, CNAME of RFC 2317, …),
    /// besides the apex's SOA and NS.
    pub other_records: BTreeMap<String, usize>,
    /// Nothing was written.
    pub dry_run: bool,
}

impl ZoneReport {
    /// How many lines have an outcome `matching`.
    pub fn count(&self, matching: impl Fn(&Outcome) -> bool) -> usize {
        self.lines
            .iter()
            .filter(|line| matching(&line.outcome))
            .count()
    }
}

impl fmt::Display for ZoneReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let imported = self.count(|outcome| matches!(outcome, Outcome::Imported { .. }));
        let flagged = self
            .count(|outcome| matches!(outcome, Outcome::Imported { failed } if !failed.is_empty()));
        let unchanged = self.count(|outcome| *outcome == Outcome::Unchanged);
        let skipped = self.count(|outcome| matches!(outcome, Outcome::Skipped(_)));
        let refused = self.count(|outcome| matches!(outcome, Outcome::Refused { .. }));
        let verb = if self.dry_run {
            "would import"
        } else {
            "imported"
        };
        writeln!(
            f,
            "zone {} from {} at serial {}: {} PTRs",
            self.zone,
            self.from,
            self.serial,
            self.lines.len()
        )?;
        if flagged > 0 {
            writeln!(
                f,
                "{verb}: {imported} ({flagged} of them fail a check: listed below)"
            )?;
        } else {
            writeln!(f, "{verb}: {imported}")?;
        }
        writeln!(f, "unchanged: {unchanged}")?;
        writeln!(f, "skipped: {skipped}")?;
        if refused > 0 {
            writeln!(f, "refused (--strict): {refused}")?;
        }
        for (rtype, count) in &self.other_records {
            writeln!(f, "left alone: {count} {rtype} record(s) (not PTRs)")?;
        }
        if self.dry_run {
            writeln!(f, "dry run: nothing was written")?;
        }
        for line in &self.lines {
            let said = match &line.outcome {
                Outcome::Imported { failed } if !failed.is_empty() => {
                    format!("{verb} anyway: {}", sentences(failed))
                }
                Outcome::Refused { failed } => format!("refused: {}", sentences(failed)),
                Outcome::Skipped(why) => format!("skipped: {why}"),
                _ => continue,
            };
            writeln!(f, "  {}  {}  {said}", line.owner, line.target)?;
        }
        Ok(())
    }
}

fn sentences(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|finding| finding.message.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Why nothing (more) was imported.
#[derive(Debug, thiserror::Error)]
pub enum ZoneImportError {
    /// The transfer failed.
    #[error(transparent)]
    Pull(#[from] PullError),
    /// The database failed (batches before it stay written).
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Transfers the zone and imports its PTRs; see the module documentation.
pub async fn import_zone(
    db: &Db,
    engine: &Engine,
    publishing: &Publishing,
    request: &ZoneImport,
    actor: &Actor,
) -> Result<ZoneReport, ZoneImportError> {
    let records = pull::axfr(request.from, &request.zone, request.key.as_ref()).await?;
    let serial = records
        .iter()
        .find_map(|record| match &record.data {
            RData::SOA(soa) => Some(soa.serial),
            _ => None,
        })
        .unwrap_or(0);
    let apex = LowerName::from(&request.zone);
    let mut ptrs: BTreeMap<Key, Vec<String>> = BTreeMap::new();
    let mut other_records: BTreeMap<String, usize> = BTreeMap::new();
    for record in &records {
        let owner = LowerName::from(&record.name);
        match &record.data {
            RData::PTR(target) => {
                let key = match publishing.cuts.locate(&owner) {
                    Located::Inside {
                        node: Node::Address(ip),
                        ..
                    } => Key::Address(ip),
                    _ => Key::Name(record.name.to_string()),
                };
                let target = target.0.to_string();
                ptrs.entry(key)
                    .or_default()
                    .push(target.trim_end_matches('.').to_owned());
            }
            _ if owner == apex
                && matches!(record.record_type(), RecordType::SOA | RecordType::NS) => {}
            _ => {
                *other_records
                    .entry(record.record_type().to_string())
                    .or_default() += 1
            }
        }
    }
    let planned = plan(db, engine, publishing, request, actor, ptrs).await?;
    let lines = if request.dry_run {
        planned.into_iter().map(|(line, _)| line).collect()
    } else {
        write(db, planned).await?
    };
    Ok(ZoneReport {
        zone: request.zone.clone(),
        from: request.from,
        serial,
        lines,
        other_records,
        dry_run: request.dry_run,
    })
}

/// A PTR's owner: an address, or a name that is none.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Address(IpAddr),
    Name(String),
}

/// A line and, when it is to be written, its checked change.
type Planned = (Line, Option<changes::Prepared>);

/// Decides every PTR: owner, default, checks ([`PARALLEL_CHECKS`] at a time). Writes nothing.
async fn plan(
    db: &Db,
    engine: &Engine,
    publishing: &Publishing,
    request: &ZoneImport,
    actor: &Actor,
    ptrs: BTreeMap<Key, Vec<String>>,
) -> Result<Vec<Planned>, sqlx::Error> {
    let decided = futures_util::stream::iter(ptrs)
        .map(|(key, targets)| async move {
            let target = targets.first().cloned().unwrap_or_default();
            let (owner, ip) = match key {
                Key::Address(ip) => (ip.to_string(), ip),
                Key::Name(name) => {
                    let outcome = Outcome::Skipped(Skipped::NotAnAddress);
                    return Ok((line(name, target, outcome), None));
                }
            };
            let skip = |why: Skipped| {
                Ok((
                    line(owner.clone(), target.clone(), Outcome::Skipped(why)),
                    None,
                ))
            };
            if targets.len() > 1 {
                let outcome = Outcome::Skipped(Skipped::SeveralPtrs(targets.len()));
                return Ok((line(owner, targets.join(", "), outcome), None));
            }
            let Some(owned) = db::inventory::holder_of(&db.pool, ip).await? else {
                return skip(Skipped::NoAssignment);
            };
            if publishing
                .defaults
                .for_ip(ip)
                .is_some_and(|default| default.eq_ignore_ascii_case(&target))
            {
                return skip(Skipped::EqualsDefault);
            }
            let change = ChangeRequest {
                owned,
                requested: Requested::Hostname(target.clone()),
                based_on_version: None,
                door: Door::Import,
                actor: actor.clone(),
            };
            let prepared = match changes::prepare(engine, change).await {
                Ok(prepared) => prepared,
                Err(SubmitError::Syntax(err)) => {
                    return skip(Skipped::NotAHostname(err.to_string()));
                }
                Err(SubmitError::Database(err)) => return Err(err),
                Err(_) => return skip(Skipped::NoLongerHeld),
            };
            let failed: Vec<Finding> = prepared
                .report()
                .findings
                .iter()
                .filter(|finding| {
                    matches!(finding.severity, Severity::Error | Severity::Unverified)
                })
                .cloned()
                .collect();
            if prepared.state() != ChangeState::Published && request.strict {
                return Ok((line(owner, target, Outcome::Refused { failed }), None));
            }
            let in_force = db::entries::current(&db.pool, ip)
                .await?
                .and_then(|entry| entry.hostname);
            if in_force.as_deref() == Some(prepared_name(&prepared, &target)) {
                return Ok((line(owner, target, Outcome::Unchanged), None));
            }
            let outcome = Outcome::Imported { failed };
            Ok((line(owner, target, outcome), Some(prepared.carried_over())))
        })
        .buffered(PARALLEL_CHECKS)
        .collect::<Vec<Result<Planned, sqlx::Error>>>()
        .await;
    decided.into_iter().collect()
}

/// The name an entry would hold for `target` (ASCII, lower case, as stored).
fn prepared_name<'a>(prepared: &'a changes::Prepared, target: &'a str) -> &'a str {
    prepared
        .report()
        .hostname
        .as_ref()
        .map_or(target, crate::domain::Hostname::as_ascii)
}

fn line(owner: String, target: String, outcome: Outcome) -> Line {
    Line {
        owner,
        target,
        outcome,
    }
}

/// Records the planned changes, [`BATCH`] per transaction; the lines with what became of
/// each.
async fn write(db: &Db, planned: Vec<Planned>) -> Result<Vec<Line>, sqlx::Error> {
    let mut lines = Vec::with_capacity(planned.len());
    let mut pending = planned.into_iter().peekable();
    while pending.peek().is_some() {
        let mut tx = db.begin_publish().await?;
        for (mut line, prepared) in pending.by_ref().take(BATCH) {
            if let Some(prepared) = prepared {
                line.outcome = match changes::record(&mut tx, prepared).await {
                    Ok(Submitted::Unchanged) => Outcome::Unchanged,
                    Ok(_) => line.outcome,
                    Err(SubmitError::Database(err)) => return Err(err),
                    Err(_) => Outcome::Skipped(Skipped::NoLongerHeld),
                };
            }
            lines.push(line);
        }
        tx.commit().await?;
    }
    Ok(lines)
}

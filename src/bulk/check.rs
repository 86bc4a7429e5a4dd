//! The first half of a batch: each item's address parsed and owned, its name checked, many at
//! a time. Writes nothing.

use super::{BulkError, Caller, Checked, Input, ItemErrorCode, ItemResult, Options, conflict};
use crate::changes::{self, ChangeRequest, Requested, SubmitError};
use crate::checks::Engine;
use crate::db::{self, Db};
use crate::domain::finding::{Finding, FindingId, Severity};
use crate::domain::{ChangeState, Hostname};
use crate::i18n::Text;
use std::collections::HashSet;
use std::net::IpAddr;

/// Items checked at the same time (DNS checks wait on the network, not on the CPU).
const PARALLEL_CHECKS: usize = 16;

/// Parses every item, finds which addresses the caller owns (one statement per thousand),
/// then checks the names, [`PARALLEL_CHECKS`] at a time.
pub(super) async fn check_all(
    db: &Db,
    engine: &Engine,
    caller: &Caller,
    inputs: Vec<Input>,
    options: Options,
) -> Result<Vec<Checked>, BulkError> {
    let mut seen = HashSet::new();
    let mut checked: Vec<Option<Checked>> = Vec::with_capacity(inputs.len());
    let mut parsed = Vec::with_capacity(inputs.len());
    for (index, input) in inputs.into_iter().enumerate() {
        checked.push(None);
        match parse_input(index, input, &mut seen) {
            Ok((ip, ptr)) => parsed.push((index, ip, ptr)),
            Err(failed) => checked[index] = Some(Checked::Failed(*failed)),
        }
    }
    let ips: Vec<IpAddr> = parsed.iter().map(|(_, ip, _)| *ip).collect();
    let mut owned = {
        let mut conn = db.pool.acquire().await?;
        db::inventory::owned_ips(&mut conn, caller.customer_id, &ips).await?
    };
    let mut tasks = tokio::task::JoinSet::new();
    for (index, ip, ptr) in parsed {
        let Some(owned) = owned.remove(&ip) else {
            checked[index] = Some(Checked::Failed(ItemResult::failed(
                index,
                ip.to_string(),
                ItemErrorCode::IpNotFound,
                Text::new("refusal-bulk-not-owned").arg("ip", ip),
            )));
            continue;
        };
        if tasks.len() >= PARALLEL_CHECKS
            && let Some(done) = tasks.join_next().await
        {
            let (index, item) = done?;
            checked[index] = Some(item?);
        }
        let (db, engine, caller) = (db.clone(), engine.clone(), caller.clone());
        tasks.spawn(async move {
            let item = check_one(&db, &engine, &caller, options, index, owned, ptr).await;
            (index, item)
        });
    }
    while let Some(done) = tasks.join_next().await {
        let (index, item) = done?;
        checked[index] = Some(item?);
    }
    Ok(checked.into_iter().flatten().collect())
}

/// The address of an item, refusing unreadable items and repeated addresses.
fn parse_input(
    index: usize,
    input: Input,
    seen: &mut HashSet<IpAddr>,
) -> Result<(IpAddr, Option<String>), Box<ItemResult>> {
    let (ip_text, ptr) = match input {
        Input::Change { ip, ptr } => (ip, ptr),
        Input::Unreadable { ip, message } => {
            return Err(Box::new(ItemResult::failed(
                index,
                ip,
                ItemErrorCode::InvalidInput,
                Text::new("refusal-bulk-unreadable").arg("message", message),
            )));
        }
    };
    let Ok(ip) = crate::domain::parse_address(&ip_text) else {
        return Err(Box::new(ItemResult::failed(
            index,
            ip_text.clone(),
            ItemErrorCode::IpNotFound,
            Text::new("refusal-bulk-not-an-ip").arg("ip", ip_text.trim()),
        )));
    };
    if !seen.insert(ip) {
        return Err(Box::new(ItemResult::failed(
            index,
            ip.to_string(),
            ItemErrorCode::DuplicateIp,
            Text::new("refusal-bulk-duplicate").arg("ip", ip),
        )));
    }
    Ok((ip, ptr))
}

async fn check_one(
    db: &Db,
    engine: &Engine,
    caller: &Caller,
    options: Options,
    index: usize,
    owned: db::inventory::OwnedIp,
    ptr: Option<String>,
) -> Result<Checked, sqlx::Error> {
    let ip = owned.ip();
    let request = ChangeRequest {
        owned,
        requested: match &ptr {
            Some(name) => Requested::Hostname(name.clone()),
            None => Requested::Default,
        },
        based_on_version: None,
        door: caller.door,
        actor: caller.actor.clone(),
    };
    let prepared = match changes::prepare(engine, request).await {
        Ok(prepared) => prepared,
        Err(SubmitError::Syntax(err)) => {
            let mut failed = ItemResult::failed(
                index,
                ip.to_string(),
                ItemErrorCode::InvalidInput,
                err.text(),
            );
            failed.findings = vec![Finding::said(
                FindingId::Syntax,
                Severity::Error,
                err.text(),
            )];
            return Ok(Checked::Failed(failed));
        }
        // `prepare` reads no entry, so it cannot see a conflict; answered all the same.
        Err(SubmitError::Conflict { current }) => {
            let mut failed = ItemResult::failed(
                index,
                ip.to_string(),
                ItemErrorCode::Conflict,
                Text::new("refusal-conflict"),
            );
            conflict(&mut failed, current);
            return Ok(Checked::Failed(failed));
        }
        // `prepare` reads no ownership either.
        Err(SubmitError::NotOwned) => {
            return Ok(Checked::Failed(ItemResult::failed(
                index,
                ip.to_string(),
                ItemErrorCode::IpNotFound,
                Text::new("refusal-bulk-not-owned").arg("ip", ip),
            )));
        }
        // `prepare` reads no delegation either.
        Err(err @ SubmitError::Delegated { .. }) => {
            return Ok(Checked::Failed(ItemResult::failed(
                index,
                ip.to_string(),
                ItemErrorCode::Delegated,
                err.text(),
            )));
        }
        Err(SubmitError::Database(err)) => return Err(err),
    };
    let canonical = prepared
        .report()
        .hostname
        .as_ref()
        .map(|name| Hostname::as_ascii(name).to_owned());
    // Whether the name is already in force matters before writing only for a dry run and for
    // a rejected item of an atomic batch; otherwise recording finds out (and writes nothing).
    let look = options.dry_run || (options.atomic && prepared.state() == ChangeState::Rejected);
    let unchanged = look && {
        let current = db::entries::current(&db.pool, ip).await?;
        current.and_then(|entry| entry.hostname) == canonical
            && !db::changes::has_open(&db.pool, ip).await?
    };
    let result = ItemResult {
        index,
        ip: ip.to_string(),
        requested: canonical,
        state: Some(prepared.state()),
        unchanged,
        findings: prepared.report().findings.clone(),
        error: None,
    };
    Ok(Checked::Ready {
        prepared: Box::new(prepared),
        result,
    })
}

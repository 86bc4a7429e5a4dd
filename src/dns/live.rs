//! Live status (SPEC: "an entry is shown as live once every configured public name server
//! serves it", and once the publishing backend confirmed it). A background look at each public server's SOA serial per zone, stored in
//! `zone_servers`; an entry is live once every server serves its zone at the serial the entry
//! was published at, or later.
//!
//! Cadence: a server that lags behind a zone's serial is asked again after 1 s, then 2 s,
//! 4 s, … up to a minute (a new serial starts over); one that serves the current serial is
//! asked again every [`RECONFIRM`] to catch a server that falls back.
//!
//! A server found serving a *newer* serial than the database holds data the database lost (a
//! restore from a backup): the zone's serial is moved past it at once ([`zones::bump_past`]),
//! so the secondaries transfer the zone again instead of ignoring it for hours.
//!
//! Of several nodes, one asks: the one holding the live lease ([`crate::db::leases`]), which
//! it renews every round; another node takes over once it has run out for [`LEASE`].

use super::Publishing;
use super::probe::{Probe, serial_at_least};
use crate::db::Db;
use crate::db::zones::{self, EntryServer, ServerSerial};
use crate::shutdown::Shutdown;
use futures_util::StreamExt;
use sqlx::AnyConnection;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// How often a server that is up to date is asked again.
pub const RECONFIRM: Duration = Duration::from_secs(300);
/// Questions in flight at once.
const PARALLEL: usize = 16;
/// The longest pause between two looks at a lagging server.
const MAX_PAUSE: Duration = Duration::from_secs(60);
/// How long the live lease lasts from each round (three polls, when that is longer): long
/// enough that a round waiting on slow servers keeps it, short enough that a stopped node's
/// is soon taken over.
pub const LEASE: Duration = Duration::from_secs(30);

/// What the customer's row says about the entry in force.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LiveStatus {
    /// Every public server serves it.
    Live {
        /// How many servers.
        servers: usize,
    },
    /// Some servers do not serve it yet.
    Waiting {
        /// Those servers.
        lagging: Vec<String>,
    },
}

impl LiveStatus {
    /// The sentence on the row.
    pub fn label(&self) -> String {
        match self {
            LiveStatus::Live { servers } => {
                crate::i18n::t_args("row-dns-live", &[("count", servers)])
            }
            LiveStatus::Waiting { lagging } => {
                crate::i18n::t_args("row-dns-waiting", &[("servers", &lagging.join(", "))])
            }
        }
    }

    /// The class of the row's status line.
    pub fn css(&self) -> &'static str {
        match self {
            LiveStatus::Live { .. } => "dns-live",
            LiveStatus::Waiting { .. } => "dns-waiting",
        }
    }
}

/// The live status of every entry of a page's assignments that was published since live
/// status is kept (two queries): against each public name server's serial, and against each
/// publishing backend, which serves an entry once no push of its address is open
/// ([`super::backend`]).
pub async fn for_page(
    conn: &mut AnyConnection,
    assignment_ids: &[i64],
) -> Result<HashMap<IpAddr, LiveStatus>, sqlx::Error> {
    let mut rows = zones::page_entry_servers(&mut *conn, assignment_ids).await?;
    let pushes = crate::db::outbox::page_entry_pushes(&mut *conn, assignment_ids).await?;
    rows.extend(pushes.into_iter().map(|push| EntryServer {
        ip: push.ip,
        published_at: 0,
        server: super::backend::label(push.kind, &push.target),
        serving: (!push.open).then_some(0),
    }));
    Ok(statuses(&rows))
}

fn statuses(rows: &[EntryServer]) -> HashMap<IpAddr, LiveStatus> {
    let mut by_ip: HashMap<IpAddr, (usize, Vec<String>)> = HashMap::new();
    for row in rows {
        let (servers, lagging) = by_ip.entry(row.ip).or_default();
        *servers += 1;
        let serves = row
            .serving
            .is_some_and(|serving| serial_at_least(serving as u32, row.published_at as u32));
        if !serves {
            lagging.push(row.server.clone());
        }
    }
    by_ip
        .into_iter()
        .map(|(ip, (servers, lagging))| {
            let status = if lagging.is_empty() {
                LiveStatus::Live { servers }
            } else {
                LiveStatus::Waiting { lagging }
            };
            (ip, status)
        })
        .collect()
}

/// When to look at one (zone, server) pair again.
struct Schedule {
    serial: i64,
    next: tokio::time::Instant,
    pause: Duration,
}

/// Watches the public servers' serials, until `shutdown` (a round's questions are given up:
/// they write nothing until all are answered).
pub async fn run(db: Db, publishing: Arc<Publishing>, shutdown: Shutdown) {
    if publishing.public_servers.is_empty() {
        return shutdown.requested().await;
    }
    let configured: Vec<String> = publishing
        .public_servers
        .iter()
        .map(ToString::to_string)
        .collect();
    match zones::server_serials(&db.pool).await {
        Ok(seen) => {
            for stale in seen
                .iter()
                .filter(|seen| !configured.contains(&seen.server))
            {
                if let Err(err) = zones::forget_server(&db.pool, &stale.server).await {
                    tracing::warn!(error = ?err, server = %stale.server, "forgetting a server failed");
                }
            }
        }
        Err(err) => tracing::warn!(error = ?err, "reading the public servers' serials failed"),
    }
    let holder = crate::db::leases::new_holder();
    let lease =
        i64::try_from(LEASE.max(publishing.live_poll * 3).as_secs()).unwrap_or(i64::MAX / 2);
    let mut schedule: HashMap<(String, String), Schedule> = HashMap::new();
    let mut ticker = tokio::time::interval(publishing.live_poll);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while shutdown.next_round(&mut ticker).await {
        let now = crate::clock::now();
        match crate::db::leases::claim(&db.pool, crate::db::leases::LIVE, &holder, now + lease, now)
            .await
        {
            Ok(true) => {}
            Ok(false) => continue,
            Err(err) => {
                tracing::error!(error = ?err, "taking the live-status lease failed");
                continue;
            }
        }
        if let Err(err) = look(&db, &publishing, &mut schedule, &shutdown).await {
            tracing::error!(error = ?err, "looking at the public name servers failed");
        }
    }
}

/// One round: asks every (zone, server) pair that is due.
async fn look(
    db: &Db,
    publishing: &Publishing,
    schedule: &mut HashMap<(String, String), Schedule>,
    shutdown: &Shutdown,
) -> Result<(), sqlx::Error> {
    let now = tokio::time::Instant::now();
    let zones = zones::list(&db.pool).await?;
    let mut due = Vec::new();
    for zone in zones.iter().filter(|zone| zone.active == 1) {
        for server in &publishing.public_servers {
            let key = (zone.name.clone(), server.to_string());
            let entry = schedule.entry(key.clone()).or_insert(Schedule {
                serial: zone.serial,
                next: now,
                pause: publishing.live_poll,
            });
            if entry.serial != zone.serial {
                *entry = Schedule {
                    serial: zone.serial,
                    next: now,
                    pause: publishing.live_poll,
                };
            }
            if entry.next <= now {
                due.push((zone.name.clone(), zone.serial, *server));
            }
        }
    }
    if due.is_empty() {
        return Ok(());
    }
    let probes: HashMap<std::net::SocketAddr, Arc<Probe>> = publishing
        .public_servers
        .iter()
        .map(|server| (*server, Arc::new(Probe::new(*server))))
        .collect();
    // Each question owns what it needs, so the whole round is a `Send` future.
    let questions: Vec<_> = due
        .into_iter()
        .map(|(zone, serial, server)| {
            let probe = probes.get(&server).cloned();
            async move {
                let answer = match (super::absolute_name(&zone), probe) {
                    (Some(name), Some(probe)) => {
                        probe.soa_serial(&name).await.map_err(|err| err.to_string())
                    }
                    _ => Err("not a zone name".to_owned()),
                };
                (zone, serial, server, answer)
            }
        })
        .collect();
    let asked = futures_util::stream::iter(questions)
        .buffer_unordered(PARALLEL)
        .collect();
    let answers: Vec<(String, i64, std::net::SocketAddr, Result<u32, String>)> = tokio::select! {
        answers = asked => answers,
        () = shutdown.requested() => return Ok(()),
    };
    let checked_at = crate::clock::now();
    for (zone, serial, server, answer) in answers {
        let caught_up = answer
            .as_ref()
            .is_ok_and(|theirs| serial_at_least(*theirs, serial as u32));
        if let Some(entry) = schedule.get_mut(&(zone.clone(), server.to_string())) {
            if caught_up {
                entry.next = now + RECONFIRM;
            } else {
                entry.next = now + entry.pause;
                entry.pause = (entry.pause * 2).min(MAX_PAUSE);
            }
        }
        // A server ahead of the database holds data the database lost (restored from a
        // backup): it would ignore the zone until its serial caught up, so move it past.
        if let Ok(theirs) = answer
            && serial_at_least(theirs, (serial as u32).wrapping_add(1))
            && zones::bump_past(&db.pool, &zone, i64::from(theirs), checked_at).await?
        {
            db.publishing_changed().await;
            tracing::warn!(
                zone = %zone,
                server = %server,
                theirs,
                ours = serial,
                "a public name server serves a newer serial than the database (restored from a backup?): the zone's serial was moved past it"
            );
        }
        let (serial_seen, problem) = match answer {
            Ok(theirs) => (Some(i64::from(theirs)), None),
            Err(problem) => (None, Some(problem)),
        };
        zones::record_server_serial(
            &db.pool,
            &ServerSerial {
                zone,
                server: server.to_string(),
                serial: serial_seen,
                problem,
                checked_at,
            },
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(ip: &str, published_at: i64, server: &str, serving: Option<i64>) -> EntryServer {
        EntryServer {
            ip: ip.parse().unwrap(),
            published_at,
            server: server.to_owned(),
            serving,
        }
    }

    #[test]
    fn an_entry_is_live_once_every_server_serves_its_serial() {
        let rows = [
            row("192.0.2.1", 10, "ns1", Some(10)),
            row("192.0.2.1", 10, "ns2", Some(11)),
            row("192.0.2.2", 12, "ns1", Some(12)),
            row("192.0.2.2", 12, "ns2", Some(11)),
            row("192.0.2.3", 12, "ns1", None),
        ];
        let statuses = statuses(&rows);
        let status = |ip: &str| statuses[&ip.parse::<IpAddr>().unwrap()].clone();
        assert_eq!(status("192.0.2.1"), LiveStatus::Live { servers: 2 });
        assert_eq!(
            status("192.0.2.2"),
            LiveStatus::Waiting {
                lagging: vec!["ns2".to_owned()]
            }
        );
        assert_eq!(
            status("192.0.2.3").label(),
            "Publishing: not yet served by ns1"
        );
    }
}

//! `ptrdesk seed`: a provider-scale data set for the benchmarks (issue #8). At `--scale 1`:
//! 50,000 customers on 200,000 servers holding 1,000,000 single IPv4 addresses (600,000 with a
//! PTR entry) and 200,000 IPv6 /64 networks (500,000 entries), with the history the write
//! paths would have left: an `assignment.add` audit row per assignment (as an import writes),
//! a published change and its audit row behind every entry (2 % of the IPv4 entries were
//! reset to the default since), and open changes — rejected, pending, in review, denied — on
//! about 1.6 % of the IPv4 addresses, so the review queue and the customers' pages show them.
//! Smaller scales shrink everything in proportion.
//!
//! Beside that, the well-known bench accounts the scripts in `scripts/bench/` use: customer
//! [`LARGE`] with exactly 5,000 single IPv4 addresses, customer [`SMALL`] with exactly 50, a
//! customer user for each, a help-desk user and an admin, all with one password (argon2, as
//! for every user). The bench customers' addresses come first (from 100.64.0.0); their PTRs
//! are in their own domains, which a benchmark may serve as forward zones.
//!
//! Same scale, same data: every name, address and choice is a function of an index; only the
//! timestamps move with the time of seeding (they lie before it). The rows are written as the
//! app writes them, many per statement ([`crate::db::seed`]), in a few large transactions; the
//! reverse zones are then created by the app's own zone sync, which stamps each entry with
//! its zone and serial.

pub mod names;
pub mod plan;

use crate::checks::Engine;
use crate::config::{ConfigError, Settings};
use crate::db::seed::{
    self as rows, AssignmentRow, AuditRow, ChangeRow, CustomerRow, EntryRow, SeededTable, ServerRow,
};
use crate::db::{self, Db, Tx};
use crate::domain::AuditAction;
use crate::domain::finding::{Finding, FindingId, Severity};
use crate::domain::{ChangeState, Network, Role, address_key};
use ipnet::Ipv6Net;
pub use plan::{Scale, ScaleError, Sizes};
use secrecy::SecretString;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Instant;

/// A bench customer: a fixed number of single IPv4 addresses and a user.
#[derive(Debug, Clone, Copy)]
pub struct BenchCustomer {
    /// Customer number.
    pub number: &'static str,
    /// Company name.
    pub name: &'static str,
    /// The domain of its PTRs.
    pub domain: &'static str,
    /// Single IPv4 addresses.
    pub ips: u64,
    /// Servers they are spread over.
    pub servers: u64,
    /// Its customer user.
    pub username: &'static str,
}

/// The customer with 5,000 IPs (the first page of a large customer).
pub const LARGE: BenchCustomer = BenchCustomer {
    number: "B5000",
    name: "Bench Large Hosting GmbH",
    domain: "bench-large.net",
    ips: 5_000,
    servers: 50,
    username: "bench-5000",
};

/// The customer with 50 IPs (a typical customer's page).
pub const SMALL: BenchCustomer = BenchCustomer {
    number: "B50",
    name: "Bench Small Hosting GmbH",
    domain: "bench-small.net",
    ips: 50,
    servers: 5,
    username: "bench-50",
};

/// The bench help-desk user.
pub const HELPDESK_USERNAME: &str = "bench-helpdesk";
/// The bench administrator.
pub const ADMIN_USERNAME: &str = "bench-admin";
/// The bench users' password unless `--password` says otherwise.
pub const DEFAULT_PASSWORD: &str = "bench-password";

/// The first single IPv4 address handed out (RFC 6598 shared space: never a real customer's).
const V4_BASE: Ipv4Addr = Ipv4Addr::new(100, 64, 0, 0);
/// The first IPv6 /64 handed out (inside the documentation prefix).
const V6_BASE: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0x1000, 0, 0, 0, 0, 0);
/// The interface ids of the entries inside a /64, in order.
const V6_HOSTS: [u64; 3] = [0x1, 0x25, 0x80];
/// Every this many IPv4 entries, one was reset to the default after it was set.
const RESET_EVERY: u64 = 50;
/// The actor of the seeded history.
const ACTOR: &str = "seed";
/// Rows buffered before they are written.
const ROWS_PER_FLUSH: usize = 40_000;
/// Rows written before a commit.
const ROWS_PER_TRANSACTION: usize = 400_000;

/// What `ptrdesk seed` is asked to do.
#[derive(Debug, Clone)]
pub struct SeedOptions {
    /// How big.
    pub scale: Scale,
    /// The bench users' password.
    pub password: SecretString,
    /// Delete everything in the database first, instead of refusing a non-empty one.
    pub wipe: bool,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedSummary {
    /// Customers.
    pub customers: i64,
    /// Servers.
    pub servers: i64,
    /// Assignments (single IPv4 addresses and IPv6 /64).
    pub assignments: i64,
    /// PTR entries.
    pub entries: i64,
    /// Changes.
    pub changes: i64,
    /// Audit rows.
    pub audit: i64,
    /// Reverse zones.
    pub zones: i64,
}

/// Why nothing (or not everything) was seeded.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The database has data, and `--wipe` was not given.
    #[error(
        "the database is not empty: seed an empty database, or pass --wipe to delete everything in it first"
    )]
    NotEmpty,
    /// The settings do not give a policy or zone cuts.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Hashing a password failed.
    #[error("cannot hash the bench password: {0}")]
    Password(String),
    /// A generated name did not come out of the checks as intended (a bug in the seed).
    #[error("generated data does not pass the checks as intended: {0}")]
    Generated(String),
}

/// Seeds `db` (see the module documentation); `progress` gets a line now and then.
pub async fn run(
    db: &Db,
    settings: &Settings,
    options: &SeedOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<SeedSummary, SeedError> {
    let started = Instant::now();
    let policy = crate::checks::policy::Policy::from_settings(settings)?;
    let publishing = crate::dns::Publishing::from_settings(settings)?;
    let pending_deadline = policy.pending_deadline.as_secs() as i64;
    let engine = Engine::new(policy, None, std::time::Duration::from_secs(1));
    let now = crate::clock::now();

    let mut tx = db.begin_write().await?;
    if !db::seed::is_empty(&mut tx).await? {
        if !options.wipe {
            return Err(SeedError::NotEmpty);
        }
        progress("deleting everything in the database (--wipe)");
        db::seed::wipe(&mut tx).await?;
    }
    db::seed::prepare_connection(&mut tx, db.engine).await?;

    let bench = Sizes {
        customers: 2,
        servers: LARGE.servers + SMALL.servers,
        v4: LARGE.ips + SMALL.ips,
        v6: 0,
    };
    let sizes = Sizes::of(options.scale, bench);
    progress(&format!(
        "seeding scale {}: {} customers, {} servers, {} IPv4 addresses ({} entries), {} IPv6 /64 ({} entries)",
        options.scale,
        sizes.customers,
        sizes.servers,
        sizes.v4,
        sizes.v4_entries(),
        sizes.v6,
        sizes.v6_entries()
    ));

    let mut generator = Generator {
        engine,
        now,
        pending_deadline,
        admin_id: 0,
        next_server_id: 1,
        next_assignment_id: 1,
        next_change_id: 1,
        v4_index: 0,
        v6_index: 0,
        batch: Batch::default(),
    };
    let mut writer = Writer {
        written: 0,
        since_commit: 0,
    };

    // The bench customers first, then their users (the admin decides seeded reviews), then
    // what the bench customers hold.
    let span = 3 * 365 * 86_400;
    let bench_customers: Vec<Customer> = [(1, LARGE), (2, SMALL)]
        .into_iter()
        .map(|(id, customer)| Customer {
            id,
            number: customer.number.to_owned(),
            name: customer.name.to_owned(),
            domain: customer.domain.to_owned(),
            servers: customer.servers,
            v4: customer.ips,
            v6: 0,
            created_at: now - span,
        })
        .collect();
    for customer in &bench_customers {
        generator.customer_row(customer);
    }
    writer.flush(&mut tx, &mut generator.batch).await?;
    let users = bench_users(&mut tx, &options.password).await?;
    generator.admin_id = users.admin;
    for customer in &bench_customers {
        generator.holdings(customer)?;
    }

    let regular = sizes.customers - bench.customers;
    let weights: Vec<u64> = (0..regular).map(|n| 1 + names::mix(n) % 40).collect();
    let servers = plan::spread(sizes.servers - bench.servers, &weights, 1);
    let v4 = plan::spread(sizes.v4 - bench.v4, &weights, 0);
    let v6 = plan::spread(sizes.v6 - bench.v6, &weights, 0);
    drop(weights);
    for index in 0..regular {
        let n = index as usize;
        generator.customer(&Customer {
            id: index as i64 + 3,
            number: names::customer_number(index),
            name: names::customer_name(index),
            domain: names::customer_domain(index),
            servers: servers[n],
            v4: v4[n],
            v6: v6[n],
            // Spread over two years, the oldest three years ago.
            created_at: now - span + (index as i64 * (2 * 365 * 86_400)) / regular.max(1) as i64,
        })?;
        if generator.batch.len() >= ROWS_PER_FLUSH {
            writer.flush(&mut tx, &mut generator.batch).await?;
            if writer.since_commit >= ROWS_PER_TRANSACTION {
                tx.commit().await?;
                tx = db.begin_write().await?;
                db::seed::prepare_connection(&mut tx, db.engine).await?;
                writer.since_commit = 0;
                progress(&format!(
                    "  {:>3} % of the customers, {} rows, {:.1} s",
                    (index + 1) * 100 / regular,
                    writer.written,
                    started.elapsed().as_secs_f64()
                ));
            }
        }
    }
    writer.flush(&mut tx, &mut generator.batch).await?;
    db::seed::advance_id_sequences(&mut tx, db.engine).await?;
    // Running nodes reload everything they serve once the seed is in.
    db::dns_changes::record(
        &mut tx,
        &[db::dns_changes::EVERYTHING],
        db::dns_changes::ChangeKind::Content,
        crate::clock::now(),
    )
    .await?;
    tx.commit().await?;
    progress(&format!(
        "  100 % of the customers, {} rows, {:.1} s",
        writer.written,
        started.elapsed().as_secs_f64()
    ));

    let synced = crate::dns::sync::sync_all(db, &publishing, crate::clock::now()).await?;
    progress(&format!(
        "reverse zones: {} created, {:.1} s",
        synced.created,
        started.elapsed().as_secs_f64()
    ));
    let settling = Instant::now();
    db::seed::settle(&db.pool, db.engine).await?;
    if db.engine == db::Engine::Postgres {
        progress(&format!(
            "VACUUM ANALYZE: {:.1} s",
            settling.elapsed().as_secs_f64()
        ));
    }
    summary(db).await.map_err(SeedError::from)
}

/// The ids of the bench users.
struct BenchUsers {
    admin: i64,
}

async fn bench_users(tx: &mut Tx, password: &SecretString) -> Result<BenchUsers, SeedError> {
    let users = [
        (LARGE.username, Role::Customer, Some(1)),
        (SMALL.username, Role::Customer, Some(2)),
        (HELPDESK_USERNAME, Role::HelpDesk, None),
        (ADMIN_USERNAME, Role::Admin, None),
    ];
    let mut admin = 0;
    for (username, role, customer_id) in users {
        let hash = crate::password::hash(password.clone())
            .await
            .map_err(|err| SeedError::Password(err.to_string()))?;
        let id = db::users::insert(
            &mut **tx,
            username,
            &hash,
            role,
            customer_id,
            crate::clock::now(),
        )
        .await?;
        if role == Role::Admin {
            admin = id;
        }
    }
    Ok(BenchUsers { admin })
}

async fn summary(db: &Db) -> Result<SeedSummary, sqlx::Error> {
    let count = |table| rows::count_rows(&db.pool, table);
    Ok(SeedSummary {
        customers: count(SeededTable::Customers).await?,
        servers: count(SeededTable::Servers).await?,
        assignments: count(SeededTable::Assignments).await?,
        entries: count(SeededTable::Entries).await?,
        changes: count(SeededTable::Changes).await?,
        audit: count(SeededTable::Audit).await?,
        zones: count(SeededTable::Zones).await?,
    })
}

/// One customer to generate.
struct Customer {
    id: i64,
    number: String,
    name: String,
    domain: String,
    servers: u64,
    v4: u64,
    v6: u64,
    created_at: i64,
}

/// Rows waiting to be written, by table.
#[derive(Default)]
struct Batch {
    customers: Vec<CustomerRow>,
    servers: Vec<ServerRow>,
    assignments: Vec<AssignmentRow>,
    changes: Vec<ChangeRow>,
    entries: Vec<EntryRow>,
    audit: Vec<AuditRow>,
}

impl Batch {
    fn len(&self) -> usize {
        self.customers.len()
            + self.servers.len()
            + self.assignments.len()
            + self.changes.len()
            + self.entries.len()
            + self.audit.len()
    }
}

struct Writer {
    written: usize,
    since_commit: usize,
}

impl Writer {
    /// Writes the batch, parents before children (the foreign keys are checked per statement).
    async fn flush(&mut self, tx: &mut Tx, batch: &mut Batch) -> Result<(), sqlx::Error> {
        let len = batch.len();
        rows::insert_customers(tx, &batch.customers).await?;
        rows::insert_servers(tx, &batch.servers).await?;
        rows::insert_assignments(tx, &batch.assignments).await?;
        rows::insert_changes(tx, &batch.changes).await?;
        rows::insert_entries(tx, &batch.entries).await?;
        rows::insert_audit(tx, &batch.audit).await?;
        *batch = Batch::default();
        self.written += len;
        self.since_commit += len;
        Ok(())
    }
}

/// Makes the rows of one customer after another, numbering as it goes.
struct Generator {
    engine: Engine,
    now: i64,
    pending_deadline: i64,
    admin_id: i64,
    next_server_id: i64,
    next_assignment_id: i64,
    next_change_id: i64,
    /// Single IPv4 addresses handed out so far (the next one is `V4_BASE + v4_index`).
    v4_index: u64,
    /// IPv6 /64 handed out so far.
    v6_index: u64,
    batch: Batch,
}

/// What one published change put in force, for the entry.
struct Published {
    hostname: Option<String>,
    version: i64,
    change_id: i64,
    at: i64,
}

impl Generator {
    fn customer(&mut self, customer: &Customer) -> Result<(), SeedError> {
        self.customer_row(customer);
        self.holdings(customer)
    }

    fn customer_row(&mut self, customer: &Customer) {
        self.batch.customers.push(CustomerRow {
            id: customer.id,
            number: customer.number.clone(),
            name: customer.name.clone(),
            created_at: customer.created_at,
        });
    }

    /// The customer's servers, assignments, entries and their history.
    fn holdings(&mut self, customer: &Customer) -> Result<(), SeedError> {
        let first_server = self.next_server_id;
        let servers = customer.servers.max(1);
        for n in 0..servers {
            self.batch.servers.push(ServerRow {
                id: self.next_server_id,
                customer_id: customer.id,
                name: names::server_name(n),
                created_at: customer.created_at,
            });
            self.next_server_id += 1;
        }
        // A customer's assignments go round its servers; its PTRs are numbered in its domain.
        let mut named = 0u64;
        for n in 0..customer.v4 + customer.v6 {
            let server = n % servers;
            let server_id = first_server + server as i64;
            let server_name = names::server_name(server);
            if n < customer.v4 {
                self.single_v4(customer, server_id, &server_name, &mut named)?;
            } else {
                self.v6_network(customer, server_id, &server_name, &mut named)?;
            }
        }
        Ok(())
    }

    fn assignment(
        &mut self,
        customer: &Customer,
        server_id: i64,
        server_name: &str,
        network: Network,
    ) -> i64 {
        let id = self.next_assignment_id;
        self.next_assignment_id += 1;
        let text = network.to_string();
        self.batch.audit.push(AuditRow {
            at: customer.created_at,
            actor_user_id: None,
            actor: ACTOR.to_owned(),
            source: "local",
            door: "import",
            action: AuditAction::AssignmentAdd,
            customer_id: Some(customer.id),
            address: None,
            address_text: None,
            old_value: None,
            new_value: Some(format!("{text} on {server_name}")),
            change_id: None,
        });
        self.batch.assignments.push(AssignmentRow {
            id,
            server_id,
            network: text,
            family: network.family(),
            prefix_len: i64::from(network.prefix_len()),
            first_addr: address_key(network.first()),
            last_addr: address_key(network.last()),
            created_at: customer.created_at,
        });
        id
    }

    fn single_v4(
        &mut self,
        customer: &Customer,
        server_id: i64,
        server_name: &str,
        named: &mut u64,
    ) -> Result<(), SeedError> {
        let index = self.v4_index;
        self.v4_index += 1;
        let ip = Ipv4Addr::from(u32::from(V4_BASE) + index as u32);
        let assignment_id = self.assignment(customer, server_id, server_name, Network::V4Host(ip));
        let address = IpAddr::V4(ip);
        let mut in_force = None;
        if plan::share_of(index, plan::V4_ENTRIES_PER) == 1 {
            let hostname = names::hostname(*named, &customer.domain);
            *named += 1;
            let mut published = self.publish(customer, assignment_id, address, None, &hostname)?;
            if (index + 1).is_multiple_of(RESET_EVERY) {
                published = self.reset(customer, assignment_id, address, published);
            }
            in_force = published.hostname.clone();
            self.entry(assignment_id, address, published);
        }
        // About 1.6 % of the addresses have an open change, scattered.
        match names::mix(index ^ 0x5eed) % 1000 {
            0..10 => self.open_change(customer, assignment_id, ip, in_force, Open::Rejected)?,
            10..13 => self.open_change(customer, assignment_id, ip, in_force, Open::Pending)?,
            13..15 => self.open_change(customer, assignment_id, ip, in_force, Open::InReview)?,
            15 => self.open_change(customer, assignment_id, ip, in_force, Open::Denied)?,
            _ => {}
        }
        Ok(())
    }

    fn v6_network(
        &mut self,
        customer: &Customer,
        server_id: i64,
        server_name: &str,
        named: &mut u64,
    ) -> Result<(), SeedError> {
        let index = self.v6_index;
        self.v6_index += 1;
        let prefix = u128::from(V6_BASE) + (u128::from(index) << 64);
        let net = Ipv6Net::new(Ipv6Addr::from(prefix), 64)
            .map_err(|err| SeedError::Generated(err.to_string()))?;
        let assignment_id =
            self.assignment(customer, server_id, server_name, Network::V6Subnet(net));
        for host in V6_HOSTS
            .iter()
            .take(plan::share_of(index, plan::V6_ENTRIES_PER) as usize)
        {
            let address = IpAddr::V6(Ipv6Addr::from(prefix + u128::from(*host)));
            let hostname = names::hostname(*named, &customer.domain);
            *named += 1;
            let published = self.publish(customer, assignment_id, address, None, &hostname)?;
            self.entry(assignment_id, address, published);
        }
        Ok(())
    }

    /// A published change to `hostname` and its audit row; the entry is written by the caller
    /// once the address's history is complete.
    fn publish(
        &mut self,
        customer: &Customer,
        assignment_id: i64,
        ip: IpAddr,
        before: Option<&Published>,
        hostname: &str,
    ) -> Result<Published, SeedError> {
        let report = self.engine.offline(ip, hostname);
        if report.verdict() == crate::checks::Verdict::Error {
            return Err(SeedError::Generated(format!(
                "{hostname} for {ip}: {:?}",
                report.findings
            )));
        }
        let canonical = report
            .hostname
            .as_ref()
            .map(|name| name.as_ascii().to_owned())
            .unwrap_or_else(|| hostname.to_owned());
        // Set some time after the customer arrived, before now.
        let room = (self.now - 86_400 - customer.created_at).max(1);
        let at = customer.created_at + 3_600 + (names::mix(ip_seed(ip)) as i64).rem_euclid(room);
        let change_id = self.change(
            customer,
            assignment_id,
            ip,
            Some(canonical.clone()),
            ChangeState::Published,
            &report.findings,
            at,
            ChangeExtras::default(),
        );
        self.audit_ptr(
            customer,
            ip,
            AuditAction::PtrSet,
            before.and_then(|published| published.hostname.clone()),
            Some(canonical.clone()),
            change_id,
            at,
        );
        Ok(Published {
            hostname: Some(canonical),
            version: before.map_or(1, |published| published.version + 1),
            change_id,
            at,
        })
    }

    /// A later change back to the provider default.
    fn reset(
        &mut self,
        customer: &Customer,
        assignment_id: i64,
        ip: IpAddr,
        before: Published,
    ) -> Published {
        let at = before.at + 600;
        let change_id = self.change(
            customer,
            assignment_id,
            ip,
            None,
            ChangeState::Published,
            &[],
            at,
            ChangeExtras::default(),
        );
        self.audit_ptr(
            customer,
            ip,
            AuditAction::PtrReset,
            before.hostname.clone(),
            None,
            change_id,
            at,
        );
        Published {
            hostname: None,
            version: before.version + 1,
            change_id,
            at,
        }
    }

    fn entry(&mut self, assignment_id: i64, ip: IpAddr, published: Published) {
        self.batch.entries.push(EntryRow {
            address: address_key(ip),
            address_text: ip.to_string(),
            assignment_id,
            hostname: published.hostname,
            version: published.version,
            change_id: published.change_id,
            updated_at: published.at,
        });
    }

    /// A change that is not in force: rejected, pending, in review or denied, with the audit
    /// rows its path through the states leaves.
    fn open_change(
        &mut self,
        customer: &Customer,
        assignment_id: i64,
        ip: Ipv4Addr,
        in_force: Option<String>,
        open: Open,
    ) -> Result<(), SeedError> {
        let address = IpAddr::V4(ip);
        let at = self.now - 600 - (names::mix(u64::from(u32::from(ip))) % (7 * 86_400)) as i64;
        let (hostname, state) = match open {
            Open::Pending => (
                names::unresolved_hostname(u64::from(u32::from(ip)) % 1000, &customer.domain),
                ChangeState::Pending,
            ),
            Open::Rejected => (
                names::rejected_hostname(ip, &customer.domain),
                ChangeState::Rejected,
            ),
            Open::InReview => (
                names::rejected_hostname(ip, &customer.domain),
                ChangeState::InReview,
            ),
            Open::Denied => (
                names::rejected_hostname(ip, &customer.domain),
                ChangeState::Denied,
            ),
        };
        let report = self.engine.offline(address, &hostname);
        let mut findings = report.findings;
        let expected_error = state != ChangeState::Pending;
        if findings.iter().any(|f| f.severity == Severity::Error) != expected_error {
            return Err(SeedError::Generated(format!(
                "{hostname} for {ip}: {findings:?}"
            )));
        }
        if state == ChangeState::Pending {
            // What `forward-confirmed` says of a name without address records: it waits.
            findings.push(Finding::said(
                FindingId::ForwardConfirmed,
                Severity::Error,
                crate::i18n::Text::new("finding-forward-nxdomain")
                    .arg("hostname", hostname.to_string()),
            ));
        }
        let mut extras = ChangeExtras::default();
        match state {
            ChangeState::Pending => {
                extras.next_check_at = Some(self.now + 6 * 3_600);
                extras.deadline = Some(at + self.pending_deadline);
            }
            ChangeState::InReview => extras.justification = Some(JUSTIFICATION.to_owned()),
            ChangeState::Denied => {
                extras.decided_by = Some(self.admin_id);
                extras.note = Some(DENIAL_NOTE.to_owned());
            }
            _ => {}
        }
        let change_id = self.change(
            customer,
            assignment_id,
            address,
            Some(hostname.clone()),
            state,
            &findings,
            at,
            extras,
        );
        let request_action = match state {
            ChangeState::Pending => AuditAction::PtrRequestPending,
            _ => AuditAction::PtrRequestRejected,
        };
        self.audit_ptr(
            customer,
            address,
            request_action,
            in_force.clone(),
            Some(hostname.clone()),
            change_id,
            at,
        );
        match state {
            ChangeState::InReview => {
                let row = AuditRow {
                    action: AuditAction::ChangeReviewRequested,
                    door: "page",
                    new_value: Some(JUSTIFICATION.to_owned()),
                    ..self.ptr_audit_row(customer, address, change_id, at + 60)
                };
                self.batch.audit.push(row);
            }
            ChangeState::Denied => {
                let decided = AuditRow {
                    actor_user_id: Some(self.admin_id),
                    actor: ADMIN_USERNAME.to_owned(),
                    door: "review",
                    ..self.ptr_audit_row(customer, address, change_id, at + 300)
                };
                self.batch.audit.push(AuditRow {
                    action: AuditAction::ChangeDenied,
                    old_value: in_force,
                    new_value: Some(hostname),
                    ..decided.clone()
                });
                self.batch.audit.push(AuditRow {
                    action: AuditAction::ChangeNote,
                    new_value: Some(DENIAL_NOTE.to_owned()),
                    ..decided
                });
            }
            _ => {}
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn change(
        &mut self,
        customer: &Customer,
        assignment_id: i64,
        ip: IpAddr,
        requested_hostname: Option<String>,
        state: ChangeState,
        findings: &[Finding],
        at: i64,
        extras: ChangeExtras,
    ) -> i64 {
        let id = self.next_change_id;
        self.next_change_id += 1;
        self.batch.changes.push(ChangeRow {
            id,
            address: address_key(ip),
            address_text: ip.to_string(),
            assignment_id,
            customer_id: customer.id,
            requested_hostname,
            state: state.as_str(),
            findings: crate::domain::finding::stored_json(findings)
                .unwrap_or_else(|_| "[]".to_owned()),
            justification: extras.justification,
            decided_by: extras.decided_by,
            note: extras.note,
            next_check_at: extras.next_check_at,
            deadline: extras.deadline,
            created_at: at,
        });
        id
    }

    #[allow(clippy::too_many_arguments)]
    fn audit_ptr(
        &mut self,
        customer: &Customer,
        ip: IpAddr,
        action: AuditAction,
        old_value: Option<String>,
        new_value: Option<String>,
        change_id: i64,
        at: i64,
    ) {
        self.batch.audit.push(AuditRow {
            action,
            old_value,
            new_value,
            ..self.ptr_audit_row(customer, ip, change_id, at)
        });
    }

    /// An audit row about a change of `ip`, by the seed, through the import door.
    fn ptr_audit_row(&self, customer: &Customer, ip: IpAddr, change_id: i64, at: i64) -> AuditRow {
        AuditRow {
            at,
            actor_user_id: None,
            actor: ACTOR.to_owned(),
            source: "local",
            door: "import",
            action: AuditAction::PtrSet,
            customer_id: Some(customer.id),
            address: Some(address_key(ip)),
            address_text: Some(ip.to_string()),
            old_value: None,
            new_value: None,
            change_id: Some(change_id),
        }
    }
}

/// What a change in review or decided carries besides the request.
#[derive(Debug, Default)]
struct ChangeExtras {
    justification: Option<String>,
    decided_by: Option<i64>,
    note: Option<String>,
    next_check_at: Option<i64>,
    deadline: Option<i64>,
}

/// The customer's reason on the changes seeded in review.
const JUSTIFICATION: &str = "This is our mail relay; the name matches its HELO.";
/// The admin's note on the denied ones.
const DENIAL_NOTE: &str = "Names that carry the address look dynamic to mail servers.";

/// The states an open change is seeded in.
#[derive(Debug, Clone, Copy)]
enum Open {
    Rejected,
    Pending,
    InReview,
    Denied,
}

/// A number that stands for an address, for the repeatable choices about it.
fn ip_seed(ip: IpAddr) -> u64 {
    let key = address_key(ip);
    key.iter().fold(0u64, |acc, byte| {
        acc.wrapping_mul(0x100_0000_01b3) ^ u64::from(*byte)
    })
}

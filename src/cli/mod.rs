//! The command line (SPEC "Operating it"): `demo`, `serve`, `user add`, `import assignments`,
//! `import zone`, `dns zones`, `dns bump`, `dns verify`, and `seed` (benchmark data).

mod credentials;
mod inventory;
mod users;
mod zone_import;

use crate::config::Settings;
use crate::db::{self, Db};
use crate::startup::Application;
use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use secrecy::SecretString;
use std::net::SocketAddr;
use std::path::PathBuf;

/// ptrdesk: reverse-DNS control panel for hosting providers.
#[derive(Debug, Parser)]
#[command(name = "ptrdesk", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the panel with demo customers, servers and logins (creates or reuses a demo database).
    Demo {
        /// Where the panel listens.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Database URL; by default an SQLite file in the current directory.
        #[arg(long, default_value = "sqlite://ptrdesk-demo.sqlite")]
        database: String,
        /// Where the demo's authoritative DNS (its reverse zones and demo domains) listens.
        #[arg(long, default_value = "127.0.0.1:5353")]
        dns_listen: SocketAddr,
    },
    /// Run the panel for production from a configuration file and PTRDESK_… variables.
    Serve {
        /// TOML configuration file.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Run the checks on a hostname for an IP and print the findings (exit 1 on an error).
    Check {
        /// The IP address the PTR is for.
        #[arg(value_parser = parse_ip)]
        ip: std::net::IpAddr,
        /// The hostname to check (also one that starts with `-`: it gets the syntax finding).
        #[arg(allow_hyphen_values = true)]
        hostname: String,
        /// Skip every check that needs the network.
        #[arg(long)]
        offline: bool,
        /// `text` or `json`.
        #[arg(long, default_value = "text")]
        format: OutputFormat,
        /// TOML configuration file (policy, DNS servers).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// API credentials of staff (provisioning, monitoring).
    Credential {
        #[command(subcommand)]
        command: CredentialCommand,
    },
    /// Import data from CSV.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// The reverse zones ptrdesk publishes.
    Dns {
        #[command(subcommand)]
        command: DnsCommand,
    },
    /// Fill an empty database with a provider-scale data set and the bench accounts
    /// (`bench-5000`, `bench-50`, `bench-helpdesk`, `bench-admin`), for the benchmarks.
    Seed {
        /// 1 = 50,000 customers, 200,000 servers, 1,000,000 IPv4 addresses, 200,000 IPv6 /64;
        /// 0.01 etc. shrink everything in proportion.
        #[arg(long, default_value = "1")]
        scale: crate::seed::Scale,
        /// Database URL; by default `database` of the configuration (PTRDESK_DATABASE).
        #[arg(long)]
        database: Option<String>,
        /// The bench users' password.
        #[arg(long, default_value = crate::seed::DEFAULT_PASSWORD)]
        password: String,
        /// Delete everything in the database first (otherwise a non-empty one is refused).
        #[arg(long)]
        wipe: bool,
        /// TOML configuration file (database, default names, zone cuts).
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum DnsCommand {
    /// List the served reverse zones and their serials (to configure secondaries).
    Zones {
        /// TOML configuration file (for the database).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Give every served zone a serial past any it had and any a public name server was last
    /// seen serving: run it after restoring a backup, so that secondaries holding the lost,
    /// newer serials transfer the restored zones instead of ignoring them.
    Bump {
        /// TOML configuration file (for the database).
        #[arg(long)]
        config: Option<PathBuf>,
        /// At least this serial (e.g. the highest a secondary serves, when its serial was never
        /// recorded here).
        #[arg(long)]
        at_least: Option<i64>,
    },
    /// Print the DS record of a signed zone (`dnssec = true`) to give to the parent (the RIR);
    /// makes the zone's keys if it has none yet.
    Ds {
        /// The zone, as `ptrdesk dns zones` lists it (`113.0.203.in-addr.arpa`).
        zone: String,
        /// TOML configuration file (database, zone settings).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Start a rollover of a signed zone's zone-signing key (pre-publish): the new key is
    /// published now, signs once the DNSKEY TTL (plus `dnssec_rollover_margin_seconds`) has
    /// passed, and the old key leaves once the TTL of its signatures has passed again; the
    /// running `ptrdesk serve` takes those steps.
    Rollover {
        /// The zone (`113.0.203.in-addr.arpa`).
        zone: String,
        /// TOML configuration file (database, zone settings).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Compare what each public name server (or, with `publish` set to a backend, the
    /// backend) serves with the database and print every difference (exit 1 when there is
    /// one).
    Verify {
        /// TOML configuration file (database, zone settings, `dns_public_servers`).
        #[arg(long)]
        config: Option<PathBuf>,
        /// A name server to check (`IP` or `IP:PORT`), instead of `dns_public_servers`;
        /// may be given several times.
        #[arg(long = "server")]
        servers: Vec<String>,
        /// Check only this zone (e.g. `113.0.203.in-addr.arpa`); may be given several times.
        #[arg(long = "zone")]
        zones: Vec<String>,
    },
}

/// An IP address on the command line, read as every door reads one
/// ([`crate::domain::parse_address`]).
fn parse_ip(text: &str) -> Result<std::net::IpAddr, String> {
    crate::domain::parse_address(text).map_err(|_| format!("{text:?} is not an IP address"))
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub(crate) enum UserCommand {
    /// Add a user. The password is read from standard input, or made up and printed.
    Add {
        /// Login name.
        username: String,
        /// customer, admin or helpdesk.
        #[arg(long)]
        role: String,
        /// The customer (number or name) a customer user belongs to.
        #[arg(long)]
        customer: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// The user's e-mail address, where notification mails go.
        #[arg(long)]
        email: Option<String>,
        /// TOML configuration file (for the database).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Set a user's e-mail address, where notification mails go (`-` removes it).
    Email {
        /// Login name.
        username: String,
        /// The address, or `-` for none.
        address: String,
        /// TOML configuration file (for the database).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// List every user: name, role, customer, status, open sessions.
    List {
        /// TOML configuration file (for the database).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Give a user a new password (made up and printed, or read from standard input); ends
    /// their sessions.
    Password {
        /// Login name.
        username: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// TOML configuration file (for the database).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Disable a user: ends their sessions, refuses their sign-ins and API credentials.
    Disable {
        /// Login name.
        username: String,
        /// TOML configuration file (for the database).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Enable a disabled user again.
    Enable {
        /// Login name.
        username: String,
        /// TOML configuration file (for the database).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Change a user's role (customer, admin or helpdesk); ends their sessions.
    Role {
        /// Login name.
        username: String,
        /// customer, admin or helpdesk.
        role: String,
        /// The customer (number or name) of a customer user.
        #[arg(long)]
        customer: Option<String>,
        /// TOML configuration file (for the database).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Remove a user's second factor (lost phone and recovery codes): they set it up again
    /// at their next sign-in; ends their sessions.
    Reset2fa {
        /// Login name.
        username: String,
        /// TOML configuration file (for the database).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// List a user's open sessions; with --end, sign them out everywhere.
    Sessions {
        /// Login name.
        username: String,
        /// End every session of the user.
        #[arg(long)]
        end: bool,
        /// TOML configuration file (for the database).
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// Carry over the PTRs another primary serves: transfer ZONE (AXFR) and make each PTR
    /// whose address lies in a known assignment that address's entry (audited, door
    /// `import`); prints what was imported, skipped and why.
    Zone {
        /// The reverse zone (`51.198.in-addr.arpa`).
        zone: String,
        /// The primary serving it now: ADDRESS or ADDRESS:PORT (port 53 by default).
        #[arg(long)]
        from: String,
        /// TSIG key for the transfer, `hmac-sha256:NAME:BASE64-SECRET`, or `@FILE` holding it.
        #[arg(long)]
        tsig: Option<String>,
        /// Print what would be imported, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Refuse PTRs that fail a check (by default they are imported anyway, and listed).
        #[arg(long)]
        strict: bool,
        /// TOML configuration file (database, default names, checks).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Import IP assignments: `customer_number,customer_name,server,network` per line.
    Assignments {
        /// The CSV file.
        file: PathBuf,
        /// Make the inventory hold exactly the file: move, remove and rename too (entries of
        /// removed or moved assignments go back to the default), not only add.
        #[arg(long)]
        sync: bool,
        /// With --sync: print the difference, change nothing.
        #[arg(long, requires = "sync")]
        dry_run: bool,
        /// With --sync: cancel the customers the file does not list.
        #[arg(long, requires = "sync")]
        remove_missing: bool,
        /// TOML configuration file (for the database).
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum CredentialCommand {
    /// Make a staff API credential; prints `username:secret` once.
    Add {
        /// What it is for, e.g. `billing-sync` (the audit log names it `api:LABEL`).
        label: String,
        /// `inventory` (read and write customers, servers, assignments) or `read`.
        #[arg(long)]
        scope: String,
        /// TOML configuration file (for the database).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// List the staff API credentials.
    List {
        /// TOML configuration file (for the database).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Revoke a staff API credential by its number in the list.
    Revoke {
        /// The credential's number (`ptrdesk credential list`).
        id: i64,
        /// TOML configuration file (for the database).
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

/// The operator at this machine's command line: the actor `cli`; the door is `system`, as
/// the audit table knows no door of its own for the command line.
pub(crate) fn operator() -> crate::admin::Acting {
    crate::admin::Acting {
        actor: crate::import::cli_actor(),
        door: crate::domain::Door::System,
    }
}

/// Parses the command line and runs the command.
pub async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // `serve` logs in the format its configuration file names, so it starts logging once the
    // file is read; the other commands log little, in the format of the environment.
    if !matches!(cli.command, Command::Serve { .. }) {
        crate::telemetry::init();
    }
    match cli.command {
        Command::Demo {
            listen,
            database,
            dns_listen,
        } => demo(listen, database, dns_listen).await,
        Command::Serve { config } => serve(config).await,
        Command::Check {
            ip,
            hostname,
            offline,
            format,
            config,
        } => check(ip, &hostname, offline, format, config).await,
        Command::User { command } => users::run(command).await,
        Command::Dns { command } => dns(command).await,
        Command::Seed {
            scale,
            database,
            password,
            wipe,
            config,
        } => seed(scale, database, password, wipe, config).await,
        Command::Credential { command } => credentials::run(command).await,
        Command::Import {
            command:
                ImportCommand::Zone {
                    zone,
                    from,
                    tsig,
                    dry_run,
                    strict,
                    config,
                },
        } => {
            let args = zone_import::Args {
                zone,
                from,
                tsig,
                dry_run,
                strict,
                config,
            };
            zone_import::run(args).await
        }
        Command::Import {
            command:
                ImportCommand::Assignments {
                    file,
                    sync,
                    dry_run,
                    remove_missing,
                    config,
                },
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let settings = Settings::load(config.as_deref())?;
            if sync {
                let sync = inventory::Sync {
                    dry_run,
                    remove_missing,
                };
                return inventory::sync(&settings, &text, sync).await;
            }
            let db = Db::connect(&settings.database).await?;
            // Zone rows as a node serving DNS with this configuration would create them.
            let publishing = match settings.dns_listen {
                Some(_) => Some(crate::dns::Publishing::from_settings(&settings)?),
                None => None,
            };
            let actor = crate::import::cli_actor();
            match crate::import::import_assignments(&db, publishing.as_ref(), &text, &actor).await {
                Ok(summary) => {
                    println!("{summary}");
                    Ok(())
                }
                Err(err @ crate::import::ImportError::Rejected(_)) => {
                    bail!("nothing was imported:\n{err}")
                }
                Err(err) => Err(err.into()),
            }
        }
    }
}

async fn serve(config: Option<PathBuf>) -> anyhow::Result<()> {
    let settings = Settings::load(config.as_deref())?;
    crate::telemetry::init_as(settings.log_format);
    let app = Application::build(&settings).await?;
    report_start(&settings, &app);
    tracing::info!(port = app.port(), "ptrdesk is serving");
    app.run_until_stopped().await?;
    Ok(())
}

/// Says at start what this node does: the configuration it read, where it listens, its
/// database (without password), whom it sends NOTIFY, which checks and policy are in force.
fn report_start(settings: &Settings, app: &Application) {
    let none = "none";
    let file = settings
        .origins
        .file
        .as_deref()
        .unwrap_or("none (built-in defaults and PTRDESK_… variables)");
    tracing::info!(file, "configuration");
    tracing::info!(
        http = %SocketAddr::new(settings.listen.ip(), app.port()),
        dns = %app.dns_address().map_or_else(|| "off (dns_listen not set)".to_owned(), |a| format!("{a} (UDP and TCP)")),
        "listening"
    );
    tracing::info!(url = %db::open::shown(&settings.database), engine = ?app.db().engine, "database");
    if app.dns_address().is_some() {
        let secondaries = settings.dns_secondaries.join(", ");
        tracing::info!(
            notify = if secondaries.is_empty() { none } else { secondaries.as_str() },
            public_servers = %if settings.dns_public_servers.is_empty() { none.to_owned() } else { settings.dns_public_servers.join(", ") },
            tsig = settings.dns_tsig_key.is_some(),
            "secondaries"
        );
    }
    let policy = app.engine().policy();
    let resolvers = match crate::checks::dns_settings(settings) {
        Ok(Some(dns)) => dns.upstream.to_string(),
        _ => none.to_owned(),
    };
    let mut severities: Vec<String> = policy
        .severity_overrides
        .iter()
        .map(|(id, severity)| format!("{}={}", id.as_str(), severity.as_str()))
        .collect();
    severities.sort();
    tracing::info!(
        dns_checks = if settings.dns_checks { "on" } else { "off (offline checks only)" },
        check_mode = settings.check_mode.as_str(),
        asks = %resolvers,
        forward_policy = policy.forward.as_str(),
        severity = %if severities.is_empty() { "SPEC defaults".to_owned() } else { severities.join(", ") },
        protected_domains = policy.protected_domains.len(),
        "checks and policy in force"
    );
}

async fn demo(listen: SocketAddr, database: String, dns_listen: SocketAddr) -> anyhow::Result<()> {
    // The checks ask the demo's own DNS, which serves forward zones for the demo domains
    // (`crate::dns::demo_zones`): its port must be known before the engine is built.
    let dns = crate::dns::server::DnsListener::bind(dns_listen)
        .with_context(|| format!("cannot listen for DNS on {dns_listen}"))?;
    let dns_address = dns.local_addr()?;
    let settings = Settings {
        listen,
        database,
        dns_listen: Some(dns_address),
        session_key: Some(SecretString::from(crate::token::random_token(64))),
        dns_checks: true,
        // Authoritative checks, as `serve` runs them, with the demo's own DNS as the only
        // root: it answers for the demo domains itself, and nothing leaves the machine.
        check_mode: crate::domain::CheckMode::Authoritative,
        root_hints: vec![dns_address.to_string()],
        authority_port: dns_address.port(),
        forward_policy: crate::checks::policy::ForwardPolicy::Require,
        demo_forward_zones: true,
        // A blocklist in the demo's own DNS, so that mail readiness shows a listing
        // (node1.demo-hosting.net's address 198.51.100.17 is on it).
        dnsbl_zones: vec!["dnsbl.demo-hosting.net".to_owned()],
        dnsbl_return_codes: vec![format!(
            "dnsbl.demo-hosting.net=127.0.0.2:{}",
            crate::demo::BLOCKLIST_MEANING
        )],
        // The demo's staff logins are admin/admin and helpdesk/helpdesk, nothing more.
        require_staff_2fa: false,
        ..Settings::default()
    };
    let db = Db::connect(&settings.database).await?;
    crate::demo::ensure_demo_data(&db).await.with_context(|| {
        format!(
            "ptrdesk demo refuses the database {}",
            db::open::shown(&settings.database)
        )
    })?;
    let app = Application::build_with_dns(&settings, db.clone(), Some(dns)).await?;
    let port = app.port();
    let engine = app.engine().clone();
    let publishing = crate::dns::Publishing::from_settings(&settings)?;
    // The seeding's checks ask the DNS server, which answers only once the app runs.
    let running = app.run_until_stopped();
    tokio::pin!(running);
    tokio::select! {
        stopped = &mut running => return Ok(stopped?),
        seeded = crate::demo::seed(&db, &engine, &publishing) => seeded?,
    }
    println!("ptrdesk demo: http://{}:{port}/", listen.ip());
    println!(
        "  DNS for the reverse zones and the demo domains on {dns_address} (UDP and TCP), e.g. dig @{} -p {} -x 203.0.113.45",
        dns_address.ip(),
        dns_address.port()
    );
    println!("  customer  demo / demo     second customer  other / other");
    println!("  admin     admin / admin   help-desk        helpdesk / helpdesk");
    running.await?;
    Ok(())
}

async fn seed(
    scale: crate::seed::Scale,
    database: Option<String>,
    password: String,
    wipe: bool,
    config: Option<PathBuf>,
) -> anyhow::Result<()> {
    let mut settings = Settings::load(config.as_deref())?;
    if let Some(database) = database {
        settings.database = database;
    }
    let started = std::time::Instant::now();
    let db = Db::connect(&settings.database).await?;
    let password_note = if password == crate::seed::DEFAULT_PASSWORD {
        crate::seed::DEFAULT_PASSWORD
    } else {
        "as given"
    };
    let options = crate::seed::SeedOptions {
        scale,
        password: SecretString::from(password),
        wipe,
    };
    let summary =
        crate::seed::run(&db, &settings, &options, &mut |line| println!("{line}")).await?;
    println!(
        "seeded in {:.1} s: {} customers, {} servers, {} assignments, {} entries, {} changes, {} audit rows, {} reverse zones",
        started.elapsed().as_secs_f64(),
        summary.customers,
        summary.servers,
        summary.assignments,
        summary.entries,
        summary.changes,
        summary.audit,
        summary.zones
    );
    println!(
        "bench users {}, {}, {}, {} (password {})",
        crate::seed::LARGE.username,
        crate::seed::SMALL.username,
        crate::seed::HELPDESK_USERNAME,
        crate::seed::ADMIN_USERNAME,
        password_note
    );
    Ok(())
}

async fn dns(command: DnsCommand) -> anyhow::Result<()> {
    match command {
        DnsCommand::Zones { config } => {
            let settings = Settings::load(config.as_deref())?;
            let db = Db::connect(&settings.database).await?;
            let publishing = crate::dns::Publishing::from_settings(&settings)?;
            crate::dns::sync::sync_all(&db, &publishing, crate::clock::now()).await?;
            for zone in db::zones::list(&db.pool).await? {
                if zone.active == 1 {
                    println!("{}\t{}", zone.name, zone.serial);
                }
            }
            Ok(())
        }
        DnsCommand::Bump { config, at_least } => {
            let settings = Settings::load(config.as_deref())?;
            let db = Db::connect(&settings.database).await?;
            let floor = at_least.unwrap_or(0).max(crate::clock::now());
            for zone in db::zones::bump_all(&db.pool, floor).await? {
                println!("{}\t{}", zone.name, zone.serial);
            }
            Ok(())
        }
        DnsCommand::Ds { zone, config } => dns_ds(&zone, config).await,
        DnsCommand::Rollover { zone, config } => dns_rollover(&zone, config).await,
        DnsCommand::Verify {
            config,
            servers,
            zones,
        } => {
            let mut settings = Settings::load(config.as_deref())?;
            let backend = crate::dns::backend::Backend::from_settings(&settings)?;
            let against = match (&backend, servers.is_empty()) {
                (Some(backend), true) => {
                    println!(
                        "comparing the publishing backend ({}, answering DNS at {}) with the database",
                        backend.target().target,
                        backend.dns_server()
                    );
                    settings.dns_public_servers = vec![backend.dns_server().to_string()];
                    crate::dns::verify::Against::Backend
                }
                _ => {
                    if !servers.is_empty() {
                        settings.dns_public_servers = servers;
                    }
                    crate::dns::verify::Against::Secondaries
                }
            };
            let publishing = crate::dns::Publishing::from_settings(&settings)?;
            if publishing.public_servers.is_empty() {
                bail!("no name server to check: set dns_public_servers or pass --server");
            }
            let db = Db::connect(&settings.database).await?;
            crate::dns::sync::sync_all(&db, &publishing, crate::clock::now()).await?;
            let verification = crate::dns::verify::verify_against(
                &db,
                &publishing,
                &publishing.public_servers,
                &zones,
                against,
            )
            .await?;
            for note in &verification.notes {
                println!("note: {note}");
            }
            for difference in &verification.differences {
                println!("{difference}");
            }
            println!(
                "{} zones, {} PTR questions, {} differences",
                verification.zones,
                verification.questions,
                verification.differences.len()
            );
            if !verification.differences.is_empty() {
                std::process::exit(1);
            }
            Ok(())
        }
    }
}

/// The settings and database of a DNSSEC command, and the zone's name checked against the
/// served zones.
async fn signed_zone(
    zone: &str,
    config: Option<PathBuf>,
) -> anyhow::Result<(Settings, Db, String)> {
    let settings = Settings::load(config.as_deref())?;
    if !settings.dnssec {
        bail!("DNSSEC is off: set dnssec = true (PTRDESK_DNSSEC=true) to sign the zones");
    }
    let db = Db::connect(&settings.database).await?;
    let publishing = crate::dns::Publishing::from_settings(&settings)?;
    crate::dns::sync::sync_all(&db, &publishing, crate::clock::now()).await?;
    let zone = zone.trim().trim_end_matches('.').to_ascii_lowercase();
    let served = db::zones::list(&db.pool)
        .await?
        .into_iter()
        .any(|row| row.active == 1 && row.name == zone);
    if !served {
        bail!("{zone} is not a served zone (see ptrdesk dns zones)");
    }
    Ok((settings, db, zone))
}

async fn dns_ds(zone: &str, config: Option<PathBuf>) -> anyhow::Result<()> {
    let (_, db, zone) = signed_zone(zone, config).await?;
    crate::dns::dnssec::keys::ensure_keys(&db, std::slice::from_ref(&zone), crate::clock::now())
        .await?;
    let keys = db::dnssec::keys_of(&db.pool, &zone).await?;
    for record in crate::dns::dnssec::ds_records(&zone, &keys)? {
        println!("{record}");
    }
    Ok(())
}

async fn dns_rollover(zone: &str, config: Option<PathBuf>) -> anyhow::Result<()> {
    let (settings, db, zone) = signed_zone(zone, config).await?;
    let actor = crate::import::cli_actor();
    crate::dns::dnssec::keys::start_rollover(&db, &zone, &actor, crate::clock::now()).await?;
    let wait = u64::from(settings.dns_ttl_seconds) + settings.dnssec_rollover_margin_seconds;
    println!(
        "ZSK rollover of {zone} started: the new key is published now, signs in {wait} s, \
         and the old key leaves the DNSKEY set {wait} s after that (ptrdesk serve takes the steps)"
    );
    Ok(())
}

async fn check(
    ip: std::net::IpAddr,
    hostname: &str,
    offline: bool,
    format: OutputFormat,
    config: Option<PathBuf>,
) -> anyhow::Result<()> {
    let mut settings = Settings::load(config.as_deref())?;
    if offline {
        settings.dns_checks = false;
    }
    let engine = crate::checks::Engine::from_settings(&settings)?;
    let report = if offline {
        engine.offline(ip, hostname)
    } else {
        engine.check(ip, hostname).await
    };
    match format {
        OutputFormat::Json => {
            let json = serde_json::json!({
                "hostname": report.hostname.as_ref().map(|name| name.as_ascii()),
                "verdict": report.verdict().as_str(),
                "findings": report.findings,
            });
            println!("{}", serde_json::to_string_pretty(&json)?);
        }
        OutputFormat::Text => {
            match &report.hostname {
                Some(name) => println!("{ip} → {name} ({})", name.as_ascii()),
                None => println!("{ip} → (not a host name)"),
            }
            for finding in &report.findings {
                println!(
                    "  {:<10} {:<17} {}",
                    finding.severity.as_str(),
                    finding.id.as_str(),
                    finding.message
                );
                for detail in &finding.details {
                    println!("  {:<10} {:<17}   {detail}", "", "");
                }
            }
            println!("verdict: {}", report.verdict().as_str());
        }
    }
    if report.verdict() == crate::checks::Verdict::Error {
        std::process::exit(1);
    }
    Ok(())
}

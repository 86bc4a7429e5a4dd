//! `ptrdesk import zone ZONE --from SERVER[:PORT]`: the PTRs a provider's current primary
//! serves, carried over as entries ([`crate::admin::zone_import`]), audited as actor `cli`
//! through the door `import`.

use crate::admin::zone_import::{Outcome, ZoneImport, import_zone};
use crate::config::Settings;
use crate::db::Db;
use crate::dns::tsig::TsigKey;
use anyhow::{Context, bail};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

/// The command's arguments.
pub(super) struct Args {
    pub zone: String,
    pub from: String,
    pub tsig: Option<String>,
    pub dry_run: bool,
    pub strict: bool,
    pub config: Option<PathBuf>,
}

/// Runs the import and prints its report; exits 1 when `--strict` refused a PTR.
pub(super) async fn run(args: Args) -> anyhow::Result<()> {
    let settings = Settings::load(args.config.as_deref())?;
    let Some(zone) = crate::dns::absolute_name(&args.zone) else {
        bail!("{:?} is not a zone name", args.zone);
    };
    let from = server_address(&args.from)?;
    let key = match &args.tsig {
        None => None,
        Some(text) => Some(TsigKey::parse(&key_text(text)?).map_err(|err| {
            anyhow::anyhow!("--tsig: {}", err.to_string().replace("dns_tsig_key: ", ""))
        })?),
    };
    let db = Db::connect(&settings.database).await?;
    let engine = crate::checks::Engine::from_settings(&settings)?;
    let publishing = crate::dns::Publishing::from_settings(&settings)?;
    let request = ZoneImport {
        zone,
        from,
        key,
        dry_run: args.dry_run,
        strict: args.strict,
    };
    let actor = crate::import::cli_actor();
    let report = import_zone(&db, &engine, &publishing, &request, &actor).await?;
    print!("{report}");
    if report.count(|outcome| matches!(outcome, Outcome::Refused { .. })) > 0 {
        std::process::exit(1);
    }
    Ok(())
}

/// `SERVER[:PORT]`, port 53 by default; IPv6 as `[::1]:53` or bare.
fn server_address(text: &str) -> anyhow::Result<SocketAddr> {
    if let Ok(address) = text.parse::<SocketAddr>() {
        return Ok(address);
    }
    let ip: IpAddr = text
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .with_context(|| {
            format!("--from {text:?}: give an address, ADDRESS:PORT or [IPv6]:PORT")
        })?;
    Ok(SocketAddr::new(ip, 53))
}

/// The key as given, or read from a file with `@FILE` (keeps the secret off the process
/// list).
fn key_text(text: &str) -> anyhow::Result<String> {
    match text.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path)
            .map(|key| key.trim().to_owned())
            .with_context(|| format!("--tsig: cannot read {path}")),
        None => Ok(text.to_owned()),
    }
}

//! Settings: built-in defaults, then an optional TOML file, then `PTRDESK_…` environment
//! variables (`PTRDESK_DATABASE`, `PTRDESK_SESSION_KEY`, …, one per setting, upper case).
//!
//! Plain data: the settings and the checks of single values. The parts a setting configures
//! build themselves from it (`Engine::from_settings`, `Publishing::from_settings`, …), and
//! [`crate::startup`] assembles them; nothing here knows those parts.
//!
//! Policy: no secret has a default. `serve` refuses to start without a session key; only the
//! demo makes one up.

use crate::domain::{CheckMode, DefaultNamePattern, DefaultNames, ForwardPolicy, RobotPending};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;

/// Everything ptrdesk can be told, as read from file and environment.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Address the web panel listens on.
    pub listen: SocketAddr,
    /// `sqlite://FILE` (created on start) or `postgres://…`.
    pub database: String,
    /// Hex of at least 64 random bytes; signs and encrypts the session cookie.
    pub session_key: Option<SecretString>,
    /// The panel's address as its users reach it (`https://rdns.example.net`): shown in the
    /// API examples and the only origin forms are accepted from. Unset: the `Host` the
    /// browser asked for (or a trusted proxy's `X-Forwarded-Host`).
    pub public_url: Option<String>,
    /// Mark cookies `Secure`; set when the panel is reached over https.
    pub secure_cookies: bool,
    /// The provider's OpenID Connect issuer (`https://id.example.net/realms/customers`);
    /// unset, sign-in is by password only.
    pub oidc_issuer_url: Option<String>,
    /// ptrdesk's client id at that provider.
    pub oidc_client_id: Option<String>,
    /// ptrdesk's client secret there. Environment only (`PTRDESK_OIDC_CLIENT_SECRET`).
    pub oidc_client_secret: Option<SecretString>,
    /// Where the provider sends the browser back; default `{public_url}/login/oidc/callback`
    /// (without `public_url`: the address the browser reached the panel at).
    pub oidc_redirect_url: Option<String>,
    /// The ID token claim holding the customer number.
    pub oidc_customer_claim: String,
    /// The ID token claim holding the role (`customer`, `admin`, `helpdesk`; missing: customer).
    pub oidc_role_claim: String,
    /// The provider's name on the sign-in button ("Sign in with …").
    pub oidc_provider_name: String,
    /// Hide password sign-in; only admins may still use it (break-glass), at `/login?password`.
    pub oidc_only: bool,
    /// Admins and help-desk users who sign in with a password must use a second factor
    /// (TOTP); those without one enrol at their next sign-in. Off only in the demo.
    pub require_staff_2fa: bool,
    /// Active API credentials one customer may hold at once.
    pub api_credentials_per_customer: u64,
    /// A session no request used for this many minutes ends (idle timeout).
    pub session_idle_minutes: u64,
    /// A session ends this many hours after sign-in, however active (absolute lifetime).
    pub session_lifetime_hours: u64,
    /// Reverse proxies (addresses or networks) whose `X-Forwarded-For` names the client; empty:
    /// the peer is the client. See [`crate::client_address`].
    #[serde(deserialize_with = "list_or_comma_separated")]
    pub trusted_proxies: Vec<String>,
    /// Pattern of the provider's default name for IPv4 addresses.
    pub default_name_v4: String,
    /// Pattern for IPv6 addresses; none by default (such addresses then have no PTR).
    pub default_name_v6: Option<String>,
    /// Run the DNS checks (`domain-exists`, `forward-confirmed`); off, only the offline checks run.
    pub dns_checks: bool,
    /// Name servers the DNS checks ask (`IP` or `IP:PORT`); empty means those of
    /// `/etc/resolv.conf`.
    #[serde(deserialize_with = "list_or_comma_separated")]
    pub dns_servers: Vec<String>,
    /// `authoritative`: the DNS checks walk the delegation from `root_hints` (or through
    /// `delegation_forwarder`) and ask the zone's own name servers, no cache in between;
    /// `resolver`: they ask `dns_servers`.
    pub check_mode: CheckMode,
    /// Root servers the authoritative checks start from (`IP` or `IP:PORT`); empty means the
    /// IANA root servers (a.root-servers.net …).
    #[serde(deserialize_with = "list_or_comma_separated")]
    pub root_hints: Vec<String>,
    /// Resolvers asked for the delegation only (a zone's NS names and their addresses) in
    /// authoritative mode, instead of walking from the root; the answers themselves still
    /// come from the zone's own servers.
    #[serde(deserialize_with = "list_or_comma_separated")]
    pub delegation_forwarder: Vec<String>,
    /// The port the zones' name servers found through delegations are asked on, and a
    /// customer's own name servers before ptrdesk delegates to them (53; a test hierarchy on
    /// loopback uses another).
    pub authority_port: u16,
    /// Deadline of one DNS question, in milliseconds.
    pub dns_timeout_ms: u64,
    /// Deadline of all DNS work of one check, in milliseconds.
    pub check_budget_ms: u64,
    /// `require` (not published until the name resolves to the IP), `warn` or `off`.
    pub forward_policy: ForwardPolicy,
    /// Domains customers may not use (the provider's own), besides the default-name domain.
    #[serde(deserialize_with = "list_or_comma_separated")]
    pub protected_domains: Vec<String>,
    /// Severity overrides by check id, e.g. `generic-looking = "error"`.
    pub severity: HashMap<String, String>,
    /// Hours a pending change is re-checked before it is rejected.
    pub pending_deadline_hours: u64,
    /// Seconds between rounds of the background re-check of pending changes.
    pub recheck_interval_seconds: u64,
    /// Seconds one pass of the continuous re-verification takes: every published entry is
    /// checked again once per this period, at an even pace (7 days); 0 turns it off.
    pub reverify_period_seconds: u64,
    /// Days after which an entry drift is raised on the review queue (admins are asked to look
    /// at it); 0: never.
    pub drift_review_days: u64,
    /// The panel's language for a reader who chose none and whose browser asks for none the
    /// panel speaks (`en`, `de`: a directory under `locales/`).
    pub default_language: String,
    /// The time zone times are shown in for a user who chose none (`UTC`, `Europe/Berlin`).
    pub default_time_zone: String,
    /// The most DNS questions per second the re-verification may cause (a pass takes longer
    /// than its period rather than ask faster).
    pub reverify_questions_per_second: u64,
    /// The SMTP server notification mails go through: `smtp://HOST:PORT` (plain, as on
    /// loopback), `smtp://HOST:587?tls=starttls`, `smtps://USER:PASSWORD@HOST:465` (implicit
    /// TLS); user and password (percent-encoded) authenticate. Unset: no mail is sent. Never
    /// printed (it may hold a password).
    pub smtp_url: Option<SecretString>,
    /// A PEM file of CA certificates the SMTP server's certificate may also chain to (an
    /// internal CA), besides the system's. Unset: the system's only.
    pub smtp_ca_file: Option<std::path::PathBuf>,
    /// The sender of notification mails (`ptrdesk <rdns@example.net>`); needed with `smtp_url`.
    pub mail_from: Option<String>,
    /// Seconds between two digests of new review requests to admins (a day).
    pub review_digest_seconds: u64,
    /// Milliseconds between looks at the outbox for webhook deliveries due (the most a
    /// delivery waits after its change).
    pub outbox_poll_ms: u64,
    /// Seconds before a failed webhook delivery is tried again (doubling after each failure,
    /// at most an hour, for 24 hours).
    pub outbox_retry_seconds: u64,
    /// On SIGTERM or SIGINT: seconds the requests in flight and the background jobs get to
    /// finish before the process stops anyway.
    pub shutdown_grace_seconds: u64,
    /// The SMTP port `mail-banner` connects to (25; tests use another).
    pub mail_port: u16,
    /// DNS blocklists the mail-readiness checks ask about each address (`zen.spamhaus.org`,
    /// `bl.spamcop.net`): the standard way, the reversed address under the zone.
    #[serde(deserialize_with = "list_or_comma_separated")]
    pub dnsbl_zones: Vec<String>,
    /// What a list's answers mean, one per item: `ZONE=127.0.0.X:MEANING` or a range of the
    /// last octet, `ZONE=127.0.0.4-7:MEANING` (`zen.spamhaus.org=127.0.0.2:SBL`).
    #[serde(deserialize_with = "list_or_comma_separated")]
    pub dnsbl_return_codes: Vec<String>,
    /// Seconds a blocklist's answer about one address is kept and shown again without asking.
    pub dnsbl_cache_seconds: u64,
    /// Questions per second this node sends to the blocklists at most (lists throttle heavy
    /// askers); 0: no limit.
    pub dnsbl_questions_per_second: u64,
    /// API requests allowed per customer (all its credentials together) and interval.
    pub api_rate_limit: u64,
    /// The interval of the API rate limit, in seconds.
    pub api_rate_interval_seconds: u64,
    /// A Robot API write that would only wait for DNS (`pending`): `accept` (recorded, answered
    /// with `"state": "pending"`) or `refuse` (400 `INVALID_INPUT` with the findings, nothing
    /// recorded).
    pub robot_pending: RobotPending,
    /// Live checks that ask DNS or a mail server (`GET /ptr/check`, stages `full` and `mail`)
    /// one user may run per `live_check_interval_seconds`; 0: no limit. Counted in memory per
    /// node: with N nodes behind a load balancer the effective limit is N times this.
    pub live_check_per_user: u64,
    /// The same per client address (an IPv6 client counts by its /64), for every user behind
    /// it together; 0: no limit. Also per node.
    pub live_check_per_address: u64,
    /// The interval of both live-check limits, in seconds.
    pub live_check_interval_seconds: u64,
    /// Where ptrdesk's authoritative DNS listens (UDP and TCP); unset, it serves no DNS.
    pub dns_listen: Option<SocketAddr>,
    /// Prefix length of the IPv4 reverse zones: 8, 16 or 24 (`c.b.a.in-addr.arpa`).
    pub reverse_zone_v4_prefix: u8,
    /// Prefix length of the IPv6 reverse zones, a multiple of 4 (48, 56, 64, …).
    pub reverse_zone_v6_prefix: u8,
    /// The reverse zones' name servers (NS records); the first is the SOA's primary name.
    #[serde(deserialize_with = "list_or_comma_separated")]
    pub dns_nameservers: Vec<String>,
    /// The zones' contact mailbox as a name (the SOA's RNAME), e.g. `hostmaster.example.net`.
    pub dns_hostmaster: String,
    /// TTL of the PTR, NS and SOA records, in seconds.
    pub dns_ttl_seconds: u32,
    /// Secondaries (`IP` or `IP:PORT`, port 53 by default): they may transfer the zones (AXFR
    /// over TCP, by source address) and are sent NOTIFY at that port when a serial changes.
    #[serde(deserialize_with = "list_or_comma_separated")]
    pub dns_secondaries: Vec<String>,
    /// TSIG key for zone transfers and NOTIFY: `hmac-sha256:NAME:BASE64-SECRET`.
    pub dns_tsig_key: Option<SecretString>,
    /// The name of the catalog zone (RFC 9432) listing every reverse zone, served and
    /// transferred to the secondaries like the reverse zones; none when unset.
    pub catalog_zone: Option<String>,
    /// Seconds between re-derivations of the zones from the assignments.
    pub dns_sync_interval_seconds: u64,
    /// No longer used (NOTIFY leaves through the outbox, looked at every `outbox_poll_ms`
    /// and at once after each of this node's commits); still read, so that older
    /// configuration files keep working.
    pub dns_notify_poll_ms: u64,
    /// Seconds NOTIFY to one secondary is retried before it is given up.
    pub dns_notify_deadline_seconds: u64,
    /// The public name servers (`IP` or `IP:PORT`): an entry is shown live once all of them
    /// serve it, and drift is checked against them.
    #[serde(deserialize_with = "list_or_comma_separated")]
    pub dns_public_servers: Vec<String>,
    /// Milliseconds between looks at the public servers' serials.
    pub dns_live_poll_ms: u64,
    /// Seconds between drift checks against the public servers; 0: only `ptrdesk dns verify`.
    pub dns_verify_interval_seconds: u64,
    /// Where published PTRs go: `embedded` (ptrdesk's own DNS, the hidden primary),
    /// `powerdns` (pushed into PowerDNS over its HTTP API) or `rfc2136` (dynamic updates to a
    /// primary such as BIND). ptrdesk's own DNS may run beside a backend (`dns_listen`).
    pub publish: PublishMode,
    /// The PowerDNS API (`http://127.0.0.1:8081`), for `publish = "powerdns"`.
    pub powerdns_api_url: Option<String>,
    /// The PowerDNS API key. Environment only (`PTRDESK_POWERDNS_API_KEY`).
    pub powerdns_api_key: Option<SecretString>,
    /// PowerDNS' server id in the API paths.
    pub powerdns_server_id: String,
    /// The kind of the zones ptrdesk creates in PowerDNS: `Native` (replicated by the
    /// database) or `Master` (PowerDNS sends NOTIFY and serves AXFR to its secondaries).
    pub powerdns_zone_kind: PowerDnsZoneKind,
    /// Where PowerDNS answers DNS (`IP` or `IP:PORT`), for `ptrdesk dns verify`; unset, the
    /// API's host at port 53.
    pub powerdns_dns_server: Option<String>,
    /// The primary that takes the dynamic updates (`IP` or `IP:PORT`), for
    /// `publish = "rfc2136"`.
    pub rfc2136_server: Option<String>,
    /// The TSIG key the updates are signed with: `hmac-sha256:NAME:BASE64-SECRET`.
    pub rfc2136_tsig_key: Option<SecretString>,
    /// Sign the reverse zones with DNSSEC (keys generated and kept by ptrdesk; see
    /// `ptrdesk dns ds` and `ptrdesk dns rollover`).
    pub dnssec: bool,
    /// Seconds added to each wait of a ZSK rollover (beyond the TTL): the secondaries' time
    /// to transfer the zone.
    pub dnssec_rollover_margin_seconds: u64,
    /// Who may read `/metrics`: addresses and networks (`127.0.0.1`, `10.0.0.0/8`, `::1`);
    /// loopback only by default. The address is the client's as the audit log records it
    /// (the peer, or what a trusted proxy names).
    #[serde(deserialize_with = "list_or_comma_separated")]
    pub metrics_allow: Vec<String>,
    /// When set, `/metrics` is also open to `Authorization: Bearer TOKEN` from any address.
    pub metrics_token: Option<SecretString>,
    /// `text` or `json` log lines; logging starts once the settings are read (see
    /// [`crate::telemetry`]).
    pub log_format: LogFormat,
    /// Where each setting's value came from (the file, the environment; missing: the
    /// built-in default). Filled by [`Settings::load`].
    #[serde(skip)]
    pub origins: Origins,
    /// Serve the demo's forward zones (`demo-hosting.net`, …) beside the reverse zones. Not a
    /// setting: no file or variable can turn it on; only `ptrdesk demo` does.
    #[serde(skip)]
    pub demo_forward_zones: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: "sqlite://ptrdesk.sqlite".to_owned(),
            session_key: None,
            public_url: None,
            secure_cookies: false,
            oidc_issuer_url: None,
            oidc_client_id: None,
            oidc_client_secret: None,
            oidc_redirect_url: None,
            oidc_customer_claim: "customer".to_owned(),
            oidc_role_claim: "ptrdesk_role".to_owned(),
            oidc_provider_name: "your account".to_owned(),
            oidc_only: false,
            require_staff_2fa: true,
            api_credentials_per_customer: 10,
            session_idle_minutes: 8 * 60,
            session_lifetime_hours: 7 * 24,
            trusted_proxies: Vec::new(),
            default_name_v4: "static.{reversed}.clients.example.net".to_owned(),
            default_name_v6: None,
            dns_checks: true,
            dns_servers: Vec::new(),
            check_mode: CheckMode::Authoritative,
            root_hints: Vec::new(),
            delegation_forwarder: Vec::new(),
            authority_port: 53,
            dns_timeout_ms: 1000,
            check_budget_ms: 3000,
            forward_policy: ForwardPolicy::Require,
            protected_domains: Vec::new(),
            severity: HashMap::new(),
            pending_deadline_hours: 24,
            recheck_interval_seconds: 30,
            smtp_url: None,
            smtp_ca_file: None,
            mail_from: None,
            review_digest_seconds: 24 * 3600,
            reverify_period_seconds: 7 * 24 * 3600,
            reverify_questions_per_second: 20,
            drift_review_days: 30,
            default_language: "en".to_owned(),
            default_time_zone: "UTC".to_owned(),
            outbox_poll_ms: 500,
            outbox_retry_seconds: 30,
            shutdown_grace_seconds: 30,
            mail_port: 25,
            dnsbl_zones: Vec::new(),
            dnsbl_return_codes: Vec::new(),
            dnsbl_cache_seconds: 900,
            dnsbl_questions_per_second: 10,
            api_rate_limit: 200,
            api_rate_interval_seconds: 3600,
            robot_pending: RobotPending::Accept,
            // A person typing sends at most one counted check per pause (about 300 ms), and
            // never for long; a script at full speed hits these within seconds.
            live_check_per_user: 120,
            live_check_per_address: 240,
            live_check_interval_seconds: 60,
            dns_listen: None,
            reverse_zone_v4_prefix: 24,
            reverse_zone_v6_prefix: 48,
            dns_nameservers: vec!["ns1.example.net".to_owned(), "ns2.example.net".to_owned()],
            dns_hostmaster: "hostmaster.example.net".to_owned(),
            dns_ttl_seconds: 3600,
            dns_secondaries: Vec::new(),
            dns_tsig_key: None,
            catalog_zone: None,
            dns_sync_interval_seconds: 30,
            dns_notify_poll_ms: 200,
            dns_notify_deadline_seconds: 600,
            dns_public_servers: Vec::new(),
            dns_live_poll_ms: 1000,
            dns_verify_interval_seconds: 3600,
            publish: PublishMode::Embedded,
            powerdns_api_url: None,
            powerdns_api_key: None,
            powerdns_server_id: "localhost".to_owned(),
            powerdns_zone_kind: PowerDnsZoneKind::Native,
            powerdns_dns_server: None,
            rfc2136_server: None,
            rfc2136_tsig_key: None,
            dnssec: false,
            dnssec_rollover_margin_seconds: 3600,
            metrics_allow: vec!["127.0.0.0/8".to_owned(), "::1".to_owned()],
            metrics_token: None,
            log_format: LogFormat::Text,
            origins: Origins::default(),
            demo_forward_zones: false,
        }
    }
}

/// Where published PTRs go (`publish`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PublishMode {
    /// ptrdesk's own DNS answers them (and secondaries transfer them).
    #[default]
    Embedded,
    /// Pushed into PowerDNS over its HTTP API.
    PowerDns,
    /// Sent to a primary as RFC 2136 dynamic updates.
    Rfc2136,
}

/// The kind of the zones ptrdesk creates in PowerDNS (`powerdns_zone_kind`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum PowerDnsZoneKind {
    /// Replicated by PowerDNS' database.
    #[default]
    Native,
    /// PowerDNS is primary: it notifies and serves transfers.
    Master,
}

impl PowerDnsZoneKind {
    /// As the API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            PowerDnsZoneKind::Native => "Native",
            PowerDnsZoneKind::Master => "Master",
        }
    }
}

/// How log lines are written (`log_format`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One human-readable line per event.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Where one setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Nobody set it.
    Default,
    /// The configuration file.
    File(String),
    /// An environment variable (its name).
    Environment(String),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Default => write!(f, "built-in default"),
            Origin::File(path) => write!(f, "configuration file {path}"),
            Origin::Environment(name) => write!(f, "environment variable {name}"),
        }
    }
}

/// The origin of every setting that was set, by setting name; and the file read, if any.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// The configuration file read.
    pub file: Option<String>,
    set: HashMap<String, Origin>,
}

impl Origins {
    /// Where setting `name` came from.
    pub fn of(&self, name: &str) -> Origin {
        self.set.get(name).cloned().unwrap_or(Origin::Default)
    }
}

/// Why the settings cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    // `reason` is not a `source`: the message says it once (as the source it would be
    // printed a second time in the error chain).
    #[error("cannot read the configuration file {path}: {reason}")]
    Read {
        /// Which file.
        path: String,
        /// Why.
        reason: std::io::Error,
    },
    /// The file or an environment variable does not fit the settings.
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl Settings {
    /// Defaults, overridden by `file` (if given), overridden by `PTRDESK_…` variables.
    pub fn load(file: Option<&Path>) -> Result<Settings, ConfigError> {
        Settings::load_from(file, std::env::vars())
    }

    /// Like [`Settings::load`], with `variables` standing for the environment (a test's
    /// settings then do not depend on the variables of the shell that runs it).
    pub fn load_from(
        file: Option<&Path>,
        variables: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, ConfigError> {
        let mut table = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|reason| ConfigError::Read {
                    path: path.display().to_string(),
                    reason,
                })?;
                text.parse::<toml::Table>()
                    .map_err(|err| ConfigError::Invalid(format!("{}: {err}", path.display())))?
            }
            None => toml::Table::new(),
        };
        let mut origins = Origins {
            file: file.map(|path| path.display().to_string()),
            set: HashMap::new(),
        };
        if let Some(path) = &origins.file {
            for key in table.keys() {
                origins.set.insert(key.clone(), Origin::File(path.clone()));
            }
        }
        if table.contains_key("powerdns_api_key") {
            return Err(ConfigError::Invalid(
                "powerdns_api_key cannot be set in the configuration file: it is a secret; set \
                 PTRDESK_POWERDNS_API_KEY in the environment"
                    .to_owned(),
            ));
        }
        if table.contains_key("oidc_client_secret") {
            return Err(ConfigError::Invalid(
                "oidc_client_secret cannot be set in the configuration file: it is a secret; set \
                 PTRDESK_OIDC_CLIENT_SECRET in the environment"
                    .to_owned(),
            ));
        }
        for (name, value) in variables {
            if let Some(key) = name.strip_prefix("PTRDESK_") {
                let value = match (value.as_str(), value.parse::<i64>()) {
                    ("true", _) => toml::Value::Boolean(true),
                    ("false", _) => toml::Value::Boolean(false),
                    (_, Ok(number))
                        if !matches!(
                            key,
                            "SESSION_KEY"
                                | "DNS_TSIG_KEY"
                                | "METRICS_TOKEN"
                                | "OIDC_CLIENT_SECRET"
                                | "POWERDNS_API_KEY"
                                | "RFC2136_TSIG_KEY"
                                | "SMTP_URL"
                        ) =>
                    {
                        toml::Value::Integer(number)
                    }
                    _ => toml::Value::String(value),
                };
                table.insert(key.to_ascii_lowercase(), value);
                origins
                    .set
                    .insert(key.to_ascii_lowercase(), Origin::Environment(name.clone()));
            }
        }
        let mut settings: Settings = table
            .try_into()
            .map_err(|err: toml::de::Error| ConfigError::Invalid(err.message().to_owned()))?;
        settings.origins = origins;
        Ok(settings)
    }

    /// The default-name patterns, checked.
    pub fn default_names(&self) -> Result<DefaultNames, ConfigError> {
        let invalid =
            |err: crate::domain::default_name::PatternError| ConfigError::Invalid(err.to_string());
        let v4 = DefaultNamePattern::parse(
            &self.default_name_v4,
            IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)),
        )
        .map_err(invalid)?;
        let v6 = match &self.default_name_v6 {
            Some(pattern) => Some(
                DefaultNamePattern::parse(
                    pattern,
                    IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)),
                )
                .map_err(invalid)?,
            ),
            None => None,
        };
        Ok(DefaultNames { v4, v6 })
    }

    /// The session key as bytes; an error when it is missing, too short or visibly not
    /// random (see [`weak_key_reason`]).
    pub fn session_key_bytes(&self) -> Result<Vec<u8>, ConfigError> {
        const HOW: &str = "generate one with `openssl rand -hex 64`";
        let key = self.session_key.as_ref().ok_or_else(|| {
            ConfigError::Invalid(format!(
                "session_key is not set (PTRDESK_SESSION_KEY); {HOW}"
            ))
        })?;
        let bytes = hex::decode(key.expose_secret().trim())
            .map_err(|_| ConfigError::Invalid(format!("session_key must be hex; {HOW}")))?;
        if bytes.len() < 64 {
            return Err(ConfigError::Invalid(format!(
                "session_key has {} bytes; at least 64 are needed; {HOW}",
                bytes.len()
            )));
        }
        if let Some(reason) = weak_key_reason(&bytes) {
            return Err(ConfigError::Invalid(format!(
                "session_key is not random ({reason}): anyone could guess it and forge a \
                 signed-in cookie; {HOW}"
            )));
        }
        Ok(bytes)
    }

    /// The locale of a reader who chose none and asks for nothing the panel speaks: an error
    /// naming the setting when either is unknown.
    pub fn default_locale(&self) -> Result<crate::i18n::Locale, ConfigError> {
        let language = crate::i18n::language(&self.default_language).ok_or_else(|| {
            let spoken: Vec<&str> = crate::i18n::languages()
                .iter()
                .map(|l| l.code.as_str())
                .collect();
            ConfigError::Invalid(format!(
                "default_language {:?} is not one the panel speaks ({})",
                self.default_language,
                spoken.join(", ")
            ))
        })?;
        let time_zone = crate::i18n::time_zone(&self.default_time_zone).ok_or_else(|| {
            ConfigError::Invalid(format!(
                "default_time_zone {:?} is not a time zone name such as UTC or Europe/Berlin",
                self.default_time_zone
            ))
        })?;
        Ok(crate::i18n::Locale {
            language,
            time_zone,
        })
    }

    /// `public_url` without its trailing slash; an error when it is not an http(s) URL.
    pub fn public_url(&self) -> Result<Option<String>, ConfigError> {
        let Some(url) = &self.public_url else {
            return Ok(None);
        };
        let url = url.trim().trim_end_matches('/');
        let host = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"));
        match host {
            Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', '@', ' ']) => {
                Ok(Some(url.to_owned()))
            }
            _ => Err(ConfigError::Invalid(format!(
                "public_url {url:?} is not a site address such as https://rdns.example.net"
            ))),
        }
    }
}

/// Why `key` cannot be random bytes, if it visibly cannot: the same byte throughout, a
/// pattern that repeats, a counting sequence, or too few different byte values. 64 random
/// bytes hold about 56 different values; fewer than 32 happens by chance with a probability
/// far below 2^-100, so no real key is refused.
pub fn weak_key_reason(key: &[u8]) -> Option<&'static str> {
    let mut seen = [false; 256];
    for byte in key {
        seen[usize::from(*byte)] = true;
    }
    let distinct = seen.iter().filter(|seen| **seen).count();
    if distinct == 1 {
        return Some("every byte is the same");
    }
    if (1..=key.len() / 2).any(|period| key[period..] == key[..key.len() - period]) {
        return Some("it repeats a shorter pattern");
    }
    let step = key[1].wrapping_sub(key[0]);
    if key
        .windows(2)
        .all(|pair| pair[1].wrapping_sub(pair[0]) == step)
    {
        return Some("its bytes count up or down");
    }
    if distinct < 32 {
        return Some("it has too few different byte values");
    }
    None
}

impl Settings {
    /// The reverse proxies whose `X-Forwarded-For` is believed.
    pub fn trusted_proxies(&self) -> Result<crate::client_address::AddressList, ConfigError> {
        crate::client_address::AddressList::parse(&self.trusted_proxies)
            .map_err(|err| ConfigError::Invalid(format!("trusted_proxies: {err}")))
    }

    /// The name servers the DNS checks ask: the configured ones, else those of
    /// `/etc/resolv.conf`; port 53 unless given.
    pub fn dns_server_addresses(&self) -> Result<Vec<SocketAddr>, ConfigError> {
        let configured: Vec<String> = if self.dns_servers.is_empty() {
            std::fs::read_to_string("/etc/resolv.conf")
                .unwrap_or_default()
                .lines()
                .filter_map(|line| line.trim().strip_prefix("nameserver"))
                .map(|rest| rest.trim().to_owned())
                .collect()
        } else {
            self.dns_servers.clone()
        };
        configured
            .iter()
            .map(|text| {
                text.parse::<SocketAddr>()
                    .or_else(|_| text.parse::<IpAddr>().map(|ip| SocketAddr::new(ip, 53)))
                    .map_err(|_| {
                        ConfigError::Invalid(format!("dns_servers: {text:?} is not an address"))
                    })
            })
            .collect()
    }
}

/// Name server addresses as configured: `IP` (port 53) or `IP:PORT`; `setting` names the
/// setting in the error.
pub fn server_addresses(setting: &str, texts: &[String]) -> Result<Vec<SocketAddr>, ConfigError> {
    texts
        .iter()
        .map(|text| {
            let text = text.trim();
            text.parse::<SocketAddr>()
                .or_else(|_| text.parse::<IpAddr>().map(|ip| SocketAddr::new(ip, 53)))
                .map_err(|_| ConfigError::Invalid(format!("{setting}: {text:?} is not an address")))
        })
        .collect()
}

/// Accepts a TOML list or, as environment variables must, one comma-separated string.
fn list_or_comma_separated<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListOrString {
        List(Vec<String>),
        Text(String),
    }
    Ok(match ListOrString::deserialize(deserializer)? {
        ListOrString::List(items) => items,
        ListOrString::Text(text) => text
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::weak_key_reason;

    #[test]
    fn the_oidc_client_secret_is_refused_in_the_configuration_file() {
        let dir = std::env::temp_dir().join(format!("ptrdesk-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a directory");
        let file = dir.join("ptrdesk.toml");
        std::fs::write(&file, "oidc_client_secret = \"s3cret\"\n").expect("the file");

        let loaded = super::Settings::load(Some(&file));

        let message = loaded.expect_err("refused").to_string();
        assert!(message.contains("PTRDESK_OIDC_CLIENT_SECRET"), "{message}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn random_keys_pass_the_session_key_check() {
        for _ in 0..1000 {
            let key = hex::decode(crate::token::random_token(64)).expect("hex");
            assert_eq!(weak_key_reason(&key), None);
        }
    }

    #[test]
    fn a_constant_repeating_or_counting_key_is_refused() {
        assert!(weak_key_reason(&[7; 64]).is_some());
        assert!(weak_key_reason(&[1, 2, 3, 4].repeat(16)).is_some());
        let counting: Vec<u8> = (0..64).map(|i| 200u8.wrapping_sub(i * 3)).collect();
        assert!(weak_key_reason(&counting).is_some());
    }
}

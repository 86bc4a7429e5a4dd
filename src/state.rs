//! The application's state: what every handler may use, assembled by [`crate::startup`]. Built
//! of the parts below the web layer only (database, engine, limits, sign-in), so that the
//! extractors of [`crate::auth`] and every route may use it without a cycle.

use crate::checks::Engine;
use crate::checks::policy::Policy;
use crate::db::Db;
use crate::db::sessions::SessionLimits;
use crate::dns::Publishing;
use crate::domain::DefaultNames;
use crate::observability::metrics_access::MetricsAccess;
use crate::oidc::Oidc;
use crate::rate_limit::live_check::LiveCheckLimits;
use std::sync::Arc;

/// What every handler may use: the database, the check engine, the default names.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The check engine every door uses.
    pub engine: Engine,
    /// The policy from configuration, before the admins' stored overrides.
    pub base_policy: Policy,
    /// What this node's DNS publishes, when it serves DNS: the assignment write paths then
    /// create the new zones' rows (the zones table lists what ptrdesk's DNS serves).
    pub publishing: Option<Arc<Publishing>>,
    /// The provider's default names.
    pub defaults: DefaultNames,
    /// The SMTP port `mail-banner` connects to.
    pub mail_port: u16,
    /// The API rate limit per customer.
    pub api_rate_limit: ApiRateLimit,
    /// What the Robot API does with a write that would only be pending.
    pub robot_pending: crate::domain::RobotPending,
    /// The live-check rate limits, counted in memory on this node.
    pub live_check_limits: LiveCheckLimits,
    /// The panel's configured public address (`public_url`), if any.
    pub public_url: Option<String>,
    /// Active API credentials one customer may hold at once.
    pub api_credentials_per_customer: i64,
    /// How long sessions last.
    pub session_limits: SessionLimits,
    /// Sign-in through the provider's OpenID Connect provider, when configured.
    pub oidc: Option<Arc<Oidc>>,
    /// Password sign-in for admins only (`oidc_only`).
    pub oidc_only: bool,
    /// Staff signing in with a password need a second factor.
    pub require_staff_2fa: bool,
    /// Where this node's DNS server listens, for `/healthz` to ask it; `None`: no DNS here.
    pub dns_listener: Option<std::net::SocketAddr>,
    /// This node's DNS zone store, for `/healthz` to say whether it is current.
    pub dns_store: Option<std::sync::Arc<crate::dns::store::ZoneStore>>,
    /// The help-desk search's in-memory host-name index ([`crate::search`]).
    pub search_index: Arc<crate::search::HostnameIndex>,
    /// Who may read `/metrics`.
    pub metrics_access: MetricsAccess,
    /// Where each setting came from (file, environment, default), for the policy page.
    pub setting_origins: crate::config::Origins,
    /// Signs and checks the unsubscribe links of notification mails.
    pub mail_links: crate::outbox::mail::LinkSigner,
    /// Whether notification mails are sent (`smtp_url` is set).
    pub mail_enabled: bool,
    /// Days after which a drift is raised on the review queue; 0: never.
    pub drift_review_days: i64,
    /// The language and time zone of a reader who chose none (`default_language`,
    /// `default_time_zone`).
    pub default_locale: crate::i18n::Locale,
    /// This node's cache of the customers' page data.
    pub page_cache: Arc<crate::panel::PageCache>,
}

/// The API rate limit, from configuration: counted per customer in the database.
#[derive(Debug, Clone, Copy)]
pub struct ApiRateLimit {
    /// Requests allowed per interval and customer.
    pub max_requests: i64,
    /// The interval in seconds.
    pub interval: i64,
}

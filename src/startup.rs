//! Assembles the web application: database, session middleware, routes; binds the listener
//! (port 0 picks a free port, which tests use) and reports the real port; with `dns_listen`,
//! also binds the authoritative DNS server (see [`crate::dns`]) and reports its address.

use crate::checks::Engine;
use crate::checks::policy::Policy;
use crate::config::Settings;
use crate::db::Db;
use crate::domain::DefaultNames;
use crate::error::AppError;
use crate::routes;
use crate::session::FORM_LIMIT;
use actix_session::SessionMiddleware;
use actix_session::storage::CookieSessionStore;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::DefaultHeaders;
use actix_web::{App, HttpServer, web};
use std::net::TcpListener;
use std::time::Duration;

/// What every handler may use: the database, the check engine, the default names.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The check engine every door uses.
    pub engine: Engine,
    /// The policy from configuration, before the admins' stored overrides.
    pub base_policy: Policy,
    /// The provider's default names.
    pub defaults: DefaultNames,
    /// The SMTP port `mail-banner` connects to.
    pub mail_port: u16,
    /// The API rate limit per credential.
    pub api_rate_limit: crate::routes::api::RateLimit,
}

/// A built, bound, not yet running panel.
pub struct Application {
    port: u16,
    server: Server,
    db: Db,
    engine: Engine,
    recheck_every: Duration,
    base_policy: Policy,
    dns: Option<Dns>,
}

/// The authoritative DNS server of a node: bound sockets and what it publishes.
struct Dns {
    listener: crate::dns::server::DnsListener,
    address: std::net::SocketAddr,
    publishing: std::sync::Arc<crate::dns::Publishing>,
}

impl Application {
    /// Connects and migrates the database, binds `settings.listen` and builds the server.
    pub async fn build(settings: &Settings) -> anyhow::Result<Application> {
        let db = Db::connect(&settings.database).await?;
        Self::build_with_db(settings, db).await
    }

    /// Like [`Application::build`] on an already connected database.
    pub async fn build_with_db(settings: &Settings, db: Db) -> anyhow::Result<Application> {
        let dns = match settings.dns_listen {
            Some(address) => Some(crate::dns::server::DnsListener::bind(address)?),
            None => None,
        };
        Self::build_with_dns(settings, db, dns).await
    }

    /// Like [`Application::build_with_db`] with the DNS sockets already bound, in place of
    /// `dns_listen`: the demo needs its DNS port before it builds the check engine that asks it.
    pub async fn build_with_dns(
        settings: &Settings,
        db: Db,
        dns: Option<crate::dns::server::DnsListener>,
    ) -> anyhow::Result<Application> {
        let key = Key::from(&settings.session_key_bytes()?);
        let engine = settings.engine()?;
        // The policy in force is the configured one with the admins' stored overrides.
        let base_policy = settings.policy()?;
        let stored = crate::db::policy::load(&db.pool).await?;
        engine.set_policy(base_policy.with_overrides(&stored));
        let state = web::Data::new(AppState {
            db: db.clone(),
            engine: engine.clone(),
            base_policy: base_policy.clone(),
            defaults: settings.default_names()?,
            mail_port: settings.mail_port,
            api_rate_limit: crate::routes::api::RateLimit {
                max_requests: settings.api_rate_limit as i64,
                interval: settings.api_rate_interval_seconds.max(1) as i64,
            },
        });
        let dns = match dns {
            Some(listener) => {
                let publishing = std::sync::Arc::new(settings.publishing()?);
                let address = listener.local_addr()?;
                Some(Dns {
                    listener,
                    address,
                    publishing,
                })
            }
            None => None,
        };
        let secure = settings.secure_cookies;
        let listener = TcpListener::bind(settings.listen)?;
        let port = listener.local_addr()?.port();
        let server = HttpServer::new(move || {
            let session = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
                .cookie_name("ptrdesk_session".to_owned())
                .cookie_secure(secure)
                .cookie_http_only(true)
                .cookie_same_site(SameSite::Lax)
                .build();
            let security_headers = DefaultHeaders::new()
                .add(("X-Content-Type-Options", "nosniff"))
                .add(("X-Frame-Options", "DENY"))
                .add(("Referrer-Policy", "same-origin"))
                .add((
                    "Content-Security-Policy",
                    "default-src 'self'; frame-ancestors 'none'",
                ));
            App::new()
                .wrap(session)
                .wrap(security_headers)
                .app_data(state.clone())
                .app_data(web::PayloadConfig::new(FORM_LIMIT))
                .configure(routes::configure)
                .default_service(web::to(|| async {
                    Err::<actix_web::HttpResponse, _>(AppError::NotFound)
                }))
        })
        .listen(listener)?
        .run();
        Ok(Application {
            port,
            server,
            db,
            engine,
            recheck_every: Duration::from_secs(settings.recheck_interval_seconds.max(1)),
            base_policy,
            dns,
        })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Where the authoritative DNS server listens (UDP and TCP), when `dns_listen` is set.
    pub fn dns_address(&self) -> Option<std::net::SocketAddr> {
        self.dns.as_ref().map(|dns| dns.address)
    }

    /// The database the panel runs on.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The check engine the panel uses.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Serves the panel (and DNS, when configured), and re-checks pending changes in the
    /// background, until the process is stopped.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let db = self.db.clone();
        let dns = async move {
            match self.dns {
                Some(dns) => dns.listener.serve(db, dns.publishing).await,
                None => std::future::pending().await,
            }
        };
        let policy = crate::jobs::refresh_policy(
            self.db.clone(),
            self.engine.clone(),
            self.base_policy.clone(),
            self.recheck_every,
        );
        let rechecks = crate::jobs::run_rechecks(self.db, self.engine, self.recheck_every);
        tokio::select! {
            served = self.server => served,
            () = rechecks => Ok(()),
            () = policy => Ok(()),
            served = dns => served,
        }
    }
}

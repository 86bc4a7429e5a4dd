//! Assembles the web application: database, session middleware, routes; binds the listener
//! (port 0 picks a free port, which tests use) and reports the real port; with `dns_listen`,
//! also binds the authoritative DNS server (see [`crate::dns`]) and reports its address.

use crate::checks::Engine;
use crate::checks::policy::Policy;
use crate::client_address::TrustedProxies;
use crate::config::Settings;
use crate::db::Db;
use crate::db::sessions::SessionLimits;
use crate::dns::Publishing;
use crate::error::AppError;
use crate::observability::metrics_access::MetricsAccess;
use crate::oidc::OidcSettings;
use crate::rate_limit::live_check::LiveCheckLimits;
use crate::routes;
use crate::session::FORM_LIMIT;
use crate::session::store::DbSessionStore;
use crate::shutdown::Shutdown;
use crate::state::{ApiRateLimit, AppState};
use actix_session::SessionMiddleware;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::DefaultHeaders;
use actix_web::{App, HttpServer, web};
use std::net::TcpListener;
use std::time::Duration;

/// A built, bound, not yet running panel.
pub struct Application {
    port: u16,
    server: Server,
    db: Db,
    engine: Engine,
    intervals: crate::jobs::Intervals,
    base_policy: Policy,
    session_limits: SessionLimits,
    dns: Option<Dns>,
    receivers: crate::outbox::Receivers,
    shutdown_grace: Duration,
    mailer: Option<crate::outbox::mail::Mailer>,
    search_index: std::sync::Arc<crate::search::HostnameIndex>,
}

/// The authoritative DNS server of a node: bound sockets and what it publishes.
struct Dns {
    listener: crate::dns::server::DnsListener,
    address: std::net::SocketAddr,
    publishing: std::sync::Arc<crate::dns::Publishing>,
    store: std::sync::Arc<crate::dns::store::ZoneStore>,
}

/// Where this node's outbox sends DNS effects: NOTIFY to the secondaries (a node serving
/// DNS), pushes to the publishing backend (`publish`); their targets are stored for the
/// database's triggers and the write path ([`crate::db::outbox::set_targets`]).
async fn outbox_receivers(
    settings: &Settings,
    db: &Db,
    publishing: Option<&std::sync::Arc<Publishing>>,
) -> anyhow::Result<crate::outbox::Receivers> {
    use crate::db::outbox::{Kind, Target};
    let backend = crate::dns::backend::Backend::from_settings(settings)?;
    // Only a node that serves DNS sends NOTIFY (and says whom to).
    let serves_dns = publishing.is_some();
    let publishing = match (publishing, &backend) {
        (Some(publishing), _) => Some(std::sync::Arc::clone(publishing)),
        (None, Some(_)) => Some(std::sync::Arc::new(Publishing::from_settings(settings)?)),
        (None, None) => None,
    };
    let mut targets: Vec<Target> = backend.iter().map(|backend| backend.target()).collect();
    let mut kinds = vec![Kind::PowerDns, Kind::Rfc2136];
    if let Some(publishing) = publishing.as_ref().filter(|_| serves_dns) {
        kinds.extend([Kind::Notify, Kind::Catalog]);
        targets.extend(publishing.secondaries.iter().map(|secondary| Target {
            kind: Kind::Notify,
            target: secondary.to_string(),
        }));
        if let Some(catalog) = &publishing.catalog {
            let name = catalog.to_ascii();
            targets.push(Target {
                kind: Kind::Catalog,
                target: name.trim_end_matches('.').to_owned(),
            });
        }
    }
    let added =
        crate::db::outbox::set_targets(&db.pool, &kinds, &targets, crate::clock::now()).await?;
    for target in added.iter().filter(|target| target.kind.is_push()) {
        tracing::info!(backend = %target.target, "a new publishing backend: every assignment is pushed to it");
    }
    Ok(crate::outbox::Receivers {
        publishing,
        backend,
        notify_deadline: Duration::from_secs(settings.dns_notify_deadline_seconds.max(1)),
        serves_dns,
    })
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
            Some(address) => Some(crate::dns::server::DnsListener::bind(address).map_err(
                |err| anyhow::anyhow!("cannot listen for DNS on {address} (dns_listen): {err:#}"),
            )?),
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
        let mail_links = crate::outbox::mail::LinkSigner::new(&settings.session_key_bytes()?);
        let engine = Engine::from_settings(settings)?;
        let session_limits = SessionLimits::new(
            settings.session_idle_minutes,
            settings.session_lifetime_hours,
        );
        // Only a node that serves DNS publishes (and creates zone rows on its writes).
        let publishing = match dns {
            Some(_) => Some(std::sync::Arc::new(Publishing::from_settings(settings)?)),
            None => None,
        };
        let receivers = outbox_receivers(settings, &db, publishing.as_ref()).await?;
        let trusted_proxies = web::Data::new(TrustedProxies(settings.trusted_proxies()?));
        // The policy in force is the configured one with the admins' stored overrides.
        let base_policy = Policy::from_settings(settings)?;
        let stored = crate::db::policy::load(&db.pool).await?;
        engine.set_policy(base_policy.with_overrides(&stored));
        let dns_listener = match &dns {
            Some(listener) => Some(listener.local_addr()?),
            None => None,
        };
        // What this node's DNS serves, in memory; it follows this node's commits from here on.
        let dns_store = match &dns {
            Some(_) => Some(crate::dns::store::ZoneStore::load(&db).await?),
            None => None,
        };
        // Loaded and kept current in the background ([`Application::run_until`]).
        let search_index = crate::search::HostnameIndex::new(&db);
        let state = web::Data::new(AppState {
            db: db.clone(),
            engine: engine.clone(),
            base_policy: base_policy.clone(),
            publishing: publishing.clone(),
            defaults: settings.default_names()?,
            mail_port: settings.mail_port,
            api_rate_limit: ApiRateLimit {
                max_requests: settings.api_rate_limit as i64,
                interval: settings.api_rate_interval_seconds.max(1) as i64,
            },
            robot_pending: settings.robot_pending,
            live_check_limits: LiveCheckLimits::new(settings),
            public_url: settings.public_url()?,
            default_locale: settings.default_locale()?,
            api_credentials_per_customer: settings.api_credentials_per_customer as i64,
            session_limits,
            oidc: match OidcSettings::from_settings(settings)? {
                Some(oidc) => Some(std::sync::Arc::new(crate::oidc::Oidc::new(oidc)?)),
                None => None,
            },
            oidc_only: settings.oidc_only,
            require_staff_2fa: settings.require_staff_2fa,
            dns_listener,
            dns_store: dns_store.clone(),
            search_index: search_index.clone(),
            metrics_access: MetricsAccess::from_settings(settings)?,
            setting_origins: settings.origins.clone(),
            mail_links: mail_links.clone(),
            mail_enabled: settings.smtp_url.is_some(),
            drift_review_days: i64::try_from(settings.drift_review_days).unwrap_or(0),
            page_cache: std::sync::Arc::new(crate::panel::PageCache::new()),
        });
        let dns = match (dns, &publishing, dns_store) {
            (Some(listener), Some(publishing), Some(store)) => Some(Dns {
                address: listener.local_addr()?,
                listener,
                publishing: std::sync::Arc::clone(publishing),
                store,
            }),
            _ => None,
        };
        let secure = settings.secure_cookies;
        let session_store = DbSessionStore::new(db.clone(), session_limits);
        let listener = TcpListener::bind(settings.listen).map_err(|err| {
            anyhow::anyhow!(
                "cannot listen for HTTP on {} (listen): {err}",
                settings.listen
            )
        })?;
        let port = listener.local_addr()?.port();
        // Links in mails lead to `public_url`, else to where this node listens.
        let mail_base = match settings.public_url()? {
            Some(url) => url,
            None => format!("http://{}", listener.local_addr()?),
        };
        let mailer = crate::outbox::mail::Mailer::new(
            settings.smtp_url.as_ref(),
            settings.smtp_ca_file.as_deref(),
            settings.mail_from.as_deref(),
            mail_base,
            mail_links,
            Duration::from_secs(settings.review_digest_seconds.max(1)),
            settings.default_locale()?,
        )?;
        let server = HttpServer::new(move || {
            let session = SessionMiddleware::builder(session_store.clone(), key.clone())
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
                .wrap(security_headers)
                // Outermost: the request id and the log line cover every response.
                .wrap(actix_web::middleware::from_fn(
                    crate::observability::request_log::request_log,
                ))
                // The reader's language for everything answered inside (error pages included).
                .wrap(actix_web::middleware::from_fn(routes::locale::choose))
                // Innermost, before routing: Robot paths written another way made canonical.
                .wrap(actix_web::middleware::from_fn(
                    routes::api::robot::paths::normalize,
                ))
                .app_data(state.clone())
                .app_data(trusted_proxies.clone())
                .app_data(web::PayloadConfig::new(FORM_LIMIT))
                .configure(|config| routes::configure(config, session))
                .default_service(web::to(|| async {
                    Err::<actix_web::HttpResponse, _>(AppError::NotFound)
                }))
        })
        // Stopping is `run_until`'s: it orders the web server's stop with the jobs' and DNS's.
        .disable_signals()
        .shutdown_timeout(settings.shutdown_grace_seconds)
        .listen(listener)?
        .run();
        Ok(Application {
            port,
            server,
            db,
            engine,
            intervals: crate::jobs::Intervals {
                recheck: Duration::from_secs(settings.recheck_interval_seconds.max(1)),
                outbox: Duration::from_millis(settings.outbox_poll_ms.max(10)),
                outbox_retry: Duration::from_secs(settings.outbox_retry_seconds.max(1)),
                reverify: (settings.reverify_period_seconds > 0).then(|| crate::reverify::Pace {
                    period: Duration::from_secs(settings.reverify_period_seconds),
                    questions_per_second: settings.reverify_questions_per_second.max(1) as f64,
                }),
            },
            base_policy,
            session_limits,
            dns,
            receivers,
            shutdown_grace: Duration::from_secs(settings.shutdown_grace_seconds),
            mailer,
            search_index,
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

    /// Serves the panel (and DNS, when configured) and runs the background jobs until SIGTERM
    /// or SIGINT, then stops gracefully (see [`Application::run_until`]).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(stop_signal()).await
    }

    /// Serves the panel (and DNS, when configured) and runs the background jobs until `stop`
    /// completes, then stops in order: the web server takes no new connection and finishes
    /// the requests in flight while the jobs stop at their next safe point; then the DNS
    /// listener stops (a check still in flight may ask it), and the database pool closes (on
    /// SQLite this checkpoints the WAL). What still runs after `shutdown_grace_seconds` is
    /// dropped. Should one part end by itself (a listener failing), the others are stopped
    /// the same way and its error is returned.
    pub async fn run_until(self, stop: impl Future<Output = ()>) -> std::io::Result<()> {
        let Application {
            mut server,
            db,
            engine,
            intervals,
            base_policy,
            session_limits,
            dns,
            receivers,
            shutdown_grace,
            mailer,
            search_index,
            ..
        } = self;
        let web = server.handle();
        let (stop_jobs, jobs_shutdown) = Shutdown::channel();
        let (stop_dns, dns_shutdown) = Shutdown::channel();
        let publishing = dns
            .as_ref()
            .map(|dns| std::sync::Arc::clone(&dns.publishing));
        let index_shutdown = jobs_shutdown.clone();
        let jobs_db = db.clone();
        let mut jobs = Box::pin(async move {
            tokio::join!(
                crate::jobs::run_all(
                    jobs_db,
                    engine,
                    base_policy,
                    intervals,
                    session_limits,
                    publishing,
                    receivers,
                    mailer,
                    jobs_shutdown,
                ),
                search_index.follow(index_shutdown),
            );
        });
        let mut listener = Box::pin(async move {
            match dns {
                Some(dns) => {
                    let serving = dns.listener.serve(dns.store, dns.publishing, dns_shutdown);
                    serving.await
                }
                None => {
                    dns_shutdown.requested().await;
                    Ok(())
                }
            }
        });

        let (mut web_result, mut dns_result, mut jobs_ended) = (None, None, false);
        tokio::select! {
            () = stop => {}
            served = &mut server => web_result = Some(served),
            served = &mut listener => dns_result = Some(served),
            () = &mut jobs => jobs_ended = true,
        }
        let ended_by_itself = if web_result.is_some() {
            Some("the web server")
        } else if dns_result.is_some() {
            Some("the DNS listener")
        } else {
            jobs_ended.then_some("the background jobs")
        };
        if let Some(part) = ended_by_itself {
            tracing::error!(part, "ended by itself; stopping the rest");
        }
        tracing::info!(
            grace_seconds = shutdown_grace.as_secs(),
            "shutting down: no new connections; finishing the requests in flight"
        );
        stop_jobs.send();
        let web_then_dns = async {
            let web_result = match web_result {
                Some(served) => served,
                None => {
                    // The stop command is sent at once; the server future carries it out.
                    drop(web.stop(true));
                    (&mut server).await
                }
            };
            stop_dns.send();
            let dns_result = match dns_result {
                Some(served) => served,
                None => (&mut listener).await,
            };
            web_result.and(dns_result)
        };
        let jobs_stopped = async {
            if !jobs_ended {
                (&mut jobs).await;
            }
        };
        // actix gives the requests in flight `shutdown_grace` itself; a little more here lets
        // it end them before this drops everything.
        let everything = async { tokio::join!(web_then_dns, jobs_stopped).0 };
        let result = match tokio::time::timeout(shutdown_grace + SHUTDOWN_SLACK, everything).await {
            Ok(result) => result,
            Err(_) => {
                tracing::warn!(
                    "the grace period ended before everything stopped; dropping the rest"
                );
                Ok(())
            }
        };
        // Whatever still runs lets go of its connections before the pool closes.
        drop((jobs, listener, server));
        if tokio::time::timeout(SHUTDOWN_SLACK, db.close())
            .await
            .is_err()
        {
            tracing::warn!("a database connection was not given back; not waiting for it");
        }
        if let Err(err) = &result {
            tracing::error!(error = %err, "stopped after an error");
        } else {
            tracing::info!("stopped");
        }
        result
    }
}

/// What `run_until` allows beyond the grace period for the last steps (the web server's own
/// forced stop, closing the database).
const SHUTDOWN_SLACK: Duration = Duration::from_secs(2);

/// Completes on SIGTERM or SIGINT (Ctrl-C).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(mut terminate), Ok(mut interrupt)) => {
                let name = tokio::select! {
                    _ = terminate.recv() => "SIGTERM",
                    _ = interrupt.recv() => "SIGINT",
                };
                tracing::info!(signal = name, "signal received");
            }
            (Err(err), _) | (_, Err(err)) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM and SIGINT; only SIGKILL stops ptrdesk");
                std::future::pending::<()>().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        tracing::info!("Ctrl-C received");
    }
}

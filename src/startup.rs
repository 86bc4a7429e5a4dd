//! Assembles the web application: database, session middleware, routes; binds the listener
//! (port 0 picks a free port, which tests use) and reports the real port.

use crate::config::Settings;
use crate::db::Db;
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

/// A built, bound, not yet running panel.
pub struct Application {
    port: u16,
    server: Server,
    db: Db,
}

impl Application {
    /// Connects and migrates the database, binds `settings.listen` and builds the server.
    pub async fn build(settings: &Settings) -> anyhow::Result<Application> {
        let db = Db::connect(&settings.database).await?;
        Self::build_with_db(settings, db)
    }

    /// Like [`Application::build`] on an already connected database.
    pub fn build_with_db(settings: &Settings, db: Db) -> anyhow::Result<Application> {
        let key = Key::from(&settings.session_key_bytes()?);
        let defaults = web::Data::new(settings.default_names()?);
        let secure = settings.secure_cookies;
        let listener = TcpListener::bind(settings.listen)?;
        let port = listener.local_addr()?.port();
        let db_data = web::Data::new(db.clone());
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
                .app_data(db_data.clone())
                .app_data(defaults.clone())
                .app_data(web::PayloadConfig::new(FORM_LIMIT))
                .configure(routes::configure)
                .default_service(web::to(|| async {
                    Err::<actix_web::HttpResponse, _>(AppError::NotFound)
                }))
        })
        .listen(listener)?
        .run();
        Ok(Application { port, server, db })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The database the panel runs on.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Serves until the process is stopped.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

//! A real OpenID Connect provider for the tests: PyPI's `oidc-provider-mock` (Authlib: RS256
//! ID tokens, JWKS, discovery), started on loopback, behind a relay that the test can make
//! misbehave like an attacker in the middle (a tampered ID token, another nonce, a slow
//! token answer). `scripts/test.sh` installs the provider into `.test-tools/oidc`;
//! `OIDC_PROVIDER_MOCK` may name another copy of its executable.

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine as _;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the relay changes what passes through it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tamper {
    /// Passes everything as it is.
    Nothing,
    /// Changes the `sub` in the ID token of the token answer (its signature no longer fits).
    IdTokenSubject,
    /// Replaces the `nonce` of the authorization request (the token then carries another one).
    Nonce,
    /// Holds the token answer back for 1.5 s (with tokens that live 1 s: an expired one).
    SlowTokenAnswer,
}

/// The provider and its relay; both stop when this is dropped.
pub struct OidcProvider {
    /// The issuer ptrdesk is configured with (the relay's address).
    pub issuer: String,
    mock: String,
    process: Child,
    relay: actix_web::dev::ServerHandle,
    tamper: Arc<Mutex<Tamper>>,
    client: reqwest::Client,
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
        drop(self.relay.stop(false));
    }
}

fn executable() -> String {
    std::env::var("OIDC_PROVIDER_MOCK").unwrap_or_else(|_| {
        format!(
            "{}/.test-tools/oidc/bin/oidc-provider-mock",
            env!("CARGO_MANIFEST_DIR")
        )
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

#[derive(Clone)]
struct Relay {
    mock: String,
    host: Arc<Mutex<String>>,
    tamper: Arc<Mutex<Tamper>>,
    client: reqwest::Client,
}

/// `sub` of a compact JWT's payload replaced, the signature left as it was.
fn with_other_subject(jwt: &str) -> String {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let parts: Vec<&str> = jwt.split('.').collect();
    let payload = engine.decode(parts[1]).expect("a base64url payload");
    let mut claims: serde_json::Value = serde_json::from_slice(&payload).expect("JSON claims");
    claims["sub"] = serde_json::json!("someone-else");
    let payload = engine.encode(serde_json::to_vec(&claims).expect("JSON"));
    format!("{}.{payload}.{}", parts[0], parts[2])
}

async fn relay(req: HttpRequest, body: web::Bytes, relay: web::Data<Relay>) -> HttpResponse {
    let tamper = *relay.tamper.lock().expect("the tamper lock");
    let mut path = req.uri().to_string();
    if tamper == Tamper::Nonce && path.starts_with("/oauth2/authorize") {
        let url = url::Url::parse(&format!("http://relay{path}")).expect("a URL");
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(key, value)| {
                let value = if key == "nonce" {
                    "a-nonce-ptrdesk-never-sent".to_owned()
                } else {
                    value.into_owned()
                };
                (key.into_owned(), value)
            })
            .collect();
        let query = serde_urlencoded::to_string(pairs).expect("a query");
        path = format!("{}?{query}", url.path());
    }
    let host = relay.host.lock().expect("the host lock").clone();
    let method = reqwest::Method::from_bytes(req.method().as_str().as_bytes()).expect("a method");
    let mut forwarded = relay
        .client
        .request(method, format!("{}{path}", relay.mock))
        .header("host", host);
    for (name, value) in req.headers() {
        if name != "host" && name != "content-length" {
            forwarded = forwarded.header(name.as_str(), value.as_bytes());
        }
    }
    let Ok(answer) = forwarded.body(body.to_vec()).send().await else {
        // Not up yet (or stopped): what a browser would see of it.
        return HttpResponse::BadGateway().finish();
    };
    let status = actix_web::http::StatusCode::from_u16(answer.status().as_u16()).expect("a status");
    let mut response = HttpResponse::build(status);
    for (name, value) in answer.headers() {
        if name != "content-length" && name != "transfer-encoding" {
            response.insert_header((name.as_str(), value.as_bytes()));
        }
    }
    let mut bytes = answer.bytes().await.expect("a body").to_vec();
    if path.starts_with("/oauth2/token") {
        match tamper {
            Tamper::IdTokenSubject => {
                let mut tokens: serde_json::Value =
                    serde_json::from_slice(&bytes).expect("a JSON token answer");
                let jwt = tokens["id_token"].as_str().expect("an ID token").to_owned();
                tokens["id_token"] = serde_json::json!(with_other_subject(&jwt));
                bytes = serde_json::to_vec(&tokens).expect("JSON");
            }
            Tamper::SlowTokenAnswer => tokio::time::sleep(Duration::from_millis(1500)).await,
            Tamper::Nothing | Tamper::Nonce => {}
        }
    }
    response.body(bytes)
}

impl OidcProvider {
    /// A provider whose tokens live an hour.
    pub async fn start() -> OidcProvider {
        Self::start_with_token_age(None).await
    }

    /// A provider whose tokens live `seconds` (`None`: its default, an hour).
    pub async fn start_with_token_age(seconds: Option<u32>) -> OidcProvider {
        let executable = executable();
        let port = free_port();
        let mut command = Command::new(&executable);
        command
            .args(["-p", &port.to_string(), "-n", "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(seconds) = seconds {
            command.args(["-e", &seconds.to_string()]);
        }
        let process = command.spawn().unwrap_or_else(|err| {
            panic!(
                "the OpenID Connect provider {executable} starts ({err}); scripts/test.sh \
                 installs it (python3 -m venv .test-tools/oidc && .test-tools/oidc/bin/pip \
                 install oidc-provider-mock==0.3.4)"
            )
        });
        let mock = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        let tamper = Arc::new(Mutex::new(Tamper::Nothing));
        let state = Relay {
            mock: mock.clone(),
            host: Arc::new(Mutex::new(String::new())),
            tamper: Arc::clone(&tamper),
            client: client.clone(),
        };
        let host = Arc::clone(&state.host);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(web::Data::new(state.clone()))
                .default_service(web::to(relay))
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .expect("the relay binds");
        let address = server.addrs()[0];
        *host.lock().expect("the host lock") = address.to_string();
        let server = server.run();
        let relay = server.handle();
        tokio::spawn(server);
        let provider = OidcProvider {
            issuer: format!("http://{address}"),
            mock,
            process,
            relay,
            tamper,
            client,
        };
        provider.wait_until_it_answers().await;
        provider
    }

    /// Waits (polling every 50 ms, at most 15 s) until the discovery document answers.
    async fn wait_until_it_answers(&self) {
        let url = format!("{}/.well-known/openid-configuration", self.issuer);
        for _ in 0..300 {
            if let Ok(reply) = self.client.get(&url).send().await
                && reply.status().is_success()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the OpenID Connect provider did not answer {url} within 15 s");
    }

    /// Makes the relay change what passes from now on.
    pub fn tamper(&self, how: Tamper) {
        *self.tamper.lock().expect("the tamper lock") = how;
    }

    /// Gives the user `sub` these claims (a JSON object) at the provider.
    pub async fn set_user(&self, sub: &str, claims: serde_json::Value) {
        let reply = self
            .client
            .put(format!("{}/users/{sub}", self.mock))
            .header("content-type", "application/json")
            .body(claims.to_string())
            .send()
            .await
            .expect("the provider answers");
        assert!(reply.status().is_success(), "the user {sub} is set");
    }

    /// Signs in `sub` on the provider's authorization page at `authorize_url` (where ptrdesk
    /// sent the browser) and returns where the provider sends the browser back.
    pub async fn authorize(&self, authorize_url: &str, sub: &str) -> String {
        let reply = self
            .client
            .post(authorize_url)
            .form(&[("sub", sub)])
            .send()
            .await
            .expect("the provider answers");
        assert!(
            reply.status().is_redirection(),
            "the provider sends the browser back: {}",
            reply.status()
        );
        reply
            .headers()
            .get("location")
            .and_then(|value| value.to_str().ok())
            .expect("a Location header")
            .to_owned()
    }
}

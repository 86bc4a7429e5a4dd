//! One person's browser: a cookie-keeping HTTP client that does not follow redirects, with
//! the forms of the panel as methods.

use super::page::Page;
use reqwest::StatusCode;
use reqwest::header::{LOCATION, SET_COOKIE};
use std::net::IpAddr;
use std::sync::Mutex;

/// What came back for one request.
#[derive(Debug)]
pub struct Reply {
    /// The status code.
    pub status: StatusCode,
    /// The `Location` header, for redirects.
    pub location: Option<String>,
    /// Every `Set-Cookie` header.
    pub set_cookies: Vec<String>,
    /// The body as text.
    pub body: String,
}

impl Reply {
    async fn read(response: reqwest::Response) -> Reply {
        let status = response.status();
        let headers = response.headers();
        let location = headers
            .get(LOCATION)
            .map(|value| value.to_str().expect("an ASCII location").to_owned());
        let set_cookies = headers
            .get_all(SET_COOKIE)
            .iter()
            .map(|value| value.to_str().expect("an ASCII cookie").to_owned())
            .collect();
        let body = response.text().await.expect("a text body");
        Reply {
            status,
            location,
            set_cookies,
            body,
        }
    }

    /// The body as a page.
    pub fn page(&self) -> Page {
        Page::new(&self.body)
    }

    /// The `Set-Cookie` header of the session cookie, if this reply set it.
    pub fn session_cookie(&self) -> Option<&str> {
        self.set_cookies
            .iter()
            .find(|cookie| cookie.starts_with("ptrdesk_session="))
            .map(String::as_str)
    }
}

/// One person's browser: keeps cookies, does not follow redirects.
pub struct TestUser {
    client: reqwest::Client,
    base: String,
    csrf: Mutex<Option<String>>,
}

impl TestUser {
    pub(super) fn new(base: &str, source: Option<IpAddr>) -> TestUser {
        Self::with_headers(base, source, reqwest::header::HeaderMap::new())
    }

    /// A browser whose every request carries `headers` (e.g. a proxy's `X-Forwarded-For`).
    pub(super) fn with_headers(
        base: &str,
        source: Option<IpAddr>,
        headers: reqwest::header::HeaderMap,
    ) -> TestUser {
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .local_address(source)
            .build()
            .expect("an HTTP client");
        TestUser {
            client,
            base: base.to_owned(),
            csrf: Mutex::new(None),
        }
    }

    /// A client that sends exactly `cookie` (`name=value`) with every request and keeps no
    /// cookie it is given: someone replaying a copied session cookie.
    pub(super) fn replaying(base: &str, cookie: &str) -> TestUser {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::COOKIE,
            cookie.parse().expect("a cookie header value"),
        );
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        TestUser {
            client,
            base: base.to_owned(),
            csrf: Mutex::new(None),
        }
    }

    /// The same browser (same cookies, same session) talking to another node at `base`.
    pub fn towards(&self, base: &str) -> TestUser {
        TestUser {
            client: self.client.clone(),
            base: base.to_owned(),
            csrf: Mutex::new(self.csrf.lock().expect("the csrf lock").clone()),
        }
    }

    fn remember_csrf(&self, reply: &Reply) {
        if let Some(token) = reply.page().csrf() {
            *self.csrf.lock().expect("the csrf lock") = Some(token);
        }
    }

    fn forget_csrf(&self) {
        *self.csrf.lock().expect("the csrf lock") = None;
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Reply {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("the panel answers");
        let reply = Reply::read(response).await;
        self.remember_csrf(&reply);
        reply
    }

    /// The CSRF token of this browser's session, from the last page that had one, else from
    /// `/ips` or, when not signed in, `/login`.
    pub async fn csrf(&self) -> String {
        if let Some(token) = self.csrf.lock().expect("the csrf lock").clone() {
            return token;
        }
        for path in ["/ips", "/login"] {
            if let Some(token) = self.get(path).await.page().csrf() {
                return token;
            }
        }
        panic!("no page offers a CSRF token");
    }

    /// Submits a form with exactly `fields` (no CSRF token added).
    pub async fn post_exactly(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .form(fields)
            .send()
            .await
            .expect("the panel answers");
        Reply::read(response).await
    }

    /// Submits a form with `fields` and the session's CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let csrf = self.csrf().await;
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_exactly(path, &all).await
    }

    /// Submits a raw `application/x-www-form-urlencoded` body.
    pub async fn post_raw(&self, path: &str, body: String) -> Reply {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("the panel answers");
        Reply::read(response).await
    }

    /// Fills in and submits the sign-in form.
    pub async fn login(&self, username: &str, password: &str) -> Reply {
        let reply = self
            .post_form("/login", &[("username", username), ("password", password)])
            .await;
        // A new session comes with a new token.
        self.forget_csrf();
        reply
    }

    /// Chooses `language` (`de`) in the header's language menu, as the user's own choice.
    pub async fn choose_language(&self, language: &str) {
        let chosen = self
            .post_form("/account/language", &[("language", language)])
            .await;
        assert_eq!(chosen.status, StatusCode::SEE_OTHER, "{}", chosen.body);
    }

    /// Signs out with the form in the page header.
    pub async fn logout(&self) -> Reply {
        let reply = self.post_form("/logout", &[]).await;
        self.forget_csrf();
        reply
    }

    /// The version the PTR form of `ip` carries, as the page shows it now.
    pub async fn version_of(&self, ip: &str) -> String {
        let page = self.get(&format!("/ips?ip={ip}")).await.page();
        page.row(ip)
            .unwrap_or_else(|| panic!("the page has a PTR field for {ip}"))
            .value("version")
            .expect("the PTR form carries a version")
    }

    /// Types `hostname` into the field of `ip` and presses Save.
    pub async fn save(&self, ip: &str, hostname: &str) -> Reply {
        let version = self.version_of(ip).await;
        self.save_at(ip, hostname, &version).await
    }

    /// Presses Save on a form that was loaded when the entry was at `version`.
    pub async fn save_at(&self, ip: &str, hostname: &str, version: &str) -> Reply {
        let fields = [
            ("ip", ip),
            ("hostname", hostname),
            ("version", version),
            ("back", ""),
        ];
        self.post_form("/ptr/save", &fields).await
    }

    /// Presses "Reset to default" (or "Remove") beside `ip`.
    pub async fn reset(&self, ip: &str) -> Reply {
        let version = self.version_of(ip).await;
        let fields = [("ip", ip), ("version", version.as_str()), ("back", "")];
        self.post_form("/ptr/reset", &fields).await
    }

    /// Fills in the "add an entry" form of a subnet.
    pub async fn add(&self, assignment_id: i64, address: &str, hostname: &str) -> Reply {
        let assignment = assignment_id.to_string();
        let fields = [
            ("assignment", assignment.as_str()),
            ("address", address),
            ("hostname", hostname),
            ("back", ""),
        ];
        self.post_form("/ptr/add", &fields).await
    }
}

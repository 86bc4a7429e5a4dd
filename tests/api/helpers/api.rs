//! An API client as a script uses one: HTTP basic auth with a customer's API credential,
//! form-encoded bodies, JSON answers; and credentials made directly in the database.

use super::TestApp;
use ptrdesk::db;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::net::IpAddr;

/// A credential's user name and secret.
#[derive(Debug, Clone)]
pub struct ApiLogin {
    /// The basic-auth user name.
    pub username: String,
    /// The basic-auth password.
    pub secret: String,
}

/// What came back for one API request.
#[derive(Debug)]
pub struct ApiReply {
    /// The status code.
    pub status: StatusCode,
    /// The headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body as text.
    pub body: String,
}

impl ApiReply {
    /// The body as JSON; panics, showing the body, when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|err| panic!("a JSON body ({err}): {:?}", self.body))
    }

    /// The Robot error code of an error answer.
    pub fn error_code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("an error envelope: {}", self.body))
            .to_owned()
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|value| value.to_str().expect("an ASCII header").to_owned())
    }
}

/// One script's HTTP client: basic auth with one login, from one source address.
pub struct ApiClient {
    client: reqwest::Client,
    base: String,
    login: Option<ApiLogin>,
}

impl ApiClient {
    /// `METHOD path` with `form` as an `application/x-www-form-urlencoded` body (when given).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        form: Option<&[(&str, &str)]>,
    ) -> ApiReply {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(login) = &self.login {
            request = request.basic_auth(&login.username, Some(&login.secret));
        }
        if let Some(form) = form {
            request = request.form(form);
        }
        let response = request.send().await.expect("the API answers");
        ApiReply {
            status: response.status(),
            headers: response.headers().clone(),
            body: response.text().await.expect("a text body"),
        }
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> ApiReply {
        self.send(Method::GET, path, None).await
    }

    /// `PUT /rdns/{ip}` with `ptr=…`.
    pub async fn put_ptr(&self, ip: &str, ptr: &str) -> ApiReply {
        self.send(Method::PUT, &format!("/rdns/{ip}"), Some(&[("ptr", ptr)]))
            .await
    }

    /// `POST /rdns/{ip}` with `ptr=…`.
    pub async fn post_ptr(&self, ip: &str, ptr: &str) -> ApiReply {
        self.send(Method::POST, &format!("/rdns/{ip}"), Some(&[("ptr", ptr)]))
            .await
    }

    /// `DELETE /rdns/{ip}`.
    pub async fn delete_ptr(&self, ip: &str) -> ApiReply {
        self.send(Method::DELETE, &format!("/rdns/{ip}"), None)
            .await
    }

    /// A raw request, for bodies a form helper would not send.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let request = self.client.request(method, format!("{}{path}", self.base));
        match &self.login {
            Some(login) => request.basic_auth(&login.username, Some(&login.secret)),
            None => request,
        }
    }
}

impl TestApp {
    /// Makes an API credential for customer `number` in the database, as the page would.
    pub async fn api_login(&self, number: &str) -> ApiLogin {
        let customer_id = self.customer_id(number).await;
        let new = ptrdesk::credentials::generate(number);
        db::credentials::insert(
            &self.db.pool,
            customer_id,
            &new.username,
            &ptrdesk::credentials::hash_secret(&new.secret),
            "made by the test",
            None,
            ptrdesk::clock::now(),
        )
        .await
        .expect("the credential is stored");
        ApiLogin {
            username: new.username,
            secret: new.secret,
        }
    }

    /// A client using `login` (or none), from 127.0.0.1.
    pub fn api(&self, login: Option<&ApiLogin>) -> ApiClient {
        self.api_from(login, None)
    }

    /// A client using `login` (or none), from another loopback address.
    pub fn api_from(&self, login: Option<&ApiLogin>, source: Option<[u8; 4]>) -> ApiClient {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .local_address(source.map(IpAddr::from))
            .build()
            .expect("an HTTP client");
        ApiClient {
            client,
            base: self.address.clone(),
            login: login.cloned(),
        }
    }

    /// A client for customer `number` with a fresh credential.
    pub async fn api_client(&self, number: &str) -> ApiClient {
        let login = self.api_login(number).await;
        self.api(Some(&login))
    }
}

impl TestApp {
    /// Makes a staff API credential with `scope` (`inventory` or `read`), as an admin would.
    pub async fn staff_login(&self, scope: &str) -> ApiLogin {
        let scope = ptrdesk::domain::StaffScope::parse(scope).expect("a scope");
        let by = ptrdesk::admin::Acting {
            actor: ptrdesk::import::cli_actor(),
            door: ptrdesk::domain::Door::System,
        };
        let made = ptrdesk::admin::credentials::add(&self.db, &by, "provisioning", scope)
            .await
            .expect("the database answers")
            .expect("a good label");
        ApiLogin {
            username: made.username,
            secret: made.secret,
        }
    }
}

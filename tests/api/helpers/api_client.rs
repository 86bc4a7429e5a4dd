//! The native API (`/api/v1`) as a script calls it: JSON bodies and `If-Match`, on top of the
//! basic-auth [`ApiClient`] of `helpers::api`.

use super::api::{ApiClient, ApiReply};
use reqwest::Method;
use serde_json::{Value, json};

/// `METHOD /api/v1{path}` with an optional JSON body and extra headers.
pub async fn v1(
    client: &ApiClient,
    method: Method,
    path: &str,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> ApiReply {
    let mut request = client.request(method, &format!("/api/v1{path}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.expect("the API answers");
    ApiReply {
        status: response.status(),
        headers: response.headers().clone(),
        body: response.text().await.expect("a text body"),
    }
}

/// `GET /api/v1{path}`.
pub async fn get(client: &ApiClient, path: &str) -> ApiReply {
    v1(client, Method::GET, path, None, &[]).await
}

/// `POST /api/v1{path}` with a JSON body.
pub async fn post(client: &ApiClient, path: &str, body: &Value) -> ApiReply {
    v1(client, Method::POST, path, Some(body), &[]).await
}

fn if_match_header(if_match: Option<&str>) -> Vec<(&str, &str)> {
    if_match.map(|tag| ("If-Match", tag)).into_iter().collect()
}

/// `PUT /api/v1/ips/{ip}` with `{"ptr": ptr}`, and `If-Match` when given.
pub async fn set_ptr(client: &ApiClient, ip: &str, ptr: &str, if_match: Option<&str>) -> ApiReply {
    let body = json!({ "ptr": ptr });
    let path = format!("/ips/{ip}");
    v1(
        client,
        Method::PUT,
        &path,
        Some(&body),
        &if_match_header(if_match),
    )
    .await
}

/// `DELETE /api/v1/ips/{ip}`, with `If-Match` when given.
pub async fn reset_ptr(client: &ApiClient, ip: &str, if_match: Option<&str>) -> ApiReply {
    let path = format!("/ips/{ip}");
    v1(
        client,
        Method::DELETE,
        &path,
        None,
        &if_match_header(if_match),
    )
    .await
}

/// `POST /api/v1/bulk` with `changes` (`(ip, Some(name) | None)`) and the two options.
pub async fn bulk(
    client: &ApiClient,
    changes: &[(&str, Option<&str>)],
    dry_run: bool,
    atomic: bool,
) -> ApiReply {
    let changes: Vec<Value> = changes
        .iter()
        .map(|(ip, ptr)| json!({ "ip": ip, "ptr": ptr }))
        .collect();
    let body = json!({ "changes": changes, "dry_run": dry_run, "atomic": atomic });
    post(client, "/bulk", &body).await
}

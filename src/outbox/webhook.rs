//! One webhook delivery: the body `{"id", "event", "at", "customer", "ip", "hostname",
//! "state", "findings"}` (assignment events carry `network` and `server` instead of the PTR
//! fields), `POST`ed with `X-Ptrdesk-Signature: sha256=<hex HMAC-SHA256 of the body>`.

use crate::db::webhooks::Due;
use crate::domain::finding::Finding;
use crate::http_client::HttpClient;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::time::Duration;

/// How long a receiver may take to answer.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// The signature header's value for `body` signed with `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The JSON body of `delivery`.
pub fn body(delivery: &Due) -> Value {
    let at = time::OffsetDateTime::from_unix_timestamp(delivery.created_at)
        .ok()
        .and_then(|at| {
            at.format(&time::format_description::well_known::Rfc3339)
                .ok()
        });
    let findings: Vec<Finding> = delivery
        .findings
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    let mut body = json!({
        "id": format!("evt-{}", delivery.audit_id),
        "event": delivery.event,
        "at": at,
        "customer": delivery.customer,
    });
    if delivery.event.starts_with("assignment.") {
        // The audit row says "NETWORK on SERVER" (and the customer's number after a move).
        let value = delivery
            .new_value
            .as_deref()
            .or(delivery.old_value.as_deref());
        let (network, server) = value
            .and_then(|text| text.split_once(" on "))
            .map_or((value, None), |(network, server)| {
                (Some(network), server.split(" (").next())
            });
        body["network"] = json!(network);
        body["server"] = json!(server);
        if delivery.event == "assignment.moved" {
            body["from"] = json!(delivery.old_value);
        }
        return body;
    }
    let (hostname, state) = match delivery.action.as_str() {
        "ptr.set" => (delivery.new_value.clone(), "published"),
        "ptr.reset" => (None, "published"),
        "ptr.request.pending" => (delivery.new_value.clone(), "pending"),
        "ptr.request.rejected" => (delivery.new_value.clone(), "rejected"),
        "change.review-requested" => (delivery.requested_hostname.clone(), "in-review"),
        "change.approved" => (delivery.requested_hostname.clone(), "published"),
        _ => (delivery.requested_hostname.clone(), "denied"),
    };
    body["ip"] = json!(delivery.ip);
    body["hostname"] = json!(hostname);
    body["state"] = json!(state);
    body["findings"] = json!(findings);
    body
}

/// `POST`s `delivery` to its endpoint; the receiver's status, or why there was none.
pub async fn deliver(http: &HttpClient, delivery: &Due) -> Result<u16, String> {
    let body = serde_json::to_vec(&body(delivery)).map_err(|err| err.to_string())?;
    let request = http::Request::post(delivery.url.as_str())
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(http::header::USER_AGENT, "ptrdesk-webhooks")
        .header("X-Ptrdesk-Event", delivery.event.as_str())
        .header("X-Ptrdesk-Signature", signature(&delivery.secret, &body))
        .body(body)
        .map_err(|err| format!("{}: {err}", delivery.url))?;
    let response = crate::http_client::exchange(http, request, DEADLINE).await?;
    Ok(response.status().as_u16())
}

#[cfg(test)]
mod tests {
    use super::signature;

    #[test]
    fn the_signature_is_the_hmac_sha256_of_the_body_in_hex() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}

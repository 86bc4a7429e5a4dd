//! The one outgoing HTTP client (the OpenID Connect provider, webhook receivers): hyper over
//! rustls with the ring provider ptrdesk builds for hickory's TSIG anyway, trusting the
//! system's CA certificates; `http:` too, for receivers on loopback or an internal network.

use http_body_util::BodyExt as _;
use std::time::Duration;

/// The client; cheap to clone (one connection pool).
pub type HttpClient = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    http_body_util::Full<bytes::Bytes>,
>;

/// A new client.
pub fn build() -> anyhow::Result<HttpClient> {
    // ring, built already for TSIG (rustls deprecates it only for lacking post-quantum key
    // exchange).
    #[allow(deprecated)]
    let provider = rustls::crypto::ring::default_provider();
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(provider)?
        .https_or_http()
        .enable_http1()
        .build();
    Ok(
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build(https),
    )
}

/// Sends `request` and reads the whole answer within `deadline`; a failure names the URL
/// and what went wrong.
pub async fn exchange(
    client: &HttpClient,
    request: http::Request<Vec<u8>>,
    deadline: Duration,
) -> Result<http::Response<Vec<u8>>, String> {
    let uri = request.uri().to_string();
    let request = request.map(|body| http_body_util::Full::new(bytes::Bytes::from(body)));
    let exchange = async {
        let response = client
            .request(request)
            .await
            .map_err(|err| format!("{uri}: {}", error_chain(&err)))?;
        let (parts, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .map_err(|err| format!("{uri}: {err}"))?
            .to_bytes();
        Ok(http::Response::from_parts(parts, body.to_vec()))
    };
    tokio::time::timeout(deadline, exchange)
        .await
        .map_err(|_| format!("{uri}: no answer within {deadline:?}"))?
}

/// An error with its causes, `: `-separated.
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

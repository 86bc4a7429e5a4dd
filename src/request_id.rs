//! The id of one HTTP request: made by the request log, sent back in `X-Request-Id`, shown on
//! the error page, and readable anywhere while the request is handled ([`RequestId::current`]).

use std::fmt;

tokio::task_local! {
    static CURRENT: RequestId;
}

/// The id of one request: 12 random hex digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(String);

impl RequestId {
    /// A new id.
    pub fn random() -> RequestId {
        RequestId(crate::token::random_token(6))
    }

    /// The id of the request being handled on this task; `None` outside a request (the
    /// command line, background jobs).
    pub fn current() -> Option<RequestId> {
        CURRENT.try_with(RequestId::clone).ok()
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Runs `work` as the handling of the request `id`: inside it, [`RequestId::current`] is `id`.
pub async fn scope<F: Future>(id: RequestId, work: F) -> F::Output {
    CURRENT.scope(id, work).await
}

//! Sending the answers to one DNS request, signed with TSIG when the request was: used by the
//! server for single answers and by [`super::transfer`] for the messages of a zone transfer.

use super::tsig::ResponseSigner;
use hickory_server::proto::op::{Edns, Header, HeaderCounts, Metadata, ResponseCode};
use hickory_server::proto::rr::Record;
use hickory_server::proto::rr::rdata::TSIG;
use hickory_server::proto::serialize::binary::BinEncoder;
use hickory_server::server::{Request, ResponseHandler, ResponseInfo};
use hickory_server::zone_handler::MessageResponseBuilder;

/// How answers to one request are signed.
pub(super) enum Signature {
    /// Unsigned request, unsigned answers.
    None,
    /// Signed with our key: each answer is signed, chained.
    Sign(Box<ResponseSigner>),
    /// A TSIG error record to attach as is (unknown key, bad signature).
    Fixed(Box<Record<TSIG>>),
}

/// Sends the answers to one request.
pub(super) struct Reply<'r> {
    pub(super) request: &'r Request,
    pub(super) edns: Option<&'r Edns>,
    pub(super) signature: Signature,
}

impl Reply<'_> {
    /// The request being answered.
    pub(super) fn request(&self) -> &Request {
        self.request
    }

    /// Whether the request carried a valid signature of the configured key.
    pub(super) fn is_signed(&self) -> bool {
        matches!(self.signature, Signature::Sign(_))
    }

    /// An answer without records: REFUSED, NOTIMP, SERVFAIL, …
    pub(super) async fn error<R: ResponseHandler>(
        &mut self,
        handle: &mut R,
        code: ResponseCode,
    ) -> ResponseInfo {
        self.send(handle, code, &[], &[]).await
    }

    /// One answer message; authoritative unless it refuses or fails.
    pub(super) async fn send<R: ResponseHandler>(
        &mut self,
        handle: &mut R,
        code: ResponseCode,
        answers: &[Record],
        authority: &[Record],
    ) -> ResponseInfo {
        let authoritative = matches!(code, ResponseCode::NoError | ResponseCode::NXDomain);
        self.message(handle, code, authoritative, answers, authority)
            .await
    }

    /// A referral: NOERROR, not authoritative, the delegation's NS in the authority section.
    pub(super) async fn referral<R: ResponseHandler>(
        &mut self,
        handle: &mut R,
        authority: &[Record],
    ) -> ResponseInfo {
        self.message(handle, ResponseCode::NoError, false, &[], authority)
            .await
    }

    async fn message<R: ResponseHandler>(
        &mut self,
        handle: &mut R,
        code: ResponseCode,
        authoritative: bool,
        answers: &[Record],
        authority: &[Record],
    ) -> ResponseInfo {
        let mut metadata = Metadata::response_from_request(&self.request.metadata);
        metadata.response_code = code;
        metadata.authoritative = authoritative;
        let build = || {
            MessageResponseBuilder::new(&self.request.queries, self.edns).build(
                metadata,
                answers.iter(),
                authority.iter(),
                std::iter::empty(),
                std::iter::empty(),
            )
        };
        let mut response = build();
        match &mut self.signature {
            Signature::None => {}
            Signature::Fixed(record) => response.set_signature(record.clone()),
            Signature::Sign(signer) => {
                let mut unsigned = Vec::with_capacity(512);
                let signed = build()
                    .destructive_emit(&mut BinEncoder::new(&mut unsigned))
                    .and_then(|_| signer.sign(&unsigned));
                match signed {
                    Ok(record) => response.set_signature(record),
                    Err(err) => {
                        tracing::error!(error = %err, "signing a DNS answer failed");
                        return failed(metadata);
                    }
                }
            }
        }
        match handle.send_response(response).await {
            Ok(info) => info,
            Err(err) => {
                tracing::debug!(error = %err, "a DNS answer could not be sent");
                failed(metadata)
            }
        }
    }
}

/// What the server logs for an answer that could not be built or sent.
fn failed(mut metadata: Metadata) -> ResponseInfo {
    metadata.response_code = ResponseCode::ServFail;
    ResponseInfo::from(Header {
        metadata,
        counts: HeaderCounts::default(),
    })
}

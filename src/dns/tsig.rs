//! TSIG (RFC 8945) between ptrdesk and its secondaries: the configured key, the check of a
//! signed request, and the signatures of the answers, including the chained signatures of a
//! zone transfer that spans several messages (RFC 8945 section 5.3.1).

use base64::Engine as _;
use hickory_server::proto::ProtoError;
use hickory_server::proto::rr::rdata::tsig::{TSIG, TsigAlgorithm, TsigError, make_tsig_record};
use hickory_server::proto::rr::{Name, Record, TSigResponseContext, TSigner};
use hickory_server::server::Request;
use std::fmt;

/// How far the clocks of ptrdesk and a secondary may differ, in seconds (RFC 8945 suggests
/// 300).
pub const FUDGE: u16 = 300;

/// A shared TSIG key: its name, algorithm (hmac-sha256) and secret.
#[derive(Clone)]
pub struct TsigKey {
    signer: TSigner,
}

/// Why a configured key cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TsigKeyError {
    /// Not `hmac-sha256:NAME:SECRET`.
    #[error("dns_tsig_key must look like hmac-sha256:NAME:BASE64-SECRET")]
    Format,
    /// Another algorithm.
    #[error("dns_tsig_key: only hmac-sha256 is supported, not {0}")]
    Algorithm(String),
    /// The name is not a DNS name.
    #[error("dns_tsig_key: {0:?} is not a valid key name")]
    Name(String),
    /// The secret is not base64, or too short.
    #[error("dns_tsig_key: the secret must be base64 of at least 16 bytes")]
    Secret,
}

impl TsigKey {
    /// Parses `hmac-sha256:NAME:BASE64-SECRET` (the form of BIND's `-y`, which `keymgr` and
    /// `tsig-keygen` output can be turned into).
    pub fn parse(text: &str) -> Result<TsigKey, TsigKeyError> {
        let mut parts = text.trim().splitn(3, ':');
        let (Some(algorithm), Some(name), Some(secret)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(TsigKeyError::Format);
        };
        if !algorithm.eq_ignore_ascii_case("hmac-sha256") {
            return Err(TsigKeyError::Algorithm(algorithm.to_owned()));
        }
        let key_name =
            super::absolute_name(name).ok_or_else(|| TsigKeyError::Name(name.to_owned()))?;
        let secret = base64::engine::general_purpose::STANDARD
            .decode(secret.trim())
            .map_err(|_| TsigKeyError::Secret)?;
        if secret.len() < 16 {
            return Err(TsigKeyError::Secret);
        }
        let signer = TSigner::new(secret, TsigAlgorithm::HmacSha256, key_name, FUDGE)
            .map_err(|_| TsigKeyError::Format)?;
        Ok(TsigKey { signer })
    }

    /// The key's name.
    pub fn name(&self) -> &Name {
        self.signer.signer_name()
    }

    /// The signer for hickory's clients (NOTIFY, tests).
    pub fn signer(&self) -> TSigner {
        self.signer.clone()
    }
}

/// The secret stays out of logs.
impl fmt::Debug for TsigKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TsigKey")
            .field("name", &self.name().to_string())
            .finish_non_exhaustive()
    }
}

/// What the TSIG of a request says.
pub enum Verdict {
    /// No TSIG.
    Unsigned,
    /// Signed with our key and in time: answers are signed with this.
    Valid(ResponseSigner),
    /// Signed, but not acceptably: answer NOTAUTH with this TSIG record (RFC 8945 5.2).
    Rejected(Box<Record<TSIG>>),
}

/// Checks the TSIG of `request` against `key` at `now` (Unix seconds).
pub fn verify(request: &Request, key: Option<&TsigKey>, now: u64) -> Result<Verdict, ProtoError> {
    let Some(signature) = request.signature.as_deref() else {
        return Ok(Verdict::Unsigned);
    };
    let id = request.metadata.id;
    let Some(key) = key.filter(|key| key.name() == &signature.name) else {
        let context = TSigResponseContext::unknown_key(id, now, signature.name.clone());
        return Ok(Verdict::Rejected(context.sign(&[])?));
    };
    let Ok((mac, _, window)) = key
        .signer
        .verify_message_byte(request.as_slice(), None, true)
    else {
        let context = TSigResponseContext::bad_signature(id, now, key.signer.clone());
        return Ok(Verdict::Rejected(context.sign(&[])?));
    };
    let mut signer = ResponseSigner {
        signer: key.signer.clone(),
        previous_mac: mac,
        first: true,
        time: now,
        request_id: id,
        error: None,
    };
    if !window.contains(&now) {
        // "A response indicating a BADTIME error MUST be signed by the same key as the
        // request" — the caller signs an empty NOTAUTH answer with it.
        signer.error = Some(TsigError::BadTime);
    }
    Ok(Verdict::Valid(signer))
}

/// Signs the answers to one signed request: the first with the request's MAC, each further
/// message of a zone transfer chained to the one before.
pub struct ResponseSigner {
    signer: TSigner,
    previous_mac: Vec<u8>,
    first: bool,
    time: u64,
    request_id: u16,
    error: Option<TsigError>,
}

impl ResponseSigner {
    /// Whether the request was signed outside the allowed time window (answer NOTAUTH,
    /// signed, with nothing else).
    pub fn bad_time(&self) -> bool {
        self.error == Some(TsigError::BadTime)
    }

    /// The TSIG record for the next answer, `encoded` being that answer without it.
    pub fn sign(&mut self, encoded: &[u8]) -> Result<Box<Record<TSIG>>, ProtoError> {
        let stub = TSIG::new(
            self.signer.algorithm().clone(),
            self.time,
            self.signer.fudge(),
            Vec::new(),
            self.request_id,
            self.error,
            Vec::new(),
        );
        let to_be_signed = if self.first {
            self.signer
                .encode_response_tbs(&self.previous_mac, encoded, &stub)?
        } else {
            // Later messages cover the previous MAC, the message and the timers only.
            let mut buffer = Vec::with_capacity(self.previous_mac.len() + encoded.len() + 10);
            buffer.extend_from_slice(&(self.previous_mac.len() as u16).to_be_bytes());
            buffer.extend_from_slice(&self.previous_mac);
            buffer.extend_from_slice(encoded);
            buffer.extend_from_slice(&((self.time >> 32) as u16).to_be_bytes());
            buffer.extend_from_slice(&(self.time as u32).to_be_bytes());
            buffer.extend_from_slice(&self.signer.fudge().to_be_bytes());
            buffer
        };
        let mac = self
            .signer
            .sign(&to_be_signed)
            .map_err(|err| ProtoError::from(err.to_string()))?;
        self.previous_mac.clone_from(&mac);
        self.first = false;
        Ok(Box::new(make_tsig_record(
            self.signer.signer_name().clone(),
            stub.set_mac(mac),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_algorithm_name_and_base64_secret() {
        let key =
            TsigKey::parse("hmac-sha256:xfr.example.net:c2VjcmV0LXNlY3JldC1zZWNyZXQ=").unwrap();
        assert_eq!(key.name().to_string(), "xfr.example.net.");
        assert!(!format!("{key:?}").contains("c2Vj"));
        assert_eq!(
            TsigKey::parse("hmac-md5:k:c2VjcmV0LXNlY3JldC1zZWNyZXQ=").unwrap_err(),
            TsigKeyError::Algorithm("hmac-md5".to_owned())
        );
        assert_eq!(
            TsigKey::parse("hmac-sha256:k:c2hvcnQ=").unwrap_err(),
            TsigKeyError::Secret
        );
        assert_eq!(
            TsigKey::parse("k:secret").unwrap_err(),
            TsigKeyError::Format
        );
    }
}

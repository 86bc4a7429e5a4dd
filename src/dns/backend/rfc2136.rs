//! A primary that takes RFC 2136 dynamic updates (BIND with `update-policy` or
//! `allow-update`), signed with TSIG (`rfc2136_tsig_key`): one UPDATE per zone and up to
//! [`CHUNK`] addresses, each address's PTR RRset deleted and, where the database holds a
//! PTR, added again — so an update says what the address holds, whatever the primary held
//! before. The primary moves its zone's serial itself. A refusal names the primary, the zone
//! and what it answered ([`crate::dns::signed::explain_refusal`]).

use super::ZonePush;
use crate::config::{ConfigError, Settings};
use crate::dns::Publishing;
use crate::dns::names::reverse_name;
use crate::dns::signed::{self, Transport};
use crate::dns::tsig::TsigKey;
use hickory_server::proto::op::{Message, OpCode, Query, ResponseCode, UpdateMessage};
use hickory_server::proto::rr::rdata::PTR;
use hickory_server::proto::rr::{DNSClass, RData, Record, RecordType};
use secrecy::ExposeSecret;
use std::net::SocketAddr;
use std::time::Duration;

/// Addresses per UPDATE message.
pub const CHUNK: usize = 128;
/// How long the primary may take to answer one UPDATE.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// The primary, as configured.
#[derive(Debug, Clone)]
pub struct Rfc2136 {
    server: SocketAddr,
    key: Option<TsigKey>,
}

impl Rfc2136 {
    /// From `rfc2136_server` and `rfc2136_tsig_key`.
    pub fn from_settings(settings: &Settings) -> Result<Rfc2136, ConfigError> {
        let server = settings.rfc2136_server.as_deref().ok_or_else(|| {
            ConfigError::Invalid(
                "publish = \"rfc2136\" needs rfc2136_server (the primary, IP or IP:PORT)"
                    .to_owned(),
            )
        })?;
        let server = super::server_address("rfc2136_server", server)?;
        let key = match &settings.rfc2136_tsig_key {
            Some(key) => Some(TsigKey::parse(key.expose_secret()).map_err(|err| {
                ConfigError::Invalid(err.to_string().replace("dns_tsig_key", "rfc2136_tsig_key"))
            })?),
            None => None,
        };
        Ok(Rfc2136 { server, key })
    }

    /// The primary's address.
    pub fn server(&self) -> SocketAddr {
        self.server
    }

    /// Sends the updates of one zone.
    pub async fn push(&self, publishing: &Publishing, push: &ZonePush) -> Result<(), String> {
        let zone = push.zone.name();
        let ptrs: Vec<_> = push.ptrs.iter().collect();
        for chunk in ptrs.chunks(CHUNK) {
            let mut message = Message::query();
            message.metadata.op_code = OpCode::Update;
            message.metadata.recursion_desired = false;
            let mut query = Query::new();
            query
                .set_name(zone.clone())
                .set_query_class(DNSClass::IN)
                .set_query_type(RecordType::SOA);
            message.add_zone(query);
            for (ip, target) in chunk {
                let owner = reverse_name(**ip);
                // Delete the RRset (class ANY, no data), then add the one PTR.
                let mut delete =
                    Record::update0(owner.clone(), 0, RecordType::PTR).into_record_of_rdata();
                delete.dns_class = DNSClass::ANY;
                message.add_update(delete);
                if let Some(target) = target {
                    message.add_update(Record::from_rdata(
                        owner,
                        publishing.ttl,
                        RData::PTR(PTR(target.clone())),
                    ));
                }
            }
            let answered = signed::exchange(
                self.server,
                message,
                self.key.as_ref(),
                Transport::Tcp,
                DEADLINE,
            )
            .await
            .map_err(|err| {
                format!(
                    "primary {} did not take the UPDATE of zone {}: {err}",
                    self.server, push.zone
                )
            })?;
            if answered.code != ResponseCode::NoError {
                let key = self.key.as_ref().map(|key| key.name().to_string());
                return Err(format!(
                    "primary {} refused the UPDATE of zone {}: {}",
                    self.server,
                    push.zone,
                    signed::explain_refusal(&answered, key.as_deref())
                ));
            }
        }
        Ok(())
    }
}

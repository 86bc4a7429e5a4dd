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
use hickory_server::proto::rr::rdata::{CNAME, NS, PTR};
use hickory_server::proto::rr::{DNSClass, Name, RData, Record, RecordType};
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
        // A delegation's CNAMEs and a PTR never meet at one name (the primary would ignore
        // the second): what the cuts drop goes first, then the PTRs, then what they add.
        let mut drops = update_of(&zone);
        let mut adds = update_of(&zone);
        for cut in &push.cuts {
            let ns_into = if cut.nameservers.is_empty() {
                &mut drops
            } else {
                &mut adds
            };
            ns_into.add_update(delete_rrset(cut.apex.clone(), RecordType::NS));
            for server in &cut.nameservers {
                adds.add_update(Record::from_rdata(
                    cut.apex.clone(),
                    publishing.ttl,
                    RData::NS(NS(server.clone())),
                ));
            }
            for (ip, target) in &cut.cnames {
                let owner = reverse_name(*ip);
                match target {
                    None => drops.add_update(delete_rrset(owner, RecordType::CNAME)),
                    Some(target) => {
                        adds.add_update(delete_rrset(owner.clone(), RecordType::CNAME));
                        adds.add_update(Record::from_rdata(
                            owner,
                            publishing.ttl,
                            RData::CNAME(CNAME(target.clone())),
                        ))
                    }
                };
            }
        }
        let mut messages: Vec<Message> = Vec::new();
        if !drops.updates().is_empty() {
            messages.push(drops);
        }
        for chunk in ptrs.chunks(CHUNK) {
            let mut message = update_of(&zone);
            for (ip, target) in chunk {
                let owner = reverse_name(**ip);
                // Delete the RRset (class ANY, no data), then add the one PTR.
                message.add_update(delete_rrset(owner.clone(), RecordType::PTR));
                if let Some(target) = target {
                    message.add_update(Record::from_rdata(
                        owner,
                        publishing.ttl,
                        RData::PTR(PTR(target.clone())),
                    ));
                }
            }
            messages.push(message);
        }
        if !adds.updates().is_empty() {
            messages.push(adds);
        }
        for message in messages {
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

/// An empty UPDATE of `zone`.
fn update_of(zone: &Name) -> Message {
    let mut message = Message::query();
    message.metadata.op_code = OpCode::Update;
    message.metadata.recursion_desired = false;
    let mut query = Query::new();
    query
        .set_name(zone.clone())
        .set_query_class(DNSClass::IN)
        .set_query_type(RecordType::SOA);
    message.add_zone(query);
    message
}

/// "Delete the RRset of this type at this name" (RFC 2136 section 2.5.2: class ANY, no data).
fn delete_rrset(owner: Name, rtype: RecordType) -> Record {
    let mut delete = Record::update0(owner, 0, rtype).into_record_of_rdata();
    delete.dns_class = DNSClass::ANY;
    delete
}

//! DNSSEC-signed reverse zones (setting `dnssec`): ptrdesk keeps each zone's keys in the
//! database ([`crate::db::dnssec`]; ECDSA P-256, algorithm 13, through hickory's ring backend
//! that TSIG builds anyway) and signs online, from memory: the [`Keyring`] holds every zone's
//! keys, the DNSKEY set is answered at the apex, and an answer to a question with the DO bit
//! carries the RRSIGs of its records and, when negative, NSEC records proving it
//! (minimally covering NSEC, RFC 4470). A zone transfer carries the whole zone
//! signed, with a complete NSEC chain ([`Keyring::sign_transfer`]). Signatures are cached by
//! what they sign, so a repeated answer costs a hash look-up, not a signature.
//!
//! Signatures are made for a window of [`RESIGN_EVERY`] and stay valid [`VALIDITY`] from its
//! start (an hour earlier for clocks behind): every answer made in a window carries signatures
//! with at least two weeks to run, and when the window moves [`keys::run`] moves every signed
//! zone's serial, so secondaries transfer fresh signatures long before theirs expire.
//! A zone-signing key is rolled over by pre-publishing ([`keys`]).

mod denial;
pub mod keys;

use super::Publishing;
use super::answer::Answer;
use super::names::{Located, Node};
use crate::db::dnssec::{KeyRole, KeyState, StoredKey};
use base64::Engine as _;
use hickory_server::proto::dnssec::crypto::EcdsaSigningKey;
use hickory_server::proto::dnssec::rdata::{DNSKEY, DNSSECRData, DS, RRSIG, SigInput};
use hickory_server::proto::dnssec::{Algorithm, DigestType, SigningKey, TBS};
use hickory_server::proto::op::ResponseCode;
use hickory_server::proto::rr::{DNSClass, Name, RData, Record, RecordType, SerialNumber};
use rustls::pki_types::PrivatePkcs8KeyDer;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};

/// The one algorithm ptrdesk signs with: ECDSA Curve P-256 with SHA-256 (13).
pub const ALGORITHM: Algorithm = Algorithm::ECDSAP256SHA256;
/// How long one signature window lasts: signatures are made afresh (and the signed zones'
/// serials move) once per window.
pub const RESIGN_EVERY: i64 = 7 * 86_400;
/// How long a signature is valid from the start of its window: more than the SOA expire (two
/// weeks) past the next window, so a secondary that lost its primary stops serving the zone
/// before its signatures expire.
pub const VALIDITY: i64 = 3 * RESIGN_EVERY;
/// How far before its window a signature's inception lies (for validators whose clock is
/// behind).
const INCEPTION_SLACK: i64 = 3600;
/// The most signatures kept in the cache; it is emptied when full.
const CACHED_SIGNATURES: usize = 1 << 18;

/// The signature window of the Unix time `now`.
pub fn window_of(now: i64) -> i64 {
    now.div_euclid(RESIGN_EVERY)
}

/// A signature window's inception and expiration (Unix seconds).
fn validity(window: i64) -> (u32, u32) {
    let start = window * RESIGN_EVERY;
    (
        (start - INCEPTION_SLACK).clamp(0, i64::from(u32::MAX)) as u32,
        (start + VALIDITY).clamp(0, i64::from(u32::MAX)) as u32,
    )
}

/// Why a stored key cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Not base64, not PKCS#8, or not of [`ALGORITHM`].
    #[error("DNSSEC key {id} of zone {zone} cannot be read: {reason}")]
    Unreadable {
        /// The key's row.
        id: i64,
        /// Its zone.
        zone: String,
        /// What is wrong.
        reason: String,
    },
}

/// One key of a zone, ready to sign.
pub struct ZoneKey {
    /// The stored key (the private key text included).
    pub stored: StoredKey,
    /// Its DNSKEY record data.
    pub dnskey: DNSKEY,
    /// Its key tag.
    pub tag: u16,
    signer: EcdsaSigningKey,
}

impl std::fmt::Debug for ZoneKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZoneKey")
            .field("id", &self.stored.id)
            .field("role", &self.stored.role)
            .field("state", &self.stored.state)
            .field("tag", &self.tag)
            .finish_non_exhaustive()
    }
}

impl ZoneKey {
    /// Reads a stored key.
    pub fn from_stored(stored: StoredKey) -> Result<ZoneKey, KeyError> {
        let unreadable = |reason: String| KeyError::Unreadable {
            id: stored.id,
            zone: stored.zone.clone(),
            reason,
        };
        if stored.algorithm != u8::from(ALGORITHM) {
            return Err(unreadable(format!(
                "algorithm {} (only {} is signed with)",
                stored.algorithm,
                u8::from(ALGORITHM)
            )));
        }
        let der = base64::engine::general_purpose::STANDARD
            .decode(stored.private_key.trim())
            .map_err(|err| unreadable(err.to_string()))?;
        let signer = EcdsaSigningKey::from_pkcs8(&PrivatePkcs8KeyDer::from(der), ALGORITHM)
            .map_err(|err| unreadable(err.to_string()))?;
        let public = signer
            .to_public_key()
            .map_err(|err| unreadable(err.to_string()))?;
        let dnskey = DNSKEY::new(true, stored.role == KeyRole::Ksk, false, public);
        let tag = dnskey
            .calculate_key_tag()
            .map_err(|err| unreadable(err.to_string()))?;
        Ok(ZoneKey {
            stored,
            dnskey,
            tag,
            signer,
        })
    }

    /// Whether it is in the zone's DNSKEY set.
    pub fn is_published(&self) -> bool {
        self.stored.state != KeyState::Removed
    }

    /// The DS record of this key for the parent (SHA-256 digest).
    pub fn ds(&self, apex: &Name) -> Option<DS> {
        let digest = self.dnskey.to_digest(apex, DigestType::SHA256).ok()?;
        Some(DS::new(
            self.tag,
            ALGORITHM,
            DigestType::SHA256,
            digest.as_ref().to_vec(),
        ))
    }
}

/// The keys of one signed zone.
#[derive(Debug)]
pub struct ZoneKeys {
    /// The zone's apex.
    pub apex: Name,
    /// Its keys, oldest first.
    pub keys: Vec<ZoneKey>,
}

impl ZoneKeys {
    /// The key signing the DNSKEY set.
    pub fn ksk(&self) -> Option<&ZoneKey> {
        self.keys
            .iter()
            .find(|key| key.stored.role == KeyRole::Ksk && key.stored.state == KeyState::Active)
    }

    /// The key signing everything else.
    pub fn zsk(&self) -> Option<&ZoneKey> {
        self.keys
            .iter()
            .rev()
            .find(|key| key.stored.role == KeyRole::Zsk && key.stored.state == KeyState::Active)
    }

    /// The DNSKEY set at `owner` (the apex as asked).
    fn dnskeys(&self, owner: &Name, ttl: u32) -> Vec<Record> {
        self.keys
            .iter()
            .filter(|key| key.is_published())
            .map(|key| {
                Record::from_rdata(
                    owner.clone(),
                    ttl,
                    RData::DNSSEC(DNSSECRData::DNSKEY(key.dnskey.clone())),
                )
            })
            .collect()
    }
}

/// The question an answer completed by [`Keyring::complete`] answers.
#[derive(Debug, Clone, Copy)]
pub struct Question<'a> {
    /// Where its name is.
    pub located: Located,
    /// Its name as asked.
    pub owner: &'a Name,
    /// The type asked.
    pub qtype: RecordType,
    /// Whether it carried the DO bit (DNSSEC records wanted).
    pub dnssec_ok: bool,
}

/// Every signed zone's keys in memory, and the signatures made with them; see the module
/// documentation.
pub struct Keyring {
    zones: RwLock<Arc<HashMap<String, Arc<ZoneKeys>>>>,
    /// The keys' fingerprint in the database when they were last read.
    loaded: Mutex<Option<(i64, i64)>>,
    signatures: Mutex<HashMap<Vec<u8>, Vec<u8>>>,
    /// Added to each wait of a rollover (the secondaries' time to transfer).
    margin: i64,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("zones", &self.read().len())
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

impl Keyring {
    /// An empty keyring; `margin` seconds are added to every wait of a rollover.
    pub fn new(margin: i64) -> Keyring {
        Keyring {
            zones: RwLock::new(Arc::new(HashMap::new())),
            loaded: Mutex::new(None),
            signatures: Mutex::new(HashMap::new()),
            margin: margin.max(0),
        }
    }

    fn read(&self) -> Arc<HashMap<String, Arc<ZoneKeys>>> {
        match self.zones.read() {
            Ok(zones) => Arc::clone(&zones),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// The keys of zone `name` (`2.0.192.in-addr.arpa`), when it is signed.
    pub fn zone(&self, name: &str) -> Option<Arc<ZoneKeys>> {
        self.read().get(name).cloned()
    }

    /// The names of the signed zones.
    pub fn zone_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.read().keys().cloned().collect();
        names.sort();
        names
    }

    /// How many signatures are cached.
    pub fn cached_signatures(&self) -> usize {
        self.signatures.lock().map_or(0, |cache| cache.len())
    }

    /// Replaces the keys with `stored` (every key not removed), read at `fingerprint`; a key
    /// that cannot be read is logged and left out.
    pub fn replace(&self, stored: Vec<StoredKey>, fingerprint: (i64, i64)) {
        let mut zones: HashMap<String, ZoneKeys> = HashMap::new();
        for key in stored {
            let zone = key.zone.clone();
            let Some(mut apex) = super::absolute_name(&zone) else {
                continue;
            };
            apex.set_fqdn(true);
            match ZoneKey::from_stored(key) {
                Ok(key) => zones
                    .entry(zone)
                    .or_insert_with(|| ZoneKeys {
                        apex,
                        keys: Vec::new(),
                    })
                    .keys
                    .push(key),
                Err(err) => tracing::error!(error = %err, "DNSSEC key left out"),
            }
        }
        // A zone signs only with a KSK and an active ZSK; otherwise it is served unsigned.
        let zones: HashMap<String, Arc<ZoneKeys>> = zones
            .into_iter()
            .filter(|(_, keys)| keys.ksk().is_some() && keys.zsk().is_some())
            .map(|(name, keys)| (name, Arc::new(keys)))
            .collect();
        match self.zones.write() {
            Ok(mut held) => *held = Arc::new(zones),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(zones),
        }
        if let Ok(mut loaded) = self.loaded.lock() {
            *loaded = Some(fingerprint);
        }
    }

    /// Reads the keys again when their fingerprint in the database moved; true when it did.
    pub async fn reload_if_changed(&self, pool: &sqlx::AnyPool) -> Result<bool, sqlx::Error> {
        let fingerprint = crate::db::dnssec::fingerprint(pool).await?;
        let current = self.loaded.lock().map_or(None, |loaded| *loaded);
        if current == Some(fingerprint) {
            return Ok(false);
        }
        let stored = crate::db::dnssec::live_keys(pool).await?;
        let fingerprint_after = crate::db::dnssec::fingerprint(pool).await?;
        self.replace(stored, fingerprint);
        if fingerprint_after != fingerprint {
            // Written while being read: read again next round.
            if let Ok(mut loaded) = self.loaded.lock() {
                *loaded = None;
            }
        }
        Ok(true)
    }

    /// The signature of `rrset` (records of one owner and type) by `key`, valid for `window`.
    fn sign(&self, key: &ZoneKey, apex: &Name, rrset: &[Record], window: i64) -> Option<Record> {
        let first = rrset.first()?;
        let (inception, expiration) = validity(window);
        let input = SigInput {
            type_covered: first.record_type(),
            algorithm: ALGORITHM,
            num_labels: first.name.num_labels(),
            original_ttl: first.ttl,
            sig_expiration: SerialNumber::new(expiration),
            sig_inception: SerialNumber::new(inception),
            key_tag: key.tag,
            signer_name: apex.clone(),
        };
        let tbs = match TBS::from_input(&first.name, DNSClass::IN, &input, rrset.iter()) {
            Ok(tbs) => tbs,
            Err(err) => {
                tracing::error!(error = %err, name = %first.name, "DNSSEC: cannot encode an RRset to sign");
                return None;
            }
        };
        let cached = self
            .signatures
            .lock()
            .ok()
            .and_then(|cache| cache.get(tbs.as_ref()).cloned());
        let signature = match cached {
            Some(signature) => signature,
            None => {
                let signature = match key.signer.sign(&tbs) {
                    Ok(signature) => signature,
                    Err(err) => {
                        tracing::error!(error = %err, name = %first.name, "DNSSEC: signing failed");
                        return None;
                    }
                };
                if let Ok(mut cache) = self.signatures.lock() {
                    if cache.len() >= CACHED_SIGNATURES {
                        cache.clear();
                    }
                    cache.insert(tbs.as_ref().to_vec(), signature.clone());
                }
                signature
            }
        };
        Some(Record::from_rdata(
            first.name.clone(),
            first.ttl,
            RData::DNSSEC(DNSSECRData::RRSIG(RRSIG::from_sig(input, signature))),
        ))
    }

    /// The RRSIGs of `records`, one per RRset (records of an RRset next to each other): the
    /// DNSKEY set signed by the KSK, everything else by the active ZSK.
    fn sign_all(&self, keys: &ZoneKeys, records: &[Record], window: i64) -> Vec<Record> {
        let mut signatures = Vec::new();
        let mut start = 0;
        while start < records.len() {
            let first = &records[start];
            let mut end = start + 1;
            while end < records.len()
                && records[end].record_type() == first.record_type()
                && records[end].name == first.name
            {
                end += 1;
            }
            let key = if first.record_type() == RecordType::DNSKEY {
                keys.ksk()
            } else {
                keys.zsk()
            };
            if let Some(signature) =
                key.and_then(|key| self.sign(key, &keys.apex, &records[start..end], window))
            {
                signatures.push(signature);
            }
            start = end;
        }
        signatures
    }

    /// Completes an answer of a signed zone: the DNSKEY set at the apex, and with `dnssec_ok`
    /// (the DO bit) the RRSIGs and, for a negative answer, the NSEC records proving it.
    /// Answers of zones without keys pass unchanged.
    pub fn complete(
        &self,
        publishing: &Publishing,
        question: Question<'_>,
        answer: Answer,
        now: i64,
    ) -> Answer {
        let Question {
            located,
            owner,
            qtype,
            dnssec_ok,
        } = question;
        let Located::Inside { zone, node } = located else {
            return answer;
        };
        let Some(keys) = self.zone(&zone.to_string()) else {
            return answer;
        };
        let (code, mut answers, mut authority) = match answer {
            Answer::Authoritative {
                code,
                answers,
                authority,
            } => (code, answers, authority),
            refused @ Answer::Refused => return refused,
            // Delegations are not offered in signed zones (the admin page refuses them): no
            // proof of the missing DS to add.
            referral @ Answer::Referral { .. } => return referral,
        };
        if node == Node::Apex && code == ResponseCode::NoError {
            match qtype {
                RecordType::DNSKEY => {
                    answers = keys.dnskeys(owner, publishing.ttl);
                    authority.clear();
                }
                RecordType::ANY => answers.extend(keys.dnskeys(owner, publishing.ttl)),
                _ => {}
            }
        }
        if !dnssec_ok {
            return Answer::Authoritative {
                code,
                answers,
                authority,
            };
        }
        let window = window_of(now);
        let signatures = self.sign_all(&keys, &answers, window);
        answers.extend(signatures);
        if answers.is_empty() {
            let negative_ttl = authority.first().map_or(super::NEGATIVE_TTL, |soa| soa.ttl);
            let proofs = if code == ResponseCode::NXDomain {
                denial::no_such_name(owner, negative_ttl)
            } else {
                vec![denial::no_such_type(owner, node, negative_ttl)]
            };
            authority.extend(proofs);
            let signatures = self.sign_all(&keys, &authority, window);
            authority.extend(signatures);
        }
        Answer::Authoritative {
            code,
            answers,
            authority,
        }
    }

    /// A zone transfer of signed zone `zone` (`name` as the zones table names it): `soa` first,
    /// then `body` (NS and PTR records, RRsets next to each other), the DNSKEY set, an NSEC
    /// chain over every name, and an RRSIG for every RRset; the closing SOA is the caller's.
    /// `None` when the zone is not signed.
    pub fn sign_transfer(
        &self,
        name: &str,
        publishing: &Publishing,
        soa: Record,
        body: Vec<Record>,
        now: i64,
    ) -> Option<Vec<Record>> {
        let keys = self.zone(name)?;
        let window = window_of(now);
        let negative_ttl = super::NEGATIVE_TTL.min(publishing.ttl);
        let mut records = vec![soa];
        records.extend(body);
        records.extend(keys.dnskeys(&keys.apex, publishing.ttl));
        let mut types: BTreeMap<Name, Vec<RecordType>> = BTreeMap::new();
        for record in &records {
            let at = types.entry(record.name.to_lowercase()).or_default();
            if !at.contains(&record.record_type()) {
                at.push(record.record_type());
            }
        }
        records.extend(denial::chain(&keys.apex, &types, negative_ttl));
        let signatures = self.sign_all(&keys, &records, window);
        records.extend(signatures);
        Some(records)
    }
}

/// The DS records to give the parent of `zone` (`2.0.192.in-addr.arpa`), one per active KSK
/// among `keys`, in presentation format (`ZONE. IN DS TAG 13 2 HEX`).
pub fn ds_records(zone: &str, keys: &[StoredKey]) -> Result<Vec<String>, KeyError> {
    let Some(apex) = super::absolute_name(zone) else {
        return Ok(Vec::new());
    };
    let mut records = Vec::new();
    for stored in keys
        .iter()
        .filter(|key| key.role == KeyRole::Ksk && key.state == KeyState::Active)
    {
        let key = ZoneKey::from_stored(stored.clone())?;
        if let Some(ds) = key.ds(&apex) {
            records.push(format!(
                "{apex} IN DS {} {} {} {}",
                ds.key_tag(),
                u8::from(ds.algorithm()),
                u8::from(ds.digest_type()),
                hex::encode_upper(ds.digest())
            ));
        }
    }
    Ok(records)
}

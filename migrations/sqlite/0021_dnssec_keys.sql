-- The DNSSEC keys of the signed reverse zones (setting `dnssec`), generated and kept by ptrdesk
-- (src/dns/dnssec/). One key-signing key (role 'ksk', signs the DNSKEY set; its DS goes to the
-- parent) and one or two zone-signing keys (role 'zsk') per zone. A ZSK's `state`:
-- 'published' (in the DNSKEY set, not yet signing: the pre-publish step of a rollover),
-- 'active' (signing), 'retired' (still in the DNSKEY set, no longer signing), 'removed'.
-- `private_key` is the PKCS#8 document in base64. `revision` moves on every write (the
-- highest is what nodes compare to know their keys changed). `dnssec_zones` remembers the
-- signature window a zone's serial was last moved for, so secondaries re-transfer fresh
-- signatures once per window. Same in migrations/postgres.
CREATE TABLE dnssec_keys (
    id           INTEGER PRIMARY KEY,
    zone         TEXT    NOT NULL,
    role         TEXT    NOT NULL,
    algorithm    BIGINT  NOT NULL,
    private_key  TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    state_since  BIGINT  NOT NULL,
    revision     BIGINT  NOT NULL
);
CREATE INDEX dnssec_keys_by_zone ON dnssec_keys (zone);

CREATE TABLE dnssec_zones (
    zone           TEXT    PRIMARY KEY,
    signed_window  BIGINT  NOT NULL
);

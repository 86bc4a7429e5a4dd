-- The catalog zone (RFC 9432): every active reverse zone is a member. Its serial lives on the
-- DNS generation row and is moved, last in the transaction, by a write that makes a zone join
-- (created, or served again) or leave (retired), so that a node serving generation N serves
-- the catalog as it was at N; its NOTIFY leaves through the outbox (written with the serial).
-- `zones.member_since` is when a zone last joined: a write learns from it whether its upsert
-- made a zone join.
-- Same in migrations/postgres.
ALTER TABLE dns_generation ADD COLUMN catalog_serial BIGINT NOT NULL DEFAULT 0;
UPDATE dns_generation SET catalog_serial = CAST(strftime('%s', 'now') AS INTEGER);
ALTER TABLE zones ADD COLUMN member_since BIGINT;

-- One outbox for every effect (issue 16): besides webhook deliveries it carries NOTIFY to a
-- secondary (kind 'notify': target the secondary, zone and serial) and pushes to a
-- publishing backend (kind 'powerdns' or 'rfc2136': target the backend, the addresses
-- first_addr..last_addr whose PTRs it must be told). Each row is written in the transaction
-- of the change that causes it: NOTIFY rows by the triggers below whenever a served zone's
-- serial moves (wherever that happens), push rows by the publishing write path's commit
-- (db::PublishTx::commit). Whom to tell is in outbox_targets, written at start from the
-- configuration (every node is configured alike). A newer serial of a zone supersedes the
-- NOTIFYs of older ones not yet answered. Same in migrations/sqlite.
ALTER TABLE outbox
    ALTER COLUMN audit_id DROP NOT NULL,
    ALTER COLUMN event DROP NOT NULL,
    ADD COLUMN target TEXT,
    ADD COLUMN zone TEXT,
    ADD COLUMN serial BIGINT,
    ADD COLUMN first_addr BYTEA,
    ADD COLUMN last_addr BYTEA;
CREATE INDEX outbox_open_by_address ON outbox (first_addr) WHERE first_addr IS NOT NULL AND delivered_at IS NULL AND given_up_at IS NULL;
CREATE INDEX outbox_open_by_zone ON outbox (zone, target) WHERE zone IS NOT NULL AND delivered_at IS NULL AND given_up_at IS NULL;

CREATE TABLE outbox_targets (
    kind    TEXT NOT NULL,
    target  TEXT NOT NULL,
    PRIMARY KEY (kind, target)
);

CREATE FUNCTION zone_serial_to_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.active = 1 AND (TG_OP = 'INSERT' OR NEW.serial IS DISTINCT FROM OLD.serial) THEN
        IF TG_OP = 'UPDATE' THEN
            UPDATE outbox SET given_up_at = NEW.updated_at, last_error = 'superseded by serial ' || NEW.serial
            WHERE kind = 'notify' AND zone = NEW.name AND delivered_at IS NULL AND given_up_at IS NULL;
        END IF;
        INSERT INTO outbox (kind, target, zone, serial, created_at, next_attempt_at)
        SELECT 'notify', t.target, NEW.name, NEW.serial, NEW.updated_at, NEW.updated_at
        FROM outbox_targets t WHERE t.kind = 'notify';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER zone_serial_to_outbox AFTER INSERT OR UPDATE OF serial ON zones
    FOR EACH ROW EXECUTE FUNCTION zone_serial_to_outbox();

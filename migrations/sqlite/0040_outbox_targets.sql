-- One outbox for every effect (issue 16): besides webhook deliveries it carries NOTIFY to a
-- secondary (kind 'notify': target the secondary, zone and serial) and pushes to a
-- publishing backend (kind 'powerdns' or 'rfc2136': target the backend, the addresses
-- first_addr..last_addr whose PTRs it must be told). Each row is written in the transaction
-- of the change that causes it: NOTIFY rows by the triggers below whenever a served zone's
-- serial moves (wherever that happens), push rows by the publishing write path's commit
-- (db::PublishTx::commit). Whom to tell is in outbox_targets, written at start from the
-- configuration (every node is configured alike). A newer serial of a zone supersedes the
-- NOTIFYs of older ones not yet answered. Same in migrations/postgres.
DROP TRIGGER audit_to_outbox;

CREATE TABLE outbox_next (
    id               INTEGER PRIMARY KEY,
    kind             TEXT    NOT NULL,
    webhook_id       BIGINT  REFERENCES webhooks (id),
    audit_id         BIGINT,
    event            TEXT,
    target           TEXT,
    zone             TEXT,
    serial           BIGINT,
    first_addr       BLOB,
    last_addr        BLOB,
    created_at       BIGINT  NOT NULL,
    next_attempt_at  BIGINT  NOT NULL,
    attempts         BIGINT  NOT NULL DEFAULT 0,
    claimed_by       TEXT,
    claimed_until    BIGINT,
    last_attempt_at  BIGINT,
    last_status      BIGINT,
    last_error       TEXT,
    delivered_at     BIGINT,
    given_up_at      BIGINT
);
INSERT INTO outbox_next (id, kind, webhook_id, audit_id, event, created_at, next_attempt_at,
                         attempts, claimed_by, claimed_until, last_attempt_at, last_status,
                         last_error, delivered_at, given_up_at)
SELECT id, kind, webhook_id, audit_id, event, created_at, next_attempt_at, attempts, claimed_by,
       claimed_until, last_attempt_at, last_status, last_error, delivered_at, given_up_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_next RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND given_up_at IS NULL;
CREATE INDEX outbox_by_webhook ON outbox (webhook_id, id);
CREATE INDEX outbox_open_by_address ON outbox (first_addr) WHERE first_addr IS NOT NULL AND delivered_at IS NULL AND given_up_at IS NULL;
CREATE INDEX outbox_open_by_zone ON outbox (zone, target) WHERE zone IS NOT NULL AND delivered_at IS NULL AND given_up_at IS NULL;

CREATE TRIGGER audit_to_outbox AFTER INSERT ON audit
WHEN NEW.action IN ('ptr.set', 'ptr.reset', 'ptr.request.pending', 'ptr.request.rejected', 'change.review-requested', 'change.approved', 'change.denied', 'assignment.add', 'assignment.move', 'assignment.remove')
BEGIN
    INSERT INTO outbox (kind, webhook_id, audit_id, event, created_at, next_attempt_at)
    SELECT 'webhook', w.id, NEW.id, e.event, NEW.at, NEW.at
    FROM webhooks w, (SELECT CASE NEW.action WHEN 'ptr.set' THEN 'ptr.published' WHEN 'ptr.reset' THEN 'ptr.published' WHEN 'ptr.request.pending' THEN 'ptr.pending' WHEN 'ptr.request.rejected' THEN 'ptr.rejected' WHEN 'change.review-requested' THEN 'ptr.review_requested' WHEN 'change.approved' THEN 'ptr.review_decided' WHEN 'change.denied' THEN 'ptr.review_decided' WHEN 'assignment.add' THEN 'assignment.created' WHEN 'assignment.move' THEN 'assignment.moved' WHEN 'assignment.remove' THEN 'assignment.removed' END AS event) e
    WHERE w.disabled_at IS NULL AND (',' || w.events || ',') LIKE ('%,' || e.event || ',%');
END;

CREATE TABLE outbox_targets (
    kind    TEXT NOT NULL,
    target  TEXT NOT NULL,
    PRIMARY KEY (kind, target)
);

CREATE TRIGGER zone_serial_to_outbox AFTER UPDATE OF serial ON zones
WHEN NEW.active = 1 AND NEW.serial <> OLD.serial
BEGIN
    UPDATE outbox SET given_up_at = NEW.updated_at, last_error = 'superseded by serial ' || NEW.serial
    WHERE kind = 'notify' AND zone = NEW.name AND delivered_at IS NULL AND given_up_at IS NULL;
    INSERT INTO outbox (kind, target, zone, serial, created_at, next_attempt_at)
    SELECT 'notify', t.target, NEW.name, NEW.serial, NEW.updated_at, NEW.updated_at
    FROM outbox_targets t WHERE t.kind = 'notify';
END;

CREATE TRIGGER zone_created_to_outbox AFTER INSERT ON zones
WHEN NEW.active = 1
BEGIN
    INSERT INTO outbox (kind, target, zone, serial, created_at, next_attempt_at)
    SELECT 'notify', t.target, NEW.name, NEW.serial, NEW.updated_at, NEW.updated_at
    FROM outbox_targets t WHERE t.kind = 'notify';
END;

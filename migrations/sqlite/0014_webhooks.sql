-- Events out (issue 15): webhook endpoints admins register, and the outbox every effect of a
-- change leaves through. An audit row of an action that is an event (the list below mirrors
-- domain::webhook::WebhookEvent::of, and a test holds the two together) writes one outbox row
-- per endpoint subscribed to it, in the transaction of the change itself: nothing is lost
-- when a node dies, and no write path can forget it. The delivery job claims due rows.
-- Same in migrations/postgres.
CREATE TABLE webhooks (
    id           INTEGER PRIMARY KEY,
    url          TEXT    NOT NULL,
    secret       TEXT    NOT NULL,
    events       TEXT    NOT NULL,
    created_by   BIGINT  REFERENCES users (id),
    created_at   BIGINT  NOT NULL,
    disabled_at  BIGINT
);

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    kind             TEXT    NOT NULL,
    webhook_id       BIGINT  REFERENCES webhooks (id),
    audit_id         BIGINT  NOT NULL,
    event            TEXT    NOT NULL,
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
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND given_up_at IS NULL;
CREATE INDEX outbox_by_webhook ON outbox (webhook_id, id);

CREATE TRIGGER audit_to_outbox AFTER INSERT ON audit
WHEN NEW.action IN ('ptr.set', 'ptr.reset', 'ptr.request.pending', 'ptr.request.rejected', 'change.review-requested', 'change.approved', 'change.denied', 'assignment.add', 'assignment.move', 'assignment.remove')
BEGIN
    INSERT INTO outbox (kind, webhook_id, audit_id, event, created_at, next_attempt_at)
    SELECT 'webhook', w.id, NEW.id, e.event, NEW.at, NEW.at
    FROM webhooks w, (SELECT CASE NEW.action WHEN 'ptr.set' THEN 'ptr.published' WHEN 'ptr.reset' THEN 'ptr.published' WHEN 'ptr.request.pending' THEN 'ptr.pending' WHEN 'ptr.request.rejected' THEN 'ptr.rejected' WHEN 'change.review-requested' THEN 'ptr.review_requested' WHEN 'change.approved' THEN 'ptr.review_decided' WHEN 'change.denied' THEN 'ptr.review_decided' WHEN 'assignment.add' THEN 'assignment.created' WHEN 'assignment.move' THEN 'assignment.moved' WHEN 'assignment.remove' THEN 'assignment.removed' END AS event) e
    WHERE w.disabled_at IS NULL AND (',' || w.events || ',') LIKE ('%,' || e.event || ',%');
END;

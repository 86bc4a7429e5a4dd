-- Notification mails (issue 22). Users get an e-mail address. `mail_opt_outs` holds the
-- topics a user turned off (every topic of their role is on by default). `mail_outbox` holds
-- one row per mail to send, delivered by its own job (outbox::mail: claimed per node,
-- retried with back-off, never waited for by a save). A customer's events are written by the
-- trigger below, in the transaction of the audit row itself, one row per user of the
-- customer with an address who did not turn the topic off:
--   pending  a pending change was published or rejected by the background re-check (actor system)
--   review   an admin approved or denied a change
--   drift    a published entry began or stopped failing its checks
-- The admins' digest of review requests (`review-digest`) is written by the digest job,
-- naming the audit ids it covers (digest_after_id < id <= audit_id).
-- Same in migrations/postgres.
ALTER TABLE users ADD COLUMN email TEXT;

CREATE TABLE mail_opt_outs (
    user_id  BIGINT  NOT NULL REFERENCES users (id),
    topic    TEXT    NOT NULL,
    PRIMARY KEY (user_id, topic)
);

CREATE TABLE mail_outbox (
    id               INTEGER PRIMARY KEY,
    user_id          BIGINT  NOT NULL REFERENCES users (id),
    topic            TEXT    NOT NULL,
    audit_id         BIGINT  NOT NULL,
    digest_after_id  BIGINT,
    created_at       BIGINT  NOT NULL,
    next_attempt_at  BIGINT  NOT NULL,
    attempts         BIGINT  NOT NULL DEFAULT 0,
    claimed_by       TEXT,
    claimed_until    BIGINT,
    last_attempt_at  BIGINT,
    last_error       TEXT,
    sent_at          BIGINT,
    given_up_at      BIGINT
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND given_up_at IS NULL;
CREATE INDEX mail_outbox_by_user ON mail_outbox (user_id, id);

CREATE TABLE mail_digests (
    name           TEXT    PRIMARY KEY,
    last_audit_id  BIGINT  NOT NULL,
    last_run_at    BIGINT  NOT NULL
);

CREATE TRIGGER audit_to_mail_outbox AFTER INSERT ON audit
WHEN NEW.customer_id IS NOT NULL AND (
    (NEW.actor = 'system' AND NEW.door = 'system' AND NEW.action IN ('ptr.set', 'ptr.request.rejected'))
    OR NEW.action IN ('change.approved', 'change.denied', 'ptr.drift.start', 'ptr.drift.end'))
BEGIN
    INSERT INTO mail_outbox (user_id, topic, audit_id, created_at, next_attempt_at)
    SELECT u.id, t.topic, NEW.id, NEW.at, NEW.at
    FROM users u, (SELECT CASE WHEN NEW.action IN ('change.approved', 'change.denied') THEN 'review' WHEN NEW.action IN ('ptr.drift.start', 'ptr.drift.end') THEN 'drift' ELSE 'pending' END AS topic) t
    WHERE u.customer_id = NEW.customer_id AND u.disabled_at IS NULL AND u.email IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM mail_opt_outs o WHERE o.user_id = u.id AND o.topic = t.topic);
END;

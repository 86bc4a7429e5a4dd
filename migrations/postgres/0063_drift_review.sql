-- Long drift as a review item (issue 22): an entry drifting longer than the policy's
-- `drift_review_days` is an item of the admin review queue until its drift ends. The admin's
-- decision is kept on the drift row: `kept` (it stays as it is; off the queue for this drift)
-- or `asked` (the customer was asked to fix it; back on the queue when it still drifts
-- `drift_review_days` after asking). Resetting it to the default goes through the one write
-- path and ends the drift with the entry. A new drift (another entry version) starts without
-- a decision. The customer's mail trigger learns the two decisions that tell them
-- (`drift.review.asked`, `drift.review.reset`; topic `drift`).
-- Same in migrations/sqlite.
ALTER TABLE entry_drift ADD COLUMN review_state TEXT;
ALTER TABLE entry_drift ADD COLUMN reviewed_at BIGINT;
ALTER TABLE entry_drift ADD COLUMN reviewed_by BIGINT;
ALTER TABLE entry_drift ADD COLUMN review_note TEXT;

CREATE OR REPLACE FUNCTION audit_to_mail_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    mail_topic TEXT := CASE
        WHEN NEW.action IN ('change.approved', 'change.denied') THEN 'review'
        WHEN NEW.action IN ('ptr.drift.start', 'ptr.drift.end', 'drift.review.asked', 'drift.review.reset') THEN 'drift'
        WHEN NEW.actor = 'system' AND NEW.door = 'system' AND NEW.action IN ('ptr.set', 'ptr.request.rejected') THEN 'pending'
    END;
BEGIN
    IF mail_topic IS NOT NULL AND NEW.customer_id IS NOT NULL THEN
        INSERT INTO mail_outbox (user_id, topic, audit_id, created_at, next_attempt_at)
        SELECT u.id, mail_topic, NEW.id, NEW.at, NEW.at
        FROM users u
        WHERE u.customer_id = NEW.customer_id AND u.disabled_at IS NULL AND u.email IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM mail_opt_outs o WHERE o.user_id = u.id AND o.topic = mail_topic);
    END IF;
    RETURN NULL;
END
$$;

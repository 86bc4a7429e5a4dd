-- A newer request for the same address closes the older open ones (superseded_by), and
-- pending changes count their re-checks for the back-off. Same in migrations/postgres.
ALTER TABLE changes ADD COLUMN superseded_by BIGINT REFERENCES changes (id);
ALTER TABLE changes ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
CREATE INDEX changes_due ON changes (state, next_check_at);

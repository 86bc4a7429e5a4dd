-- Continuous re-verification (issue 22): published entries are checked again, spread over a
-- period. `entry_drift` holds one row per entry that now fails its checks (an "entry drift",
-- not the secondaries' drift of dns::verify): it stays published; the row names the entry
-- version it was found on, so a newer publication or a removed entry leaves it stale (read
-- joined with `entries` on address and version, and swept by the job). `reverify_progress`
-- is where the pass stands (the last entry id checked), so that the node taking over the
-- job's lease goes on where the last one stopped.
-- Same in migrations/postgres.
CREATE TABLE entry_drift (
    address        BLOB    PRIMARY KEY,
    entry_version  BIGINT  NOT NULL,
    customer_id    BIGINT  NOT NULL REFERENCES customers (id),
    since          BIGINT  NOT NULL,
    checked_at     BIGINT  NOT NULL,
    finding_id     TEXT    NOT NULL,
    message        TEXT    NOT NULL,
    findings       TEXT    NOT NULL
);
CREATE INDEX entry_drift_by_customer ON entry_drift (customer_id, since);
CREATE INDEX entry_drift_by_since ON entry_drift (since);

CREATE TABLE reverify_progress (
    name             TEXT    PRIMARY KEY,
    after_id         BIGINT  NOT NULL,
    pass_started_at  BIGINT  NOT NULL,
    last_pass_at     BIGINT
);

-- Background jobs run once across nodes. `notified_serial` is the serial whose NOTIFY a node
-- has claimed (and sends, with its retries): the node whose conditional update moves it up is
-- the only one that announces that serial. `job_leases` holds one row per periodic job
-- (drift, live-status probes): the node that takes the lease runs the job's rounds until
-- `until` (Unix seconds); another node takes it over only once it has run out.
-- Same in migrations/postgres.
ALTER TABLE zones ADD COLUMN notified_serial BIGINT;

CREATE TABLE job_leases (
    name        TEXT    PRIMARY KEY,
    holder      TEXT,
    until       BIGINT  NOT NULL
);

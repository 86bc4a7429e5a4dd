-- The provider's systems drive the inventory (issue 15): API credentials of staff with a scope
-- (`inventory` reads and writes customers, servers and assignments; `read` reads everything),
-- their request counts per rate-limit window, and customers cancelled by provisioning (their
-- history stays). Same in migrations/postgres.
CREATE TABLE staff_credentials (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    secret_hash   TEXT    NOT NULL,
    label         TEXT    NOT NULL,
    scope         TEXT    NOT NULL CHECK (scope IN ('inventory', 'read')),
    created_by    BIGINT  REFERENCES users (id),
    created_at    BIGINT  NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT
);

CREATE TABLE staff_api_usage (
    credential_id  BIGINT  NOT NULL REFERENCES staff_credentials (id),
    window_start   BIGINT  NOT NULL,
    requests       BIGINT  NOT NULL,
    PRIMARY KEY (credential_id, window_start)
);

ALTER TABLE customers ADD COLUMN cancelled_at BIGINT;

-- API credentials of customers (Robot-compatible and native API) and the request counts of
-- the rate limit, per credential and window. Same in migrations/postgres.
CREATE TABLE api_credentials (
    id            INTEGER PRIMARY KEY,
    customer_id   BIGINT  NOT NULL REFERENCES customers (id),
    username      TEXT    NOT NULL UNIQUE,
    secret_hash   TEXT    NOT NULL,
    label         TEXT    NOT NULL,
    created_by    BIGINT  REFERENCES users (id),
    created_at    BIGINT  NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT
);
CREATE INDEX api_credentials_by_customer ON api_credentials (customer_id, id);

CREATE TABLE api_usage (
    credential_id  BIGINT  NOT NULL REFERENCES api_credentials (id),
    window_start   BIGINT  NOT NULL,
    requests       BIGINT  NOT NULL,
    PRIMARY KEY (credential_id, window_start)
);

-- The validation policy as admins edit it: overrides of the configured policy
-- (`forward_policy`, `severity:<check id>`) and the protected-domain list. Same in
-- migrations/postgres.
CREATE TABLE policy_settings (
    name        TEXT    PRIMARY KEY,
    value       TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL
);

CREATE TABLE protected_domains (
    domain      TEXT    PRIMARY KEY,
    created_at  BIGINT  NOT NULL
);

-- The well-known brands whose look-alikes the `confusable` check refuses, kept by admins on
-- the policy page beside the protected domains (lower-case ASCII form). Same in
-- migrations/sqlite and migrations/postgres.
CREATE TABLE brand_domains (
    domain      TEXT    PRIMARY KEY,
    created_at  BIGINT  NOT NULL
);

-- Identity: server-side sessions, the users linked to the provider's OpenID Connect
-- identities, and the second factor (TOTP) of users who sign in with a password. Same in migrations/postgres.

-- Server-side sessions: the cookie carries only a random session key (signed and encrypted by
-- actix-session); what a session holds and whose it is lives here, so that signing out, a
-- password reset, a role change or disabling a user ends it on every node at once.
-- `key_hash` is the SHA-256 of the cookie's key (a copy of this table opens no session);
-- `id` is the handle the "where you're signed in" pages use. `user_id` is NULL for a visitor
-- who has not signed in yet (the sign-in form's CSRF token).
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    key_hash      TEXT    NOT NULL UNIQUE,
    user_id       BIGINT  REFERENCES users (id),
    state         TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    last_seen_at  BIGINT  NOT NULL,
    address       TEXT,
    user_agent    TEXT
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);

-- A ptrdesk user signed in through OpenID Connect is linked to the provider's issuer and
-- subject (`iss`, `sub`), never to an e-mail address: the link is made at the first sign-in.
CREATE TABLE oidc_identities (
    issuer      TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    user_id     BIGINT  NOT NULL UNIQUE REFERENCES users (id),
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (issuer, subject)
);

-- A user's TOTP secret (base32, RFC 6238: SHA-1, 6 digits, 30 s). `enabled_at` is NULL while
-- the user enrols (the secret is shown, no code confirmed yet). `last_step` is the time step
-- of the last code accepted: a code is accepted once, and never one of an earlier step.
CREATE TABLE user_totp (
    user_id     BIGINT  PRIMARY KEY REFERENCES users (id),
    secret      TEXT    NOT NULL,
    enabled_at  BIGINT,
    last_step   BIGINT  NOT NULL
);

-- Recovery codes, shown once at enrolment; only their SHA-256 is kept; each works once.
CREATE TABLE recovery_codes (
    user_id    BIGINT  NOT NULL REFERENCES users (id),
    code_hash  TEXT    NOT NULL,
    used_at    BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- ptrdesk schema, SQLite flavour. Kept in step with migrations/postgres/0001_initial.sql:
-- same tables, columns and constraints; only id columns and the byte type differ.
-- Times are Unix seconds (BIGINT). Addresses are 16-byte keys (IPv4 as ::ffff:a.b.c.d) so that
-- "which assignment holds this IP" is a range comparison on bytes in both engines.

CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    number      TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT    NOT NULL UNIQUE,
    password_hash  TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('customer', 'admin', 'helpdesk')),
    customer_id    BIGINT  REFERENCES customers (id),
    disabled_at    BIGINT,
    created_at     BIGINT  NOT NULL,
    CHECK ((role = 'customer' AND customer_id IS NOT NULL) OR (role <> 'customer' AND customer_id IS NULL))
);

CREATE TABLE servers (
    id           INTEGER PRIMARY KEY,
    customer_id  BIGINT  NOT NULL REFERENCES customers (id),
    name         TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    UNIQUE (customer_id, name)
);

CREATE TABLE assignments (
    id          INTEGER PRIMARY KEY,
    server_id   BIGINT  NOT NULL REFERENCES servers (id),
    network     TEXT    NOT NULL UNIQUE,
    family      BIGINT  NOT NULL CHECK (family IN (4, 6)),
    prefix_len  BIGINT  NOT NULL,
    first_addr  BLOB    NOT NULL,
    last_addr   BLOB    NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX assignments_by_range ON assignments (first_addr, last_addr);
CREATE INDEX assignments_by_server ON assignments (server_id, first_addr);

CREATE TABLE changes (
    id                  INTEGER PRIMARY KEY,
    address             BLOB    NOT NULL,
    address_text        TEXT    NOT NULL,
    assignment_id       BIGINT  NOT NULL REFERENCES assignments (id),
    customer_id         BIGINT  NOT NULL REFERENCES customers (id),
    requested_hostname  TEXT,
    state               TEXT    NOT NULL CHECK (state IN ('published', 'pending', 'rejected', 'in-review', 'denied')),
    findings            TEXT    NOT NULL,
    justification       TEXT,
    decided_by          BIGINT  REFERENCES users (id),
    note                TEXT,
    next_check_at       BIGINT,
    deadline            BIGINT,
    created_by          BIGINT  REFERENCES users (id),
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL
);
CREATE INDEX changes_by_address ON changes (address, id);
CREATE INDEX changes_by_state ON changes (state, created_at);

CREATE TABLE entries (
    id             INTEGER PRIMARY KEY,
    address        BLOB    NOT NULL UNIQUE,
    address_text   TEXT    NOT NULL,
    assignment_id  BIGINT  NOT NULL REFERENCES assignments (id),
    hostname       TEXT,
    version        BIGINT  NOT NULL,
    change_id      BIGINT  REFERENCES changes (id),
    updated_at     BIGINT  NOT NULL
);
CREATE INDEX entries_by_assignment ON entries (assignment_id, address);

CREATE TABLE audit (
    id             INTEGER PRIMARY KEY,
    at             BIGINT  NOT NULL,
    actor_user_id  BIGINT  REFERENCES users (id),
    actor          TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    door           TEXT    NOT NULL CHECK (door IN ('page', 'api', 'import', 'review', 'system')),
    action         TEXT    NOT NULL,
    customer_id    BIGINT  REFERENCES customers (id),
    address        BLOB,
    address_text   TEXT,
    old_value      TEXT,
    new_value      TEXT,
    change_id      BIGINT  REFERENCES changes (id)
);
CREATE INDEX audit_by_address ON audit (address, at);
CREATE INDEX audit_by_customer ON audit (customer_id, at);

CREATE TABLE login_failures (
    id        INTEGER PRIMARY KEY,
    at        BIGINT  NOT NULL,
    username  TEXT    NOT NULL,
    source    TEXT    NOT NULL
);
CREATE INDEX login_failures_by_username ON login_failures (username, at);
CREATE INDEX login_failures_by_source ON login_failures (source, at);

CREATE TABLE login_locks (
    id       INTEGER PRIMARY KEY,
    subject  TEXT    NOT NULL,
    until    BIGINT  NOT NULL
);
CREATE INDEX login_locks_by_subject ON login_locks (subject, until);

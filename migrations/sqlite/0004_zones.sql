-- Reverse zones served by ptrdesk's DNS, with the serial every published change in them bumps
-- (in the change's own transaction). Rows are created by the zone sync from the assignments
-- and the configured zone cuts; a zone no longer derived stays with active = 0, so that its
-- serial never goes back should it return. `digest` fingerprints what besides entries makes
-- up the zone (its assignments, the default names, NS and SOA settings): when it changes, the
-- serial is bumped too. Same in migrations/postgres.
CREATE TABLE zones (
    name        TEXT    PRIMARY KEY,
    first_addr  BLOB    NOT NULL,
    last_addr   BLOB    NOT NULL,
    serial      BIGINT  NOT NULL,
    digest      TEXT,
    active      BIGINT  NOT NULL DEFAULT 1,
    updated_at  BIGINT  NOT NULL
);
CREATE INDEX zones_by_range ON zones (active, first_addr);

-- Live status: what each configured public name server last said a zone's serial is, and
-- the zone and serial each entry was published at (set with the serial bump). An entry is
-- live once every public server serves its zone at that serial or later.
CREATE TABLE zone_servers (
    zone        TEXT    NOT NULL,
    server      TEXT    NOT NULL,
    serial      BIGINT,
    problem     TEXT,
    checked_at  BIGINT  NOT NULL,
    PRIMARY KEY (zone, server)
);
ALTER TABLE entries ADD COLUMN zone TEXT;
ALTER TABLE entries ADD COLUMN zone_serial BIGINT;

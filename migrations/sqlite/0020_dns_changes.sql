-- What DNS serves changed, and where: every node answers DNS from a zone store in memory
-- (src/dns/store/) and follows this log to keep it current. A write that changes what DNS
-- serves (entries, assignments, zone serials) moves `dns_generation` by one, last in its
-- transaction, and writes one `dns_changes` row per address range it changed, under that
-- generation. The generation row is the last lock such a transaction takes (after the zones),
-- so generations become visible in commit order: a node that has seen generation N has seen
-- every change up to N. `kind` 0: entries, assignments and zone serials in the range may have
-- changed (reload all three); 1: only zone serials (reload the zone rows). Rows older than a
-- day are pruned; a node further behind reloads everything. Same in migrations/postgres.
CREATE TABLE dns_generation (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    generation  BIGINT  NOT NULL
);
INSERT INTO dns_generation (id, generation) VALUES (1, 0);

CREATE TABLE dns_changes (
    generation  BIGINT  NOT NULL,
    first_addr  BLOB    NOT NULL,
    last_addr   BLOB    NOT NULL,
    kind        BIGINT  NOT NULL,
    at          BIGINT  NOT NULL
);
CREATE INDEX dns_changes_by_generation ON dns_changes (generation);

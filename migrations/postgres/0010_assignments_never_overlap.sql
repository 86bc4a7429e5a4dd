-- Assignments never overlap, and the database says so (issue 24): the check the admin form and
-- the import make first ran under READ COMMITTED, so two admins adding overlapping networks at
-- the same moment both passed it and two customers held one address. An exclusion constraint
-- over the 16-byte address keys (both families share one key space, IPv4 as ::ffff:a.b.c.d)
-- makes the second insert wait for the first and then fail. Same in migrations/sqlite.
CREATE TYPE address_range AS RANGE (subtype = bytea);
ALTER TABLE assignments ADD CONSTRAINT assignments_never_overlap
    EXCLUDE USING gist (address_range(first_addr, last_addr, '[]') WITH &&);

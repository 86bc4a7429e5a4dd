-- Speed at provider scale (a million addresses). Same in migrations/sqlite, where the search
-- indexes are FTS5 tables instead of pg_trgm GIN indexes.
--
-- pg_trgm ships with PostgreSQL (Debian: in the postgresql package) and is a trusted
-- extension: the database owner (the user ptrdesk connects as) may create it. Where that user
-- may not, have a superuser run `CREATE EXTENSION pg_trgm;` in the database once.

-- The customer's page shows the open changes of its assignments: an index on exactly those
-- (few rows, however long the history of published changes grows). "Open" is written as
-- `state <> 'published'`, which no other index serves, so that even without statistics the
-- planner takes this index rather than `changes_due` on state.
CREATE INDEX changes_open_by_assignment ON changes (assignment_id, address)
    WHERE superseded_by IS NULL AND state <> 'published';

-- The customer's page says how many assignments the customer holds: kept here by triggers, so
-- that the first page does not count thousands of rows each time it is shown.
ALTER TABLE customers ADD COLUMN assignment_count BIGINT NOT NULL DEFAULT 0;
UPDATE customers SET assignment_count = (
    SELECT COUNT(*) FROM assignments a JOIN servers s ON s.id = a.server_id
    WHERE s.customer_id = customers.id);

CREATE FUNCTION count_assignments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE customers SET assignment_count = assignment_count - 1
        WHERE id = (SELECT customer_id FROM servers WHERE id = OLD.server_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE customers SET assignment_count = assignment_count + 1
        WHERE id = (SELECT customer_id FROM servers WHERE id = NEW.server_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER assignments_counted AFTER INSERT OR DELETE OR UPDATE OF server_id ON assignments
    FOR EACH ROW EXECUTE FUNCTION count_assignments();

CREATE FUNCTION count_moved_server() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customers SET assignment_count = assignment_count
        - (SELECT COUNT(*) FROM assignments WHERE server_id = OLD.id)
    WHERE id = OLD.customer_id;
    UPDATE customers SET assignment_count = assignment_count
        + (SELECT COUNT(*) FROM assignments WHERE server_id = NEW.id)
    WHERE id = NEW.customer_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER servers_counted AFTER UPDATE OF customer_id ON servers
    FOR EACH ROW EXECUTE FUNCTION count_moved_server();

-- The help-desk search: trigram indexes of host names (stored in lower case), customer names
-- and server names (searched in lower case), so that "contains this fragment" (LIKE '%…%') is
-- an index look-up instead of a scan of a million rows.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX entries_hostname_trigrams ON entries USING gin (hostname gin_trgm_ops);
CREATE INDEX customers_name_trigrams ON customers USING gin (LOWER(name) gin_trgm_ops);
CREATE INDEX servers_name_trigrams ON servers USING gin (LOWER(name) gin_trgm_ops);

-- A customer number is searched as a whole, whatever its case.
CREATE INDEX customers_by_lower_number ON customers (LOWER(number));

-- Speed at provider scale (a million addresses). Same in migrations/postgres, where the
-- search indexes are pg_trgm GIN indexes instead of FTS5 tables.

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

CREATE TRIGGER assignments_counted_on_insert AFTER INSERT ON assignments BEGIN
    UPDATE customers SET assignment_count = assignment_count + 1
    WHERE id = (SELECT customer_id FROM servers WHERE id = NEW.server_id);
END;
CREATE TRIGGER assignments_counted_on_delete AFTER DELETE ON assignments BEGIN
    UPDATE customers SET assignment_count = assignment_count - 1
    WHERE id = (SELECT customer_id FROM servers WHERE id = OLD.server_id);
END;
CREATE TRIGGER assignments_counted_on_move AFTER UPDATE OF server_id ON assignments BEGIN
    UPDATE customers SET assignment_count = assignment_count - 1
    WHERE id = (SELECT customer_id FROM servers WHERE id = OLD.server_id);
    UPDATE customers SET assignment_count = assignment_count + 1
    WHERE id = (SELECT customer_id FROM servers WHERE id = NEW.server_id);
END;
CREATE TRIGGER servers_counted_on_move AFTER UPDATE OF customer_id ON servers BEGIN
    UPDATE customers SET assignment_count = assignment_count
        - (SELECT COUNT(*) FROM assignments WHERE server_id = OLD.id)
    WHERE id = OLD.customer_id;
    UPDATE customers SET assignment_count = assignment_count
        + (SELECT COUNT(*) FROM assignments WHERE server_id = NEW.id)
    WHERE id = NEW.customer_id;
END;

-- The help-desk search: trigram indexes of host names, customer names and server names, so
-- that "contains this fragment" is an index look-up instead of a scan of a million rows.
-- External-content FTS5 tables hold only the index; the triggers keep each in step with its
-- table, row for row (a NULL host name is indexed as empty, as 'rebuild' does). An
-- external-content index must be told the old text of a row it forgets, hence 'delete' with
-- OLD's value. 'optimize' leaves one segment: a query then reads one posting list per trigram.
-- Host names share many trigrams ("www", "ost", ".de"), whose posting lists are long: pages of
-- 500 bytes instead of 4,050 let a phrase query skip through them in smaller steps (a third of
-- the time for a fragment such as one customer's domain label, for the same index size).
CREATE VIRTUAL TABLE entries_search USING fts5 (
    hostname, content = 'entries', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO entries_search (entries_search, rank) VALUES ('pgsz', 500);
INSERT INTO entries_search (entries_search) VALUES ('rebuild');
INSERT INTO entries_search (entries_search) VALUES ('optimize');
CREATE TRIGGER entries_search_on_insert AFTER INSERT ON entries BEGIN
    INSERT INTO entries_search (rowid, hostname) VALUES (NEW.id, NEW.hostname);
END;
CREATE TRIGGER entries_search_on_delete AFTER DELETE ON entries BEGIN
    INSERT INTO entries_search (entries_search, rowid, hostname)
    VALUES ('delete', OLD.id, OLD.hostname);
END;
CREATE TRIGGER entries_search_on_update AFTER UPDATE OF hostname ON entries BEGIN
    INSERT INTO entries_search (entries_search, rowid, hostname)
    VALUES ('delete', OLD.id, OLD.hostname);
    INSERT INTO entries_search (rowid, hostname) VALUES (NEW.id, NEW.hostname);
END;

CREATE VIRTUAL TABLE customers_search USING fts5 (
    name, content = 'customers', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO customers_search (customers_search) VALUES ('rebuild');
INSERT INTO customers_search (customers_search) VALUES ('optimize');
CREATE TRIGGER customers_search_on_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_search (rowid, name) VALUES (NEW.id, NEW.name);
END;
CREATE TRIGGER customers_search_on_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_search (customers_search, rowid, name)
    VALUES ('delete', OLD.id, OLD.name);
END;
CREATE TRIGGER customers_search_on_update AFTER UPDATE OF name ON customers BEGIN
    INSERT INTO customers_search (customers_search, rowid, name)
    VALUES ('delete', OLD.id, OLD.name);
    INSERT INTO customers_search (rowid, name) VALUES (NEW.id, NEW.name);
END;

CREATE VIRTUAL TABLE servers_search USING fts5 (
    name, content = 'servers', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO servers_search (servers_search) VALUES ('rebuild');
INSERT INTO servers_search (servers_search) VALUES ('optimize');
CREATE TRIGGER servers_search_on_insert AFTER INSERT ON servers BEGIN
    INSERT INTO servers_search (rowid, name) VALUES (NEW.id, NEW.name);
END;
CREATE TRIGGER servers_search_on_delete AFTER DELETE ON servers BEGIN
    INSERT INTO servers_search (servers_search, rowid, name)
    VALUES ('delete', OLD.id, OLD.name);
END;
CREATE TRIGGER servers_search_on_update AFTER UPDATE OF name ON servers BEGIN
    INSERT INTO servers_search (servers_search, rowid, name)
    VALUES ('delete', OLD.id, OLD.name);
    INSERT INTO servers_search (rowid, name) VALUES (NEW.id, NEW.name);
END;

-- A customer number is searched as a whole, whatever its case.
CREATE INDEX customers_by_lower_number ON customers (LOWER(number));

-- The customer's page is cached per node (src/panel/cache.rs), validated by a number per
-- customer that moves with every write of something the page shows: servers, assignments,
-- entries, changes and entry drift. Triggers move it, so that every write path (the change
-- path, provisioning, delegation, drift, reviews, the jobs, the seed) does, in the writing
-- transaction: a page read after the commit sees the new number on any node. No row yet
-- means 0. No foreign key: a customer's removal cascades through the tables whose triggers
-- write here. Same in migrations/postgres (statement triggers, one move per transaction).
CREATE TABLE page_versions (
    customer_id  INTEGER PRIMARY KEY,
    version      BIGINT  NOT NULL
);

CREATE TRIGGER servers_page_on_insert AFTER INSERT ON servers BEGIN
    INSERT INTO page_versions (customer_id, version) VALUES (NEW.customer_id, 1)
    ON CONFLICT (customer_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER servers_page_on_delete AFTER DELETE ON servers BEGIN
    INSERT INTO page_versions (customer_id, version) VALUES (OLD.customer_id, 1)
    ON CONFLICT (customer_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER servers_page_on_update AFTER UPDATE OF name, customer_id ON servers BEGIN
    INSERT INTO page_versions (customer_id, version) VALUES (OLD.customer_id, 1)
    ON CONFLICT (customer_id) DO UPDATE SET version = version + 1;
    INSERT INTO page_versions (customer_id, version)
    SELECT NEW.customer_id, 1 WHERE NEW.customer_id <> OLD.customer_id
    ON CONFLICT (customer_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER assignments_page_on_insert AFTER INSERT ON assignments BEGIN
    INSERT INTO page_versions (customer_id, version)
    SELECT customer_id, 1 FROM servers WHERE id = NEW.server_id
    ON CONFLICT (customer_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER assignments_page_on_delete AFTER DELETE ON assignments BEGIN
    INSERT INTO page_versions (customer_id, version)
    SELECT customer_id, 1 FROM servers WHERE id = OLD.server_id
    ON CONFLICT (customer_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER assignments_page_on_update
AFTER UPDATE OF server_id, network, delegation_allowed, delegated_to ON assignments BEGIN
    INSERT INTO page_versions (customer_id, version)
    SELECT customer_id, 1 FROM servers WHERE id IN (OLD.server_id, NEW.server_id)
    ON CONFLICT (customer_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER entries_page_on_insert AFTER INSERT ON entries BEGIN
    INSERT INTO page_versions (customer_id, version)
    SELECT s.customer_id, 1 FROM assignments a JOIN servers s ON s.id = a.server_id
    WHERE a.id = NEW.assignment_id
    ON CONFLICT (customer_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER entries_page_on_delete AFTER DELETE ON entries BEGIN
    INSERT INTO page_versions (customer_id, version)
    SELECT s.customer_id, 1 FROM assignments a JOIN servers s ON s.id = a.server_id
    WHERE a.id = OLD.assignment_id
    ON CONFLICT (customer_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER entries_page_on_update
AFTER UPDATE OF assignment_id, hostname, version, change_id ON entries BEGIN
    INSERT INTO page_versions (customer_id, version)
    SELECT DISTINCT s.customer_id, 1 FROM assignments a JOIN servers s ON s.id = a.server_id
    WHERE a.id IN (OLD.assignment_id, NEW.assignment_id)
    ON CONFLICT (customer_id) DO UPDATE SET version = version + 1;
END;

-- Changes carry their customer. Not `next_check_at`, `attempts` or `updated_at` alone: the
-- re-check job moves those on every pending change without changing what the page shows.
CREATE TRIGGER changes_page_on_insert AFTER INSERT ON changes BEGIN
    INSERT INTO page_versions (customer_id, version) VALUES (NEW.customer_id, 1)
    ON CONFLICT (customer_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER changes_page_on_delete AFTER DELETE ON changes BEGIN
    INSERT INTO page_versions (customer_id, version) VALUES (OLD.customer_id, 1)
    ON CONFLICT (customer_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER changes_page_on_update
AFTER UPDATE OF customer_id, assignment_id, address, requested_hostname, state, findings,
    superseded_by, note, deadline ON changes BEGIN
    INSERT INTO page_versions (customer_id, version)
    SELECT DISTINCT id, 1 FROM customers WHERE id IN (OLD.customer_id, NEW.customer_id)
    ON CONFLICT (customer_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER entry_drift_page_on_insert AFTER INSERT ON entry_drift BEGIN
    INSERT INTO page_versions (customer_id, version) VALUES (NEW.customer_id, 1)
    ON CONFLICT (customer_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER entry_drift_page_on_delete AFTER DELETE ON entry_drift BEGIN
    INSERT INTO page_versions (customer_id, version) VALUES (OLD.customer_id, 1)
    ON CONFLICT (customer_id) DO UPDATE SET version = version + 1;
END;
-- Not `checked_at` alone: the drift job moves it on every re-check; the page does not show it.
CREATE TRIGGER entry_drift_page_on_update
AFTER UPDATE OF entry_version, customer_id, since, finding_id, message ON entry_drift BEGIN
    INSERT INTO page_versions (customer_id, version)
    SELECT DISTINCT id, 1 FROM customers WHERE id IN (OLD.customer_id, NEW.customer_id)
    ON CONFLICT (customer_id) DO UPDATE SET version = version + 1;
END;

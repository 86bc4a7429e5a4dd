-- The customer's page is cached per node (src/panel/cache.rs), validated by a number per
-- customer that moves with every write of something the page shows: servers, assignments,
-- entries, changes and entry drift. Triggers move it, so that every write path (the change
-- path, provisioning, delegation, drift, reviews, the jobs, the seed) does, in the writing
-- transaction: a page read after the commit sees the new number on any node. No row yet
-- means 0. No foreign key: a customer's removal cascades through the tables whose triggers
-- write here. Same in migrations/sqlite.
--
-- Here the number moves once per transaction (`tx`): a bulk of 10,000 single-row statements
-- would otherwise update the same row 10,000 times. Inserts and deletes bump once per
-- statement from their transition tables (the seed writes 1,000 rows per INSERT), in
-- customer order, so that two transactions touching the same customers lock them in the
-- same order. Updates bump per row, only when a shown column moved (a transition table
-- cannot be combined with a column list).
CREATE TABLE page_versions (
    customer_id  BIGINT  PRIMARY KEY,
    version      BIGINT  NOT NULL,
    tx           BIGINT  NOT NULL
);

CREATE FUNCTION bump_page_versions(customers BIGINT[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO page_versions AS v (customer_id, version, tx)
    SELECT DISTINCT c, 1, txid_current() FROM unnest(customers) AS c WHERE c IS NOT NULL ORDER BY 1
    ON CONFLICT (customer_id) DO UPDATE SET version = v.version + 1, tx = EXCLUDED.tx
    WHERE v.tx <> EXCLUDED.tx;
$$;

-- servers
CREATE FUNCTION servers_page_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM bump_page_versions(ARRAY(SELECT customer_id FROM new_rows));
    ELSE
        PERFORM bump_page_versions(ARRAY(SELECT customer_id FROM old_rows));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER servers_page_on_insert AFTER INSERT ON servers
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION servers_page_rows();
CREATE TRIGGER servers_page_on_delete AFTER DELETE ON servers
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION servers_page_rows();
CREATE FUNCTION servers_page_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_page_versions(ARRAY[OLD.customer_id, NEW.customer_id]);
    RETURN NULL;
END;
$$;
CREATE TRIGGER servers_page_on_update AFTER UPDATE OF name, customer_id ON servers
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.customer_id <> NEW.customer_id)
    EXECUTE FUNCTION servers_page_row();

-- assignments
CREATE FUNCTION assignments_page_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM bump_page_versions(ARRAY(
            SELECT s.customer_id FROM new_rows n JOIN servers s ON s.id = n.server_id));
    ELSE
        PERFORM bump_page_versions(ARRAY(
            SELECT s.customer_id FROM old_rows o JOIN servers s ON s.id = o.server_id));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER assignments_page_on_insert AFTER INSERT ON assignments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assignments_page_rows();
CREATE TRIGGER assignments_page_on_delete AFTER DELETE ON assignments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION assignments_page_rows();
CREATE FUNCTION assignments_page_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_page_versions(ARRAY(
        SELECT customer_id FROM servers WHERE id IN (OLD.server_id, NEW.server_id)));
    RETURN NULL;
END;
$$;
CREATE TRIGGER assignments_page_on_update
    AFTER UPDATE OF server_id, network, delegation_allowed, delegated_to ON assignments
    FOR EACH ROW WHEN (OLD.server_id <> NEW.server_id OR OLD.network <> NEW.network
        OR OLD.delegation_allowed <> NEW.delegation_allowed
        OR OLD.delegated_to IS DISTINCT FROM NEW.delegated_to)
    EXECUTE FUNCTION assignments_page_row();

-- entries
CREATE FUNCTION entries_page_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM bump_page_versions(ARRAY(
            SELECT s.customer_id FROM (SELECT DISTINCT assignment_id FROM new_rows) n
            JOIN assignments a ON a.id = n.assignment_id JOIN servers s ON s.id = a.server_id));
    ELSE
        PERFORM bump_page_versions(ARRAY(
            SELECT s.customer_id FROM (SELECT DISTINCT assignment_id FROM old_rows) o
            JOIN assignments a ON a.id = o.assignment_id JOIN servers s ON s.id = a.server_id));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER entries_page_on_insert AFTER INSERT ON entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION entries_page_rows();
CREATE TRIGGER entries_page_on_delete AFTER DELETE ON entries
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION entries_page_rows();
CREATE FUNCTION entries_page_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_page_versions(ARRAY(
        SELECT s.customer_id FROM assignments a JOIN servers s ON s.id = a.server_id
        WHERE a.id IN (OLD.assignment_id, NEW.assignment_id)));
    RETURN NULL;
END;
$$;
CREATE TRIGGER entries_page_on_update
    AFTER UPDATE OF assignment_id, hostname, version, change_id ON entries
    FOR EACH ROW WHEN (OLD.assignment_id <> NEW.assignment_id
        OR OLD.hostname IS DISTINCT FROM NEW.hostname OR OLD.version <> NEW.version
        OR OLD.change_id IS DISTINCT FROM NEW.change_id)
    EXECUTE FUNCTION entries_page_row();

-- changes and entry drift carry their customer. Not `next_check_at`, `attempts` or
-- `updated_at` alone: the re-check job moves those on every pending change without changing
-- what the page shows.
CREATE FUNCTION customer_rows_page() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM bump_page_versions(ARRAY(SELECT customer_id FROM new_rows));
    ELSE
        PERFORM bump_page_versions(ARRAY(SELECT customer_id FROM old_rows));
    END IF;
    RETURN NULL;
END;
$$;
CREATE FUNCTION customer_row_page() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_page_versions(ARRAY[OLD.customer_id, NEW.customer_id]);
    RETURN NULL;
END;
$$;
CREATE TRIGGER changes_page_on_insert AFTER INSERT ON changes
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_rows_page();
CREATE TRIGGER changes_page_on_delete AFTER DELETE ON changes
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_rows_page();
CREATE TRIGGER changes_page_on_update
    AFTER UPDATE OF customer_id, assignment_id, address, requested_hostname, state, findings,
        superseded_by, note, deadline ON changes
    FOR EACH ROW WHEN (OLD.customer_id <> NEW.customer_id
        OR OLD.assignment_id <> NEW.assignment_id OR OLD.address <> NEW.address
        OR OLD.requested_hostname IS DISTINCT FROM NEW.requested_hostname
        OR OLD.state <> NEW.state OR OLD.findings <> NEW.findings
        OR OLD.superseded_by IS DISTINCT FROM NEW.superseded_by
        OR OLD.note IS DISTINCT FROM NEW.note OR OLD.deadline IS DISTINCT FROM NEW.deadline)
    EXECUTE FUNCTION customer_row_page();
CREATE TRIGGER entry_drift_page_on_insert AFTER INSERT ON entry_drift
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_rows_page();
CREATE TRIGGER entry_drift_page_on_delete AFTER DELETE ON entry_drift
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_rows_page();
-- Not `checked_at` alone: the drift job moves it on every re-check; the page does not show it.
CREATE TRIGGER entry_drift_page_on_update
    AFTER UPDATE OF entry_version, customer_id, since, finding_id, message ON entry_drift
    FOR EACH ROW WHEN (OLD.entry_version <> NEW.entry_version
        OR OLD.customer_id <> NEW.customer_id OR OLD.since <> NEW.since
        OR OLD.finding_id <> NEW.finding_id OR OLD.message <> NEW.message)
    EXECUTE FUNCTION customer_row_page();

-- Assignments never overlap, and the database says so (issue 24; PostgreSQL has the same
-- trigger). SQLite runs one writer at a time, so the check the admin form and the import
-- make in their transaction already holds; this trigger refuses any other way in. Assignments
-- never overlap, so the one starting last at or before the new network's end is the only one
-- that can reach into it: one indexed look-up per insert. Same in migrations/postgres.
CREATE TRIGGER assignments_never_overlap BEFORE INSERT ON assignments
WHEN (SELECT last_addr FROM assignments WHERE first_addr <= NEW.last_addr
      ORDER BY first_addr DESC LIMIT 1) >= NEW.first_addr
BEGIN
    SELECT RAISE(ABORT, 'assignments_never_overlap: the network overlaps an existing assignment');
END;

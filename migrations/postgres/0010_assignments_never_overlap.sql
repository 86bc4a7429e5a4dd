-- Assignments never overlap, and the database says so (issue 24): the check the admin form and
-- the import make first ran under READ COMMITTED, so two admins adding overlapping networks at
-- the same moment both passed it and two customers held one address. This trigger checks again
-- for each inserted row, serialised: the statement trigger of 0008 has locked the
-- assignment_generation row before any row trigger runs, so a second writer waits there until
-- the first commits, and its check then sees the first one's rows (and those inserted earlier
-- by its own statement). Assignments never overlap, so the one starting last at or before the
-- new network's end is the only one that can reach into it: one indexed look-up per row (an
-- exclusion constraint over the address ranges made a large import 5 to 10 times slower).
-- The keys of both families share one space (IPv4 as ::ffff:a.b.c.d). Same in
-- migrations/sqlite.
CREATE FUNCTION refuse_overlapping_assignment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT last_addr FROM assignments WHERE first_addr <= NEW.last_addr
        ORDER BY first_addr DESC LIMIT 1) >= NEW.first_addr THEN
        RAISE EXCEPTION 'assignments_never_overlap: % overlaps an existing assignment', NEW.network
            USING ERRCODE = 'exclusion_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER assignments_never_overlap BEFORE INSERT ON assignments
    FOR EACH ROW EXECUTE FUNCTION refuse_overlapping_assignment();

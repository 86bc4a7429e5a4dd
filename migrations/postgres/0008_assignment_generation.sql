-- The assignments generation: a number that moves whenever an assignment is added, removed or
-- changes its network, the only facts about assignments that the reverse zones are derived
-- from. The zone sync of each node reads it first and skips a round (reads no assignments)
-- when it is where that node's last complete round left it. It moves with the change's own
-- commit, so a round that sees the old number reads no newer assignments either (a sequence
-- would not do: it moves before the commit). Same in migrations/sqlite.
CREATE TABLE assignment_generation (
    id          BIGINT  PRIMARY KEY CHECK (id = 1),
    generation  BIGINT  NOT NULL
);
INSERT INTO assignment_generation (id, generation) VALUES (1, 0);

-- Once per statement, not per row: a bulk import or the seed writes thousands of assignments
-- in one INSERT, which would otherwise update this one row as many times. BEFORE the
-- statement, so that a writer of assignments takes this row's lock before the row triggers of
-- 0007 lock its customers' rows: two concurrent imports queue here rather than each holding
-- a customer the other one waits for.
CREATE FUNCTION move_assignment_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE assignment_generation SET generation = generation + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER assignments_generation
    BEFORE INSERT OR DELETE OR UPDATE OF network OR TRUNCATE ON assignments
    FOR EACH STATEMENT EXECUTE FUNCTION move_assignment_generation();

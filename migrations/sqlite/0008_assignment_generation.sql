-- The assignments generation: a number that moves whenever an assignment is added, removed or
-- changes its network, the only facts about assignments that the reverse zones are derived
-- from. The zone sync of each node reads it first and skips a round (reads no assignments)
-- when it is where that node's last complete round left it. It moves with the change's own
-- commit, so a round that sees the old number reads no newer assignments either.
-- Same in migrations/postgres, where one trigger per statement moves it (bulk imports).
CREATE TABLE assignment_generation (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    generation  BIGINT  NOT NULL
);
INSERT INTO assignment_generation (id, generation) VALUES (1, 0);

CREATE TRIGGER assignments_generation_on_insert AFTER INSERT ON assignments BEGIN
    UPDATE assignment_generation SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER assignments_generation_on_delete AFTER DELETE ON assignments BEGIN
    UPDATE assignment_generation SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER assignments_generation_on_update AFTER UPDATE OF network ON assignments BEGIN
    UPDATE assignment_generation SET generation = generation + 1 WHERE id = 1;
END;

-- The staff overview (issue 22) counts audit rows by day over the last weeks: an index on the
-- time lets it read only those. Same in both engines.
CREATE INDEX audit_by_time ON audit (at);

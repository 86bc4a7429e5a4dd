-- Removing an assignment (admin page, provisioning, cancellation) deletes its change records
-- and unlinks the audit rows and superseding changes that point at them; and every deleted
-- change row has its foreign keys checked (audit, entries and changes refer to it). Indexes so
-- that each of those is a look-up, not a scan of millions of rows at provider scale (measured
-- before: 205 s for 500 removals and 500 additions at `ptrdesk seed --scale 1`). Full indexes,
-- not partial ones: SQLite checks a foreign key only through a full index on the child column.
-- Same in both engines.
CREATE INDEX changes_by_assignment ON changes (assignment_id);
CREATE INDEX changes_by_superseding ON changes (superseded_by);
CREATE INDEX audit_by_change ON audit (change_id);
CREATE INDEX entries_by_change ON entries (change_id);

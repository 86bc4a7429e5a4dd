-- Removing an assignment (admin page, provisioning, cancellation) deletes its change records
-- and unlinks the audit rows and the superseding changes that point at them: indexes so that
-- each of those is a look-up, not a scan of millions of rows at provider scale (measured
-- before: over a second per removal at `ptrdesk seed --scale 1`). Same in both engines.
CREATE INDEX changes_by_assignment ON changes (assignment_id);
CREATE INDEX changes_by_superseding ON changes (superseded_by) WHERE superseded_by IS NOT NULL;
CREATE INDEX audit_by_change ON audit (change_id) WHERE change_id IS NOT NULL;

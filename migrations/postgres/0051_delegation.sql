-- Delegation to a customer's own name servers (issue 16): an admin allows it per assignment
-- (`delegation_allowed`); the customer then names two or more name servers (`delegated_to`,
-- host names separated by spaces, in the customer's order; NULL: not delegated) and ptrdesk
-- publishes NS at the zone cut (RFC 2317 child zone and a CNAME per address for classless
-- IPv4). The entries stay and are served again when the delegation is undone. Moving the
-- assignment to another customer ends its delegation. `delegated_at` is when it was last
-- delegated and stays when the delegation ends, so that a publishing backend is told to
-- remove the cut. The partial index finds the few assignments ever delegated in a range (the
-- DNS zone store and the backends read them). Same in migrations/sqlite.
ALTER TABLE assignments ADD COLUMN delegation_allowed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE assignments ADD COLUMN delegated_to TEXT;
ALTER TABLE assignments ADD COLUMN delegated_at BIGINT;
CREATE INDEX assignments_delegated ON assignments (first_addr) WHERE delegated_at IS NOT NULL;

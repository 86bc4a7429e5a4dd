-- The host names' trigram index goes (issue 20): each node's in-memory host-name index
-- (src/search) answers every fragment search now, and the FTS5 table cost every write of an
-- entry about 0.76 ms (three trigger statements and a segment merge now and then) — most of a
-- 10,000-change bulk. The customer-name and server-name trigram tables stay: they are small
-- and written rarely.
DROP TRIGGER IF EXISTS entries_search_on_insert;
DROP TRIGGER IF EXISTS entries_search_on_delete;
DROP TRIGGER IF EXISTS entries_search_on_update;
DROP TABLE IF EXISTS entries_search;

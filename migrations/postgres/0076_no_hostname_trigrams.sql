-- The host names' trigram index goes (issue 20): each node's in-memory host-name index
-- (src/search) answers every fragment search now, and the GIN index cost every write of an
-- entry a trigram posting per trigram of its name — most of a 10,000-change bulk. The
-- customer-name and server-name trigram indexes stay: they are small and written rarely.
DROP INDEX IF EXISTS entries_hostname_trigrams;

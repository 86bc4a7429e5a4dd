-- A requested name as its client sent it (case kept, one trailing dot stripped), beside the
-- canonical `requested_hostname`: the Robot API answers a name the way the client wrote it, so
-- a client comparing its own value with what it reads back sees no change (issue 23). NULL
-- for a request of the default and for changes recorded before. Same in migrations/sqlite.
ALTER TABLE changes ADD COLUMN requested_as_sent TEXT;

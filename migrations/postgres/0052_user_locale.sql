-- The language and time zone a user chose (issue 19): NULL means "not chosen", and the panel
-- follows the browser's Accept-Language and the configured default_time_zone. Mails follow the
-- same choice. Same in both engines.
ALTER TABLE users ADD COLUMN language TEXT;
ALTER TABLE users ADD COLUMN time_zone TEXT;

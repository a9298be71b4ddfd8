-- The application's own tables. The optional modules (pipeline_*, admin_*) create theirs when they
-- are installed, so some databases have them and others do not.
CREATE TABLE users (id bigint PRIMARY KEY, email text);
CREATE TABLE content (id bigint PRIMARY KEY, user_id bigint);

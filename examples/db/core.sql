-- The tables every installation has.
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE content (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));

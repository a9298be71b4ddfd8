CREATE TABLE users (id bigint PRIMARY KEY, email text);
CREATE TABLE content (id bigint PRIMARY KEY, user_id bigint);

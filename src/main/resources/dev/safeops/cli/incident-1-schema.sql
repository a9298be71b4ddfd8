-- Production as in incident 1: the core tables, none of the optional modules' tables.
CREATE TABLE users (id bigint PRIMARY KEY, email text);
CREATE TABLE content (id bigint PRIMARY KEY, user_id bigint);
CREATE TABLE community_posts (id bigint PRIMARY KEY);
CREATE TABLE documents (id bigint PRIMARY KEY);

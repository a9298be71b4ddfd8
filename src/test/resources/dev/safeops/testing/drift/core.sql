CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE content (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
-- the pipeline module, installed in some environments only
CREATE TABLE pipeline_templates (id bigint PRIMARY KEY, name text);
CREATE TABLE pipeline_stages (id bigint PRIMARY KEY, template_id bigint REFERENCES pipeline_templates (id));

-- The optional pipeline module: installed in some environments only.
CREATE TABLE pipeline_templates (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE pipeline_stages (id bigint PRIMARY KEY, template_id bigint NOT NULL REFERENCES pipeline_templates (id));

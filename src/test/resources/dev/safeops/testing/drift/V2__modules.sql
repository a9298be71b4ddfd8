ALTER TABLE users ADD COLUMN password text;
ALTER TABLE pipeline_templates ADD COLUMN archived boolean NOT NULL DEFAULT false;
ALTER TABLE pipeline_stages ADD COLUMN position int;
CREATE INDEX idx_content_user_id ON content (user_id);

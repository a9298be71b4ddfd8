ALTER TABLE users ADD COLUMN password text;
CREATE INDEX idx_content_user_id ON content (user_id);
ALTER TABLE pipeline_templates ADD COLUMN archived boolean NOT NULL DEFAULT false;
ALTER TABLE pipeline_stages ADD COLUMN position int;

-- A repair script written where the admin module is installed; elsewhere its table is missing.
ALTER TABLE admin_audit_logs ADD COLUMN actor_id bigint;
CREATE INDEX IF NOT EXISTS idx_users_password ON users (password);

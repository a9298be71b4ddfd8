package dev.safeops.examples.flyway.java;

import dev.safeops.Column;
import dev.safeops.Index;
import dev.safeops.Policy;
import dev.safeops.SafeOps;
import dev.safeops.flyway.SafeJavaMigration;

/** A Flyway Java migration: the same changes as the SQL example, through safe-ops' typed operations. */
// README:begin
public class V2__optional_modules extends SafeJavaMigration {

    @Override
    protected Policy policy() {
        return Policy.defaults().withOptionalTables("pipeline_*", "admin_*");
    }

    @Override
    public void migrate(SafeOps ops) throws Exception {
        ops.addColumn("users", Column.of("password", "text"));
        ops.addColumn("content", Column.of("project_id", "bigint"));
        ops.createIndex(Index.on("content", "user_id").named("idx_content_user_id"));
        ops.addColumn("pipeline_templates", Column.of("archived", "boolean").notNull().defaultTo("false"));
        ops.alterColumnType("pipeline_template_stages", "position", "bigint");
        ops.addColumn("admin_audit_logs", Column.of("actor_id", "bigint"));
    }
}
// README:end

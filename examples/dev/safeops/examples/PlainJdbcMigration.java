package dev.safeops.examples;

import dev.safeops.Column;
import dev.safeops.ForeignKey;
import dev.safeops.Index;
import dev.safeops.Policy;
import dev.safeops.Report;
import dev.safeops.SafeOps;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A plain-JDBC migration class using safe-ops: the shape of incident 1, where some tables belong
 * to optional modules that may not be installed.
 *
 * <p>Run it with a JDBC URL: {@code PlainJdbcMigration jdbc:postgresql://localhost/app?user=app}.
 */
public final class PlainJdbcMigration {

    /** Tables of optional modules: a missing one is a reported skip, a missing core table fails. */
    static final Policy POLICY = Policy.defaults().withOptionalTables("pipeline_*", "admin_*");

    private PlainJdbcMigration() {
    }

    /** Applies the migration in one transaction and returns what was applied and skipped. */
    public static Report migrate(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try {
            SafeOps ops = SafeOps.on(connection, POLICY);
            ops.addColumn("users", Column.of("password", "text"));
            ops.addColumn("content", Column.of("project_id", "bigint"));
            ops.createIndex(Index.on("content", "user_id").named("idx_content_user_id"));
            ops.addForeignKey(ForeignKey.from("content", "user_id").to("users", "id")
                    .named("content_user_id_users_id_fk"));
            ops.createEnumType("targettype", "project", "document");
            ops.addColumn("pipeline_templates", Column.of("archived", "boolean").notNull().defaultTo("false"));
            ops.alterColumnType("pipeline_template_stages", "position", "bigint");
            ops.addColumn("admin_audit_logs", Column.of("actor_id", "bigint"));
            connection.commit();
            return ops.report();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    public static void main(String[] args) throws SQLException {
        if (args.length != 1) {
            System.err.println("usage: PlainJdbcMigration JDBC_URL");
            System.exit(2);
        }
        try (Connection connection = DriverManager.getConnection(args[0])) {
            Report report = migrate(connection);
            report.outcomes().forEach(System.out::println);
            System.out.println(report.summary());
        }
    }
}

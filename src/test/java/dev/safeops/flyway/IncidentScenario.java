package dev.safeops.flyway;

import dev.safeops.Column;
import dev.safeops.Policy;
import dev.safeops.SafeOps;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Incident 1 through Flyway, as a SQL migration and a Java migration, told as lines of text so
 * that it can run inside a class loader holding another Flyway version and be compared across
 * versions. Uses only JDK types at its boundary.
 */
public final class IncidentScenario {

    static final Policy OPTIONAL_MODULES = Policy.defaults().withOptionalTables("pipeline_*", "admin_*",
            "valuation_*", "deal_*");

    private IncidentScenario() {
    }

    /** A Java migration after the SQL ones: one change to a core table, one to a missing module. */
    public static final class V3__java_modules extends SafeJavaMigration {
        @Override
        protected Policy policy() {
            return OPTIONAL_MODULES;
        }

        @Override
        public void migrate(SafeOps ops) throws Exception {
            ops.addColumn("documents", Column.of("archived", "boolean"));
            ops.addColumn("admin_audit_logs", Column.of("reason", "text"));
        }
    }

    /**
     * Migrates an empty database with V1 (core tables), V2 (incident 1, SQL) and V3 (Java), and
     * returns the Flyway version, the outcome of every guarded SQL migration, the history and the
     * columns of the core tables.
     */
    public static List<String> run(String url, String user, String password, String directory) throws IOException,
            SQLException {
        Path migrations = Path.of(directory);
        FlywayFixture.sqlMigrations(migrations, "V1__core_tables.sql", FlywayFixture.CORE_TABLES,
                "V2__incident_1.sql", FlywayFixture.INCIDENT);
        List<String> lines = new ArrayList<>();
        lines.add("flyway " + FlywayRequirement.version(Callback.class.getClassLoader()));
        MigrateResult result = Flyway.configure()
                .dataSource(url, user, password)
                .locations("filesystem:" + migrations)
                .javaMigrations(new V3__java_modules())
                .callbacks(new SafeOpsCallback(OPTIONAL_MODULES, (migration, report) ->
                        lines.add(migration.getScript() + ": " + report.summary())))
                .load()
                .migrate();
        lines.add("success " + result.success);
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            lines.addAll(query(statement, "SELECT coalesce(version, '-') || ' ' || type || ' ' || success"
                    + " FROM flyway_schema_history ORDER BY installed_rank"));
            lines.addAll(query(statement, "SELECT table_name || '.' || column_name FROM information_schema.columns"
                    + " WHERE table_schema = 'public' AND table_name <> 'flyway_schema_history'"
                    + " ORDER BY table_name, ordinal_position"));
        }
        return lines;
    }

    private static List<String> query(Statement statement, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}

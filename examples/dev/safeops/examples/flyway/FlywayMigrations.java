package dev.safeops.examples.flyway;

import dev.safeops.Policy;
import dev.safeops.flyway.SafeOpsCallback;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Flyway with safe-ops, both ways: plain SQL migrations guarded by {@link SafeOpsCallback}, and
 * Java migrations extending {@code SafeJavaMigration}.
 *
 * <p>Run it with a JDBC URL, user and password: {@code FlywayMigrations sql|java jdbc:postgresql://localhost/app app secret}.
 */
public final class FlywayMigrations {

    private FlywayMigrations() {
    }

    /** Runs V1__core_tables.sql and V2__optional_modules.sql, every statement guarded. */
    public static MigrateResult migrateSql(String url, String user, String password) {
        // README:begin
        return Flyway.configure()
                .dataSource(url, user, password)
                .locations("classpath:dev/safeops/examples/flyway/core", "classpath:dev/safeops/examples/flyway/sql")
                .callbacks(new SafeOpsCallback(Policy.defaults().withOptionalTables("pipeline_*", "admin_*")))
                .load()
                .migrate();
        // README:end
    }

    /** Runs V1__core_tables.sql and the Java migration V2__optional_modules, which guards itself. */
    public static MigrateResult migrateJava(String url, String user, String password) {
        return Flyway.configure()
                .dataSource(url, user, password)
                .locations("classpath:dev/safeops/examples/flyway/core", "classpath:dev/safeops/examples/flyway/java")
                .load()
                .migrate();
    }

    public static void main(String[] args) {
        if (args.length < 2 || !(args[0].equals("sql") || args[0].equals("java"))) {
            System.err.println("usage: FlywayMigrations sql|java JDBC_URL [USER [PASSWORD]]");
            System.exit(2);
        }
        String user = args.length > 2 ? args[2] : null;
        String password = args.length > 3 ? args[3] : null;
        MigrateResult result = args[0].equals("sql") ? migrateSql(args[1], user, password)
                : migrateJava(args[1], user, password);
        System.out.println(result.migrationsExecuted + " migrations applied, now at version " + result.targetSchemaVersion);
    }
}

package dev.safeops.examples;

import dev.safeops.Policy;
import dev.safeops.Report;
import dev.safeops.jdbc.SafeConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A legacy JDBC migration, written long before safe-ops, made safe by one line in {@link #main}: the
 * connection it is given is wrapped in a {@link SafeConnection}. {@link #migrate} is unchanged plain
 * JDBC; statements on the tables of optional modules that are not installed are skipped and reported,
 * and everything else is committed.
 *
 * <p>Run it with a JDBC URL: {@code LegacyJdbcMigration jdbc:postgresql://localhost/app?user=app}.
 */
public final class LegacyJdbcMigration {

    private static final Logger log = LoggerFactory.getLogger(LegacyJdbcMigration.class);

    private static final String[] STATEMENTS = {
        "ALTER TABLE users ADD COLUMN IF NOT EXISTS password text",
        "ALTER TABLE pipeline_templates ADD COLUMN archived boolean",       // optional module
        "ALTER TABLE content ADD COLUMN IF NOT EXISTS project_id bigint",
        "ALTER TABLE admin_audit_logs ADD COLUMN actor_id bigint",          // optional module
        "CREATE INDEX IF NOT EXISTS idx_content_user_id ON content (user_id)",
    };

    private LegacyJdbcMigration() {
    }

    /** The migration as it always was: one transaction, one {@code execute} per statement, then data. */
    public static void migrate(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            for (String sql : STATEMENTS) {
                statement.execute(sql);
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO users (id, password) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")) {
            insert.setLong(1, 0);
            insert.setString(2, "!");
            insert.executeUpdate();
        }
        connection.commit();
    }

    /** The README's snippet: the same migration on a connection from a pool, optional modules declared. */
    public static Report migrateSafely(DataSource dataSource) throws SQLException {
        // README:begin
        try (SafeConnection connection = SafeConnection.wrap(dataSource.getConnection(),      // the one new line
                Policy.defaults().withOptionalTables("pipeline_*", "admin_*"))) {
            LegacyJdbcMigration.migrate(connection);   // unchanged Statement / PreparedStatement / batch code
            log.info(connection.report().summary());    // e.g. 4 applied, 2 skipped (42P01 undefined_table ×2), 6 savepoints
            return connection.report();
        }
        // README:end
    }

    public static void main(String[] args) throws SQLException {
        if (args.length != 1) {
            System.err.println("usage: LegacyJdbcMigration JDBC_URL");
            System.exit(2);
        }
        try (SafeConnection connection = SafeConnection.wrap(DriverManager.getConnection(args[0]))) { // the one line
            migrate(connection);
            connection.report().outcomes().forEach(System.out::println);
            System.out.println(connection.report().summary());
        }
    }
}

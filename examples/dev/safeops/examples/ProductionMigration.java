package dev.safeops.examples;

import dev.safeops.Column;
import dev.safeops.Policy;
import dev.safeops.Report;
import dev.safeops.SafeOps;
import dev.safeops.Settings;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The example of the README's "Lock timeouts and retries": a migration on busy tables, each
 * statement waiting at most 100 ms for its lock and retried, the sessions in the way named if the
 * retries run out.
 */
public final class ProductionMigration {

    private ProductionMigration() {
    }

    // README:begin
    public static Report migrate(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            SafeOps ops = SafeOps.on(connection, Policy.defaults(),
                    Settings.production().withBlockerLookup(dataSource));   // a second connection names blockers

            ops.addColumn("users", Column.of("last_login", "timestamptz"));   // waits at most 100 ms, then retries
            ops.execute("ALTER TABLE content ADD COLUMN archived boolean");

            connection.commit();
            return ops.report();    // report.lockRetries(): what the busy tables cost
        }
    }
    // README:end
}

package dev.safeops.examples;

import dev.safeops.Column;
import dev.safeops.Index;
import dev.safeops.Report;
import dev.safeops.SafeOps;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The README's example of indexes built and dropped without blocking writes: the transaction's
 * work first, then the concurrent operations in autocommit mode, on the same session.
 */
public final class ConcurrentIndexMigration {

    private ConcurrentIndexMigration() {
    }

    // README:begin
    public static Report migrate(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            SafeOps ops = SafeOps.on(connection);
            ops.addColumn("content", Column.of("project_id", "bigint"));
            connection.commit();                        // the transaction's work first

            connection.setAutoCommit(true);             // CONCURRENTLY runs outside any transaction
            ops.createIndex(Index.on("content", "project_id").named("idx_content_project_id").concurrently());
            ops.dropIndex(Index.on("content", "user_id").named("idx_content_user_id_old").concurrently());
            return ops.report();    // a second run: both SKIPPED, confirmed by the catalog
        }
    }
    // README:end
}

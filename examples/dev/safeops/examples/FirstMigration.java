package dev.safeops.examples;

import dev.safeops.Column;
import dev.safeops.ForeignKey;
import dev.safeops.Index;
import dev.safeops.Policy;
import dev.safeops.Report;
import dev.safeops.SafeOps;
import dev.safeops.SafeOpsException;
import dev.safeops.Script;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example at the top of the README's "Use it from Java", as it is there: the README's snippet
 * is this method, and a test runs it, so neither can drift from what works.
 */
public final class FirstMigration {

    private static final Logger log = LoggerFactory.getLogger(FirstMigration.class);

    private FirstMigration() {
    }

    // README:begin
    public static Report migrate(DataSource dataSource, Path migrations) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);                    // one transaction, one savepoint per operation
            SafeOps ops = SafeOps.on(connection,
                    Policy.defaults().withOptionalTables("pipeline_*", "admin_*"));

            ops.addColumn("users", Column.of("password", "text"));                  // applied
            ops.addColumn("pipeline_templates", Column.of("archived", "boolean"));  // SKIPPED if the module is absent
            ops.createIndex(Index.on("content", "user_id").named("idx_content_user_id"));
            ops.addForeignKey(ForeignKey.from("content", "user_id").to("users", "id")
                    .named("content_user_id_users_id_fk"));
            ops.createEnumType("targettype", "project", "document");                // no CREATE TYPE IF NOT EXISTS needed
            ops.execute("COMMENT ON TABLE users IS 'accounts'");                    // any SQL, guarded the same way
            ops.run(Script.read(migrations.resolve("V7__repair.sql")));             // a whole file, pipelined

            connection.commit();                                // safe-ops never commits or rolls back for you
            log.info(ops.report().summary());   // 6 applied, 2 skipped (42P01 undefined_table ×2), 8 savepoints
            return ops.report();
        } catch (SafeOpsException e) {          // not tolerated: SQLSTATE, statement, operation, file:line
            log.error("{} at {}", e.getSQLState(), e.location(), e);
            throw e;                            // closing the connection rolls the transaction back
        }
    }
    // README:end
}

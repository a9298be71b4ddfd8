package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

/** Nothing skipped is hidden: skips reach the log at WARN, and each script's summary at INFO. */
class LoggingTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    @BeforeEach
    void coreTables() throws SQLException {
        Schema.reset(db, "CREATE TABLE users (id int)");
    }

    @Test
    void skipIsLoggedAtWarnWithSqlStateObjectAndStatement() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps.on(connection).execute("ALTER TABLE pipeline_templates ADD COLUMN archived boolean");
            connection.rollback();
        }

        assertThat(log.messages(Level.WARN)).singleElement().asString().contains("42P01", "pipeline_templates",
                "ALTER TABLE pipeline_templates ADD COLUMN archived boolean");
    }

    @Test
    void skipWarningNamesTheCallersSourceLine() throws SQLException {
        int line;
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);
            line = new Throwable().getStackTrace()[0].getLineNumber() + 1;
            ops.addColumn("pipeline_templates", Column.of("archived", "boolean"));
            connection.rollback();
        }

        assertThat(log.messages(Level.WARN)).singleElement().asString()
                .contains("LoggingTest.java:" + line + " add column pipeline_templates.archived");
    }

    @Test
    void appliedOperationIsNotLoggedAtWarn() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps.on(connection).execute("ALTER TABLE users ADD COLUMN name text");
            connection.rollback();
        }

        assertThat(log.messages(Level.WARN)).isEmpty();
    }

    @Test
    void scriptSummaryIsLoggedAtInfo() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps.on(connection).run(Script.parse("summary.sql",
                    "ALTER TABLE users ADD COLUMN name text; ALTER TABLE missing ADD COLUMN x int;"));
            connection.rollback();
        }

        assertThat(log.messages(Level.INFO, SafeOps.class)).singleElement().asString()
                .contains("summary.sql", "1 applied, 1 skipped (42P01 undefined_table ×1)");
    }
}

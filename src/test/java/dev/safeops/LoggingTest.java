package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing skipped is hidden: skips reach the log at WARN. The tests run with SLF4J's simple
 * binding, which writes WARN and INFO to standard error.
 */
class LoggingTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream standardError;

    @BeforeEach
    void captureStandardError() throws SQLException {
        Schema.reset(db, "CREATE TABLE users (id int)");
        standardError = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStandardError() {
        System.setErr(standardError);
    }

    @Test
    void skipIsLoggedAtWarnWithSqlStateObjectAndStatement() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps.on(connection).execute("ALTER TABLE pipeline_templates ADD COLUMN archived boolean");
            connection.rollback();
        }

        assertThat(log()).contains("WARN", "42P01", "pipeline_templates",
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

        assertThat(log()).contains("WARN", "LoggingTest.java:" + line + " add column pipeline_templates.archived");
    }

    @Test
    void appliedOperationIsNotLoggedAtWarn() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps.on(connection).execute("ALTER TABLE users ADD COLUMN name text");
            connection.rollback();
        }

        assertThat(log()).doesNotContain("WARN");
    }

    @Test
    void scriptSummaryIsLoggedAtInfo() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps.on(connection).run(Script.parse("summary.sql",
                    "ALTER TABLE users ADD COLUMN name text; ALTER TABLE missing ADD COLUMN x int;"));
            connection.rollback();
        }

        assertThat(log()).contains("INFO", "summary.sql", "1 applied, 1 skipped (42P01 undefined_table ×1)");
    }

    private String log() {
        return captured.toString(StandardCharsets.UTF_8);
    }
}

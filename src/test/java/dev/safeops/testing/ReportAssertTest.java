package dev.safeops.testing;

import static dev.safeops.testing.SchemaAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.Report;
import dev.safeops.SafeOps;
import dev.safeops.Script;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The report assertions on a real run: one statement applied, a missing table (42P01) and an existing column
 * (42701) skipped. Messages show the report's own summary and outcomes, so they are spelled out from them.
 */
class ReportAssertTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase()
            .withScripts(Path.of("src/test/resources/dev/safeops/testing/drift/core.sql"));

    private static Report report;

    @BeforeAll
    static void run() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            report = SafeOps.on(connection).run(Script.parse("V7__repair.sql", """
                    ALTER TABLE users ADD COLUMN password text;
                    ALTER TABLE absent_module ADD COLUMN position int;
                    ALTER TABLE users ADD COLUMN email text;
                    """));
            connection.rollback();
        }
    }

    @Test
    void passesForTheReportsCounts() {
        assertThat(report).applied(1).skipped(2).skippedOnly("42P01", "42701");
    }

    @Test
    void aReportWithoutSkipsPassesSkippedOnly() {
        assertThat(new Report(java.util.List.of(), 0)).applied(0).skipped(0).skippedOnly("42P01");
    }

    @Test
    void showsEveryOutcomeWhenTheAppliedCountDiffers() {
        assertThatThrownBy(() -> assertThat(report).applied(2))
                .hasMessage("Expecting 2 applied operations, but the report has 1: " + report.summary()
                        + "\n  " + report.outcomes().get(0)
                        + "\n  " + report.outcomes().get(1)
                        + "\n  " + report.outcomes().get(2));
    }

    @Test
    void showsEveryOutcomeWhenTheSkippedCountDiffers() {
        assertThatThrownBy(() -> assertThat(report).skipped(1))
                .hasMessageStartingWith("Expecting 1 skipped operation, but the report has 2: " + report.summary()
                        + "\n  V7__repair.sql:1: applied ");
    }

    @Test
    void namesTheSkipsWithAnotherSqlState() {
        assertThatThrownBy(() -> assertThat(report).skippedOnly("42P01"))
                .hasMessage("Expecting only skips with SQLSTATE 42P01, but 1 skip had another:"
                        + "\n  " + report.outcomes().get(2)
                        + "\nReport: " + report.summary());
    }
}

package dev.safeops.testing;

import static dev.safeops.testing.SchemaAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.Location;
import dev.safeops.Outcome;
import dev.safeops.Report;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportAssertTest {

    private static final Report report = new Report(List.of(
            new Outcome(Outcome.Status.APPLIED, "add column users.password", "ALTER TABLE users ADD COLUMN password text",
                    null, null, null),
            new Outcome(Outcome.Status.SKIPPED, "add column pipeline_stages.position",
                    "ALTER TABLE pipeline_stages ADD COLUMN position int", "42P01",
                    "missing object (42P01): relation \"pipeline_stages\" does not exist", null),
            new Outcome(Outcome.Status.SKIPPED, "ALTER TABLE users ADD COLUMN email text",
                    "ALTER TABLE users ADD COLUMN email text", "42701",
                    "already exists (42701): column \"email\" of relation \"users\" already exists",
                    new Location("V7__repair.sql", 3))), 3);

    @Test
    void passesForTheReportsCounts() {
        assertThat(report).applied(1).skipped(2).skippedOnly("42P01", "42701");
    }

    @Test
    void aReportWithoutSkipsPassesSkippedOnly() {
        assertThat(new Report(List.of(), 0)).applied(0).skipped(0).skippedOnly("42P01");
    }

    @Test
    void showsEveryOutcomeWhenTheAppliedCountDiffers() {
        assertThatThrownBy(() -> assertThat(report).applied(2))
                .hasMessage("""
                        Expecting 2 applied operations, but the report has 1: 1 applied, 2 skipped \
                        (42701 duplicate_column ×1, 42P01 undefined_table ×1), 3 savepoints
                          applied add column users.password
                          skipped add column pipeline_stages.position — missing object (42P01): relation \
                        "pipeline_stages" does not exist
                          V7__repair.sql:3: skipped ALTER TABLE users ADD COLUMN email text — already exists (42701): \
                        column "email" of relation "users" already exists""");
    }

    @Test
    void showsEveryOutcomeWhenTheSkippedCountDiffers() {
        assertThatThrownBy(() -> assertThat(report).skipped(1))
                .hasMessageStartingWith("Expecting 1 skipped operation, but the report has 2: 1 applied, 2 skipped");
    }

    @Test
    void namesTheSkipsWithAnotherSqlState() {
        assertThatThrownBy(() -> assertThat(report).skippedOnly("42P01"))
                .hasMessage("""
                        Expecting only skips with SQLSTATE 42P01, but 1 skip had another:
                          V7__repair.sql:3: skipped ALTER TABLE users ADD COLUMN email text — already exists (42701): \
                        column "email" of relation "users" already exists
                        Report: 1 applied, 2 skipped (42701 duplicate_column ×1, 42P01 undefined_table ×1), 3 savepoints""");
    }
}

package dev.safeops.testing;

import dev.safeops.Report;
import java.sql.Connection;

/**
 * Entry points of safe-ops' AssertJ assertions ({@code org.assertj:assertj-core}, which safe-ops declares optional:
 * add it with test scope):
 * <pre>{@code
 * import static dev.safeops.testing.SchemaAssertions.assertThat;
 * import static dev.safeops.testing.SchemaAssertions.assertThatSchema;
 *
 * assertThatSchema(connection).hasTable("users").hasColumn("users", "email", "text not null").hasIndex("idx_email");
 * assertThat(report).applied(3).skipped(1).skippedOnly("42P01");
 * }</pre>
 * {@code assertThat(Report)} lives beside AssertJ's own {@code assertThat} overloads: import both statically.
 */
public final class SchemaAssertions {

    private SchemaAssertions() {
    }

    /** Assertions on the schema this connection sees; the caller keeps and closes the connection. */
    public static SchemaAssert assertThatSchema(Connection connection) {
        return new SchemaAssert(connection);
    }

    /** Assertions on a safe-ops report. */
    public static ReportAssert assertThat(Report report) {
        return new ReportAssert(report);
    }
}

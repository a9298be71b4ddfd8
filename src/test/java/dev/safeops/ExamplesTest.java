package dev.safeops;

import static dev.safeops.testing.SchemaAssertions.assertThat;
import static dev.safeops.testing.SchemaAssertions.assertThatSchema;

import dev.safeops.examples.PlainJdbcMigration;
import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The examples in examples/ run against a real database, so they cannot rot. */
class ExamplesTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @BeforeEach
    void coreTablesWithoutOptionalModules() throws SQLException {
        Schema.reset(db, """
                CREATE TABLE users (id bigint PRIMARY KEY);
                CREATE TABLE content (id bigint PRIMARY KEY, user_id bigint);
                """);
    }

    @Test
    void plainJdbcMigrationAppliesCoreChangesAndSkipsMissingModules() throws SQLException {
        try (Connection connection = db.connect()) {
            Report report = PlainJdbcMigration.migrate(connection);

            assertThat(report).applied(5).skipped(3).skippedOnly("42P01");
            assertThatSchema(connection).hasColumn("users", "password").hasIndex("idx_content_user_id");
        }
    }

    @Test
    void plainJdbcMigrationRunsFromItsMainMethod() throws SQLException {
        String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + db.user()
                + (db.password() == null || db.password().isEmpty() ? "" : "&password=" + db.password());

        PlainJdbcMigration.main(new String[] {url});
        PlainJdbcMigration.main(new String[] {url});

        try (Connection connection = db.connect()) {
            assertThatSchema(connection).hasColumn("content", "project_id", "bigint");
        }
    }
}

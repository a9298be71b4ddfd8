package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

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
        Report report;
        try (Connection connection = db.connect()) {
            report = PlainJdbcMigration.migrate(connection);
        }

        assertThat(report.applied()).isEqualTo(5);
        assertThat(report.skipped()).isEqualTo(3);
        assertThat(Schema.columnsOf(db, "users")).contains("password");
        assertThat(Schema.indexes(db)).contains("idx_content_user_id");
    }

    @Test
    void plainJdbcMigrationRunsFromItsMainMethod() throws SQLException {
        String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + db.user()
                + (db.password() == null || db.password().isEmpty() ? "" : "&password=" + db.password());

        PlainJdbcMigration.main(new String[] {url});
        PlainJdbcMigration.main(new String[] {url});

        assertThat(Schema.columnsOf(db, "content")).contains("project_id");
    }
}

package dev.safeops.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.Report;
import dev.safeops.examples.LegacyJdbcMigration;
import dev.safeops.Schema;
import dev.safeops.testing.TestDatabase;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The legacy-JDBC example in examples/ runs against a real database, so it cannot rot. */
class LegacyJdbcMigrationExampleTest {

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
    void legacyMigrationSkipsTheMissingModulesOnceWrapped() throws SQLException {
        Report report;
        try (SafeConnection connection = SafeConnection.wrap(db.connect())) {
            LegacyJdbcMigration.migrate(connection);
            report = connection.report();
        }

        assertThat(report.applied()).isEqualTo(4);
        assertThat(report.skipped()).isEqualTo(2);
        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "password");
        assertThat(Schema.columnsOf(db, "content")).containsExactly("id", "user_id", "project_id");
    }

    @Test
    void theReadmesSnippetReportsWhatItsCommentShows() throws SQLException {
        Report report = LegacyJdbcMigration.migrateSafely(db.dataSource());

        assertThat(report.summary()).isEqualTo("4 applied, 2 skipped (42P01 undefined_table ×2), 6 savepoints");
    }

    @Test
    void legacyMigrationRunsTwiceFromItsMainMethod() throws SQLException {
        String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + db.user()
                + (db.password() == null || db.password().isEmpty() ? "" : "&password=" + db.password());

        LegacyJdbcMigration.main(new String[] {url});
        LegacyJdbcMigration.main(new String[] {url});

        assertThat(Schema.strings(db, "SELECT password FROM users")).containsExactly("!");
    }
}

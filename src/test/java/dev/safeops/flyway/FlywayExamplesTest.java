package dev.safeops.flyway;

import static dev.safeops.Schema.columnsOf;
import static dev.safeops.flyway.FlywayFixture.emptySchema;
import static dev.safeops.flyway.FlywayFixture.history;
import static dev.safeops.Schema.indexes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.examples.flyway.FlywayMigrations;
import dev.safeops.testing.TestDatabase;
import java.sql.SQLException;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Flyway examples in examples/ run against a real database, so they cannot rot. */
class FlywayExamplesTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @BeforeEach
    void noSchemaYet() throws SQLException {
        emptySchema(db);
    }

    @Test
    void sqlMigrationExampleAppliesCoreChangesAndSkipsMissingModules() throws SQLException {
        MigrateResult result = FlywayMigrations.migrateSql(db.jdbcUrl(), db.user(), db.password());

        assertThat(result.success).isTrue();
        assertThat(history(db)).hasSize(2).allMatch(row -> row.endsWith(" true"));
        assertThat(columnsOf(db, "users")).contains("password");
        assertThat(columnsOf(db, "content")).contains("project_id");
        assertThat(indexes(db)).contains("idx_content_user_id");
    }

    @Test
    void javaMigrationExampleAppliesCoreChangesAndSkipsMissingModules() throws SQLException {
        MigrateResult result = FlywayMigrations.migrateJava(db.jdbcUrl(), db.user(), db.password());

        assertThat(result.success).isTrue();
        assertThat(history(db)).hasSize(2).allMatch(row -> row.endsWith(" true"))
                .last().asString().contains("JDBC dev.safeops.examples.flyway.java.V2__optional_modules");
        assertThat(columnsOf(db, "users")).contains("password");
        assertThat(columnsOf(db, "content")).contains("project_id");
        assertThat(indexes(db)).contains("idx_content_user_id");
    }

    @Test
    void flywayExampleRunsFromItsMainMethod() throws SQLException {
        FlywayMigrations.main(new String[] {"sql", db.jdbcUrl(), db.user(), db.password() == null ? "" : db.password()});

        assertThat(columnsOf(db, "users")).contains("password");
    }
}

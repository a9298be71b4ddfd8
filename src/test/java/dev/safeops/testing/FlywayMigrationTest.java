package dev.safeops.testing;

import static dev.safeops.testing.SchemaAssertions.assertThatSchema;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.Column;
import dev.safeops.Policy;
import dev.safeops.SafeOps;
import dev.safeops.flyway.SafeJavaMigration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FlywayMigrationTest {

    private static final Path DRIFT = Path.of("src/test/resources/dev/safeops/testing/drift");
    private static final String LOCATION = "filesystem:" + DRIFT;
    private static final Policy OPTIONAL_PIPELINE = Policy.defaults().withOptionalTables("pipeline_*");

    @RegisterExtension
    static final TestDatabase db = new TestDatabase().withScripts(DRIFT.resolve("core.sql"));

    @RegisterExtension
    static final TestDatabase migratedByFlyway = new TestDatabase().withScripts(DRIFT.resolve("core.sql"))
            .withMigration(FlywayMigration.locations(LOCATION));

    /** A Java migration as users write them, guarded by safe-ops. */
    static final class V3__password_hash extends SafeJavaMigration {
        @Override
        protected Policy policy() {
            return OPTIONAL_PIPELINE;
        }

        @Override
        public void migrate(SafeOps ops) throws Exception {
            ops.addColumn("users", Column.of("password_hash", "text"));
            ops.addColumn("pipeline_stages", Column.of("duration", "interval"));
        }
    }

    @Test
    void aFlywayLocationGuardedBySafeOpsSurvivesEveryStartingState() {
        DriftCheck.of(FlywayMigration.locations(LOCATION).withPolicy(OPTIONAL_PIPELINE))
                .withOptionalModulesAbsent("pipeline_*")
                .assertSurvives(db);
    }

    @Test
    void aSafeJavaMigrationSurvivesEveryStartingState() {
        DriftCheck.of(FlywayMigration.javaMigrations(new V3__password_hash()))
                .withOptionalModulesAbsent("pipeline_*")
                .assertSurvives(db);
    }

    @Test
    void aFlywayMigrationThatCannotMeetAnAbsentModuleFailsInThatStateOnly() {
        assertThatThrownBy(() -> DriftCheck.of(FlywayMigration.locations(LOCATION).withPolicy(Policy.strict()))
                .withOptionalModulesAbsent("pipeline_*")
                .assertSurvives(db))
                .hasMessageStartingWith("The migration does not survive every starting state:\n"
                        + "state \"optional modules absent (pipeline_*)\": the first run failed: ")
                .hasMessageContaining("42P01")
                .hasMessageNotContaining("state \"empty\"")
                .hasMessageNotContaining("state \"already migrated\"");
    }

    @Test
    void migratesATestDatabaseSchemaWithoutHistoryFromVersionZero() throws SQLException {
        try (Connection connection = migratedByFlyway.connect()) {
            assertThatSchema(connection)
                    .hasTable("flyway_schema_history")
                    .hasColumn("users", "password", "text")
                    .hasColumn("pipeline_templates", "archived", "boolean not null")
                    .hasIndex("idx_content_user_id");
        }
    }
}

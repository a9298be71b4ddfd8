package dev.safeops.testing;

import static dev.safeops.testing.SchemaAssertions.assertThatSchema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.Policy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DriftCheckTest {

    private static final Path DRIFT = Path.of("src/test/resources/dev/safeops/testing/drift");
    private static final Path MODULES = DRIFT.resolve("V2__modules.sql");

    @RegisterExtension
    static final TestDatabase db = new TestDatabase().withScripts(DRIFT.resolve("core.sql"));

    /** Creates one more table each time it runs, as a migration that is not safe to run twice might. */
    private static final Migration oneMoreTableEachRun = Migration.safeOps(ops -> ops.execute("DO $$ BEGIN"
            + " EXECUTE format('CREATE TABLE t_%s (id int)', (SELECT count(*) FROM pg_tables WHERE tablename LIKE 't\\_%'));"
            + " END $$"));

    @Test
    void passesForAMigrationThatSurvivesEveryStartingState() {
        DriftCheck.of(Migration.scripts(MODULES)).withOptionalModulesAbsent("pipeline_*").assertSurvives(db);
    }

    @Test
    void leavesTheTestDatabaseAsItWas() throws SQLException {
        DriftCheck.of(Migration.scripts(MODULES)).withOptionalModulesAbsent("pipeline_*").assertSurvives(db);

        try (Connection connection = db.connect()) {
            assertThatSchema(connection).hasTable("pipeline_templates").hasColumn("users", "email");
            assertThatThrownBy(() -> assertThatSchema(connection).hasColumn("users", "password"))
                    .isInstanceOf(AssertionError.class);
        }
    }

    @Test
    void showsWhatARepeatedRunChangedAsADiffPerState() {
        assertThatThrownBy(() -> DriftCheck.of(oneMoreTableEachRun).assertSurvives(db))
                .isInstanceOf(AssertionError.class)
                .hasMessage("""
                        The migration does not survive every starting state:
                        state "empty": the second run changed the schema:
                          + column public.t_1.id integer
                          + table public.t_1
                        state "already migrated": the second run changed the schema:
                          + column public.t_1.id integer
                          + table public.t_1
                        state "already migrated": the third run changed the schema:
                          + column public.t_2.id integer
                          + table public.t_2""");
    }

    @Test
    void putsAChangedObjectsOldAndNewLinesSideBySide() {
        Migration bumpDefault = Migration.safeOps(ops -> ops.execute("DO $$ BEGIN EXECUTE format("
                + "'ALTER TABLE users ALTER COLUMN email SET DEFAULT %L', 'v' || (SELECT count(*) FROM pg_attrdef));"
                + " END $$"));

        assertThatThrownBy(() -> DriftCheck.of(bumpDefault).assertSurvives(db))
                .hasMessageStartingWith("""
                        The migration does not survive every starting state:
                        state "empty": the second run changed the schema:
                          - column public.users.email text NOT NULL DEFAULT 'v0'::text
                          + column public.users.email text NOT NULL DEFAULT 'v1'::text
                        state "already migrated": """);
    }

    @Test
    void namesTheStateAndTheRunThatFailed() {
        assertThatThrownBy(() -> DriftCheck.of(Migration.scripts(Policy.strict(), MODULES))
                .withOptionalModulesAbsent("pipeline_*").assertSurvives(db))
                .hasMessageContaining("\nstate \"empty\": the second run failed: safe-ops: " + MODULES
                        + ":1: ALTER TABLE users ADD COLUMN password text failed with SQLSTATE 42701")
                .hasMessageContaining("\nstate \"optional modules absent (pipeline_*)\": the first run failed: safe-ops: "
                        + MODULES + ":2: ALTER TABLE pipeline_templates")
                .hasMessageContaining("\nstate \"already migrated\": the second run failed: safe-ops: " + MODULES
                        + ":1: ALTER TABLE users ADD COLUMN password text failed with SQLSTATE 42701");
    }

    @Test
    void refusesOptionalModulePatternsThatMatchNoTable() {
        assertThatThrownBy(() -> DriftCheck.of(Migration.scripts(MODULES)).withOptionalModulesAbsent("plugin_*")
                .assertSurvives(db))
                .hasMessage("""
                        The migration does not survive every starting state:
                        state "optional modules absent (plugin_*)": preparing the state failed: no table matches \
                        plugin_*, so this state would test nothing; the test database's set-up must create the \
                        optional modules' tables""");
    }

    @Test
    void runsTheMigrationInEveryStateInOrder() {
        List<String> seen = new ArrayList<>();
        Migration recording = dataSource -> {
            try (Connection connection = dataSource.getConnection()) {
                seen.add(connection.getCatalog());
            }
        };

        DriftCheck.of(recording).withStartingState("custom", dataSource -> seen.add("prepare custom"))
                .withOptionalModulesAbsent("pipeline_*").assertSurvives(db);

        // empty: two runs; custom: its preparation, two runs; optional modules absent: two runs;
        // already migrated: the preparing run, two runs. Each state on a database of its own.
        assertThat(seen).hasSize(10);
        assertThat(seen.get(2)).isEqualTo("prepare custom");
        assertThat(List.of(seen.get(0), seen.get(3), seen.get(5), seen.get(7))).doesNotHaveDuplicates();
        assertThat(seen).containsSubsequence(seen.get(0), seen.get(0), "prepare custom", seen.get(3), seen.get(3),
                seen.get(5), seen.get(5), seen.get(7), seen.get(7), seen.get(7));
    }
}

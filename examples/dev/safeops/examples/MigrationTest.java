package dev.safeops.examples;

import static dev.safeops.testing.SchemaAssertions.assertThat;
import static dev.safeops.testing.SchemaAssertions.assertThatSchema;

import dev.safeops.Policy;
import dev.safeops.Report;
import dev.safeops.SafeOps;
import dev.safeops.Script;
import dev.safeops.testing.DriftCheck;
import dev.safeops.testing.Migration;
import dev.safeops.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A JUnit 5 test of a migration, to copy: migrate, assert the schema, check the migration survives drift. */
class MigrationTest {

    static final Path CORE = Path.of("examples/db/core.sql");
    static final Path PIPELINE_MODULE = Path.of("examples/db/pipeline-module.sql");
    static final Path MIGRATION = Path.of("examples/db/V2__passwords_and_archiving.sql");
    static final Policy POLICY = Policy.defaults().withOptionalTables("pipeline_*");

    // README:begin
    @RegisterExtension
    static final TestDatabase db = new TestDatabase().withScripts(CORE, PIPELINE_MODULE);

    @RegisterExtension
    static final TestDatabase withoutModule = new TestDatabase().withScripts(CORE);

    @Test
    void migratesEveryTable() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            Report report = SafeOps.on(connection, POLICY).run(Script.read(MIGRATION));
            connection.commit();

            assertThat(report).applied(4).skipped(0);
            assertThatSchema(connection)
                    .hasColumn("users", "password", "text")
                    .hasIndex("idx_content_user_id")
                    .hasColumn("pipeline_templates", "archived", "boolean not null")
                    .hasColumn("pipeline_stages", "position", "integer");
        }
    }

    @Test
    void skipsTheTablesOfAModuleThatIsNotInstalled() throws SQLException {
        try (Connection connection = withoutModule.connectInTransaction()) {
            Report report = SafeOps.on(connection, POLICY).run(Script.read(MIGRATION));
            connection.commit();

            assertThat(report).applied(2).skipped(2).skippedOnly("42P01");
            assertThatSchema(connection).hasColumn("users", "password").doesNotHaveTable("pipeline_templates");
        }
    }

    @Test
    void survivesTheDatabasesItWillMeet() {
        DriftCheck.of(Migration.scripts(POLICY, MIGRATION))
                .withOptionalModulesAbsent("pipeline_*")
                .assertSurvives(db);
    }
    // README:end
}

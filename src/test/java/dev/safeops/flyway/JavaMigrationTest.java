package dev.safeops.flyway;

import static dev.safeops.flyway.FlywayFixture.CORE_TABLES;
import static dev.safeops.flyway.FlywayFixture.INCIDENT;
import static dev.safeops.Schema.columnsOf;
import static dev.safeops.flyway.FlywayFixture.emptySchema;
import static dev.safeops.flyway.FlywayFixture.flyway;
import static dev.safeops.flyway.FlywayFixture.history;
import static dev.safeops.Schema.indexes;
import static dev.safeops.flyway.FlywayFixture.sqlMigrations;
import static dev.safeops.flyway.FlywayFixture.withoutTransactionalLock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.CapturedLog;
import dev.safeops.Column;
import dev.safeops.Outcome;
import dev.safeops.Policy;
import dev.safeops.Report;
import dev.safeops.SafeOps;
import dev.safeops.SafeOpsException;
import dev.safeops.Script;
import dev.safeops.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/** Flyway Java migrations written against {@link SafeJavaMigration}: incident 1 replayed. */
class JavaMigrationTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    @TempDir
    Path migrations;

    @BeforeEach
    void coreTablesAsTheFirstMigration() throws Exception {
        emptySchema(db);
        sqlMigrations(migrations, "V1__core_tables.sql", CORE_TABLES);
    }

    /** Incident 1's migration, as a team would port it: the same statements, guarded. */
    static class V2__incident_1 extends SafeJavaMigration {
        Report report;

        @Override
        protected Policy policy() {
            return Policy.defaults().withOptionalTables("pipeline_*", "admin_*", "valuation_*", "deal_*");
        }

        @Override
        public void migrate(SafeOps ops) throws Exception {
            report = ops.run(Script.parse("incident-1.sql", INCIDENT));
        }
    }

    /** The same migration with a mistake at its end. */
    static final class V2__incident_1_with_a_typo extends V2__incident_1 {
        @Override
        public void migrate(SafeOps ops) throws Exception {
            super.migrate(ops);
            ops.execute("ALTER TABEL users ADD COLUMN typo int");
        }
    }

    @Test
    void incidentOneSucceedsAndSkipsExactlyTheMissingModules() {
        V2__incident_1 migration = new V2__incident_1();

        MigrateResult result = migrate(migration);

        assertThat(result.success).isTrue();
        assertThat(migration.report.applied()).isEqualTo(6);
        assertThat(migration.report.skippedOutcomes()).extracting(o -> o.location().line())
                .containsExactly(2, 4, 6, 8, 10);
        assertThat(migration.report.skippedOutcomes()).extracting(Outcome::sqlState).containsOnly("42P01");
    }

    @Test
    void incidentOneIsRecordedAsASuccessfulJavaMigration() throws SQLException {
        migrate(new V2__incident_1());

        assertThat(history(db)).containsExactly(
                "1 1 core tables SQL V1__core_tables.sql " + checksumOfCoreTables() + " true",
                "2 2 incident 1 JDBC " + V2__incident_1.class.getName() + " - true");
    }

    @Test
    void incidentOneKeepsEveryAppliedChangeForOtherConnections() throws SQLException {
        migrate(new V2__incident_1());

        assertThat(columnsOf(db, "users")).contains("password");
        assertThat(columnsOf(db, "content")).contains("project_id");
        assertThat(columnsOf(db, "community_posts")).contains("pinned");
        assertThat(columnsOf(db, "documents")).contains("version");
        assertThat(indexes(db)).contains("idx_content_user_id");
    }

    @Test
    void skipsAreLoggedAtWarnAndTheSummaryAtInfo() {
        migrate(new V2__incident_1());

        assertThat(log.messages(Level.WARN)).hasSize(5).allMatch(message -> message.contains("42P01"));
        assertThat(log.messages(Level.INFO, SafeJavaMigration.class)).singleElement().asString()
                .startsWith("safe-ops V2__incident_1: 6 applied, 5 skipped");
    }

    @Test
    void nonToleratedErrorFailsTheMigrationAndKeepsNothingOfIt() throws SQLException {
        assertThatThrownBy(() -> migrate(new V2__incident_1_with_a_typo())).isInstanceOf(FlywayException.class)
                .hasRootCauseInstanceOf(org.postgresql.util.PSQLException.class)
                .cause().isInstanceOf(SafeOpsException.class).hasMessageContaining("42601");

        assertThat(history(db)).hasSize(1).allMatch(row -> row.startsWith("1 1 core tables"));
        assertThat(columnsOf(db, "users")).containsExactly("id", "email");
        assertThat(columnsOf(db, "documents")).containsExactly("id");
        assertThat(indexes(db)).doesNotContain("idx_content_user_id");
    }

    @Test
    void rerunAfterTheOptionalModuleAppearsAppliesEverything() throws SQLException {
        migrate(new V2__incident_1());
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE pipeline_templates (id bigint PRIMARY KEY)");
        }
        V3__pipeline_module module = new V3__pipeline_module();

        flyway(db, migrations).javaMigrations(new V2__incident_1(), module).load().migrate();

        assertThat(module.report.applied()).isEqualTo(2);
        assertThat(module.report.skipped()).isZero();
        assertThat(columnsOf(db, "pipeline_templates")).contains("archived", "owner_id");
        assertThat(history(db)).hasSize(3).allMatch(row -> row.endsWith(" true"));
    }

    static final class V3__pipeline_module extends SafeJavaMigration {
        Report report;

        @Override
        public void migrate(SafeOps ops) throws Exception {
            ops.addColumn("pipeline_templates", Column.of("archived", "boolean"));
            ops.addColumn("pipeline_templates", Column.of("owner_id", "bigint"));
            report = ops.report();
        }
    }

    @Test
    void nonTransactionalJavaMigrationRunsInAutocommit() throws SQLException {
        V2__concurrent_index migration = new V2__concurrent_index();

        MigrateResult result = withoutTransactionalLock(flyway(db, migrations)).javaMigrations(migration).load().migrate();

        assertThat(result.success).isTrue();
        assertThat(migration.autocommit).isTrue();
        assertThat(indexes(db)).contains("idx_content_user_id");
        assertThat(history(db)).last().asString().startsWith("2 2 concurrent index JDBC").endsWith(" true");
    }

    static final class V2__concurrent_index extends SafeJavaMigration {
        boolean autocommit;

        @Override
        public boolean canExecuteInTransaction() {
            return false;
        }

        @Override
        public void migrate(SafeOps ops) throws Exception {
            ops.execute("CREATE INDEX CONCURRENTLY idx_content_user_id ON content (user_id)");
            autocommit = ops.report().savepoints() == 0;
        }
    }

    @Test
    void versionDescriptionAndChecksumAreBaseJavaMigrations() {
        JavaMigration migration = new V2__incident_1();

        MigrationInfo info = flyway(db, migrations).javaMigrations(migration).load().info().pending()[1];

        assertThat(info.getVersion().getVersion()).isEqualTo("2");
        assertThat(info.getDescription()).isEqualTo("incident 1");
        assertThat(info.getChecksum()).isNull();
        assertThat(migration.canExecuteInTransaction()).isTrue();
    }

    private MigrateResult migrate(JavaMigration migration) {
        return flyway(db, migrations).javaMigrations(migration).load().migrate();
    }

    private String checksumOfCoreTables() {
        return String.valueOf(flyway(db, migrations).load().info().all()[0].getChecksum());
    }
}

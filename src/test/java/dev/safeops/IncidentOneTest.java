package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Incident 1 replayed: a migration touching optional-module tables runs against a database where
 * those modules are not installed.
 */
class IncidentOneTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    /** Production as in incident 1: the core tables, none of the optional modules' tables. */
    static final String SCHEMA = resource("incident-1-schema.sql");

    /** Six statements on core tables, five on tables of modules that are not installed (lines 2, 4, 6, 8, 10). */
    static final Script MIGRATION_SCRIPT = Script.parse("incident-1.sql", resource("incident-1.sql"));
    static final List<String> MIGRATION = MIGRATION_SCRIPT.statements().stream().map(ScriptStatement::sql)
            .collect(Collectors.toList());

    @BeforeEach
    void coreTablesOnly() throws SQLException {
        Schema.reset(db, SCHEMA);
    }

    @Test
    void naiveTryCatchLosesEveryStatementAfterTheFirstMissingTable() throws SQLException {
        List<String> swallowed = new ArrayList<>();
        try (Connection connection = db.connectInTransaction(); Statement statement = connection.createStatement()) {
            for (String sql : MIGRATION) {
                try {
                    statement.execute(sql);
                } catch (SQLException e) {
                    swallowed.add(e.getSQLState());
                }
            }
            connection.commit();
        }

        assertThat(swallowed).first().isEqualTo("42P01");
        assertThat(swallowed.subList(1, swallowed.size())).containsOnly("25P02").hasSize(MIGRATION.size() - 2);
        assertThat(Schema.columnsOf(db, "users")).doesNotContain("password");
        assertThat(Schema.columnsOf(db, "content")).doesNotContain("project_id");
        assertThat(Schema.columnsOf(db, "community_posts")).doesNotContain("pinned");
        assertThat(Schema.columnsOf(db, "documents")).doesNotContain("version");
        assertThat(Schema.indexes(db)).doesNotContain("idx_content_user_id");
    }

    @Test
    void safeOpsKeepsEveryAppliedChangeAndSkipsExactlyTheMissingTables() throws SQLException {
        Report report;
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);
            for (String sql : MIGRATION) {
                ops.execute(sql);
            }
            connection.commit();
            report = ops.report();
        }

        assertThat(report.applied()).isEqualTo(6);
        assertThat(report.skippedOutcomes()).extracting(Outcome::sqlState).containsOnly("42P01").hasSize(5);
        assertThat(report.skippedOutcomes()).extracting(Outcome::sql).containsExactly(
                MIGRATION.get(1), MIGRATION.get(3), MIGRATION.get(5), MIGRATION.get(7), MIGRATION.get(9));
        assertThat(Schema.columnsOf(db, "users")).contains("password");
        assertThat(Schema.columnsOf(db, "content")).contains("project_id");
        assertThat(Schema.columnsOf(db, "community_posts")).contains("pinned");
        assertThat(Schema.columnsOf(db, "documents")).contains("version");
        assertThat(Schema.indexes(db)).contains("idx_content_user_id");
        assertThat(Schema.tableComment(db, "users")).isEqualTo("accounts");
    }

    @Test
    void safeOpsRunsTheSameMigrationAsOneScript() throws SQLException {
        Report report;
        try (Connection connection = db.connectInTransaction()) {
            report = SafeOps.on(connection).run(MIGRATION_SCRIPT);
            connection.commit();
        }

        assertThat(report.applied()).isEqualTo(6);
        assertThat(report.skipped()).isEqualTo(5);
        assertThat(report.skippedOutcomes()).extracting(o -> o.location().line()).containsExactly(2, 4, 6, 8, 10);
        assertThat(Schema.columnsOf(db, "documents")).contains("version");
    }

    /** The demo's own files, so the demo and this specification replay the same incident. */
    private static String resource(String name) {
        try (InputStream in = IncidentOneTest.class.getResourceAsStream("/dev/safeops/cli/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

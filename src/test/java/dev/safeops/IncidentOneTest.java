package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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

    /** Six statements on core tables, five on tables of modules that are not installed. */
    static final List<String> MIGRATION = List.of(
            "ALTER TABLE users ADD COLUMN password text",
            "ALTER TABLE pipeline_templates ADD COLUMN archived boolean",
            "ALTER TABLE content ADD COLUMN project_id bigint",
            "ALTER TABLE pipeline_template_stages ALTER COLUMN position TYPE bigint",
            "CREATE INDEX idx_content_user_id ON content (user_id)",
            "ALTER TABLE admin_audit_logs ADD COLUMN actor_id bigint",
            "ALTER TABLE community_posts ADD COLUMN pinned boolean NOT NULL DEFAULT false",
            "ALTER TABLE valuation_export_logs DROP COLUMN legacy",
            "ALTER TABLE documents ADD COLUMN version int",
            "ALTER TABLE deal_matches ADD COLUMN score numeric",
            "COMMENT ON TABLE users IS 'accounts'");

    @BeforeEach
    void coreTablesOnly() throws SQLException {
        Schema.reset(db, """
                CREATE TABLE users (id bigint PRIMARY KEY, email text);
                CREATE TABLE content (id bigint PRIMARY KEY, user_id bigint);
                CREATE TABLE community_posts (id bigint PRIMARY KEY);
                CREATE TABLE documents (id bigint PRIMARY KEY);
                """);
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
            report = SafeOps.on(connection).run(Script.parse("incident-1.sql", String.join(";\n", MIGRATION)));
            connection.commit();
        }

        assertThat(report.applied()).isEqualTo(6);
        assertThat(report.skipped()).isEqualTo(5);
        assertThat(report.skippedOutcomes()).extracting(o -> o.location().line()).containsExactly(2, 4, 6, 8, 10);
        assertThat(Schema.columnsOf(db, "documents")).contains("version");
    }
}

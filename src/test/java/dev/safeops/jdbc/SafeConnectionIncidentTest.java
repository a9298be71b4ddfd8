package dev.safeops.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.Outcome;
import dev.safeops.Policy;
import dev.safeops.Report;
import dev.safeops.Schema;
import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Incident 1 as the team wrote it, plain JDBC, made safe by wrapping the connection and nothing else. */
class SafeConnectionIncidentTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final List<String> MIGRATION = Arrays.stream(IncidentOne.migration().split(";\n"))
            .map(String::strip).filter(s -> !s.isEmpty()).toList();

    @BeforeEach
    void productionWithoutTheOptionalModules() throws SQLException {
        Schema.reset(db, IncidentOne.schema());
    }

    /** The incident's migration, unchanged: one Statement.execute per statement, then an insert. */
    private static List<SQLWarning> legacyMigration(Connection connection) throws SQLException {
        List<SQLWarning> warnings = new ArrayList<>();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            for (String sql : MIGRATION) {
                statement.execute(sql);
                if (statement.getWarnings() != null) {
                    warnings.add(statement.getWarnings());
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO users (id, email, password) VALUES (?, ?, ?)")) {
            insert.setLong(1, 1);
            insert.setString(2, "ada@example.com");
            insert.setString(3, "secret");
            insert.executeUpdate();
        }
        connection.commit();
        return warnings;
    }

    @Test
    void incidentOneKeepsEveryAppliedChangeThroughAWrappedConnection() throws SQLException {
        try (SafeConnection connection = SafeConnection.wrap(db.connect())) {
            legacyMigration(connection);
        }

        assertThat(Schema.columnsOf(db, "users")).contains("password");
        assertThat(Schema.columnsOf(db, "content")).contains("project_id");
        assertThat(Schema.columnsOf(db, "community_posts")).contains("pinned");
        assertThat(Schema.columnsOf(db, "documents")).contains("version");
        assertThat(Schema.strings(db, "SELECT email FROM users")).containsExactly("ada@example.com");
    }

    @Test
    void incidentOneReportListsTheSkippedModuleTables() throws SQLException {
        Report report;
        try (SafeConnection connection = SafeConnection.wrap(db.connect(), Policy.defaults())) {
            legacyMigration(connection);
            report = connection.report();
        }

        assertThat(report.applied()).isEqualTo(7);
        assertThat(report.skippedOutcomes()).extracting(Outcome::sqlState).containsOnly("42P01").hasSize(5);
        assertThat(report.skippedOutcomes()).extracting(Outcome::sql).allMatch(sql -> sql.contains("pipeline_")
                || sql.contains("admin_") || sql.contains("valuation_") || sql.contains("deal_"));
    }

    @Test
    void incidentOneSkipsAreWarningsOnTheStatement() throws SQLException {
        List<SQLWarning> warnings;
        try (SafeConnection connection = SafeConnection.wrap(db.connect())) {
            warnings = legacyMigration(connection);
        }

        assertThat(warnings).hasSize(5).allSatisfy(warning -> {
            assertThat(warning.getSQLState()).isEqualTo("42P01");
            assertThat(warning.getMessage()).startsWith("safe-ops skipped ALTER TABLE");
        });
    }
}

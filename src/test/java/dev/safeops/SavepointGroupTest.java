package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sharing savepoints between statements keeps subtransactions low and changes no outcome. */
class SavepointGroupTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    /** 100 statements; every tenth names a table that does not exist. */
    static final Script SCRIPT = Script.parse("groups.sql", IntStream.range(0, 100)
            .mapToObj(i -> i % 10 == 7 ? "ALTER TABLE missing_" + i + " ADD COLUMN c int"
                    : "ALTER TABLE t ADD COLUMN c" + i + " int")
            .collect(Collectors.joining(";\n")));

    @BeforeEach
    void oneTable() throws SQLException {
        Schema.reset(db, "CREATE TABLE t (id int)");
    }

    @Test
    void groupedSavepointsGiveTheSameOutcomesAsOneSavepointPerStatement() throws SQLException {
        List<String> perStatement = outcomes(run(1));
        List<String> schemaPerStatement = Schema.columnsOf(db, "t");
        oneTable();

        List<String> grouped = outcomes(run(16));

        assertThat(grouped).isEqualTo(perStatement);
        assertThat(Schema.columnsOf(db, "t")).isEqualTo(schemaPerStatement).hasSize(91);
    }

    @Test
    void errorFreeScriptUsesOneSavepointPerGroupOneStatementAtATime() throws SQLException {
        Schema.reset(db, "CREATE TABLE t (id int)");
        Script clean = Script.parse("clean.sql", IntStream.range(0, 100)
                .mapToObj(i -> "ALTER TABLE t ADD COLUMN c" + i + " int").collect(Collectors.joining(";\n")));
        try (Connection connection = HiddenDriver.hide(db.connectInTransaction())) {
            Report report = SafeOps.on(connection, Policy.defaults(), Settings.defaults().withOperationsPerSavepoint(25))
                    .run(clean);
            connection.commit();

            assertThat(report.applied()).isEqualTo(100);
            assertThat(report.savepoints()).isEqualTo(4);
        }
    }

    @Test
    void pipelinedScriptSharesOneSavepointPerWindowWhateverTheGroupSize() throws SQLException {
        Schema.reset(db, "CREATE TABLE t (id int)");
        Script clean = Script.parse("clean.sql", IntStream.range(0, 100)
                .mapToObj(i -> "ALTER TABLE t ADD COLUMN c" + i + " int").collect(Collectors.joining(";\n")));
        try (Connection connection = db.connectInTransaction()) {
            Report report = SafeOps.on(connection).run(clean);
            connection.commit();

            assertThat(report.applied()).isEqualTo(100);
            assertThat(report.savepoints()).isEqualTo(1);
            assertThat(report.subtransactions()).isEqualTo(1);
        }
    }

    @Test
    void failingGroupsAreReplayedOneSavepointPerStatementOneStatementAtATime() throws SQLException {
        Report report;
        try (Connection connection = HiddenDriver.hide(db.connectInTransaction())) {
            report = SafeOps.on(connection, Policy.defaults(), Settings.defaults().withOperationsPerSavepoint(16))
                    .run(SCRIPT);
            connection.commit();
        }

        // 100 statements in 7 groups, each holding a failure, each replayed statement by statement.
        assertThat(report.savepoints()).isEqualTo(7 + 100);
        assertThat(report.skipped()).isEqualTo(10);
    }

    private static Report run(int operationsPerSavepoint) throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            Report report = SafeOps.on(connection, Policy.defaults(),
                    Settings.defaults().withOperationsPerSavepoint(operationsPerSavepoint)).run(SCRIPT);
            connection.commit();
            return report;
        }
    }

    private static List<String> outcomes(Report report) {
        return report.outcomes().stream().map(o -> o.status() + " " + o.sqlState() + " " + o.sql())
                .collect(Collectors.toList());
    }
}

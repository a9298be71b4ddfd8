package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What safe-ops tells about each statement: where it came from, what happened, and in what state it left things. */
class ReportingTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @BeforeEach
    void oneTable() throws SQLException {
        Schema.reset(db, "CREATE TABLE users (id int)");
    }

    @Test
    void anExecuteFailureIsLocatedAtTheCallersSourceLine() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);
            int line = new Throwable().getStackTrace()[0].getLineNumber() + 1;
            assertThatThrownBy(() -> ops.execute("SELECT 1/0")).isInstanceOfSatisfying(SafeOpsException.class, e -> {
                assertThat(e.location()).isEqualTo(new Location("ReportingTest.java", line));
                assertThat(e.getMessage()).startsWith("safe-ops: ReportingTest.java:" + line + ": ");
            });
            connection.rollback();
        }
    }

    @Test
    void aTypedOperationSkipIsLocatedAtTheCallersSourceLine() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);
            int line = new Throwable().getStackTrace()[0].getLineNumber() + 1;
            Outcome skipped = ops.addColumn("missing_module", Column.of("x", "int"));

            assertThat(skipped.location()).isEqualTo(new Location("ReportingTest.java", line));
            assertThat(skipped.script()).isNull();
            assertThat(skipped.index()).isEqualTo(-1);
            connection.rollback();
        }
    }

    @Test
    void aScriptOutcomeCarriesItsScriptIndexAndLocation() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            Report report = SafeOps.on(connection).run(Script.parse("two.sql", """
                    ALTER TABLE users ADD COLUMN a int;

                    ALTER TABLE missing ADD COLUMN b int;
                    """));

            assertThat(report.outcomes()).extracting(Outcome::script, Outcome::index, Outcome::location)
                    .containsExactly(
                            tuple("two.sql", 0, new Location("two.sql", 1)),
                            tuple("two.sql", 1, new Location("two.sql", 3)));
            connection.rollback();
        }
    }

    @Test
    void aNonToleratedErrorExposesItsPartsAndATransactionStillUsable() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute("SELECT 1/0")).isInstanceOfSatisfying(SafeOpsException.class, e -> {
                assertThat(e.kind()).isEqualTo(SafeOpsException.Kind.NOT_TOLERATED);
                assertThat(e.getSQLState()).isEqualTo("22012");
                assertThat(e.statement()).isEqualTo("SELECT 1/0");
                assertThat(e.reason()).contains("22012", "division by zero").doesNotContain("ReportingTest.java");
                assertThat(e.transactionUsable()).isTrue();
                assertThat(e.getMessage()).contains(e.reason(), "still open");
            });
            connection.rollback();
        }
    }

    @Test
    void aRefusalSaysSoAndLeavesTheTransactionUsable() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute("COMMIT")).isInstanceOfSatisfying(SafeOpsException.class, e -> {
                assertThat(e.kind()).isEqualTo(SafeOpsException.Kind.REFUSED);
                assertThat(e.transactionUsable()).isTrue();
                assertThat(e.getMessage()).contains("Nothing was sent");
            });
            connection.rollback();
        }
    }

    @Test
    void anAbortedTransactionIsRefusedAsNotUsable() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            assertThatThrownBy(() -> connection.createStatement().execute("SELECT * FROM missing"))
                    .isInstanceOf(SQLException.class);

            assertThatThrownBy(() -> SafeOps.on(connection).execute("ALTER TABLE users ADD COLUMN a int"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.kind()).isEqualTo(SafeOpsException.Kind.REFUSED);
                        assertThat(e.transactionUsable()).isFalse();
                    });
            connection.rollback();
        }
    }

    @Test
    void aNewUnitOfWorkForgetsTheOutcomesButNotTheTotals() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);
            ops.execute("ALTER TABLE users ADD COLUMN a int");
            ops.execute("ALTER TABLE missing ADD COLUMN b int");

            ops.startUnitOfWork();
            ops.execute("ALTER TABLE users ADD COLUMN c int");

            assertThat(ops.report().outcomes()).extracting(Outcome::sql)
                    .containsExactly("ALTER TABLE users ADD COLUMN c int");
            assertThat(ops.report().savepoints()).isEqualTo(1);
            assertThat(ops.totals()).isEqualTo(new Report.Totals(2, 1, 3));
            connection.rollback();
        }
    }

    @Test
    void theListenerSeesEveryOutcomeWhateverTheUnitOfWork() throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection).onOutcome(outcome -> seen.add(outcome.sql()));
            ops.execute("ALTER TABLE users ADD COLUMN a int");
            ops.startUnitOfWork();
            ops.execute("ALTER TABLE missing ADD COLUMN b int");
            connection.rollback();
        }
        assertThat(seen).containsExactly("ALTER TABLE users ADD COLUMN a int", "ALTER TABLE missing ADD COLUMN b int");
    }

    @Test
    void settingsRefuseFewerThanOneOperationPerSavepoint() {
        assertThatThrownBy(() -> Settings.defaults().withOperationsPerSavepoint(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }
}

package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A failure names the statement that caused it, where it is, and the transaction's true state. */
class FailureReportTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @RegisterExtension
    static final HoldingProxy proxy = new HoldingProxy(db);

    @BeforeEach
    void oneTable() throws SQLException {
        Schema.reset(db, "CREATE TABLE t (id int)");
    }

    @Test
    void aSessionChangeTheDriverCannotLiveWithIsReportedAsALostConnectionWithNothingRecordedApplied()
            throws SQLException {
        Script script = Script.parse("encoding.sql", """
                ALTER TABLE t ADD COLUMN a int;
                DO $$ BEGIN EXECUTE 'SET client_encoding = ''LATIN1'''; END $$;
                ALTER TABLE t ADD COLUMN b int;
                """);
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.run(script)).isInstanceOfSatisfying(SafeOpsException.class, e -> {
                assertThat(e.kind()).isEqualTo(SafeOpsException.Kind.CONNECTION_LOST);
                assertThat(e.transactionUsable()).isFalse();
                assertThat(e.reason()).contains("client_encoding", "encoding.sql:1", "encoding.sql:3");
                assertThat(e.getMessage()).doesNotContain("still open");
            });
            assertThat(ops.report().outcomes()).isEmpty();
        }
        assertThat(Schema.columnsOf(db, "t")).containsExactly("id");
    }

    @Test
    void refusesAnAbortedTransactionOnAConnectionThatHidesItsDriverSendingNothingButAProbe() throws SQLException {
        try (Connection connection = HiddenDriver.hide(proxy.connectInTransaction(Map.of()));
             Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("SELECT * FROM missing")).isInstanceOf(SQLException.class);
            proxy.forget();
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute("ALTER TABLE t ADD COLUMN a int"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.kind()).isEqualTo(SafeOpsException.Kind.REFUSED);
                        assertThat(e.transactionUsable()).isFalse();
                        assertThat(e.getSQLState()).isEqualTo("25P02");
                        assertThat(e.location().file()).isEqualTo("FailureReportTest.java");
                        assertThat(e.getMessage()).contains("already aborted").doesNotContain("still open");
                    });
            assertThat(proxy.statements()).as("what reached the server").containsExactly(JdbcChannel.PROBE);
            assertThat(ops.report().outcomes()).isEmpty();
            connection.rollback();
        }
    }

    @Test
    void blamesTheStatementTheServerEndedTheSessionOnWhenStatementsShareASavepoint() throws SQLException {
        Script script = Script.parse("terminate.sql", """
                ALTER TABLE t ADD COLUMN a int;
                ALTER TABLE t ADD COLUMN b int;
                DO $$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); END $$;
                ALTER TABLE t ADD COLUMN c int;
                """);
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), Settings.defaults().withOperationsPerSavepoint(4));

            assertThatThrownBy(() -> ops.run(script)).isInstanceOfSatisfying(SafeOpsException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("57P01");
                assertThat(e.location()).isEqualTo(new Location("terminate.sql", 3));
                assertThat(e.statement()).contains("pg_terminate_backend");
                assertThat(e.getMessage()).doesNotContain("still open");
            });
        }
        assertThat(Schema.columnsOf(db, "t")).containsExactly("id");
    }
}

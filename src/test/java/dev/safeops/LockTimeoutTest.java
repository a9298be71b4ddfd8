package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.Settings.LockRetries;
import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lock and statement timeouts are set for each statement alone, and the caller's own values —
 * for the session and for its transaction — are intact after every operation, whatever became of it.
 */
class LockTimeoutTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final Settings TIMED = Settings.defaults().withLockTimeout(Duration.ofMillis(30))
            .withStatementTimeout(Duration.ofSeconds(20));
    private static final Settings RETRIED = TIMED.withLockRetries(LockRetries.production().withRetries(50)
            .withBackoff(Duration.ofMillis(10), Duration.ofMillis(20)).withMaxLockTimeout(Duration.ofMillis(30)));

    @BeforeEach
    void oneTable() throws SQLException {
        Schema.reset(db, "CREATE TABLE users (id bigint PRIMARY KEY)");
    }

    @Test
    void aStatementWaitsForItsLockNoLongerThanTheLockTimeout() throws SQLException {
        try (Connection connection = db.connectInTransaction(); LockHolder holder = LockHolder.on(db, "users")) {
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), TIMED);

            assertThatThrownBy(() -> ops.execute("ALTER TABLE users ADD COLUMN name text"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("55P03");
                        assertThat(e.transactionUsable()).isTrue();
                    });
            connection.rollback();
        }
    }

    @Test
    void aStatementRunsNoLongerThanTheStatementTimeout() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), Settings.defaults()
                    .withStatementTimeout(Duration.ofMillis(50)));

            assertThatThrownBy(() -> ops.execute("SELECT pg_sleep(5)"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            connection.rollback();
        }
    }

    @Test
    void theStatementTimeoutBoundsEachStatementOfAWindowAlone() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), Settings.defaults()
                    .withStatementTimeout(Duration.ofMillis(300)));

            Report report = ops.run(Script.parse("sleeps.sql", "DO $$ BEGIN PERFORM pg_sleep(0.1); END $$;\n".repeat(6)));

            assertThat(report.applied()).isEqualTo(6);
            connection.rollback();
        }
    }

    @Test
    void keepsTheCallersSessionValuesAfterAnAppliedStatement() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            callerSets(connection, "SET");
            SafeOps.on(connection, Policy.defaults(), TIMED).execute("ALTER TABLE users ADD COLUMN name text");

            assertThat(timeouts(connection)).isEqualTo("7s 9s");
            connection.commit();
            assertThat(timeouts(connection)).isEqualTo("7s 9s");
        }
    }

    @Test
    void keepsTheCallersTransactionValuesAfterAnAppliedStatement() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            callerSets(connection, "SET");
            connection.commit();
            callerSets(connection, "SET LOCAL", "3s", "4s");
            SafeOps.on(connection, Policy.defaults(), TIMED).execute("ALTER TABLE users ADD COLUMN name text");

            assertThat(timeouts(connection)).isEqualTo("3s 4s");
            connection.commit();
            assertThat(timeouts(connection)).isEqualTo("7s 9s");
        }
    }

    @Test
    void keepsTheCallersValuesAfterASkippedStatement() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            callerSets(connection, "SET");
            Outcome outcome = SafeOps.on(connection, Policy.defaults(), TIMED)
                    .execute("ALTER TABLE absent ADD COLUMN name text");

            assertThat(outcome.isSkipped()).isTrue();
            assertThat(timeouts(connection)).isEqualTo("7s 9s");
            connection.commit();
            assertThat(timeouts(connection)).isEqualTo("7s 9s");
        }
    }

    @Test
    void keepsTheCallersValuesAfterAFailedStatement() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            callerSets(connection, "SET");
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), TIMED);

            assertThatThrownBy(() -> ops.execute("ALTER TABLE users ADD COLUMN x no_such_type"))
                    .isInstanceOf(SafeOpsException.class);
            assertThat(timeouts(connection)).isEqualTo("7s 9s");
            connection.commit();
            assertThat(timeouts(connection)).isEqualTo("7s 9s");
        }
    }

    @Test
    void keepsTheCallersValuesAfterAStatementThatTimedOut() throws SQLException {
        try (Connection connection = db.connectInTransaction(); LockHolder holder = LockHolder.on(db, "users")) {
            callerSets(connection, "SET");
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), TIMED);

            assertThatThrownBy(() -> ops.execute("ALTER TABLE users ADD COLUMN name text"))
                    .isInstanceOf(SafeOpsException.class);
            assertThat(timeouts(connection)).isEqualTo("7s 9s");
            connection.commit();
            assertThat(timeouts(connection)).isEqualTo("7s 9s");
        }
    }

    @Test
    void keepsTheCallersValuesAfterARetriedStatement() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            callerSets(connection, "SET");
            connection.commit();
            callerSets(connection, "SET LOCAL", "3s", "4s");
            Outcome outcome;
            try (LockHolder holder = LockHolder.on(db, "users").releaseAfterWaiting(150)) {
                outcome = SafeOps.on(connection, Policy.defaults(), RETRIED).execute("ALTER TABLE users ADD COLUMN name text");
            }

            assertThat(outcome.lockRetries()).isPositive();
            assertThat(timeouts(connection)).isEqualTo("3s 4s");
            connection.commit();
            assertThat(timeouts(connection)).isEqualTo("7s 9s");
        }
    }

    @Test
    void keepsTheCallersValuesAfterATypedOperation() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            callerSets(connection, "SET");
            SafeOps.on(connection, Policy.defaults(), TIMED).addColumn("users", Column.of("name", "text"));

            assertThat(timeouts(connection)).isEqualTo("7s 9s");
            connection.commit();
        }
        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "name");
    }

    @Test
    void keepsTheCallersValuesWhenStatementsShareASavepoint() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            callerSets(connection, "SET");
            Report report = SafeOps.on(connection, Policy.defaults(), TIMED.withOperationsPerSavepoint(3))
                    .run(Script.parse("group.sql", "ALTER TABLE users ADD COLUMN a int;\nALTER TABLE absent ADD COLUMN b int;\n"
                            + "ALTER TABLE users ADD COLUMN c int;\nALTER TABLE users ADD COLUMN d int;\n"));

            assertThat(report.applied()).isEqualTo(3);
            assertThat(report.skipped()).isEqualTo(1);
            assertThat(timeouts(connection)).isEqualTo("7s 9s");
            connection.commit();
        }
        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "a", "c", "d");
    }

    @Test
    void keepsTheCallersValuesInAutocommitMode() throws SQLException {
        try (Connection connection = db.connect()) {
            callerSets(connection, "SET");
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), TIMED);
            ops.execute("ALTER TABLE users ADD COLUMN name text");
            assertThat(timeouts(connection)).isEqualTo("7s 9s");
            ops.execute("ALTER TABLE absent ADD COLUMN name text");
            assertThat(timeouts(connection)).isEqualTo("7s 9s");
            assertThatThrownBy(() -> ops.execute("ALTER TABLE users ADD COLUMN x no_such_type"))
                    .isInstanceOf(SafeOpsException.class);
            assertThat(timeouts(connection)).isEqualTo("7s 9s");
        }
    }

    @Test
    void keepsTheCallersValuesAfterATimeoutInAutocommitMode() throws SQLException {
        try (Connection connection = db.connect(); LockHolder holder = LockHolder.on(db, "users")) {
            callerSets(connection, "SET");
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), TIMED);

            assertThatThrownBy(() -> ops.execute("ALTER TABLE users ADD COLUMN name text"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.getSQLState()).isEqualTo("55P03"));
            assertThat(timeouts(connection)).isEqualTo("7s 9s");
        }
    }

    @Test
    void retriesInAutocommitModeAndKeepsTheCallersValues() throws SQLException {
        try (Connection connection = db.connect()) {
            callerSets(connection, "SET");
            Outcome outcome;
            try (LockHolder holder = LockHolder.on(db, "users").releaseAfterWaiting(150)) {
                outcome = SafeOps.on(connection, Policy.defaults(), RETRIED).execute("ALTER TABLE users ADD COLUMN name text");
            }

            assertThat(outcome.isApplied()).isTrue();
            assertThat(outcome.lockRetries()).isPositive();
            assertThat(timeouts(connection)).isEqualTo("7s 9s");
        }
    }

    @Test
    void aStatementThatSetsTheLockTimeoutItselfKeepsItsChange() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            callerSets(connection, "SET");
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), TIMED);
            ops.execute("SET lock_timeout = '11s'");
            ops.execute("SELECT set_config('statement_timeout', '12s', false)");

            assertThat(timeouts(connection)).isEqualTo("11s 12s");
            connection.commit();
            assertThat(timeouts(connection)).isEqualTo("11s 12s");
        }
    }

    @Test
    void leavesTheSessionsValuesAloneByDefault() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            callerSets(connection, "SET", "1ms", "20s");
            try (LockHolder holder = LockHolder.on(db, "users")) {
                assertThatThrownBy(() -> SafeOps.on(connection).execute("ALTER TABLE users ADD COLUMN name text"))
                        .isInstanceOfSatisfying(SafeOpsException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo("55P03"));
            }
            assertThat(timeouts(connection)).isEqualTo("1ms 20s");
            connection.rollback();
        }
    }

    private static void callerSets(Connection connection, String set) throws SQLException {
        callerSets(connection, set, "7s", "9s");
    }

    private static void callerSets(Connection connection, String set, String lock, String statementTimeout)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(set + " lock_timeout = '" + lock + "'");
            statement.execute(set + " statement_timeout = '" + statementTimeout + "'");
        }
    }

    static String timeouts(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT current_setting('lock_timeout') || ' ' || current_setting('statement_timeout')")) {
            rows.next();
            return rows.getString(1);
        }
    }
}

package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * A statement whose lock wait timed out is rolled back to its savepoint and tried again, alone,
 * with longer lock timeouts; when the attempts run out, the failure names who is in the way.
 */
class LockRetryTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    /** Short everything, many retries: a lock released within a second is always waited out. */
    private static final Settings PATIENT = Settings.defaults().withLockTimeout(Duration.ofMillis(30))
            .withLockRetries(LockRetries.production().withRetries(100).withMaxLockTimeout(Duration.ofMillis(60))
                    .withBackoff(Duration.ofMillis(10), Duration.ofMillis(30)).withBudget(Duration.ofSeconds(20)));
    /** Two attempts of 100 and 200 ms: the look-up has time to see the second wait. */
    private static final Settings TWO_ATTEMPTS = Settings.defaults().withLockTimeout(Duration.ofMillis(100))
            .withLockRetries(LockRetries.production().withRetries(1).withBackoff(Duration.ofMillis(20),
                    Duration.ofMillis(20)));

    @BeforeEach
    void twoTables() throws SQLException {
        Schema.reset(db, "CREATE TABLE users (id bigint PRIMARY KEY); CREATE TABLE orders (id bigint PRIMARY KEY)");
    }

    @Test
    void retriesAStatementUntilTheLockIsReleased() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            Outcome outcome;
            try (LockHolder holder = LockHolder.on(db, "users").releaseAfterWaiting(200)) {
                outcome = SafeOps.on(connection, Policy.defaults(), PATIENT).execute("ALTER TABLE users ADD COLUMN name text");
            }
            connection.commit();

            assertThat(outcome.isApplied()).isTrue();
            assertThat(outcome.lockRetries()).isPositive();
        }
        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "name");
    }

    @Test
    void countsRetriesPerStatementInTheReport() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            Report report;
            try (LockHolder holder = LockHolder.on(db, "orders").releaseAfterWaiting(200)) {
                report = SafeOps.on(connection, Policy.defaults(), PATIENT).run(Script.parse("busy.sql",
                        "ALTER TABLE users ADD COLUMN name text;\nALTER TABLE orders ADD COLUMN total int;\n"
                                + "ALTER TABLE users ADD COLUMN email text;\n"));
            }
            connection.commit();

            assertThat(report.outcomes()).extracting(Outcome::lockRetries).first().isEqualTo(0);
            assertThat(report.outcomes().get(1).lockRetries()).isPositive();
            assertThat(report.outcomes().get(2).lockRetries()).isZero();
            assertThat(report.lockRetries()).isEqualTo(report.outcomes().get(1).lockRetries());
            assertThat(report.applied()).isEqualTo(3);
            assertThat(report.summary()).endsWith(report.lockRetries() + (report.lockRetries() == 1 ? " lock retry"
                    : " lock retries"));
        }
        assertThat(Schema.columnsOf(db, "orders")).containsExactly("id", "total");
    }

    @Test
    void keepsWhatEarlierStatementsAppliedWhileRetrying() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), PATIENT);
            ops.execute("ALTER TABLE users ADD COLUMN name text");
            try (LockHolder holder = LockHolder.on(db, "orders").releaseAfterWaiting(150)) {
                ops.execute("ALTER TABLE orders ADD COLUMN total int");
            }
            connection.commit();
        }
        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "name");
        assertThat(Schema.columnsOf(db, "orders")).containsExactly("id", "total");
    }

    @Test
    void retriesAStatementOfASavepointGroupOnItsOwn() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            Report report;
            try (LockHolder holder = LockHolder.on(db, "orders").releaseAfterWaiting(150)) {
                report = SafeOps.on(connection, Policy.defaults(), PATIENT.withOperationsPerSavepoint(3)).run(
                        Script.parse("group.sql", "ALTER TABLE users ADD COLUMN name text;\n"
                                + "ALTER TABLE orders ADD COLUMN total int;\nALTER TABLE users ADD COLUMN email text;\n"));
            }
            connection.commit();

            assertThat(report.applied()).isEqualTo(3);
            assertThat(report.outcomes().get(1).lockRetries()).isPositive();
        }
        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "name", "email");
        assertThat(Schema.columnsOf(db, "orders")).containsExactly("id", "total");
    }

    @Test
    void retriesATypedOperation() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            Outcome outcome;
            try (LockHolder holder = LockHolder.on(db, "users").releaseAfterWaiting(150)) {
                outcome = SafeOps.on(connection, Policy.defaults(), PATIENT).addColumn("users", Column.of("name", "text"));
            }
            connection.commit();

            assertThat(outcome.lockRetries()).isPositive();
        }
        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "name");
    }

    @Test
    void failsNamingTheRelationAndTheBlockingSessionWhenTheAttemptsRunOut() throws SQLException {
        try (Connection connection = db.connectInTransaction(); LockHolder holder = LockHolder.on(db, "users")) {
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), TWO_ATTEMPTS.withBlockerLookup(db.dataSource()));

            assertThatThrownBy(() -> ops.execute("ALTER TABLE users ADD COLUMN name text"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("55P03");
                        assertThat(e.transactionUsable()).isTrue();
                        assertThat(e.lockRetries()).isEqualTo(1);
                        assertThat(e.reason()).contains("gave up after 2 attempts (1 lock retry, lock timeouts 100ms, "
                                + "200ms", "its 2 attempts ran out", "relation users", "pid " + holder.pid(),
                                "application_name '" + LockHolder.APPLICATION_NAME + "'", "idle in transaction",
                                "transaction open for", "LOCK TABLE users IN ACCESS SHARE MODE");
                    });
            connection.rollback();
        }
    }

    @Test
    void failsNamingTheBlockingSessionInAutocommitMode() throws SQLException {
        try (Connection connection = db.connect(); LockHolder holder = LockHolder.on(db, "users")) {
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), TWO_ATTEMPTS.withBlockerLookup(db.dataSource()));

            assertThatThrownBy(() -> ops.execute("ALTER TABLE users ADD COLUMN name text"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.lockRetries()).isEqualTo(1);
                        assertThat(e.reason()).contains("gave up after 2 attempts", "relation users",
                                "pid " + holder.pid(), "LOCK TABLE users IN ACCESS SHARE MODE");
                    });
        }
    }

    @Test
    void namesTheRelationAndSaysWhyBlockersAreNotListedWithoutASecondConnection() throws SQLException {
        try (Connection connection = db.connectInTransaction(); LockHolder holder = LockHolder.on(db, "users")) {
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), TWO_ATTEMPTS);

            assertThatThrownBy(() -> ops.execute("ALTER TABLE users ADD COLUMN name text"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.reason()).contains(
                            "relation users", "the blocking sessions could not be listed: no connection to look them "
                                    + "up was given"));
            connection.rollback();
        }
    }

    @Test
    void stopsRetryingWithinTheBudget() throws SQLException {
        Settings budget = Settings.defaults().withLockTimeout(Duration.ofMillis(20)).withLockRetries(
                LockRetries.production().withRetries(1000).withMaxLockTimeout(Duration.ofMillis(20))
                        .withBackoff(Duration.ofMillis(10), Duration.ofMillis(10)).withBudget(Duration.ofMillis(300)));
        try (Connection connection = db.connectInTransaction(); LockHolder holder = LockHolder.on(db, "users")) {
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), budget);

            assertThatThrownBy(() -> ops.execute("ALTER TABLE users ADD COLUMN name text"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.reason())
                            .contains("past the budget of 0.30 s per statement"));
            connection.rollback();
        }
    }

    @Test
    void theCallersIdleInTransactionTimeoutCannotEndTheSessionWhileItSleeps() throws SQLException {
        Settings longSleeps = Settings.defaults().withLockTimeout(Duration.ofMillis(20)).withLockRetries(
                LockRetries.production().withRetries(20).withMaxLockTimeout(Duration.ofMillis(20))
                        .withBackoff(Duration.ofMillis(200), Duration.ofMillis(200)));
        try (Connection connection = db.connectInTransaction()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET idle_in_transaction_session_timeout = '40ms'");
            }
            connection.commit();
            Outcome outcome;
            try (LockHolder holder = LockHolder.on(db, "users").releaseAfterWaiting(300)) {
                outcome = SafeOps.on(connection, Policy.defaults(), longSleeps).execute("ALTER TABLE users ADD COLUMN name text");
            }

            assertThat(outcome.lockRetries()).isPositive();
            assertThat(setting(connection, "idle_in_transaction_session_timeout")).isEqualTo("40ms");
            connection.commit();
        }
        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "name");
    }

    @Test
    void staysUnderTheTransactionTimeout() throws SQLException {
        assumeTrue(db.majorVersion() >= 17, "transaction_timeout exists from PostgreSQL 17 on");
        Settings patient = Settings.defaults().withLockTimeout(Duration.ofMillis(50)).withLockRetries(
                LockRetries.production().withRetries(1000).withMaxLockTimeout(Duration.ofMillis(50))
                        .withBackoff(Duration.ofMillis(20), Duration.ofMillis(20)).withBudget(Duration.ofSeconds(30)));
        try (Connection connection = db.connectInTransaction(); LockHolder holder = LockHolder.on(db, "users")) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET transaction_timeout = '1s'");
            }
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), patient);

            assertThatThrownBy(() -> ops.execute("ALTER TABLE users ADD COLUMN name text"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.reason()).contains("transaction_timeout of 1.00 s");
                        assertThat(e.transactionUsable()).isTrue();
                    });
            assertThat(setting(connection, "transaction_timeout")).isEqualTo("1s");
            connection.rollback();
        }
    }

    @Test
    void noRetryWithoutASchedule() throws SQLException {
        try (Connection connection = db.connectInTransaction(); LockHolder holder = LockHolder.on(db, "users")) {
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), Settings.defaults()
                    .withLockTimeout(Duration.ofMillis(20)));

            assertThatThrownBy(() -> ops.execute("ALTER TABLE users ADD COLUMN name text"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.reason())
                            .contains("gave up after 1 attempt (0 lock retries", "no lock retries are configured"));
            connection.rollback();
        }
    }

    private static String setting(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT current_setting('" + name + "')")) {
            rows.next();
            return rows.getString(1);
        }
    }
}

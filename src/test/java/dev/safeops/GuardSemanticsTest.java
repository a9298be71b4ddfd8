package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The guarantees every guarded operation gives, whatever the operation. */
class GuardSemanticsTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @BeforeEach
    void oneTable() throws SQLException {
        Schema.reset(db, "CREATE TABLE users (id bigint PRIMARY KEY, email text)");
    }

    @Test
    void nonToleratedErrorIsThrownWithSqlStateStatementAndOperation() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute("ALTER TABLE users ADD COLUMN broken nonexistent_type("))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42601");
                        assertThat(e.statement()).isEqualTo("ALTER TABLE users ADD COLUMN broken nonexistent_type(");
                        assertThat(e.operation()).startsWith("ALTER TABLE users");
                        assertThat(e.getMessage()).contains("42601", "syntax_error",
                                "ALTER TABLE users ADD COLUMN broken nonexistent_type(");
                    });
            connection.rollback();
        }
    }

    @Test
    void transactionStaysUsableAfterANonToleratedError() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);
            ops.execute("ALTER TABLE users ADD COLUMN name text");

            assertThatThrownBy(() -> ops.execute("ALTER TABLE users ADD COLUMN x int CHECK (")).isInstanceOf(
                    SafeOpsException.class);
            ops.execute("ALTER TABLE users ADD COLUMN created_at timestamptz");
            connection.commit();
        }

        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "email", "name", "created_at");
    }

    @Test
    void earlierWorkStaysInTheTransactionUntilTheCallerRollsBack() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);
            ops.execute("ALTER TABLE users ADD COLUMN name text");
            assertThatThrownBy(() -> ops.execute("SELECT 1/0")).isInstanceOf(SafeOpsException.class)
                    .hasFieldOrPropertyWithValue("SQLState", "22012");

            try (Statement statement = connection.createStatement()) {
                assertThat(statement.executeQuery("SELECT count(*) FROM information_schema.columns "
                        + "WHERE table_name = 'users' AND column_name = 'name'")).satisfies(rows -> {
                            rows.next();
                            assertThat(rows.getInt(1)).isEqualTo(1);
                        });
            }
            connection.rollback();
        }

        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "email");
    }

    @Test
    void refusesAnAbortedTransactionBeforeSendingAnything() throws SQLException {
        try (Connection connection = db.connectInTransaction(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("SELECT * FROM missing_table")).isInstanceOf(SQLException.class);
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute("ALTER TABLE users ADD COLUMN name text"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("25P02");
                        assertThat(e.getMessage()).contains("already aborted", "Nothing was sent");
                    });
            assertThat(ops.report().outcomes()).isEmpty();
            connection.rollback();
        }
    }

    @Test
    void skipLeavesTheTransactionUsableForTheNextOperation() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            Outcome skipped = ops.execute("ALTER TABLE missing_module ADD COLUMN x int");
            Outcome applied = ops.execute("ALTER TABLE users ADD COLUMN name text");
            connection.commit();

            assertThat(skipped.status()).isEqualTo(Outcome.Status.SKIPPED);
            assertThat(skipped.sqlState()).isEqualTo("42P01");
            assertThat(skipped.reason()).contains("missing object", "missing_module");
            assertThat(applied.status()).isEqualTo(Outcome.Status.APPLIED);
        }
        assertThat(Schema.columnsOf(db, "users")).contains("name");
    }

    @Test
    void autocommitModeSkipsAMissingTableAndCommitsEachStatement() throws SQLException {
        try (Connection connection = db.connect()) {
            SafeOps ops = SafeOps.on(connection);

            Outcome skipped = ops.execute("ALTER TABLE missing_module ADD COLUMN x int");
            ops.execute("ALTER TABLE users ADD COLUMN name text");

            assertThat(skipped.isSkipped()).isTrue();
            assertThat(ops.report().savepoints()).isZero();
        }
        assertThat(Schema.columnsOf(db, "users")).contains("name");
    }

    @Test
    void autocommitModeThrowsANonToleratedError() throws SQLException {
        try (Connection connection = db.connect()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute("INSERT INTO users (id) VALUES (NULL)"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.getSQLState()).isEqualTo("23502"));
        }
    }

    @Test
    void refusesTransactionControlStatements() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute("COMMIT")).isInstanceOf(SafeOpsException.class)
                    .hasMessageContaining("transaction control");
            connection.rollback();
        }
    }

    @Test
    void refusesConcurrentIndexBuildInsideATransactionWithoutSendingIt() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute("CREATE INDEX CONCURRENTLY users_email_idx ON users (email)"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("25001");
                        assertThat(e.getMessage()).contains("cannot run inside a transaction block", "autocommit");
                    });
            ops.execute("ALTER TABLE users ADD COLUMN name text");
            connection.commit();
        }
    }

    @Test
    void runsAConcurrentIndexBuildInAutocommitMode() throws SQLException {
        try (Connection connection = db.connect()) {
            SafeOps.on(connection).execute("CREATE INDEX CONCURRENTLY users_email_idx ON users (email)");
        }
        assertThat(Schema.indexes(db)).contains("users_email_idx");
    }

    @Test
    void lockTimeoutIsThrownAndLeavesTheTransactionUsable() throws SQLException {
        try (Connection holder = db.connectInTransaction(); Statement lock = holder.createStatement();
             Connection connection = db.connectInTransaction(); Statement statement = connection.createStatement()) {
            lock.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
            statement.execute("SET LOCAL lock_timeout = '100ms'");
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute("ALTER TABLE users ADD COLUMN name text"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.getSQLState()).isEqualTo("55P03"));
            holder.rollback();
            ops.execute("ALTER TABLE users ADD COLUMN name text");
            connection.commit();
        }
        assertThat(Schema.columnsOf(db, "users")).contains("name");
    }

    @Test
    void lostConnectionIsThrownAndNotTolerated() throws SQLException {
        try (Connection connection = db.connectInTransaction(); Connection admin = db.connect();
             Statement statement = connection.createStatement(); Statement kill = admin.createStatement()) {
            SafeOps ops = SafeOps.on(connection);
            ops.execute("ALTER TABLE users ADD COLUMN name text");
            var pid = statement.executeQuery("SELECT pg_backend_pid()");
            pid.next();
            // waits until the backend is gone, so that the next statement meets no session whatever the timing
            kill.execute("SELECT pg_terminate_backend(" + pid.getInt(1) + ", 30000)");

            assertThatThrownBy(() -> ops.execute("ALTER TABLE users ADD COLUMN email2 text"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).matches("08...|57P01");
                        assertThat(e.getMessage()).contains("never tolerated");
                    });
        }
        assertThat(Schema.columnsOf(db, "users")).doesNotContain("name");
    }
}

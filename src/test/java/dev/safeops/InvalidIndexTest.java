package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An index left invalid by a failed concurrent build is never "already there" (incident 4). */
class InvalidIndexTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @BeforeEach
    void anInvalidIndex() throws SQLException {
        Schema.reset(db, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (1), (1)");
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            try {
                statement.execute("CREATE UNIQUE INDEX CONCURRENTLY kept_v ON kept (v)");
            } catch (SQLException expected) {
                // leaves kept_v behind, invalid, as an interrupted build in production would
            }
            statement.execute("DELETE FROM kept");
        }
        assertThat(valid()).containsExactly("false");
    }

    @Test
    void inATransactionCreateIndexOnAnInvalidIndexFailsWithTheRepairCommand() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute("CREATE UNIQUE INDEX kept_v ON kept (v)"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42P07");
                        assertThat(e.getMessage()).contains("exists but is invalid", "DROP INDEX CONCURRENTLY \"kept_v\"");
                    });
            assertThat(ops.report().skipped()).isZero();
            connection.rollback();
        }
    }

    @Test
    void inATransactionCreateIndexIfNotExistsOnAnInvalidIndexFailsWithTheRepairCommand() throws SQLException {
        Script script = Script.parse("index.sql", """
                CREATE UNIQUE INDEX IF NOT EXISTS kept_v ON kept (v);
                CREATE TABLE after_the_index (id int);
                """);
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.run(script)).isInstanceOfSatisfying(SafeOpsException.class,
                    e -> assertThat(e.getMessage()).contains("DROP INDEX CONCURRENTLY \"kept_v\""));
            assertThat(ops.report().outcomes()).isEmpty();
            connection.rollback();
        }
    }

    @Test
    void aTypedCreateIndexOnAnInvalidIndexFails() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.createIndex(Index.on("kept", "v").unique().named("kept_v")))
                    .isInstanceOfSatisfying(SafeOpsException.class,
                            e -> assertThat(e.getMessage()).contains("DROP INDEX CONCURRENTLY"));
            connection.rollback();
        }
    }

    @Test
    void inAutocommitAConcurrentBuildDropsTheInvalidIndexAndBuildsItAgain() throws SQLException {
        try (Connection connection = db.connect()) {
            Outcome outcome = SafeOps.on(connection).execute("CREATE UNIQUE INDEX CONCURRENTLY kept_v ON kept (v)");

            assertThat(outcome.isApplied()).isTrue();
            assertThat(outcome.reason()).contains("repaired", "DROP INDEX CONCURRENTLY \"kept_v\"");
        }
        assertThat(valid()).containsExactly("true");
    }

    @Test
    void inAutocommitAConcurrentBuildIfNotExistsRebuildsAnInvalidIndex() throws SQLException {
        try (Connection connection = db.connect()) {
            Outcome outcome = SafeOps.on(connection)
                    .execute("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS kept_v ON kept (v)");

            assertThat(outcome.isApplied()).isTrue();
            assertThat(outcome.reason()).contains("repaired");
        }
        assertThat(valid()).containsExactly("true");
    }

    private static List<String> valid() throws SQLException {
        return Schema.strings(db, "SELECT i.indisvalid::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                + "WHERE c.relname = 'kept_v'");
    }
}

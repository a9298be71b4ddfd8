package dev.safeops.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.Outcome;
import dev.safeops.SafeOpsException;
import dev.safeops.Schema;
import dev.safeops.testing.TestDatabase;
import java.io.StringReader;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/** What a statement sent through a {@link SafeConnection} does, form by form, on a real server. */
class SafeConnectionTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final String MISSING = "ALTER TABLE pipeline_templates ADD COLUMN archived boolean";

    @BeforeEach
    void coreTables() throws SQLException {
        Schema.reset(db, "CREATE TABLE users (id bigserial PRIMARY KEY, email text UNIQUE)");
    }

    private static SafeConnection inTransaction() throws SQLException {
        SafeConnection connection = SafeConnection.wrap(db.connect());
        connection.setAutoCommit(false);
        return connection;
    }

    @Test
    void executeReturnsFalseForASkippedStatement() throws SQLException {
        try (SafeConnection connection = inTransaction(); Statement statement = connection.createStatement()) {
            assertThat(statement.execute(MISSING)).isFalse();
            assertThat(statement.getUpdateCount()).isEqualTo(-1);
            assertThat(statement.getResultSet()).isNull();
            assertThat(statement.getMoreResults()).isFalse();
            assertThat(connection.report().skipped()).isEqualTo(1);
        }
    }

    @Test
    void executeUpdateAndExecuteLargeUpdateReturnZeroForASkippedStatement() throws SQLException {
        try (SafeConnection connection = inTransaction(); Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate(MISSING)).isZero();
            assertThat(statement.executeUpdate(MISSING, Statement.RETURN_GENERATED_KEYS)).isZero();
            assertThat(statement.executeLargeUpdate(MISSING)).isZero();
            assertThat(statement.executeLargeUpdate(MISSING, new String[] {"id"})).isZero();
            assertThat(connection.report().skipped()).isEqualTo(4);
        }
    }

    @Test
    void everyExecuteFormOfAStatementIsAppliedInTheTransaction() throws SQLException {
        try (SafeConnection connection = inTransaction(); Statement statement = connection.createStatement()) {
            assertThat(statement.execute("ALTER TABLE users ADD COLUMN a int")).isFalse();
            assertThat(statement.execute("ALTER TABLE users ADD COLUMN b int", Statement.NO_GENERATED_KEYS)).isFalse();
            assertThat(statement.executeUpdate("INSERT INTO users (email) VALUES ('x@example.com')")).isEqualTo(1);
            assertThat(statement.executeLargeUpdate("UPDATE users SET a = 1")).isEqualTo(1L);
            connection.commit();

            assertThat(connection.report().applied()).isEqualTo(4);
            assertThat(connection.report().savepoints()).isEqualTo(4);
        }
        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "email", "a", "b");
    }

    @Test
    void aQueryReturnsItsRowsAndTheResultSetKnowsTheWrappedStatement() throws SQLException {
        try (SafeConnection connection = inTransaction(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO users (email) VALUES ('a@example.com'), ('b@example.com')");
            try (ResultSet rows = statement.executeQuery("SELECT email FROM users ORDER BY email")) {
                assertThat(rows.getStatement()).isSameAs(statement);
                assertThat(rows.getMetaData().getColumnName(1)).isEqualTo("email");
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("a@example.com");
                assertThat(rows.next()).isTrue();
                assertThat(rows.next()).isFalse();
            }
            assertThat(statement.execute("SELECT 1")).isTrue();
            assertThat(statement.getResultSet()).isSameAs(statement.getResultSet());
        }
    }

    @Test
    void aSkippedQueryReturnsAnEmptyResultSet() throws SQLException {
        try (SafeConnection connection = inTransaction(); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("DELETE FROM pipeline_templates RETURNING *")) {
                assertThat(rows.next()).isFalse();
                assertThat(rows.getStatement()).isSameAs(statement);
            }
            assertThat(statement.getWarnings().getSQLState()).isEqualTo("42P01");
        }
    }

    @Test
    void preparedStatementsWithParametersAreGuardedInEveryForm() throws SQLException {
        try (SafeConnection connection = inTransaction();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO users (email) VALUES (?)");
             PreparedStatement missing = connection.prepareStatement("INSERT INTO pipeline_templates (name) VALUES (?)")) {
            insert.setString(1, "a@example.com");
            assertThat(insert.execute()).isFalse();
            insert.setString(1, "b@example.com");
            assertThat(insert.executeUpdate()).isEqualTo(1);
            insert.setString(1, "c@example.com");
            assertThat(insert.executeLargeUpdate()).isEqualTo(1L);
            missing.setString(1, "x");
            assertThat(missing.executeUpdate()).isZero();
            assertThat(missing.getWarnings().getSQLState()).isEqualTo("42P01");
            connection.commit();

            assertThat(connection.report().applied()).isEqualTo(3);
            assertThat(connection.report().skipped()).isEqualTo(1);
        }
        assertThat(Schema.strings(db, "SELECT count(*) FROM users")).containsExactly("3");
    }

    @Test
    void generatedKeysComeBackThroughTheWrapper() throws SQLException {
        try (SafeConnection connection = inTransaction();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO users (email) VALUES (?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, "a@example.com");
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                assertThat(keys.getLong("id")).isPositive();
                assertThat(keys.getStatement()).isSameAs(insert);
            }
        }
    }

    @Test
    void aCallableStatementIsGuarded() throws SQLException {
        try (SafeConnection connection = inTransaction();
             CallableStatement call = connection.prepareCall("{? = call upper(?)}");
             CallableStatement missing = connection.prepareCall("CALL no_such_procedure()")) {
            call.registerOutParameter(1, java.sql.Types.VARCHAR);
            call.setString(2, "ada");
            call.execute();
            assertThat(call.getString(1)).isEqualTo("ADA");
            // A missing procedure is a mistake, not drift: thrown, and the transaction stays usable.
            assertThatThrownBy(missing::execute).isInstanceOfSatisfying(SafeOpsException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("42883"));
            assertThat(connection.report().applied()).isEqualTo(1);
            try (Statement statement = connection.createStatement()) {
                assertThat(statement.execute("SELECT 1")).isTrue();
            }
        }
    }

    @Test
    void aStatementBatchSkipsItsMissingTableAndKeepsTheRest() throws SQLException {
        try (SafeConnection connection = inTransaction(); Statement statement = connection.createStatement()) {
            statement.addBatch("ALTER TABLE users ADD COLUMN a int");
            statement.addBatch(MISSING);
            statement.addBatch("ALTER TABLE users ADD COLUMN b int");

            assertThat(statement.executeBatch()).containsExactly(0, 0, 0);
            assertThat(statement.getWarnings().getSQLState()).isEqualTo("42P01");
            connection.commit();
            assertThat(connection.report().applied()).isEqualTo(2);
            assertThat(connection.report().skipped()).isEqualTo(1);
        }
        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "email", "a", "b");
    }

    @Test
    void aBatchThatSucceedsReturnsTheDriversCounts() throws SQLException {
        try (SafeConnection connection = inTransaction(); Statement statement = connection.createStatement()) {
            statement.addBatch("INSERT INTO users (email) VALUES ('a@example.com')");
            statement.addBatch("INSERT INTO users (email) VALUES ('b@example.com'), ('c@example.com')");

            assertThat(statement.executeLargeBatch()).containsExactly(1L, 2L);
            assertThat(connection.report().savepoints()).isEqualTo(1);
        }
    }

    @Test
    void aNonToleratedErrorInTheMiddleOfABatchIsThrownAndKeepsWhatCameBefore() throws SQLException {
        try (SafeConnection connection = inTransaction(); Statement statement = connection.createStatement()) {
            statement.addBatch("INSERT INTO users (email) VALUES ('a@example.com')");
            statement.addBatch(MISSING);
            statement.addBatch("INSERT INTO users (email) VALUES ('a@example.com')");
            statement.addBatch("ALTER TABLE users ADD COLUMN never int");

            assertThatThrownBy(statement::executeBatch).isInstanceOfSatisfying(SafeOpsException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("23505"));
            statement.execute("ALTER TABLE users ADD COLUMN after int");
            connection.commit();
            assertThat(connection.report().applied()).isEqualTo(2);
            assertThat(connection.report().skipped()).isEqualTo(1);
        }
        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "email", "after");
        assertThat(Schema.strings(db, "SELECT email FROM users")).containsExactly("a@example.com");
    }

    @Test
    void aPreparedBatchOnAMissingTableIsSkippedWhole() throws SQLException {
        try (SafeConnection connection = inTransaction();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO pipeline_templates (name) VALUES (?)")) {
            for (String name : new String[] {"a", "b", "c"}) {
                insert.setString(1, name);
                insert.addBatch();
            }
            assertThat(insert.executeBatch()).containsExactly(0, 0, 0);
            assertThat(connection.report().skipped()).isEqualTo(1);
        }
    }

    @Test
    void aNonToleratedErrorIsASafeOpsExceptionAndTheTransactionStaysUsable() throws SQLException {
        try (SafeConnection connection = inTransaction(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE users ADD COLUMN a int");
            assertThatThrownBy(() -> statement.execute("SELECT 1/0")).isInstanceOfSatisfying(SafeOpsException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("22012"));
            statement.execute("ALTER TABLE users ADD COLUMN b int");
            connection.commit();
        }
        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "email", "a", "b");
    }

    @Test
    void severalStatementsInOneStringAreNeverSkippedWhole() throws SQLException {
        try (SafeConnection connection = inTransaction(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("ALTER TABLE users ADD COLUMN a int; " + MISSING))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.getSQLState()).isEqualTo("42P01"));
            statement.execute("ALTER TABLE users ADD COLUMN b int");
            connection.commit();
        }
        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "email", "b");
    }

    @Test
    void autocommitStatementsAreJudgedWithoutSavepoints() throws SQLException {
        try (SafeConnection connection = SafeConnection.wrap(db.connect()); Statement statement = connection.createStatement()) {
            assertThat(statement.execute(MISSING)).isFalse();
            assertThat(connection.report().skipped()).isEqualTo(1);
            assertThat(connection.report().savepoints()).isZero();
            assertThatThrownBy(() -> statement.execute("SELECT 1/0")).isInstanceOf(SafeOpsException.class);
        }
    }

    @Test
    void anAutocommitBatchRunsItsStatementsOneByOneAndSkipsTheMissingTable() throws SQLException {
        try (SafeConnection connection = SafeConnection.wrap(db.connect()); Statement statement = connection.createStatement()) {
            statement.addBatch("INSERT INTO users (email) VALUES ('a@example.com')");
            statement.addBatch(MISSING);
            statement.addBatch("INSERT INTO users (email) VALUES ('b@example.com')");

            assertThat(statement.executeBatch()).containsExactly(1, 0, 1);
            assertThat(statement.getWarnings().getSQLState()).isEqualTo("42P01");
        }
        assertThat(Schema.strings(db, "SELECT count(*) FROM users")).containsExactly("2");
    }

    @Test
    void theCallersOwnSavepointsKeepWorking() throws SQLException {
        try (SafeConnection connection = inTransaction(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE users ADD COLUMN a int");
            Savepoint mine = connection.setSavepoint("mine");
            statement.execute("ALTER TABLE users ADD COLUMN b int");
            statement.execute(MISSING);
            connection.rollback(mine);
            statement.execute("SAVEPOINT sql_level");
            statement.execute("ALTER TABLE users ADD COLUMN c int");
            statement.execute("RELEASE SAVEPOINT sql_level");
            connection.releaseSavepoint(mine);
            connection.commit();
        }
        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "email", "a", "c");
    }

    @Test
    void aCommittedTransactionsReportStaysUntilTheNextStatement() throws SQLException {
        try (SafeConnection connection = inTransaction(); Statement statement = connection.createStatement()) {
            statement.execute(MISSING);
            connection.commit();
            assertThat(connection.report().skipped()).isEqualTo(1);

            statement.execute("ALTER TABLE users ADD COLUMN a int");
            assertThat(connection.report().outcomes()).hasSize(1);
            assertThat(connection.startUnitOfWork().applied()).isEqualTo(1);
            assertThat(connection.report().outcomes()).isEmpty();
        }
    }

    @Test
    void statementsAndMetadataGiveBackTheWrappedConnection() throws SQLException {
        try (SafeConnection connection = inTransaction();
             Statement statement = connection.createStatement();
             PreparedStatement prepared = connection.prepareStatement("SELECT 1")) {
            DatabaseMetaData metaData = connection.getMetaData();

            assertThat(statement.getConnection()).isSameAs(connection);
            assertThat(prepared.getConnection()).isSameAs(connection);
            assertThat(metaData.getConnection()).isSameAs(connection);
            assertThat(metaData.getDatabaseProductName()).isEqualTo("PostgreSQL");
            assertThat(SafeConnection.wrap(connection, connection.policy())).isSameAs(connection);
        }
    }

    @Test
    void unwrapGivesTheWrapperForJdbcInterfacesAndTheDriverOtherwise() throws SQLException {
        try (SafeConnection connection = inTransaction(); Statement statement = connection.createStatement()) {
            assertThat(connection.unwrap(Connection.class)).isSameAs(connection);
            assertThat(connection.unwrap(SafeConnection.class)).isSameAs(connection);
            assertThat(connection.isWrapperFor(PGConnection.class)).isTrue();
            assertThat(connection.unwrap(PGConnection.class)).isNotInstanceOf(SafeConnection.class);
            assertThat(statement.unwrap(Statement.class)).isSameAs(statement);
            assertThat(statement.unwrap(org.postgresql.PGStatement.class)).isNotNull();
        }
    }

    @Test
    void theCopyApiWorksThroughTheUnwrappedDriverConnection() throws Exception {
        try (SafeConnection connection = inTransaction()) {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            long rows = copy.copyIn("COPY users (email) FROM STDIN", new StringReader("a@example.com\nb@example.com\n"));
            connection.commit();

            assertThat(rows).isEqualTo(2);
        }
        assertThat(Schema.strings(db, "SELECT count(*) FROM users")).containsExactly("2");
    }

    @Test
    void theWrappersClassLoaderFindsTheDriverAsFlywaysCopySupportAsksIt() throws Exception {
        try (SafeConnection connection = inTransaction()) {
            Class<?> baseConnection = connection.getClass().getClassLoader().loadClass("org.postgresql.core.BaseConnection");

            assertThat(baseConnection).isSameAs(BaseConnection.class);
            assertThat(new CopyManager((BaseConnection) connection.unwrap(baseConnection))
                    .copyIn("COPY users (email) FROM STDIN", new StringReader("a@example.com\n"))).isEqualTo(1);
        }
    }
}

package dev.safeops.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * How a guarded statement gets its own savepoint, and how a failed one is undone, on one connection.
 */
interface Savepoints {

    /** Before the statement; returns what {@link #succeeded} or {@link #failed} need. */
    Object enter() throws SQLException;

    /** After the statement ran. */
    void succeeded(Object token) throws SQLException;

    /** After the statement failed: undoes it, leaving the transaction usable. */
    void failed(Object token) throws SQLException;

    /** pgjdbc's own savepoint when the connection reveals it, explicit JDBC savepoints otherwise. */
    static Savepoints on(Connection connection) throws SQLException {
        Savepoints driver = DriverAutosave.on(connection);
        return driver != null ? driver : new Explicit(connection);
    }

    /**
     * {@code setSavepoint} before, {@code releaseSavepoint} after: two more round trips per statement,
     * for connections that do not reveal pgjdbc.
     */
    final class Explicit implements Savepoints {
        private final Connection connection;

        Explicit(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object enter() throws SQLException {
            return connection.setSavepoint();
        }

        @Override
        public void succeeded(Object token) throws SQLException {
            connection.releaseSavepoint((Savepoint) token);
        }

        @Override
        public void failed(Object token) throws SQLException {
            connection.rollback((Savepoint) token);
            connection.releaseSavepoint((Savepoint) token);
        }
    }
}

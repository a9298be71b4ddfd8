package dev.safeops;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Another session holding a real lock on a table, as a busy application would: {@code LOCK TABLE …
 * IN ACCESS SHARE MODE} in an open transaction, which every ALTER TABLE must wait for. Released
 * (rolled back) on {@link #close()}, or earlier from a thread of its own.
 */
public final class LockHolder implements AutoCloseable {

    public static final String APPLICATION_NAME = "busy-application";

    private final Connection connection;
    private final int pid;
    private Thread releaser;

    private LockHolder(Connection connection, int pid) {
        this.connection = connection;
        this.pid = pid;
    }

    public static LockHolder on(TestDatabase db, String table) throws SQLException {
        Connection connection = db.connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET application_name = '" + APPLICATION_NAME + "'");
            var rows = statement.executeQuery("SELECT pg_backend_pid()");
            rows.next();
            int pid = rows.getInt(1);
            connection.setAutoCommit(false);
            // the last query, as the blocking-session report shows it
            statement.execute("LOCK TABLE " + table + " IN ACCESS SHARE MODE");
            return new LockHolder(connection, pid);
        }
    }

    public int pid() {
        return pid;
    }

    /** Releases the lock after {@code millis}, from another thread, while the test waits for it. */
    public LockHolder releaseAfter(long millis) {
        releaser = new Thread(() -> {
            try {
                Thread.sleep(millis);
                connection.rollback();
            } catch (InterruptedException | SQLException e) {
                // close() releases it anyway
            }
        });
        releaser.start();
        return this;
    }

    @Override
    public void close() throws SQLException {
        try {
            if (releaser != null) {
                releaser.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.rollback();
        connection.close();
    }
}

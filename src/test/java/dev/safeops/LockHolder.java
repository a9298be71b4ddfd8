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

    private final TestDatabase db;
    private final String table;
    private final Connection connection;
    private final int pid;
    private Thread releaser;

    private LockHolder(TestDatabase db, String table, Connection connection, int pid) {
        this.db = db;
        this.table = table;
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
            return new LockHolder(db, table, connection, pid);
        }
    }

    public int pid() {
        return pid;
    }

    /**
     * Releases the lock {@code millis} after another session first waited for it, from a thread of
     * its own: longer than the waiter's first lock timeout, the waiter has to retry, however slowly
     * it got there.
     */
    public LockHolder releaseAfterWaiting(long millis) {
        releaser = new Thread(() -> {
            try (Connection watcher = db.connect(); var waiting = watcher.prepareStatement(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = to_regclass(?)")) {
                waiting.setString(1, table);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (System.nanoTime() < deadline) {
                    try (var rows = waiting.executeQuery()) {
                        rows.next();
                        if (rows.getInt(1) > 0) {
                            break;
                        }
                    }
                    Thread.sleep(2);
                }
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

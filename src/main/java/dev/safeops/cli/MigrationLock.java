package dev.safeops.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The PostgreSQL advisory lock that lets one {@code apply} at a time work on a database, so that
 * replicas started together run their migration one after the other: the first applies, the
 * others find everything there and skip it.
 *
 * <p>A session-level lock on the migration's own connection: it survives the commit, so the
 * statements run after it stay covered, and it goes when that session ends, so a run that dies
 * (killed, crashed, cut off) cannot leave it behind and nothing can hold it while the migration's
 * session is gone. Waiting polls {@code pg_try_advisory_lock} rather than blocking in the server,
 * so that the wait has a bound of its own and the waiting run can say who holds the lock.
 */
final class MigrationLock implements AutoCloseable {

    /** The 8 bytes of "safe-ops" in ASCII, read as a signed 64-bit number. */
    static final long DEFAULT_KEY = 0x736166652d6f7073L;
    static final int DEFAULT_WAIT_SECONDS = 600;
    private static final long POLL_MILLIS = 250;

    private final Connection connection;
    private final long key;

    private MigrationLock(Connection connection, long key) {
        this.connection = connection;
        this.key = key;
    }

    /**
     * Takes the lock on the connection, which must be in autocommit mode, waiting at most {@code wait}.
     *
     * @param waiting told once, with the holder, when the lock is taken by another session
     * @throws CommandException (exit 2) when the wait runs out, naming this session and the holder
     * @throws SQLException     when the connection fails
     */
    static MigrationLock acquire(Connection connection, long key, Duration wait, Consumer<String> waiting)
            throws SQLException {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean told = false;
        while (!tryLock(connection, key)) {
            if (!told) {
                waiting.accept("waiting up to " + wait.toSeconds() + " s for the migration lock (advisory lock " + key
                        + "), held by " + holder(connection, key));
                told = true;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new CommandException(Main.NOT_STARTED, "gave up after " + wait.toSeconds() + " s waiting for the "
                        + "migration lock (advisory lock " + key + "): this session (pid " + ownPid(connection)
                        + ") waited for " + holder(connection, key) + "; nothing was sent. Another safe-ops apply is "
                        + "still running on this database: wait for it, or raise --lock-wait");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandException(Main.NOT_STARTED, "interrupted while waiting for the migration lock; "
                        + "nothing was sent", e);
            }
        }
        return new MigrationLock(connection, key);
    }

    /** Releases the lock; a session that is gone has released it already. */
    @Override
    public void close() {
        try {
            if (!connection.getAutoCommit()) {
                // Turning autocommit on would commit a transaction still open here, half a migration that
                // an unexpected error left behind: roll it back instead.
                connection.rollback();
                connection.setAutoCommit(true);
            }
            try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                unlock.setLong(1, key);
                unlock.execute();
            }
        } catch (SQLException e) {
            // The connection is closed right after; ending the session releases the lock.
        }
    }

    private static boolean tryLock(Connection connection, long key) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, key);
            try (ResultSet result = lock.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    private static int ownPid(Connection connection) throws SQLException {
        try (PreparedStatement pid = connection.prepareStatement("SELECT pg_backend_pid()");
             ResultSet result = pid.executeQuery()) {
            result.next();
            return result.getInt(1);
        }
    }

    /** The session holding the lock, as a DBA would look for it in pg_stat_activity. */
    private static String holder(Connection connection, long key) throws SQLException {
        // A bigint advisory lock appears in pg_locks as its high and low 32 bits, with objsubid 1.
        String sql = """
                SELECT a.pid, a.usename, a.application_name, a.client_addr, a.backend_start, a.state
                FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND l.classid::bigint = ((? >> 32) & 4294967295) AND l.objid::bigint = (? & 4294967295)
                """;
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, key);
            query.setLong(2, key);
            try (ResultSet result = query.executeQuery()) {
                if (!result.next()) {
                    return "a session that has just released it";
                }
                // Without pg_read_all_stats, another user's session shows little more than its pid and user.
                java.sql.Timestamp since = result.getTimestamp("backend_start");
                return "session pid " + result.getInt("pid") + " (user " + result.getString("usename")
                        + ", application_name '" + Objects.toString(result.getString("application_name"), "")
                        + "', client " + Objects.toString(result.getString("client_addr"), "local or not visible")
                        + ", connected since " + (since == null ? "(not visible)" : since.toInstant()) + ", "
                        + Objects.toString(result.getString("state"), "state not visible") + ")";
            }
        }
    }
}

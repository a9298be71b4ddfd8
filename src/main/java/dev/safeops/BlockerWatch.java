package dev.safeops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Finds the sessions a statement waits for while it waits, from a second connection: once its lock
 * timeout fires the wait is gone, and {@code pg_blocking_pids} has nothing left to say. Polls on a
 * thread of its own for one attempt at a time, keeping the last wait it saw; the connection is
 * opened for the attempt and closed after it, so nothing is held between retries.
 */
final class BlockerWatch {

    /** A query can be a whole script: enough of it to recognise. */
    static final int QUERY_CHARACTERS = 200;

    // The waiting lock's relation (null for a row or transaction lock), then one row per blocker.
    private static final String LOOKUP = "SELECT w.relation::regclass::text, b.pid, b.application_name, b.state, "
            + "(extract(epoch FROM clock_timestamp() - b.xact_start) * 1000)::bigint, left(b.query, "
            + QUERY_CHARACTERS + ") FROM pg_locks w CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS blocker(pid) "
            + "JOIN pg_stat_activity b ON b.pid = blocker.pid WHERE w.pid = ? AND NOT w.granted ORDER BY b.pid";

    /** One session in the way: who it is, what it is doing, and for how long its transaction has been open. */
    record Blocker(int pid, String applicationName, String state, Duration transactionAge, String query) {

        @Override
        public String toString() {
            return "pid " + pid + " (application_name " + (applicationName == null || applicationName.isEmpty()
                    ? "none" : "'" + applicationName + "'") + ", " + (state == null ? "state unknown" : state)
                    + (transactionAge == null ? ", no transaction" : ", transaction open for "
                            + LockWaits.seconds(transactionAge)) + ", query: " + (query == null ? "unknown"
                            : query.strip().replaceAll("\\s+", " ")) + ")";
        }
    }

    // After the wait: the sessions other than the waiter's that hold a lock on the relation.
    private static final String HOLDERS = "SELECT l.relation::regclass::text, a.pid, a.application_name, a.state, "
            + "(extract(epoch FROM clock_timestamp() - a.xact_start) * 1000)::bigint, left(a.query, "
            + QUERY_CHARACTERS + ") FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = "
            + "'relation' AND l.granted AND l.relation = to_regclass(?) AND l.pid <> ? ORDER BY a.pid";

    /** A wait seen: the relation waited for (null for a row or transaction lock) and the sessions in the way. */
    record Wait(String relation, List<Blocker> blockers) {
    }

    private final DataSource source;
    private volatile Wait seen;
    private volatile String failure;
    private Thread thread;

    BlockerWatch(DataSource source) {
        this.source = source;
    }

    /** Whether blockers can be looked up at all. */
    boolean available() {
        return source != null;
    }

    /**
     * Starts watching session {@code pid} for {@code period}, forgetting what an earlier watch saw;
     * it looks ten times per {@code wait} (the lock timeout it watches), at most every 50 ms. The
     * connection is opened before this returns, so that the watch is ready when the wait begins.
     */
    void start(int pid, Duration period, Duration wait) {
        stop();
        seen = null;
        failure = null;
        if (source == null) {
            return;
        }
        Connection connection;
        try {
            connection = source.getConnection();
        } catch (SQLException e) {
            failure = "no second connection (SQLSTATE " + e.getSQLState() + "): " + e.getMessage();
            return;
        }
        long deadline = System.nanoTime() + period.toNanos();
        long interval = Math.max(5, Math.min(50, wait.toMillis() / 10));
        thread = new Thread(() -> poll(connection, pid, deadline, interval), "safe-ops blocker watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** The last wait seen since the last {@link #start}, if any. */
    Optional<Wait> seen() {
        return Optional.ofNullable(seen);
    }

    /** Why the look-up did not work, if it did not. */
    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Ends the watch, if one is running; what it saw stays. */
    void stop() {
        Thread running = thread;
        thread = null;
        if (running == null) {
            return;
        }
        running.interrupt();
        try {
            running.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void poll(Connection connection, int pid, long deadline, long intervalMillis) {
        try (connection; PreparedStatement lookup = connection.prepareStatement(LOOKUP)) {
            connection.setAutoCommit(true);
            lookup.setInt(1, pid);
            while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
                lookOnce(lookup);
                Thread.sleep(intervalMillis);
            }
        } catch (SQLException e) {
            failure = "the look-up failed (SQLSTATE " + e.getSQLState() + "): " + e.getMessage();
        } catch (InterruptedException e) {
            // stopped: the attempt is over
        }
    }

    /**
     * When the watch saw no wait (it can miss a short one): the sessions other than {@code pid}
     * that hold a lock on {@code relation} now, looked up at once. Empty when there are none or the
     * look-up fails.
     */
    Optional<Wait> holders(String relation, int pid) {
        if (source == null) {
            return Optional.empty();
        }
        try (Connection connection = source.getConnection();
             PreparedStatement lookup = connection.prepareStatement(HOLDERS)) {
            lookup.setString(1, relation);
            lookup.setInt(2, pid);
            seen = null;
            lookOnce(lookup);
            return seen();
        } catch (SQLException e) {
            failure = "the look-up failed (SQLSTATE " + e.getSQLState() + "): " + e.getMessage();
            return Optional.empty();
        }
    }

    private void lookOnce(PreparedStatement lookup) throws SQLException {
        String relation = null;
        List<Blocker> blockers = new ArrayList<>();
        try (ResultSet rows = lookup.executeQuery()) {
            while (rows.next()) {
                relation = rows.getString(1);
                long age = rows.getLong(5);
                Duration transactionAge = rows.wasNull() ? null : Duration.ofMillis(age);
                blockers.add(new Blocker(rows.getInt(2), rows.getString(3), rows.getString(4), transactionAge,
                        rows.getString(6)));
            }
        }
        if (!blockers.isEmpty()) {
            seen = new Wait(relation, List.copyOf(blockers));
        }
    }
}

package dev.safeops;

import dev.safeops.bench.Database;
import dev.safeops.bench.LatencyProxy;
import dev.safeops.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link LatencyProxy} in front of a test class's database, to count what clients send and how
 * many round trips they wait for:
 * {@code @RegisterExtension static final ThroughProxy proxy = new ThroughProxy(db, ThroughProxy.EXACT_ROUND_TRIPS);}
 * The proxy starts on first use, so the order in which JUnit registers the two extensions does not matter.
 */
public final class ThroughProxy implements AfterAllCallback {

    /**
     * A delay for counting round trips exactly. Not zero: PostgreSQL answers pgjdbc's BEGIN, and any
     * error, at once, while pgjdbc may still be writing the rest of the batch. Without delay such an
     * answer can reach the client before its last bytes leave, and the proxy would count a round trip
     * nobody waited for; a delay longer than any burst of writes keeps the order a real network has.
     */
    public static final Duration EXACT_ROUND_TRIPS = Duration.ofMillis(10);

    private final TestDatabase db;
    private final Duration delay;
    private Database database;
    private LatencyProxy proxy;

    /** Without delay: enough to count bytes sent. */
    public ThroughProxy(TestDatabase db) {
        this(db, Duration.ZERO);
    }

    public ThroughProxy(TestDatabase db, Duration delay) {
        this.db = db;
        this.delay = delay;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** A connection through the proxy with pgjdbc's default settings; the count is not reset. */
    public Connection connect() throws SQLException {
        return database().connectThrough(proxy());
    }

    /** A connection through the proxy, autocommit off, nothing counted yet. */
    public Connection connectInTransaction() throws SQLException {
        return connectInTransaction(Map.of());
    }

    /** A connection through the proxy with extra pgjdbc settings, autocommit off, nothing counted yet. */
    public Connection connectInTransaction(Map<String, String> settings) throws SQLException {
        Connection connection = database().connectThrough(proxy(), settings);
        connection.setAutoCommit(false);
        reset();
        return connection;
    }

    /** Starts counting again from zero. */
    public void reset() {
        proxy().reset();
    }

    /** Round trips the clients waited for since the last reset. */
    public long roundTrips() {
        return proxy().roundTrips();
    }

    /** Bytes sent to the server since the last reset. */
    public long bytesSent() {
        return proxy().bytesSent();
    }

    private Database database() {
        if (database == null) {
            database = Database.at(db.jdbcUrl(), db.user(), db.password());
        }
        return database;
    }

    private LatencyProxy proxy() {
        if (proxy == null) {
            try {
                proxy = LatencyProxy.start(database().host(), database().port(), delay);
            } catch (IOException e) {
                throw new UncheckedIOException("the proxy could not start", e);
            }
        }
        return proxy;
    }
}

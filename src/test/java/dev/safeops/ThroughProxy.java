package dev.safeops;

import dev.safeops.bench.Database;
import dev.safeops.bench.LatencyProxy;
import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link LatencyProxy} without delay in front of a test class's database, to count what clients
 * send. Register it after the {@link TestDatabase}:
 * {@code @RegisterExtension static final ThroughProxy proxied = new ThroughProxy(db);}
 */
final class ThroughProxy implements BeforeAllCallback, AfterAllCallback {

    private final TestDatabase db;
    private Database database;
    private LatencyProxy proxy;

    ThroughProxy(TestDatabase db) {
        this.db = db;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        database = Database.at(db.jdbcUrl(), db.user(), db.password());
        proxy = LatencyProxy.start(database.host(), database.port(), Duration.ZERO);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        proxy.close();
    }

    /** A connection through the proxy with extra pgjdbc settings, autocommit off, nothing counted yet. */
    Connection connectInTransaction(Map<String, String> settings) throws SQLException {
        Connection connection = database.connectThrough(proxy, settings);
        connection.setAutoCommit(false);
        proxy.reset();
        return connection;
    }

    /** Bytes sent to the server since the last connection was opened. */
    long bytesSent() {
        return proxy.bytesSent();
    }
}

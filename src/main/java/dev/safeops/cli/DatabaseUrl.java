package dev.safeops.cli;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where to connect: a {@code jdbc:postgresql://} URL without credentials, and the connection
 * properties (user, password, sslmode, …) that go with it.
 *
 * <p>Accepts JDBC URLs and the libpq URLs most platforms hand out ({@code postgres://user:pass@host:port/db?sslmode=require},
 * also {@code postgresql://}), percent-decoding their parts. The user and password are taken out of
 * either kind of URL into properties, so {@link #toString()} and {@link #jdbcUrl()} never contain the
 * password and a given {@code --user} simply replaces the URL's.
 */
final class DatabaseUrl {

    private static final String JDBC_PREFIX = "jdbc:postgresql://";
    private static final String[] LIBPQ_PREFIXES = {"postgres://", "postgresql://"};
    /** libpq parameters pgjdbc knows under another name; the others have the same name in both. */
    private static final Map<String, String> JDBC_NAMES = Map.of(
            "application_name", "ApplicationName",
            "connect_timeout", "connectTimeout");

    private final String jdbcUrl;
    private final Map<String, String> properties;

    private DatabaseUrl(String jdbcUrl, Map<String, String> properties) {
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
    }

    /**
     * Reads a JDBC or libpq URL.
     *
     * @throws IllegalArgumentException if it is neither; the message never repeats the URL, which may
     *     hold a password
     */
    static DatabaseUrl parse(String url) {
        Objects.requireNonNull(url, "url");
        String trimmed = url.strip();
        if (trimmed.startsWith(JDBC_PREFIX)) {
            return fromJdbc(trimmed);
        }
        for (String prefix : LIBPQ_PREFIXES) {
            if (trimmed.startsWith(prefix)) {
                return fromLibpq(trimmed.substring(prefix.length()));
            }
        }
        throw new IllegalArgumentException("the database URL must start with jdbc:postgresql://, postgres:// or "
                + "postgresql://");
    }

    /** The same database as another user. */
    DatabaseUrl withUser(String user) {
        Map<String, String> changed = new LinkedHashMap<>(properties);
        changed.put("user", user);
        return new DatabaseUrl(jdbcUrl, changed);
    }

    /** The password to use when the URL has none, as libpq does with {@code PGPASSWORD}. */
    DatabaseUrl withDefaultPassword(String password) {
        if (password == null || properties.containsKey("password")) {
            return this;
        }
        Map<String, String> changed = new LinkedHashMap<>(properties);
        changed.put("password", password);
        return new DatabaseUrl(jdbcUrl, changed);
    }

    /** The JDBC URL, without user and password. */
    String jdbcUrl() {
        return jdbcUrl;
    }

    /** The connection properties, including user and password when given. */
    Properties properties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    Connection connect() throws SQLException {
        Properties connection = properties();
        // Lets a DBA see in pg_stat_activity who holds the migration's locks.
        connection.putIfAbsent("ApplicationName", "safe-ops");
        return DriverManager.getConnection(jdbcUrl, connection);
    }

    /** The URL and user for messages; the password is never shown. */
    @Override
    public String toString() {
        String user = properties.get("user");
        return jdbcUrl + (user == null ? "" : " as " + user);
    }

    private static DatabaseUrl fromJdbc(String url) {
        int question = url.indexOf('?');
        if (question < 0) {
            return new DatabaseUrl(url, Map.of());
        }
        Map<String, String> credentials = new LinkedHashMap<>();
        StringBuilder kept = new StringBuilder(url.substring(0, question));
        char separator = '?';
        for (String pair : url.substring(question + 1).split("&")) {
            String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            if (key.equals("user") || key.equals("password")) {
                credentials.put(key, decode(pair.substring(Math.min(pair.length(), key.length() + 1))));
            } else if (!pair.isEmpty()) {
                kept.append(separator).append(pair);
                separator = '&';
            }
        }
        return new DatabaseUrl(kept.toString(), credentials);
    }

    /** {@code [user[:password]@][host][:port][,host[:port]…][/database][?name=value&…]}, as libpq reads it. */
    private static DatabaseUrl fromLibpq(String rest) {
        Map<String, String> properties = new LinkedHashMap<>();
        int authorityEnd = indexOfAny(rest, "/?");
        // The last @ of the authority, so that an unencoded @ in a password still works.
        int userEnd = rest.lastIndexOf('@', authorityEnd < 0 ? rest.length() : authorityEnd);
        if (userEnd >= 0) {
            String userInfo = rest.substring(0, userEnd);
            int colon = userInfo.indexOf(':');
            String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            if (!user.isEmpty()) {
                properties.put("user", user);
            }
            if (colon >= 0) {
                properties.put("password", decode(userInfo.substring(colon + 1)));
            }
            rest = rest.substring(userEnd + 1);
        }
        int hostsEnd = indexOfAny(rest, "/?");
        String hosts = hostsEnd < 0 ? rest : rest.substring(0, hostsEnd);
        String database = "";
        String query = "";
        if (hostsEnd >= 0) {
            int question = rest.indexOf('?', hostsEnd);
            if (rest.charAt(hostsEnd) == '/') {
                database = decode(question < 0 ? rest.substring(hostsEnd + 1) : rest.substring(hostsEnd + 1, question));
            }
            query = question < 0 ? "" : rest.substring(question + 1);
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            properties.put(JDBC_NAMES.getOrDefault(name, name), value);
        }
        // libpq's empty host means its Unix socket, which JDBC cannot reach; localhost is the nearest.
        String jdbcHosts = hosts.isEmpty() ? "localhost" : hosts;
        String path = URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
        return new DatabaseUrl(JDBC_PREFIX + jdbcHosts + "/" + path, properties);
    }

    /** Percent-decoding as in URLs, where, unlike in HTML forms, {@code +} is a plus sign. */
    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the database URL has an invalid percent-encoding (%XX)", e);
        }
    }

    private static int indexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}

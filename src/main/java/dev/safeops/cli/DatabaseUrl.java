package dev.safeops.cli;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.PGProperty;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where to connect: a {@code jdbc:postgresql://} URL without credentials, and the connection
 * properties (user, password, sslmode, …) that go with it.
 *
 * <p>Accepts JDBC URLs and the libpq URLs most platforms hand out ({@code postgres://user:pass@host:port/db?sslmode=require},
 * also {@code postgresql://}), read by libpq's rules: percent-decoded parts, query parameters that
 * override the parts before them ({@code postgresql://app@/shop?host=db2&port=6432} is {@code db2:6432}),
 * and {@code PGHOST}, {@code PGPORT}, {@code PGDATABASE}, {@code PGUSER} for what neither gives. A
 * parameter pgjdbc cannot honour is refused, never dropped: a dropped {@code host} or {@code dbname}
 * migrates another database. The user and password are taken out of either kind of URL into
 * properties, so {@link #toString()} and {@link #jdbcUrl()} never contain the password.
 */
final class DatabaseUrl {

    private static final String JDBC_PREFIX = "jdbc:postgresql://";
    private static final String[] LIBPQ_PREFIXES = {"postgres://", "postgresql://"};

    /** libpq parameters pgjdbc has under the same or another name, with the same meaning. */
    private static final Map<String, String> RENAMED = Map.of(
            "application_name", "ApplicationName",
            "options", "options",
            "sslcert", "sslcert",
            "sslkey", "sslkey",
            "sslrootcert", "sslrootcert",
            "sslpassword", "sslpassword",
            "krbsrvname", "kerberosServerName",
            "gsslib", "gsslib");
    /** libpq parameters whose values pgjdbc spells differently (libpq value → pgjdbc value). */
    private static final Map<String, Map<String, String>> TRANSLATED = Map.of(
            "sslmode", identity("disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
            "gssencmode", identity("disable", "prefer", "require"),
            "keepalives", Map.of("1", "true", "0", "false"),
            "target_session_attrs", Map.of("any", "any", "read-write", "primary", "primary", "primary",
                    "standby", "secondary", "prefer-standby", "preferSecondary"),
            "load_balance_hosts", Map.of("disable", "false", "random", "true"));
    private static final Map<String, String> TRANSLATED_NAMES = Map.of(
            "sslmode", "sslmode",
            "gssencmode", "gssEncMode",
            "keepalives", "tcpKeepAlive",
            "target_session_attrs", "targetServerType",
            "load_balance_hosts", "loadBalanceHosts");
    /** Read by safe-ops itself rather than passed on. */
    private static final Set<String> OWN = Set.of("host", "port", "dbname", "user", "password", "connect_timeout",
            "fallback_application_name", "client_encoding");
    /** libpq parameters JDBC has no equivalent for: refused with this reason rather than ignored. */
    private static final Set<String> KNOWN_TO_LIBPQ = Set.of("hostaddr", "passfile", "require_auth", "channel_binding",
            "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout", "replication",
            "sslnegotiation", "sslcompression", "sslcrl", "sslcrldir", "sslsni", "sslcertmode", "requirepeer",
            "ssl_min_protocol_version", "ssl_max_protocol_version", "min_protocol_version", "max_protocol_version",
            "service", "oauth_issuer", "oauth_client_id", "oauth_client_secret", "oauth_scope", "scram_client_key",
            "scram_server_key");

    private final String jdbcUrl;
    private final Map<String, String> properties;

    private DatabaseUrl(String jdbcUrl, Map<String, String> properties) {
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
    }

    /** Reads a JDBC or libpq URL, without environment defaults. */
    static DatabaseUrl parse(String url) {
        return parse(url, Map.of());
    }

    /**
     * Reads a JDBC or libpq URL; a libpq URL takes what it lacks from {@code PGHOST}, {@code PGPORT},
     * {@code PGDATABASE} and {@code PGUSER} in the given environment, as libpq does.
     *
     * @throws IllegalArgumentException if it is neither, or asks for something pgjdbc cannot do; the
     *     message never repeats the URL, which may hold a password
     */
    static DatabaseUrl parse(String url, Map<String, String> environment) {
        Objects.requireNonNull(url, "url");
        String trimmed = url.strip();
        if (trimmed.startsWith(JDBC_PREFIX)) {
            return fromJdbc(trimmed);
        }
        for (String prefix : LIBPQ_PREFIXES) {
            if (trimmed.startsWith(prefix)) {
                return fromLibpq(trimmed.substring(prefix.length()), environment);
            }
        }
        throw new IllegalArgumentException("the database URL must start with jdbc:postgresql://, postgres:// or "
                + "postgresql://");
    }

    /** The same database as another user. */
    DatabaseUrl withUser(String user) {
        return with("user", user);
    }

    /** The password to use when the URL has none, as libpq does with {@code PGPASSWORD}. */
    DatabaseUrl withDefaultPassword(String password) {
        return password == null || properties.containsKey("password") ? this : with("password", password);
    }

    /** The same database with one pgjdbc connection property set, replacing the URL's. */
    DatabaseUrl with(String property, String value) {
        Map<String, String> changed = new LinkedHashMap<>(properties);
        changed.put(property, value);
        return new DatabaseUrl(withoutParameter(jdbcUrl, property), changed);
    }

    /** The value of a pgjdbc connection property the URL set, given in the URL's query or converted from libpq. */
    String property(String name) {
        String value = properties.get(name);
        return value != null ? value : jdbcParameters(jdbcUrl).get(name);
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

    /**
     * A data source of the same database for a second connection, named {@code applicationName} in
     * {@code pg_stat_activity}.
     */
    DataSource dataSource(String applicationName) throws SQLException {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(jdbcUrl);
        for (Map.Entry<String, String> property : properties.entrySet()) {
            source.setProperty(property.getKey(), property.getValue());
        }
        source.setApplicationName(applicationName);
        return source;
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
        for (Map.Entry<String, String> parameter : jdbcParameters(url).entrySet()) {
            String key = parameter.getKey();
            if (PGProperty.forName(key) == null) {
                throw new IllegalArgumentException("the database URL parameter " + key + " is not a pgjdbc connection "
                        + "property, so pgjdbc would ignore it; remove it or correct its name");
            }
            if (key.equals("user") || key.equals("password")) {
                credentials.put(key, parameter.getValue());
            }
        }
        return new DatabaseUrl(withoutParameter(withoutParameter(url, "user"), "password"), credentials);
    }

    /** pgjdbc lets a URL's parameter win over a property given beside it, so a replaced one leaves the URL. */
    private static String withoutParameter(String url, String name) {
        int question = url.indexOf('?');
        if (question < 0) {
            return url;
        }
        StringBuilder kept = new StringBuilder(url.substring(0, question));
        char separator = '?';
        for (String pair : url.substring(question + 1).split("&")) {
            String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            if (!pair.isEmpty() && !key.equals(name)) {
                kept.append(separator).append(pair);
                separator = '&';
            }
        }
        return kept.toString();
    }

    /** The decoded query parameters of a JDBC URL. */
    private static Map<String, String> jdbcParameters(String url) {
        Map<String, String> parameters = new LinkedHashMap<>();
        int question = url.indexOf('?');
        if (question >= 0) {
            for (String pair : url.substring(question + 1).split("&")) {
                int equals = pair.indexOf('=');
                if (!pair.isEmpty()) {
                    parameters.put(equals < 0 ? pair : pair.substring(0, equals),
                            equals < 0 ? "" : decode(pair.substring(equals + 1)));
                }
            }
        }
        return parameters;
    }

    /** {@code [user[:password]@][host][:port][,host[:port]…][/database][?name=value&…]}, as libpq reads it. */
    private static DatabaseUrl fromLibpq(String rest, Map<String, String> environment) {
        // libpq's keywords as the URL sets them, query parameters last so that they override the parts before.
        Map<String, String> keywords = new LinkedHashMap<>();
        int authorityEnd = indexOfAny(rest, "/?");
        // The last @ of the authority, so that an unencoded @ in a password still works.
        int userEnd = rest.lastIndexOf('@', authorityEnd < 0 ? rest.length() : authorityEnd);
        if (userEnd >= 0) {
            String userInfo = rest.substring(0, userEnd);
            int colon = userInfo.indexOf(':');
            String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            if (!user.isEmpty()) {
                keywords.put("user", user);
            }
            if (colon >= 0) {
                keywords.put("password", decode(userInfo.substring(colon + 1)));
            }
            rest = rest.substring(userEnd + 1);
        }
        int hostsEnd = indexOfAny(rest, "/?");
        hostsAndPorts(hostsEnd < 0 ? rest : rest.substring(0, hostsEnd), keywords);
        String query = "";
        if (hostsEnd >= 0) {
            int question = rest.indexOf('?', hostsEnd);
            if (rest.charAt(hostsEnd) == '/') {
                String database = decode(question < 0 ? rest.substring(hostsEnd + 1)
                        : rest.substring(hostsEnd + 1, question));
                if (!database.isEmpty()) {
                    keywords.put("dbname", database);
                }
            }
            query = question < 0 ? "" : rest.substring(question + 1);
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("the database URL parameter " + decode(pair)
                        + " has no value (name=value)");
            }
            String name = decode(pair.substring(0, equals));
            String value = decode(pair.substring(equals + 1));
            // libpq's own concession to JDBC URLs.
            if (name.equals("ssl") && value.equals("true")) {
                name = "sslmode";
                value = "require";
            }
            keywords.put(name, value);
        }
        Map.of("host", "PGHOST", "port", "PGPORT", "dbname", "PGDATABASE", "user", "PGUSER").forEach((keyword, variable) -> {
            String value = environment.get(variable);
            if (value != null && !value.isEmpty()) {
                keywords.putIfAbsent(keyword, value);
            }
        });
        return fromKeywords(keywords);
    }

    /** Splits {@code h1:p1,h2,[::1]:p3} into libpq's comma-separated host and port keywords. */
    private static void hostsAndPorts(String authority, Map<String, String> keywords) {
        if (authority.isEmpty()) {
            return;
        }
        List<String> hosts = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        for (String entry : authority.split(",", -1)) {
            String host = entry;
            String port = "";
            if (entry.startsWith("[")) {
                int close = entry.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("the database URL has an IPv6 address without its closing ]");
                }
                host = entry.substring(1, close);
                port = entry.startsWith(":", close + 1) ? entry.substring(close + 2) : "";
            } else if (entry.contains(":")) {
                host = entry.substring(0, entry.indexOf(':'));
                port = entry.substring(entry.indexOf(':') + 1);
            }
            hosts.add(decode(host));
            ports.add(port);
        }
        keywords.put("host", String.join(",", hosts));
        if (ports.stream().anyMatch(port -> !port.isEmpty())) {
            keywords.put("port", String.join(",", ports));
        }
    }

    private static DatabaseUrl fromKeywords(Map<String, String> keywords) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (Map.Entry<String, String> keyword : keywords.entrySet()) {
            String name = keyword.getKey();
            String value = keyword.getValue();
            if (OWN.contains(name)) {
                continue;
            }
            if (RENAMED.containsKey(name)) {
                properties.put(RENAMED.get(name), value);
            } else if (TRANSLATED.containsKey(name)) {
                String translated = TRANSLATED.get(name).get(value);
                if (translated == null) {
                    throw new IllegalArgumentException("the database URL parameter " + name + "=" + value
                            + " cannot be honoured by pgjdbc; accepted values: "
                            + String.join(", ", TRANSLATED.get(name).keySet().stream().sorted().toList()));
                }
                properties.put(TRANSLATED_NAMES.get(name), translated);
            } else if (KNOWN_TO_LIBPQ.contains(name)) {
                throw new IllegalArgumentException("the database URL parameter " + name + " has no equivalent in JDBC, "
                        + "so safe-ops cannot honour it; remove it (see \"Connecting\" in the README)");
            } else {
                throw new IllegalArgumentException("the database URL parameter " + name + " is not a libpq connection "
                        + "parameter; remove it or correct its name");
            }
        }
        if (keywords.containsKey("user")) {
            properties.put("user", keywords.get("user"));
        }
        if (keywords.containsKey("password")) {
            properties.put("password", keywords.get("password"));
        }
        String encoding = keywords.get("client_encoding");
        if (encoding != null && !encoding.replace("-", "").equalsIgnoreCase("UTF8")) {
            throw new IllegalArgumentException("the database URL parameter client_encoding=" + encoding
                    + " cannot be honoured: pgjdbc always talks UTF8");
        }
        String timeout = keywords.get("connect_timeout");
        if (timeout != null) {
            int seconds = seconds("connect_timeout", timeout);
            if (seconds == 0) {
                throw new IllegalArgumentException("the database URL parameter connect_timeout=0 would wait for ever; "
                        + "safe-ops always bounds the login: give a number of seconds");
            }
            // libpq's connect_timeout bounds the whole connection, login included, as pgjdbc's loginTimeout does.
            properties.put("connectTimeout", Integer.toString(seconds));
            properties.put("loginTimeout", Integer.toString(seconds));
        }
        String fallbackName = keywords.get("fallback_application_name");
        if (fallbackName != null) {
            properties.putIfAbsent("ApplicationName", fallbackName);
        }
        return new DatabaseUrl(JDBC_PREFIX + hosts(keywords) + "/" + URLEncoder.encode(
                keywords.getOrDefault("dbname", ""), StandardCharsets.UTF_8).replace("+", "%20"), properties);
    }

    /** The pgjdbc host list: libpq's hosts paired with its ports (one port for all, or one per host). */
    private static String hosts(Map<String, String> keywords) {
        // No host at all means libpq's default Unix socket, on this machine: TCP to localhost is the nearest.
        List<String> hosts = List.of(keywords.getOrDefault("host", "localhost").split(",", -1));
        List<String> ports = keywords.containsKey("port") ? List.of(keywords.get("port").split(",", -1)) : List.of("");
        if (ports.size() != 1 && ports.size() != hosts.size()) {
            throw new IllegalArgumentException("the database URL gives " + ports.size() + " ports for " + hosts.size()
                    + " hosts; give one port, or one per host");
        }
        List<String> jdbcHosts = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i);
            String port = ports.size() == 1 ? ports.get(0) : ports.get(i);
            if (host.isEmpty() || host.startsWith("/") || host.startsWith("@")) {
                throw new IllegalArgumentException("the database URL names a Unix-domain socket ("
                        + (host.isEmpty() ? "an empty host" : "host " + host) + "), which JDBC cannot connect to; "
                        + "give a TCP host name or address (localhost for this machine)");
            }
            if (!port.isEmpty()) {
                int number;
                try {
                    number = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    number = -1;
                }
                if (number < 1 || number > 65535) {
                    throw new IllegalArgumentException("the database URL has an invalid port " + port);
                }
            }
            jdbcHosts.add((host.contains(":") ? "[" + host + "]" : host) + (port.isEmpty() ? "" : ":" + port));
        }
        return String.join(",", jdbcHosts);
    }

    static int seconds(String name, String value) {
        try {
            int seconds = Integer.parseInt(value.strip());
            if (seconds >= 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number of seconds, was " + value);
    }

    private static Map<String, String> identity(String... values) {
        Map<String, String> same = new LinkedHashMap<>();
        for (String value : values) {
            same.put(value.toLowerCase(Locale.ROOT), value);
        }
        return Map.copyOf(same);
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

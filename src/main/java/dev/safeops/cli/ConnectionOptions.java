package dev.safeops.cli;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How every command that connects finds and reaches its database: {@code --url} (or
 * {@code DATABASE_URL}), {@code --user}, {@code PGPASSWORD}, and the bounds on waiting for the server.
 */
final class ConnectionOptions {

    /** Long enough for a slow TLS handshake across regions, short enough that a dead host is noticed. */
    static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 30;
    /** Long enough for an index build on a large table; a statement that runs longer needs a larger value. */
    static final int DEFAULT_SOCKET_TIMEOUT_SECONDS = 3600;

    @Option(names = "--url", paramLabel = "URL",
            description = {"jdbc:postgresql://host:port/db or postgres://user:password@host:port/db?sslmode=…",
                    "Default: the environment variable DATABASE_URL (for bench: a throwaway server)."})
    private String url;

    @Option(names = "--user", paramLabel = "NAME", description = "The user to connect as, instead of the URL's.")
    private String user;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS",
            description = "The longest the whole login may take: TCP connect, TLS and authentication (pgjdbc "
                    + "loginTimeout). Default: the URL's connect_timeout or loginTimeout, else "
                    + DEFAULT_CONNECT_TIMEOUT_SECONDS + ".")
    private Integer connectTimeout;

    @Option(names = "--socket-timeout", paramLabel = "SECONDS",
            description = "The longest any single wait for the server may take once connected, a statement's run "
                    + "included (pgjdbc socketTimeout); 0 waits for ever. Default: the URL's socketTimeout, else "
                    + DEFAULT_SOCKET_TIMEOUT_SECONDS + ".")
    private Integer socketTimeout;

    /**
     * Where to connect, from the options and the environment ({@code DATABASE_URL}; {@code PGHOST},
     * {@code PGPORT}, {@code PGDATABASE}, {@code PGUSER} for what a libpq URL lacks; {@code PGPASSWORD}
     * when the URL carries no password).
     *
     * @throws CommandException (exit 2) when there is no usable URL or an option is invalid
     */
    DatabaseUrl databaseUrl(Map<String, String> environment) {
        String given = url != null ? url : environment.get("DATABASE_URL");
        if (given == null || given.isBlank()) {
            throw new CommandException(Main.NOT_STARTED, "no database: give --url or set DATABASE_URL");
        }
        return resolve(given, environment);
    }

    /** The database of {@code --url} alone, for a command that has a default of its own when none is given. */
    Optional<DatabaseUrl> givenDatabaseUrl(Map<String, String> environment) {
        return url == null ? Optional.empty() : Optional.of(resolve(url, environment));
    }

    private DatabaseUrl resolve(String given, Map<String, String> environment) {
        DatabaseUrl database;
        try {
            database = DatabaseUrl.parse(given, environment);
        } catch (IllegalArgumentException e) {
            throw new CommandException(Main.NOT_STARTED, e.getMessage() + " (nothing was sent)", e);
        }
        if (user != null) {
            if (user.isBlank()) {
                throw new CommandException(Main.NOT_STARTED, "--user must not be empty");
            }
            database = database.withUser(user);
        }
        database = database.withDefaultPassword(environment.get("PGPASSWORD"));
        database = bounded(database, "loginTimeout", "--connect-timeout", connectTimeout,
                DEFAULT_CONNECT_TIMEOUT_SECONDS, false);
        return bounded(database, "socketTimeout", "--socket-timeout", socketTimeout, DEFAULT_SOCKET_TIMEOUT_SECONDS,
                true);
    }

    /** The option when given, else the URL's own setting when it has one, else the default. */
    private static DatabaseUrl bounded(DatabaseUrl database, String property, String option, Integer given,
                                       int defaultSeconds, boolean zeroAllowed) {
        if (given != null) {
            if (given < 0 || (given == 0 && !zeroAllowed)) {
                throw new CommandException(Main.NOT_STARTED, option + " must be " + (zeroAllowed ? "0 or more" : "at least 1")
                        + " seconds, was " + given);
            }
            return database.with(property, Integer.toString(given));
        }
        String fromUrl = database.property(property);
        if (fromUrl != null) {
            try {
                int seconds = DatabaseUrl.seconds(property, fromUrl);
                if (seconds > 0 || zeroAllowed) {
                    return database;
                }
            } catch (IllegalArgumentException e) {
                throw new CommandException(Main.NOT_STARTED, "the database URL's " + e.getMessage(), e);
            }
            throw new CommandException(Main.NOT_STARTED, "the database URL's " + property + "=0 would wait for ever; "
                    + "give a number of seconds");
        }
        return database.with(property, Integer.toString(defaultSeconds));
    }

    /**
     * Connects.
     *
     * @throws CommandException (exit 2) when the connection fails; the message names the URL and user,
     *     never the password
     */
    static Connection connect(DatabaseUrl database) {
        try {
            return database.connect();
        } catch (SQLException e) {
            throw new CommandException(Main.NOT_STARTED, "cannot connect to " + database + ": " + e.getMessage()
                    + " (nothing was sent)", e);
        }
    }
}

package dev.safeops.cli;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --url} and {@code --user}, shared by the commands that connect to a database. */
final class ConnectionOptions {

    @Option(names = "--url", paramLabel = "URL",
            description = {"jdbc:postgresql://host:port/db or postgres://user:password@host:port/db?sslmode=…",
                    "Default: the environment variable DATABASE_URL."})
    private String url;

    @Option(names = "--user", paramLabel = "NAME", description = "The user to connect as, instead of the URL's.")
    private String user;

    /**
     * Where to connect, from the options and the environment ({@code DATABASE_URL}, and
     * {@code PGPASSWORD} when the URL carries no password).
     *
     * @throws CommandException (exit 2) when there is no usable URL
     */
    DatabaseUrl databaseUrl(Map<String, String> environment) {
        String given = url != null ? url : environment.get("DATABASE_URL");
        if (given == null || given.isBlank()) {
            throw new CommandException(Main.NOT_STARTED, "no database: give --url or set DATABASE_URL");
        }
        DatabaseUrl database;
        try {
            database = DatabaseUrl.parse(given);
        } catch (IllegalArgumentException e) {
            throw new CommandException(Main.NOT_STARTED, e.getMessage(), e);
        }
        if (user != null) {
            database = database.withUser(user);
        }
        return database.withDefaultPassword(environment.get("PGPASSWORD"));
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

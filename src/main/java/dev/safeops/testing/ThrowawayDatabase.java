package dev.safeops.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A database made for a test and dropped afterwards, cutting open sessions. */
final class ThrowawayDatabase implements AutoCloseable {

    /** PostgreSQL truncates longer identifiers, which could make two names collide. */
    static final int MAX_IDENTIFIER_LENGTH = 63;

    private final PostgresServer server;
    private final String name;

    private ThrowawayDatabase(PostgresServer server, String name) {
        this.server = server;
        this.name = name;
    }

    /**
     * Creates the database as a copy of {@code template}: a file copy, which takes milliseconds where running the
     * set-up again would take seconds. Nobody may be connected to the template; sessions left behind are ended.
     */
    static ThrowawayDatabase copy(PostgresServer server, String template, String name) throws SQLException {
        try (Connection admin = admin(server); Statement statement = admin.createStatement()) {
            // A leftover of an interrupted run on a long-lived server would otherwise make the create fail.
            statement.execute("DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
            if (!template.equals("template0")) {
                try (PreparedStatement terminate = admin.prepareStatement("SELECT pg_catalog.pg_terminate_backend(pid)"
                        + " FROM pg_catalog.pg_stat_activity WHERE datname = ? AND pid <> pg_catalog.pg_backend_pid()")) {
                    terminate.setString(1, template);
                    terminate.execute();
                }
            }
            // From 15 on, the default strategy writes the copy block by block to the WAL: seconds, where a file copy
            // (the only strategy before 15) takes a fraction of one for a small database.
            statement.execute("CREATE DATABASE " + quote(name) + " TEMPLATE " + quote(template)
                    + (server.majorVersion() >= 15 ? " STRATEGY FILE_COPY" : ""));
        }
        return new ThrowawayDatabase(server, name);
    }

    static Connection admin(PostgresServer server) throws SQLException {
        return DriverManager.getConnection(server.adminJdbcUrl(), server.user(), server.password());
    }

    String name() {
        return name;
    }

    PostgresServer server() {
        return server;
    }

    String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), server.user(), server.password());
    }

    DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl());
        dataSource.setUser(server.user());
        dataSource.setPassword(server.password());
        return dataSource;
    }

    @Override
    public void close() throws SQLException {
        try (Connection admin = admin(server); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
        }
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public String toString() {
        return name + " on " + server;
    }
}

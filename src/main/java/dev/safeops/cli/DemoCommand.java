package dev.safeops.cli;

import dev.safeops.Expectation;
import dev.safeops.Outcome;
import dev.safeops.Report;
import dev.safeops.SafeOps;
import dev.safeops.SchemaCheck;
import dev.safeops.Script;
import dev.safeops.ScriptStatement;
import dev.safeops.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code safe-ops demo}: incident 1 replayed on a throwaway server, first the way the team did it,
 * then with safe-ops, so a person can see the difference in under a minute.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts a throwaway PostgreSQL server and replays a real incident: a migration of 11 statements, "
                + "5 of them on tables of optional modules that are not installed.",
                "It runs first the naive way (every statement in try/catch, one transaction) and shows that nothing "
                        + "persisted, then with safe-ops, which keeps the 6 valid changes and reports the 5 skips. "
                        + "The server is stopped and deleted afterwards."},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  the demo ran", "  1  the demo failed", "  2  the embedded PostgreSQL server could not start"})
final class DemoCommand implements Callable<Integer> {

    private static final String DATABASE = "incident_one";
    /** The changes the migration makes to tables that exist, as a second session can see them. */
    private static final List<String> CHANGES = List.of("column users.password", "column content.project_id",
            "index idx_content_user_id", "column community_posts.pinned", "column documents.version");
    private static final String COMMENT_CHANGE = "comment on table users";
    private static final int CHANGE_COUNT = CHANGES.size() + 1;
    private static final String ROW = "  %-18s %-9s %-5s  %s";

    @Spec
    private CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        Script schema = resource("incident-1-schema.sql");
        Script migration = resource("incident-1.sql");
        out.println("safe-ops demo: incident 1, a migration that touches tables of optional modules.");
        out.println();
        out.println("Starting a throwaway PostgreSQL server…");
        out.flush();
        try (EmbeddedPostgres server = EmbeddedPostgres.start()) {
            String url = createDatabase(server, schema);
            out.println("PostgreSQL " + server.majorVersion() + " on port " + server.port() + ", database " + DATABASE
                    + " shaped like production: core tables users, content, community_posts, documents;");
            out.println("no tables of the optional modules (pipeline templates, admin, valuation export, deal matches).");
            out.println();
            out.println("The migration, " + migration.size() + " statements:");
            for (ScriptStatement statement : migration.statements()) {
                out.printf("  %-18s %s%n", statement.location(), statement.sql());
            }
            int naive = naive(url, migration);
            int safe = safeOps(url, migration);
            out.println();
            out.println("Summary: the naive run kept " + naive + " of " + CHANGE_COUNT + " changes and reported no "
                    + "error; safe-ops kept " + safe + " of " + CHANGE_COUNT + " and reported every skip.");
            out.println("Stopping the server.");
        } catch (IOException e) {
            throw new CommandException(Main.NOT_STARTED, "cannot start the embedded PostgreSQL server: "
                    + e.getMessage(), e);
        } catch (SQLException e) {
            throw new CommandException(Main.FAILED, "the demo failed: " + e.getMessage(), e);
        }
        return Main.OK;
    }

    /** What incident 1's team deployed: every statement in try/catch, errors swallowed, then COMMIT. */
    private int naive(String url, Script migration) throws SQLException {
        section("1) The naive way: one transaction, each statement in try/catch, errors swallowed, then COMMIT.");
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            for (ScriptStatement step : migration.statements()) {
                try {
                    statement.execute(step.sql());
                    row(step.location(), "ok", "", "");
                } catch (SQLException e) {
                    row(step.location(), "swallowed", e.getSQLState(), firstLine(e.getMessage()));
                }
            }
            connection.commit();
        }
        out.println("  COMMIT returned normally: the deployment looked successful.");
        int kept = showPersisted(url);
        out.println(kept == 0
                ? "  => The naive run lost everything: after the first missing table PostgreSQL aborted the "
                        + "transaction (25P02), every later statement failed unseen, and COMMIT rolled it all back."
                : "  => The naive run kept only " + kept + " of " + CHANGE_COUNT + " changes.");
        return kept;
    }

    private int safeOps(String url, Script migration) throws SQLException {
        section("2) With safe-ops: the same statements, each in its own savepoint, in one transaction.");
        Report report;
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.setAutoCommit(false);
            report = SafeOps.on(connection).run(migration);
            connection.commit();
        }
        for (Outcome outcome : report.outcomes()) {
            row(outcome.location(), outcome.status(), outcome.isSkipped() ? outcome.sqlState() : "",
                    outcome.isSkipped() ? outcome.reason() : "");
        }
        out.println("  Committed: " + report.summary() + ".");
        int kept = showPersisted(url);
        out.println(kept == report.applied()
                ? "  => safe-ops kept the " + kept + " applied changes and reported the " + report.skipped()
                        + " skipped statements, each with its reason."
                : "  => Only " + kept + " of the " + report.applied() + " applied changes persisted.");
        return kept;
    }

    /** Looks from a second session, after the commit, at what really persisted; returns how many changes did. */
    private int showPersisted(String url) throws SQLException {
        out.println("  What persisted, seen from a second connection:");
        int kept = 0;
        try (Connection connection = DriverManager.getConnection(url)) {
            for (String change : CHANGES) {
                kept += shown(change, SchemaCheck.presence(connection, Expectation.parse(change))
                        == SchemaCheck.Presence.PRESENT);
            }
            try (PreparedStatement comment = connection.prepareStatement(
                    "SELECT pg_catalog.obj_description('users'::regclass, 'pg_class')");
                 ResultSet rows = comment.executeQuery()) {
                kept += shown(COMMENT_CHANGE, rows.next() && rows.getString(1) != null);
            }
        }
        return kept;
    }

    private int shown(String change, boolean present) {
        out.printf("    %-30s %s%n", change, present ? "yes" : "no");
        return present ? 1 : 0;
    }

    private String createDatabase(EmbeddedPostgres server, Script schema) throws SQLException {
        try (Connection admin = DriverManager.getConnection(server.jdbcUrl("postgres"));
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        }
        String url = server.jdbcUrl(DATABASE);
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            for (ScriptStatement step : schema.statements()) {
                statement.execute(step.sql());
            }
        }
        return url;
    }

    private void row(Object location, Object status, String sqlState, String text) {
        out.println(String.format(ROW, location, status, sqlState, text).stripTrailing());
    }

    private void section(String title) {
        out.println();
        out.println(title);
        out.flush();
    }

    private static Script resource(String name) {
        try (InputStream in = Objects.requireNonNull(DemoCommand.class.getResourceAsStream(name), name)) {
            return Script.parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstLine(String message) {
        return String.valueOf(message).lines().findFirst().orElse("");
    }
}

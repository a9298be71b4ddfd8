package dev.safeops.bench;

import dev.safeops.Outcome;
import dev.safeops.Report;
import dev.safeops.SafeOps;
import dev.safeops.Script;
import dev.safeops.ScriptStatement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Internal, for the {@code bench} command and tests; not part of the safe-ops API. The drifted
 * re-run: the Pagila schema applied to a database that already has it, so that most of its
 * statements are skipped, measured against raw JDBC applying the same schema to an empty database
 * (a clean run). Each run gets a database of its own, {@value #DATABASE}, created afresh and dropped
 * at the end.
 */
public final class Rerun {

    public static final String DATABASE = "safe_ops_bench_rerun";

    /** The ways the re-run is measured. */
    public enum Way {
        /** Raw JDBC, one statement after the other, on an empty database: the clean run to compare with. */
        RAW_CLEAN("raw JDBC, clean run"),
        /** pgjdbc {@code autosave=always}, each error caught. */
        AUTOSAVE("pgjdbc autosave=always"),
        /** safe-ops, one {@code execute} per statement: the outcomes the pipelined run must match. */
        SAFE_OPS_EACH("safe-ops execute"),
        /** safe-ops running the schema as one script. */
        SAFE_OPS_PIPELINED("safe-ops pipelined");

        private final String label;

        Way(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One measured run.
     *
     * @param outcomes each statement's status and SQLSTATE, for the safe-ops ways; else empty
     * @param subtransactions kept until the commit, as in {@link Measurement}; -1 when the run failed
     */
    public record Run(Way way, int statements, long roundTrips, long nanos, long subtransactions, List<String> outcomes,
                      List<String> problems) {

        public Run {
            outcomes = List.copyOf(outcomes);
            problems = List.copyOf(problems);
        }
    }

    private final Database server;
    private final Database database;
    private final LatencyProxy proxy;
    private final Script script;

    /** @param proxy a proxy in front of {@code server}; the re-run resets its count */
    public Rerun(Database server, LatencyProxy proxy) {
        this.server = Objects.requireNonNull(server, "server");
        this.database = server.sibling(DATABASE);
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.script = Script.parse("pagila-schema.sql", pagila());
    }

    public int statements() {
        return script.statements().size();
    }

    private static String pagila() {
        try (InputStream in = Rerun.class.getResourceAsStream("/dev/safeops/pagila/pagila-schema.sql")) {
            if (in == null) {
                throw new IllegalStateException("the Pagila schema is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every way {@code rounds} times, interleaved, after an unmeasured warm-up round. */
    public List<Run> run(int rounds) throws SQLException {
        Way[] ways = Way.values();
        for (Way way : ways) {
            measure(way);
        }
        List<Run> runs = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < ways.length; i++) {
                runs.add(measure(ways[(i + round) % ways.length]));
            }
        }
        drop();
        return runs;
    }

    /** One run on a fresh database: empty for the clean run, with the schema applied once for the others. */
    public Run measure(Way way) throws SQLException {
        recreate();
        if (way != Way.RAW_CLEAN) {
            try (Connection direct = database.connect()) {
                direct.setAutoCommit(false);
                applyRaw(direct);
                direct.commit();
            }
        }
        List<String> problems = new ArrayList<>();
        List<String> outcomes = List.of();
        long subtransactions = -1;
        long roundTrips;
        long nanos;
        Map<String, String> settings = way == Way.AUTOSAVE ? Map.of("autosave", "always") : Map.of();
        try (Connection connection = database.connectThrough(proxy, settings)) {
            connection.setAutoCommit(false);
            proxy.reset();
            long start = System.nanoTime();
            try {
                Report report = switch (way) {
                    case RAW_CLEAN -> {
                        applyRaw(connection);
                        yield null;
                    }
                    case AUTOSAVE -> {
                        subtransactions = applyCatchingErrors(connection);
                        yield null;
                    }
                    case SAFE_OPS_EACH -> {
                        SafeOps ops = SafeOps.on(connection);
                        for (ScriptStatement statement : script.statements()) {
                            ops.execute(statement.sql());
                        }
                        yield ops.report();
                    }
                    case SAFE_OPS_PIPELINED -> SafeOps.on(connection).run(script);
                };
                if (report != null) {
                    subtransactions = report.subtransactions();
                    outcomes = report.outcomes().stream().map(Rerun::describe).toList();
                } else if (way == Way.RAW_CLEAN) {
                    subtransactions = 0;
                }
            } catch (SQLException | RuntimeException e) {
                problems.add("failed: " + e.getMessage());
                subtransactions = -1;
            }
            nanos = System.nanoTime() - start;
            roundTrips = proxy.roundTrips();
            if (problems.isEmpty()) {
                connection.commit();
            } else {
                connection.rollback();
            }
        }
        return new Run(way, statements(), roundTrips, nanos, subtransactions, outcomes, problems);
    }

    private static String describe(Outcome outcome) {
        return outcome.status() + " " + outcome.sqlState() + " " + outcome.sql();
    }

    private void applyRaw(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (ScriptStatement each : script.statements()) {
                statement.execute(each.sql());
            }
        }
    }

    /** Returns the statements applied, each in its own subtransaction (the driver's savepoint). */
    private long applyCatchingErrors(Connection connection) throws SQLException {
        long applied = 0;
        try (Statement statement = connection.createStatement()) {
            for (ScriptStatement each : script.statements()) {
                try {
                    statement.execute(each.sql());
                    applied++;
                } catch (SQLException e) {
                    // what autosave=always users write: the driver rolled back to its savepoint
                }
            }
        }
        return applied;
    }

    private void recreate() throws SQLException {
        drop();
        try (Connection direct = server.connect(); Statement statement = direct.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        }
    }

    /** Drops the re-run's database, so that the bench leaves nothing behind. */
    public void drop() throws SQLException {
        try (Connection direct = server.connect(); Statement statement = direct.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE);
        }
    }
}

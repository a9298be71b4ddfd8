package dev.safeops.cli;

import dev.safeops.bench.Benchmark;
import dev.safeops.bench.Database;
import dev.safeops.bench.LatencyProxy;
import dev.safeops.bench.Measurement;
import dev.safeops.bench.Rerun;
import dev.safeops.bench.Results;
import dev.safeops.bench.Variant;
import dev.safeops.bench.Workload;
import dev.safeops.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code safe-ops bench}: the same migration run five ways through a proxy that adds network
 * latency, side by side, with round trips counted exactly and the schema checked after every run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs one migration (per table: add a column, create an index, add a check constraint; all in one "
                + "transaction) five ways through a TCP proxy that adds latency: raw JDBC, JDBC savepoints, pgjdbc "
                + "autosave=always, safe-ops one statement at a time, safe-ops pipelined.",
                "Every run gets a freshly prepared schema " + Workload.SCHEMA + " and is checked afterwards. Round trips "
                        + "are counted by the proxy; wall time is the median over the rounds; heap is the live heap "
                        + "after System.gc() at the end of a run. A last run of the pipelined variant with "
                        + BenchCommand.SCALE + "x the tables compares its heap.",
                "Without --url a throwaway PostgreSQL server is started and deleted afterwards. With --url the "
                        + "bench creates and drops schema " + Workload.SCHEMA + " in that database.",
                "With --rerun, the Pagila schema is applied again to a database that has it, four ways (raw JDBC on "
                        + "an empty database for comparison, autosave, safe-ops one statement at a time, pipelined).",
                "The last line is: RESULT pipelined/raw=<x> pipelined/autosave=<y> roundtrips/stmt=<z> correct=<true|false>"},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  every run left the schema as expected", "  1  a run failed or left the schema wrong",
                "  2  usage or connection error, or the server could not start"})
final class BenchCommand implements Callable<Integer> {

    /** How many times the tables the memory check runs with. */
    static final int SCALE = 10;
    private static final int PROBLEMS_SHOWN = 20;
    private static final String ROW = "%-24s %16s %10s %13s %8s %8s %8s%n";

    @Spec
    private CommandSpec spec;

    @Option(names = "--latency-ms", paramLabel = "N", defaultValue = "2",
            description = "One-way delay the proxy adds in each direction, in milliseconds. Default: ${DEFAULT-VALUE}.")
    private int latencyMillis;

    @Option(names = "--tables", paramLabel = "N", defaultValue = "100",
            description = "Tables, 3 statements each. Default: ${DEFAULT-VALUE}.")
    private int tables;

    @Option(names = "--missing-percent", paramLabel = "P", defaultValue = "0",
            description = {"Share of the tables that are missing, spread evenly; raw JDBC, which cannot survive a "
                    + "missing table, always gets them all. Default: ${DEFAULT-VALUE}."})
    private int missingPercent;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "5",
            description = "Runs of each variant, interleaved. Default: ${DEFAULT-VALUE}.")
    private int rounds;

    @Option(names = "--rerun",
            description = {"Instead of the tables, the drifted re-run: the Pagila schema (377 statements) applied to "
                    + "a database that already has it, measured against raw JDBC applying it to an empty database. Uses a "
                    + "database of its own, " + Rerun.DATABASE + ", created and dropped (with --url: needs CREATEDB)."})
    private boolean rerun;

    @ParentCommand
    private Main main;

    // --url names a database on this machine to use instead of a throwaway server; DATABASE_URL does not.
    @Mixin
    private ConnectionOptions connection;

    private PrintWriter out;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        Workload workload = workload();
        Optional<DatabaseUrl> given = connection.givenDatabaseUrl(main.environment());
        if (given.isPresent()) {
            Database database;
            try {
                database = Database.at(given.get().jdbcUrl(), given.get().properties());
            } catch (IllegalArgumentException e) {
                throw new CommandException(Main.NOT_STARTED, e.getMessage(), e);
            }
            return bench(database, workload, "");
        }
        out.println("Starting a throwaway PostgreSQL server…");
        out.flush();
        try (EmbeddedPostgres server = EmbeddedPostgres.start()) {
            return bench(Database.at(server.jdbcUrl("postgres"), new Properties()), workload, " (throwaway server)");
        } catch (IOException e) {
            throw new CommandException(Main.NOT_STARTED, "cannot start the embedded PostgreSQL server: "
                    + e.getMessage(), e);
        }
    }

    private Workload workload() {
        if (latencyMillis < 0) {
            throw new ParameterException(spec.commandLine(), "--latency-ms must not be negative, was " + latencyMillis);
        }
        if (rounds < 1) {
            throw new ParameterException(spec.commandLine(), "--rounds must be at least 1, was " + rounds);
        }
        try {
            return Workload.of(tables, missingPercent);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--tables or --missing-percent: " + e.getMessage());
        }
    }

    private int bench(Database database, Workload workload, String serverNote) {
        try (LatencyProxy proxy = LatencyProxy.start(database.host(), database.port(), Duration.ofMillis(latencyMillis))) {
            if (rerun) {
                Rerun bench = new Rerun(database, proxy);
                out.printf(Locale.ROOT, "safe-ops bench: the Pagila schema (%d statements) applied again to a database "
                        + "that has it, in one transaction%n", bench.statements());
                printServer(database, serverNote);
                return reportRerun(bench.run(rounds));
            }
            out.printf(Locale.ROOT, "safe-ops bench: %s, in one transaction%n", workload);
            printServer(database, serverNote);
            Benchmark benchmark = new Benchmark(database, proxy);
            Results results = Results.of(Variant.measuredFor(workload), benchmark.run(workload, rounds));
            Measurement scaled = benchmark.measure(Variant.SAFE_OPS_PIPELINED, workload.scaled(SCALE));
            try (Connection direct = database.connect()) {
                Workload.dropSchema(direct);
            }
            return report(results, scaled, workload);
        } catch (IllegalArgumentException e) {
            throw new CommandException(Main.NOT_STARTED, "cannot put the latency proxy in front of " + database + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new CommandException(Main.NOT_STARTED, "cannot start the latency proxy: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new CommandException(Main.NOT_STARTED, "cannot prepare or check the schema in " + database + ": "
                    + e.getMessage(), e);
        }
    }

    private void printServer(Database database, String serverNote) throws SQLException {
        out.printf(Locale.ROOT, "PostgreSQL %s%s, %d ms one-way latency added by a proxy, %d rounds after a "
                + "warm-up round, variants interleaved%n", database.serverVersion(), serverNote, latencyMillis, rounds);
        out.flush();
    }

    private int report(Results results, Measurement scaled, Workload workload) {
        out.println();
        out.printf(Locale.ROOT, ROW, "variant", "round trips/stmt", "median ms", "ratio to raw", "heap MB", "subxacts",
                "correct");
        for (Variant variant : Variant.measuredFor(workload)) {
            out.printf(Locale.ROOT, ROW, variant.label(),
                    String.format(Locale.ROOT, "%.3f", results.roundTripsPerStatement(variant)),
                    String.format(Locale.ROOT, "%.1f", results.medianMillis(variant)),
                    String.format(Locale.ROOT, "%.3f", results.timeRatio(variant, Variant.RAW)),
                    String.format(Locale.ROOT, "%.1f", results.medianHeapMegabytes(variant)),
                    results.maxSubtransactions(variant), results.correct(variant));
        }
        out.println("subxacts: subtransactions the transaction keeps until its commit (savepoints released after "
                + "statements ran in them), the most of any run.");
        if (workload.missingPercent() > 0) {
            out.println("raw JDBC ran with every table present: the first missing table would abort its transaction.");
            out.printf(Locale.ROOT, "pipelined drifted/clean=%.3f: the script with %d%% of tables missing over the same "
                    + "script on a database with every table present (\"safe-ops pipelined clean\")%n",
                    results.timeRatio(Variant.SAFE_OPS_PIPELINED, Variant.SAFE_OPS_PIPELINED_CLEAN),
                    workload.missingPercent());
        }
        out.println("heap MB: live heap (MemoryMXBean) after System.gc() at the end of a run, safe-ops' report still "
                + "held; median over the rounds.");
        double pipelinedHeap = results.medianHeapMegabytes(Variant.SAFE_OPS_PIPELINED);
        double scaledHeap = scaled.heapBytes() / 1e6;
        double memoryRatio = scaledHeap / pipelinedHeap;
        out.printf(Locale.ROOT, "memory pipelined %dx/1x=%.2f (%d statements: %.1f MB, %d statements: %.1f MB; "
                        + "%.3f round trips/stmt, %s)%n", SCALE, memoryRatio, scaled.statements(), scaledHeap,
                workload.statementCount(), pipelinedHeap,
                (double) scaled.roundTrips() / scaled.statements(), scaled.correct() ? "correct" : "NOT correct");

        List<String> problems = new ArrayList<>(results.problems());
        scaled.problems().forEach(problem -> problems.add(scaled.variant().label() + " " + SCALE + "x: " + problem));
        problems.stream().limit(PROBLEMS_SHOWN).forEach(problem -> out.println("problem: " + problem));
        if (problems.size() > PROBLEMS_SHOWN) {
            out.println("… and " + (problems.size() - PROBLEMS_SHOWN) + " more problems");
        }

        double pipelinedVsRaw = results.timeRatio(Variant.SAFE_OPS_PIPELINED, Variant.RAW);
        double pipelinedVsAutosave = results.timeRatio(Variant.SAFE_OPS_PIPELINED, Variant.AUTOSAVE);
        double roundTrips = results.roundTripsPerStatement(Variant.SAFE_OPS_PIPELINED);
        if (workload.missingPercent() == 0) {
            target("pipelined/raw <= 0.15", pipelinedVsRaw <= 0.15);
            target("roundtrips/stmt <= 0.05 (error-free script)", roundTrips <= 0.05);
        } else if (workload.missingPercent() <= 10) {
            target("roundtrips/stmt <= 0.03 (up to 10% of tables missing)", roundTrips <= 0.03);
            target("pipelined/autosave <= 0.10 (up to 10% of tables missing)", pipelinedVsAutosave <= 0.10);
        } else {
            target("roundtrips/stmt <= 0.05 (tables missing)", roundTrips <= 0.05);
            target("pipelined/autosave <= 0.4 (tables missing)", pipelinedVsAutosave <= 0.4);
        }
        target("memory pipelined " + SCALE + "x/1x < 2", memoryRatio < 2);
        boolean correct = problems.isEmpty();
        out.printf(Locale.ROOT, "RESULT pipelined/raw=%.3f pipelined/autosave=%.3f roundtrips/stmt=%.4f correct=%s%n",
                pipelinedVsRaw, pipelinedVsAutosave, roundTrips, correct);
        out.flush();
        return correct ? Main.OK : Main.FAILED;
    }

    private int reportRerun(List<Rerun.Run> runs) {
        out.println();
        out.printf(Locale.ROOT, ROW, "variant", "round trips", "median ms", "ratio to raw", "rt/stmt", "subxacts",
                "correct");
        List<String> problems = new ArrayList<>();
        runs.forEach(run -> run.problems().forEach(problem -> problems.add(run.way().label() + ": " + problem)));
        List<String> reference = runs.stream().filter(run -> run.way() == Rerun.Way.SAFE_OPS_EACH).findFirst()
                .map(Rerun.Run::outcomes).orElse(List.of());
        boolean identical = runs.stream().filter(run -> run.way() == Rerun.Way.SAFE_OPS_PIPELINED)
                .allMatch(run -> run.outcomes().equals(reference));
        if (!identical) {
            problems.add("safe-ops pipelined: outcomes differ from one statement at a time");
        }
        double rawMillis = medianMillis(runs, Rerun.Way.RAW_CLEAN);
        for (Rerun.Way way : Rerun.Way.values()) {
            List<Rerun.Run> mine = runs.stream().filter(run -> run.way() == way).toList();
            long roundTrips = mine.stream().mapToLong(Rerun.Run::roundTrips).max().orElse(0);
            out.printf(Locale.ROOT, ROW, way.label(), roundTrips,
                    String.format(Locale.ROOT, "%.1f", medianMillis(runs, way)),
                    String.format(Locale.ROOT, "%.3f", medianMillis(runs, way) / rawMillis),
                    String.format(Locale.ROOT, "%.3f", (double) roundTrips / mine.get(0).statements()),
                    mine.stream().mapToLong(Rerun.Run::subtransactions).max().orElse(-1),
                    mine.stream().allMatch(run -> run.problems().isEmpty()));
        }
        out.println("raw JDBC ran the schema on an empty database (a clean run); every other variant on a database "
                + "that has it. round trips and subxacts: the most of any run.");
        problems.stream().limit(PROBLEMS_SHOWN).forEach(problem -> out.println("problem: " + problem));
        List<Rerun.Run> pipelined = runs.stream().filter(run -> run.way() == Rerun.Way.SAFE_OPS_PIPELINED).toList();
        long roundTrips = pipelined.stream().mapToLong(Rerun.Run::roundTrips).max().orElse(Long.MAX_VALUE);
        long subtransactions = pipelined.stream().mapToLong(Rerun.Run::subtransactions).max().orElse(Long.MAX_VALUE);
        target("re-run round trips <= 10", roundTrips <= 10);
        target("re-run subtransactions <= 64", subtransactions >= 0 && subtransactions <= 64);
        target("re-run outcomes identical to one statement at a time", identical);
        boolean correct = problems.isEmpty();
        out.printf(Locale.ROOT, "RESULT pipelined/raw=%.3f pipelined/autosave=%.3f roundtrips/stmt=%.4f correct=%s%n",
                medianMillis(runs, Rerun.Way.SAFE_OPS_PIPELINED) / rawMillis,
                medianMillis(runs, Rerun.Way.SAFE_OPS_PIPELINED) / medianMillis(runs, Rerun.Way.AUTOSAVE),
                pipelined.stream().mapToLong(Rerun.Run::roundTrips).sum()
                        / (double) pipelined.stream().mapToLong(Rerun.Run::statements).sum(), correct);
        out.flush();
        return correct ? Main.OK : Main.FAILED;
    }

    private static double medianMillis(List<Rerun.Run> runs, Rerun.Way way) {
        double[] sorted = runs.stream().filter(run -> run.way() == way).mapToDouble(run -> run.nanos() / 1e6).sorted()
                .toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private void target(String target, boolean met) {
        out.println("target " + target + ": " + (met ? "met" : "MISSED"));
    }
}

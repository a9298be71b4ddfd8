package dev.safeops.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Internal, for the {@code bench} command and tests; not part of the safe-ops API. Runs the
 * {@link Variant}s on a {@link Workload} through a {@link LatencyProxy} and measures each run.
 *
 * <p>Every run gets a freshly prepared schema, prepared and checked over a direct connection, so
 * neither is timed or counted. What is measured is one transaction from its first statement to the
 * last answer; connecting and the commit are outside, being the same for every variant.
 */
public final class Benchmark {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private final Database database;
    private final LatencyProxy proxy;

    /** @param proxy a proxy in front of {@code database}; the benchmark resets its count */
    public Benchmark(Database database, LatencyProxy proxy) {
        this.database = Objects.requireNonNull(database, "database");
        this.proxy = Objects.requireNonNull(proxy, "proxy");
    }

    /**
     * Runs every variant {@code rounds} times, interleaved, each round starting one variant later, so
     * that drift of the machine does not favour a variant. A first round is not measured: until the
     * JIT has compiled the driver's and safe-ops' code, a run takes several times as long.
     */
    public List<Measurement> run(Workload workload, int rounds) throws SQLException {
        List<Variant> variants = Variant.measuredFor(workload);
        for (Variant variant : variants) {
            measure(variant, workload);
        }
        List<Measurement> measurements = new ArrayList<>(rounds * variants.size());
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < variants.size(); i++) {
                measurements.add(measure(variants.get((i + round) % variants.size()), workload));
            }
        }
        return measurements;
    }

    /** Runs one variant once, on a freshly prepared schema, and checks what it left. */
    public Measurement measure(Variant variant, Workload requested) throws SQLException {
        Workload workload = variant.workloadFor(requested);
        try (Connection direct = database.connect()) {
            workload.prepare(direct);
        }
        List<String> problems = new ArrayList<>();
        long roundTrips;
        long nanos;
        long heapBytes;
        long subtransactions = -1;
        try (Connection connection = database.connectThrough(proxy, variant.connectionSettings())) {
            connection.setAutoCommit(false);
            // Collect the garbage of earlier runs now, so that it does not pause this one.
            System.gc();
            proxy.reset();
            long start = System.nanoTime();
            Tally tally = null;
            try {
                tally = variant.run(connection, workload);
            } catch (SQLException | RuntimeException e) {
                problems.add("failed: " + e.getMessage());
            }
            nanos = System.nanoTime() - start;
            roundTrips = proxy.roundTrips();
            heapBytes = liveHeapBytes();
            if (tally == null) {
                connection.rollback();
            } else {
                problems.addAll(wrongCounts(tally, workload));
                subtransactions = tally.subtransactions();
                connection.commit();
            }
            Reference.reachabilityFence(tally);
        }
        try (Connection direct = database.connect()) {
            problems.addAll(workload.problems(direct));
        }
        return new Measurement(variant, workload.statementCount(), roundTrips, nanos, heapBytes, subtransactions,
                problems);
    }

    private static List<String> wrongCounts(Tally tally, Workload workload) {
        int skips = workload.statementsOnMissingTables();
        int applied = workload.statementCount() - skips;
        if (tally.applied() == applied && tally.skipped() == skips) {
            return List.of();
        }
        return List.of("applied " + tally.applied() + " and skipped " + tally.skipped() + " statements, expected "
                + applied + " and " + skips);
    }

    private static long liveHeapBytes() {
        System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}

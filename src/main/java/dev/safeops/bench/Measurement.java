package dev.safeops.bench;

import java.util.List;

/**
 * Internal, for the {@code bench} command and tests; not part of the safe-ops API. One run of one
 * variant.
 *
 * @param variant    how the statements were run
 * @param statements how many statements it ran
 * @param roundTrips round trips counted by the proxy, from the first statement to the last answer
 * @param nanos      wall time over the same span
 * @param heapBytes  live heap after {@code System.gc()} at the end of the run, with the run's report still held
 * @param subtransactions subtransactions the run's transaction kept until its commit (see {@code Tally}); -1
 *                   when the run failed
 * @param problems   what went wrong: a failure, a wrong count of skips, or a schema that is not as
 *                   expected; empty when the run was correct
 */
public record Measurement(Variant variant, int statements, long roundTrips, long nanos, long heapBytes,
                          long subtransactions, List<String> problems) {

    public Measurement {
        problems = List.copyOf(problems);
    }

    public boolean correct() {
        return problems.isEmpty();
    }
}

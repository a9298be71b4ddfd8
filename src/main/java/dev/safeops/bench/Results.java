package dev.safeops.bench;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Internal, for the {@code bench} command and tests; not part of the safe-ops API. The
 * measurements of a benchmark, summed up per variant. Immutable.
 */
public final class Results {

    private final Map<Variant, List<Measurement>> byVariant;

    private Results(Map<Variant, List<Measurement>> byVariant) {
        this.byVariant = byVariant;
    }

    /** @throws IllegalArgumentException if one of the variants has no measurement */
    public static Results of(List<Variant> variants, List<Measurement> measurements) {
        Map<Variant, List<Measurement>> byVariant = measurements.stream()
                .collect(Collectors.groupingBy(Measurement::variant, () -> new EnumMap<>(Variant.class),
                        Collectors.toUnmodifiableList()));
        for (Variant variant : variants) {
            if (!byVariant.containsKey(variant)) {
                throw new IllegalArgumentException("no measurement of " + variant.label());
            }
        }
        return new Results(byVariant);
    }

    /** Exact: all round trips of the variant's runs over all their statements. */
    public double roundTripsPerStatement(Variant variant) {
        List<Measurement> runs = byVariant.get(variant);
        return (double) runs.stream().mapToLong(Measurement::roundTrips).sum()
                / runs.stream().mapToLong(Measurement::statements).sum();
    }

    /** The most subtransactions one run of the variant kept. */
    public long maxSubtransactions(Variant variant) {
        return byVariant.get(variant).stream().mapToLong(Measurement::subtransactions).max().orElse(-1);
    }

    public double medianMillis(Variant variant) {
        return median(byVariant.get(variant).stream().mapToDouble(m -> m.nanos() / 1e6).sorted().toArray());
    }

    /** The variant's median wall time over the other's. */
    public double timeRatio(Variant variant, Variant baseline) {
        return medianMillis(variant) / medianMillis(baseline);
    }

    public double medianHeapMegabytes(Variant variant) {
        return median(byVariant.get(variant).stream().mapToDouble(m -> m.heapBytes() / 1e6).sorted().toArray());
    }

    /** Whether every run of the variant was correct. */
    public boolean correct(Variant variant) {
        return byVariant.get(variant).stream().allMatch(Measurement::correct);
    }

    /** Every problem of every run, prefixed with the variant. */
    public List<String> problems() {
        return byVariant.values().stream().flatMap(List::stream)
                .flatMap(m -> m.problems().stream().map(problem -> m.variant().label() + ": " + problem))
                .distinct().collect(Collectors.toUnmodifiableList());
    }

    private static double median(double[] sorted) {
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

package dev.safeops;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The outcomes of a script run, or of a {@link SafeOps} session's current unit of work (see
 * {@link SafeOps#startUnitOfWork()}), in the order the operations ran. Immutable; a later operation
 * does not change a report already taken.
 *
 * @param outcomes        the outcomes in execution order
 * @param savepoints      how many savepoints safe-ops set around the operations (each starts a
 *                        subtransaction)
 * @param subtransactions how many of those subtransactions the server keeps until the transaction
 *                        ends: savepoints released after statements ran inside them. A savepoint
 *                        rolled back to is forgotten, and one that wrote nothing has no id, so this
 *                        is an upper bound of what the server holds. PostgreSQL caches 64
 *                        subtransaction ids per transaction in shared memory; a transaction past
 *                        that overflows the cache and slows every concurrent snapshot until it ends
 */
public record Report(List<Outcome> outcomes, int savepoints, int subtransactions) {

    public Report {
        outcomes = List.copyOf(outcomes);
    }

    /** A report in which every savepoint was kept as a subtransaction. */
    public Report(List<Outcome> outcomes, int savepoints) {
        this(outcomes, savepoints, savepoints);
    }

    /**
     * What a {@link SafeOps} session did since it was created, counted however long it lives,
     * while its outcomes are kept only for the current unit of work.
     *
     * @param applied    operations applied
     * @param skipped    operations skipped
     * @param savepoints savepoints (subtransactions) used
     */
    public record Totals(long applied, long skipped, long savepoints) {
    }

    public int applied() {
        return (int) outcomes.stream().filter(Outcome::isApplied).count();
    }

    public int skipped() {
        return (int) outcomes.stream().filter(Outcome::isSkipped).count();
    }

    /** How many lock retries the operations needed in all (see {@link Outcome#lockRetries()}). */
    public int lockRetries() {
        return outcomes.stream().mapToInt(Outcome::lockRetries).sum();
    }

    public List<Outcome> skippedOutcomes() {
        return outcomes.stream().filter(Outcome::isSkipped).collect(Collectors.toUnmodifiableList());
    }

    /**
     * One line for logs and terminals, e.g.
     * {@code 6 applied, 5 skipped (42P01 missing object ×5), 11 savepoints}, followed by {@code , 2 lock
     * retries} when there were any.
     */
    public String summary() {
        StringBuilder line = new StringBuilder().append(applied()).append(" applied, ").append(skipped())
                .append(" skipped");
        Map<String, Long> byState = outcomes.stream().filter(Outcome::isSkipped)
                .collect(Collectors.groupingBy(Outcome::sqlState, TreeMap::new, Collectors.counting()));
        if (!byState.isEmpty()) {
            line.append(byState.entrySet().stream()
                    .map(e -> e.getKey() + " " + SqlStates.name(e.getKey()) + " ×" + e.getValue())
                    .collect(Collectors.joining(", ", " (", ")")));
        }
        line.append(", ").append(savepoints).append(savepoints == 1 ? " savepoint" : " savepoints");
        int retries = lockRetries();
        if (retries > 0) {
            line.append(", ").append(retries).append(retries == 1 ? " lock retry" : " lock retries");
        }
        return line.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}

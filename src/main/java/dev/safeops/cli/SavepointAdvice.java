package dev.safeops.cli;

import java.util.Optional;

/**
 * What to do when a run used more savepoints than PostgreSQL caches: the
 * {@code --statements-per-savepoint} that brings it under the cache, or, when no grouping can in
 * one transaction, how to split the run. Advice that cannot work is never given.
 */
final class SavepointAdvice {

    /** What a suggested grouping aims at, leaving the rest of the cache to the application's own savepoints. */
    private static final int TARGET = ApplyCommand.SUBTRANSACTION_CACHE / 2;
    private static final int CAP = ApplyCommand.MAX_STATEMENTS_PER_SAVEPOINT;

    private SavepointAdvice() {
    }

    /**
     * The advice for a run of {@code statements} statements in the transaction that shared savepoints
     * {@code perSavepoint} at a time and used {@code savepoints}, or empty when a larger grouping would not help.
     */
    static Optional<String> forRun(int statements, int perSavepoint, int savepoints) {
        int toTarget = ceilDivide(statements, TARGET);
        if (toTarget <= CAP) {
            return perSavepoint >= toTarget ? replays(savepoints) : Optional.of(
                    "On a busy database, when few statements are skipped, consider --statements-per-savepoint " + toTarget
                            + " (about " + ceilDivide(statements, toTarget) + " savepoints).");
        }
        if (ceilDivide(statements, CAP) <= ApplyCommand.SUBTRANSACTION_CACHE) {
            return perSavepoint >= CAP ? replays(savepoints) : Optional.of(
                    "On a busy database, when few statements are skipped, consider --statements-per-savepoint " + CAP
                            + " (about " + ceilDivide(statements, CAP) + " savepoints; no more can share one).");
        }
        int perRun = CAP * ApplyCommand.SUBTRANSACTION_CACHE;
        return Optional.of("At most " + CAP + " statements can share a savepoint, so " + statements + " statements "
                + "need at least " + ceilDivide(statements, CAP) + " in one transaction. To stay within the cache, split "
                + "the files into runs of at most " + perRun + " statements, each applied on its own with "
                + "--statements-per-savepoint " + CAP + " (each run is then its own transaction).");
    }

    /** Grouping is already as large as it helps: what is left comes from groups replayed after a skip. */
    private static Optional<String> replays(int savepoints) {
        return Optional.of("The groups are as large as helps; the " + savepoints + " savepoints come from groups "
                + "replayed one statement at a time because a statement in them was skipped.");
    }

    private static int ceilDivide(int dividend, int divisor) {
        return (dividend + divisor - 1) / divisor;
    }
}

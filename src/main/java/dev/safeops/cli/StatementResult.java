package dev.safeops.cli;

import dev.safeops.Outcome;
import dev.safeops.Plan;
import java.util.List;

/**
 * What became of one statement of an {@code apply} run.
 *
 * @param step     the statement and its place in the plan
 * @param status   what happened to it
 * @param sqlState the SQLSTATE of a skip or failure, otherwise {@code null}
 * @param message  why it was skipped, failed or not run, what was repaired before it was applied,
 *                 otherwise {@code null}
 * @param warnings what makes the statement risky on this database (lock, size, safe recipe), judged
 *                 before it ran; usually empty
 * @param lockRetries how many times it was tried again after its lock wait timed out
 */
record StatementResult(Plan.Step step, Status status, String sqlState, String message, List<String> warnings,
                       int lockRetries) {

    StatementResult {
        warnings = List.copyOf(warnings);
    }

    enum Status {
        /** Ran, and its change was kept (or, in a dry run or a rolled-back run, would have been). */
        APPLIED,
        /** Failed with an error the policy tolerates; only this statement was rolled back. */
        SKIPPED,
        /** Failed with an error the policy does not tolerate. */
        FAILED,
        /** Never sent: an earlier statement failed, or the run was a dry run and the statement runs after the commit. */
        NOT_RUN
    }

    static StatementResult of(Plan.Step step, Outcome outcome) {
        return outcome.isApplied()
                ? new StatementResult(step, Status.APPLIED, null, outcome.reason(), outcome.warnings(),
                        outcome.lockRetries())
                : new StatementResult(step, Status.SKIPPED, outcome.sqlState(), outcome.reason(), outcome.warnings(),
                        outcome.lockRetries());
    }

    static StatementResult failed(Plan.Step step, String sqlState, String message, int lockRetries) {
        return new StatementResult(step, Status.FAILED, sqlState, message, List.of(), lockRetries);
    }

    static StatementResult notRun(Plan.Step step, String why) {
        return new StatementResult(step, Status.NOT_RUN, null, why, List.of(), 0);
    }
}

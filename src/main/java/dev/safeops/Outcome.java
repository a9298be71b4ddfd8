package dev.safeops;

import java.util.List;
import java.util.Objects;

/**
 * What happened to one guarded operation, and which statement it belongs to. Immutable.
 *
 * <p>An operation is either {@link Status#APPLIED} (its changes are part of the caller's
 * transaction) or {@link Status#SKIPPED} (it failed with an error the policy tolerates, and only
 * that operation was rolled back). An operation that fails with any other error produces no outcome:
 * it is thrown as a {@link SafeOpsException}.
 *
 * @param status    applied or skipped
 * @param operation what the operation does, e.g. {@code add column users.password}
 * @param sql       the statement that was sent
 * @param sqlState  the SQLSTATE of the tolerated error; {@code null} when applied
 * @param reason    why it was skipped, e.g. {@code missing object (42P01): relation "x" does not
 *                  exist; confirmed: relation x is absent (to_regclass)}; for an applied operation
 *                  {@code null}, or what was repaired before it could be applied (an invalid index
 *                  dropped and built again)
 * @param location  where the statement came from: its file and line for a script statement, the
 *                  caller's own source line for {@link SafeOps#execute} and typed operations; never
 *                  {@code null}
 * @param script    the name of the script the statement belongs to, or {@code null} for
 *                  {@link SafeOps#execute} and typed operations
 * @param index     the statement's 0-based position in that script ({@link ScriptStatement#index()}),
 *                  or -1 when there is no script
 * @param warnings  what makes the statement risky on this database, judged with the table's real
 *                  size before it ran: the lock it took, the table's size, and the safe recipe;
 *                  empty for most statements
 * @param lockRetries how many times the statement was tried again after its lock wait timed out
 *                  (SQLSTATE 55P03; see {@link Settings.LockRetries}); 0 when it was not
 */
public record Outcome(Status status, String operation, String sql, String sqlState, String reason,
                      Location location, String script, int index, List<String> warnings, int lockRetries) {

    /** Whether an operation's changes were kept or the operation was skipped. */
    public enum Status {
        /** Ran successfully inside its own savepoint; its changes are part of the transaction. */
        APPLIED,
        /** Failed with a tolerated error; only this operation was rolled back. */
        SKIPPED
    }

    public Outcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(location, "location");
        warnings = List.copyOf(warnings);
        if (status == Status.SKIPPED && (sqlState == null || reason == null)) {
            throw new IllegalArgumentException("a skipped outcome needs its SQLSTATE and reason");
        }
        if ((script == null) != (index < 0)) {
            throw new IllegalArgumentException("a script statement needs its index, and only a script statement has one");
        }
        if (lockRetries < 0) {
            throw new IllegalArgumentException("lock retries cannot be negative, was " + lockRetries);
        }
    }

    static Outcome applied(Guard.Step step, String reason, List<String> warnings, int lockRetries) {
        Operation operation = step.operation();
        return new Outcome(Status.APPLIED, operation.description(), operation.sql(), null, reason, step.location(),
                step.script(), step.index(), warnings, lockRetries);
    }

    static Outcome skipped(Guard.Step step, String sqlState, String reason, List<String> warnings, int lockRetries) {
        Operation operation = step.operation();
        return new Outcome(Status.SKIPPED, operation.description(), operation.sql(), sqlState, reason,
                step.location(), step.script(), step.index(), warnings, lockRetries);
    }

    public boolean isApplied() {
        return status == Status.APPLIED;
    }

    public boolean isSkipped() {
        return status == Status.SKIPPED;
    }

    @Override
    public String toString() {
        String retried = lockRetries == 0 ? "" : " after " + lockRetries + (lockRetries == 1 ? " lock retry" : " lock retries");
        return status == Status.APPLIED
                ? location + ": applied " + operation + retried
                : location + ": skipped " + operation + retried + " — " + reason;
    }
}

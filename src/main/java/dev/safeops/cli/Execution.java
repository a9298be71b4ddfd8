package dev.safeops.cli;

import dev.safeops.Expectation;
import dev.safeops.Outcome;
import dev.safeops.Policy;
import dev.safeops.SafeOps;
import dev.safeops.SafeOpsException;
import dev.safeops.SchemaCheck;
import dev.safeops.Script;
import dev.safeops.Settings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Runs a {@link Plan} on one connection: every statement that can run in a transaction in one
 * transaction, each guarded by safe-ops; then, once that is committed, each statement PostgreSQL
 * refuses in a transaction on its own in autocommit mode, guarded the same way.
 *
 * <p>A failure in the transaction rolls all of it back, so nothing changes. A failure after the
 * commit cannot undo the commit: the run stops there, and running the same files again is safe,
 * since everything already there is skipped.
 */
final class Execution {

    private final Connection connection;
    private final Policy policy;
    private final int statementsPerSavepoint;
    private final Plan plan;
    private final Runnable progress;
    private final StatementResult[] results;
    private int savepoints;

    /**
     * @param progress called once per statement that has run, for a progress display
     */
    Execution(Connection connection, Policy policy, int statementsPerSavepoint, Plan plan, Runnable progress) {
        this.connection = connection;
        this.policy = policy;
        this.statementsPerSavepoint = statementsPerSavepoint;
        this.plan = plan;
        this.progress = progress;
        this.results = new StatementResult[plan.steps().size()];
    }

    /** Runs the plan and commits, or with {@code dryRun} rolls back and leaves out what runs after the commit. */
    ApplyResult run(boolean dryRun) {
        String failure = runTransaction();
        if (failure != null) {
            rollback();
            return result(false, dryRun, failure + "; the transaction was rolled back, nothing changed",
                    "not run: an earlier statement failed and the transaction was rolled back");
        }
        if (dryRun) {
            rollback();
            return result(false, true, null,
                    "dry run: this statement cannot run inside a transaction, so it runs only after the commit");
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            return result(false, false, "the commit failed (SQLSTATE " + e.getSQLState() + "): " + reason
                    + "; nothing changed", "not run: the commit failed");
        }
        String afterCommit = runAfterCommit();
        return result(true, false, afterCommit == null ? null
                : afterCommit + "; the transaction before it was committed and stays",
                "not run: an earlier statement run after the commit failed");
    }

    /** Returns what failed, or {@code null}. */
    private String runTransaction() {
        Iterator<Plan.Step> pending = plan.inTransaction().iterator();
        SafeOps ops = SafeOps.on(connection, policy, Settings.defaults().withOperationsPerSavepoint(statementsPerSavepoint))
                .onOutcome(outcome -> record(pending.next(), outcome));
        try {
            connection.setAutoCommit(false);
            for (Script script : plan.transactionScripts()) {
                ops.run(script);
            }
            return null;
        } catch (SafeOpsException e) {
            return failed(stepOf(e), e);
        } catch (SQLException e) {
            return "the connection could not start a transaction: " + e.getMessage();
        } finally {
            savepoints = ops.report().savepoints();
        }
    }

    /** Returns what failed, or {@code null}. */
    private String runAfterCommit() {
        List<Plan.Step> steps = plan.afterCommit();
        if (steps.isEmpty()) {
            return null;
        }
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            return "the connection could not switch to autocommit for the statements that run after the commit: "
                    + e.getMessage();
        }
        SafeOps ops = SafeOps.on(connection, policy);
        for (Plan.Step step : steps) {
            try {
                List<Outcome> outcomes = ops.run(Plan.scriptOf(step)).outcomes();
                record(step, outcomes.get(0));
            } catch (SafeOpsException e) {
                String failure = failed(step, e);
                return checkIndex(step).orElse(failure);
            }
            Optional<String> invalid = checkIndex(step);
            if (invalid.isPresent()) {
                return invalid.get();
            }
        }
        return null;
    }

    /**
     * A concurrent index build that fails half-way leaves an invalid index, which IF NOT EXISTS then
     * keeps without a word; so the index a CREATE INDEX names must be valid afterwards. Records the
     * step as failed and returns why when it is not.
     */
    private Optional<String> checkIndex(Plan.Step step) {
        Optional<Expectation> index = Expectation.indexCreatedBy(step.sql());
        if (index.isEmpty()) {
            return Optional.empty();
        }
        SchemaCheck.Presence presence;
        try {
            presence = SchemaCheck.presence(connection, index.get());
        } catch (SQLException e) {
            // The statement's own result stands: a connection too broken to read the catalog has failed it already.
            return Optional.empty();
        }
        if (presence != SchemaCheck.Presence.INVALID) {
            return Optional.empty();
        }
        StatementResult before = results[step.index()];
        String drop = "drop it with DROP INDEX CONCURRENTLY "
                + (index.get().schema() == null ? "" : index.get().schema() + ".") + index.get().name();
        String message = before.status() == StatementResult.Status.FAILED
                ? before.message() + "; the failed build left the index " + index.get().name() + " behind INVALID: "
                        + drop + " before running again"
                : "the index " + index.get().name() + " exists but is INVALID, left by a concurrent build that failed "
                        + "earlier; IF NOT EXISTS (or a skip as already existing) keeps such an index although queries "
                        + "cannot use it and a unique one enforces nothing: " + drop + " and run again";
        results[step.index()] = StatementResult.failed(step, before.sqlState(), message);
        return Optional.of(step.location() + ": " + message);
    }

    private void record(Plan.Step step, Outcome outcome) {
        results[step.index()] = StatementResult.of(step, outcome);
        progress.run();
    }

    /** Records the failed statement, when the error belongs to one, and returns the failure for the user. */
    private String failed(Plan.Step step, SafeOpsException e) {
        String message = withoutPrefix(e);
        if (step != null) {
            results[step.index()] = StatementResult.failed(step, e.getSQLState(), message);
            progress.run();
            return step.location() + ": " + message;
        }
        return message;
    }

    /** The step the error belongs to, found by its location and statement (a refusal can name any step). */
    private Plan.Step stepOf(SafeOpsException e) {
        if (e.statement() == null) {
            return null;
        }
        return plan.steps().stream()
                .filter(step -> step.location().equals(e.location()) && step.sql().equals(e.statement()))
                .findFirst().orElse(null);
    }

    /**
     * The reason alone: the rest of safe-ops' message speaks of the savepoint the library leaves
     * open, which the command rolls back.
     */
    private static String withoutPrefix(SafeOpsException e) {
        return e.reason();
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // A lost connection has rolled back already; closing it does the rest.
        }
    }

    private ApplyResult result(boolean committed, boolean dryRun, String error, String notRun) {
        List<StatementResult> all = new ArrayList<>(results.length);
        for (Plan.Step step : plan.steps()) {
            StatementResult result = results[step.index()];
            all.add(result != null ? result : StatementResult.notRun(step, notRun));
        }
        return new ApplyResult(committed, dryRun, all, error, savepoints);
    }
}

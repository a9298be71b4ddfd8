package dev.safeops.cli;

import dev.safeops.Location;
import dev.safeops.Outcome;
import dev.safeops.Plan;
import dev.safeops.Policy;
import dev.safeops.SafeOps;
import dev.safeops.SafeOpsException;
import dev.safeops.Script;
import dev.safeops.ScriptStatement;
import dev.safeops.Settings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Runs a {@link Plan} on one connection, segment by segment and in file order: the statements of a
 * transactional segment in one transaction, each guarded by safe-ops, then a commit; a statement
 * PostgreSQL refuses in a transaction on its own in autocommit mode, guarded the same way. Without
 * such a statement, that is one transaction for all files.
 *
 * <p>A failure in a transaction rolls that transaction back; transactions committed before it stay,
 * and running the same files again is safe, since everything already there is skipped. A dry run
 * runs the first transaction and rolls it back; it stops before a statement that cannot run in a
 * transaction, and never sends a statement whose effects a rollback cannot undo.
 */
final class Execution {

    private final Connection connection;
    private final Policy policy;
    private final Settings settings;
    private final Plan plan;
    private final Runnable progress;
    private final StatementResult[] results;
    private final List<Location> commits = new ArrayList<>();
    private int savepoints;

    /**
     * @param progress called once per statement that has run, for a progress display
     */
    Execution(Connection connection, Policy policy, Settings settings, Plan plan, Runnable progress) {
        this.connection = connection;
        this.policy = policy;
        this.settings = settings;
        this.plan = plan;
        this.progress = progress;
        this.results = new StatementResult[plan.steps().size()];
    }

    /** Runs the plan and commits, or with {@code dryRun} rolls back and leaves out what it cannot run. */
    ApplyResult run(boolean dryRun) {
        List<Plan.Segment> segments = plan.segments();
        for (int s = 0; s < segments.size(); s++) {
            Plan.Segment segment = segments.get(s);
            if (!segment.transactional()) {
                Plan.Step step = segment.steps().get(0);
                if (dryRun) {
                    rollback();
                    return result(true, null, "dry run: runs after " + step.location() + ", which cannot run inside "
                            + "a transaction and so is not part of a dry run");
                }
                String failure = runAlone(step);
                if (failure != null) {
                    return result(false, failure + committedBefore(),
                            "not run: an earlier statement run outside a transaction failed");
                }
                continue;
            }
            String failure = runTransaction(segment, dryRun);
            if (failure != null) {
                rollback();
                return result(dryRun, failure + (commits.isEmpty()
                        ? "; the transaction was rolled back, nothing changed"
                        : "; this transaction was rolled back" + committedBefore()),
                        "not run: an earlier statement failed and the transaction was rolled back");
            }
            if (dryRun) {
                rollback();
                continue;
            }
            try {
                connection.commit();
                commits.add(last(segment).location());
            } catch (SQLException e) {
                String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                return result(false, "the commit failed (SQLSTATE " + e.getSQLState() + "): " + reason
                        + (commits.isEmpty() ? "; nothing changed" : committedBefore()),
                        "not run: the commit failed");
            }
        }
        return result(dryRun, null, null);
    }

    /** Returns what failed, or {@code null}. */
    private String runTransaction(Plan.Segment segment, boolean dryRun) {
        List<Plan.Step> sent = new ArrayList<>();
        for (Plan.Step step : segment.steps()) {
            if (dryRun && step.statement().survivesRollback()) {
                results[step.index()] = StatementResult.notRun(step, "dry run: its effects survive a rollback "
                        + "(a sequence change, an advisory lock, a file or another session signalled), so a dry run "
                        + "does not send it");
                progress.run();
            } else {
                sent.add(step);
            }
        }
        if (sent.isEmpty()) {
            return null;
        }
        Iterator<Plan.Step> pending = sent.iterator();
        SafeOps ops = SafeOps.on(connection, policy, settings)
                .onOutcome(outcome -> record(pending.next(), outcome));
        try {
            connection.setAutoCommit(false);
            List<ScriptStatement> statements = sent.stream().map(Plan.Step::statement).toList();
            ops.run(Script.of(sent.get(0).location().file(), statements));
            return null;
        } catch (SafeOpsException e) {
            return failed(stepOf(sent, e), e);
        } catch (SQLException e) {
            return "the connection could not start a transaction: " + e.getMessage();
        } finally {
            savepoints += ops.report().subtransactions();
        }
    }

    /** A statement that cannot run in a transaction, alone in autocommit mode. Returns what failed, or {@code null}. */
    private String runAlone(Plan.Step step) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            return "the connection could not switch to autocommit for a statement that cannot run in a transaction: "
                    + e.getMessage();
        }
        try {
            List<Outcome> outcomes = SafeOps.on(connection, policy, settings)
                    .run(Script.of(step.location().file(), List.of(step.statement()))).outcomes();
            record(step, outcomes.get(0));
            commits.add(step.location());
            return null;
        } catch (SafeOpsException e) {
            return failed(step, e);
        }
    }

    /** What stays of a run that failed after a commit. */
    private String committedBefore() {
        return commits.isEmpty() ? "" : "; everything up to " + commits.get(commits.size() - 1)
                + " was committed and stays";
    }

    private static Plan.Step last(Plan.Segment segment) {
        return segment.steps().get(segment.steps().size() - 1);
    }

    private void record(Plan.Step step, Outcome outcome) {
        results[step.index()] = StatementResult.of(step, outcome);
        progress.run();
    }

    /** Records the failed statement, when the error belongs to one, and returns the failure for the user. */
    private String failed(Plan.Step step, SafeOpsException e) {
        String message = withoutPrefix(e);
        if (step != null) {
            results[step.index()] = StatementResult.failed(step, e.getSQLState(), message, e.lockRetries());
            progress.run();
            return step.location() + ": " + message;
        }
        return message;
    }

    /** The step the error belongs to, found by its location and statement (a refusal can name any step). */
    private static Plan.Step stepOf(List<Plan.Step> steps, SafeOpsException e) {
        if (e.statement() == null) {
            return null;
        }
        return steps.stream().filter(step -> step.location().equals(e.location()) && step.sql().equals(e.statement()))
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
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            // A lost connection has rolled back already; closing it does the rest.
        }
    }

    private ApplyResult result(boolean dryRun, String error, String notRun) {
        List<StatementResult> all = new ArrayList<>(results.length);
        for (Plan.Step step : plan.steps()) {
            StatementResult result = results[step.index()];
            all.add(result != null ? result : StatementResult.notRun(step, notRun));
        }
        return new ApplyResult(!commits.isEmpty(), dryRun, all, error, savepoints, commits);
    }
}

package dev.safeops.cli;

import dev.safeops.Location;
import java.util.List;

/**
 * The result of an {@code apply} run: every statement of every file, in order.
 *
 * @param committed  whether the transaction was committed
 * @param dryRun     whether the run was a dry run, rolled back on purpose
 * @param statements one result per statement of the plan, in plan order
 * @param error      what went wrong, for the user, or {@code null} when nothing did
 * @param savepoints how many subtransactions the transactions kept (savepoints released after statements ran in
 *                   them; see {@code Report.subtransactions()})
 * @param commits    where each commit happened: after the statement at each location, in order
 */
record ApplyResult(boolean committed, boolean dryRun, List<StatementResult> statements, String error,
                   int savepoints, List<Location> commits) {

    ApplyResult {
        statements = List.copyOf(statements);
        commits = List.copyOf(commits);
    }

    int count(StatementResult.Status status) {
        return (int) statements.stream().filter(result -> result.status() == status).count();
    }

    /** Lock retries of every statement, together. */
    int lockRetries() {
        return statements.stream().mapToInt(StatementResult::lockRetries).sum();
    }

    int exitCode() {
        return error == null ? Main.OK : Main.FAILED;
    }
}

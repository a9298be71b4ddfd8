package dev.safeops.cli;

import dev.safeops.InvalidScriptException;
import dev.safeops.Location;
import dev.safeops.Script;
import dev.safeops.ScriptStatement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every statement of the files given to {@code apply}, in order, numbered across files, and which of
 * them run in the one transaction and which only after its commit (those PostgreSQL refuses inside a
 * transaction block, such as {@code CREATE INDEX CONCURRENTLY}).
 */
final class Plan {

    /**
     * One statement of the plan.
     *
     * @param index       0-based position among all statements of all files
     * @param statement   the statement as read from its file
     * @param afterCommit whether it runs on its own after the transaction's commit
     */
    record Step(int index, ScriptStatement statement, boolean afterCommit) {

        Location location() {
            return statement.location();
        }

        String sql() {
            return statement.sql();
        }
    }

    private final int files;
    private final List<Step> steps;
    private final List<Script> transactionScripts;

    private Plan(int files, List<Step> steps, List<Script> transactionScripts) {
        this.files = files;
        this.steps = List.copyOf(steps);
        this.transactionScripts = List.copyOf(transactionScripts);
    }

    /**
     * Reads every file before anything is sent.
     *
     * @throws InvalidScriptException for the first file safe-ops cannot run faithfully, or a statement
     *     that begins, ends or rolls back a transaction, which would break the one transaction all files share
     */
    static Plan read(List<Path> files) {
        List<Step> steps = new ArrayList<>();
        List<Script> transactionScripts = new ArrayList<>();
        for (Path file : files) {
            Script script = Script.read(file);
            List<ScriptStatement> inTransaction = new ArrayList<>();
            for (ScriptStatement statement : script.statements()) {
                if (statement.transactionControl()) {
                    throw new InvalidScriptException(statement.location(), "transaction control statement "
                            + firstLine(statement.sql()) + ": safe-ops runs all files in one transaction of its own "
                            + "and guards each statement with a savepoint, so a file must not begin, end or roll back "
                            + "transactions; remove it");
                }
                Step step = new Step(steps.size(), statement, statement.forbiddenInTransaction());
                steps.add(step);
                if (!step.afterCommit()) {
                    inTransaction.add(statement);
                }
            }
            if (!inTransaction.isEmpty()) {
                transactionScripts.add(Script.of(script.name(), inTransaction));
            }
        }
        return new Plan(files.size(), steps, transactionScripts);
    }

    List<Step> steps() {
        return steps;
    }

    int fileCount() {
        return files;
    }

    /** The steps that run inside the transaction, in order. */
    List<Step> inTransaction() {
        return steps.stream().filter(step -> !step.afterCommit()).toList();
    }

    /** The steps that run after the commit, in order. */
    List<Step> afterCommit() {
        return steps.stream().filter(Step::afterCommit).toList();
    }

    /**
     * Per file, the statements that run in the transaction, as scripts that keep every statement's
     * file and line; their outcomes come in the order of {@link #inTransaction()}.
     */
    List<Script> transactionScripts() {
        return transactionScripts;
    }

    /** One after-commit step as a script of its own, keeping its file and line. */
    static Script scriptOf(Step step) {
        return Script.of(step.location().file(), List.of(step.statement()));
    }

    private static String firstLine(String sql) {
        String line = sql.lines().findFirst().orElse(sql).strip();
        return line.length() <= 60 ? line : line.substring(0, 59) + "…";
    }
}

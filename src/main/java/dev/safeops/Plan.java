package dev.safeops;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The statements of one or more scripts, in order and numbered across them, cut into the
 * {@link Segment segments} that run together: runs of statements that share one transaction, and
 * each statement PostgreSQL refuses inside a transaction block ({@code CREATE INDEX CONCURRENTLY},
 * {@code VACUUM}, …), which runs on its own in autocommit mode once what precedes it is committed.
 * Every front end (command line, Flyway, a guarded connection) runs scripts by this one rule.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Statements run in script order; nothing is ever moved. Where no statement needs to run
 *       outside a transaction, every statement of every script is in one transaction.</li>
 *   <li>A statement that cannot run in a transaction ends the transaction before it (that is where a
 *       commit happens), runs alone, and the statements after it start a new transaction; so {@code
 *       CREATE UNIQUE INDEX CONCURRENTLY i …} followed by {@code ALTER TABLE … ADD CONSTRAINT … UNIQUE
 *       USING INDEX i} ends with the constraint in place.</li>
 *   <li>A statement that begins, ends or rolls back a transaction is refused while reading, before
 *       anything is sent, with its file and line.</li>
 * </ul>
 *
 * <p>Instances are immutable.
 */
public final class Plan {

    /**
     * One statement of the plan.
     *
     * @param index       0-based position among all statements of all scripts
     * @param statement   the statement as read from its script
     * @param afterCommit whether it runs on its own, in autocommit mode, after the commit of what precedes it
     */
    public record Step(int index, ScriptStatement statement, boolean afterCommit) {

        public Step {
            Objects.requireNonNull(statement, "statement");
        }

        public Location location() {
            return statement.location();
        }

        public String sql() {
            return statement.sql();
        }
    }

    /**
     * Consecutive steps that run together: in one transaction ({@code transactional}), or a single
     * statement that runs alone in autocommit mode.
     *
     * @param transactional whether the steps share one transaction
     * @param steps         the steps, in order; never empty
     */
    public record Segment(boolean transactional, List<Step> steps) {

        public Segment {
            steps = List.copyOf(steps);
            if (steps.isEmpty()) {
                throw new IllegalArgumentException("a segment needs at least one step");
            }
        }

        /** The steps as one script whose statements keep their own files and lines. */
        public Script script() {
            return Script.of(steps.get(0).location().file(), steps.stream().map(Step::statement).toList());
        }
    }

    private final int scripts;
    private final List<Step> steps;

    private Plan(int scripts, List<Step> steps) {
        this.scripts = scripts;
        this.steps = List.copyOf(steps);
    }

    /**
     * Reads every file before anything is sent.
     *
     * @throws InvalidScriptException for the first file safe-ops cannot run faithfully (see {@link
     *     Script}), or a statement that begins, ends or rolls back a transaction
     */
    public static Plan read(List<Path> files) {
        List<Script> scripts = new ArrayList<>();
        for (Path file : files) {
            scripts.add(Script.read(file));
        }
        return of(scripts);
    }

    /**
     * @throws InvalidScriptException for a statement that begins, ends or rolls back a transaction,
     *     which would break the transactions safe-ops manages
     */
    public static Plan of(List<Script> scripts) {
        List<Step> steps = new ArrayList<>();
        for (Script script : scripts) {
            for (ScriptStatement statement : script.statements()) {
                if (statement.transactionControl()) {
                    throw new InvalidScriptException(statement.location(), "transaction control statement "
                            + firstLine(statement.sql()) + ": safe-ops runs the files in transactions of its own "
                            + "and guards each statement with a savepoint, so a file must not begin, end or roll "
                            + "back transactions; remove it");
                }
                steps.add(new Step(steps.size(), statement, statement.forbiddenInTransaction()));
            }
        }
        return new Plan(scripts.size(), steps);
    }

    /** Every step, in order. */
    public List<Step> steps() {
        return steps;
    }

    /** How many scripts the plan was made of. */
    public int scriptCount() {
        return scripts;
    }

    /** The steps cut into what runs together, in order. */
    public List<Segment> segments() {
        List<Segment> segments = new ArrayList<>();
        List<Step> transaction = new ArrayList<>();
        for (Step step : steps) {
            if (!step.afterCommit()) {
                transaction.add(step);
                continue;
            }
            if (!transaction.isEmpty()) {
                segments.add(new Segment(true, transaction));
                transaction = new ArrayList<>();
            }
            segments.add(new Segment(false, List.of(step)));
        }
        if (!transaction.isEmpty()) {
            segments.add(new Segment(true, transaction));
        }
        return segments;
    }

    private static String firstLine(String sql) {
        String line = sql.lines().findFirst().orElse(sql).strip();
        return line.length() <= 60 ? line : line.substring(0, 59) + "…";
    }
}

package dev.safeops;

import java.util.Objects;
import java.util.Set;

/**
 * One statement to run guarded, with what it may tolerate by default. Its shape is read once, when
 * the operation is made, and travels with it.
 *
 * @param description what it does, for reports
 * @param sql         the statement
 * @param tolerates   the operation's default tolerance classes (a policy can only narrow them)
 * @param location    file and line for script statements, else {@code null}
 * @param shape       what its tokens say: target, whether it returns rows, controls transactions, …
 * @param wanted      for a typed operation that creates something, how to tell whether an object
 *                    already there is the one wanted; else {@code null}
 * @param typed       whether safe-ops wrote the statement (a typed operation): what a failed build
 *                    of it leaves behind is then its own to clean up
 */
record Operation(String description, String sql, Set<Tolerance> tolerates, Location location, StatementShape shape,
                 Wanted wanted, boolean typed) {

    Operation {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(shape, "shape");
        tolerates = Set.copyOf(tolerates);
    }

    /** A typed operation, whose SQL safe-ops built itself. */
    static Operation typed(String description, String sql, Set<Tolerance> tolerates) {
        return new Operation(description, sql, tolerates, null, StatementShape.of(sql), null, true);
    }

    /** A statement written by the caller, which tolerates both classes by default. */
    static Operation statement(String sql, Location location) {
        return statement(StatementShape.of(sql), location);
    }

    /** A statement whose shape was read already, such as one of a {@link Script}. */
    static Operation statement(StatementShape shape, Location location) {
        return new Operation(shape.summary(), shape.sql(), Set.of(Tolerance.values()), location, shape, null, false);
    }

    /** The same operation, coming from {@code location}. */
    Operation at(Location location) {
        return new Operation(description, sql, tolerates, location, shape, wanted, typed);
    }

    Operation wanting(Wanted comparison) {
        return new Operation(description, sql, tolerates, location, shape, comparison, typed);
    }

    /** Whether PostgreSQL refuses the statement inside a transaction block. */
    boolean forbiddenInTransaction() {
        return shape.forbiddenInTransaction();
    }

    /** Whether the statement may return rows (of any size). */
    boolean returnsRows() {
        return shape.returnsRows();
    }

    /** Whether the statement begins, ends or rolls back a transaction or savepoint. */
    boolean transactionControl() {
        return shape.transactionControl();
    }

    /** Whether the statement has effects a rollback does not undo (see {@link StatementShape#survivesRollback()}). */
    boolean survivesRollback() {
        return shape.survivesRollback();
    }
}

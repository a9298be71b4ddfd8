package dev.safeops;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One statement to run guarded, with what it may tolerate by default.
 *
 * @param description            what it does, for reports
 * @param sql                    the statement
 * @param tolerates              the operation's default tolerance classes (a policy can only narrow them)
 * @param relations              the relations the statement names, known exactly for typed operations;
 *                               {@code null} for raw SQL, where they are read from the statement when needed
 * @param location               file and line for script statements, else {@code null}
 * @param forbiddenInTransaction whether PostgreSQL refuses the statement inside a transaction block
 * @param returnsRows            whether the statement may return rows (of any size)
 * @param transactionControl     whether the statement begins, ends or rolls back a transaction or savepoint
 */
record Operation(String description, String sql, Set<Tolerance> tolerates, List<QualifiedName> relations,
                 Location location, boolean forbiddenInTransaction, boolean returnsRows,
                 boolean transactionControl) {

    Operation {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(sql, "sql");
        tolerates = Set.copyOf(tolerates);
        relations = relations == null ? null : List.copyOf(relations);
    }

    /** A typed operation, whose SQL safe-ops built itself. */
    static Operation typed(String description, String sql, Set<Tolerance> tolerates, QualifiedName... relations) {
        return new Operation(description, sql, tolerates, List.of(relations), null, false, false, false);
    }

    /** A statement written by the caller, which tolerates both classes by default. */
    static Operation statement(String sql, Location location) {
        StatementShape shape = StatementShape.of(sql);
        return new Operation(shape.summary(), sql, Set.of(Tolerance.values()), null, location,
                shape.forbiddenInTransaction(), shape.returnsRows(), shape.transactionControl());
    }

    /** The same operation, coming from {@code location}. */
    Operation at(Location location) {
        return new Operation(description, sql, tolerates, relations, location, forbiddenInTransaction, returnsRows,
                transactionControl);
    }

    List<QualifiedName> namedRelations() {
        return relations != null ? relations : StatementShape.of(sql).relations();
    }
}

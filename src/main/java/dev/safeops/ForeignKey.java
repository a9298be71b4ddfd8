package dev.safeops;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A foreign key for {@link SafeOps#addForeignKey}. Immutable: every method returns a new value.
 *
 * <pre>{@code
 * ForeignKey.from("content", "user_id").to("users", "id").onDelete(ForeignKey.Action.CASCADE)
 * }</pre>
 *
 * <p>Without {@link #named(String)} the constraint gets PostgreSQL's default name,
 * {@code table_col_fkey}, so that running the operation twice finds it by name.
 *
 * @param table             the referencing table
 * @param columns           the referencing columns
 * @param referencedTable   the referenced table
 * @param referencedColumns the referenced columns (empty: the referenced table's primary key)
 * @param name              the constraint name; {@code null} for the default name
 * @param onDelete          what a delete of the referenced row does
 * @param onUpdate          what an update of the referenced key does
 */
public record ForeignKey(String table, List<String> columns, String referencedTable, List<String> referencedColumns,
                         String name, Action onDelete, Action onUpdate) {

    /** The referential actions of PostgreSQL. */
    public enum Action {
        NO_ACTION("NO ACTION"), RESTRICT("RESTRICT"), CASCADE("CASCADE"), SET_NULL("SET NULL"),
        SET_DEFAULT("SET DEFAULT");

        private final String sql;

        Action(String sql) {
            this.sql = sql;
        }
    }

    public ForeignKey {
        QualifiedName.parse(table, "table name");
        columns = List.copyOf(columns);
        referencedColumns = List.copyOf(referencedColumns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a foreign key on " + table + " needs at least one column");
        }
        columns.forEach(c -> Identifier.checked(c, "column name"));
        referencedColumns.forEach(c -> Identifier.checked(c, "referenced column name"));
        if (referencedTable != null) {
            QualifiedName.parse(referencedTable, "referenced table name");
        }
        if (!referencedColumns.isEmpty() && referencedColumns.size() != columns.size()) {
            throw new IllegalArgumentException("the foreign key on " + table + " has " + columns.size()
                    + " columns but references " + referencedColumns.size());
        }
        if (name != null) {
            Identifier.checked(name, "constraint name");
        }
    }

    /** Starts a foreign key; complete it with {@link #to(String, String...)}. */
    public static ForeignKey from(String table, String... columns) {
        return new ForeignKey(table, List.of(columns), null, List.of(), null, Action.NO_ACTION, Action.NO_ACTION);
    }

    /** The referenced table and columns; no columns means its primary key. */
    public ForeignKey to(String table, String... columns) {
        return new ForeignKey(this.table, this.columns, table, List.of(columns), name, onDelete, onUpdate);
    }

    public ForeignKey named(String constraintName) {
        return new ForeignKey(table, columns, referencedTable, referencedColumns, constraintName, onDelete, onUpdate);
    }

    public ForeignKey onDelete(Action action) {
        return new ForeignKey(table, columns, referencedTable, referencedColumns, name, action, onUpdate);
    }

    public ForeignKey onUpdate(Action action) {
        return new ForeignKey(table, columns, referencedTable, referencedColumns, name, onDelete, action);
    }

    QualifiedName target() {
        return QualifiedName.parse(table, "table name");
    }

    QualifiedName referenced() {
        if (referencedTable == null) {
            throw new IllegalArgumentException("the foreign key on " + table + " has no referenced table; call to(table, columns)");
        }
        return QualifiedName.parse(referencedTable, "referenced table name");
    }

    /** The constraint name: the given one, or PostgreSQL's default. */
    String effectiveName() {
        String effective = name != null ? name
                : target().name() + "_" + String.join("_", columns) + "_fkey";
        return Identifier.checked(effective, name != null ? "constraint name"
                : "default constraint name (give the foreign key a name with named(...))");
    }

    String sql() {
        StringBuilder sql = new StringBuilder("ALTER TABLE ").append(target().sql()).append(" ADD CONSTRAINT ")
                .append(Identifier.quote(effectiveName(), "constraint name")).append(" FOREIGN KEY (").append(quoted(columns))
                .append(") REFERENCES ").append(referenced().sql());
        if (!referencedColumns.isEmpty()) {
            sql.append(" (").append(quoted(referencedColumns)).append(')');
        }
        if (onDelete != Action.NO_ACTION) {
            sql.append(" ON DELETE ").append(onDelete.sql);
        }
        if (onUpdate != Action.NO_ACTION) {
            sql.append(" ON UPDATE ").append(onUpdate.sql);
        }
        return sql.toString();
    }

    private static String quoted(List<String> names) {
        return names.stream().map(c -> Identifier.quote(c, "column name")).collect(Collectors.joining(", "));
    }
}

package dev.safeops;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An index for {@link SafeOps#createIndex} and {@link SafeOps#dropIndex(Index)}. Immutable: every
 * method returns a new value.
 *
 * <pre>{@code
 * Index.on("content", "user_id").named("idx_content_user_id")
 * Index.on("documents", "tags").using("gin")
 * Index.on("users", "email").unique().where("deleted_at IS NULL")
 * Index.on("orders", "customer_id").named("orders_customer_idx").concurrently()
 * }</pre>
 *
 * <p>Without {@link #named(String)} the name is PostgreSQL's own default, {@code table_col_idx}
 * ({@code table_col_key} for a unique index), so that running the operation twice finds the index
 * by name. A name over 63 bytes is refused rather than truncated.
 *
 * @param table     the table, {@code name} or {@code schema.name}
 * @param columns   the indexed columns, in order
 * @param name      the index name (created in the table's schema); {@code null} for the default name
 * @param isUnique  whether it is a unique index
 * @param method    the access method ({@code btree}, {@code gin}, …), or {@code null} for the default
 * @param predicate the WHERE clause of a partial index, as SQL, or {@code null}
 * @param isConcurrent whether it is built and dropped {@code CONCURRENTLY}, without blocking writes to
 *                  the table, outside any transaction (see {@link #concurrently()})
 */
public record Index(String table, List<String> columns, String name, boolean isUnique, String method, String predicate,
                    boolean isConcurrent) {

    public Index {
        QualifiedName.parse(table, "table name");
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("an index on " + table + " needs at least one column");
        }
        columns.forEach(c -> Identifier.checked(c, "column name"));
        if (name != null) {
            Identifier.checked(name, "index name");
        }
        if (method != null && !method.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("index method \"" + method + "\" is not a plain access method name");
        }
        if (predicate != null && predicate.isBlank()) {
            throw new IllegalArgumentException("the WHERE clause of an index must not be blank");
        }
    }

    /** An index built in the caller's transaction, as before {@link #concurrently()} existed. */
    public Index(String table, List<String> columns, String name, boolean isUnique, String method, String predicate) {
        this(table, columns, name, isUnique, method, predicate, false);
    }

    /** A plain btree index on the columns, named as PostgreSQL would name it. */
    public static Index on(String table, String... columns) {
        return new Index(table, List.of(columns), null, false, null, null, false);
    }

    public Index named(String indexName) {
        return new Index(table, columns, indexName, isUnique, method, predicate, isConcurrent);
    }

    public Index unique() {
        return new Index(table, columns, name, true, method, predicate, isConcurrent);
    }

    public Index using(String accessMethod) {
        return new Index(table, columns, name, isUnique, accessMethod.toLowerCase(Locale.ROOT), predicate, isConcurrent);
    }

    /** A partial index: only rows matching this SQL condition. */
    public Index where(String condition) {
        return new Index(table, columns, name, isUnique, method, condition, isConcurrent);
    }

    /**
     * Built with {@code CREATE INDEX CONCURRENTLY} and dropped with {@code DROP INDEX CONCURRENTLY}:
     * writes to the table go on meanwhile. PostgreSQL runs these only outside a transaction block,
     * so {@link SafeOps#createIndex} and {@link SafeOps#dropIndex(Index)} refuse it, before sending
     * anything, on a connection with autocommit off. An invalid index of the same name (left by a
     * failed concurrent build) is dropped and built again; invalid {@code _ccnew}/{@code _ccold}
     * leftovers of a failed {@code REINDEX CONCURRENTLY} of it are dropped first; a build that fails
     * drops the invalid index it left, so nothing half-built stays.
     */
    public Index concurrently() {
        return new Index(table, columns, name, isUnique, method, predicate, true);
    }

    /** The name the index gets: the given one, or PostgreSQL's default. */
    String effectiveName() {
        String effective = name != null ? name
                : QualifiedName.parse(table, "table name").name() + "_" + String.join("_", columns)
                        + (isUnique ? "_key" : "_idx");
        return Identifier.checked(effective, name != null ? "index name"
                : "default index name (give the index a name with named(...))");
    }

    String sql() {
        QualifiedName target = QualifiedName.parse(table, "table name");
        StringBuilder sql = new StringBuilder("CREATE ");
        if (isUnique) {
            sql.append("UNIQUE ");
        }
        sql.append(isConcurrent ? "INDEX CONCURRENTLY " : "INDEX ").append(Identifier.quote(effectiveName(), "index name")).append(" ON ").append(target.sql());
        if (method != null) {
            sql.append(" USING ").append(method);
        }
        sql.append(" (").append(columns.stream().map(c -> Identifier.quote(c, "column name"))
                .collect(Collectors.joining(", "))).append(')');
        if (predicate != null) {
            sql.append(" WHERE ").append(predicate);
        }
        return sql.toString();
    }

    /** The statement that drops it: an index lives in its table's schema. */
    String dropSql() {
        QualifiedName index = new QualifiedName(QualifiedName.parse(table, "table name").schema(), effectiveName());
        return (isConcurrent ? "DROP INDEX CONCURRENTLY " : "DROP INDEX ") + index.sql();
    }
}

package dev.safeops;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Catalog queries that confirm what a generic SQLSTATE cannot say on its own. Each returns one
 * boolean row and runs after the failed statement was rolled back to its savepoint.
 */
final class CatalogCheck {

    private CatalogCheck() {
    }

    /**
     * For 42P16 and 42809: a query that is true when the object the statement creates is already
     * there as the statement wants it, or empty when the statement is not one safe-ops recognises.
     */
    static Optional<String> alreadyThere(String sql) {
        StatementShape shape = StatementShape.of(sql);
        Optional<StatementShape.PrimaryKey> primaryKey = shape.addedPrimaryKey();
        if (primaryKey.isPresent()) {
            return Optional.of(primaryKeyExists(primaryKey.get()));
        }
        return shape.attachedPartition().map(CatalogCheck::partitionAttached);
    }

    /** True when the table has a primary key on exactly these columns, in this order. */
    static String primaryKeyExists(StatementShape.PrimaryKey key) {
        String columns = key.columns().stream().map(Literal::quote).collect(Collectors.joining(", "));
        return "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c"
                + " WHERE c.conrelid = pg_catalog.to_regclass(" + Literal.quote(key.table().sql()) + ")"
                + " AND c.contype = 'p'"
                + " AND ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(c.conkey) WITH ORDINALITY k(attnum, ord)"
                + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum"
                + " ORDER BY k.ord) = ARRAY[" + columns + "]::text[])";
    }

    /** True when the child is a partition of that parent. */
    static String partitionAttached(StatementShape.Partition partition) {
        return "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i"
                + " WHERE i.inhrelid = pg_catalog.to_regclass(" + Literal.quote(partition.child().sql()) + ")"
                + " AND i.inhparent = pg_catalog.to_regclass(" + Literal.quote(partition.parent().sql()) + "))";
    }

    /** True when at least one of the relations does not exist. */
    static String anyAbsent(List<QualifiedName> relations) {
        return "SELECT " + relations.stream()
                .map(r -> "pg_catalog.to_regclass(" + Literal.quote(r.sql()) + ") IS NULL")
                .collect(Collectors.joining(" OR "));
    }
}

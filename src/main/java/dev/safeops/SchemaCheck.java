package dev.safeops;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Looks up {@link Expectation expected schema objects} in the catalog: the read-only check that
 * answers "which expected tables and columns are missing" before or after a migration.
 *
 * <p>Guarantees: it runs only parameterised {@code SELECT}s on {@code pg_catalog}, so it changes
 * nothing and works on a read-only connection or standby; it never commits, rolls back or changes a
 * setting of the connection; names are compared exactly (see {@link Expectation}). An expectation
 * without a schema is met by an object in any schema of the connection's search path
 * ({@code current_schemas(false)}).
 */
public final class SchemaCheck {

    /** What the catalog says about an expected object. */
    public enum Presence {
        /** The object exists (for an index: at least one of that name, and it is valid). */
        PRESENT,
        /** No such object. */
        MISSING,
        /**
         * An index of that name exists but is invalid, as a failed {@code CREATE INDEX CONCURRENTLY}
         * leaves it: queries do not use it and a unique one enforces nothing, yet {@code IF NOT EXISTS}
         * keeps it. Drop it ({@code DROP INDEX CONCURRENTLY}) and create it again.
         */
        INVALID
    }

    /**
     * One object the catalog holds under the expected name (for a column: one column of a table, view or
     * materialized view of the expected name), in any schema: the object looked for, or one nearby that
     * explains why it is missing.
     *
     * @param schema       the object's schema
     * @param name         its name; for a column, the column's name; for a function, its name and argument
     *                     types, e.g. {@code touch(integer)}
     * @param onSearchPath whether its schema is on the connection's search path
     * @param kind         what it is, in words: {@code table}, {@code view}, {@code enum type},
     *                     {@code index}, {@code check constraint on users}, {@code procedure}, …;
     *                     for a column, the table's kind
     * @param wanted       whether it is of the expected kind (and, for a column, has the expected name),
     *                     whatever its schema
     * @param valid        {@code false} only for an index left invalid
     * @param type         a column's type as {@code format_type} writes it, e.g. {@code character varying(20)};
     *                     otherwise {@code null}
     * @param notNull      whether a column is {@code NOT NULL}; {@code null} for anything else
     * @param labels       an enum type's labels in their order; empty for anything else
     */
    public record Found(String schema, String name, boolean onSearchPath, String kind, boolean wanted, boolean valid,
                        String type, Boolean notNull, List<String> labels) {

        public Found {
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            labels = List.copyOf(labels);
        }
    }

    /**
     * What the catalog holds under an expectation's name, from one read.
     *
     * @param expectation what was looked for
     * @param found       every object under that name, in any schema, ordered by schema
     */
    public record Lookup(Expectation expectation, List<Found> found) {

        public Lookup {
            Objects.requireNonNull(expectation, "expectation");
            found = List.copyOf(found);
        }

        /** The objects that meet the expectation's kind, name and schema (some may be invalid indexes). */
        public List<Found> matching() {
            return found.stream().filter(f -> f.wanted() && inScope(f)).toList();
        }

        /** Whether the expected object exists (valid, for an index). */
        public Presence presence() {
            List<Found> matching = matching();
            if (matching.isEmpty()) {
                return Presence.MISSING;
            }
            return matching.stream().anyMatch(Found::valid) ? Presence.PRESENT : Presence.INVALID;
        }

        private boolean inScope(Found object) {
            return expectation.schema() == null ? object.onSearchPath() : object.schema().equals(expectation.schema());
        }
    }

    private SchemaCheck() {
    }

    /**
     * Whether the expected object exists on this connection's database.
     *
     * @throws SQLException if the catalog cannot be read, for example on an aborted transaction
     */
    public static Presence presence(Connection connection, Expectation expectation) throws SQLException {
        return lookup(connection, expectation).presence();
    }

    /**
     * Everything the catalog holds under the expected name, in every schema: the expected object and what is
     * near it (another schema, another kind of object, an invalid index, the table's other columns), for
     * messages that say why something is missing.
     *
     * @throws SQLException if the catalog cannot be read, for example on an aborted transaction
     */
    public static Lookup lookup(Connection connection, Expectation expectation) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(expectation, "expectation");
        List<Found> found = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(query(expectation.kind()))) {
            int parameter = 1;
            if (expectation.column() != null) {
                statement.setString(parameter++, expectation.column());
            }
            statement.setString(parameter, expectation.name());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Array labels = rows.getArray(9);
                    boolean notNull = rows.getBoolean(8);
                    found.add(new Found(rows.getString(1), rows.getString(2), rows.getBoolean(3), rows.getString(4),
                            rows.getBoolean(5), rows.getBoolean(6), rows.getString(7), rows.wasNull() ? null : notNull,
                            labels == null ? List.of() : List.of((String[]) labels.getArray())));
                }
            }
        }
        return new Lookup(expectation, found);
    }

    private static final String ON_SEARCH_PATH = "n.nspname = ANY (pg_catalog.current_schemas(false))";

    private static final String RELATION_KIND = "CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN"
            + " 'partitioned table' WHEN 'f' THEN 'foreign table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'"
            + " WHEN 'S' THEN 'sequence' WHEN 'i' THEN 'index' WHEN 'I' THEN 'partitioned index'"
            + " WHEN 'c' THEN 'composite type' ELSE 'relation' END";

    /**
     * Columns: schema, name, on search path, kind, wanted, valid, column type, not null, enum labels. Parameters:
     * the column's name for a column, then the object's name.
     */
    private static String query(Expectation.Kind kind) {
        String nothing = ", NULL::text, NULL::boolean, NULL::text[]";
        return switch (kind) {
            case TABLE -> "SELECT n.nspname, c.relname, " + ON_SEARCH_PATH + ", " + RELATION_KIND
                    + ", c.relkind IN ('r', 'p', 'f'), true" + nothing
                    + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relname = ? ORDER BY 1";
            case COLUMN -> "SELECT n.nspname, a.attname, " + ON_SEARCH_PATH + ", " + RELATION_KIND
                    + ", a.attname = ?, true, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,"
                    + " NULL::text[]"
                    + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid"
                    + " WHERE c.relname = ? AND c.relkind IN ('r', 'p', 'f', 'v', 'm')"
                    + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, a.attnum";
            case INDEX -> "SELECT n.nspname, c.relname, " + ON_SEARCH_PATH + ", " + RELATION_KIND
                    + ", c.relkind IN ('i', 'I'), coalesce(i.indisvalid, true)" + nothing
                    + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid"
                    + " WHERE c.relname = ? ORDER BY 1";
            case TYPE -> "SELECT n.nspname, t.typname, " + ON_SEARCH_PATH + ","
                    + " CASE WHEN t.typrelid <> 0 AND c.relkind <> 'c' THEN 'row type of a ' || " + RELATION_KIND
                    + " ELSE CASE t.typtype WHEN 'e' THEN 'enum type' WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range type'"
                    + " WHEN 'm' THEN 'multirange type' WHEN 'c' THEN 'composite type' WHEN 'p' THEN 'pseudo-type'"
                    + " ELSE 'base type' END END,"
                    + " t.typrelid = 0 OR c.relkind = 'c', true, NULL::text, NULL::boolean,"
                    + " CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e"
                    + " WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END"
                    + " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
                    + " LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid"
                    + " WHERE t.typname = ? ORDER BY 1";
            case CONSTRAINT -> "SELECT n.nspname, co.conname, " + ON_SEARCH_PATH + ","
                    + " CASE co.contype WHEN 'c' THEN 'check' WHEN 'f' THEN 'foreign key' WHEN 'p' THEN 'primary key'"
                    + " WHEN 'u' THEN 'unique' WHEN 't' THEN 'trigger' WHEN 'x' THEN 'exclusion' WHEN 'n' THEN 'not-null'"
                    + " ELSE 'other' END || ' constraint' || coalesce(' on ' || r.relname, ''), true, true" + nothing
                    + " FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_namespace n ON n.oid = co.connamespace"
                    + " LEFT JOIN pg_catalog.pg_class r ON r.oid = co.conrelid"
                    + " WHERE co.conname = ? ORDER BY 1";
            case FUNCTION -> "SELECT n.nspname,"
                    + " p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')', " + ON_SEARCH_PATH
                    + ", CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window function'"
                    + " ELSE 'function' END, true, true" + nothing
                    + " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                    + " WHERE p.proname = ? ORDER BY 1, 4";
        };
    }
}

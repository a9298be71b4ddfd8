package dev.safeops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

    private SchemaCheck() {
    }

    /**
     * Whether the expected object exists on this connection's database.
     *
     * @throws SQLException if the catalog cannot be read, for example on an aborted transaction
     */
    public static Presence presence(Connection connection, Expectation expectation) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        String sql = query(Objects.requireNonNull(expectation, "expectation"));
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int parameter = 1;
            statement.setString(parameter++, expectation.name());
            if (expectation.column() != null) {
                statement.setString(parameter++, expectation.column());
            }
            if (expectation.schema() != null) {
                statement.setString(parameter, expectation.schema());
            }
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Presence.MISSING;
                }
                return rows.getBoolean(1) ? Presence.PRESENT : Presence.INVALID;
            }
        }
    }

    /** One row whose boolean says whether the object is usable, or no row when there is no such object. */
    private static String query(Expectation expectation) {
        String select = switch (expectation.kind()) {
            case TABLE -> "SELECT true FROM pg_catalog.pg_class c"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relname = ? AND c.relkind IN ('r', 'p', 'f')";
            case COLUMN -> "SELECT true FROM pg_catalog.pg_class c"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid"
                    + " WHERE c.relname = ? AND c.relkind IN ('r', 'p', 'f', 'v', 'm')"
                    + " AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped";
            case INDEX -> "SELECT i.indisvalid FROM pg_catalog.pg_class c"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid"
                    + " WHERE c.relname = ? AND c.relkind IN ('i', 'I')";
            case TYPE -> "SELECT true FROM pg_catalog.pg_type t"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
                    + " LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid"
                    + " WHERE t.typname = ? AND (t.typrelid = 0 OR c.relkind = 'c')";
            case CONSTRAINT -> "SELECT true FROM pg_catalog.pg_constraint co"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = co.connamespace"
                    + " WHERE co.conname = ?";
            case FUNCTION -> "SELECT true FROM pg_catalog.pg_proc p"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                    + " WHERE p.proname = ?";
        };
        String schema = expectation.schema() == null
                ? " AND n.nspname = ANY (pg_catalog.current_schemas(false))"
                : " AND n.nspname = ?";
        // A valid one first: several objects of one name can be on the search path.
        return select + schema + " ORDER BY 1 DESC LIMIT 1";
    }
}

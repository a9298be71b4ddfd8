package dev.safeops;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads and resets the test database's schema from a connection of its own. */
public final class Schema {

    private Schema() {
    }

    /** Drops everything in public and runs the given DDL, committed. */
    public static void reset(TestDatabase db, String ddl) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
            statement.execute("DO $$ DECLARE s text; BEGIN FOR s IN SELECT nspname FROM pg_namespace "
                    + "WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\\_%' "
                    + "LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP; "
                    + "FOR s IN SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                    + "WHERE n.nspname = 'public' LOOP EXECUTE format('DROP TYPE IF EXISTS public.%I CASCADE', s); "
                    + "END LOOP; END $$");
            if (!ddl.isBlank()) {
                statement.execute(ddl);
            }
        }
    }

    public static List<String> columnsOf(TestDatabase db, String table) throws SQLException {
        return strings(db, "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                + "AND table_name = ? ORDER BY ordinal_position", table);
    }

    static List<String> indexes(TestDatabase db) throws SQLException {
        return strings(db, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1");
    }

    static List<String> tables(TestDatabase db) throws SQLException {
        return strings(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
    }

    static String tableComment(TestDatabase db, String table) throws SQLException {
        List<String> comments = strings(db, "SELECT obj_description(to_regclass(?), 'pg_class')", table);
        return comments.get(0);
    }

    /**
     * Every column, index, constraint, type and enum label of the public schema, one line each: two
     * equal snapshots mean an unchanged schema.
     */
    static List<String> snapshot(TestDatabase db) throws SQLException {
        return strings(db, """
                SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' '
                       || is_nullable || ' ' || coalesce(column_default, '')
                  FROM information_schema.columns WHERE table_schema = 'public'
                UNION ALL
                SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
                UNION ALL
                SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
                  FROM pg_constraint WHERE connamespace = 'public'::regnamespace
                UNION ALL
                SELECT 'enum ' || t.typname || ' ' || e.enumlabel || ' ' || e.enumsortorder
                  FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
                UNION ALL
                SELECT 'comment ' || c.relname || ' ' || d.description
                  FROM pg_description d JOIN pg_class c ON c.oid = d.objoid
                 WHERE c.relnamespace = 'public'::regnamespace
                ORDER BY 1
                """);
    }

    public static List<String> strings(TestDatabase db, String sql, String... parameters) throws SQLException {
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }
}

package dev.safeops.cli;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Looks at a test database from a connection of its own, as a second session after a run would. */
final class Catalog {

    private Catalog() {
    }

    static boolean relationExists(TestDatabase db, String relation) throws SQLException {
        return "t".equals(value(db, "SELECT to_regclass(?) IS NOT NULL", relation));
    }

    /** "t" or "f" for an existing index, {@code null} for none. */
    static String indexValid(TestDatabase db, String index) throws SQLException {
        return value(db, "SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass(?)", index);
    }

    static String columnType(TestDatabase db, String table, String column) throws SQLException {
        return value(db, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = to_regclass(?) AND attname = ? AND NOT attisdropped", table, column);
    }

    /** Runs set-up SQL, committed. */
    static void execute(TestDatabase db, String sql) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static String value(TestDatabase db, String sql, String... parameters) throws SQLException {
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }
}

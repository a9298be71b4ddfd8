package dev.safeops.jdbc;

import dev.safeops.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Resets and reads the test database through a plain connection of its own, never through a wrapper. */
final class Tables {

    private Tables() {
    }

    /** An empty public schema, then the DDL, committed. */
    static void reset(TestDatabase db, String ddl) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
            if (!ddl.isBlank()) {
                statement.execute(ddl);
            }
        }
    }

    static List<String> columnsOf(TestDatabase db, String table) throws SQLException {
        return strings(db, "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                + "AND table_name = ? ORDER BY ordinal_position", table);
    }

    static List<String> strings(TestDatabase db, String query, String... parameters) throws SQLException {
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(query)) {
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

    /** A SQL file of the safe-ops command's demo resources (incident 1). */
    static String incidentResource(String name) {
        try (InputStream in = Tables.class.getResourceAsStream("/dev/safeops/cli/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

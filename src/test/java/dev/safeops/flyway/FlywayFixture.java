package dev.safeops.flyway;

import dev.safeops.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

/** Incident 1 as Flyway migrations, and what the tests read back from their own connections. */
final class FlywayFixture {

    /** Production as in incident 1: the core tables, none of the optional modules' tables. */
    static final String CORE_TABLES = resource("/dev/safeops/cli/incident-1-schema.sql");

    /** Six statements on core tables, five on tables of modules that are not installed (lines 2, 4, 6, 8, 10). */
    static final String INCIDENT = resource("/dev/safeops/cli/incident-1.sql");

    private FlywayFixture() {
    }

    /** An empty public schema: no tables, no Flyway history. */
    static void emptySchema(TestDatabase db) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
        }
    }

    /** Writes SQL migrations into {@code directory}: name, text, name, text, … */
    static Path sqlMigrations(Path directory, String... namesAndTexts) throws IOException {
        for (int i = 0; i < namesAndTexts.length; i += 2) {
            Files.writeString(directory.resolve(namesAndTexts[i]), namesAndTexts[i + 1]);
        }
        return directory;
    }

    /** Flyway on the test database, with the SQL migrations of {@code directory}. */
    static FluentConfiguration flyway(TestDatabase db, Path directory) {
        return Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("filesystem:" + directory);
    }

    /**
     * Flyway's setting for migrations with {@code CREATE INDEX CONCURRENTLY}: its lock on the history
     * holds no transaction open, or the index build would wait for that transaction forever.
     */
    static FluentConfiguration withoutTransactionalLock(FluentConfiguration configuration) {
        configuration.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        return configuration;
    }

    static List<String> columnsOf(TestDatabase db, String table) throws SQLException {
        return strings(db, "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
                + " AND table_name = ? ORDER BY ordinal_position", table);
    }

    static List<String> indexes(TestDatabase db) throws SQLException {
        return strings(db, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1");
    }

    /** Flyway's history of schema {@code schema}, one line per row: what Flyway recorded, without timings. */
    static List<String> history(TestDatabase db, String schema) throws SQLException {
        return strings(db, "SELECT installed_rank || ' ' || coalesce(version, '-') || ' ' || description || ' ' || type"
                + " || ' ' || script || ' ' || coalesce(checksum::text, '-') || ' ' || success"
                + " FROM \"" + schema + "\".flyway_schema_history ORDER BY installed_rank");
    }

    static List<String> history(TestDatabase db) throws SQLException {
        return history(db, "public");
    }

    static List<String> strings(TestDatabase db, String sql, String... parameters) throws SQLException {
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

    private static String resource(String name) {
        try (InputStream in = FlywayFixture.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.safeops.flyway;

import dev.safeops.Schema;
import dev.safeops.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
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
        Schema.reset(db, "");
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

    /** Flyway's history of schema {@code schema}, one line per row: what Flyway recorded, without timings. */
    static List<String> history(TestDatabase db, String schema) throws SQLException {
        return Schema.strings(db, "SELECT installed_rank || ' ' || coalesce(version, '-') || ' ' || description || ' ' || type"
                + " || ' ' || script || ' ' || coalesce(checksum::text, '-') || ' ' || success"
                + " FROM \"" + schema + "\".flyway_schema_history ORDER BY installed_rank");
    }

    static List<String> history(TestDatabase db) throws SQLException {
        return history(db, "public");
    }

    private static String resource(String name) {
        try (InputStream in = FlywayFixture.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

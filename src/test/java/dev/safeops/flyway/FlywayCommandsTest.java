package dev.safeops.flyway;

import static dev.safeops.flyway.FlywayFixture.CORE_TABLES;
import static dev.safeops.flyway.FlywayFixture.flyway;
import static dev.safeops.flyway.FlywayFixture.history;
import static dev.safeops.flyway.FlywayFixture.sqlMigrations;
import static dev.safeops.flyway.FlywayFixture.withoutTransactionalLock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.safeops.Outcome;
import dev.safeops.Policy;
import dev.safeops.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.ValidateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flyway's own work — its history, SQL callbacks, baseline, validate, repair and info — is the same
 * with {@link SafeOpsCallback} as without: each scenario runs once in a schema of its own without
 * safe-ops and once with it, tolerating all it can, and the two must match.
 */
class FlywayCommandsTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    static final String CHANGES = """
            ALTER TABLE users ADD COLUMN password text;
            CREATE INDEX idx_content_user_id ON content (user_id);
            COMMENT ON TABLE users IS 'accounts';
            """;

    @TempDir
    Path migrations;

    private final List<String> guardedStatements = new ArrayList<>();

    @Test
    void historyIsWhatFlywayRecordsWithoutSafeOps() throws Exception {
        sqlMigrations(migrations, "V1__core_tables.sql", CORE_TABLES, "V2__changes.sql", CHANGES,
                "R__user_view.sql", "CREATE OR REPLACE VIEW user_ids AS SELECT id FROM users;");

        List<String> plain = bothWays("history", Function.identity(), (flyway, schema) -> {
            flyway.migrate();
            return history(db, schema);
        });

        assertThat(plain).hasSize(4).allMatch(row -> row.endsWith(" true"));
        assertThat(plain.get(0)).isEqualTo("0 - << Flyway Schema Creation >> SCHEMA \"<schema>\" - true");
    }

    @Test
    void onlyTheMigrationsOwnStatementsAreGuarded() throws Exception {
        sqlMigrations(migrations, "V1__core_tables.sql", CORE_TABLES, "V2__changes.sql", CHANGES);

        guarded("statements").load().migrate();

        assertThat(guardedStatements).containsExactly(
                "-- Production as in incident 1: the core tables, none of the optional modules' tables.\n"
                        + "CREATE TABLE users (id bigint PRIMARY KEY, email text)",
                "CREATE TABLE content (id bigint PRIMARY KEY, user_id bigint)",
                "CREATE TABLE community_posts (id bigint PRIMARY KEY)",
                "CREATE TABLE documents (id bigint PRIMARY KEY)",
                "ALTER TABLE users ADD COLUMN password text",
                "CREATE INDEX idx_content_user_id ON content (user_id)",
                "COMMENT ON TABLE users IS 'accounts'");
    }

    @Test
    void sqlCallbacksAreLeftToFlyway() throws Exception {
        sqlMigrations(migrations, "V1__core_tables.sql", CORE_TABLES,
                "beforeMigrate.sql", "ALTER TABLE pipeline_templates ADD COLUMN archived boolean;");

        List<String> plain = bothWays("callbacks", Function.identity(), (flyway, schema) -> {
            FlywayException failure = catchThrowableOfType(FlywayException.class, flyway::migrate);
            List<String> outcome = new ArrayList<>(List.of(failure.getMessage().contains("pipeline_templates") + ""));
            outcome.addAll(info(flyway));
            return outcome;
        });

        assertThat(plain).first().isEqualTo("true");
        assertThat(plain).anyMatch(line -> line.startsWith("1 core tables Pending"));
        assertThat(guardedStatements).isEmpty();
    }

    @Test
    void baselineOnMigrateIsWhatFlywayDoesWithoutSafeOps() throws Exception {
        sqlMigrations(migrations, "V1__core_tables.sql", CORE_TABLES, "V2__changes.sql", CHANGES);

        List<String> plain = bothWays("baseline", config -> config.baselineOnMigrate(true).baselineVersion("1"),
                (flyway, schema) -> {
                    flyway.migrate();
                    return history(db, schema);
                }, schema -> "CREATE TABLE " + schema + ".users (id bigint PRIMARY KEY, email text);"
                        + " CREATE TABLE " + schema + ".content (id bigint PRIMARY KEY, user_id bigint)");

        assertThat(plain).hasSize(2);
        assertThat(plain.get(0)).contains("BASELINE");
    }

    @Test
    void validateIsWhatFlywayDoesWithoutSafeOps() throws Exception {
        sqlMigrations(migrations, "V1__core_tables.sql", CORE_TABLES, "V2__changes.sql", CHANGES);

        List<String> plain = bothWays("validate", Function.identity(), (flyway, schema) -> {
            flyway.migrate();
            Files.writeString(migrations.resolve("V2__changes.sql"), CHANGES + "-- edited after it was applied\n");
            ValidateResult edited = flyway.validateWithResult();
            Files.writeString(migrations.resolve("V2__changes.sql"), CHANGES);
            ValidateResult unchanged = flyway.validateWithResult();
            return List.of(unchanged.validationSuccessful + " " + edited.validationSuccessful + " "
                    + edited.invalidMigrations.stream().map(m -> m.version + " " + m.errorDetails.errorCode)
                            .collect(Collectors.joining(", ")));
        });

        assertThat(plain).containsExactly("true false 2 CHECKSUM_MISMATCH");
    }

    @Test
    void repairAndInfoAreWhatFlywayDoesWithoutSafeOps() throws Exception {
        sqlMigrations(migrations, "V1__core_tables.sql", CORE_TABLES, "V2__index.sql",
                "CREATE INDEX CONCURRENTLY idx_typo ON content (user_id) WHER user_id > 0;");

        List<String> plain = bothWays("repair", FlywayFixture::withoutTransactionalLock, (flyway, schema) -> {
            catchThrowableOfType(FlywayException.class, flyway::migrate);
            List<String> states = new ArrayList<>(info(flyway));
            states.addAll(history(db, schema));
            flyway.repair();
            states.addAll(info(flyway));
            states.addAll(history(db, schema));
            return states;
        });

        assertThat(plain).anyMatch(line -> line.startsWith("2 index Failed"))
                .anyMatch(line -> line.startsWith("2 index Pending"));
    }

    /** Version, description, type, state and checksum of every migration Flyway knows. */
    private static List<String> info(Flyway flyway) {
        return Arrays.stream(flyway.info().all())
                .map(m -> m.getVersion() + " " + m.getDescription() + " " + m.getState().getDisplayName()
                        + " " + m.getType() + " " + m.getChecksum())
                .collect(Collectors.toList());
    }

    private interface Scenario {
        List<String> run(Flyway flyway, String schema) throws Exception;
    }

    private List<String> bothWays(String name, Function<FluentConfiguration, FluentConfiguration> settings,
                                  Scenario scenario) throws Exception {
        return bothWays(name, settings, scenario, schema -> null);
    }

    /** Runs the scenario without and with safe-ops, asserts both give the same, and returns it. */
    private List<String> bothWays(String name, Function<FluentConfiguration, FluentConfiguration> settings,
                                  Scenario scenario, Function<String, String> existingSchema) throws Exception {
        String plainSchema = "plain_" + name;
        String guardedSchema = "guarded_" + name;
        prepare(plainSchema, existingSchema.apply(plainSchema));
        prepare(guardedSchema, existingSchema.apply(guardedSchema));

        List<String> plain = scenario.run(settings.apply(flyway(db, migrations).schemas(plainSchema)).load(),
                plainSchema);
        List<String> guarded = scenario.run(settings.apply(guarded(guardedSchema)).load(), guardedSchema);

        assertThat(withoutName(guarded, guardedSchema)).isEqualTo(withoutName(plain, plainSchema));
        return withoutName(plain, plainSchema);
    }

    private static List<String> withoutName(List<String> lines, String schema) {
        return lines.stream().map(line -> line.replace(schema, "<schema>")).collect(Collectors.toList());
    }

    private void prepare(String schema, String ddl) throws SQLException {
        if (ddl == null) {
            return;
        }
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema + "; " + ddl);
        }
    }

    /** safe-ops with the widest policy there is: tolerating all it can must still leave Flyway's work alone. */
    private FluentConfiguration guarded(String schema) {
        return flyway(db, migrations).schemas(schema)
                .callbacks(new SafeOpsCallback(Policy.defaults(), (migration, report) ->
                        report.outcomes().stream().map(Outcome::sql).forEach(guardedStatements::add)));
    }
}

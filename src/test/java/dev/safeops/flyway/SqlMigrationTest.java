package dev.safeops.flyway;

import static dev.safeops.flyway.FlywayFixture.CORE_TABLES;
import static dev.safeops.flyway.FlywayFixture.INCIDENT;
import static dev.safeops.Schema.columnsOf;
import static dev.safeops.flyway.FlywayFixture.emptySchema;
import static dev.safeops.flyway.FlywayFixture.flyway;
import static dev.safeops.flyway.FlywayFixture.history;
import static dev.safeops.Schema.indexes;
import static dev.safeops.flyway.FlywayFixture.sqlMigrations;
import static dev.safeops.Schema.strings;
import static dev.safeops.flyway.FlywayFixture.withoutTransactionalLock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.CapturedLog;
import dev.safeops.Outcome;
import dev.safeops.Policy;
import dev.safeops.Report;
import dev.safeops.SafeOpsException;
import dev.safeops.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.ErrorDetails;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayBlockStatementExecutionException;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/** Flyway's plain SQL migrations, every statement guarded by {@link SafeOpsCallback}: incident 1 replayed. */
class SqlMigrationTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    static final Policy OPTIONAL_MODULES = Policy.defaults().withOptionalTables(
            "pipeline_*", "admin_*", "valuation_*", "deal_*");

    @TempDir
    Path migrations;

    private final Map<String, Report> reports = new LinkedHashMap<>();

    @BeforeEach
    void noSchemaYet() throws SQLException {
        emptySchema(db);
    }

    @Test
    void incidentOneSucceedsAndSkipsExactlyTheMissingModules() throws Exception {
        sqlMigrations(migrations, "V1__core_tables.sql", CORE_TABLES, "V2__incident_1.sql", INCIDENT);

        MigrateResult result = migrate();

        assertThat(result.success).isTrue();
        assertThat(history(db)).extracting(row -> row.endsWith(" true")).containsExactly(true, true);
        Report report = reports.get("V2__incident_1.sql");
        assertThat(report.applied()).isEqualTo(6);
        assertThat(report.skippedOutcomes()).extracting(Outcome::sqlState).containsOnly("42P01").hasSize(5);
        assertThat(report.skippedOutcomes()).extracting(Outcome::sql).containsExactly(
                "ALTER TABLE pipeline_templates ADD COLUMN archived boolean",
                "ALTER TABLE pipeline_template_stages ALTER COLUMN position TYPE bigint",
                "ALTER TABLE admin_audit_logs ADD COLUMN actor_id bigint",
                "ALTER TABLE valuation_export_logs DROP COLUMN legacy",
                "ALTER TABLE deal_matches ADD COLUMN score numeric");
    }

    @Test
    void incidentOneKeepsEveryAppliedChangeForOtherConnections() throws Exception {
        sqlMigrations(migrations, "V1__core_tables.sql", CORE_TABLES, "V2__incident_1.sql", INCIDENT);

        migrate();

        assertThat(columnsOf(db, "users")).contains("password");
        assertThat(columnsOf(db, "content")).contains("project_id");
        assertThat(columnsOf(db, "community_posts")).contains("pinned");
        assertThat(columnsOf(db, "documents")).contains("version");
        assertThat(indexes(db)).contains("idx_content_user_id");
        assertThat(strings(db, "SELECT obj_description('users'::regclass, 'pg_class')")).containsExactly("accounts");
    }

    @Test
    void skipsAreLoggedAtWarnAndEachMigrationsSummaryAtInfo() throws Exception {
        sqlMigrations(migrations, "V1__core_tables.sql", CORE_TABLES, "V2__incident_1.sql", INCIDENT);

        migrate();

        assertThat(log.messages(Level.WARN)).hasSize(5).allMatch(message -> message.contains("42P01"));
        assertThat(log.messages(Level.INFO, SafeOpsCallback.class)).satisfiesExactly(
                first -> assertThat(first).startsWith("safe-ops V1__core_tables.sql: 4 applied, 0 skipped"),
                second -> assertThat(second)
                        .startsWith("safe-ops V2__incident_1.sql: 6 applied, 5 skipped (42P01 undefined_table ×5)"));
    }

    @Test
    void statementAnotherCallbackBlocksIsNotRunBySafeOpsEither() throws Exception {
        sqlMigrations(migrations, "V1__core_tables.sql", CORE_TABLES, "V2__drop.sql", """
                ALTER TABLE users ADD COLUMN password text;
                DROP TABLE documents;
                """);
        Callback noDrops = new BaseCallback() {
            @Override
            public boolean supports(Event event, Context context) {
                return event == Event.BEFORE_EACH_MIGRATE_STATEMENT;
            }

            @Override
            public void handle(Event event, Context context) {
                if (context.getStatement().getSql().startsWith("DROP")) {
                    throw new FlywayBlockStatementExecutionException(
                            new ErrorDetails(CoreErrorCode.ERROR, "no drops"), "no drops");
                }
            }
        };

        flyway(db, migrations).callbacks(noDrops, new SafeOpsCallback(OPTIONAL_MODULES, (migration, report) ->
                reports.put(migration.getScript(), report))).load().migrate();

        assertThat(strings(db, "SELECT to_regclass('documents')::text")).containsExactly("documents");
        assertThat(reports.get("V2__drop.sql").outcomes()).extracting(Outcome::sql)
                .containsExactly("ALTER TABLE users ADD COLUMN password text");
    }

    @Test
    void withoutSafeOpsTheSameMigrationFailsOnTheFirstMissingTable() throws Exception {
        sqlMigrations(migrations, "V1__core_tables.sql", CORE_TABLES, "V2__incident_1.sql", INCIDENT);

        assertThatThrownBy(() -> flyway(db, migrations).load().migrate()).isInstanceOf(FlywayException.class)
                .hasMessageContaining("pipeline_templates");
        assertThat(columnsOf(db, "users")).doesNotContain("password");
    }

    @Test
    void nonToleratedErrorFailsTheMigrationAndKeepsNothingOfIt() throws Exception {
        sqlMigrations(migrations, "V1__core_tables.sql", CORE_TABLES,
                "V2__incident_1.sql", INCIDENT + "ALTER TABEL users ADD COLUMN typo int;\n");

        assertThatThrownBy(this::migrate).isInstanceOf(FlywayException.class)
                .hasMessageContaining("V2__incident_1.sql").hasMessageContaining("42601");
        assertThat(history(db)).hasSize(1).allMatch(row -> row.startsWith("1 1 core tables") && row.endsWith(" true"));
        assertThat(columnsOf(db, "users")).containsExactly("id", "email");
        assertThat(columnsOf(db, "documents")).containsExactly("id");
        assertThat(indexes(db)).doesNotContain("idx_content_user_id");
    }

    @Test
    void nonToleratedErrorCarriesItsSqlStateToTheCaller() throws Exception {
        sqlMigrations(migrations, "V1__core_tables.sql", CORE_TABLES,
                "V2__incident_1.sql", INCIDENT + "ALTER TABEL users ADD COLUMN typo int;\n");

        assertThatThrownBy(this::migrate).hasCauseInstanceOf(FlywayException.class)
                .extracting(this::safeOpsCause, InstanceOfAssertFactories.type(SafeOpsException.class))
                .satisfies(e -> assertThat(e.getSQLState()).isEqualTo("42601"))
                .satisfies(e -> assertThat(e.statement()).isEqualTo("ALTER TABEL users ADD COLUMN typo int"));
    }

    @Test
    void rerunAfterTheOptionalModuleAppearsAppliesEverything() throws Exception {
        sqlMigrations(migrations, "V1__core_tables.sql", CORE_TABLES, "V2__incident_1.sql", INCIDENT);
        migrate();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE pipeline_templates (id bigint PRIMARY KEY);"
                    + " CREATE TABLE pipeline_template_stages (id bigint PRIMARY KEY, position int)");
        }
        sqlMigrations(migrations, "V3__pipeline_module.sql", """
                ALTER TABLE pipeline_templates ADD COLUMN archived boolean;
                ALTER TABLE pipeline_template_stages ALTER COLUMN position TYPE bigint;
                CREATE INDEX idx_stages_position ON pipeline_template_stages (position);
                """);

        migrate();

        Report report = reports.get("V3__pipeline_module.sql");
        assertThat(report.applied()).isEqualTo(3);
        assertThat(report.skipped()).isZero();
        assertThat(columnsOf(db, "pipeline_templates")).contains("archived");
        assertThat(strings(db, "SELECT data_type FROM information_schema.columns"
                + " WHERE table_name = 'pipeline_template_stages' AND column_name = 'position'")).containsExactly("bigint");
        assertThat(history(db)).hasSize(3).allMatch(row -> row.endsWith(" true"));
    }

    @Test
    void copyFromStdinIsLeftToFlyway() throws Exception {
        sqlMigrations(migrations, "V1__load.sql", """
                CREATE TABLE countries (code text PRIMARY KEY, name text);
                COPY countries (code, name) FROM STDIN;
                fr\tFrance
                de\tGermany
                \\.
                ALTER TABLE admin_audit_logs ADD COLUMN actor_id bigint;
                """);

        migrate();

        assertThat(strings(db, "SELECT code FROM countries ORDER BY code")).containsExactly("de", "fr");
        assertThat(reports.get("V1__load.sql").outcomes()).extracting(Outcome::sql).containsExactly(
                "CREATE TABLE countries (code text PRIMARY KEY, name text)",
                "ALTER TABLE admin_audit_logs ADD COLUMN actor_id bigint");
    }

    @Test
    void nonTransactionalMigrationIsGuardedStatementByStatementInAutocommit() throws Exception {
        sqlMigrations(migrations, "V1__core_tables.sql", CORE_TABLES, "V2__concurrent_index.sql", """
                CREATE INDEX CONCURRENTLY idx_content_user_id ON content (user_id);
                ALTER TABLE admin_audit_logs ADD COLUMN actor_id bigint;
                CREATE INDEX CONCURRENTLY idx_deal_matches_score ON deal_matches (score);
                """);

        MigrateResult result = migrateNonTransactional();

        assertThat(result.success).isTrue();
        assertThat(indexes(db)).contains("idx_content_user_id");
        assertThat(reports.get("V2__concurrent_index.sql").skipped()).isEqualTo(2);
        assertThat(reports.get("V2__concurrent_index.sql").savepoints()).isZero();
        assertThat(history(db)).hasSize(2).allMatch(row -> row.endsWith(" true"));
    }

    @Test
    void failedNonTransactionalMigrationIsRecordedAsFailedAndKeepsWhatRanBefore() throws Exception {
        sqlMigrations(migrations, "V1__core_tables.sql", CORE_TABLES, "V2__concurrent_index.sql", """
                CREATE INDEX CONCURRENTLY idx_content_user_id ON content (user_id);
                CREATE INDEX CONCURRENTLY idx_typo ON content (user_idd);
                """);

        assertThatThrownBy(this::migrateNonTransactional).isInstanceOf(FlywayException.class).hasMessageContaining("42703");

        assertThat(history(db)).hasSize(2).last().asString().startsWith("2 2 concurrent index").endsWith(" false");
        assertThat(indexes(db)).contains("idx_content_user_id").doesNotContain("idx_typo");
    }

    @Test
    void mixedMigrationFollowsFlywaysRuleAndRunsOutsideATransaction() throws Exception {
        sqlMigrations(migrations, "V1__core_tables.sql", CORE_TABLES, "V2__mixed.sql", """
                ALTER TABLE users ADD COLUMN password text;
                CREATE INDEX CONCURRENTLY idx_content_user_id ON content (user_id);
                """);

        assertThatThrownBy(this::migrate).isInstanceOf(FlywayException.class).hasMessageContaining("mixed");

        assertThat(history(db)).hasSize(1);
        assertThat(columnsOf(db, "users")).doesNotContain("password");
    }

    private MigrateResult migrate() throws IOException {
        return migrate(flyway(db, migrations));
    }

    /** Flyway's settings for migrations where {@code CREATE INDEX CONCURRENTLY} sits beside other statements. */
    private MigrateResult migrateNonTransactional() throws IOException {
        return migrate(withoutTransactionalLock(flyway(db, migrations).mixed(true)));
    }

    private MigrateResult migrate(FluentConfiguration configuration) {
        return configuration
                .callbacks(new SafeOpsCallback(OPTIONAL_MODULES, (migration, report) ->
                        reports.put(migration.getScript(), report)))
                .load()
                .migrate();
    }

    private Throwable safeOpsCause(Throwable e) {
        Throwable cause = e;
        while (cause != null && !(cause instanceof SafeOpsException)) {
            cause = cause.getCause();
        }
        return cause;
    }
}

package dev.safeops.testing;

import static dev.safeops.testing.SchemaAssertions.assertThatSchema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.InvalidScriptException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class TestDatabaseTest {

    private static final AtomicInteger migrationRuns = new AtomicInteger();
    private static final Migration countedMigration = dataSource -> {
        migrationRuns.incrementAndGet();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE migrated (id int)");
        }
    };

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @RegisterExtension
    static final TestDatabase other = new TestDatabase();

    @RegisterExtension
    static final TestDatabase onPostgres14 = TestDatabase.on(TestPostgres.embedded(14));

    @RegisterExtension
    static final TestDatabase chosenMajor = new TestDatabase().withPostgres(15);

    @RegisterExtension
    static final TestDatabase withScripts = new TestDatabase()
            .withScripts(Path.of("src/test/resources/dev/safeops/testing/schema-assert.sql"));

    @RegisterExtension
    static final TestDatabase migrated = new TestDatabase().withMigration(countedMigration);

    @RegisterExtension
    static final TestDatabase migratedToo = new TestDatabase().withMigration(countedMigration);

    @Test
    void theDatabaseIsNamedAfterTheTestClass() throws SQLException {
        assertThat(db.name()).matches("safeops_testdatabasetest_[0-9]+");
        assertThat(queryString(db, "SELECT current_database()")).isEqualTo(db.name());
    }

    @Test
    void eachRegistrationGetsItsOwnDatabase() throws SQLException {
        assertThat(db.name()).isNotEqualTo(other.name());
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE only_in_db (id int)");
        }
        assertThat(queryString(other, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_db'"))
                .isEqualTo("0");
    }

    @Test
    void aNewDatabaseStartsWithNoTablesInPublic() throws SQLException {
        assertThat(queryString(other, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'public'")).isEqualTo("0");
    }

    @Test
    void connectGivesIndependentConnectionsInAutocommitMode() throws SQLException {
        try (Connection first = db.connect(); Connection second = db.connect()) {
            assertThat(first.getAutoCommit()).isTrue();
            assertThat(second.getAutoCommit()).isTrue();
            assertThat(backendPid(first)).isNotEqualTo(backendPid(second));

            first.setAutoCommit(false);
            try (Statement statement = first.createStatement()) {
                statement.execute("CREATE TABLE uncommitted (id int)");
            }
            assertThat(queryString(second, "SELECT count(*) FROM pg_tables WHERE tablename = 'uncommitted'"))
                    .isEqualTo("0");
            first.rollback();
        }
    }

    @Test
    void theJdbcUrlWorksWithTheDriverManagerAndTheGivenCredentials() throws SQLException {
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            assertThat(queryString(connection, "SELECT current_database()")).isEqualTo(db.name());
        }
    }

    @Test
    void theDataSourceConnectsToTheDatabase() throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            assertThat(queryString(connection, "SELECT current_database()")).isEqualTo(db.name());
        }
    }

    @Test
    void theReportedMajorVersionIsTheServers() throws SQLException {
        int serverVersionNum = Integer.parseInt(queryString(db, "SHOW server_version_num"));
        assertThat(db.majorVersion()).isEqualTo(serverVersionNum / 10_000).isEqualTo(TestPostgres.majorVersion());
    }

    @Test
    void aDatabaseOnAGivenEmbeddedServerLivesOnThatServer() throws SQLException {
        assertThat(onPostgres14.majorVersion()).isEqualTo(14);
        assertThat(queryString(onPostgres14, "SHOW server_version_num")).startsWith("14");
        assertThat(queryString(onPostgres14, "SELECT current_database()")).isEqualTo(onPostgres14.name());
    }

    @Test
    void aChosenMajorVersionGetsAServerOfThatVersion() throws SQLException {
        assertThat(chosenMajor.majorVersion()).isEqualTo(15);
        assertThat(queryString(chosenMajor, "SHOW server_version_num")).startsWith("15");
    }

    @Test
    void refusesAnUnsupportedMajorVersion() {
        assertThatThrownBy(() -> new TestDatabase().withPostgres(13))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PostgreSQL 13 is not supported; use one of 14 to 18");
    }

    @Test
    void appliesTheScriptsBeforeTheTests() throws SQLException {
        try (Connection connection = withScripts.connect()) {
            assertThatSchema(connection).hasTable("users").hasTable("archive.users_archive").hasEnumType("mood");
        }
    }

    @Test
    void runsAMigrationOnceForEveryDatabaseThatSharesIt() throws SQLException {
        assertThat(migrated.name()).isNotEqualTo(migratedToo.name());
        try (Connection first = migrated.connect(); Connection second = migratedToo.connect()) {
            assertThatSchema(first).hasTable("migrated");
            assertThatSchema(second).hasTable("migrated");
        }
        assertThat(migrationRuns).hasValue(1);
    }

    @Test
    void aFailingSetUpScriptNamesItsFileAndLine(@TempDir Path temp) throws IOException {
        Path script = Files.writeString(temp.resolve("broken.sql"), "CREATE TABLE fine (id int);\nCREATE TABEL broken (id int);\n");
        TestDatabase broken = new TestDatabase().withScripts(script);

        assertThatThrownBy(() -> broken.copyOfTemplate("broken"))
                .hasMessageContaining(script + ":2: CREATE TABEL broken (id int) failed with SQLSTATE 42601");
    }

    @Test
    void aSetUpScriptThatCannotBeReadIsNamed(@TempDir Path temp) {
        Path missing = temp.resolve("absent.sql");
        TestDatabase broken = new TestDatabase().withScripts(missing);

        assertThatThrownBy(() -> broken.copyOfTemplate("broken"))
                .isInstanceOf(InvalidScriptException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void usingTheDatabaseBeforeItExistsSaysHowToRegisterIt() {
        assertThatThrownBy(() -> new TestDatabase().connect())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The test database does not exist yet: register TestDatabase on a static field with"
                        + " @RegisterExtension, and use it from tests or @BeforeAll methods.");
    }

    private static long backendPid(Connection connection) throws SQLException {
        return Long.parseLong(queryString(connection, "SELECT pg_backend_pid()"));
    }

    private static String queryString(TestDatabase database, String sql) throws SQLException {
        try (Connection connection = database.connect()) {
            return queryString(connection, sql);
        }
    }

    private static String queryString(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).isTrue();
            return result.getString(1);
        }
    }
}

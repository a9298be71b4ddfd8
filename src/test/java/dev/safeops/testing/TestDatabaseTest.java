package dev.safeops.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TestDatabaseTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @RegisterExtension
    static final TestDatabase other = new TestDatabase();

    @RegisterExtension
    static final TestDatabase onPostgres14 = TestDatabase.on(TestPostgres.embedded(14));

    @Test
    void the_database_is_named_after_the_test_class() throws SQLException {
        assertThat(db.name()).matches("safeops_testdatabasetest_[0-9]+");
        assertThat(queryString(db, "SELECT current_database()")).isEqualTo(db.name());
    }

    @Test
    void each_registration_gets_its_own_database() throws SQLException {
        assertThat(db.name()).isNotEqualTo(other.name());
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE only_in_db (id int)");
        }
        assertThat(queryString(other, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_db'"))
                .isEqualTo("0");
    }

    @Test
    void a_new_database_starts_with_no_tables_in_public() throws SQLException {
        assertThat(queryString(other, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'public'")).isEqualTo("0");
    }

    @Test
    void connect_gives_independent_connections_in_autocommit_mode() throws SQLException {
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
    void the_jdbc_url_works_with_the_driver_manager_and_the_given_credentials() throws SQLException {
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            assertThat(queryString(connection, "SELECT current_database()")).isEqualTo(db.name());
        }
    }

    @Test
    void the_reported_major_version_is_the_server_s() throws SQLException {
        int serverVersionNum = Integer.parseInt(queryString(db, "SHOW server_version_num"));
        assertThat(db.majorVersion()).isEqualTo(serverVersionNum / 10_000).isEqualTo(TestPostgres.majorVersion());
    }

    @Test
    void a_database_on_a_given_embedded_server_lives_on_that_server() throws SQLException {
        assertThat(onPostgres14.majorVersion()).isEqualTo(14);
        assertThat(queryString(onPostgres14, "SHOW server_version_num")).startsWith("14");
        assertThat(queryString(onPostgres14, "SELECT current_database()")).isEqualTo(onPostgres14.name());
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

package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;
import org.postgresql.jdbc.AutoSave;

/**
 * pgjdbc's own savepoints ({@code autosave}) must not interfere with safe-ops' savepoints: with
 * {@code cleanupSavepoints=true} pgjdbc releases its savepoint after each query, which releases
 * every savepoint taken after it too.
 */
class AutosaveTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final Script SCRIPT = Script.parse("autosave.sql", """
            ALTER TABLE t ADD COLUMN a int;
            ALTER TABLE missing ADD COLUMN x int;
            ALTER TABLE t ADD COLUMN b int;
            ALTER TABLE also_missing ADD COLUMN y int;
            ALTER TABLE t ADD COLUMN c int;
            """);

    @BeforeEach
    void oneTable() throws SQLException {
        Schema.reset(db, "CREATE TABLE t (id int)");
    }

    @ParameterizedTest(name = "driver hidden behind a wrapper: {0}")
    @ValueSource(booleans = {false, true})
    void skipsAndAppliesAsUsualWithAutosaveAlwaysAndCleanupSavepoints(boolean hidden) throws SQLException {
        Connection pgjdbc = connect("always", "true");
        try (Connection connection = hidden ? HiddenDriver.hide(pgjdbc) : pgjdbc) {
            Report report = SafeOps.on(connection).run(SCRIPT);
            connection.commit();

            assertThat(report.applied()).isEqualTo(3);
            assertThat(report.skipped()).isEqualTo(2);
        }
        assertThat(Schema.columnsOf(db, "t")).containsExactly("id", "a", "b", "c");
    }

    @Test
    void leavesTheCallersAutosaveSettingAsItWas() throws SQLException {
        try (Connection connection = connect("always", "true")) {
            SafeOps.on(connection).run(SCRIPT);

            assertThat(connection.unwrap(PGConnection.class).getAutosave()).isEqualTo(AutoSave.ALWAYS);
            connection.rollback();
        }
    }

    private static Connection connect(String autosave, String cleanupSavepoints) throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("user", db.user());
        if (db.password() != null) {
            settings.setProperty("password", db.password());
        }
        settings.setProperty("autosave", autosave);
        settings.setProperty("cleanupSavepoints", cleanupSavepoints);
        Connection connection = DriverManager.getConnection(db.jdbcUrl(), settings);
        connection.setAutoCommit(false);
        return connection;
    }
}

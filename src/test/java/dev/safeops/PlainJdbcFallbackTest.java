package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A connection that does not reveal pgjdbc (another pool's wrapper, another driver) gets the same
 * guarantees, one statement per round trip.
 */
class PlainJdbcFallbackTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @BeforeEach
    void coreTables() throws SQLException {
        Schema.reset(db, "CREATE TABLE users (id int)");
    }

    @Test
    void skipsAMissingTableAndKeepsTheRestOnAConnectionThatHidesItsDriver() throws SQLException {
        try (Connection connection = opaque(db.connectInTransaction())) {
            Report report = SafeOps.on(connection).run(Script.parse("fallback.sql", """
                    ALTER TABLE users ADD COLUMN a int;
                    ALTER TABLE pipeline_templates ADD COLUMN b int;
                    ALTER TABLE users ADD COLUMN c int;
                    """));
            connection.commit();

            assertThat(report.applied()).isEqualTo(2);
            assertThat(report.skippedOutcomes()).extracting(Outcome::sqlState).containsExactly("42P01");
        }
        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "a", "c");
    }

    @Test
    void stillRefusesToContinueInAnAbortedTransaction() throws SQLException {
        try (Connection connection = opaque(db.connectInTransaction()); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("SELECT * FROM missing")).isInstanceOf(SQLException.class);

            assertThatThrownBy(() -> SafeOps.on(connection).execute("ALTER TABLE users ADD COLUMN a int"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.getSQLState()).isEqualTo("25P02"));
            connection.rollback();
        }
    }

    private static Connection opaque(Connection connection) {
        return HiddenDriver.hide(connection);
    }
}

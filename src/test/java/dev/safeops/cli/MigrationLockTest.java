package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.Schema;
import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Releasing the migration lock never commits what an unexpected error left open. */
class MigrationLockTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @Test
    void releasingTheLockRollsBackATransactionLeftOpen() throws SQLException {
        try (Connection connection = db.connect()) {
            MigrationLock lock = MigrationLock.acquire(connection, 42L, Duration.ofSeconds(5), message -> { });
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE half_applied (id int)");
            }

            lock.close();
        }

        assertThat(Schema.strings(db, "SELECT count(*) FROM pg_class WHERE relname = 'half_applied'"))
                .containsExactly("0");
    }
}

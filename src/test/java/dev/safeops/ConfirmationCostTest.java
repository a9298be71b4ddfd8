package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.bench.Database;
import dev.safeops.bench.LatencyProxy;
import dev.safeops.testing.TestDatabase;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Confirming every skip in the catalog changes neither what a drifted re-run applies and skips nor
 * its round trips: the confirmation travels with the statements that follow the failure.
 */
class ConfirmationCostTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static LatencyProxy proxy;
    private static Database database;

    @BeforeAll
    static void startProxy() throws IOException {
        database = Database.at(db.jdbcUrl(), db.user(), db.password());
        proxy = LatencyProxy.start(database.host(), database.port(), Duration.ofMillis(10));
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @Test
    void rerunningPagilaAppliesAndSkipsWhatItDidBeforeSkipsWereConfirmedAtOneRoundTripPerSkip() throws SQLException {
        Script pagila = Script.read(Pagila.schema());
        Schema.reset(db, "");
        try (Connection first = db.connectInTransaction()) {
            SafeOps.on(first).run(pagila);
            first.commit();
        }
        Report rerun;
        try (Connection connection = database.connectThrough(proxy)) {
            connection.setAutoCommit(false);
            proxy.reset();
            rerun = SafeOps.on(connection).run(pagila);
            connection.rollback();
        }

        assertThat(rerun.applied()).isEqualTo(119);
        assertThat(rerun.skipped()).isEqualTo(258);
        assertThat(proxy.roundTrips()).isLessThanOrEqualTo(258 + 1 + (377 + Guard.windowOperations(1) - 1)
                / Guard.windowOperations(1));
    }
}

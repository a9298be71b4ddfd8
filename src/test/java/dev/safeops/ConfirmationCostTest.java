package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Confirming every skip in the catalog changes neither what a drifted re-run applies and skips nor
 * its round trips: the confirmation travels with the statements that follow the failure.
 */
class ConfirmationCostTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @RegisterExtension
    static final ThroughProxy proxy = new ThroughProxy(db, ThroughProxy.EXACT_ROUND_TRIPS);

    @Test
    void rerunningPagilaAppliesAndSkipsWhatItDidBeforeSkipsWereConfirmedAtOneRoundTripPerSkip() throws SQLException {
        Script pagila = Script.read(Pagila.schema());
        Schema.reset(db, "");
        try (Connection first = db.connectInTransaction()) {
            SafeOps.on(first).run(pagila);
            first.commit();
        }
        Report rerun;
        try (Connection connection = proxy.connectInTransaction()) {
            rerun = SafeOps.on(connection).run(pagila);
            connection.rollback();
        }

        assertThat(rerun.applied()).isEqualTo(119);
        assertThat(rerun.skipped()).isEqualTo(258);
        assertThat(proxy.roundTrips()).isLessThanOrEqualTo(258 + 1 + (377 + Guard.windowOperations(1) - 1)
                / Guard.windowOperations(1));
    }
}

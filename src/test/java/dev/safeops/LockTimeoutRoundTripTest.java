package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Setting and restoring the timeouts around each statement costs no round trip of its own. */
class LockTimeoutRoundTripTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @RegisterExtension
    static final ThroughProxy proxy = new ThroughProxy(db, ThroughProxy.EXACT_ROUND_TRIPS);

    private static final Settings TIMED = Settings.defaults().withLockTimeout(Duration.ofSeconds(1))
            .withStatementTimeout(Duration.ofSeconds(30));

    @Test
    void aStatementWithItsTimeoutsCostsOneRoundTrip() throws SQLException {
        Schema.reset(db, "CREATE TABLE users (id bigint PRIMARY KEY)");
        try (Connection connection = proxy.connectInTransaction()) {
            Outcome outcome = SafeOps.on(connection, Policy.defaults(), TIMED).execute("ALTER TABLE users ADD COLUMN email text");

            assertThat(outcome.isApplied()).isTrue();
            assertThat(proxy.roundTrips()).isEqualTo(1);
        }
    }

    @Test
    void aLongScriptWithTimeoutsCostsOneRoundTripPerWindowOfFewerStatements() throws SQLException {
        Schema.reset(db, "");
        int statements = 200;
        int window = Guard.windowOperations(1, 1);
        String sql = IntStream.range(0, statements).mapToObj(i -> "CREATE TABLE t" + i + " (id int);")
                .collect(Collectors.joining("\n"));
        try (Connection connection = proxy.connectInTransaction()) {
            Report report = SafeOps.on(connection, Policy.defaults(), TIMED).run(Script.parse("long.sql", sql));

            assertThat(report.applied()).isEqualTo(statements);
            assertThat(window).isLessThan(Guard.windowOperations(1));
            assertThat(proxy.roundTrips()).isEqualTo((statements + window - 1) / window);
        }
    }
}

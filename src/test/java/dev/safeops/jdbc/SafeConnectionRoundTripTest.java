package dev.safeops.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.HiddenDriver;
import dev.safeops.Schema;
import dev.safeops.ThroughProxy;
import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What guarding costs a wrapped connection in round trips, counted by a {@link dev.safeops.bench.LatencyProxy} against
 * the same JDBC calls on the bare connection.
 */
class SafeConnectionRoundTripTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @RegisterExtension
    static final ThroughProxy proxy = new ThroughProxy(db, ThroughProxy.EXACT_ROUND_TRIPS);

    @BeforeEach
    void oneTable() throws SQLException {
        Schema.reset(db, "CREATE TABLE users (id bigserial PRIMARY KEY, email text)");
    }

    /** The JDBC code whose cost is compared: DDL, parameterised inserts, a batch and a query, in one transaction. */
    private static void migration(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (int i = 0; i < 5; i++) {
                statement.execute("ALTER TABLE users ADD COLUMN IF NOT EXISTS c" + i + " int");
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO users (email) VALUES (?)")) {
            for (int i = 0; i < 5; i++) {
                insert.setString(1, "user" + i + "@example.com");
                insert.executeUpdate();
            }
            insert.setString(1, "batched@example.com");
            insert.addBatch();
            insert.addBatch();
            insert.executeBatch();
        }
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM users")) {
            rows.next();
        }
        connection.rollback();
    }

    private static long roundTripsOf(Connection connection, SqlWork work) throws SQLException {
        try (connection) {
            connection.setAutoCommit(false);
            proxy.reset();
            work.run(connection);
            return proxy.roundTrips();
        }
    }

    private interface SqlWork {
        void run(Connection connection) throws SQLException;
    }

    @Test
    void aWrappedConnectionCostsNoRoundTripMoreThanTheBareOneWhenNothingFails() throws SQLException {
        long bare = roundTripsOf(proxy.connect(), SafeConnectionRoundTripTest::migration);
        long wrapped = roundTripsOf(SafeConnection.wrap(proxy.connect()),
                SafeConnectionRoundTripTest::migration);

        assertThat(bare).isEqualTo(13);
        assertThat(wrapped).isEqualTo(bare);
    }

    @Test
    void aSkippedStatementCostsTwoRoundTripsMoreToRollBackItsSavepointAndConfirmTheSkip() throws SQLException {
        long wrapped = roundTripsOf(SafeConnection.wrap(proxy.connect()),
                connection -> connection.createStatement().execute("ALTER TABLE pipeline_templates ADD COLUMN a int"));

        // the statement; the driver's rollback to its savepoint; the catalog confirming the table is absent
        assertThat(wrapped).isEqualTo(3);
    }

    @Test
    void aConnectionThatHidesItsDriverPaysASavepointAndAReleaseRoundTripPerStatement() throws SQLException {
        long wrapped = roundTripsOf(SafeConnection.wrap(HiddenDriver.hide(proxy.connect())),
                connection -> connection.createStatement().execute("ALTER TABLE users ADD COLUMN a int"));

        assertThat(wrapped).isEqualTo(3);
    }
}

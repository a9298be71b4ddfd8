package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The subtransactions the server holds for a connection's open transaction, as PostgreSQL 16 and
 * later report them ({@code pg_stat_get_backend_subxact}: up to 64, then "overflowed").
 */
final class Subtransactions {

    private final Integer count;
    private final boolean overflowed;

    private Subtransactions(Integer count, boolean overflowed) {
        this.count = count;
        this.overflowed = overflowed;
    }

    /** Asks within the connection's transaction, which must be open; unknown before PostgreSQL 16. */
    static Subtransactions of(Connection connection) throws SQLException {
        if (connection.getMetaData().getDatabaseMajorVersion() < 16) {
            return new Subtransactions(null, false);
        }
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("""
                SELECT s.subxact_count, s.subxact_overflowed
                  FROM pg_catalog.pg_stat_get_backend_idset() AS b(id)
                 CROSS JOIN LATERAL pg_catalog.pg_stat_get_backend_subxact(b.id) AS s
                 WHERE pg_catalog.pg_stat_get_backend_pid(b.id) = pg_catalog.pg_backend_pid()""")) {
            assertThat(rows.next()).as("the own backend's status").isTrue();
            return new Subtransactions(rows.getInt(1), rows.getBoolean(2));
        }
    }

    /** Asserts that the server holds at most {@code bound}; skipped where the server cannot tell. */
    void assertAtMost(long bound) {
        assumeTrue(count != null, "pg_stat_get_backend_subxact, which counts a backend's subtransactions, exists "
                + "from PostgreSQL 16 on");
        assertThat(overflowed).as("subtransaction cache overflowed").isFalse();
        assertThat((long) count).as("subtransactions the server holds").isLessThanOrEqualTo(bound);
    }
}

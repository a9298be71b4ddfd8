package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What safe-ops sends grows with the script, not with the number of skips times its size: a skip
 * makes it resend the rest of one bounded window, never a statement already applied.
 */
class BytesSentTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    /** 83 statements on tables that do not exist, then one 5 MB INSERT. */
    private static final String SCRIPT = IntStream.range(0, 83)
            .mapToObj(i -> "ALTER TABLE missing_" + i + " ADD COLUMN c int;\n").collect(Collectors.joining())
            + "INSERT INTO big (v) VALUES ('" + "x".repeat(5 << 20) + "');\n";

    @RegisterExtension
    static final ThroughProxy proxy = new ThroughProxy(db);

    @BeforeEach
    void oneTable() throws SQLException {
        Schema.reset(db, "CREATE TABLE big (v text)");
    }

    @Test
    void aLargeStatementAfterManySkipsIsSentOnce() throws SQLException {
        Report report = run(SafeOps::on);

        assertThat(report.skipped()).isEqualTo(83);
        assertThat(report.applied()).isEqualTo(1);
        assertThat(proxy.bytesSent()).isLessThan(2 * scriptBytes());
    }

    @Test
    void aLargeStatementAfterManySkipsIsSentOnceWhenStatementsShareASavepoint() throws SQLException {
        Report report = run(connection -> SafeOps.on(connection, Policy.defaults(),
                Settings.defaults().withOperationsPerSavepoint(16)));

        assertThat(report.skipped()).isEqualTo(83);
        assertThat(proxy.bytesSent()).isLessThan(2 * scriptBytes());
    }

    private interface Session {
        SafeOps on(Connection connection);
    }

    private static Report run(Session session) throws SQLException {
        try (Connection connection = proxy.connectInTransaction(Map.of())) {
            Report report = session.on(connection).run(Script.parse("skips-then-large.sql", SCRIPT));
            connection.commit();
            return report;
        }
    }

    private static long scriptBytes() {
        return SCRIPT.getBytes(StandardCharsets.UTF_8).length;
    }
}

package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A window whose early statement floods the client with output while a later statement of the same
 * window is large must finish, not leave client and server each waiting for the other to read.
 * Each run is bounded: if it does not end in time, its backend is terminated (which releases the
 * blocked client) and the test fails.
 */
class PipelineDeadlockTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final long LIMIT_SECONDS = 30;
    /** About 8 MB of notices, more than any socket buffer holds. */
    private static final String NOTICE_FLOOD =
            "DO $$ BEGIN FOR i IN 1..40000 LOOP RAISE NOTICE '%', repeat('n', 200); END LOOP; END $$";
    /** About 8 MB of rows from a statement whose first token is a parenthesis. */
    private static final String ROWS_IN_PARENTHESES = "(SELECT repeat('r', 200) FROM generate_series(1, 40000))";

    private static final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "pipeline-deadlock-test");
        thread.setDaemon(true);
        return thread;
    });

    @BeforeEach
    void oneTableAndANoisyProcedure() throws SQLException {
        Schema.reset(db, "CREATE TABLE big (v text); CREATE PROCEDURE noisy() LANGUAGE plpgsql AS $$ BEGIN "
                + "FOR i IN 1..40000 LOOP RAISE NOTICE '%', repeat('c', 200); END LOOP; END $$");
    }

    @AfterAll
    static void stopRunner() {
        runner.shutdownNow();
    }

    @Test
    void aNoticeFloodFollowedByAMultiMegabyteStatementInOneWindowFinishes() throws Exception {
        Report report = runBounded(Script.parse("flood.sql", NOTICE_FLOOD + ";\n" + largeInsert() + ";"));

        assertThat(report.applied()).isEqualTo(2);
        assertThat(rowsInBig()).isEqualTo(1);
    }

    @Test
    void rowsFromAParenthesisedSelectFollowedByAMultiMegabyteStatementInOneWindowFinishes() throws Exception {
        Report report = runBounded(Script.parse("rows.sql", ROWS_IN_PARENTHESES + ";\n" + largeInsert() + ";"));

        assertThat(report.applied()).isEqualTo(2);
        assertThat(rowsInBig()).isEqualTo(1);
    }

    @Test
    void aNoisyProcedureCallFollowedByAMultiMegabyteStatementInOneWindowFinishes() throws Exception {
        Report report = runBounded(Script.parse("call.sql", "CALL noisy();\n" + largeInsert() + ";"));

        assertThat(report.applied()).isEqualTo(2);
        assertThat(rowsInBig()).isEqualTo(1);
    }

    private static String largeInsert() {
        return "INSERT INTO big (v) VALUES ('" + "x".repeat(4 << 20) + "')";
    }

    /** Runs the script in a transaction and commits; terminates the session if it takes too long. */
    private static Report runBounded(Script script) throws Exception {
        Connection connection = db.connectInTransaction();
        int pid;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            pid = rows.getInt(1);
        }
        Future<Report> run = runner.submit(() -> {
            try (connection) {
                Report report = SafeOps.on(connection).run(script);
                connection.commit();
                return report;
            }
        });
        try {
            return run.get(LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            try (Connection admin = db.connect(); Statement kill = admin.createStatement()) {
                kill.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
            run.cancel(true);
            return fail("the script did not finish within " + LIMIT_SECONDS + " s: client and server deadlocked");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static int rowsInBig() throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM big")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}

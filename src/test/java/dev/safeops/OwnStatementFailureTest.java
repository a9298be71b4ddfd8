package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * safe-ops' own SAVEPOINT and RELEASE can fail too: a statement timeout can expire on them, the
 * server can end the session while they run. The exception then says what the transaction really
 * is — aborted, or gone with its connection — never that it is still usable.
 *
 * <p>Each test makes the failure land exactly there, with nothing faked: a {@link HoldingProxy}
 * delivers the client's messages up to the Parse of safe-ops' own statement and holds the rest, so
 * the server sits inside that statement (between its Parse and its Bind) while the test lets the
 * session's statement timeout expire or terminates the backend; then the rest goes through.
 */
class OwnStatementFailureTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @RegisterExtension
    static final HoldingProxy proxy = new HoldingProxy(db);

    /**
     * The session's statement timeout. It runs from the Parse of each statement to the end of its
     * Execute, so the held statement is the only one that can outlast it.
     */
    private static final Duration STATEMENT_TIMEOUT = Duration.ofMillis(500);
    private static final String STATEMENT = "ALTER TABLE t ADD COLUMN a int";
    private static final Script SCRIPT = Script.parse("own.sql", STATEMENT + ";\n");
    private static final long WAIT_SECONDS = 30;

    /** The kinds of connection that take different paths to the server. */
    enum Kind {
        PIPELINED_PGJDBC, DRIVER_HIDDEN_BEHIND_A_WRAPPER
    }

    @BeforeEach
    void oneTable() throws SQLException {
        Schema.reset(db, "CREATE TABLE t (id int)");
    }

    static Stream<Arguments> ownStatementsOnEveryKindOfConnection() {
        return Stream.of(Kind.values())
                .flatMap(kind -> Stream.of(Guard.SAVEPOINT, Guard.RELEASE).map(own -> Arguments.of(kind, own)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("ownStatementsOnEveryKindOfConnection")
    void aStatementTimeoutOnSafeOpsOwnStatementIsReportedAsAnAbortedTransaction(Kind kind, String own)
            throws Exception {
        try (Connection connection = inTransaction(kind)) {
            int pid = backendPid(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET statement_timeout = " + STATEMENT_TIMEOUT.toMillis());
            }
            SafeOps ops = SafeOps.on(connection);

            SafeOpsException e = runHeldInside(own, ops, pid, () -> sleepOnTheServer(STATEMENT_TIMEOUT.plusMillis(100)));
            assertThat(e.kind()).isEqualTo(SafeOpsException.Kind.GUARD_FAILED);
            assertThat(e.getSQLState()).isEqualTo("57014");
            assertNotUsableAndBlamesTheStatement(e, ops);
            assertThatThrownBy(() -> connection.createStatement().execute("SELECT 1"))
                    .isInstanceOfSatisfying(SQLException.class, aborted -> assertThat(aborted.getSQLState())
                            .as("the transaction is aborted, as reported").isEqualTo("25P02"));
            connection.rollback();
        }
        assertThat(Schema.columnsOf(db, "t")).containsExactly("id");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("ownStatementsOnEveryKindOfConnection")
    void theServerEndingTheSessionDuringSafeOpsOwnStatementIsReportedAsALostConnection(Kind kind, String own)
            throws Exception {
        try (Connection connection = inTransaction(kind)) {
            int pid = backendPid(connection);
            SafeOps ops = SafeOps.on(connection);

            SafeOpsException e = runHeldInside(own, ops, pid, () -> terminate(pid));
            assertThat(e.kind()).isEqualTo(SafeOpsException.Kind.CONNECTION_LOST);
            assertThat(e.getSQLState()).isEqualTo("57P01");
            assertNotUsableAndBlamesTheStatement(e, ops);
            assertThat(connection.isClosed()).as("the connection is closed, as reported").isTrue();
        }
        assertThat(Schema.columnsOf(db, "t")).containsExactly("id");
    }

    @Test
    void theServerEndingTheSessionDuringTheForecastOfALongScriptBlamesNoStatementOfIt() throws Exception {
        StringBuilder script = new StringBuilder();
        for (int column = 0; column < 300; column++) {
            script.append("ALTER TABLE t ADD COLUMN c").append(column).append(" int;\n");
        }
        try (Connection connection = inTransaction(Kind.PIPELINED_PGJDBC)) {
            int pid = backendPid(connection);
            SafeOps ops = SafeOps.on(connection);

            proxy.holdAfter(Forecast.SAVEPOINT, 1);
            FutureTask<SafeOpsException> run = runInBackground(ops, Script.parse("long.sql", script.toString()));
            proxy.awaitHeld();
            awaitParsed(pid, Forecast.SAVEPOINT);
            terminate(pid);
            proxy.release();
            SafeOpsException e = run.get(WAIT_SECONDS, TimeUnit.SECONDS);

            // The forecast goes out ahead of the first window: not one statement of the script had been sent.
            assertThat(e.kind()).isEqualTo(SafeOpsException.Kind.CONNECTION_LOST);
            assertThat(e.getSQLState()).isEqualTo("57P01");
            assertThat(e.transactionUsable()).isFalse();
            assertThat(e.statement()).isNull();
            assertThat(e.reason()).contains("forecast").doesNotContain("not tolerated")
                    .doesNotContain("had run");
            assertThat(ops.report().outcomes()).isEmpty();
        }
        assertThat(Schema.columnsOf(db, "t")).containsExactly("id");
    }

    /** Not usable, the statement its own SAVEPOINT or RELEASE guarded blamed, nothing recorded as applied. */
    private static void assertNotUsableAndBlamesTheStatement(SafeOpsException e, SafeOps ops) {
        assertThat(e.transactionUsable()).isFalse();
        assertThat(e.getMessage()).doesNotContain("still open");
        assertThat(e.statement()).isEqualTo(STATEMENT);
        assertThat(e.location()).isEqualTo(new Location("own.sql", 1));
        assertThat(ops.report().outcomes()).isEmpty();
    }

    /** A connection of that kind through the proxy, autocommit off. */
    private static Connection inTransaction(Kind kind) throws SQLException {
        Connection connection = proxy.connectInTransaction(Map.of());
        return kind == Kind.DRIVER_HIDDEN_BEHIND_A_WRAPPER ? HiddenDriver.hide(connection) : connection;
    }

    /**
     * Runs the script with the client's messages held right after the Parse of {@code own}, does
     * {@code meanwhile} once the server waits inside that statement, lets the rest through, and
     * returns the script's failure.
     */
    private static SafeOpsException runHeldInside(String own, SafeOps ops, int pid, ServerAction meanwhile)
            throws Exception {
        proxy.holdAfter(own, 1);
        FutureTask<SafeOpsException> run = runInBackground(ops);
        proxy.awaitHeld();
        awaitParsed(pid, own);
        meanwhile.run();
        proxy.release();
        return run.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Something done to the server while the client is held. */
    private interface ServerAction {
        void run() throws SQLException;
    }

    /** Runs the script on another thread, since it waits for the held messages; yields its failure. */
    private static FutureTask<SafeOpsException> runInBackground(SafeOps ops) {
        return runInBackground(ops, SCRIPT);
    }

    private static FutureTask<SafeOpsException> runInBackground(SafeOps ops, Script script) {
        FutureTask<SafeOpsException> run = new FutureTask<>(() -> {
            try {
                ops.run(script);
            } catch (SafeOpsException e) {
                return e;
            }
            throw new AssertionError("the script ran without failing: " + ops.report());
        });
        Thread thread = new Thread(run, "safe-ops-run");
        thread.setDaemon(true);
        thread.start();
        return run;
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /**
     * Waits until the server has processed the held statement's Parse and waits for its next
     * message: from then on the statement's timeout runs (it is armed while the Parse is processed).
     */
    private static void awaitParsed(int pid, String sql) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        try (Connection observer = db.connect(); PreparedStatement query = observer.prepareStatement(
                "SELECT 1 FROM pg_stat_activity WHERE pid = ? AND query = ? AND wait_event = 'ClientRead'")) {
            query.setInt(1, pid);
            query.setString(2, sql);
            while (true) {
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the server never waited inside " + sql);
                }
                TimeUnit.MILLISECONDS.sleep(10);
            }
        }
    }

    /** Waits on the server's own clock, which the statement timeout runs on. */
    private static void sleepOnTheServer(Duration duration) throws SQLException {
        try (Connection observer = db.connect(); PreparedStatement sleep = observer.prepareStatement("SELECT pg_sleep(?)")) {
            sleep.setDouble(1, duration.toMillis() / 1000.0);
            sleep.execute();
        }
    }

    /** Ends the backend as an administrator would, and waits until it is gone. */
    private static void terminate(int pid) throws SQLException {
        try (Connection admin = db.connect();
             PreparedStatement terminate = admin.prepareStatement("SELECT pg_terminate_backend(?, ?)")) {
            terminate.setInt(1, pid);
            terminate.setLong(2, TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            try (ResultSet rows = terminate.executeQuery()) {
                rows.next();
                assertThat(rows.getBoolean(1)).as("backend %d terminated", pid).isTrue();
            }
        }
    }
}

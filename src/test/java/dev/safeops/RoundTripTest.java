package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.bench.Workload;
import dev.safeops.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What safe-ops costs in round trips, counted by a {@link dev.safeops.bench.LatencyProxy} (never timed), and that
 * pipelining changes the cost but not the result.
 */
class RoundTripTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final String MISSING_TABLE_STATEMENT = "ALTER TABLE safe_ops_bench.absent ADD COLUMN note text";
    @RegisterExtension
    static final ThroughProxy proxy = new ThroughProxy(db, ThroughProxy.EXACT_ROUND_TRIPS);

    @Test
    void aSucceedingExecuteInATransactionCostsOneRoundTrip() throws SQLException {
        Schema.reset(db, "CREATE TABLE users (id bigint PRIMARY KEY)");
        try (Connection connection = proxy.connectInTransaction()) {
            Outcome outcome = SafeOps.on(connection).execute("ALTER TABLE users ADD COLUMN email text");

            assertThat(outcome.isApplied()).isTrue();
            assertThat(proxy.roundTrips()).isEqualTo(1);
        }
    }

    @Test
    void anExecuteSkippedForAMissingTableCostsTwoRoundTrips() throws SQLException {
        Schema.reset(db, "");
        try (Connection connection = proxy.connectInTransaction()) {
            Outcome outcome = SafeOps.on(connection).execute("ALTER TABLE users ADD COLUMN email text");

            assertThat(outcome.sqlState()).isEqualTo("42P01");
            assertThat(proxy.roundTrips()).isEqualTo(2);
        }
    }

    @Test
    void anExecuteSkippedAfterACatalogConfirmationCostsAtMostTwoRoundTrips() throws SQLException {
        Schema.reset(db, "CREATE TABLE users (id bigint PRIMARY KEY)");
        try (Connection connection = proxy.connectInTransaction()) {
            Outcome outcome = SafeOps.on(connection).execute("ALTER TABLE users ADD PRIMARY KEY (id)");

            assertThat(outcome.sqlState()).isEqualTo("42P16");
            assertThat(proxy.roundTrips()).isLessThanOrEqualTo(2);
        }
    }



    @ParameterizedTest(name = "statement {0} of 300 on a missing table")
    @ValueSource(ints = {0, 84, 85, 170, 255, 256, 299})
    void aScriptWithOneSkipAnywhereCostsNoRoundTripMoreThanTheWindows(int failing) throws SQLException {
        Workload workload = Workload.of(100, 0);
        prepare(workload);
        List<String> statements = new ArrayList<>(workload.statements());
        statements.set(failing, MISSING_TABLE_STATEMENT);
        try (Connection connection = proxy.connectInTransaction()) {
            Report report = SafeOps.on(connection).run(Script.parse("one-skip.sql", String.join(";\n", statements)));

            assertThat(report.skippedOutcomes()).extracting(Outcome::sql).containsExactly(MISSING_TABLE_STATEMENT);
            // Two windows and the round trip that settles the first failure (and forecasts the rest), and the
            // release of the last window's savepoint when a skip was expected in it.
            assertThat(proxy.roundTrips()).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void aDriftedRerunOfPagilaCostsAtMostTenRoundTripsAndKeepsAtMost64Subtransactions() throws SQLException {
        Script pagila = pagila();
        Schema.reset(db, "");
        try (Connection first = db.connectInTransaction()) {
            SafeOps.on(first).run(pagila);
            first.commit();
        }
        try (Connection connection = proxy.connectInTransaction()) {
            Report rerun = SafeOps.on(connection).run(pagila);
            long roundTrips = proxy.roundTrips();
            Subtransactions server = Subtransactions.of(connection);
            connection.rollback();

            assertThat(rerun.skipped()).isEqualTo(258);
            assertThat(roundTrips).isLessThanOrEqualTo(10);
            assertThat(rerun.subtransactions()).isLessThanOrEqualTo(64);
            server.assertAtMost(rerun.subtransactions());
        }
    }

    @ParameterizedTest(name = "{0} statements: {1} round trips")
    @CsvSource({"300, 3, 2", "180, 1, 1"})
    void anErrorFreeScriptIsForecastFirstOnlyWhenItSpansWindows(int statements, int roundTrips, int subtransactions)
            throws SQLException {
        // 300 statements: the forecast and two windows; 180 fit in one window, forecast only if one fails.
        Workload workload = Workload.of(statements / 3, 0);
        prepare(workload);
        try (Connection connection = proxy.connectInTransaction()) {
            Report report = SafeOps.on(connection).run(workload.script());

            assertThat(report.applied()).isEqualTo(statements);
            assertThat(proxy.roundTrips()).isEqualTo(roundTrips);
            assertThat(report.subtransactions()).isEqualTo(subtransactions);
        }
    }

    @ParameterizedTest(name = "{0}% of the tables missing: {1} round trips")
    @CsvSource({"10, 4", "50, 7", "100, 10"})
    void skipsCostNoRoundTripOfTheirOwn(int missingPercent, int roundTrips) throws SQLException {
        Workload workload = Workload.of(100, missingPercent);
        prepare(workload);
        try (Connection connection = proxy.connectInTransaction()) {
            Report report = SafeOps.on(connection).run(workload.script());
            long counted = proxy.roundTrips();
            Subtransactions server = Subtransactions.of(connection);

            assertThat(report.skipped()).isEqualTo(workload.statementsOnMissingTables());
            // The forecast, asked first since the script takes more than one window, a window per 252 queries
            // (a statement expected to apply is one, a skip six), and the release of the last window's savepoint.
            assertThat(counted).isEqualTo(roundTrips);
            assertThat(report.subtransactions()).isLessThan(roundTrips);
            server.assertAtMost(report.subtransactions());
        }
    }

    @Test
    void aScriptCreatingWhatItAltersIsNotExpectedToSkipAndKeepsOneSubtransaction() throws SQLException {
        Schema.reset(db, "");
        Script script = Script.parse("created-earlier.sql", """
                CREATE TABLE later (id int);
                ALTER TABLE later ADD COLUMN note text;
                """);
        try (Connection connection = proxy.connectInTransaction()) {
            Report report = SafeOps.on(connection).run(script);

            assertThat(report.applied()).isEqualTo(2);
            assertThat(proxy.roundTrips()).isEqualTo(1);
            assertThat(report.subtransactions()).isEqualTo(1);
        }
    }

    @Test
    void aStatementExpectedToBeSkippedThatAppliesKeepsOneSubtransactionMoreAndNoRoundTrip() throws SQLException {
        Schema.reset(db, "");
        // The first skip has the rest forecast; the forecast cannot see into the DO block, so it expects the
        // ALTER to be skipped.
        Script script = Script.parse("created-unseen.sql", """
                ALTER TABLE absent ADD COLUMN x int;
                DO $$ BEGIN CREATE TABLE later (id int); END $$;
                ALTER TABLE later ADD COLUMN note text;
                """);
        try (Connection connection = proxy.connectInTransaction()) {
            Report report = SafeOps.on(connection).run(script);
            long roundTrips = proxy.roundTrips();
            Subtransactions server = Subtransactions.of(connection);
            connection.commit();

            assertThat(report.applied()).isEqualTo(2);
            assertThat(report.skipped()).isEqualTo(1);
            // the window, the round trip that settles the skip and forecasts, the rest, and its release
            assertThat(roundTrips).isEqualTo(4);
            assertThat(report.subtransactions()).isEqualTo(2);
            server.assertAtMost(2);
        }
        assertThat(Schema.columnsOf(db, "later")).containsExactly("id", "note");
    }

    @Test
    void aStatementExpectedToApplyThatFailsToleratedCostsOneRoundTripAndKeepsWhatRanBeforeIt() throws SQLException {
        Schema.reset(db, "");
        Script script = Script.parse("twice.sql", """
                CREATE TABLE twice (id int);
                CREATE TABLE twice (id int);
                ALTER TABLE twice ADD COLUMN note text;
                """);
        try (Connection connection = proxy.connectInTransaction()) {
            Report report = SafeOps.on(connection).run(script);
            long roundTrips = proxy.roundTrips();
            connection.commit();

            assertThat(report.outcomes()).extracting(Outcome::status)
                    .containsExactly(Outcome.Status.APPLIED, Outcome.Status.SKIPPED, Outcome.Status.APPLIED);
            assertThat(report.outcomes().get(1).sqlState()).isEqualTo("42P07");
            // the window, back to its savepoint with the first statement replayed and the skip confirmed,
            // and the rest of the window again
            assertThat(roundTrips).isEqualTo(3);
        }
        assertThat(Schema.columnsOf(db, "twice")).containsExactly("id", "note");
    }

    @Test
    void aMistakeExpectedToBeSkippedUndoesTheStatementsAfterItInItsWindow() throws SQLException {
        Schema.reset(db, "CREATE TABLE t (id int)");
        Script script = Script.parse("mistake.sql", """
                ALTER TABLE t ADD COLUMN before_it int;
                CREATE TABLE t (id no_such_type);
                ALTER TABLE t ADD COLUMN after_it int;
                """);
        try (Connection connection = proxy.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.run(script)).isInstanceOfSatisfying(SafeOpsException.class, e -> {
                assertThat(e.kind()).isEqualTo(SafeOpsException.Kind.NOT_TOLERATED);
                assertThat(e.location()).isEqualTo(new Location("mistake.sql", 2));
                assertThat(e.transactionUsable()).isTrue();
            });
            assertThat(ops.report().outcomes()).extracting(Outcome::sql)
                    .containsExactly("ALTER TABLE t ADD COLUMN before_it int");
            connection.commit();
        }
        assertThat(Schema.columnsOf(db, "t")).containsExactly("id", "before_it");
    }

    @Test
    void aMistakeExpectedToApplyRunsNothingAfterIt() throws SQLException {
        Schema.reset(db, "CREATE TABLE t (id int)");
        Script script = Script.parse("mistake.sql", """
                ALTER TABLE t ADD COLUMN before_it int;
                ALTER TABLE t ADD COLUMN typo no_such_type;
                ALTER TABLE absent ADD COLUMN skipped int;
                ALTER TABLE t ADD COLUMN after_it int;
                """);
        try (Connection connection = proxy.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.run(script)).isInstanceOfSatisfying(SafeOpsException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42704");
                assertThat(e.location()).isEqualTo(new Location("mistake.sql", 2));
                assertThat(e.transactionUsable()).isTrue();
            });
            assertThat(ops.report().outcomes()).hasSize(1);
            connection.commit();
        }
        assertThat(Schema.columnsOf(db, "t")).containsExactly("id", "before_it");
    }

    @Test
    void pipelinedRunReportsExactlyWhatOneByOneExecuteReportsOnTheIncidentScript() throws SQLException {
        Script incident = IncidentOneTest.MIGRATION_SCRIPT;

        assertThat(afterPipelinedRun(incident, IncidentOneTest.SCHEMA, 1))
                .isEqualTo(afterOneByOneExecute(incident, IncidentOneTest.SCHEMA, 1));
    }

    @Test
    void pipelinedRunReportsExactlyWhatOneByOneExecuteReportsOnPagila() throws SQLException {
        Script pagila = pagila();

        Attempt pipelined = afterPipelinedRun(pagila, "", 1);

        assertThat(pipelined).isEqualTo(afterOneByOneExecute(pagila, "", 1));
        assertThat(pipelined.failure()).isNull();
    }

    @Test
    void pipelinedRunReportsExactlyWhatOneByOneExecuteReportsOnPagilaRunTwice() throws SQLException {
        Script pagila = pagila();

        Attempt pipelined = afterPipelinedRun(pagila, "", 2);

        assertThat(pipelined).isEqualTo(afterOneByOneExecute(pagila, "", 2));
        assertThat(pipelined.outcomes()).filteredOn(o -> o.get(0).equals("SKIPPED")).hasSizeGreaterThan(100);
    }

    private static void prepare(Workload workload) throws SQLException {
        try (Connection direct = db.connect()) {
            workload.prepare(direct);
        }
    }

    private static Script pagila() {
        return Script.read(Pagila.schema());
    }

    /**
     * What a run left: each outcome as status, SQLSTATE and statement (the description and location
     * differ by design between a script and single statements), the error that stopped it if any, and
     * the schema. (The savepoints differ by design too: a script's statements share them.)
     */
    private record Attempt(List<List<String>> outcomes, String failure, List<String> schema) {
    }

    private interface Runner {
        Report run(SafeOps ops, Script script) throws SQLException;
    }

    private static Attempt afterPipelinedRun(Script script, String ddl, int times) throws SQLException {
        return attempt(script, ddl, times, SafeOps::run);
    }

    private static Attempt afterOneByOneExecute(Script script, String ddl, int times) throws SQLException {
        return attempt(script, ddl, times, (ops, s) -> {
            for (ScriptStatement statement : s.statements()) {
                ops.execute(statement.sql());
            }
            return ops.report();
        });
    }

    /** Runs the script {@code times} times on a fresh schema, each time in a transaction of its own, and keeps the last. */
    private static Attempt attempt(Script script, String ddl, int times, Runner runner) throws SQLException {
        Schema.reset(db, ddl);
        Report report = null;
        String failure = null;
        for (int i = 0; i < times; i++) {
            try (Connection connection = db.connect()) {
                connection.setAutoCommit(false);
                SafeOps ops = SafeOps.on(connection);
                try {
                    report = runner.run(ops, script);
                    failure = null;
                } catch (SafeOpsException e) {
                    report = ops.report();
                    failure = e.getSQLState() + " " + e.statement();
                }
                connection.commit();
            }
        }
        List<List<String>> outcomes = report.outcomes().stream()
                .map(o -> List.of(o.status().name(), String.valueOf(o.sqlState()), o.sql()))
                .collect(Collectors.toList());
        return new Attempt(outcomes, failure, Schema.snapshot(db));
    }
}

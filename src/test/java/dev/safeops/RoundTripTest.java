package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void anErrorFreeScriptOf300StatementsCostsAtMostOneRoundTripPer20Statements() throws SQLException {
        Workload workload = Workload.of(100, 0);
        prepare(workload);
        try (Connection connection = proxy.connectInTransaction()) {
            Report report = SafeOps.on(connection).run(workload.script());

            assertThat(report.applied()).isEqualTo(300);
            assertThat(proxy.roundTrips()).isLessThanOrEqualTo(300 / 20);
        }
    }

    @Test
    void aScriptWithEveryTenthTableMissingCostsAtMostTwoRoundTripsPerSkipPlusTheWindows() throws SQLException {
        Workload workload = Workload.of(100, 10);
        prepare(workload);
        try (Connection connection = proxy.connectInTransaction()) {
            Report report = SafeOps.on(connection).run(workload.script());

            assertThat(report.skipped()).isEqualTo(30);
            assertThat(proxy.roundTrips()).isLessThanOrEqualTo(scriptBound(300, 30));
        }
    }

    @ParameterizedTest(name = "statement {0} of 300 on a missing table")
    @ValueSource(ints = {0, 84, 85, 170, 255, 256, 299})
    void aScriptWithOneSkipCostsAtMostTwoRoundTripsMoreThanTheWindows(int failing) throws SQLException {
        Workload workload = Workload.of(100, 0);
        prepare(workload);
        List<String> statements = new ArrayList<>(workload.statements());
        statements.set(failing, MISSING_TABLE_STATEMENT);
        try (Connection connection = proxy.connectInTransaction()) {
            Report report = SafeOps.on(connection).run(Script.parse("one-skip.sql", String.join(";\n", statements)));

            assertThat(report.skippedOutcomes()).extracting(Outcome::sql).containsExactly(MISSING_TABLE_STATEMENT);
            assertThat(proxy.roundTrips()).isLessThanOrEqualTo(scriptBound(300, 1));
        }
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

    /** The bound for a script: two round trips per tolerated error, two more, and one per window. */
    private static long scriptBound(int statements, int errors) {
        return 2L * errors + 2 + (statements + Guard.windowOperations(1) - 1) / Guard.windowOperations(1);
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

package dev.safeops;

import dev.safeops.SafeOpsException.After;
import dev.safeops.SafeOpsException.Kind;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs operations so that a tolerated error can never poison the caller's transaction.
 *
 * <p>A script in a transaction, over a channel that pipelines statements past errors, is forecast
 * and sent in windows that go on past skips (see {@link Windows}): its round trips and kept
 * subtransactions depend on its size, not on its skips. Otherwise every operation travels as {@code
 * SAVEPOINT; statement; RELEASE}, pipelined in windows (see {@link Pipeline}): when one fails, the
 * server ignores the rest of the window; the guard rolls back to that operation's savepoint, decides,
 * and resends the rest of the window behind the rollback and an assertion that the catalog confirms
 * the skip, so a skip costs one extra round trip. In autocommit mode each statement is its own
 * transaction and needs no savepoint.
 *
 * <p>Everything that can be refused from the statements' text is refused before anything is sent,
 * for a whole script at once, and so is an aborted transaction.
 */
final class Guard {

    static final String SAVEPOINT = "SAVEPOINT safe_ops";
    static final String ROLLBACK = "ROLLBACK TO SAVEPOINT safe_ops";
    static final String RELEASE = "RELEASE SAVEPOINT safe_ops";
    private static final List<String> RECOVERY = List.of(ROLLBACK, RELEASE);

    /**
     * Operations per round trip. pgjdbc estimates 250 bytes of answer per query and, once 64,000
     * bytes are pending, sends a Sync and waits for the answers so that neither side blocks on a
     * full socket buffer; that is a round trip after every 255 queries. A window, behind the two
     * queries of a pending rollback, stays within one such round trip: each group of operations
     * costs its statements plus a SAVEPOINT and a RELEASE (84 operations with a savepoint each).
     */
    static final int DRIVER_QUERIES_PER_ROUND_TRIP = 255;
    /**
     * Statement bytes per window. Any statement may answer with output of any size (notices from a
     * DO block, rows from a statement that does not look like a query); while the server writes
     * that output and the client has not started reading, the server reads nothing. Everything the
     * client writes after such a statement must therefore fit in the socket buffers between them
     * (tens of kilobytes on every common system), or both would wait for each other forever. A
     * larger statement travels in a window of its own, behind nothing that could answer at length.
     * The bound also keeps what a skip makes the guard resend small: nothing is resent but the
     * rest of one window.
     */
    static final int WINDOW_BYTES = 32 * 1024;

    /**
     * A statement with where it comes from: its location, and its script and index there (the
     * script is null, and the index -1, for {@code execute} and typed operations).
     */
    record Step(Operation operation, Location location, String script, int index) {

        Step {
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(location, "location");
        }

        String sql() {
            return operation.sql();
        }
    }

    private final Connection connection;
    private final Channel channel;
    private final Judge judge;
    private final Recorder recorder;
    private final Preflight preflight;
    private final int groupSize;
    private final int windowOperations;
    private final LockWaits lockWaits;
    /** Numbers this session's window and statement savepoints, so that no two share a name. */
    private long savepointNumber;

    Guard(Connection connection, Channel channel, Policy policy, Recorder recorder, Settings settings) {
        this.connection = connection;
        this.channel = channel;
        this.judge = new Judge(policy);
        this.recorder = recorder;
        this.preflight = new Preflight(connection, channel, settings, recorder);
        this.groupSize = settings.operationsPerSavepoint();
        this.lockWaits = new LockWaits(settings, recorder);
        this.windowOperations = windowOperations(groupSize, lockWaits.mostAround());
    }

    /** Whole groups per window so that groups line up across windows; one large group if none fits. */
    static int windowOperations(int groupSize) {
        return windowOperations(groupSize, 0);
    }

    /** The same, when each group also carries {@code around} statements of {@link LockWaits} on each side. */
    static int windowOperations(int groupSize, int around) {
        int queries = DRIVER_QUERIES_PER_ROUND_TRIP - RECOVERY.size();
        int groups = queries / (groupSize + 2 + 2 * around);
        return groups == 0 ? queries - 2 - 2 * around : groups * groupSize;
    }

    Outcome run(Step step) throws SafeOpsException {
        runAll(List.of(step));
        return recorder.last();
    }

    /** Refuses what the steps' text or the transaction's state forbids, then runs them all. */
    void runAll(List<Step> steps) throws SafeOpsException {
        boolean autoCommit;
        try {
            autoCommit = connection.getAutoCommit();
        } catch (SQLException e) {
            throw new SafeOpsException(Kind.CONNECTION_LOST, "the connection could not be used: " + e.getMessage(),
                    e.getSQLState(), null, null, steps.get(0).location(), After.CLOSED, e);
        }
        for (Step step : steps) {
            Optional<String> refusal = refusal(step.operation(), autoCommit);
            if (refusal.isPresent()) {
                throw refused(step, refusal.get(), autoCommit);
            }
        }
        refuseAbortedTransaction(steps.get(0));
        preflight.check(steps, autoCommit);
        if (autoCommit) {
            for (Step step : steps) {
                runAlone(step);
            }
        } else if (steps.size() > 1 && channel.pipelinesEach() && lockWaits.mostAround() == 0) {
            // With lock or statement timeouts the pipeline below runs instead: it sets and retries
            // them around each statement in a savepoint of its own, where windows share one.
            new Windows(steps).run();
        } else {
            new Pipeline(steps.iterator()).run();
        }
    }

    /** Why safe-ops will not send this statement, if it will not; decided from its text alone. */
    static Optional<String> refusal(Operation operation, boolean autoCommit) {
        if (operation.transactionControl()) {
            return Optional.of("refused transaction control statement " + operation.sql() + ": safe-ops runs inside "
                    + "the caller's transaction and guards each statement with a savepoint, so a script must not "
                    + "begin, end or roll back transactions itself. Remove the statement; nothing was sent");
        }
        if (operation.forbiddenInTransaction() && !autoCommit) {
            return Optional.of(operation.description() + " cannot run inside a transaction block (25001 "
                    + "active_sql_transaction), and this connection is in one. Run it on its own on a connection in "
                    + "autocommit mode (the safe-ops command line runs such statements after the commit). It was not "
                    + "sent");
        }
        StatementShape shape = operation.shape();
        if (shape.copiesThroughTheClient()) {
            return Optional.of("refused " + operation.description() + ": COPY … FROM STDIN and COPY … TO STDOUT "
                    + "exchange data with the client in a protocol of their own, which would desynchronise the "
                    + "connection; load or dump data with a separate tool. Nothing was sent");
        }
        return shape.driverBreakingSetting().map(setting -> "refused " + operation.description() + ": changing "
                + setting + " makes pgjdbc close the connection (it needs UTF-8 text and ISO dates), losing the "
                + "transaction; set it in the connection's settings instead. Nothing was sent");
    }

    /** Refuses {@code step}, sending nothing; the transaction is as it was. */
    SafeOpsException refused(Step step, String reason) {
        boolean autoCommit;
        try {
            autoCommit = connection.getAutoCommit();
        } catch (SQLException e) {
            autoCommit = false;
        }
        return refused(step, reason, autoCommit);
    }

    private SafeOpsException refused(Step step, String reason, boolean autoCommit) {
        String sqlState = step.operation().forbiddenInTransaction() || step.operation().transactionControl()
                ? SqlStates.ACTIVE_SQL_TRANSACTION : SqlStates.FEATURE_NOT_SUPPORTED;
        return new SafeOpsException(Kind.REFUSED, reason, sqlState, step.sql(), step.operation().description(),
                step.location(), autoCommit ? After.AUTOCOMMIT : After.UNCHANGED, null);
    }

    private void refuseAbortedTransaction(Step first) throws SafeOpsException {
        boolean aborted;
        try {
            aborted = channel.aborted();
        } catch (SQLException e) {
            throw failure(Kind.GUARD_FAILED, first, e, "the connection could not be used");
        }
        if (aborted) {
            throw new SafeOpsException(Kind.REFUSED, "the transaction is already aborted (25P02 "
                    + "in_failed_sql_transaction): an earlier statement failed outside safe-ops and PostgreSQL will "
                    + "refuse every further statement until the transaction is rolled back. "
                    + (channel instanceof JdbcChannel ? "Nothing but a probe that cannot change anything ("
                            + JdbcChannel.PROBE + ") was sent" : "Nothing was sent")
                    + ". Roll the transaction back (or to a savepoint taken before the failure) and run the migration "
                    + "again",
                    SqlStates.IN_FAILED_SQL_TRANSACTION, null, null, first.location(), After.ABORTED, null);
        }
    }

    /** Autocommit: one statement, its own transaction, nothing to roll back when it fails. */
    private void runAlone(Step step) throws SafeOpsException {
        settle(step, lockWaits.runAlone(step, statements -> send(step, statements)).error(), null);
    }

    /**
     * Records a step whose statement has already run: applied when {@code error} is null (after
     * checking that an index built with {@code IF NOT EXISTS} is valid), otherwise judged (asking the
     * catalog where the rule needs it) and recorded as skipped, repaired, or thrown. In a transaction
     * the statement must already be rolled back to its own savepoint.
     *
     * @param neverTolerated when not null, why the error must be thrown whatever the judgement
     */
    Outcome settle(Step step, SQLException error, String neverTolerated) throws SafeOpsException {
        if (error == null) {
            recordApplied(step);
            return recorder.last();
        }
        Verdict verdict = neverTolerated != null ? Verdict.fail(neverTolerated) : judge.judge(step.operation(), error);
        if (verdict.kind() != Verdict.Kind.FAIL && after() == After.ABORTED) {
            verdict = Verdict.fail("the transaction is aborted: the statement was not rolled back to its savepoint");
        }
        if (verdict.kind() == Verdict.Kind.CONFIRM) {
            verdict = confirm(step, verdict, error, List.of(), autoCommit());
        }
        if (verdict.kind() == Verdict.Kind.REPAIR) {
            recorder.applied(step, rebuild(step, error, verdict));
            return recorder.last();
        }
        if (verdict.kind() == Verdict.Kind.FAIL) {
            throw failure(Kind.NOT_TOLERATED, step, error, verdict.reason() + leftInvalid(step, error));
        }
        recorder.skipped(step, error.getSQLState(), verdict.reason());
        return recorder.last();
    }

    private boolean autoCommit() throws SafeOpsException {
        try {
            return connection.getAutoCommit();
        } catch (SQLException e) {
            throw failure(Kind.GUARD_FAILED, null, e, "the connection could not be used");
        }
    }

    /**
     * A concurrent build that fails leaves its index behind, invalid: say so, with the repair. A typed
     * operation drops it concurrently itself, so that nothing half-built stays — unless the error is
     * 42P07, when the index was there before and the build created nothing.
     */
    private String leftInvalid(Step step, SQLException error) throws SafeOpsException {
        Optional<SkipRule.IndexTarget> index = SkipRule.indexCreatedBy(step.operation().shape());
        if (!step.operation().forbiddenInTransaction() || index.isEmpty()) {
            return "";
        }
        Fact invalid = ConcurrentIndex.leftBehind(index.get().table(), index.get().name());
        Exchange check = send(step, List.of(CatalogCheck.query(List.of(invalid))));
        if (check.failed() || !"t".equals(check.firstValue(0))) {
            return "";
        }
        String left = "; the failed build left the index " + index.get().name() + " behind INVALID (queries do not "
                + "use it, a unique one enforces nothing)";
        String drop = SkipRule.dropIndex(index.get());
        if (!step.operation().typed() || "42P07".equals(error.getSQLState())) {
            return left + ": drop it with " + drop + " before running again";
        }
        return left + ConcurrentIndex.droppedLeftover(drop, send(step, List.of(drop)).error());
    }

    /**
     * A concurrent build that failed earlier leaves an invalid index, which is never "already there":
     * in autocommit mode a concurrent build drops it concurrently and builds it again; anything else
     * fails with the command that repairs it. Returns the repair, for the outcome's reason.
     */
    private String rebuild(Step step, SQLException error, Verdict verdict) throws SafeOpsException {
        if (!step.operation().forbiddenInTransaction()) {
            throw failure(Kind.NOT_TOLERATED, step, error, invalidIndex(verdict));
        }
        // One at a time: statements sent together share an implicit transaction, which neither allows.
        Exchange repair = send(step, List.of(verdict.repair()));
        boolean dropped = !repair.failed();
        if (dropped) {
            repair = send(step, List.of(step.sql()));
        }
        if (repair.failed()) {
            throw failure(Kind.GUARD_FAILED, step, repair.error(), "repairing the invalid index (" + verdict.repair()
                    + ", then the build again) failed" + (dropped ? leftInvalid(step, repair.error()) : ""));
        }
        return "repaired: " + verdict.reason() + ", left by a failed concurrent build; ran " + verdict.repair()
                + " and built it again";
    }

    private static String invalidIndex(Verdict verdict) {
        return verdict.reason() + ": an invalid index, left by a failed concurrent build, is never \"already "
                + "there\" (queries do not use it and a unique one enforces nothing). Repair it outside a "
                + "transaction: " + verdict.repair() + "; then run the statement again";
    }

    /**
     * Records a step that ran without error, once an index it kept under {@code IF NOT EXISTS} is known
     * to be valid: an invalid one is rebuilt in autocommit mode and fails with the repair command in a
     * transaction (where the statement changed nothing, having found the index there).
     */
    private void recordApplied(Step step) throws SafeOpsException {
        Optional<String> repaired = checkBuiltIndex(step);
        if (repaired.isPresent()) {
            recorder.applied(step, repaired.get());
        } else {
            recorder.applied(step);
        }
    }

    /**
     * {@code CREATE INDEX … IF NOT EXISTS} succeeds, with a notice, when an index of that name is
     * there, even an invalid one; so afterwards the index must be valid. Empty when it is, or the
     * repair made when it was not.
     */
    private Optional<String> checkBuiltIndex(Step step) throws SafeOpsException {
        if (!step.operation().shape().createsIndexIfNotExists()) {
            return Optional.empty();
        }
        Optional<SkipRule.IndexTarget> index = SkipRule.indexCreatedBy(step.operation().shape());
        if (index.isEmpty()) {
            return Optional.empty();
        }
        Fact invalid = ConcurrentIndex.leftBehind(index.get().table(), index.get().name());
        Exchange check = send(step, List.of(CatalogCheck.query(List.of(invalid))));
        if (check.failed() || !"t".equals(check.firstValue(0))) {
            return Optional.empty();
        }
        Verdict verdict = Verdict.repair(invalid.claim(), SkipRule.dropIndex(index.get()));
        SQLException notice = new SQLException(invalid.claim() + " (IF NOT EXISTS kept it)", "42P07");
        return Optional.of(rebuild(step, notice, verdict));
    }

    /**
     * The transactional path: windows of guarded operations, one round trip each while nothing fails.
     *
     * <p>With a group size above one, consecutive operations share a savepoint, which keeps a long
     * script under PostgreSQL's 64 cached subtransactions. When a statement in a group fails, the
     * whole group is rolled back and replayed one operation per savepoint, so outcomes are the same
     * as without groups; the price is one more round trip per failing group, and statements of that
     * group that had succeeded run twice (harmless for DDL, visible for non-transactional effects
     * such as sequence increments). An error that ends the session is never replayed: it is
     * reported at the statement that caused it.
     */
    private final class Pipeline {
        private final Iterator<Step> source;
        private final Deque<Step> window = new ArrayDeque<>();
        /** The next step, taken from the source but left out of a window that it would make too large. */
        private Step next;
        /** How many operations at the head of the window must each get their own savepoint (a replayed group). */
        private int alone;
        /** Statements that must go first in the next round trip: the rollback of a tolerated failure. */
        private List<String> pending = List.of();
        /** A failure whose skip the catalog confirms in the next round trip, as part of {@link #pending}. */
        private Tentative tentative;
        /** The first step of the last window sent, blamed when a rollback sent after the last window fails. */
        private Step lastHead;

        Pipeline(Iterator<Step> source) {
            this.source = source;
        }

        void run() throws SafeOpsException {
            try {
                while (fill()) {
                    sendWindow();
                }
            } finally {
                flushPending();
            }
        }

        /**
         * Takes operations up to the bounds. A statement that returns rows ends the window, since
         * its rows could be of any size; a statement that would take the window past
         * {@link #WINDOW_BYTES} starts the next one.
         */
        private boolean fill() {
            long bytes = window.stream().mapToLong(step -> utf8Length(step.sql())).sum();
            while (window.size() < windowOperations && (next != null || source.hasNext())) {
                Step candidate = next != null ? next : source.next();
                long size = utf8Length(candidate.sql());
                if (!window.isEmpty() && bytes + size > WINDOW_BYTES) {
                    next = candidate;
                    break;
                }
                next = null;
                window.add(candidate);
                bytes += size;
                // CREATE INDEX IF NOT EXISTS keeps an invalid index silently: it ends its window, so that
                // its index can be checked before anything after it runs.
                if (candidate.operation().returnsRows() || candidate.operation().shape().createsIndexIfNotExists()
                        || bytes > WINDOW_BYTES) {
                    break;
                }
            }
            return !window.isEmpty();
        }

        /** The window cut into runs that share one savepoint. */
        private List<List<Step>> units() {
            List<List<Step>> units = new ArrayList<>();
            List<Step> current = new ArrayList<>();
            int index = 0;
            for (Step step : window) {
                boolean survivesRollback = step.operation().survivesRollback();
                int limit = index++ < alone || survivesRollback ? 1 : groupSize;
                if (survivesRollback && !current.isEmpty()) {
                    // replaying a group would run it twice: it never shares a savepoint
                    units.add(current);
                    current = new ArrayList<>();
                }
                current.add(step);
                if (current.size() >= limit || step.operation().returnsRows()) {
                    units.add(current);
                    current = new ArrayList<>();
                }
            }
            if (!current.isEmpty()) {
                units.add(current);
            }
            return units;
        }

        private void sendWindow() throws SafeOpsException {
            List<List<Step>> units = units();
            List<String> statements = new ArrayList<>(pending.size() + 3 * window.size());
            statements.addAll(pending);
            for (List<Step> unit : units) {
                statements.add(SAVEPOINT);
                lockWaits.compose(unit, statements);
                statements.add(RELEASE);
            }
            int recovery = pending.size();
            Step head = window.peekFirst();
            lastHead = head;
            Exchange exchange = send(head, statements);
            if (tentative != null && !settle(exchange)) {
                return; // the skip was confirmed the slow way; nothing of the window ran, it goes again
            }
            if (exchange.failed() && exchange.completed() < recovery) {
                throw failure(Kind.GUARD_FAILED, head, exchange.error(), "rolling back a skipped statement failed");
            }
            pending = List.of();
            if (exchange.failed() && exchange.completed() >= statements.size()) {
                throw afterTheLastStatement(exchange.error());
            }
            int completed = exchange.completed() - recovery;
            for (List<Step> unit : units) {
                recorder.savepointsSent(1);
                int around = lockWaits.around(unit);
                int size = unit.size() + 2 + 2 * around;
                if (completed >= size) {
                    recorder.subtransactionsKept(1);
                    for (int i = 0; i < unit.size(); i++) {
                        recordApplied(window.removeFirst());
                    }
                    alone = Math.max(0, alone - unit.size());
                    completed -= size;
                    continue;
                }
                // This unit holds the failure; the server skipped everything after it.
                SQLException error = exchange.error();
                if (completed <= around || completed >= size - 1 - around) {
                    Step blamed = completed <= around ? unit.get(0) : unit.get(unit.size() - 1);
                    throw failure(Kind.GUARD_FAILED, blamed, error, ErrorClass.isConnectionLoss(error.getSQLState())
                            ? neverTolerated(error) : "safe-ops' own " + (completed == 0 ? "SAVEPOINT"
                            : completed == size - 1 ? "RELEASE" : "setting of the statement's timeouts") + " failed");
                }
                Step failed = unit.get(completed - 1 - around);
                if (exchange.raisedByDriver()) {
                    throw failure(Kind.DRIVER_ERROR, failed, error, "the driver raised it while the statement's answer was read");
                }
                if (ErrorClass.isConnectionLoss(error.getSQLState())) {
                    // Nothing can be replayed on a session that is gone, or trusted on one that is not.
                    throw failure(Kind.NOT_TOLERATED, failed, error, neverTolerated(error));
                }
                if (unit.size() > 1) {
                    pending = RECOVERY;
                    alone = unit.size();
                    return;
                }
                if (lockWaits.retry(failed, error, List.of(ROLLBACK), rollback -> send(failed, rollback))) {
                    // Rolled back and waited: the same statement goes again, first in the next window.
                    pending = RECOVERY;
                    return;
                }
                alone = Math.max(0, alone - 1);
                handleFailure(window.removeFirst(), error);
                return;
            }
        }

        /**
         * Every statement answered, yet the exchange failed: the driver raised an error at its end
         * (pgjdbc does when the server reports a setting it cannot live with, and then closes the
         * connection). No single statement can be blamed, and none of the window is recorded as
         * applied: never let such an error pass unseen.
         */
        private SafeOpsException afterTheLastStatement(SQLException error) {
            Step first = window.peekFirst();
            Step last = window.peekLast();
            window.clear();
            return driverRaised(first, last, error);
        }

        private void handleFailure(Step failed, SQLException error) throws SafeOpsException {
            Verdict verdict = judge.judge(failed.operation(), error);
            if (verdict.kind() == Verdict.Kind.CONFIRM && failed.operation().wanted() == null) {
                // Confirmed in the next round trip, ahead of the statements that follow: no round trip of its own.
                tentative = new Tentative(failed, error, verdict);
                pending = List.of(ROLLBACK, CatalogCheck.assertion(verdict.confirmation()), RELEASE);
                return;
            }
            if (verdict.kind() == Verdict.Kind.CONFIRM) {
                verdict = confirm(failed, verdict, error, RECOVERY, false);
            } else {
                pending = RECOVERY;
            }
            if (verdict.kind() == Verdict.Kind.REPAIR) {
                verdict = Verdict.fail(invalidIndex(verdict));
            }
            if (verdict.kind() == Verdict.Kind.FAIL) {
                flushPending(failed);
                window.clear();
                throw failure(Kind.NOT_TOLERATED, failed, error, verdict.reason());
            }
            recorder.skipped(failed, error.getSQLState(), verdict.reason());
        }

        private void flushPending() throws SafeOpsException {
            flushPending(window.isEmpty() ? lastHead : window.peekFirst());
        }

        private void flushPending(Step blamed) throws SafeOpsException {
            if (pending.isEmpty() || connectionLost()) {
                return;
            }
            List<String> statements = pending;
            pending = List.of();
            Exchange exchange = send(blamed, statements);
            boolean settled = tentative == null || settle(exchange);
            if (settled && exchange.failed()) {
                throw failure(Kind.GUARD_FAILED, blamed, exchange.error(), "rolling back a skipped statement failed");
            }
        }

        /**
         * Reads the answer to a {@link Tentative} skip's assertion, sent as the second statement of
         * the exchange, and records the skip. When the assertion failed — the catalog does not confirm
         * the skip, or the look-up itself failed — rolls that back and asks again plainly, so that the
         * verdict, and its message, come from the facts. Returns whether the exchange went on past the
         * assertion; false means nothing after it ran.
         */
        private boolean settle(Exchange exchange) throws SafeOpsException {
            Tentative skip = tentative;
            tentative = null;
            String sqlState = skip.error().getSQLState();
            if (!exchange.failed() || exchange.completed() > 1) {
                Verdict verdict = judge.confirmed(skip.verdict(), sqlState, exchange.firstValue(1));
                recorder.skipped(skip.step(), sqlState, verdict.reason());
                return true;
            }
            if (exchange.completed() == 0) {
                return true; // the rollback itself failed: the caller reports it
            }
            pending = List.of();
            Verdict verdict = confirm(skip.step(), skip.verdict(), skip.error(), RECOVERY, false);
            if (verdict.kind() != Verdict.Kind.TOLERATE) {
                window.clear();
                throw failure(Kind.NOT_TOLERATED, skip.step(), skip.error(), verdict.kind() == Verdict.Kind.REPAIR
                        ? invalidIndex(verdict) : verdict.reason());
            }
            recorder.skipped(skip.step(), sqlState, verdict.reason());
            return false;
        }
    }

    /**
     * A step as a window carries it: expected to apply (sharing the window's savepoint), or
     * expected to fail and be skipped, with the verdict whose facts then tell (guarded alone, so that
     * the window goes on past its failure).
     */
    private record Planned(Step step, Verdict expected) {
        boolean guarded() {
            return expected != null;
        }
    }

    /** What a window found out about one step before it was recorded. */
    private record Settled(Step step, SQLException error, String reason) {
        boolean applied() {
            return error == null;
        }
    }

    /** Queries a guarded step takes: its savepoint, itself, three to resynchronise, and the facts. */
    private static final int GUARDED_QUERIES = 6;

    /**
     * The transactional path for a script over a pipelining channel: round trips and kept
     * subtransactions that do not grow with the number of skips.
     *
     * <p>Windows go out in the simple protocol, where each statement is a
     * message of its own and an error ends only that statement. A window is {@code SAVEPOINT w},
     * then the statements expected to apply, bare, and each statement expected to be skipped as
     * {@code SAVEPOINT s; statement; SAVEPOINT s; ROLLBACK TO s; RELEASE s; SELECT facts}. After a
     * success, the second {@code s} is the newest of that name, so the rollback and the release undo
     * nothing and the first {@code s} stays open, holding the statement, until the window's savepoint
     * is released. After a failure the second {@code SAVEPOINT} fails too, so the rollback goes back
     * to the first {@code s}, before the statement, and the release ends it; the facts its skip rests
     * on are read at exactly that point of the transaction. Savepoint names are
     * unique in the session: once anything unguarded fails, the transaction is aborted, every later
     * {@code ROLLBACK TO s} fails too (its savepoint was never made) and nothing after the failure
     * runs.
     *
     * <p>When a failure cannot be settled from what the window read (an unguarded statement failed,
     * or the error is not the expected one), the next round trip rolls back to {@code w}, replays what
     * had applied before the failure (so the state is exactly what one statement at a time would
     * have left), asks the catalog what the failure's verdict needs, and the rest of the window goes
     * again. The first such failure that may be a skip is also when the rest of the script is forecast
     * (see {@link Forecast}), in the same round trip: until then every statement is expected to apply,
     * so a script that skips nothing pays for no forecast. A statement whose effects survive a rollback travels in a window of its own, so that it
     * is never replayed and never runs after something that could fail in its round trip.
     */
    private final class Windows {
        private final Deque<Planned> queue = new ArrayDeque<>();
        /** The savepoint of the last window, when it is still to be released (after guarded steps). */
        private String open;

        /** Whether the rest of the script has been forecast (first, or at the first failure; see {@link #spansWindows}). */
        private boolean forecast;

        Windows(List<Step> steps) {
            steps.forEach(step -> queue.add(new Planned(step, null)));
        }

        void run() throws SafeOpsException {
            if (spansWindows()) {
                forecastAll();
            }
            while (!queue.isEmpty()) {
                Step head = queue.peekFirst().step();
                if (needsItsOwnCheck(head)) {
                    release(head);
                    queue.removeFirst();
                    new Pipeline(List.of(head).iterator()).run();
                } else {
                    sendWindow(take());
                }
            }
            release(lastStep);
        }

        /**
         * Whether the script needs more than one window. Such a script is forecast first: unforeseen,
         * a failure early in a first window of hundreds of statements would cost the replay of what
         * ran before it, after running everything behind it for nothing, and the forecast's round trip
         * is one of several the script takes anyway. A script that fits in one window is forecast at
         * its first failure, so that one that skips nothing keeps its single round trip.
         */
        private boolean spansWindows() {
            int queries = FRAME_QUERIES;
            long bytes = 0;
            for (Planned planned : queue) {
                queries++;
                bytes += utf8Length(planned.step().sql());
                if (beyondOneWindow(queries, bytes)) {
                    return true;
                }
            }
            return false;
        }

        /** Queries a window sends besides its steps: its SAVEPOINT, its RELEASE and that of the window before. */
        private static final int FRAME_QUERIES = 3;

        /** Whether that many queries and statement bytes are more than one window carries. */
        private static boolean beyondOneWindow(int queries, long bytes) {
            return queries > DRIVER_QUERIES_PER_ROUND_TRIP || bytes > WINDOW_BYTES;
        }

        /** The error of the last statement answered, when it is the server ending the session; else null. */
        private static SQLException sessionEnded(Answers answers) {
            int last = answers.size() - 1;
            SQLException error = last >= 0 ? answers.get(last).error() : null;
            return error != null && ErrorClass.isConnectionLoss(error.getSQLState()) ? error : null;
        }

        /** Forecasts every step, in a round trip of its own ahead of the first window. */
        private void forecastAll() throws SafeOpsException {
            forecast = true;
            List<Planned> all = new ArrayList<>(queue);
            Forecast ahead = Forecast.of(judge, all.stream().map(Planned::step).toList());
            if (!ahead.worthAsking()) {
                return;
            }
            Step first = all.get(0).step();
            Answers answers = sendEach(first, ahead.statements());
            SQLException ended = sessionEnded(answers);
            if (ended != null) {
                throw forecastFailed(first, ended);
            }
            if (answers.driverError() != null) {
                throw forecastFailed(first, answers.driverError());
            }
            List<Verdict> expected = ahead.expected(judge, answers);
            queue.clear();
            for (int i = 0; i < all.size(); i++) {
                queue.add(new Planned(all.get(i).step(), expected.get(i)));
            }
        }

        /**
         * The forecast, asked ahead of the first window, ended in an error the driver raised or with
         * the session: no statement of the script had been sent, so none is to blame.
         */
        private SafeOpsException forecastFailed(Step first, SQLException error) {
            queue.clear();
            String sqlState = error.getSQLState();
            After after = after();
            Kind kind = after == After.CLOSED || ErrorClass.isConnectionLoss(sqlState) ? Kind.CONNECTION_LOST
                    : Kind.DRIVER_ERROR;
            String reason = "safe-ops' forecast of which statements of the script will be skipped, asked ahead of "
                    + "its first statement, failed with SQLSTATE " + sqlState + " " + SqlStates.name(sqlState) + ": "
                    + Judge.serverMessage(error) + "; no statement of the script had been sent";
            return new SafeOpsException(kind, reason, sqlState, null, null, first.location(),
                    after == After.USABLE ? After.ABORTED : after, error);
        }

        /** The step that was last sent, blamed if releasing its window's savepoint fails. */
        private Step lastStep;

        /**
         * Typed operations compare what exists with what they want, and an index kept by {@code IF NOT
         * EXISTS} must be checked: those go through the one-step path, in a round trip of their own.
         */
        private boolean needsItsOwnCheck(Step step) {
            return step.operation().wanted() != null || step.operation().shape().createsIndexIfNotExists();
        }

        private boolean survivesRollback(Step step) {
            return step.operation().survivesRollback() && !step.operation().shape().callsSurvivingRollbackOnlyAsDefaults();
        }

        /** Takes steps up to the bounds: queries the driver sends without waiting, and statement bytes. */
        private List<Planned> take() {
            List<Planned> window = new ArrayList<>();
            int queries = FRAME_QUERIES;
            long bytes = 0;
            while (!queue.isEmpty()) {
                Planned planned = queue.peekFirst();
                if (needsItsOwnCheck(planned.step())) {
                    break;
                }
                boolean alone = survivesRollback(planned.step());
                if (alone && !window.isEmpty()) {
                    break;
                }
                int size = planned.guarded() ? GUARDED_QUERIES : 1;
                long length = utf8Length(planned.step().sql())
                        + (planned.guarded() ? utf8Length(CatalogCheck.query(planned.expected().confirmation().facts())) : 0);
                if (!window.isEmpty() && beyondOneWindow(queries + size, bytes + length)) {
                    break;
                }
                window.add(queue.removeFirst());
                queries += size;
                bytes += length;
                if (alone || bytes > WINDOW_BYTES) {
                    break;
                }
            }
            return window;
        }

        private void sendWindow(List<Planned> window) throws SafeOpsException {
            String savepoint = "safe_ops_w" + (++savepointNumber);
            List<String> statements = new ArrayList<>(window.size() * 2 + 3);
            boolean releasing = open != null;
            if (releasing) {
                statements.add("RELEASE SAVEPOINT " + open);
                open = null;
            }
            int first = statements.size();
            statements.add("SAVEPOINT " + savepoint);
            int[] at = new int[window.size()];
            boolean anyGuarded = false;
            for (int i = 0; i < window.size(); i++) {
                Planned planned = window.get(i);
                at[i] = statements.size();
                if (planned.guarded()) {
                    anyGuarded = true;
                    String own = "SAVEPOINT safe_ops_s" + (++savepointNumber);
                    String name = own.substring("SAVEPOINT ".length());
                    statements.add(own);
                    statements.add(planned.step().sql());
                    statements.add(own);
                    statements.add("ROLLBACK TO SAVEPOINT " + name);
                    statements.add("RELEASE SAVEPOINT " + name);
                    statements.add(CatalogCheck.query(planned.expected().confirmation().facts()));
                } else {
                    statements.add(planned.step().sql());
                }
            }
            // After a guarded step the transaction goes on, so a later failure must still find the
            // window's savepoint to roll back to: it is released at the start of the next round trip.
            if (!anyGuarded) {
                statements.add("RELEASE SAVEPOINT " + savepoint);
            }
            Step head = window.get(0).step();
            lastStep = window.get(window.size() - 1).step();
            Answers answers = sendEach(head, statements);
            recorder.savepointsSent(1 + (int) window.stream().filter(Planned::guarded).count());
            if (answers.driverError() != null) {
                throw driverError(window, at, answers);
            }
            if (releasing && answers.get(0).failed()) {
                throw ownStatementFailed(head, answers.get(0).error(), "RELEASE");
            }
            if (answers.get(first).failed()) {
                throw ownStatementFailed(head, answers.get(first).error(), "SAVEPOINT");
            }
            List<Settled> settled = new ArrayList<>(window.size());
            int kept = 1;
            for (int i = 0; i < window.size(); i++) {
                Planned planned = window.get(i);
                Step step = planned.step();
                int q = at[i];
                if (!planned.guarded()) {
                    Answers.Answer answer = answers.get(q);
                    if (answer.failed()) {
                        stop(window, i, savepoint, settled, answer.error(), null);
                        return;
                    }
                    settled.add(new Settled(step, null, null));
                    continue;
                }
                if (answers.get(q).failed()) {
                    throw ownStatementFailed(step, answers.get(q).error(), "SAVEPOINT");
                }
                Answers.Answer answer = answers.get(q + 1);
                for (int own = q + (answer.failed() ? 3 : 2); own < q + 5; own++) {
                    if (answers.get(own).failed()) {
                        throw ownStatementFailed(step, answers.get(own).error(), own == q + 3 ? "ROLLBACK TO SAVEPOINT"
                                : own == q + 2 ? "SAVEPOINT" : "RELEASE");
                    }
                }
                if (!answer.failed()) {
                    settled.add(new Settled(step, null, null)); // expected to be skipped, yet applied
                    kept++;
                    continue;
                }
                SQLException error = answer.error();
                Verdict verdict = judge.judge(step.operation(), error);
                Answers.Answer facts = answers.get(q + 5);
                if (verdict.kind() == Verdict.Kind.CONFIRM && !facts.failed()
                        && verdict.confirmation().facts().equals(planned.expected().confirmation().facts())) {
                    verdict = judge.confirmed(verdict, error.getSQLState(), facts.firstValue());
                    if (verdict.kind() == Verdict.Kind.TOLERATE) {
                        settled.add(new Settled(step, error, verdict.reason()));
                        continue;
                    }
                }
                stop(window, i, savepoint, settled, error, verdict);
                return;
            }
            if (!anyGuarded && answers.get(statements.size() - 1).failed()) {
                throw ownStatementFailed(lastStep, answers.get(statements.size() - 1).error(), "RELEASE");
            }
            if (anyGuarded) {
                open = savepoint;
            }
            recorder.subtransactionsKept(kept);
            record(settled);
        }

        /**
         * A failure the window could not settle, at {@code window.get(failed)}: back to the window's
         * savepoint, replay what had applied before it, ask what its verdict needs, then record the
         * window up to it and decide. The steps after it go back to the head of the queue.
         */
        private void stop(List<Planned> window, int failedAt, String savepoint, List<Settled> before, SQLException error,
                          Verdict verdict) throws SafeOpsException {
            Step failed = window.get(failedAt).step();
            if (ErrorClass.isConnectionLoss(error.getSQLState())) {
                // Nothing can be replayed on a session that is gone, or trusted on one that is not.
                throw failure(Kind.NOT_TOLERATED, failed, error, neverTolerated(error));
            }
            if (verdict == null) {
                verdict = judge.judge(failed.operation(), error);
            }
            List<String> statements = new ArrayList<>();
            statements.add("ROLLBACK TO SAVEPOINT " + savepoint);
            List<Step> replayed = before.stream().filter(Settled::applied).map(Settled::step).toList();
            replayed.forEach(step -> statements.add(step.sql()));
            statements.add("RELEASE SAVEPOINT " + savepoint);
            boolean ask = verdict.kind() == Verdict.Kind.CONFIRM;
            int facts = statements.size();
            if (ask) {
                statements.add(CatalogCheck.query(verdict.confirmation().facts()));
            }
            // A script not forecast first (it fits in one window) is forecast at its first failure that may
            // be a skip, in this same round trip: one that skips nothing never pays for a forecast.
            List<Planned> rest = new ArrayList<>(window.subList(failedAt + 1, window.size()));
            rest.addAll(queue);
            Forecast ahead = null;
            int forecastAt = statements.size();
            if (!forecast && verdict.kind() == Verdict.Kind.CONFIRM && !rest.isEmpty()) {
                forecast = true;
                ahead = Forecast.of(judge, rest.stream().map(Planned::step).toList());
                statements.addAll(ahead.worthAsking() ? ahead.statements() : List.of());
            }
            Answers answers = sendEach(failed, statements);
            if (answers.driverError() != null) {
                throw failure(Kind.GUARD_FAILED, failed, answers.driverError(), "rolling back to the window's savepoint "
                        + "failed");
            }
            if (answers.get(0).failed()) {
                throw failure(Kind.GUARD_FAILED, failed, answers.get(0).error(), "rolling back to the window's savepoint "
                        + "failed");
            }
            for (int i = 0; i < replayed.size(); i++) {
                if (answers.get(1 + i).failed()) {
                    Step again = replayed.get(i);
                    send(again, List.of("ROLLBACK TO SAVEPOINT " + savepoint, "RELEASE SAVEPOINT " + savepoint));
                    throw failure(Kind.GUARD_FAILED, again, answers.get(1 + i).error(), "it had run, and it failed when "
                            + "replayed after rolling back to undo what ran after " + failed.location());
                }
            }
            if (answers.get(facts - 1).failed()) {
                throw ownStatementFailed(failed, answers.get(facts - 1).error(), "RELEASE");
            }
            if (!replayed.isEmpty()) {
                recorder.subtransactionsKept(1);
            }
            record(before);
            if (ask) {
                if (answers.get(facts).failed()) {
                    throw failure(Kind.GUARD_FAILED, failed, answers.get(facts).error(),
                            "the catalog look-up that would confirm the skip failed");
                }
                verdict = judge.confirmed(verdict, error.getSQLState(), answers.get(facts).firstValue());
            }
            if (ahead != null && ahead.worthAsking()) {
                List<Verdict> expected = ahead.expected(judge,
                        new Answers(answers.answers().subList(forecastAt, answers.size()), null));
                for (int i = 0; i < rest.size(); i++) {
                    rest.set(i, new Planned(rest.get(i).step(), expected.get(i)));
                }
            }
            if (verdict.kind() == Verdict.Kind.REPAIR) {
                verdict = Verdict.fail(invalidIndex(verdict));
            }
            // The steps after the failure go again, with what is expected of them. (A failure worth
            // retrying, such as a lock timeout, would be put back here too, ahead of them.)
            queue.clear();
            queue.addAll(rest);
            if (verdict.kind() != Verdict.Kind.TOLERATE) {
                queue.clear();
                throw failure(Kind.NOT_TOLERATED, failed, error, verdict.reason());
            }
            recorder.skipped(failed, error.getSQLState(), verdict.reason());
        }

        private void record(List<Settled> settled) {
            for (Settled step : settled) {
                if (step.applied()) {
                    recorder.applied(step.step());
                } else {
                    recorder.skipped(step.step(), step.error().getSQLState(), step.reason());
                }
            }
        }

        /** Releases the last window's savepoint, when it is still open. */
        private void release(Step blamed) throws SafeOpsException {
            if (open == null) {
                return;
            }
            String savepoint = open;
            open = null;
            Exchange exchange = send(blamed, List.of("RELEASE SAVEPOINT " + savepoint));
            if (exchange.failed()) {
                throw ownStatementFailed(blamed, exchange.error(), "RELEASE");
            }
        }

        /**
         * The driver raised an error of its own while answers were read. When the server ended the
         * session, its last answer says so, at the statement that caused it; otherwise no statement
         * of the window can be blamed alone.
         */
        private SafeOpsException driverError(List<Planned> window, int[] at, Answers answers) {
            queue.clear();
            SQLException ended = sessionEnded(answers);
            if (ended != null) {
                int last = answers.size() - 1;
                Step blamed = window.get(0).step();
                for (int i = 0; i < window.size(); i++) {
                    if (at[i] <= last) {
                        blamed = window.get(i).step();
                    }
                }
                return failure(Kind.NOT_TOLERATED, blamed, ended, neverTolerated(ended));
            }
            return driverRaised(window.get(0).step(), window.get(window.size() - 1).step(), answers.driverError());
        }

        private SafeOpsException ownStatementFailed(Step step, SQLException error, String statement) {
            queue.clear();
            return failure(Kind.GUARD_FAILED, step, error, ErrorClass.isConnectionLoss(error.getSQLState())
                    ? neverTolerated(error) : "safe-ops' own " + statement + " failed");
        }
    }

    private Answers sendEach(Step step, List<String> statements) throws SafeOpsException {
        return exchange(step, () -> preflight.sendEach(statements));
    }

    /** A round trip through {@link Preflight}, which may carry its armed risk look-up ahead. */
    private interface RoundTrip<T> {
        T send() throws SQLException;
    }

    /** Makes the round trip, blaming {@code step} when the driver fails it, and no step when the look-up does. */
    private <T> T exchange(Step step, RoundTrip<T> roundTrip) throws SafeOpsException {
        try {
            return roundTrip.send();
        } catch (Preflight.LookUpFailure e) {
            throw riskLookUpFailed(step, e);
        } catch (SQLException e) {
            throw failure(Kind.GUARD_FAILED, step, e, "the server could not be reached");
        }
    }

    /** The risk look-up sent ahead of {@code step} failed: nothing sent with it took effect, {@code step} is not to blame. */
    private SafeOpsException riskLookUpFailed(Step step, Preflight.LookUpFailure e) {
        String sqlState = e.getSQLState();
        After after = after();
        Kind kind = after == After.CLOSED || ErrorClass.isConnectionLoss(sqlState) ? Kind.CONNECTION_LOST
                : Kind.GUARD_FAILED;
        String reason = "safe-ops' look-up of the sizes of the tables the script locks, sent ahead of "
                + step.operation().description() + ", failed with SQLSTATE " + sqlState + " " + SqlStates.name(sqlState)
                + ": " + Judge.serverMessage(e) + "; the statements sent with it did not take effect";
        return new SafeOpsException(kind, reason, sqlState, null, null, step.location(), after, e);
    }

    /**
     * An error the driver raised at its own end (pgjdbc does when the server reports a setting it
     * cannot live with, and then closes the connection) while the statements from {@code first} to
     * {@code last} were answered: no single one can be blamed, and none is recorded as applied.
     */
    private SafeOpsException driverRaised(Step first, Step last, SQLException error) {
        String sqlState = error.getSQLState();
        After after = after();
        String range = first == last ? "the statement at " + first.location()
                : "the statements from " + first.location() + " to " + last.location();
        String reason = "the driver raised SQLSTATE " + sqlState + " " + SqlStates.name(sqlState) + " after "
                + range + " had run: " + Judge.serverMessage(error) + " — one of them caused it; not tolerated";
        return new SafeOpsException(after == After.CLOSED ? Kind.CONNECTION_LOST : Kind.DRIVER_ERROR, reason,
                sqlState, null, null, first.location(), after == After.USABLE ? After.ABORTED : after, error);
    }

    private static String neverTolerated(SQLException error) {
        String state = error.getSQLState();
        return state + " " + SqlStates.name(state) + " is never tolerated"
                + (ErrorClass.isConnectionLoss(state) ? ": the session is gone" : "");
    }

    private boolean connectionLost() {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** A failed operation, the error, and the verdict waiting for the catalog's confirmation. */
    private record Tentative(Step step, SQLException error, Verdict verdict) {
    }

    /**
     * Asks the catalog what a pending verdict needs to know, after the statements that must go first
     * (the rollback of the failed statement, inside a transaction), in one round trip: one query for
     * every object the skip rests on. A typed operation then compares the object there with the one
     * it wants.
     */
    private Verdict confirm(Step step, Verdict pending, SQLException error, List<String> first, boolean autoCommit)
            throws SafeOpsException {
        List<String> statements = new ArrayList<>(first);
        statements.add(CatalogCheck.query(pending.confirmation().facts()));
        Exchange check = send(step, statements);
        if (check.failed()) {
            throw failure(Kind.GUARD_FAILED, step, check.error(), "the catalog look-up that would confirm the skip failed");
        }
        Verdict verdict = judge.confirmed(pending, error.getSQLState(), check.firstValue(first.size()));
        Wanted wanted = step.operation().wanted();
        if (verdict.kind() != Verdict.Kind.TOLERATE || !verdict.objectPresent() || wanted == null) {
            return verdict;
        }
        Optional<String> difference = compare(step, wanted, autoCommit);
        return difference.isPresent() ? Verdict.fail(difference.get())
                : Verdict.tolerate(verdict.reason() + "; already exists as wanted", true);
    }

    /**
     * Runs a typed operation's comparison: its model is built inside a savepoint (in autocommit mode,
     * a transaction) that is always rolled back, so nothing of it stays.
     */
    private Optional<String> compare(Step step, Wanted wanted, boolean autoCommit) throws SafeOpsException {
        List<String> undo = autoCommit ? List.of("ROLLBACK")
                : List.of("ROLLBACK TO SAVEPOINT " + Wanted.PROBE_SAVEPOINT, "RELEASE SAVEPOINT " + Wanted.PROBE_SAVEPOINT);
        List<String> statements = new ArrayList<>();
        statements.add(autoCommit ? "BEGIN" : "SAVEPOINT " + Wanted.PROBE_SAVEPOINT);
        statements.addAll(wanted.probe());
        statements.add(wanted.query());
        statements.addAll(undo);
        Exchange exchange = send(step, statements);
        int query = 1 + wanted.probe().size();
        if (exchange.failed() && exchange.completed() <= query) {
            Exchange rollback = send(step, undo);
            if (rollback.failed()) {
                throw failure(Kind.GUARD_FAILED, step, rollback.error(),
                        "rolling back the comparison with the existing object failed");
            }
            return Optional.of("an object of that name exists, and what the operation wants cannot be built to compare "
                    + "with it (" + exchange.error().getSQLState() + ": " + Judge.serverMessage(exchange.error())
                    + "): the operation is wrong, not the database");
        }
        if (exchange.failed()) {
            throw failure(Kind.GUARD_FAILED, step, exchange.error(),
                    "rolling back the comparison with the existing object failed");
        }
        return wanted.difference().apply(exchange.firstValue(query));
    }

    /** Asks the server one question of safe-ops' own for {@code step}, recording nothing: the answer's first value. */
    String ask(Step step, String query) throws SafeOpsException {
        Exchange answer = send(step, List.of(query));
        if (answer.failed()) {
            throw failure(Kind.GUARD_FAILED, step, answer.error(), "a catalog look-up of safe-ops' own failed");
        }
        return answer.firstValue(0);
    }

    private Exchange send(Step step, List<String> statements) throws SafeOpsException {
        return exchange(step, () -> preflight.send(statements));
    }

    /**
     * A failure of {@code step}, with the transaction's state as it really is now; a lost
     * connection makes any failure {@link Kind#CONNECTION_LOST}.
     */
    private SafeOpsException failure(Kind kind, Step step, SQLException error, String why) {
        String sqlState = error.getSQLState();
        After after = after();
        if (after == After.CLOSED || ErrorClass.isConnectionLoss(sqlState)) {
            kind = Kind.CONNECTION_LOST;
        } else if (kind == Kind.DRIVER_ERROR && after == After.USABLE) {
            // The server did not stop at the error: statements after it may have run unguarded.
            after = After.ABORTED;
        }
        LockWaits.Explanation lock = lockWaits.explain(step, sqlState);
        String reason = step.operation().description() + " failed with SQLSTATE " + sqlState + ' '
                + SqlStates.name(sqlState) + ": " + Judge.serverMessage(error) + " — not tolerated: " + why + lock.text();
        return new SafeOpsException(kind, reason, sqlState, step.sql(), step.operation().description(),
                step.location(), after, error, lock.retries());
    }

    /** The transaction's state now: from the connection and the driver, or a harmless probe. */
    private After after() {
        try {
            if (connection.isClosed()) {
                return After.CLOSED;
            }
            if (connection.getAutoCommit()) {
                return After.AUTOCOMMIT;
            }
            return channel.aborted() ? After.ABORTED : After.USABLE;
        } catch (SQLException e) {
            return connectionLost() ? After.CLOSED : After.ABORTED;
        }
    }

    private static long utf8Length(String sql) {
        long bytes = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}

package dev.safeops;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Runs operations so that a tolerated error can never poison the caller's transaction.
 *
 * <p>Inside a transaction every operation travels as {@code SAVEPOINT; statement; RELEASE}. Known
 * operations are pipelined: a window of them goes out in one round trip. When one fails, the
 * server ignores the rest of the window; the guard rolls back to that operation's savepoint (only
 * one is ever open, because every success releases its own), decides, and resends the rest of the
 * window behind the rollback and an assertion that the catalog confirms the skip (which stops the
 * server from running the rest when it does not). A skip therefore costs one extra round trip. In
 * autocommit mode each statement is its own transaction and needs no savepoint.
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
    /** A long script must not be held in memory twice, nor a huge statement resent after every skip. */
    static final int WINDOW_CHARACTERS = 1 << 20;

    private final Connection connection;
    private final Channel channel;
    private final Judge judge;
    private final Recorder recorder;
    private final int groupSize;
    private final int windowOperations;

    Guard(Connection connection, Channel channel, Policy policy, Recorder recorder, int groupSize) {
        this.connection = connection;
        this.channel = channel;
        this.judge = new Judge(policy);
        this.recorder = recorder;
        this.groupSize = groupSize;
        this.windowOperations = windowOperations(groupSize);
    }

    /** Whole groups per window so that groups line up across windows; one large group if none fits. */
    static int windowOperations(int groupSize) {
        int queries = DRIVER_QUERIES_PER_ROUND_TRIP - RECOVERY.size();
        int groups = queries / (groupSize + 2);
        return groups == 0 ? queries - 2 : groups * groupSize;
    }

    Outcome run(Operation operation) throws SafeOpsException {
        runAll(List.of(operation).iterator());
        return recorder.last();
    }

    void runAll(Iterator<Operation> operations) throws SafeOpsException {
        boolean autoCommit;
        try {
            refuseAbortedTransaction();
            autoCommit = connection.getAutoCommit();
        } catch (SafeOpsException e) {
            throw e;
        } catch (SQLException e) {
            throw failure(null, e, "the connection could not be used");
        }
        if (autoCommit) {
            while (operations.hasNext()) {
                runAlone(operations.next());
            }
        } else {
            new Pipeline(operations).run();
        }
    }

    private void refuseAbortedTransaction() throws SQLException {
        if (channel.knownAborted()) {
            throw new SafeOpsException("safe-ops: the transaction is already aborted (25P02 in_failed_sql_transaction): "
                    + "an earlier statement failed outside safe-ops and PostgreSQL will refuse every further "
                    + "statement until the transaction is rolled back. Nothing was sent. Roll the transaction back "
                    + "(or to a savepoint taken before the failure) and run the migration again.",
                    SqlStates.IN_FAILED_SQL_TRANSACTION, null, null, null, null);
        }
    }

    /** Autocommit: one statement, its own transaction, nothing to roll back when it fails. */
    private void runAlone(Operation operation) throws SafeOpsException {
        refuseTransactionControl(operation);
        Exchange exchange = send(operation, List.of(operation.sql()));
        if (!exchange.failed()) {
            Optional<String> repaired = checkBuiltIndex(operation);
            if (repaired.isPresent()) {
                recorder.applied(operation, repaired.get());
            } else {
                recorder.applied(operation);
            }
            return;
        }
        Verdict verdict = judge.judge(operation, exchange.error());
        if (verdict.kind() == Verdict.Kind.CONFIRM) {
            verdict = confirm(operation, verdict, exchange.error(), List.of(), true);
        }
        if (verdict.kind() == Verdict.Kind.REPAIR) {
            recorder.applied(operation, rebuild(operation, exchange.error(), verdict));
            return;
        }
        if (verdict.kind() == Verdict.Kind.FAIL) {
            throw failure(operation, exchange.error(), verdict.reason() + leftInvalid(operation));
        }
        recorder.skipped(operation, exchange.error().getSQLState(), verdict.reason());
    }

    /** A concurrent build that fails leaves its index behind, invalid: say so, with the repair. */
    private String leftInvalid(Operation operation) throws SafeOpsException {
        Optional<SkipRule.IndexTarget> index = SkipRule.indexCreatedBy(operation.shape());
        if (!operation.forbiddenInTransaction() || index.isEmpty()) {
            return "";
        }
        Fact invalid = CatalogCheck.indexInvalid(index.get().table(), index.get().name());
        Exchange check = send(operation, List.of(CatalogCheck.query(List.of(invalid))));
        return !check.failed() && "t".equals(check.firstValue(0))
                ? "; the failed build left the index " + index.get().name() + " behind INVALID (queries do not use "
                        + "it, a unique one enforces nothing): drop it with " + SkipRule.dropIndex(index.get())
                        + " before running again"
                : "";
    }

    /**
     * A concurrent build that failed earlier leaves an invalid index, which is never "already there":
     * in autocommit mode a concurrent build drops it concurrently and builds it again; anything else
     * fails with the command that repairs it. Returns the repair, for the outcome's reason.
     */
    private String rebuild(Operation operation, SQLException error, Verdict verdict) throws SafeOpsException {
        if (!operation.forbiddenInTransaction()) {
            throw failure(operation, error, invalidIndex(verdict));
        }
        // One at a time: statements sent together share an implicit transaction, which neither allows.
        Exchange repair = send(operation, List.of(verdict.repair()));
        if (!repair.failed()) {
            repair = send(operation, List.of(operation.sql()));
        }
        if (repair.failed()) {
            throw failure(operation, repair.error(), "repairing the invalid index (" + verdict.repair()
                    + ", then the build again) failed");
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
     * {@code CREATE INDEX … IF NOT EXISTS} succeeds, with a notice, when an index of that name is
     * there, even an invalid one; so afterwards the index must be valid. Empty when it is, or the
     * repair made when it was not.
     */
    private Optional<String> checkBuiltIndex(Operation operation) throws SafeOpsException {
        if (!operation.shape().createsIndexIfNotExists()) {
            return Optional.empty();
        }
        Optional<SkipRule.IndexTarget> index = SkipRule.indexCreatedBy(operation.shape());
        if (index.isEmpty()) {
            return Optional.empty();
        }
        Fact invalid = CatalogCheck.indexInvalid(index.get().table(), index.get().name());
        Exchange check = send(operation, List.of(CatalogCheck.query(List.of(invalid))));
        if (check.failed() || !"t".equals(check.firstValue(0))) {
            return Optional.empty();
        }
        Verdict verdict = Verdict.repair(invalid.claim(), SkipRule.dropIndex(index.get()));
        SQLException notice = new SQLException(invalid.claim() + " (IF NOT EXISTS kept it)", "42P07");
        return Optional.of(rebuild(operation, notice, verdict));
    }

    /**
     * The transactional path: windows of guarded operations, one round trip each while nothing fails.
     *
     * <p>With a group size above one, consecutive operations share a savepoint, which keeps a long
     * script under PostgreSQL's 64 cached subtransactions. When a statement in a group fails, the
     * whole group is rolled back and replayed one operation per savepoint, so outcomes are the same
     * as without groups; the price is one more round trip per failing group, and statements of that
     * group that had succeeded run twice (harmless for DDL, visible for non-transactional effects
     * such as sequence increments).
     */
    private final class Pipeline {
        private final Iterator<Operation> source;
        private final Deque<Operation> window = new ArrayDeque<>();
        /** How many operations at the head of the window must each get their own savepoint (a replayed group). */
        private int alone;
        /** Statements that must go first in the next round trip: the rollback of a tolerated failure. */
        private List<String> pending = List.of();
        /** A failure whose skip the catalog confirms in the next round trip, as part of {@link #pending}. */
        private Tentative tentative;

        Pipeline(Iterator<Operation> source) {
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
         * its rows could be of any size; one PostgreSQL refuses in a transaction is refused before
         * anything behind it is sent.
         */
        private boolean fill() throws SafeOpsException {
            int characters = window.stream().mapToInt(o -> o.sql().length()).sum();
            while (window.size() < windowOperations && characters < WINDOW_CHARACTERS && source.hasNext()) {
                Operation next = source.next();
                if (next.forbiddenInTransaction()) {
                    drain();
                    throw refusedInTransaction(next);
                }
                refuseTransactionControl(next);
                window.add(next);
                characters += next.sql().length();
                if (next.returnsRows()) {
                    break;
                }
            }
            return !window.isEmpty();
        }

        /** Runs what is already in the window before refusing the operation that follows it. */
        private void drain() throws SafeOpsException {
            while (!window.isEmpty()) {
                sendWindow();
            }
        }

        /** The window cut into runs that share one savepoint. */
        private List<List<Operation>> units() {
            List<List<Operation>> units = new ArrayList<>();
            List<Operation> current = new ArrayList<>();
            int index = 0;
            for (Operation operation : window) {
                int limit = index++ < alone || operation.survivesRollback() ? 1 : groupSize;
                if (operation.survivesRollback() && !current.isEmpty()) {
                    // replaying a group would run it twice: it never shares a savepoint
                    units.add(current);
                    current = new ArrayList<>();
                }
                current.add(operation);
                if (current.size() >= limit || operation.returnsRows()) {
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
            List<List<Operation>> units = units();
            List<String> statements = new ArrayList<>(pending.size() + 3 * window.size());
            statements.addAll(pending);
            for (List<Operation> unit : units) {
                statements.add(SAVEPOINT);
                unit.forEach(operation -> statements.add(operation.sql()));
                statements.add(RELEASE);
            }
            int recovery = pending.size();
            Operation head = window.peekFirst();
            Exchange exchange = send(head, statements);
            if (tentative != null && !settle(exchange)) {
                return; // the skip was confirmed the slow way; nothing of the window ran, it goes again
            }
            if (exchange.failed() && exchange.completed() < recovery) {
                throw failure(head, exchange.error(), "rolling back a skipped statement failed");
            }
            pending = List.of();
            int completed = exchange.completed() - recovery;
            for (List<Operation> unit : units) {
                recorder.savepointsSent(1);
                int size = unit.size() + 2;
                if (completed >= size) {
                    unit.forEach(operation -> recorder.applied(window.removeFirst()));
                    alone = Math.max(0, alone - unit.size());
                    completed -= size;
                    continue;
                }
                // This unit holds the failure; the server skipped everything after it.
                if (completed == 0 || completed == size - 1) {
                    String state = exchange.error().getSQLState();
                    throw failure(unit.get(0), exchange.error(), ErrorClass.isConnectionLoss(state)
                            ? state + " " + SqlStates.name(state) + " is never tolerated: the session is gone"
                            : "safe-ops' own savepoint handling failed");
                }
                if (unit.size() > 1) {
                    pending = RECOVERY;
                    alone = unit.size();
                    return;
                }
                alone = Math.max(0, alone - 1);
                handleFailure(window.removeFirst(), exchange.error());
                return;
            }
            if (exchange.failed()) {
                // Every statement answered, yet the exchange failed: never let such an error pass unseen.
                throw failure(null, exchange.error(), "the server reported an error after the last statement");
            }
        }

        private void handleFailure(Operation failed, SQLException error) throws SafeOpsException {
            Verdict verdict = judge.judge(failed, error);
            if (verdict.kind() == Verdict.Kind.CONFIRM && failed.wanted() == null) {
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
                flushPending();
                window.clear();
                throw failure(failed, error, verdict.reason());
            }
            recorder.skipped(failed, error.getSQLState(), verdict.reason());
        }

        private void flushPending() throws SafeOpsException {
            if (pending.isEmpty() || connectionLost()) {
                return;
            }
            List<String> statements = pending;
            pending = List.of();
            Exchange exchange = send(null, statements);
            boolean settled = tentative == null || settle(exchange);
            if (settled && exchange.failed()) {
                throw failure(null, exchange.error(), "rolling back a skipped statement failed");
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
                recorder.skipped(skip.operation(), sqlState, verdict.reason());
                return true;
            }
            if (exchange.completed() == 0) {
                return true; // the rollback itself failed: the caller reports it
            }
            pending = List.of();
            Verdict verdict = confirm(skip.operation(), skip.verdict(), skip.error(), RECOVERY, false);
            if (verdict.kind() != Verdict.Kind.TOLERATE) {
                window.clear();
                throw failure(skip.operation(), skip.error(), verdict.kind() == Verdict.Kind.REPAIR
                        ? invalidIndex(verdict) : verdict.reason());
            }
            recorder.skipped(skip.operation(), sqlState, verdict.reason());
            return false;
        }

        private boolean connectionLost() {
            try {
                return connection.isClosed();
            } catch (SQLException e) {
                return true;
            }
        }
    }

    /** A failed operation, the error, and the verdict waiting for the catalog's confirmation. */
    private record Tentative(Operation operation, SQLException error, Verdict verdict) {
    }

    /**
     * Asks the catalog what a pending verdict needs to know, after the statements that must go first
     * (the rollback of the failed statement, inside a transaction), in one round trip: one query for
     * every object the skip rests on. A typed operation then compares the object there with the one
     * it wants.
     */
    private Verdict confirm(Operation operation, Verdict pending, SQLException error, List<String> first,
                            boolean autoCommit) throws SafeOpsException {
        List<String> statements = new ArrayList<>(first);
        statements.add(CatalogCheck.query(pending.confirmation().facts()));
        Exchange check = send(operation, statements);
        if (check.failed()) {
            throw failure(operation, check.error(), "the catalog look-up that would confirm the skip failed");
        }
        Verdict verdict = judge.confirmed(pending, error.getSQLState(), check.firstValue(first.size()));
        if (verdict.kind() != Verdict.Kind.TOLERATE || !verdict.objectPresent() || operation.wanted() == null) {
            return verdict;
        }
        Optional<String> difference = compare(operation, operation.wanted(), autoCommit);
        return difference.isPresent() ? Verdict.fail(difference.get())
                : Verdict.tolerate(verdict.reason() + "; already exists as wanted", true);
    }

    /**
     * Runs a typed operation's comparison: its model is built inside a savepoint (in autocommit mode,
     * a transaction) that is always rolled back, so nothing of it stays.
     */
    private Optional<String> compare(Operation operation, Wanted wanted, boolean autoCommit) throws SafeOpsException {
        List<String> undo = autoCommit ? List.of("ROLLBACK")
                : List.of("ROLLBACK TO SAVEPOINT " + Wanted.PROBE_SAVEPOINT, "RELEASE SAVEPOINT " + Wanted.PROBE_SAVEPOINT);
        List<String> statements = new ArrayList<>();
        statements.add(autoCommit ? "BEGIN" : "SAVEPOINT " + Wanted.PROBE_SAVEPOINT);
        statements.addAll(wanted.probe());
        statements.add(wanted.query());
        statements.addAll(undo);
        Exchange exchange = send(operation, statements);
        int query = 1 + wanted.probe().size();
        if (exchange.failed() && exchange.completed() <= query) {
            Exchange rollback = send(operation, undo);
            if (rollback.failed()) {
                throw failure(operation, rollback.error(), "rolling back the comparison with the existing object failed");
            }
            return Optional.of("an object of that name exists, and what the operation wants cannot be built to compare "
                    + "with it (" + exchange.error().getSQLState() + ": " + Judge.serverMessage(exchange.error())
                    + "): the operation is wrong, not the database");
        }
        if (exchange.failed()) {
            throw failure(operation, exchange.error(), "rolling back the comparison with the existing object failed");
        }
        return wanted.difference().apply(exchange.firstValue(query));
    }

    private Exchange send(Operation operation, List<String> statements) throws SafeOpsException {
        try {
            return channel.send(statements);
        } catch (SQLException e) {
            throw failure(operation, e, "the server could not be reached");
        }
    }

    private void refuseTransactionControl(Operation operation) throws SafeOpsException {
        if (operation.transactionControl()) {
            throw new SafeOpsException("safe-ops: " + where(operation) + "refused transaction control statement "
                    + operation.sql() + ": safe-ops runs inside the caller's transaction and guards each statement "
                    + "with a savepoint, so a script must not begin, end or roll back transactions itself. "
                    + "Remove the statement; nothing was sent.",
                    SqlStates.ACTIVE_SQL_TRANSACTION, operation.sql(), operation.description(),
                    operation.location(), null);
        }
    }

    private static SafeOpsException refusedInTransaction(Operation operation) {
        return new SafeOpsException("safe-ops: " + where(operation) + operation.description()
                + " cannot run inside a transaction block (25001 active_sql_transaction), and this connection "
                + "is in one. Run it on its own on a connection in autocommit mode (the safe-ops command line "
                + "runs such statements after the commit). It was not sent. Statement: " + operation.sql(),
                SqlStates.ACTIVE_SQL_TRANSACTION, operation.sql(), operation.description(), operation.location(), null);
    }

    private SafeOpsException failure(Operation operation, SQLException error, String why) {
        String sqlState = error.getSQLState();
        StringBuilder message = new StringBuilder("safe-ops: ").append(where(operation));
        message.append(operation == null ? "statement" : operation.description())
                .append(" failed with SQLSTATE ").append(sqlState).append(' ').append(SqlStates.name(sqlState))
                .append(": ").append(Judge.serverMessage(error)).append(" — not tolerated: ").append(why).append('.');
        if (operation != null) {
            message.append("\n  statement: ").append(operation.sql());
        }
        message.append("\n  ").append(nextStep(sqlState));
        return new SafeOpsException(message.toString(), sqlState, operation == null ? null : operation.sql(),
                operation == null ? null : operation.description(), operation == null ? null : operation.location(),
                error);
    }

    private String nextStep(String sqlState) {
        if (ErrorClass.isConnectionLoss(sqlState)) {
            return "The connection is lost: nothing since the last commit was kept.";
        }
        try {
            if (connection.getAutoCommit()) {
                return "Autocommit is on: the statements before this one are committed; this one changed nothing.";
            }
        } catch (SQLException e) {
            return "The state of the connection is unknown.";
        }
        return "The statement was rolled back to its own savepoint: the transaction is still open with "
                + "everything applied before it. Roll it back, or fix the cause and carry on.";
    }

    private static String where(Operation operation) {
        return operation == null || operation.location() == null ? "" : operation.location() + ": ";
    }
}

package dev.safeops.jdbc.internal;

import dev.safeops.Location;
import dev.safeops.Outcome;
import dev.safeops.Policy;
import dev.safeops.Report;
import dev.safeops.SafeOps;
import dev.safeops.ScriptStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Internal. Guards the statements of one wrapped connection: each runs inside its own savepoint (in
 * a transaction) and its outcome is judged and recorded by the connection's {@link SafeOps}, through
 * {@link SafeOps#account}, so the judgement is exactly that of {@code SafeOps.execute}.
 *
 * <p>Memory stays bounded however long the connection lives: only the current unit of work (one
 * transaction) keeps outcomes, through {@link SafeOps#startUnitOfWork()}; the listener sees all of
 * them.
 */
public final class StatementGuard {

    /** Where a statement sent through JDBC comes from, for the statement classifier only. */
    private static final Location JDBC = new Location("jdbc", 1);

    private final Connection connection;
    private final Policy policy;
    private final Savepoints savepoints;
    private final WrapperClasses classes;
    private final SafeOps unit;
    private boolean unitEnded;

    StatementGuard(Connection connection, Policy policy, Savepoints savepoints, WrapperClasses classes) {
        this.connection = connection;
        this.policy = policy;
        this.savepoints = savepoints;
        this.classes = classes;
        this.unit = SafeOps.on(connection, policy);
    }

    Policy policy() {
        return policy;
    }

    WrapperClasses classes() {
        return classes;
    }

    Report report() {
        return unit.report();
    }

    Report startUnitOfWork() {
        Report ended = unit.report();
        unit.startUnitOfWork();
        unitEnded = false;
        return ended;
    }

    void onOutcome(Consumer<Outcome> listener) {
        unit.onOutcome(Objects.requireNonNull(listener, "listener"));
    }

    /** The transaction ended: the next guarded statement begins a new unit of work. */
    void transactionEnded() {
        unitEnded = true;
    }

    /**
     * Runs one statement guarded. Statements that begin or end a transaction or savepoint are the
     * caller's own transaction handling and run as they are.
     */
    <T> Guarded<T> run(String sql, SqlCall<T> call) throws SQLException {
        if (passesThrough(sql)) {
            return Guarded.ran(call.call());
        }
        SafeOps current = currentUnit();
        boolean transaction = !connection.getAutoCommit();
        if (!transaction) {
            unitEnded = true; // in autocommit mode every statement is a transaction of its own
        }
        Attempt<T> attempt = attempt(call, transaction);
        Outcome outcome = current.account(sql, transaction, attempt.error());
        return attempt.error() == null ? Guarded.ran(attempt.value()) : Guarded.skip(outcome);
    }

    /**
     * Sends a batch of statements inside one savepoint (a transaction must be open). Returns the
     * driver's counts, each statement recorded as applied; or {@code null} when the batch failed and
     * its savepoint undid all of it, so the caller can run the statements one by one.
     */
    long[] runBatch(List<String> statements, SqlCall<long[]> send) throws SQLException {
        SafeOps current = currentUnit();
        Attempt<long[]> attempt = attempt(send, true);
        if (attempt.error() != null) {
            return null;
        }
        boolean first = true;
        for (String sql : statements) {
            current.account(sql, first, null);
            first = false;
        }
        return attempt.value();
    }

    /** The driver's result, or the error of a call that was undone (in its savepoint, when it had one). */
    private record Attempt<T>(T value, SQLException error) {
    }

    private <T> Attempt<T> attempt(SqlCall<T> call, boolean inSavepoint) throws SQLException {
        Object savepoint = inSavepoint ? savepoints.enter() : null;
        T value;
        try {
            value = call.call();
        } catch (SQLException e) {
            if (inSavepoint) {
                try {
                    savepoints.failed(savepoint);
                } catch (SQLException undo) {
                    e.addSuppressed(undo);
                    throw e;
                }
            }
            return new Attempt<>(null, e);
        }
        if (inSavepoint) {
            savepoints.succeeded(savepoint);
        }
        return new Attempt<>(value, null);
    }

    private static boolean passesThrough(String sql) {
        if (sql == null || sql.isBlank()) {
            return true;
        }
        try {
            return new ScriptStatement(0, sql, JDBC).transactionControl();
        } catch (RuntimeException unreadable) {
            return false; // an unterminated quote or comment: the server reports it, guarded like any error
        }
    }

    private SafeOps currentUnit() {
        if (unitEnded) {
            unit.startUnitOfWork();
            unitEnded = false;
        }
        return unit;
    }
}

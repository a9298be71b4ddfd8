package dev.safeops;

import java.sql.SQLException;
import java.util.Objects;

/**
 * An error safe-ops did not tolerate, or a statement it refused to send. Its parts are available
 * on their own — {@link #kind()}, {@link #reason()}, {@link #location()}, {@link #statement()},
 * {@link #getSQLState()}, {@link #transactionUsable()} — and the message is built from them, so no
 * caller needs to parse it.
 *
 * <p>{@link #transactionUsable()} reports the transaction's real state, read after the failure
 * (from pgjdbc's own bookkeeping, or with a harmless probe on other connections): when it is true,
 * the failing statement was rolled back to its own savepoint and everything applied before it is
 * still in the transaction, so the caller decides whether to roll back or carry on.
 */
public final class SafeOpsException extends SQLException {

    private static final long serialVersionUID = 1L;

    /** What kind of failure this is. */
    public enum Kind {
        /** Refused from the statement's text or the connection's state before anything was sent. */
        REFUSED,
        /** The server rejected the statement and the policy does not tolerate the error. */
        NOT_TOLERATED,
        /** The connection is gone: nothing since the last commit was kept. */
        CONNECTION_LOST,
        /**
         * The driver, not the server, raised the error while statements were in flight; what the
         * server did with the statements after it is unknown, so the transaction is not usable.
         */
        DRIVER_ERROR,
        /** safe-ops' own savepoint, rollback or catalog look-up failed. */
        GUARD_FAILED,
        /**
         * Refused before anything of the script was sent: a statement would destroy data (rows,
         * non-null values, values a type change alters, objects dropped with CASCADE) of an object
         * whose loss the settings do not accept.
         */
        DATA_LOSS,
        /**
         * Refused before anything of the script was sent: a statement would lock or rewrite a large
         * table, and the settings fail on risk.
         */
        RISK
    }

    /** The transaction's state once the failure was handled. */
    enum After {
        /** Nothing was sent: the transaction is exactly as it was. */
        UNCHANGED,
        /** The failing statement was rolled back to its savepoint; the transaction is open. */
        USABLE,
        /** The transaction is aborted and must be rolled back. */
        ABORTED,
        /** The connection is closed. */
        CLOSED,
        /** Autocommit: earlier statements are committed, this one changed nothing. */
        AUTOCOMMIT
    }

    private final Kind kind;
    private final String reason;
    private final String statement;
    private final String operation;
    private final Location location;
    private final After after;
    private final int lockRetries;

    SafeOpsException(Kind kind, String reason, String sqlState, String statement, String operation,
                     Location location, After after, Throwable cause) {
        this(kind, reason, sqlState, statement, operation, location, after, cause, 0);
    }

    SafeOpsException(Kind kind, String reason, String sqlState, String statement, String operation,
                     Location location, After after, Throwable cause, int lockRetries) {
        super(message(reason, statement, location, after), sqlState, cause);
        this.lockRetries = lockRetries;
        this.kind = Objects.requireNonNull(kind, "kind");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.statement = statement;
        this.operation = operation;
        this.location = Objects.requireNonNull(location, "location");
        this.after = Objects.requireNonNull(after, "after");
    }

    private static String message(String reason, String statement, Location location, After after) {
        StringBuilder message = new StringBuilder("safe-ops: ").append(location).append(": ").append(reason)
                .append('.');
        if (statement != null) {
            message.append("\n  statement: ").append(statement);
        }
        return message.append("\n  ").append(nextStep(after)).toString();
    }

    private static String nextStep(After after) {
        return switch (after) {
            case UNCHANGED -> "Nothing was sent: the transaction is as it was.";
            case USABLE -> "The statement was rolled back to its own savepoint: the transaction is still open "
                    + "with everything applied before it. Roll it back, or fix the cause and carry on.";
            case ABORTED -> "The transaction is aborted: roll it back; nothing since the last commit can be kept.";
            case CLOSED -> "The connection is lost: nothing since the last commit was kept.";
            case AUTOCOMMIT -> "Autocommit is on: the statements before this one are committed; this one "
                    + "changed nothing.";
        };
    }

    /** What kind of failure this is. */
    public Kind kind() {
        return kind;
    }

    /**
     * Why, in one sentence without the location, the statement or the advice that the message adds,
     * e.g. {@code ALTER TABLE users … failed with SQLSTATE 42601 syntax_error: … — not tolerated: …}.
     */
    public String reason() {
        return reason;
    }

    /** The statement that failed or was refused, or {@code null} when the error came before any statement. */
    public String statement() {
        return statement;
    }

    /** What the failed operation does, e.g. {@code add column users.password}; {@code null} with no statement. */
    public String operation() {
        return operation;
    }

    /**
     * Where the statement came from; never {@code null}. For a script statement, its file and line;
     * for {@link SafeOps#execute} and typed operations, the caller's own source line (the first stack
     * frame outside safe-ops).
     */
    public Location location() {
        return location;
    }

    /**
     * How many times the statement was tried again after its lock wait timed out, before this
     * failure (see {@link Settings.LockRetries}); 0 when it was not.
     */
    public int lockRetries() {
        return lockRetries;
    }

    /**
     * Whether the transaction can still be used: the failing statement changed nothing and
     * everything applied before it is still there. False when the transaction is aborted, the
     * connection is lost, or autocommit is on (there is no transaction to keep).
     */
    public boolean transactionUsable() {
        return after == After.USABLE || after == After.UNCHANGED;
    }
}

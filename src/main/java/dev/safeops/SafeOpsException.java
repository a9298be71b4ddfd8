package dev.safeops;

import java.sql.SQLException;

/**
 * An error safe-ops did not tolerate. It carries the SQLSTATE, the statement, the operation and,
 * for scripts, the file and line.
 *
 * <p>When the error came from a guarded statement inside a transaction, that statement has already
 * been rolled back to its own savepoint: the transaction is still usable and everything applied
 * before is still in it, so the caller decides whether to roll back or carry on. The exceptions are
 * connection errors (SQLSTATE class 08), after which nothing more can be sent, and errors refused
 * before anything was sent (for instance an already-aborted transaction).
 */
public final class SafeOpsException extends SQLException {

    private static final long serialVersionUID = 1L;

    private final String statement;
    private final String operation;
    private final Location location;

    SafeOpsException(String message, String sqlState, String statement, String operation, Location location,
                     Throwable cause) {
        super(message, sqlState, cause);
        this.statement = statement;
        this.operation = operation;
        this.location = location;
    }

    /** The statement that failed, or {@code null} when the error came before any statement. */
    public String statement() {
        return statement;
    }

    /** What the failed operation does, e.g. {@code add column users.password}. */
    public String operation() {
        return operation;
    }

    /** The file and line of the statement when it came from a script; {@code null} otherwise. */
    public Location location() {
        return location;
    }
}

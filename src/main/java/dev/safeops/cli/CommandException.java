package dev.safeops.cli;

/**
 * Ends a command with an exit code and a message for the user, printed without a stack trace: the
 * expected ways a command stops early (bad input, no connection, a report that cannot be written).
 */
final class CommandException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CommandException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CommandException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}

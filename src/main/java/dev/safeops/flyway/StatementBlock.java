package dev.safeops.flyway;

import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.ErrorDetails;
import org.flywaydb.core.api.exception.FlywayBlockStatementExecutionException;

/**
 * Flyway's way for a callback to say "I ran this statement, do not run it again". Kept apart from
 * {@link SafeOpsCallback}, whose declared types are in every Flyway, so that an older Flyway without
 * these classes fails {@link FlywayRequirement}'s clear check instead of class verification.
 */
final class StatementBlock {

    private StatementBlock() {
    }

    /** The exception that stops Flyway from running the statement safe-ops just ran. */
    static RuntimeException ranInFlywaysPlace(String statement) {
        return new FlywayBlockStatementExecutionException(new ErrorDetails(CoreErrorCode.ERROR, statement),
                "run by safe-ops");
    }
}

package dev.safeops;

import java.util.Set;

/**
 * What an error means for a guarded operation, decided by SQLSTATE alone: message texts are
 * translated and reworded between releases, SQLSTATEs are not.
 */
enum ErrorClass {
    /** The statement names an object that is not there. */
    MISSING,
    /** The statement creates an object that is already there. */
    EXISTING,
    /**
     * A generic SQLSTATE that PostgreSQL also raises when an object is already there (42P16 for a
     * second primary key, 42809 for a table already attached as a partition) but for other mistakes
     * too, so only the catalog can tell.
     */
    EXISTING_IF_CONFIRMED,
    /** Never tolerated, whatever the policy. */
    FATAL;

    private static final Set<String> MISSING_STATES = Set.of("42P01", "42703", "42704", "3F000", "42883");
    private static final Set<String> EXISTING_STATES = Set.of("42P07", "42701", "42710", "42P06", "42723");
    private static final Set<String> GENERIC_STATES = Set.of("42P16", "42809");

    static ErrorClass of(String sqlState) {
        if (sqlState == null) {
            return FATAL;
        }
        if (MISSING_STATES.contains(sqlState)) {
            return MISSING;
        }
        if (EXISTING_STATES.contains(sqlState)) {
            return EXISTING;
        }
        return GENERIC_STATES.contains(sqlState) ? EXISTING_IF_CONFIRMED : FATAL;
    }

    /** The server ending the session (admin_shutdown, crash_shutdown, cannot_connect_now). */
    private static final Set<String> SESSION_ENDED = Set.of("57P01", "57P02", "57P03");

    /** Errors after which nothing more can be sent on the connection. */
    static boolean isConnectionLoss(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || SESSION_ENDED.contains(sqlState));
    }

    Tolerance tolerance() {
        return switch (this) {
            case MISSING -> Tolerance.MISSING;
            case EXISTING, EXISTING_IF_CONFIRMED -> Tolerance.EXISTING;
            case FATAL -> throw new IllegalStateException("a fatal error has no tolerance class");
        };
    }
}

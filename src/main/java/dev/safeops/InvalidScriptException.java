package dev.safeops;

import java.util.Objects;

/**
 * A SQL script that safe-ops refuses to run, found while reading it and therefore before any of its
 * statements could have been sent to the database.
 *
 * <p>The message always starts with the {@linkplain #location() location} as {@code file:line: },
 * followed by what is wrong, for example {@code V3__users.sql:12: unterminated dollar-quoted string
 * $body$ starting at line 12}.
 */
public class InvalidScriptException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final Location location;

    /**
     * @param location where the problem is
     * @param problem what is wrong, without the location (it is prepended)
     */
    public InvalidScriptException(Location location, String problem) {
        this(location, problem, null);
    }

    /**
     * @param location where the problem is
     * @param problem what is wrong, without the location (it is prepended)
     * @param cause the underlying failure, for example the {@link java.io.IOException} of an
     *     unreadable file; may be {@code null}
     */
    public InvalidScriptException(Location location, String problem, Throwable cause) {
        super(Objects.requireNonNull(location, "location") + ": " + Objects.requireNonNull(problem, "problem"), cause);
        this.location = location;
    }

    /** Returns the script and line the problem was found at. */
    public Location location() {
        return location;
    }
}

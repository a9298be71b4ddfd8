package dev.safeops;

/**
 * The two kinds of error safe-ops may turn into a reported skip, once the catalog confirms that the
 * statement's own target is absent (or already there); see README's "What is tolerated" for which
 * object each statement is judged by. Anything else always fails.
 */
public enum Tolerance {
    /**
     * The object the statement acts on is not there: undefined table, column, object, schema or
     * function (SQLSTATE 42P01, 42703, 42704, 3F000, 42883). Typical of optional modules.
     */
    MISSING("missing object"),

    /**
     * The statement creates an object that is already there: duplicate table, column, object,
     * schema or function (42P07, 42701, 42710, 42P06, 42723), a primary key that already exists
     * (42P16) or a table already attached as a partition (42809).
     */
    EXISTING("already exists");

    private final String description;

    Tolerance(String description) {
        this.description = description;
    }

    /** A few words for reports and messages, e.g. {@code "missing object"}. */
    public String description() {
        return description;
    }
}

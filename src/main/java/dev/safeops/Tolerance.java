package dev.safeops;

/**
 * The two kinds of error safe-ops may turn into a reported skip. Anything else always fails.
 */
public enum Tolerance {
    /**
     * The statement names an object that is not there: undefined table, column, object, schema or
     * function (SQLSTATE 42P01, 42703, 42704, 3F000, 42883). Typical of optional modules.
     */
    MISSING("missing object"),

    /**
     * The statement creates an object that is already there: duplicate table, column, object,
     * schema or function (42P07, 42701, 42710, 42P06, 42723), and, after the catalog confirms it,
     * a primary key that already exists (42P16) or a table already attached as a partition (42809).
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

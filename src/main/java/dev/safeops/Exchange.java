package dev.safeops;

import java.sql.SQLException;
import java.util.Map;

/**
 * The result of sending a list of statements: how many completed before the first error, the
 * error, whether the driver rather than the server raised it, and the first value of each
 * statement that returned rows.
 *
 * <p>The server skips everything after an error until the end of the exchange, so {@code
 * completed} is also the index of the statement that failed. An error the driver raises on its own
 * (a protocol message it does not handle) does not stop the server: statements after it may have
 * run.
 */
record Exchange(int completed, SQLException error, boolean raisedByDriver, Map<Integer, String> firstValues) {

    Exchange {
        firstValues = Map.copyOf(firstValues);
    }

    boolean failed() {
        return error != null;
    }

    String firstValue(int statement) {
        return firstValues.get(statement);
    }
}

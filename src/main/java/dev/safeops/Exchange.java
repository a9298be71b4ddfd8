package dev.safeops;

import java.sql.SQLException;
import java.util.Map;

/**
 * The result of sending a list of statements: how many completed before the first error, the
 * error, and the first value of each statement that returned rows.
 */
record Exchange(int completed, SQLException error, Map<Integer, String> firstValues) {

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

package dev.safeops.jdbc.internal;

import dev.safeops.Outcome;

/**
 * What a guarded call gave: the driver's result, or the outcome of a skip (then there is no result).
 *
 * @param value   the driver's result; {@code null} when skipped
 * @param skipped the skip's outcome; {@code null} when the statement ran
 */
record Guarded<T>(T value, Outcome skipped) {

    static <T> Guarded<T> ran(T value) {
        return new Guarded<>(value, null);
    }

    static <T> Guarded<T> skip(Outcome outcome) {
        return new Guarded<>(null, outcome);
    }

    boolean wasSkipped() {
        return skipped != null;
    }
}

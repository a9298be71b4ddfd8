package dev.safeops;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where something is in a SQL script: the script's name (usually its file path) and a 1-based line
 * number.
 *
 * <p>{@link #toString()} renders {@code file:line}, the form compilers and editors use, so messages
 * that start with a location can be clicked in most terminals and IDEs.
 *
 * @param file the script's name as given when it was read or parsed; never {@code null}
 * @param line the 1-based line number; problems that concern the whole file are reported at line 1
 */
public record Location(String file, int line) implements Serializable {

    /**
     * @throws NullPointerException if {@code file} is {@code null}
     * @throws IllegalArgumentException if {@code line} is less than 1
     */
    public Location {
        Objects.requireNonNull(file, "file");
        if (line < 1) {
            throw new IllegalArgumentException("line must be at least 1, was " + line);
        }
    }

    /** Returns {@code file:line}. */
    @Override
    public String toString() {
        return file + ":" + line;
    }
}

package dev.safeops;

/** Quotes a string constant for SQL text sent by safe-ops itself (enum labels, catalog look-ups). */
final class Literal {

    private Literal() {
    }

    /**
     * An escape-string constant: backslashes and quotes are escaped, so the result means the same
     * whatever the server's {@code standard_conforming_strings} is.
     */
    static String quote(String value) {
        if (value == null) {
            throw new IllegalArgumentException("a string constant must not be null");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a string constant must not contain a NUL character");
        }
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}

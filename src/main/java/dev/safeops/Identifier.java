package dev.safeops;

import java.nio.charset.StandardCharsets;

/**
 * Quotes one PostgreSQL identifier exactly as given.
 *
 * <p>Names are taken literally: {@code Users} stays {@code "Users"}. A name PostgreSQL would
 * silently truncate (over 63 bytes) is rejected instead, because a truncated name would make the
 * operation touch an object other than the one the caller named.
 */
final class Identifier {

    /** NAMEDATALEN - 1 in a default PostgreSQL build. */
    static final int MAX_BYTES = 63;

    private Identifier() {
    }

    static String quote(String name, String what) {
        return '"' + checked(name, what).replace("\"", "\"\"") + '"';
    }

    static String checked(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " must not be null or blank");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " must not contain a NUL character: " + name);
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException(what + " \"" + name + "\" is " + bytes
                    + " bytes long; PostgreSQL would silently truncate it to " + MAX_BYTES
                    + " bytes, so safe-ops refuses it. Choose a shorter name.");
        }
        return name;
    }
}

package dev.safeops.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The SQL of incident 1, as the safe-ops command's demo ships it. */
final class IncidentOne {

    private IncidentOne() {
    }

    /** Production as in the incident: the core tables, none of the optional modules' tables. */
    static String schema() {
        return resource("incident-1-schema.sql");
    }

    /** The migration, one statement per line. */
    static String migration() {
        return resource("incident-1.sql");
    }

    private static String resource(String name) {
        try (InputStream in = IncidentOne.class.getResourceAsStream("/dev/safeops/cli/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

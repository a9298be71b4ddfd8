package dev.safeops.flyway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Checks, before anything runs, that the Flyway on the class path can do what safe-ops asks of it,
 * so that an old or incomplete Flyway is a clear error at construction instead of a
 * {@code NoClassDefFoundError} thrown from inside a migration. Names Flyway's classes only as
 * strings: it must load whatever Flyway is there.
 */
final class FlywayRequirement {

    /** The oldest Flyway safe-ops is tested with: the one Spring Boot 3.5 manages. */
    static final String OLDEST_SUPPORTED = "11.7";

    private static final String VERSION_RESOURCE = "org/flywaydb/core/internal/version.txt";
    private static final String BLOCK_EXCEPTION =
            "org.flywaydb.core.api.exception.FlywayBlockStatementExecutionException";
    private static final String POSTGRESQL_SUPPORT = "org.flywaydb.database.postgresql.PostgreSQLDatabaseType";

    private FlywayRequirement() {
    }

    /**
     * Requires a Flyway that lets a callback run a migration's statements itself, with PostgreSQL
     * support, as loaded by {@code flywayLoader}.
     *
     * @throws IllegalStateException naming what is missing and what to add
     */
    static void requireStatementBlocking(ClassLoader flywayLoader) {
        String version = version(flywayLoader);
        if (!isPresent(BLOCK_EXCEPTION, flywayLoader) || (version != null && isOlder(version, OLDEST_SUPPORTED))) {
            throw new IllegalStateException("safe-ops' SafeOpsCallback needs Flyway " + OLDEST_SUPPORTED
                    + " or later, whose callbacks can run a migration's statements in Flyway's place; the class path has "
                    + (version == null ? "an older Flyway" : "Flyway " + version)
                    + ". Upgrade org.flywaydb:flyway-core and add org.flywaydb:flyway-database-postgresql of the same"
                    + " version.");
        }
        if (!isPresent(POSTGRESQL_SUPPORT, flywayLoader)) {
            throw new IllegalStateException("safe-ops' SafeOpsCallback needs Flyway's PostgreSQL support, which is not"
                    + " on the class path: add org.flywaydb:flyway-database-postgresql"
                    + (version == null ? "" : " " + version) + " beside org.flywaydb:flyway-core.");
        }
    }

    /** Flyway's own version, as it prints it, or {@code null} when it cannot be read. */
    static String version(ClassLoader flywayLoader) {
        try (InputStream in = flywayLoader.getResourceAsStream(VERSION_RESOURCE)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** Compares the leading numbers of dotted versions: {@code 9.22.3} is older than {@code 11.7}. */
    static boolean isOlder(String version, String than) {
        String[] a = version.split("[.-]");
        String[] b = than.split("[.-]");
        for (int i = 0; i < b.length; i++) {
            int x = i < a.length ? number(a[i]) : 0;
            int y = number(b[i]);
            if (x != y) {
                return x < y;
            }
        }
        return false;
    }

    private static int number(String part) {
        int end = 0;
        while (end < part.length() && Character.isDigit(part.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(part.substring(0, end));
    }

    private static boolean isPresent(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}

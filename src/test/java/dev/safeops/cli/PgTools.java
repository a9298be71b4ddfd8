package dev.safeops.cli;

import dev.safeops.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PostgreSQL client programs installed on the machine: psql as the reference loader, pg_dump as the judge. */
final class PgTools {

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");
    // pg_dump 17.6, 16.10, 15.14, 14.19 and later open and close a plain dump with the psql commands
    // restrict KEY and unrestrict KEY, KEY random on every run: the only lines that legitimately differ.
    private static final Pattern RESTRICT_KEY = Pattern.compile("(?m)^(\\\\(?:un)?restrict) \\S+$");

    private PgTools() {
    }

    /** The major version of pg_dump, which refuses servers newer than itself. */
    static int clientMajor() {
        String version = run(List.of("pg_dump", "--version"));
        Matcher matcher = VERSION.matcher(version);
        if (!matcher.find()) {
            throw new IllegalStateException("Unexpected pg_dump --version output: " + version);
        }
        return Integer.parseInt(matcher.group(1));
    }

    /** Loads a file the way the reference does: psql, one transaction, stop at the first error. */
    static void psql(EmbeddedPostgres server, String database, Path file) {
        run(List.of("psql", "-X", "-q", "--single-transaction", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                "-p", Integer.toString(server.port()), "-U", server.user(), "-d", database, "-f", file.toString()));
    }

    /** {@code pg_dump --schema-only}, with only the random restrict key made constant. */
    static String dump(EmbeddedPostgres server, String database) {
        String dump = run(List.of("pg_dump", "--schema-only", "-h", "127.0.0.1", "-p", Integer.toString(server.port()),
                "-U", server.user(), database));
        return RESTRICT_KEY.matcher(dump).replaceAll("$1 KEY");
    }

    private static String run(List<String> command) {
        try {
            Path errors = Files.createTempFile("safe-ops-pgtools-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
                // The machine's libpq settings must not steer the client to another server.
                builder.environment().keySet().removeIf(key -> key.startsWith("PG"));
                Process process;
                try {
                    process = builder.start();
                } catch (IOException e) {
                    throw new IllegalStateException(command.get(0) + " is not installed: install the PostgreSQL client"
                            + " (apt-get install postgresql-client); .ci/run does", e);
                }
                process.getOutputStream().close();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed: "
                            + Files.readString(errors));
                }
                return output;
            } finally {
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new IllegalStateException("running " + command + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }
}

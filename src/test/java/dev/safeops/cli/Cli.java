package dev.safeops.cli;

import dev.safeops.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * One run of the command line in this JVM, with what it printed.
 *
 * @param exitCode the exit code {@code main} would have exited with
 * @param out      what it printed on standard output
 * @param err      what it printed on standard error
 */
record Cli(int exitCode, String out, String err) {

    /** Runs with an empty environment, so that no DATABASE_URL or PGPASSWORD of the machine leaks in. */
    static Cli run(String... args) {
        return runWith(Map.of(), args);
    }

    /** Runs with only the test database's password in the environment, as PGPASSWORD. */
    static Cli runOn(TestDatabase db, String... args) {
        return runWith(db.password() == null ? Map.of() : Map.of("PGPASSWORD", db.password()), args);
    }

    static Cli runWith(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(args, environment, false, new PrintWriter(out), new PrintWriter(err));
        return new Cli(exitCode, out.toString(), err.toString());
    }

    /** Both streams, for assertions about everything a user would see. */
    String output() {
        return out + err;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
    }
}

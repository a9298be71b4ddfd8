package dev.safeops.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The command line's main class running in a JVM of its own, as a replica's start script runs it,
 * so that it can run beside others and be killed.
 */
final class CliProcess {

    private final Process process;
    private final Path out;
    private final Path err;

    private CliProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code safe-ops args…} with this test JVM's classpath; output goes to files in {@code dir}. */
    static CliProcess start(Path dir, String name, String password, String... args) throws IOException {
        // With the command line's own SLF4J binding, as its jar has it, not the tests' one.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider", "-Dslf4j.internal.verbosity=WARN",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().remove("DATABASE_URL");
        builder.environment().remove("PGPASSWORD");
        if (password != null) {
            builder.environment().put("PGPASSWORD", password);
        }
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        return new CliProcess(builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start(), out, err);
    }

    /** Waits for the exit and returns the run, or fails after {@code seconds}. */
    Cli finish(int seconds) throws IOException, InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("safe-ops did not finish within " + seconds + " s: " + output());
        }
        return output();
    }

    /** Kills the JVM as an orchestrator's SIGKILL would: no shutdown hook, no goodbye to the server. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    private Cli output() throws IOException {
        return new Cli(process.isAlive() ? -1 : process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}

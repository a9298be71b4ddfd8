package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar {@code mvn package} builds, copied alone into an empty directory and run with
 * {@code java -jar}, as a team ships it in a container without the source tree.
 */
class CliJarIT {

    private static final Path BUILT = Path.of(System.getProperty("safeops.cli.jar"));

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    Path alone;

    @TempDir
    Path migrations;

    private record Run(int exitCode, String out, String err) {
    }

    @Test
    void printsItsVersionFromADirectoryHoldingNothingElse() throws Exception {
        Run run = javaJar("--version");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("safe-ops " + BUILT.getFileName().toString()
                .replaceFirst("^safe-ops-", "").replaceFirst("-cli\\.jar$", "")).contains("pgjdbc 42.").contains("Java ");
    }

    @Test
    void appliesAMigrationWithTheDriverItCarries() throws Exception {
        Path file = Files.writeString(migrations.resolve("V1__jar.sql"),
                "CREATE TABLE from_the_jar (id int);\nALTER TABLE jar_missing ADD COLUMN x int;\n");

        Run run = javaJar("apply", "--url", db.jdbcUrl(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("SKIPPED  42P01").contains("Committed: 1 applied, 1 skipped");
        assertThat(run.err()).doesNotContain("WARN");
    }

    @Test
    void runsTheDemoWithTheServerBinariesItCarries() throws Exception {
        Run run = javaJar("demo");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("safe-ops kept 6 of 6");
    }

    private Run javaJar(String... args) throws IOException, InterruptedException {
        Path jar = Files.copy(BUILT, alone.resolve(BUILT.getFileName()));
        try {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-jar", jar.getFileName().toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).directory(alone.toFile());
            builder.environment().remove("CLASSPATH");
            builder.environment().remove("DATABASE_URL");
            builder.environment().remove("PGPASSWORD");
            if (db.password() != null) {
                builder.environment().put("PGPASSWORD", db.password());
            }
            File out = migrations.resolve("out.txt").toFile();
            File err = migrations.resolve("err.txt").toFile();
            Process process = builder.redirectOutput(out).redirectError(err).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("java -jar did not finish within 120 s");
            }
            return new Run(process.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } finally {
            Files.delete(jar);
        }
    }
}

package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./safe-ops} script, run as a user runs it. It runs from a copy of the checkout whose
 * build is already done (the classes and the jars of this test run), so that it does not start a
 * Maven build inside this one.
 */
class LauncherTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    static Path checkout;

    @TempDir
    Path workingDirectory;

    private record Result(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void builtCheckout() throws IOException {
        Path project = Path.of(System.getProperty("safeops.project.dir"));
        Files.copy(project.resolve("safe-ops"), checkout.resolve("safe-ops"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(project.resolve("pom.xml"), checkout.resolve("pom.xml"));
        Path target = Files.createDirectories(checkout.resolve("target"));
        Files.createSymbolicLink(target.resolve("classes"), project.resolve("target/classes"));
        Path lib = Files.createDirectories(target.resolve("lib"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (entry.endsWith(".jar") && !Files.exists(lib.resolve(jar.getFileName()))) {
                Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
        Path stamp = Files.createFile(target.resolve(".safe-ops-built"));
        Files.setLastModifiedTime(stamp, FileTime.from(Instant.now().plusSeconds(60)));
    }

    @Test
    void showsHelpAndExitsZero() throws Exception {
        Result result = launch("--help");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Usage: safe-ops").contains("apply").contains("verify").contains("demo");
        assertThat(result.err()).doesNotContain("building");
    }

    @Test
    void appliesAFileNamedRelativeToTheCallersDirectoryWithoutRepeatingTheLibraryLog() throws Exception {
        Files.writeString(workingDirectory.resolve("launched.sql"),
                "CREATE TABLE launched (id int);\nALTER TABLE launcher_missing ADD COLUMN x int;\n");

        Result result = launch("apply", "--url", db.jdbcUrl(), "launched.sql");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("launched.sql:2  SKIPPED  42P01");
        assertThat(result.err()).doesNotContain("WARN");
        assertThat(Catalog.relationExists(db, "launched")).isTrue();
    }

    private Result launch(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(checkout.resolve("safe-ops").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().remove("DATABASE_URL");
        builder.environment().remove("PGPASSWORD");
        if (db.password() != null) {
            builder.environment().put("PGPASSWORD", db.password());
        }
        Path out = workingDirectory.resolve("launcher.out");
        Path err = workingDirectory.resolve("launcher.err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("./safe-ops did not finish within 60 s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}

package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Input safe-ops cannot run faithfully is refused with exit 2, naming file and line, before anything
 * is sent: not even the valid file given before the bad one runs.
 */
class ApplyRefusesBadInputTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("an unterminated quote", text("SELECT 1;\nSELECT 'never closed;\n"), 2,
                        "unterminated string literal"),
                Arguments.of("a binary file", new byte[] {'S', 'E', 'L', 0, 1, 2, '\n'}, 1, "binary file"),
                Arguments.of("an empty file", text("-- only a comment\n"), 1, "no SQL statements"),
                Arguments.of("a psql meta-command", text("SELECT 1;\n\\connect other\n"), 2, "meta-command \\connect"),
                Arguments.of("COPY FROM stdin", text("SELECT 1;\nCOPY t FROM stdin;\n1\n\\.\n"), 2, "COPY"),
                Arguments.of("BEGIN in the file", text("SELECT 1;\nBEGIN;\nSELECT 2;\n"), 2,
                        "transaction control statement BEGIN"),
                Arguments.of("COMMIT in the file", text("SELECT 1;\n\ncommit;\n"), 3,
                        "transaction control statement commit"),
                Arguments.of("invalid UTF-8", new byte[] {'S', 'E', 'L', 'E', 'C', 'T', ' ', (byte) 0xC3, '\n'}, 1,
                        "not valid UTF-8"));
    }

    @ParameterizedTest(name = "{0} is refused before anything is sent")
    @MethodSource("badFiles")
    void refusesBeforeSendingAnything(String what, byte[] content, int line, String message) throws Exception {
        String marker = "sent_" + Math.abs(what.hashCode());
        Path good = Files.writeString(dir.resolve("good.sql"), "CREATE TABLE " + marker + " (id int);\n");
        Path bad = Files.write(dir.resolve("bad.sql"), content);

        Cli run = Cli.run("apply", "--url", db.jdbcUrl(), good.toString(), bad.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("safe-ops: " + bad + ":" + line + ": ").contains(message)
                .contains("nothing was sent");
        assertThat(run.out()).isEmpty();
        assertThat(Catalog.relationExists(db, marker)).isFalse();
    }

    private static byte[] text(String sql) {
        return sql.getBytes(StandardCharsets.UTF_8);
    }
}

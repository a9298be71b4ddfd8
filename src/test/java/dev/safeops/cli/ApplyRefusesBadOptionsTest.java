package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every option is checked before connecting: a user's mistake ends with exit 2, a message naming
 * the option and no stack trace, and nothing reaches the database.
 */
class ApplyRefusesBadOptionsTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of(List.of("--report", "."), "it is a directory"),
                Arguments.of(List.of("--report", "no/such/dir/report.json"), "its directory does not exist"),
                Arguments.of(List.of("--optional", ""), "--optional needs a table name pattern"),
                Arguments.of(List.of("--optional", "  "), "--optional needs a table name pattern"),
                Arguments.of(List.of("--statements-per-savepoint", "0"), "between 1 and 251"),
                Arguments.of(List.of("--statements-per-savepoint", "625"), "between 1 and 251"),
                Arguments.of(List.of("--lock-wait", "-1"), "--lock-wait must be 0 or more"),
                Arguments.of(List.of("--connect-timeout", "0"), "--connect-timeout must be at least 1"),
                Arguments.of(List.of("--socket-timeout", "-5"), "--socket-timeout must be 0 or more"),
                Arguments.of(List.of("--user", ""), "--user must not be empty"),
                Arguments.of(List.of("--lock-timeout", "100"), "'100' is not a duration: write a number and one of "
                        + "PostgreSQL's units us, ms, s, min, h, d"),
                Arguments.of(List.of("--lock-timeout", "2 seconds"), "'2 seconds' is not a duration"),
                Arguments.of(List.of("--statement-timeout", "-1s"), "'-1s' is not a duration"),
                Arguments.of(List.of("--statement-timeout", "500us"), "'500us' is under a millisecond"),
                Arguments.of(List.of("--lock-retries", "3"), "--lock-retries needs --lock-timeout (or --production)"),
                Arguments.of(List.of("--lock-timeout", "1s", "--lock-retries", "-1"), "--lock-retries must be 0 or more"),
                Arguments.of(List.of("--strict", "--tolerate", "missing"), "contradict"));
    }

    @ParameterizedTest(name = "{0} is refused before connecting")
    @MethodSource("badOptions")
    void refusesBeforeConnecting(List<String> options, String message) throws Exception {
        String marker = "option_" + Math.abs(options.hashCode());
        Path file = Files.writeString(dir.resolve("good.sql"), "CREATE TABLE " + marker + " (id int);\n");
        List<String> args = new ArrayList<>(List.of("apply", "--url", db.jdbcUrl()));
        args.addAll(options);
        args.add(file.toString());

        Cli run = Cli.runOn(db, args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(message).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(Catalog.relationExists(db, marker)).isFalse();
    }
}

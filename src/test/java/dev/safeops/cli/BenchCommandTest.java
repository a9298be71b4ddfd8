package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code safe-ops bench} at a tiny size: what it prints and whether every variant came out right, never timing. */
class BenchCommandTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final String RESULT_LINE = "RESULT pipelined/raw=\\d+\\.\\d+ pipelined/autosave=\\d+\\.\\d+ "
            + "roundtrips/stmt=\\d+\\.\\d+ correct=true";

    @Test
    void aTinyBenchOnAThrowawayServerEndsWithACorrectResult() {
        List<String> output = bench("--tables", "5", "--rounds", "1", "--latency-ms", "0");

        assertThat(output).last().asString().matches(RESULT_LINE);
    }

    @Test
    void aTinyBenchWithMissingTablesOnAGivenDatabaseEndsWithACorrectResult() {
        List<String> output = bench("--tables", "5", "--missing-percent", "20", "--rounds", "1", "--latency-ms", "0",
                "--url", urlWithCredentials());

        assertThat(output).last().asString().matches(RESULT_LINE);
        assertThat(output).contains("raw JDBC ran with every table present: the first missing table would abort its "
                + "transaction.");
    }

    @Test
    void aBenchWithMissingTablesComparesThePipelinedRunWithACleanRunOfTheSameScript() {
        List<String> output = bench("--tables", "5", "--missing-percent", "20", "--rounds", "1", "--latency-ms", "0");

        assertThat(output).anyMatch(line -> line.startsWith("safe-ops pipelined clean ") && line.endsWith("true"));
        assertThat(output).anyMatch(line -> line.matches("pipelined drifted/clean=\\d+\\.\\d+: .*"));
    }

    @Test
    void aBenchWithoutMissingTablesMeasuresNoSeparateCleanRun() {
        List<String> output = bench("--tables", "5", "--rounds", "1", "--latency-ms", "0");

        assertThat(output).noneMatch(line -> line.startsWith("safe-ops pipelined clean"));
    }

    private static List<String> bench(String... options) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[options.length + 1];
        args[0] = "bench";
        System.arraycopy(options, 0, args, 1, options.length);

        int exitCode = Main.run(args, Map.of(), false, new PrintWriter(out), new PrintWriter(err));

        assertThat(exitCode).as("exit code; output:%n%s%s", out, err).isZero();
        return out.toString().lines().toList();
    }

    private static String urlWithCredentials() {
        String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + encode(db.user());
        return db.password() == null ? url : url + "&password=" + encode(db.password());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

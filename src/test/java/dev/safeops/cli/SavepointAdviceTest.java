package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The note about PostgreSQL's subtransaction cache gives advice that, followed, stays within it. */
class SavepointAdviceTest {

    private static final Pattern GROUPING = Pattern.compile("--statements-per-savepoint (\\d+)");
    private static final Pattern SPLIT = Pattern.compile("runs of at most (\\d+) statements");
    private static final Pattern SAVEPOINTS = Pattern.compile("(\\d+) savepoints\\)\\.");

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void aLongPipelinedRunKeepsOneSubtransactionPerRoundTripAndNeedsNoAdvice() throws Exception {
        Catalog.execute(db, "CREATE TABLE advice_run (id int)");
        Path file = script("run.sql", "advice_run", 2_000);

        Cli run = apply(List.of(), file);

        Matcher used = SAVEPOINTS.matcher(run.out());
        assertThat(used.find()).as(run.toString()).isTrue();
        assertThat(Integer.parseInt(used.group(1))).as(run.toString()).isLessThanOrEqualTo(64);
        assertThat(run.err()).doesNotContain("note:");
    }

    @Test
    void followingTheAdviceOfALongRunUsesAtMost64Savepoints() throws Exception {
        Catalog.execute(db, "CREATE TABLE advice_follow (id int)");
        // A run that keeps a subtransaction per statement (one statement at a time) is advised so.
        String advice = SavepointAdvice.forRun(2_000, 1, 2_000).orElseThrow();

        follow(advice, "advice_follow", 2_000);
    }

    @Test
    void moreStatementsThanGroupsCanHoldAreAdvisedToSplitAndFollowingThatUsesAtMost64Savepoints() throws Exception {
        Catalog.execute(db, "CREATE TABLE advice_split (id int)");
        // A run of 17,000 statements one savepoint each takes minutes: its advice is the same without it.
        String advice = SavepointAdvice.forRun(17_000, 1, 17_000).orElseThrow();

        assertThat(advice).contains("split");
        follow(advice, "advice_split", 17_000);
    }

    /** Runs the statements as the advice says and checks each run's savepoints. */
    private void follow(String advice, String table, int statements) throws IOException {
        Matcher grouping = GROUPING.matcher(advice);
        assertThat(grouping.find()).as(advice).isTrue();
        Matcher split = SPLIT.matcher(advice);
        int perRun = split.find() ? Integer.parseInt(split.group(1)) : statements;
        for (int start = 0; start < statements; start += perRun) {
            Path part = script("part" + start + ".sql", table, Math.min(perRun, statements - start));
            Cli run = apply(List.of("--statements-per-savepoint", grouping.group(1)), part);
            assertThat(run.exitCode()).as(run.toString()).isZero();
            Matcher used = SAVEPOINTS.matcher(run.out());
            assertThat(used.find()).as(run.toString()).isTrue();
            assertThat(Integer.parseInt(used.group(1))).as(run.toString()).isLessThanOrEqualTo(64);
            assertThat(run.err()).doesNotContain("note:");
        }
    }

    private Path script(String name, String table, int statements) throws IOException {
        List<String> lines = new ArrayList<>(statements);
        for (int i = 0; i < statements; i++) {
            lines.add("COMMENT ON TABLE " + table + " IS 'step " + i + "';");
        }
        return Files.write(dir.resolve(name), lines);
    }

    private static Cli apply(List<String> options, Path file) {
        List<String> args = new ArrayList<>(List.of("apply", "--url", db.jdbcUrl()));
        args.addAll(options);
        args.add(file.toString());
        return Cli.runOn(db, args.toArray(String[]::new));
    }
}

package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.LockHolder;
import dev.safeops.Schema;
import dev.safeops.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code apply --lock-timeout/--lock-retries/--statement-timeout/--production} against a busy table. */
class ApplyLockTimeoutTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void busyTable() throws Exception {
        Schema.reset(db, "CREATE TABLE busy (id int)");
        file = Files.writeString(dir.resolve("busy.sql"), "CREATE TABLE quiet (id int);\nALTER TABLE busy ADD COLUMN name text;\n");
    }

    @Test
    void retriesAStatementWhoseLockWaitTimedOutAndCountsItInTheOutputAndTheReport() throws Exception {
        Path report = dir.resolve("report.json");
        Cli run;
        try (LockHolder holder = LockHolder.on(db, "busy").releaseAfterWaiting(200)) {
            run = Cli.runOn(db, "apply", "--url", db.jdbcUrl(), "--lock-timeout", "30ms", "--lock-retries", "100",
                    "--report", report.toString(), file.toString());
        }

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).containsPattern("note: \\d+ lock retr(y|ies) after lock timeouts; while a statement "
                + "waited to be retried, the locks its transaction's earlier statements had taken stayed held");
        assertThat(run.out()).containsPattern(file + ":2  APPLIED         after \\d+ lock retr(y|ies): ALTER TABLE busy")
                .containsPattern("Committed: 2 applied, 0 skipped, 0 failed, 0 not run \\(2 statements in 1 file, "
                        + "\\d+ savepoints, \\d+ lock retr(y|ies)\\)\\.");
        Map<String, Object> json = ReportFile.raw(report);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> statements = (List<Map<String, Object>>) json.get("statements");
        assertThat(statements.get(0).get("lockRetries")).isEqualTo(0);
        assertThat((Integer) statements.get(1).get("lockRetries")).isPositive();
        assertThat(json.get("lockRetries")).isEqualTo(statements.get(1).get("lockRetries"));
        assertThat(Schema.columnsOf(db, "busy")).containsExactly("id", "name");
    }

    @Test
    void failsNamingTheBlockingSessionWhenTheRetriesRunOut() throws Exception {
        Path report = dir.resolve("report.json");
        Cli run;
        int pid;
        try (LockHolder holder = LockHolder.on(db, "busy")) {
            pid = holder.pid();
            run = Cli.runOn(db, "apply", "--url", db.jdbcUrl(), "--lock-timeout", "100ms", "--lock-retries", "1",
                    "--report", report.toString(), file.toString());
        }

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains(file + ":2  FAILED   55P03  after 1 lock retry: ")
                .contains("Rolled back, nothing changed");
        assertThat(run.err()).contains("gave up after 2 attempts", "relation busy", "pid " + pid,
                "application_name '" + LockHolder.APPLICATION_NAME + "'", "LOCK TABLE busy IN ACCESS SHARE MODE");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> statements = (List<Map<String, Object>>) ReportFile.raw(report).get("statements");
        assertThat(statements.get(1).get("lockRetries")).isEqualTo(1);
        assertThat(Catalog.relationExists(db, "quiet")).isFalse();
    }

    @Test
    void theProductionPresetRetriesAStatementWaitingForABusyTable() throws Exception {
        Cli run;
        try (LockHolder holder = LockHolder.on(db, "busy").releaseAfterWaiting(250)) {
            run = Cli.runOn(db, "apply", "--url", db.jdbcUrl(), "--production", file.toString());
        }

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("after \\d+ lock retr(y|ies): ALTER TABLE busy");
    }

    @Test
    void aStatementRunsNoLongerThanTheStatementTimeout() throws Exception {
        Path slow = Files.writeString(dir.resolve("slow.sql"), "SELECT pg_sleep(5);\n");

        Cli run = Cli.runOn(db, "apply", "--url", db.jdbcUrl(), "--statement-timeout", "50ms", slow.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains(slow + ":1  FAILED   57014");
    }

    @Test
    void helpDocumentsTheTimeoutOptions() {
        Cli run = Cli.run("apply", "--help");

        assertThat(run.out()).contains("--lock-timeout=DURATION", "--lock-retries=N", "--statement-timeout=DURATION",
                "--production", "100ms, 2s, 1min");
    }
}

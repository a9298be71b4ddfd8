package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.safeops.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code safe-ops apply} against a real PostgreSQL. Each test uses tables of its own names. */
class ApplyCommandTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void appliesAFileAndPrintsOneLinePerSkipWithFileAndLine() throws Exception {
        Path file = write("skips.sql", """
                CREATE TABLE skips_a (id int);
                CREATE TABLE skips_a (id int);
                ALTER TABLE skips_missing ADD COLUMN x int;
                ALTER TABLE skips_a ADD COLUMN name text;
                """);

        Cli run = Cli.run("apply", "--url", db.jdbcUrl(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        assertThat(run.out()).contains(file + ":2  SKIPPED  42P07  already exists (42P07): relation \"skips_a\"")
                .contains(file + ":3  SKIPPED  42P01  missing object (42P01): relation \"skips_missing\"")
                .contains("Committed: 2 applied, 2 skipped, 0 failed, 0 not run (4 statements in 1 file, 2 savepoints).")
                .doesNotContain(":1  ").doesNotContain(":4  ");
        assertThat(Catalog.columnType(db, "skips_a", "name")).isEqualTo("text");
    }

    @Test
    void reportsEveryStatementOfEveryFileInOrderWithAGlobalIndex() throws Exception {
        Path first = write("first.sql", "CREATE TABLE report_a (id int);\n\nCREATE TABLE report_a (id int);\n");
        Path second = write("second.sql", "ALTER TABLE report_a ADD COLUMN b int;\n");
        Path reportFile = dir.resolve("report.json");

        Cli run = Cli.run("apply", "--url", db.jdbcUrl(), "--report", reportFile.toString(), first.toString(),
                second.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        ReportFile report = ReportFile.read(reportFile);
        assertThat(report.committed()).isTrue();
        assertThat(report.dryRun()).isFalse();
        assertThat(report.error()).isNull();
        assertThat(report.statements()).containsExactly(
                new ReportFile.Statement(0, first.toString(), 1, "APPLIED", false, null, null,
                        "CREATE TABLE report_a (id int)"),
                new ReportFile.Statement(1, first.toString(), 3, "SKIPPED", false, "42P07",
                        "already exists (42P07): relation \"report_a\" already exists; confirmed: table report_a exists "
                                + "(to_regclass)", "CREATE TABLE report_a (id int)"),
                new ReportFile.Statement(2, second.toString(), 1, "APPLIED", false, null, null,
                        "ALTER TABLE report_a ADD COLUMN b int"));
        assertThat(new int[] {report.applied(), report.skipped(), report.failed(), report.notRun()})
                .containsExactly(2, 1, 0, 0);
    }

    @Test
    void aSyntaxErrorInTheMiddleOfAFileRollsEverythingBackAndNamesFileAndLine() throws Exception {
        Path file = write("broken.sql", """
                CREATE TABLE broken_before (id int);
                CREATE TABEL broken_typo (id int);
                CREATE TABLE broken_after (id int);
                """);
        Path reportFile = dir.resolve("broken.json");

        Cli run = Cli.run("apply", "--url", db.jdbcUrl(), "--report", reportFile.toString(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains(file + ":2  FAILED   42601  ")
                .contains("Rolled back, nothing changed: 1 applied, 0 skipped, 1 failed, 1 not run");
        assertThat(run.err()).contains(file + ":2: ").contains("rolled back");
        assertThat(Catalog.relationExists(db, "broken_before")).isFalse();
        assertThat(Catalog.relationExists(db, "broken_after")).isFalse();
        ReportFile report = ReportFile.read(reportFile);
        assertThat(report.committed()).isFalse();
        assertThat(report.failed()).isEqualTo(1);
        assertThat(report.statements()).extracting(ReportFile.Statement::status)
                .containsExactly("APPLIED", "FAILED", "NOT_RUN");
        assertThat(report.statements().get(1)).extracting(ReportFile.Statement::file, ReportFile.Statement::line,
                ReportFile.Statement::sqlState).containsExactly(file.toString(), 2, "42601");
        assertThat(report.error()).startsWith(file + ":2: ");
    }

    @Test
    void aFailureInALaterFileRollsBackTheEarlierFilesToo() throws Exception {
        Path first = write("one.sql", "CREATE TABLE files_first (id int);\n");
        Path second = write("two.sql", "CREATE TABLE files_second (id int);\nSELECT 1 / 0;\n");

        Cli run = Cli.run("apply", "--url", db.jdbcUrl(), first.toString(), second.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains(second + ":2  FAILED   22012");
        assertThat(Catalog.relationExists(db, "files_first")).isFalse();
        assertThat(Catalog.relationExists(db, "files_second")).isFalse();
    }

    @Test
    void dryRunLeavesTheDatabaseUnchangedAndReportsWhatWouldBeAppliedAndSkipped() throws Exception {
        Catalog.execute(db, "CREATE TABLE dry_existing (id int)");
        Path file = write("dry.sql", """
                CREATE TABLE dry_existing (id int);
                CREATE TABLE dry_new (id int);
                CREATE INDEX CONCURRENTLY dry_new_id ON dry_new (id);
                """);
        Path reportFile = dir.resolve("dry.json");

        Cli run = Cli.run("apply", "--dry-run", "--url", db.jdbcUrl(), "--report", reportFile.toString(),
                file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        assertThat(run.out()).contains("Dry run complete, rolled back: 1 applied, 1 skipped, 0 failed, 1 not run");
        assertThat(Catalog.relationExists(db, "dry_new")).isFalse();
        ReportFile report = ReportFile.read(reportFile);
        assertThat(report.dryRun()).isTrue();
        assertThat(report.committed()).isFalse();
        assertThat(report.statements()).extracting(ReportFile.Statement::status)
                .containsExactly("SKIPPED", "APPLIED", "NOT_RUN");
        assertThat(report.statements().get(2).afterCommit()).isTrue();
        assertThat(report.statements().get(2).message()).startsWith("dry run: ");
    }

    @Test
    void createIndexConcurrentlyRunsAfterTheCommitAndIsReported() throws Exception {
        Path file = write("concurrently.sql", """
                CREATE TABLE cic_table (id int);
                CREATE INDEX CONCURRENTLY cic_index ON cic_table (id);
                INSERT INTO cic_table VALUES (1);
                """);
        Path reportFile = dir.resolve("cic.json");

        Cli run = Cli.run("apply", "--url", db.jdbcUrl(), "--report", reportFile.toString(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        assertThat(run.out()).contains(file + ":2  APPLIED         after the commit: CREATE INDEX CONCURRENTLY");
        assertThat(Catalog.indexValid(db, "cic_index")).isEqualTo("t");
        ReportFile report = ReportFile.read(reportFile);
        assertThat(report.statements()).extracting(ReportFile.Statement::status, ReportFile.Statement::afterCommit)
                .containsExactly(tuple("APPLIED", false), tuple("APPLIED", true), tuple("APPLIED", false));
    }

    @Test
    void aConcurrentBuildThatFailsAfterTheCommitExitsOneAndSaysTheCommitStays() throws Exception {
        Path file = write("duplicates.sql", """
                CREATE TABLE cic_duplicates (v int);
                INSERT INTO cic_duplicates VALUES (1), (1);
                CREATE UNIQUE INDEX CONCURRENTLY cic_duplicates_v ON cic_duplicates (v);
                CREATE INDEX CONCURRENTLY cic_duplicates_never ON cic_duplicates (v);
                """);
        Path reportFile = dir.resolve("duplicates.json");

        Cli run = Cli.run("apply", "--url", db.jdbcUrl(), "--report", reportFile.toString(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains(file + ":3  FAILED   23505  after the commit: ")
                .contains("Committed, but a statement run after the commit failed");
        assertThat(run.err()).contains("was committed and stays");
        assertThat(Catalog.relationExists(db, "cic_duplicates")).isTrue();
        assertThat(Catalog.indexValid(db, "cic_duplicates_v")).isEqualTo("f");
        assertThat(Catalog.relationExists(db, "cic_duplicates_never")).isFalse();
        ReportFile report = ReportFile.read(reportFile);
        assertThat(report.committed()).isTrue();
        assertThat(report.statements().get(2).message()).contains("INVALID").contains("DROP INDEX CONCURRENTLY");
        assertThat(report.statements().get(3).status()).isEqualTo("NOT_RUN");
    }

    @Test
    void statementsSharingSavepointsGiveTheSameOutcomesWithFewerSavepoints() throws Exception {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            sql.append(i == 30 ? "ALTER TABLE grouped_missing ADD COLUMN x int;\n"
                    : "CREATE TABLE grouped_" + i + " (id int);\n");
        }
        Path file = write("grouped.sql", sql.toString());
        Path reportFile = dir.resolve("grouped.json");

        Cli run = Cli.run("apply", "--statements-per-savepoint", "10", "--url", db.jdbcUrl(), "--report",
                reportFile.toString(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        ReportFile report = ReportFile.read(reportFile);
        assertThat(report.statements()).filteredOn(s -> s.status().equals("SKIPPED"))
                .extracting(ReportFile.Statement::line).containsExactly(31);
        assertThat(report.applied()).isEqualTo(59);
        assertThat(report.savepoints()).isLessThan(60);
        assertThat(Catalog.relationExists(db, "grouped_59")).isTrue();
    }

    @Test
    void strictFailsOnAnObjectThatAlreadyExists() throws Exception {
        Catalog.execute(db, "CREATE TABLE strict_existing (id int)");
        Path file = write("strict.sql", "CREATE TABLE strict_existing (id int);\n");

        Cli run = Cli.run("apply", "--strict", "--url", db.jdbcUrl(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains(file + ":1  FAILED   42P07");
    }

    @Test
    void tolerateMissingStillFailsOnAnObjectThatAlreadyExists() throws Exception {
        Catalog.execute(db, "CREATE TABLE tolerate_existing (id int)");
        Path file = write("tolerate.sql", """
                ALTER TABLE tolerate_missing ADD COLUMN x int;
                CREATE TABLE tolerate_existing (id int);
                """);

        Cli run = Cli.run("apply", "--tolerate", "missing", "--url", db.jdbcUrl(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains(file + ":1  SKIPPED  42P01").contains(file + ":2  FAILED   42P07");
    }

    @Test
    void optionalPatternsLimitWhichMissingTablesMayBeSkipped() throws Exception {
        Path file = write("optional.sql", """
                ALTER TABLE pipeline_stages ADD COLUMN x int;
                ALTER TABLE core_but_missing ADD COLUMN x int;
                """);

        Cli run = Cli.run("apply", "--optional", "pipeline_*", "--url", db.jdbcUrl(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains(file + ":1  SKIPPED  42P01").contains(file + ":2  FAILED   42P01");
    }

    @Test
    void strictTogetherWithTolerateIsAUsageError() throws Exception {
        Path file = write("usage.sql", "CREATE TABLE usage_never (id int);\n");

        Cli run = Cli.run("apply", "--strict", "--tolerate", "exists", "--url", db.jdbcUrl(), file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--strict and --tolerate");
        assertThat(Catalog.relationExists(db, "usage_never")).isFalse();
    }

    @Test
    void withoutUrlOrDatabaseUrlNothingRuns() throws Exception {
        Path file = write("nowhere.sql", "CREATE TABLE nowhere (id int);\n");

        Cli run = Cli.run("apply", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("give --url or set DATABASE_URL");
    }

    @Test
    void takesTheDatabaseFromDatabaseUrlAndThePasswordFromPgpassword() throws Exception {
        Path file = write("environment.sql", "CREATE TABLE from_environment (id int);\n");
        String password = db.password() == null ? "any-password" : db.password();

        Cli run = Cli.runWith(Map.of("DATABASE_URL", libpqUrl(null), "PGPASSWORD", password), "apply", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        assertThat(Catalog.relationExists(db, "from_environment")).isTrue();
        assertThat(run.output()).doesNotContain(password);
    }

    @Test
    void thePasswordOfAPostgresUrlAppearsInNoOutputAndNoReport() throws Exception {
        String password = db.password() == null ? "S3cret-Pa55word" : db.password();
        Path file = write("secret.sql", "CREATE TABLE secret_a (id int);\nCREATE TABLE secret_a (id int);\nSELECT 1/0;\n");
        Path reportFile = dir.resolve("secret.json");

        Cli run = Cli.run("apply", "--verbose", "--url", libpqUrl(password), "--report", reportFile.toString(),
                file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.output()).doesNotContain(password);
        assertThat(Files.readString(reportFile)).doesNotContain(password);
    }

    @Test
    void anUnreachableServerIsAConnectionErrorThatDoesNotShowThePassword() throws Exception {
        Path file = write("unreachable.sql", "CREATE TABLE unreachable (id int);\n");

        Cli run = Cli.run("apply", "--url", "postgres://someone:Hunter2-secret@127.0.0.1:1/nowhere", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cannot connect to jdbc:postgresql://127.0.0.1:1/nowhere as someone")
                .contains("nothing was sent");
        assertThat(run.output()).doesNotContain("Hunter2");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    /** The test database as a libpq URL, the form hosting platforms hand out. */
    private static String libpqUrl(String password) {
        String hostPortDatabase = db.jdbcUrl().replaceFirst("^jdbc:postgresql://", "").replaceFirst("\\?.*$", "");
        return "postgres://" + db.user() + (password == null ? "" : ":" + password) + "@" + hostPortDatabase;
    }
}

package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.embedded.EmbeddedPostgres;
import dev.safeops.testing.TestDatabase;
import dev.safeops.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential test of {@code apply}: a schema file applied by safe-ops to an empty database must
 * leave exactly what {@code psql --single-transaction -v ON_ERROR_STOP=1 -f} leaves, byte for byte in
 * {@code pg_dump --schema-only}; applying it again, whole or after tables were dropped, must change
 * nothing, resp. restore them. The tests run in order on one target database, each leaving it as the
 * reference is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class SchemaRoundTrip {

    /** pg_dump refuses newer servers, so the server has pg_dump's major version. */
    static final EmbeddedPostgres SERVER = TestPostgres.embedded(PgTools.clientMajor());

    @TempDir
    Path dir;

    private String referenceDump;
    private Cli firstRun;

    /** The schema file. */
    abstract Path script();

    /** An empty database loaded by psql. */
    abstract TestDatabase reference();

    /** An empty database loaded by safe-ops. */
    abstract TestDatabase target();

    /** What a second run skips, by SQLSTATE. */
    abstract Map<String, Long> skipsOfASecondRun();

    /** Drops some tables with CASCADE, taking views, keys and partitions with them. */
    abstract String dropSomeTables();

    @BeforeAll
    void loadBothDatabases() {
        PgTools.psql(SERVER, reference().name(), script());
        referenceDump = PgTools.dump(SERVER, reference().name());
        firstRun = Cli.run("apply", "--url", target().jdbcUrl(), script().toString());
    }

    @Test
    @Order(1)
    void applyingToAnEmptyDatabaseLeavesWhatPsqlLeaves() {
        assertThat(firstRun.exitCode()).as(firstRun.toString()).isEqualTo(0);
        assertThat(firstRun.out()).contains("Committed: ").contains(" 0 skipped, 0 failed, 0 not run");
        assertThat(PgTools.dump(SERVER, target().name())).isEqualTo(referenceDump);
    }

    @Test
    @Order(2)
    void applyingAgainSkipsOnlyWhatExistsAndChangesNothing() throws Exception {
        Path reportFile = dir.resolve("second.json");

        Cli run = Cli.run("apply", "--url", target().jdbcUrl(), "--report", reportFile.toString(), script().toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        ReportFile report = ReportFile.read(reportFile);
        assertThat(report.committed()).isTrue();
        assertThat(report.failed()).isZero();
        assertThat(report.statements().stream().filter(s -> s.status().equals("SKIPPED"))
                .collect(Collectors.groupingBy(ReportFile.Statement::sqlState, Collectors.counting())))
                .isEqualTo(skipsOfASecondRun());
        assertThat(PgTools.dump(SERVER, target().name())).isEqualTo(referenceDump);
    }

    @Test
    @Order(3)
    void applyingAgainAfterTablesWereDroppedRestoresThem() throws SQLException {
        Catalog.execute(target(), dropSomeTables());

        Cli run = Cli.run("apply", "--url", target().jdbcUrl(), script().toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        assertThat(PgTools.dump(SERVER, target().name())).isEqualTo(referenceDump);
    }
}

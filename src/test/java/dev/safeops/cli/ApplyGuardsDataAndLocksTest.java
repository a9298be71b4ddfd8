package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code safe-ops apply} refuses a statement that would destroy data unless {@code --accept-data-loss}
 * names its object, and reports a statement that would lock or rewrite a large table (by default
 * from 10 MiB), or refuses it with {@code --fail-on-risk}.
 */
class ApplyGuardsDataAndLocksTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    @BeforeEach
    void tables() throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS orders, big, created_here; CREATE TABLE orders (id int, legacy_note "
                    + "text, code text); INSERT INTO orders VALUES (1, 'note', 'c'), (2, NULL, NULL);"
                    + " CREATE TABLE big AS SELECT g AS id, repeat('x', 1000) AS filler FROM generate_series(1, 11000) g;"
                    + " ANALYZE big");
        }
    }

    @Test
    void refusesDroppingAColumnWithValuesAndChangesNothing() throws IOException {
        Path file = write("drop.sql", "CREATE TABLE created_here (id int);\nALTER TABLE orders DROP COLUMN legacy_note;\n");

        Cli run = Cli.run("apply", "--url", db.jdbcUrl(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains(file + ":2  FAILED").contains("1 non-null value of column orders.legacy_note")
                .contains("Rolled back, nothing changed");
        assertThat(run.err()).contains("--accept-data-loss orders.legacy_note");
    }

    @Test
    void acceptsTheLossOfEveryObjectNamedRepeatedOrCommaSeparated() throws IOException, SQLException {
        Path file = write("accepted.sql", "ALTER TABLE orders DROP COLUMN legacy_note;\nALTER TABLE orders DROP COLUMN code;\n"
                + "DROP TABLE big;\n");

        Cli run = Cli.run("apply", "--url", db.jdbcUrl(), "--accept-data-loss", "orders.legacy_note,public.orders.code",
                "--accept-data-loss", "big", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        assertThat(Catalog.columnType(db, "orders", "legacy_note")).isNull();
    }

    @Test
    void refusesABadlyWrittenObjectBeforeConnecting() throws IOException {
        Path file = write("bad.sql", "SELECT 1;\n");

        Cli run = Cli.run("apply", "--url", db.jdbcUrl(), "--accept-data-loss", "a.b.c.d", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--accept-data-loss").contains("a.b.c.d");
    }

    @Test
    void reportsARiskyStatementOnALargeTableInTheOutputAndTheJsonReport() throws IOException {
        Path file = write("index.sql", "CREATE INDEX big_id ON big (id);\n");
        Path report = dir.resolve("report.json");

        Cli run = Cli.run("apply", "--url", db.jdbcUrl(), "--report", report.toString(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        assertThat(run.out()).contains(file + ":1  RISK            CREATE INDEX without CONCURRENTLY: big (about 11000 "
                + "rows, ");
        assertThat(Files.readString(report)).contains("\"warnings\" : [ \"CREATE INDEX without CONCURRENTLY: big");
    }

    @Test
    void refusesARiskyStatementWithFailOnRisk() throws IOException {
        Path file = write("rewrite.sql", "CREATE TABLE created_here (id int);\nALTER TABLE big ALTER COLUMN id TYPE bigint;\n");

        Cli run = Cli.run("apply", "--url", db.jdbcUrl(), "--fail-on-risk", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains(file + ":2  FAILED").contains("refused under fail-on-risk: ALTER COLUMN TYPE "
                + "that rewrites: big").contains("Rolled back, nothing changed");
    }

    @Test
    void aDryRunReportsTheRefusalToo() throws IOException {
        Path file = write("dry.sql", "TRUNCATE orders;\n");

        Cli run = Cli.run("apply", "--dry-run", "--url", db.jdbcUrl(), file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("2 rows of table orders");
    }

    private Path write(String name, String sql) throws IOException {
        return Files.writeString(dir.resolve(name), sql);
    }
}

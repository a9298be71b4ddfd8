package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code safe-ops apply} runs statements in file order, commits where a statement cannot run in a
 * transaction, and a dry run sends nothing a rollback cannot undo. Each test uses tables of its own.
 */
class ApplyKeepsFileOrderTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void theZeroDowntimeUniqueConstraintRecipeEndsWithTheConstraintInPlace() throws Exception {
        Catalog.execute(db, "CREATE TABLE recipe_accounts (id int, mail text)");
        Path file = write("recipe.sql", """
                CREATE UNIQUE INDEX CONCURRENTLY recipe_mail ON recipe_accounts (mail);
                ALTER TABLE recipe_accounts ADD CONSTRAINT recipe_mail_key UNIQUE USING INDEX recipe_mail;
                """);

        Cli run = Cli.run("apply", "--url", db.jdbcUrl(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        assertThat(constraint("recipe_mail_key")).isEqualTo("u");
        assertThat(run.out()).contains("2 applied, 0 skipped");
    }

    @Test
    void aStatementThatCannotRunInATransactionCommitsWhatPrecedesItAndTheRestRunsAfterIt() throws Exception {
        Path file = write("between.sql", """
                CREATE TABLE between_a (id int);
                CREATE INDEX CONCURRENTLY between_a_id ON between_a (id);
                CREATE TABLE between_b (id int);
                """);

        Cli run = Cli.run("apply", "--url", db.jdbcUrl(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        assertThat(run.out()).contains("Commits: after " + file + ":1, after " + file + ":2, after " + file + ":3.");
        assertThat(Catalog.relationExists(db, "between_b")).isTrue();
    }

    @Test
    void aFailureAfterACommitRollsBackOnlyItsOwnTransactionAndSaysWhatStays() throws Exception {
        Path file = write("later.sql", """
                CREATE TABLE later_a (id int);
                CREATE INDEX CONCURRENTLY later_a_id ON later_a (id);
                CREATE TABLE later_b (id int);
                SELECT 1/0;
                """);

        Cli run = Cli.run("apply", "--url", db.jdbcUrl(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("everything up to " + file + ":2 was committed and stays");
        assertThat(Catalog.relationExists(db, "later_a")).isTrue();
        assertThat(Catalog.relationExists(db, "later_b")).isFalse();
    }

    @Test
    void aDryRunDoesNotMoveASequenceBackwards() throws Exception {
        Catalog.execute(db, "CREATE TABLE dry_orders (id serial); SELECT setval('dry_orders_id_seq', 100)");
        Path file = write("dump.sql", """
                CREATE TABLE dry_more (id int);
                SELECT pg_catalog.setval('dry_orders_id_seq', 1, false);
                SELECT nextval('dry_orders_id_seq');
                """);

        Cli run = Cli.run("apply", "--dry-run", "--url", db.jdbcUrl(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        assertThat(run.out()).contains("1 applied, 0 skipped, 0 failed, 2 not run");
        assertThat(Catalog.value(db, "SELECT last_value::text FROM dry_orders_id_seq")).isEqualTo("100");
    }

    @Test
    void aDryRunStopsBeforeAStatementThatCannotRunInATransactionWhenOthersFollowIt() throws Exception {
        Catalog.execute(db, "CREATE TABLE dry_recipe (id int, mail text)");
        Path file = write("dry-recipe.sql", """
                CREATE UNIQUE INDEX CONCURRENTLY dry_recipe_mail ON dry_recipe (mail);
                ALTER TABLE dry_recipe ADD CONSTRAINT dry_recipe_mail_key UNIQUE USING INDEX dry_recipe_mail;
                """);

        Cli run = Cli.run("apply", "--dry-run", "--url", db.jdbcUrl(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        assertThat(run.out()).contains("0 applied, 0 skipped, 0 failed, 2 not run");
        assertThat(Catalog.relationExists(db, "dry_recipe_mail")).isFalse();
    }

    @Test
    void anInvalidIndexThatIfNotExistsWouldKeepIsDroppedAndBuiltAgain() throws Exception {
        Catalog.execute(db, "CREATE TABLE rebuilt (v int); INSERT INTO rebuilt VALUES (1), (1)");
        try {
            Catalog.execute(db, "CREATE UNIQUE INDEX CONCURRENTLY rebuilt_v ON rebuilt (v)");
        } catch (SQLException expected) {
            // leaves rebuilt_v behind, invalid, as a build interrupted in production would
        }
        Catalog.execute(db, "DELETE FROM rebuilt");
        Path file = write("rebuilt.sql", "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS rebuilt_v ON rebuilt (v);\n");

        Cli run = Cli.run("apply", "--url", db.jdbcUrl(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        assertThat(run.out()).contains(file + ":1  APPLIED ").contains("repaired");
        assertThat(Catalog.indexValid(db, "rebuilt_v")).isEqualTo("t");
    }

    private static String constraint(String name) throws SQLException {
        return Catalog.value(db, "SELECT contype::text FROM pg_constraint WHERE conname = ?", name);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}

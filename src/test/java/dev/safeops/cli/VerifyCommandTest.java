package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code safe-ops verify} against a real PostgreSQL. */
class VerifyCommandTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    @BeforeAll
    static void schema() throws SQLException {
        Catalog.execute(db, """
                CREATE TABLE users (id bigint PRIMARY KEY, password text);
                CREATE TABLE content (id bigint PRIMARY KEY, user_id bigint,
                    CONSTRAINT content_user_id_users_id_fk FOREIGN KEY (user_id) REFERENCES users (id));
                CREATE INDEX idx_content_user_id ON content (user_id);
                CREATE TYPE targettype AS ENUM ('user', 'project');
                CREATE FUNCTION touch_version() RETURNS int LANGUAGE sql AS 'SELECT 1';
                CREATE SCHEMA app;
                CREATE TABLE app."Accounts" ("Display Name" text);
                """);
    }

    @Test
    void allObjectsPresentExitsZeroWithATableOfYes() throws Exception {
        Path expect = write("""
                # what the application needs
                table users
                column users.password

                index idx_content_user_id
                type targettype
                constraint content_user_id_users_id_fk
                function touch_version
                table app."Accounts"
                column app."Accounts"."Display Name"
                """);

        Cli run = Cli.run("verify", "--url", db.jdbcUrl(), "--expect", expect.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        assertThat(run.out()).isEqualTo("""
                object                                 | exists
                ---------------------------------------+-------
                table users                            | yes
                column users.password                  | yes
                index idx_content_user_id              | yes
                type targettype                        | yes
                constraint content_user_id_users_id_fk | yes
                function touch_version                 | yes
                table app."Accounts"                   | yes
                column app."Accounts"."Display Name"   | yes
                (8 of 8 present)
                """);
    }

    @Test
    void aMissingObjectExitsOneAndShowsNo() throws Exception {
        Path expect = write("table users\ncolumn users.email\n");

        Cli run = Cli.run("verify", "--url", db.jdbcUrl(), "--expect", expect.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("table users        | yes").contains("column users.email | no")
                .contains("(1 of 2 present)");
    }

    @Test
    void anInvalidIndexIsNotPresent() throws Exception {
        Catalog.execute(db, "CREATE TABLE twice (v int); INSERT INTO twice VALUES (1), (1)");
        try {
            Catalog.execute(db, "CREATE UNIQUE INDEX CONCURRENTLY twice_v ON twice (v)");
        } catch (SQLException expected) {
            // leaves twice_v behind, invalid
        }
        Path expect = write("index twice_v\n");

        Cli run = Cli.run("verify", "--url", db.jdbcUrl(), "--expect", expect.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("index twice_v | invalid");
    }

    @Test
    void aLineThatIsNoExpectationExitsTwoNamingFileAndLine() throws Exception {
        Path expect = write("table users\n\ntabel content\n");

        Cli run = Cli.run("verify", "--url", db.jdbcUrl(), "--expect", expect.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("safe-ops: " + expect + ":3: unknown kind of object \"tabel\"");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnreachableServerExitsTwo() throws Exception {
        Path expect = write("table users\n");

        Cli run = Cli.run("verify", "--url", "jdbc:postgresql://127.0.0.1:1/nowhere", "--expect", expect.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cannot connect");
    }

    private Path write(String expectations) throws IOException {
        return Files.writeString(dir.resolve("expected.txt"), expectations);
    }
}

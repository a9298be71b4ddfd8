package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.safeops.testing.TestDatabase;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every command reaches the database the URL names, within bounded waits, or says why it cannot. */
class ConnectingTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void queryParametersChooseTheHostPortAndDatabaseThatAreMigrated() throws Exception {
        URI server = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        Path file = Files.writeString(dir.resolve("target.sql"), "CREATE TABLE right_target (id int);\n");
        String url = "postgresql://" + db.user() + "@/not_this_database?host=" + server.getHost() + "&port="
                + server.getPort() + "&dbname=" + db.name();

        Cli run = Cli.runOn(db, "apply", "--url", url, file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Catalog.relationExists(db, "right_target")).isTrue();
    }

    @Test
    void refusesAUnixSocketHostWithExitTwoBeforeConnecting() throws Exception {
        Path file = Files.writeString(dir.resolve("socket.sql"), "CREATE TABLE never_socket (id int);\n");

        Cli run = Cli.run("apply", "--url", "postgresql:///shop?host=/var/run/postgresql", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("Unix-domain socket").contains("nothing was sent").doesNotContain("\tat ");
    }

    @Test
    void boundsALoginTheServerNeverAnswersByTheUrlsConnectTimeout() throws Exception {
        Path file = Files.writeString(dir.resolve("silent.sql"), "CREATE TABLE never_silent (id int);\n");
        try (FakeServer silent = FakeServer.start(FakeServer.Behaviour.SILENT)) {
            String url = "postgres://app@127.0.0.1:" + silent.port() + "/shop?connect_timeout=2&sslmode=disable";

            Cli run = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Cli.run("apply", "--url", url,
                    file.toString()));

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains("cannot connect").contains("nothing was sent");
            assertThat(silent.connections()).isPositive();
        }
    }

    @Test
    void boundsALoginTheServerNeverAnswersByTheConnectTimeoutOption() throws Exception {
        Path file = Files.writeString(dir.resolve("silent2.sql"), "CREATE TABLE never_silent2 (id int);\n");
        try (FakeServer silent = FakeServer.start(FakeServer.Behaviour.SILENT)) {
            String url = "jdbc:postgresql://127.0.0.1:" + silent.port() + "/shop?sslmode=disable";

            Cli run = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Cli.run("apply", "--url", url,
                    "--connect-timeout", "1", file.toString()));

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains("cannot connect");
        }
    }

    @Test
    void boundsEveryWaitForTheServerBySocketTimeout() throws Exception {
        Path file = Files.writeString(dir.resolve("slow.sql"), """
                CREATE TABLE never_slow (id int);
                DO $$ BEGIN PERFORM pg_sleep(10); END $$;
                """);

        Cli run = assertTimeoutPreemptively(Duration.ofSeconds(8), () -> Cli.runOn(db, "apply", "--url",
                db.jdbcUrl(), "--socket-timeout", "1", file.toString()));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(Catalog.relationExists(db, "never_slow")).isFalse();
    }

    @Test
    void benchTakesThePasswordFromPgpasswordLikeEveryOtherCommand() throws Exception {
        try (FakeServer server = FakeServer.start(FakeServer.Behaviour.ASKS_FOR_PASSWORD)) {
            String url = "postgres://app@127.0.0.1:" + server.port() + "/shop?sslmode=disable";

            Cli run = Cli.runWith(Map.of("PGPASSWORD", "from-environment"), "bench", "--url", url, "--tables", "1",
                    "--rounds", "1");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(server.passwords()).isNotEmpty().allMatch("from-environment"::equals);
        }
    }

}

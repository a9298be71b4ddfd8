package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.safeops.testing.TestDatabase;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

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

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"postgres://app@127.0.0.1:PORT/shop?connect_timeout=2&sslmode=disable,",
            "jdbc:postgresql://127.0.0.1:PORT/shop?sslmode=disable, --connect-timeout=1"})
    void boundsALoginTheServerNeverAnswers(String url, String option) throws Exception {
        Path file = Files.writeString(dir.resolve("silent.sql"), "CREATE TABLE never_silent (id int);\n");
        try (FakeServer silent = FakeServer.start(FakeServer.Behaviour.SILENT)) {
            String silentUrl = url.replace("PORT", Integer.toString(silent.port()));

            List<String> args = new ArrayList<>(List.of("apply", "--url", silentUrl));
            if (option != null) {
                args.add(option);
            }
            args.add(file.toString());

            Cli run = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Cli.run(args.toArray(String[]::new)));

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains("cannot connect").contains("nothing was sent");
            assertThat(silent.connections()).isPositive();
        }
    }

    @Test
    void boundsTheLoginAndEveryWaitWhenNothingIsGiven() {
        ConnectionOptions options = CommandLine.populateCommand(new ConnectionOptions(), "--url",
                "postgres://app@db/shop");

        assertThat(options.databaseUrl(Map.of()).properties())
                .containsEntry("loginTimeout", Integer.toString(ConnectionOptions.DEFAULT_CONNECT_TIMEOUT_SECONDS))
                .containsEntry("socketTimeout", Integer.toString(ConnectionOptions.DEFAULT_SOCKET_TIMEOUT_SECONDS));
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

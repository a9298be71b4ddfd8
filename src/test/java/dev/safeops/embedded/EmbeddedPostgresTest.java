package dev.safeops.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EmbeddedPostgresTest {

    /** For tests that only read: every start costs a second or two. */
    private static EmbeddedPostgres shared;

    @BeforeAll
    static void startSharedServer() throws IOException {
        shared = EmbeddedPostgres.start(binariesJar(18));
    }

    @AfterAll
    static void stopSharedServer() {
        if (shared != null) {
            shared.close();
        }
    }

    @ParameterizedTest(name = "starts a PostgreSQL {0} server from the binaries jar of that major")
    @ValueSource(ints = {14, 18})
    void startsAServerOfTheJarSMajorVersion(int major) throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.start(binariesJar(major))) {
            assertThat(server.majorVersion()).isEqualTo(major);
            assertThat(queryString(server, "SHOW server_version_num")).startsWith(Integer.toString(major));
        }
    }

    @Test
    void startWithoutAJarUsesTheBinariesOnTheClasspath() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.start()) {
            assertThat(server.majorVersion()).isEqualTo(18);
        }
    }

    @Test
    void aConnectionAsThePostgresSuperuserWorksWithoutAPassword() throws Exception {
        assertThat(shared.user()).isEqualTo("postgres");
        assertThat(shared.jdbcUrl("postgres")).startsWith("jdbc:postgresql://127.0.0.1:" + shared.port() + "/");
        assertThat(queryString(shared, "SELECT current_user")).isEqualTo("postgres");
        assertThat(queryString(shared, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user"))
                .isEqualTo("true");
    }

    @Test
    void theClusterUsesUtf8AndTheCLocale() throws Exception {
        assertThat(queryString(shared, "SHOW server_encoding")).isEqualTo("UTF8");
        assertThat(queryString(shared,
                "SELECT datcollate || '/' || datctype FROM pg_database WHERE datname = current_database()"))
                .isEqualTo("C/C");
    }

    @Test
    void closeRemovesTheDataDirectoryAndThePortStopsAcceptingConnections() throws Exception {
        EmbeddedPostgres server = EmbeddedPostgres.start(binariesJar(18));
        Path directory = server.directory();
        int port = server.port();
        assertThat(directory).isDirectory();
        assertThat(queryString(server, "SELECT 1")).isEqualTo("1");

        server.close();

        assertThat(directory).doesNotExist();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void closeTwiceDoesNothingTheSecondTime() throws Exception {
        EmbeddedPostgres server = EmbeddedPostgres.start(binariesJar(18));
        server.close();
        server.close();
        assertThat(server.directory()).doesNotExist();
    }

    @Test
    void twoServersRunSideBySideOnDifferentPorts() throws Exception {
        try (EmbeddedPostgres second = EmbeddedPostgres.start(binariesJar(18))) {
            assertThat(second.port()).isNotEqualTo(shared.port());
            assertThat(second.directory()).isNotEqualTo(shared.directory());
            assertThat(queryString(shared, "SELECT 1")).isEqualTo("1");
            assertThat(queryString(second, "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void aJarWithoutBinariesIsRejectedWithItsNameInTheMessage(@TempDir Path temp) throws IOException {
        Path jar = temp.resolve("not-postgres.jar");
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("README"));
            zip.closeEntry();
        }

        assertThatThrownBy(() -> EmbeddedPostgres.start(jar))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(jar.toString())
                .hasMessageContaining(BinariesPlatform.current().archive());
    }

    @Test
    void aMissingJarIsReportedWithItsName(@TempDir Path temp) {
        Path jar = temp.resolve("absent.jar");

        assertThatThrownBy(() -> EmbeddedPostgres.start(jar))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(jar.toString());
    }

    private static String queryString(EmbeddedPostgres server, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"));
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).isTrue();
            return result.getString(1);
        }
    }

    static Path binariesJar(int major) throws IOException {
        String directory = System.getProperty("safeops.postgres.binaries");
        assertThat(directory).as("system property safeops.postgres.binaries").isNotBlank();
        String prefix = BinariesPlatform.current().artifactId() + "-" + major + ".";
        try (Stream<Path> files = Files.list(Path.of(directory))) {
            return files.filter(file -> file.getFileName().toString().startsWith(prefix))
                    .filter(file -> file.getFileName().toString().endsWith(".jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + prefix + "*.jar in " + directory));
        }
    }
}

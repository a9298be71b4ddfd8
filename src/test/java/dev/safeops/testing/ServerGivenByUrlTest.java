package dev.safeops.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A server given by SAFEOPS_TEST_JDBC_URL, here this run's own, as a second JVM sees it. */
class ServerGivenByUrlTest {

    @Test
    void aTestAskingForAnotherMajorIsToldWhichServerTheUrlNamesAndTemplatesAreDroppedAtExit() throws Exception {
        int major = TestPostgres.majorVersion();
        int other = major == 14 ? 15 : 14;
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ServerGivenByUrl.class.getName(), Integer.toString(other)))
                .redirectErrorStream(true);
        builder.environment().put(TestPostgres.JDBC_URL_ENVIRONMENT, TestPostgres.adminJdbcUrl());
        if (TestPostgres.user() != null) {
            builder.environment().put("SAFEOPS_TEST_USER", TestPostgres.user());
        }
        if (TestPostgres.password() != null) {
            builder.environment().put("SAFEOPS_TEST_PASSWORD", TestPostgres.password());
        }
        Process child = builder.start();
        child.getOutputStream().close();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output).contains("\nerror A test asks for PostgreSQL " + other + ", but SAFEOPS_TEST_JDBC_URL points"
                + " at a PostgreSQL " + major + " server; unset it, or point it at a PostgreSQL " + other + " server\n");
        assertThat(output).contains("template safeops_template_" + child.pid() + "_1\n")
                .containsPattern("database safeops_by_url_[0-9]+\n");
        assertThat(databasesNamed("safeops\\_template\\_" + child.pid() + "\\_%")).isZero();
    }

    private static long databasesNamed(String like) throws SQLException {
        try (Connection admin = DriverManager.getConnection(TestPostgres.adminJdbcUrl(), TestPostgres.user(),
                TestPostgres.password());
             PreparedStatement statement = admin.prepareStatement(
                     "SELECT count(*) FROM pg_database WHERE datname LIKE ?")) {
            statement.setString(1, like);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}

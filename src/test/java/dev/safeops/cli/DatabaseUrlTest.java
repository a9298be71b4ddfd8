package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Turning the URLs users are given into what pgjdbc takes, without a database. */
class DatabaseUrlTest {

    @Test
    void convertsAPostgresUrlWithCredentialsAndSslmode() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://app:s3cret@db.example.com:6543/shop?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/shop");
        assertThat(url.properties()).containsEntry("user", "app").containsEntry("password", "s3cret")
                .containsEntry("sslmode", "require").hasSize(3);
    }

    @Test
    void acceptsThePostgresqlSchemeAndDefaultsTheHost() {
        assertThat(DatabaseUrl.parse("postgresql:///shop").jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/shop");
        assertThat(DatabaseUrl.parse("postgresql://db").jdbcUrl()).isEqualTo("jdbc:postgresql://db/");
    }

    @Test
    void percentDecodesEveryPartAndKeepsAPlusSign() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://us%40er:p%3Ass%2Fw+rd@h/my%20db?application_name=a%26b");

        assertThat(url.properties()).containsEntry("user", "us@er").containsEntry("password", "p:ss/w+rd")
                .containsEntry("ApplicationName", "a&b");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h/my%20db");
    }

    @Test
    void takesTheLastAtSignAsTheEndOfAnUnencodedPassword() {
        assertThat(DatabaseUrl.parse("postgres://u:p@ss@h/db").properties()).containsEntry("password", "p@ss");
    }

    @Test
    void keepsSeveralHostsAndIpv6Addresses() {
        assertThat(DatabaseUrl.parse("postgres://u@h1:5432,h2:5433/db?target_session_attrs=any").jdbcUrl())
                .isEqualTo("jdbc:postgresql://h1:5432,h2:5433/db");
        assertThat(DatabaseUrl.parse("postgres://u@[::1]:5432/db").jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/db");
    }

    @Test
    void takesUserAndPasswordOutOfAJdbcUrl() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://h:5432/db?user=app&password=s3cret&ssl=true");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db?ssl=true");
        assertThat(url.properties()).containsEntry("user", "app").containsEntry("password", "s3cret");
    }

    @Test
    void aGivenUserReplacesTheUrlsAndPgpasswordOnlyFillsAMissingPassword() {
        Properties withUrlPassword = DatabaseUrl.parse("postgres://app:fromurl@h/db").withUser("admin")
                .withDefaultPassword("fromenv").properties();
        Properties withoutUrlPassword = DatabaseUrl.parse("postgres://app@h/db").withDefaultPassword("fromenv")
                .properties();

        assertThat(withUrlPassword).containsEntry("user", "admin").containsEntry("password", "fromurl");
        assertThat(withoutUrlPassword).containsEntry("password", "fromenv");
    }

    @Test
    void showsUrlAndUserButNeverThePassword() {
        assertThat(DatabaseUrl.parse("postgres://app:s3cret@h:5432/db").toString())
                .isEqualTo("jdbc:postgresql://h:5432/db as app");
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h/db?password=s3cret&user=app").toString())
                .isEqualTo("jdbc:postgresql://h/db as app");
    }

    @Test
    void refusesOtherSchemesWithoutRepeatingTheUrl() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://app:s3cret@h/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("s3cret").hasMessageContaining("postgres://");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://app:s3cret%zz@h/db"))
                .hasMessageNotContaining("s3cret").hasMessageContaining("percent-encoding");
    }
}

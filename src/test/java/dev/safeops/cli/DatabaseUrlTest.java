package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
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

    @Test
    void queryParametersOverrideTheHostPortAndDatabaseBeforeThem() {
        assertThat(DatabaseUrl.parse("postgresql://app@/shop?host=db2&port=6432").jdbcUrl())
                .isEqualTo("jdbc:postgresql://db2:6432/shop");
        assertThat(DatabaseUrl.parse("postgres://app@h:5432/shop?dbname=shop_test").jdbcUrl())
                .isEqualTo("jdbc:postgresql://h:5432/shop_test");
        assertThat(DatabaseUrl.parse("postgres://app:a@h/shop?user=other&password=b").properties())
                .containsEntry("user", "other").containsEntry("password", "b");
    }

    @Test
    void pairsPortsWithHostsAsLibpqDoesAndRefusesCountsThatDoNotMatch() {
        assertThat(DatabaseUrl.parse("postgres://u@/db?host=a,b&port=1,2").jdbcUrl())
                .isEqualTo("jdbc:postgresql://a:1,b:2/db");
        assertThat(DatabaseUrl.parse("postgres://u@/db?host=a,b&port=7").jdbcUrl())
                .isEqualTo("jdbc:postgresql://a:7,b:7/db");
        assertThat(DatabaseUrl.parse("postgres://u@/db?host=::1&port=7").jdbcUrl())
                .isEqualTo("jdbc:postgresql://[::1]:7/db");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u@/db?host=a,b,c&port=1,2"))
                .hasMessageContaining("2 ports for 3 hosts");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u@h:99999/db")).hasMessageContaining("invalid port");
    }

    @Test
    void refusesAUnixSocketDirectoryAsHost() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql:///shop?host=/var/run/postgresql"))
                .hasMessageContaining("Unix-domain socket").hasMessageContaining("/var/run/postgresql");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://%2Fvar%2Frun%2Fpostgresql/shop"))
                .hasMessageContaining("Unix-domain socket");
    }

    @Test
    void takesWhatALibpqUrlLacksFromThePgEnvironmentVariables() {
        Map<String, String> environment = Map.of("PGHOST", "envhost", "PGPORT", "6000", "PGDATABASE", "envdb",
                "PGUSER", "envuser");

        DatabaseUrl bare = DatabaseUrl.parse("postgresql://", environment);
        DatabaseUrl given = DatabaseUrl.parse("postgresql://app@h:1/db", environment);

        assertThat(bare.jdbcUrl()).isEqualTo("jdbc:postgresql://envhost:6000/envdb");
        assertThat(bare.properties()).containsEntry("user", "envuser");
        assertThat(given.jdbcUrl()).isEqualTo("jdbc:postgresql://h:1/db");
        assertThat(given.properties()).containsEntry("user", "app");
    }

    @Test
    void translatesLibpqParametersIntoPgjdbcProperties() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u@h/db?sslmode=verify-full&sslrootcert=/ca.pem"
                + "&target_session_attrs=read-write&keepalives=0&connect_timeout=3&load_balance_hosts=random"
                + "&fallback_application_name=deploy&options=-c%20search_path%3Dapp&client_encoding=UTF8&ssl=true");

        assertThat(url.properties()).containsEntry("sslmode", "require").containsEntry("sslrootcert", "/ca.pem")
                .containsEntry("targetServerType", "primary").containsEntry("tcpKeepAlive", "false")
                .containsEntry("connectTimeout", "3").containsEntry("loginTimeout", "3")
                .containsEntry("loadBalanceHosts", "true").containsEntry("ApplicationName", "deploy")
                .containsEntry("options", "-c search_path=app");
    }

    @Test
    void refusesLibpqParametersJdbcCannotHonour() {
        for (String parameter : new String[] {"hostaddr=10.0.0.1", "passfile=/p", "keepalives_idle=5",
                "service=shop", "target_session_attrs=read-only", "client_encoding=LATIN1", "connect_timeout=0",
                "sslmode=sometimes"}) {
            assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u:s3cret@h/db?" + parameter))
                    .as(parameter).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(parameter.substring(0, parameter.indexOf('='))).hasMessageNotContaining("s3cret");
        }
    }

    @Test
    void refusesParametersNeitherLibpqNorPgjdbcKnows() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u@h/db?sslmod=require"))
                .hasMessageContaining("sslmod is not a libpq connection parameter");
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:postgresql://h/db?sslmod=require"))
                .hasMessageContaining("sslmod is not a pgjdbc connection property");
    }
}

package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SchemaCheckTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @BeforeAll
    static void schema() throws SQLException {
        Schema.reset(db, """
                CREATE SCHEMA hidden;
                CREATE TABLE hidden.secret_table (id int);
                CREATE TABLE "Users" (id int, dropped int);
                ALTER TABLE "Users" DROP COLUMN dropped;
                CREATE VIEW users_view AS SELECT id FROM "Users";
                CREATE TYPE mood AS ENUM ('ok');
                """);
    }

    @Test
    void resolvesUnqualifiedNamesOnlyInTheSearchPath() throws SQLException {
        assertThat(presence("table secret_table")).isEqualTo(SchemaCheck.Presence.MISSING);
        assertThat(presence("table hidden.secret_table")).isEqualTo(SchemaCheck.Presence.PRESENT);
    }

    @Test
    void comparesNamesExactly() throws SQLException {
        assertThat(presence("table \"Users\"")).isEqualTo(SchemaCheck.Presence.PRESENT);
        assertThat(presence("table users")).isEqualTo(SchemaCheck.Presence.MISSING);
    }

    @Test
    void aViewIsNoTableButHasColumnsAndADroppedColumnIsGone() throws SQLException {
        assertThat(presence("table users_view")).isEqualTo(SchemaCheck.Presence.MISSING);
        assertThat(presence("column users_view.id")).isEqualTo(SchemaCheck.Presence.PRESENT);
        assertThat(presence("column \"Users\".dropped")).isEqualTo(SchemaCheck.Presence.MISSING);
    }

    @Test
    void aTablesRowTypeIsNoType() throws SQLException {
        assertThat(presence("type mood")).isEqualTo(SchemaCheck.Presence.PRESENT);
        assertThat(presence("type \"Users\"")).isEqualTo(SchemaCheck.Presence.MISSING);
    }

    @Test
    void aLookupFindsTheNameInEverySchemaAndSaysWhichAreOnTheSearchPath() throws SQLException {
        try (Connection connection = db.connect()) {
            SchemaCheck.Lookup lookup = SchemaCheck.lookup(connection, Expectation.parse("table secret_table"));

            assertThat(lookup.presence()).isEqualTo(SchemaCheck.Presence.MISSING);
            assertThat(lookup.matching()).isEmpty();
            assertThat(lookup.found()).containsExactly(new SchemaCheck.Found("hidden", "secret_table", false, "table",
                    true, true, null, null, java.util.List.of()));
        }
    }

    @Test
    void aLookupOfAColumnGivesTheTablesColumnsWithTypeAndNullability() throws SQLException {
        try (Connection connection = db.connect()) {
            SchemaCheck.Lookup lookup = SchemaCheck.lookup(connection, Expectation.parse("column users_view.nothing"));

            assertThat(lookup.presence()).isEqualTo(SchemaCheck.Presence.MISSING);
            assertThat(lookup.found()).containsExactly(new SchemaCheck.Found("public", "id", true, "view", false, true,
                    "integer", false, java.util.List.of()));
        }
    }

    @Test
    void changesNothingAndWorksOnAReadOnlyConnection() throws SQLException {
        try (Connection connection = db.connect()) {
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            assertThat(SchemaCheck.presence(connection, Expectation.parse("table \"Users\"")))
                    .isEqualTo(SchemaCheck.Presence.PRESENT);
            try (Statement statement = connection.createStatement();
                 ResultSet noTransactionId = statement.executeQuery("SELECT pg_current_xact_id_if_assigned() IS NULL")) {
                assertThat(noTransactionId.next() && noTransactionId.getBoolean(1)).isTrue();
            }
            connection.rollback();
        }
    }

    private static SchemaCheck.Presence presence(String expectation) throws SQLException {
        try (Connection connection = db.connect()) {
            return SchemaCheck.presence(connection, Expectation.parse(expectation));
        }
    }
}

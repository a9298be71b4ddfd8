package dev.safeops.testing;

import static dev.safeops.testing.SchemaAssertions.assertThatSchema;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SchemaAssertTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase()
            .withScripts(Path.of("src/test/resources/dev/safeops/testing/schema-assert.sql"))
            .withMigration(SchemaAssertTest::leaveAnInvalidIndex);

    private static Connection connection;

    @BeforeAll
    static void connect() throws SQLException {
        connection = db.connect();
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
    }

    /** As in production: a unique index built concurrently on duplicate values fails and stays, INVALID. */
    private static void leaveAnInvalidIndex(javax.sql.DataSource dataSource) throws SQLException {
        try (Connection autocommit = dataSource.getConnection(); Statement statement = autocommit.createStatement()) {
            statement.execute("CREATE TABLE duplicates (v int); INSERT INTO duplicates VALUES (1), (1)");
            assertThatThrownBy(() -> statement.execute("CREATE UNIQUE INDEX CONCURRENTLY idx_duplicates_v"
                    + " ON duplicates (v)")).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void passesForEveryKindOfObjectThatExistsChained() {
        assertThatSchema(connection)
                .hasTable("users")
                .hasTable("archive.users_archive")
                .doesNotHaveTable("nothing_here")
                .doesNotHaveTable("user_emails")
                .hasColumn("users", "email")
                .hasColumn("user_emails", "email")
                .hasColumn("users", "email", "text not null")
                .hasColumn("users", "age", "int")
                .hasColumn("users", "age", "integer NULL")
                .hasColumn("users", "nickname", "varchar(20)")
                .hasIndex("idx_users_email")
                .hasConstraint("users_age_check")
                .hasEnumType("mood")
                .hasEnumType("mood", "happy", "sad")
                .hasFunction("touch");
    }

    @Test
    void foldsUnquotedNamesToLowerCaseAndKeepsQuotedOnes() {
        assertThatSchema(connection).hasTable("USERS").hasTable("public.Users").hasTable("\"Mixed\"");

        assertThatThrownBy(() -> assertThatSchema(connection).hasTable("Mixed"))
                .hasMessage("Expecting the schema to have table mixed, but it is missing; nothing of that name exists"
                        + " in any schema.");
    }

    @Test
    void namesTheSameTableInASchemaOffTheSearchPath() {
        assertThatThrownBy(() -> assertThatSchema(connection).hasTable("users_archive"))
                .hasMessage("""
                        Expecting the schema to have table users_archive, but it is missing. Nearby:
                          table archive.users_archive (schema archive is not on the search path)""");
    }

    @Test
    void looksInTheNamedSchemaOnlyAndNamesTheOtherOne() {
        assertThatThrownBy(() -> assertThatSchema(connection).hasTable("archive.users"))
                .hasMessage("""
                        Expecting the schema to have table archive.users, but it is missing. Nearby:
                          table public.users (in schema public, not archive)""");
    }

    @Test
    void namesAViewWhereATableIsExpected() {
        assertThatThrownBy(() -> assertThatSchema(connection).hasTable("user_emails"))
                .hasMessage("""
                        Expecting the schema to have table user_emails, but it is missing. Nearby:
                          view public.user_emails""");
    }

    @Test
    void failsOnAnInvalidIndexAndSaysHowToRepairIt() {
        assertThatThrownBy(() -> assertThatSchema(connection).hasIndex("idx_duplicates_v"))
                .hasMessage("Expecting the schema to have index idx_duplicates_v, but index public.idx_duplicates_v"
                        + " is INVALID, as a failed CREATE INDEX CONCURRENTLY leaves it: queries do not use it and a"
                        + " unique one enforces nothing. Drop it (DROP INDEX CONCURRENTLY) and create it again.");
    }

    @Test
    void listsTheTablesColumnsWhenAColumnIsMissing() {
        assertThatThrownBy(() -> assertThatSchema(connection).hasColumn("users", "password"))
                .hasMessage("""
                        Expecting the schema to have column users.password, but it is missing. Nearby:
                          table public.users has columns id bigint, email text, age integer, nickname character varying(20)""");
    }

    @Test
    void namesTheTypeOfAColumnOfAnotherType() {
        assertThatThrownBy(() -> assertThatSchema(connection).hasColumn("users", "age", "bigint"))
                .hasMessage("Expecting the schema to have column users.age of type bigint, but column"
                        + " public.users.age is integer NULL.");
    }

    @Test
    void checksNullabilityWhenTheTypeEndsWithIt() {
        assertThatThrownBy(() -> assertThatSchema(connection).hasColumn("users", "age", "integer not null"))
                .hasMessage("Expecting the schema to have column users.age of type integer NOT NULL, but column"
                        + " public.users.age is integer NULL.");
    }

    @Test
    void failsWhenATableThatShouldBeGoneIsThere() {
        assertThatThrownBy(() -> assertThatSchema(connection).doesNotHaveTable("users"))
                .hasMessage("Expecting the schema not to have table users, but it has table public.users.");
    }

    @Test
    void namesTheLabelsOfAnEnumWithOtherLabels() {
        assertThatThrownBy(() -> assertThatSchema(connection).hasEnumType("mood", "happy", "ok"))
                .hasMessage("Expecting the schema to have enum type mood with labels [happy, ok], but enum type"
                        + " public.mood has labels [happy, sad].");
    }

    @Test
    void namesWhatATypeIsWhenItIsNoEnum() {
        assertThatThrownBy(() -> assertThatSchema(connection).hasEnumType("positive"))
                .hasMessage("Expecting the schema to have enum type positive, but public.positive is a domain.");
    }

    @Test
    void namesAFunctionWithItsArgumentsInAnotherSchema() {
        assertThatThrownBy(() -> assertThatSchema(connection).hasFunction("archive.touch"))
                .hasMessage("""
                        Expecting the schema to have function archive.touch, but it is missing. Nearby:
                          function public.touch(integer) (in schema public, not archive)""");
    }

    @Test
    void saysWhenNothingOfTheNameExistsAnywhere() {
        assertThatThrownBy(() -> assertThatSchema(connection).hasConstraint("users_email_check"))
                .hasMessage("Expecting the schema to have constraint users_email_check, but it is missing; nothing"
                        + " of that name exists in any schema.");
    }

    @Test
    void anUnreadableCatalogIsAnErrorNotAFailedAssertion() throws SQLException {
        try (Connection aborted = db.connectInTransaction(); Statement statement = aborted.createStatement()) {
            assertThatThrownBy(() -> statement.execute("SELECT 1/0")).isInstanceOf(SQLException.class);

            assertThatThrownBy(() -> assertThatSchema(aborted).hasTable("users"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Cannot read the catalog to check table users: ")
                    .hasMessageEndingWith("(SQLSTATE 25P02)");
        }
    }
}

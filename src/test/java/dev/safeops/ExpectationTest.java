package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExpectationTest {

    @Test
    void foldsUnquotedNamesAndKeepsQuotedOnes() {
        assertThat(Expectation.parse("TABLE Users")).isEqualTo(new Expectation(Expectation.Kind.TABLE, null, "users", null));
        assertThat(Expectation.parse("table \"Users\"")).isEqualTo(
                new Expectation(Expectation.Kind.TABLE, null, "Users", null));
    }

    @Test
    void readsAnOptionalSchemaPrefix() {
        assertThat(Expectation.parse("table app.users")).isEqualTo(
                new Expectation(Expectation.Kind.TABLE, "app", "users", null));
        assertThat(Expectation.parse("column app.\"My Table\".\"with\"\"quote\"")).isEqualTo(
                new Expectation(Expectation.Kind.COLUMN, "app", "My Table", "with\"quote"));
        assertThat(Expectation.parse("column users.password")).isEqualTo(
                new Expectation(Expectation.Kind.COLUMN, null, "users", "password"));
    }

    @Test
    void printsBackWhatItReads() {
        for (String text : new String[] {"table users", "column app.\"My Table\".\"with\"\"quote\"", "index idx_a",
                "type app.targettype", "constraint \"Fk\"", "function touch_version", "table \"café\""}) {
            assertThat(Expectation.parse(text)).hasToString(text);
        }
    }

    @Test
    void refusesAnUnknownKindNamingTheKnownOnes() {
        assertThatThrownBy(() -> Expectation.parse("tabel users")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown kind of object \"tabel\"; expected one of table, column, index, type, constraint,"
                        + " function");
    }

    @Test
    void refusesAColumnWithoutItsTable() {
        assertThatThrownBy(() -> Expectation.parse("column password")).hasMessageContaining("[schema.]table.column");
    }

    @Test
    void refusesANameThatPostgresWouldTruncate() {
        assertThatThrownBy(() -> Expectation.parse("table " + "x".repeat(64))).hasMessageContaining("truncate");
    }

    @Test
    void parseAllSkipsCommentsAndBlankLinesAndNamesTheLineOfAnError() {
        assertThat(Expectation.parseAll("expect.txt", "# comment\n\ntable a\r\n  index b  \n")).containsExactly(
                Expectation.parse("table a"), Expectation.parse("index b"));
        assertThatThrownBy(() -> Expectation.parseAll("expect.txt", "table a\n\ntable a b\n"))
                .hasMessageStartingWith("expect.txt:3: ");
    }

    @Test
    void findsTheIndexACreateIndexStatementNames() {
        assertThat(Expectation.indexCreatedBy("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"Idx\" ON ONLY app.t (c)"))
                .contains(new Expectation(Expectation.Kind.INDEX, "app", "Idx", null));
        assertThat(Expectation.indexCreatedBy("create index concurrently idx_a on t using btree (c)"))
                .contains(new Expectation(Expectation.Kind.INDEX, null, "idx_a", null));
    }

    @Test
    void findsNoIndexWhenPostgresChoosesTheNameOrTheStatementCreatesNoIndex() {
        assertThat(Expectation.indexCreatedBy("CREATE INDEX CONCURRENTLY ON t (c)")).isEqualTo(Optional.empty());
        assertThat(Expectation.indexCreatedBy("CREATE INDEX ON t (c)")).isEmpty();
        assertThat(Expectation.indexCreatedBy("DROP INDEX CONCURRENTLY idx_a")).isEmpty();
        assertThat(Expectation.indexCreatedBy("REINDEX INDEX CONCURRENTLY idx_a")).isEmpty();
    }
}

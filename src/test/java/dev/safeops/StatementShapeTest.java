package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Keywords are compared as PostgreSQL compares them: only ASCII letters fold. */
class StatementShapeTest {

    @Test
    void aDotlessIOrALongSIsNotAKeywordLetter() {
        assertThat(new ScriptStatement(0, "commıt", new Location("s.sql", 1)).transactionControl()).isFalse();
        assertThat(new ScriptStatement(0, "ſavepoint a", new Location("s.sql", 1)).transactionControl()).isFalse();
        assertThat(new ScriptStatement(0, "Commit", new Location("s.sql", 1)).transactionControl()).isTrue();
        assertThat(StatementShape.of("ſelect 1").returnsRows()).isFalse();
        assertThat(StatementShape.of("Select 1").returnsRows()).isTrue();
    }

    @Test
    void aScriptStatementCarriesTheShapeReadWithTheScript() {
        ScriptStatement statement = Script.parse("s.sql", "-- note\nSELECT 1;\nALTER TABLE t ADD a int, ADD b int;")
                .statements().get(1);

        assertThat(statement.shape().sql()).isEqualTo("ALTER TABLE t ADD a int, ADD b int");
        assertThat(statement.shape().cursor(3).textToComma()).isEqualTo("ADD a int");
    }
}

package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Optional-table patterns match the absent target, as PostgreSQL resolves and folds names. */
class OptionalTablesTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @BeforeEach
    void coreTables() throws SQLException {
        Schema.reset(db, "CREATE TABLE accounts (id int PRIMARY KEY, legacy_id int)");
    }

    @Test
    void aDottedPatternMatchesAnUnqualifiedNameThroughTheSearchPath() throws SQLException {
        Outcome outcome = run(Policy.defaults().withOptionalTables("public.pipeline_*"),
                "ALTER TABLE pipeline_stages ADD COLUMN position int");

        assertThat(outcome.isSkipped()).isTrue();
    }

    @Test
    void aDottedPatternDoesNotMatchAnUnqualifiedNameOutsideTheSearchPath() throws SQLException {
        assertThatThrownBy(() -> run(Policy.defaults().withOptionalTables("archive.pipeline_*"),
                "ALTER TABLE pipeline_stages ADD COLUMN position int"))
                .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.getSQLState()).isEqualTo("42P01"));
    }

    @Test
    void patternsCompareAsPostgreSqlFoldsUnquotedNames() throws SQLException {
        Outcome outcome = run(Policy.defaults().withOptionalTables("Legacy_*"),
                "ALTER TABLE LEGACY_Users ADD COLUMN note text");

        assertThat(outcome.isSkipped()).isTrue();
        assertThat(outcome.reason()).contains("legacy_users is absent (to_regclass)");
    }

    @Test
    void aQuotedPatternKeepsItsCase() throws SQLException {
        assertThatThrownBy(() -> run(Policy.defaults().withOptionalTables("\"Legacy_*\""),
                "ALTER TABLE legacy_users ADD COLUMN note text")).isInstanceOf(SafeOpsException.class);
    }

    @Test
    void aForeignKeyToAnAbsentOptionalTableIsSkipped() throws SQLException {
        Outcome outcome = run(Policy.defaults().withOptionalTables("legacy_*"),
                "ALTER TABLE accounts ADD CONSTRAINT accounts_legacy FOREIGN KEY (legacy_id) REFERENCES legacy_users (id)");

        assertThat(outcome.isSkipped()).isTrue();
        assertThat(outcome.reason()).contains("a referenced optional table is absent");
    }

    @Test
    void aMisspelledTableTheStatementActsOnFailsThoughItReadsAnAbsentOptionalTable() throws SQLException {
        assertThatThrownBy(() -> run(Policy.defaults().withOptionalTables("legacy_*"),
                "INSERT INTO acounts (id) SELECT id FROM legacy_users"))
                .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.getSQLState()).isEqualTo("42P01"));
    }

    @Test
    void aForeignKeyFromAMisspelledTableToAnAbsentOptionalTableFails() throws SQLException {
        assertThatThrownBy(() -> run(Policy.defaults().withOptionalTables("legacy_*"),
                "ALTER TABLE acounts ADD COLUMN legacy_ref int REFERENCES legacy_users (id)"))
                .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.getSQLState()).isEqualTo("42P01"));
    }

    @Test
    void aForeignKeyToAnAbsentTableThatIsNotOptionalFails() throws SQLException {
        assertThatThrownBy(() -> run(Policy.defaults().withOptionalTables("legacy_*"),
                "ALTER TABLE accounts ADD CONSTRAINT accounts_user FOREIGN KEY (legacy_id) REFERENCES users (id)"))
                .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.getSQLState()).isEqualTo("42P01"));
    }

    @Test
    void withoutOptionalTablesAForeignKeyToAnAbsentTableFails() throws SQLException {
        assertThatThrownBy(() -> run(Policy.defaults(),
                "ALTER TABLE accounts ADD CONSTRAINT accounts_legacy FOREIGN KEY (legacy_id) REFERENCES legacy_users (id)"))
                .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.getSQLState()).isEqualTo("42P01"));
    }

    @Test
    void aViewReadingAnAbsentOptionalTableAndAMisspelledOneFails() throws SQLException {
        assertThatThrownBy(() -> run(Policy.defaults().withOptionalTables("legacy_*"),
                "CREATE VIEW joined AS SELECT * FROM legacy_users JOIN acounts USING (id)"))
                .isInstanceOf(SafeOpsException.class);
    }

    private static Outcome run(Policy policy, String sql) throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            try {
                return SafeOps.on(connection, policy).execute(sql);
            } finally {
                connection.rollback();
            }
        }
    }
}

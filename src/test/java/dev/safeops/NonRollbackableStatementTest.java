package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Statements whose effects survive a rollback are known as such and never replayed. */
class NonRollbackableStatementTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @BeforeEach
    void aSequence() throws SQLException {
        Schema.reset(db, "CREATE TABLE t (id int); CREATE SEQUENCE s");
    }

    @Test
    void aStatementThatSurvivesRollbackNeverSharesASavepointSoAFailingGroupDoesNotRunItTwice() throws SQLException {
        Script script = Script.parse("group.sql", """
                ALTER TABLE t ADD COLUMN a int;
                INSERT INTO t (id) VALUES (nextval('s'));
                ALTER TABLE absent ADD COLUMN b int;
                ALTER TABLE t ADD COLUMN c int;
                """);
        try (Connection connection = db.connectInTransaction()) {
            Report report = SafeOps.on(connection, Policy.defaults(), Settings.defaults().withOperationsPerSavepoint(4))
                    .run(script);
            connection.commit();

            assertThat(report.skipped()).isEqualTo(1);
        }
        assertThat(Schema.strings(db, "SELECT last_value::text FROM s")).containsExactly("1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT pg_catalog.setval('orders_id_seq', 1, false)", "SELECT nextval('s')",
            "SELECT pg_advisory_lock(1)", "SELECT pg_try_advisory_lock_shared(1)", "SELECT pg_terminate_backend(1)",
            "SELECT pg_cancel_backend(1)", "SELECT dblink_exec('x', 'y')", "SELECT lo_export(1, '/tmp/x')", "SELECT lo_unlink(1)",
            "SELECT dblink('x', 'y')",
            "COPY t TO '/tmp/t.csv'", "COPY t TO PROGRAM 'cat'", "COPY t FROM PROGRAM 'cat'",
            "DO $$ BEGIN PERFORM setval('s', 5); END $$", "SELECT \"nextval\"('s')"})
    void isKnownToSurviveRollback(String sql) {
        assertThat(StatementShape.of(sql).survivesRollback()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT currval('s')", "NOTIFY channel", "SELECT pg_notify('c', 'x')", "COPY t TO STDOUT",
            "COPY t FROM '/tmp/t.csv'", "ALTER SEQUENCE s RESTART", "SELECT 'setval(1)'", "CREATE FUNCTION f() RETURNS "
            + "bigint LANGUAGE sql AS $$ SELECT nextval('s') $$", "SELECT * FROM lo_table", "CREATE TABLE lo_items (id int)",
            "CREATE TABLE dblink_targets (id int)", "INSERT INTO lo_items (id) VALUES (1)"})
    void isKnownToBeUndoneByRollback(String sql) {
        assertThat(StatementShape.of(sql).survivesRollback()).isFalse();
    }
}

package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A typo in a type, a column, a function, a role or an operator class is a mistake, not drift: it
 * fails whatever its SQLSTATE, because the object the statement acts on is there.
 */
class MistakesAreNotDriftTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @BeforeAll
    static void accountsAndOrders() throws SQLException {
        Schema.reset(db, """
                CREATE TABLE accounts (id int PRIMARY KEY, mail text);
                CREATE TABLE orders (id int PRIMARY KEY, a int);
                """);
    }

    @Test
    void aMisspelledTypeInCreateTableFailsAndNothingAfterItIsSkipped() throws SQLException {
        Script script = Script.parse("payments.sql", """
                CREATE TABLE payments (id int, amount numerc(10,2));
                CREATE INDEX payments_id ON payments (id);
                INSERT INTO payments VALUES (1, 2);
                CREATE VIEW payments_view AS SELECT * FROM payments;
                """);
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.run(script)).isInstanceOfSatisfying(SafeOpsException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("42704"));
            assertThat(ops.report().skipped()).isZero();
            connection.rollback();
        }
    }

    @Test
    void nothingAfterAnUnconfirmedSkipInAScriptIsApplied() throws SQLException {
        Script script = Script.parse("typo.sql", """
                ALTER TABLE orders ADD COLUMN x int;
                UPDATE accounts SET mial = lower(mail);
                ALTER TABLE orders ADD COLUMN y int;
                """);
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.run(script)).isInstanceOfSatisfying(SafeOpsException.class,
                    e -> assertThat(e.location().line()).isEqualTo(2));
            assertThat(ops.report().outcomes()).extracting(Outcome::sql)
                    .containsExactly("ALTER TABLE orders ADD COLUMN x int");
            try (Statement statement = connection.createStatement();
                 ResultSet columns = statement.executeQuery("SELECT string_agg(column_name::text, ',' ORDER BY "
                         + "ordinal_position) FROM information_schema.columns WHERE table_name = 'orders'")) {
                columns.next();
                assertThat(columns.getString(1)).isEqualTo("id,a,x");
            }
            connection.rollback();
        }
    }

    @Test
    void anUpdateOfAMisspelledColumnFails() throws SQLException {
        assertFails("UPDATE accounts SET mial = lower(mail)", "42703");
    }

    @Test
    void aColumnDefaultCallingAMisspelledFunctionFails() throws SQLException {
        assertFails("ALTER TABLE accounts ADD COLUMN at timestamptz DEFAULT nwo()", "42883");
    }

    @Test
    void aViewOfAMisspelledColumnFails() throws SQLException {
        assertFails("CREATE VIEW v AS SELECT mial FROM accounts", "42703");
    }

    @Test
    void aCreateOrReplaceViewThatDropsAColumnFails() throws SQLException {
        assertTypedFails(ops -> {
            ops.execute("CREATE VIEW account_mails AS SELECT id, mail FROM accounts");
            ops.execute("CREATE OR REPLACE VIEW account_mails AS SELECT id FROM accounts");
        }, "42P16");
    }

    @Test
    void aRevokeFromAMisspelledRoleFails() throws SQLException {
        assertFails("REVOKE ALL ON accounts FROM pubic", "42704");
    }

    @Test
    void aDoBlockWithATypoInItsAssertionFails() throws SQLException {
        assertFails("DO $$ BEGIN PERFORM mial FROM accounts; END $$", "42703");
    }

    @Test
    void aGinIndexWithoutAnOperatorClassFails() throws SQLException {
        assertFails("CREATE INDEX accounts_mail_gin ON accounts USING gin (mail)", "42704");
    }

    @Test
    void aComparisonWithoutAnOperatorFails() throws SQLException {
        assertFails("DELETE FROM accounts WHERE id = mail::uuid", "42883");
    }

    @Test
    void addColumnWithAMisspelledTypeFails() throws SQLException {
        assertTypedFails(ops -> ops.addColumn("accounts", Column.of("age", "integr")), "42704");
    }

    @Test
    void createIndexOnAMisspelledColumnFails() throws SQLException {
        assertTypedFails(ops -> ops.createIndex(Index.on("accounts", "mial")), "42703");
    }

    @Test
    void aForeignKeyToAMisspelledColumnFails() throws SQLException {
        assertTypedFails(ops -> ops.addForeignKey(ForeignKey.from("orders", "a").to("accounts", "idd")), "42703");
    }

    @Test
    void aCheckCallingAMisspelledFunctionFails() throws SQLException {
        assertTypedFails(ops -> ops.addCheck("accounts", "mail_lower", "mail = lowr(mail)"), "42883");
    }

    @Test
    void anOptionalPatternNeverMatchesTheObjectBeingCreated() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection, Policy.defaults().withOptionalTables("legacy_*"));

            assertThatThrownBy(() -> ops.execute("CREATE INDEX legacy_mail ON accounts (mial)"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.getSQLState()).isEqualTo("42703"));
            connection.rollback();
        }
    }

    @Test
    void anAlterTableAddingAnExistingAndANewColumnFailsNamingTheNewOneAndSuggestingASplit() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute("ALTER TABLE orders ADD COLUMN a int, ADD COLUMN b int"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42701");
                        assertThat(e.getMessage()).contains("action 2 of 2 (ADD COLUMN b int) is not a no-op",
                                "column b of orders exists", "split the statement");
                    });
            connection.rollback();
        }
    }

    @Test
    void anAlterTableAddingAnExistingPrimaryKeyAndANewColumnFails() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute("ALTER TABLE orders ADD PRIMARY KEY (id), ADD COLUMN c int"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42P16");
                        assertThat(e.getMessage()).contains("ADD COLUMN c int", "split the statement");
                    });
            connection.rollback();
        }
    }

    @Test
    void anAlterTableWhoseEveryActionIsANoOpIsSkipped() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            Outcome outcome = SafeOps.on(connection).execute("ALTER TABLE orders ADD COLUMN a int, DROP COLUMN gone");

            assertThat(outcome.isSkipped()).isTrue();
            assertThat(outcome.reason()).contains("column a of orders exists (pg_attribute)",
                    "column gone of orders is absent (pg_attribute)");
            connection.rollback();
        }
    }

    private interface TypedOperation {
        void run(SafeOps ops) throws SQLException;
    }

    private static void assertFails(String sql, String sqlState) throws SQLException {
        assertTypedFails(ops -> ops.execute(sql), sqlState);
    }

    private static void assertTypedFails(TypedOperation operation, String sqlState) throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> operation.run(ops)).isInstanceOfSatisfying(SafeOpsException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo(sqlState));
            assertThat(ops.report().skipped()).isZero();
            connection.rollback();
        }
    }
}

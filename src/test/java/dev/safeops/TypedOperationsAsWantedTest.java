package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** For a typed operation, "already exists" means "exists as wanted"; anything else fails showing both. */
class TypedOperationsAsWantedTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @BeforeAll
    static void schema() throws SQLException {
        Schema.reset(db, """
                CREATE TABLE accounts (id int PRIMARY KEY, mail text NOT NULL DEFAULT '', age int);
                CREATE TABLE orders (id int PRIMARY KEY, account_id int,
                    CONSTRAINT orders_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE,
                    CONSTRAINT orders_id_positive CHECK (id > 0),
                    CONSTRAINT orders_unique UNIQUE (id, account_id));
                CREATE INDEX accounts_mail_idx ON accounts (mail) WHERE age > 0;
                CREATE UNIQUE INDEX accounts_age_include ON accounts (age) INCLUDE (mail);
                CREATE INDEX accounts_age_desc ON accounts (age DESC);
                CREATE INDEX accounts_mail_pattern ON accounts (mail text_pattern_ops);
                CREATE TYPE mood AS ENUM ('happy', 'sad');
                """);
    }

    @Test
    void aColumnAsWantedIsSkippedAsAlreadyExistingAsWanted() throws SQLException {
        Outcome outcome = run(ops -> ops.addColumn("accounts", Column.of("mail", "text").notNull().defaultTo("''")));

        assertThat(outcome.isSkipped()).isTrue();
        assertThat(outcome.reason()).contains("already exists as wanted");
    }

    @Test
    void aColumnOfAnotherTypeFailsShowingExistingAndWanted() throws SQLException {
        assertDiffers(ops -> ops.addColumn("accounts", Column.of("age", "bigint")), "existing integer", "wanted bigint");
    }

    @Test
    void aColumnWithAnotherDefaultFails() throws SQLException {
        assertDiffers(ops -> ops.addColumn("accounts", Column.of("mail", "text").notNull().defaultTo("'none'")),
                "existing text NOT NULL DEFAULT ''::text", "wanted text NOT NULL DEFAULT 'none'::text");
    }

    @Test
    void aColumnThatShouldBeNotNullFails() throws SQLException {
        assertDiffers(ops -> ops.addColumn("accounts", Column.of("age", "int").notNull()), "wanted integer NOT NULL");
    }

    @Test
    void anIndexAsWantedIsSkipped() throws SQLException {
        Outcome outcome = run(ops -> ops.createIndex(Index.on("accounts", "mail").where("age > 0")
                .named("accounts_mail_idx")));

        assertThat(outcome.reason()).contains("already exists as wanted");
    }

    @Test
    void anIndexOnOtherColumnsFails() throws SQLException {
        assertDiffers(ops -> ops.createIndex(Index.on("accounts", "age").where("age > 0").named("accounts_mail_idx")),
                "existing btree (mail) WHERE age > 0", "wanted btree (age) WHERE age > 0");
    }

    @Test
    void anIndexWithAnotherPredicateUniquenessOrMethodFails() throws SQLException {
        assertDiffers(ops -> ops.createIndex(Index.on("accounts", "mail").unique().named("accounts_mail_idx")),
                "wanted btree unique (mail)");
        assertDiffers(ops -> ops.createIndex(Index.on("accounts", "mail").using("hash").where("age > 0")
                .named("accounts_mail_idx")), "wanted hash (mail) WHERE age > 0");
    }

    @Test
    void aUniqueIndexWhoseColumnIsOnlyIncludedFails() throws SQLException {
        assertDiffers(ops -> ops.createIndex(Index.on("accounts", "age", "mail").unique().named("accounts_age_include")),
                "existing btree unique (age) INCLUDE (mail)", "wanted btree unique (age, mail)");
    }

    @Test
    void anIndexInDescendingOrderFails() throws SQLException {
        assertDiffers(ops -> ops.createIndex(Index.on("accounts", "age").named("accounts_age_desc")),
                "existing btree (age DESC NULLS FIRST)", "wanted btree (age)");
    }

    @Test
    void anIndexWithAnotherOperatorClassFails() throws SQLException {
        assertDiffers(ops -> ops.createIndex(Index.on("accounts", "mail").named("accounts_mail_pattern")),
                "existing btree (mail text_pattern_ops)", "wanted btree (mail)");
    }

    @Test
    void aUniqueIndexWhoseNullsAreNotDistinctFails() throws SQLException {
        assumeTrue(db.majorVersion() >= 15, "NULLS NOT DISTINCT exists from PostgreSQL 15 on");
        try (Connection connection = db.connect()) {
            connection.createStatement().execute(
                    "CREATE UNIQUE INDEX IF NOT EXISTS accounts_age_nulls ON accounts (age) NULLS NOT DISTINCT");
        }
        assertDiffers(ops -> ops.createIndex(Index.on("accounts", "age").unique().named("accounts_age_nulls")),
                "existing btree unique nulls not distinct (age)", "wanted btree unique (age)");
    }

    @Test
    void aForeignKeyAsWantedIsSkipped() throws SQLException {
        Outcome outcome = run(ops -> ops.addForeignKey(ForeignKey.from("orders", "account_id").to("accounts")
                .named("orders_account").onDelete(ForeignKey.Action.CASCADE)));

        assertThat(outcome.reason()).contains("already exists as wanted");
    }

    @Test
    void aForeignKeyWithOtherActionsFails() throws SQLException {
        assertDiffers(ops -> ops.addForeignKey(ForeignKey.from("orders", "account_id").to("accounts", "id")
                .named("orders_account")), "existing FOREIGN KEY (account_id) REFERENCES accounts(id) ON DELETE CASCADE",
                "wanted FOREIGN KEY (account_id) REFERENCES accounts(id)");
    }

    @Test
    void aCheckWithAnotherDefinitionFails() throws SQLException {
        assertDiffers(ops -> ops.addCheck("orders", "orders_id_positive", "id >= 0"),
                "existing CHECK ((id > 0))", "wanted CHECK ((id >= 0))");
    }

    @Test
    void aCheckAsWantedIsSkipped() throws SQLException {
        assertThat(run(ops -> ops.addCheck("orders", "orders_id_positive", "id > 0")).reason())
                .contains("already exists as wanted");
    }

    @Test
    void aUniqueConstraintOnOtherColumnsFails() throws SQLException {
        assertDiffers(ops -> ops.addUnique("orders", "orders_unique", "account_id"),
                "existing UNIQUE (id, account_id)", "wanted UNIQUE (account_id)");
    }

    @Test
    void anEnumTypeLackingALabelFailsWithTheCommandThatAddsIt() throws SQLException {
        assertDiffers(ops -> ops.createEnumType("mood", "happy", "sad", "angry"),
                "existing labels [happy, sad]", "ALTER TYPE \"mood\" ADD VALUE E'angry' AFTER E'sad'");
    }

    @Test
    void anEnumTypeWithOtherLabelsFails() throws SQLException {
        assertDiffers(ops -> ops.createEnumType("mood", "sad", "happy"), "existing labels [happy, sad], wanted [sad, happy]");
    }

    @Test
    void anEnumTypeWithTheWantedLabelsIsSkipped() throws SQLException {
        assertThat(run(ops -> ops.createEnumType("mood", "happy", "sad")).reason()).contains("already exists as wanted");
    }

    @Test
    void aComparisonLeavesNothingBehindInTheTransaction() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);
            assertThatThrownBy(() -> ops.addColumn("accounts", Column.of("age", "bigint")))
                    .isInstanceOf(SafeOpsException.class);

            Outcome next = ops.addColumn("accounts", Column.of("created_in_transaction", "date"));
            connection.commit();

            assertThat(next.isApplied()).isTrue();
        }
        assertThat(Schema.columnsOf(db, "accounts")).contains("age", "created_in_transaction");
        assertThat(Schema.tables(db)).doesNotContain("safe_ops_probe");
    }

    @Test
    void anAutocommitComparisonLeavesNothingBehind() throws SQLException {
        try (Connection connection = db.connect()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.createIndex(Index.on("accounts", "age").named("accounts_mail_idx")))
                    .isInstanceOf(SafeOpsException.class);
            assertThat(connection.getAutoCommit()).isTrue();
            assertThat(ops.addColumn("accounts", Column.of("created_in_autocommit", "date")).isApplied()).isTrue();
        }
        assertThat(Schema.columnsOf(db, "accounts")).contains("created_in_autocommit");
    }

    private interface Typed {
        Outcome run(SafeOps ops) throws SQLException;
    }

    private static Outcome run(Typed operation) throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            try {
                return operation.run(SafeOps.on(connection));
            } finally {
                connection.rollback();
            }
        }
    }

    private static void assertDiffers(Typed operation, String... expected) throws SQLException {
        assertThatThrownBy(() -> run(operation)).isInstanceOfSatisfying(SafeOpsException.class,
                e -> assertThat(e.getMessage()).contains("already exists but not as wanted").contains(expected));
    }
}

package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every typed operation builds correct SQL, applies once, and is a reported skip the second time. */
class TypedOperationsTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @BeforeEach
    void baseSchema() throws SQLException {
        Schema.reset(db, """
                CREATE TABLE users (id bigint PRIMARY KEY, email text, legacy text, age int, status text);
                CREATE TABLE content (id bigint PRIMARY KEY, user_id bigint, body text);
                CREATE TABLE to_drop (id int);
                CREATE TABLE old_name (id int);
                CREATE INDEX to_drop_idx ON content (body);
                ALTER TABLE users ADD CONSTRAINT check_to_drop CHECK (true);
                """);
    }

    /** A full migration using every typed operation. */
    static void migrate(SafeOps ops) throws SQLException {
        ops.createSchema("reporting");
        ops.createTable("reporting.daily", Column.of("day", "date").primaryKey(), Column.of("total", "bigint").notNull()
                .defaultTo("0"));
        ops.dropTable("to_drop");
        ops.renameTable("old_name", "new_name");
        ops.addColumn("users", Column.of("password", "text"));
        ops.dropColumn("users", "legacy");
        ops.renameColumn("users", "email", "email_address");
        ops.alterColumnType("users", "age", "bigint");
        ops.alterColumnType("users", "status", "int", "status::text::int");
        ops.setNotNull("content", "user_id");
        ops.dropNotNull("content", "user_id");
        ops.setDefault("content", "body", "''");
        ops.dropDefault("content", "body");
        ops.createIndex(Index.on("content", "user_id"));
        ops.createIndex(Index.on("users", "email_address").unique().where("password IS NOT NULL").named("users_email_live"));
        ops.createIndex(Index.on("content", "body").using("hash").named("content_body_hash"));
        ops.dropIndex("to_drop_idx");
        ops.addForeignKey(ForeignKey.from("content", "user_id").to("users", "id").onDelete(ForeignKey.Action.CASCADE));
        ops.addCheck("users", "users_age_positive", "age > 0");
        ops.addUnique("content", "content_body_unique", "body", "user_id");
        ops.dropConstraint("users", "check_to_drop");
        ops.createEnumType("mood", "happy", "sad");
        ops.addEnumValue("mood", "neutral");
    }

    @Test
    void everyOperationAppliesOnAFreshSchema() throws SQLException {
        Report report = inTransaction(TypedOperationsTest::migrate);

        assertThat(report.skipped()).isZero();
        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "email_address", "age", "status", "password");
        assertThat(Schema.tables(db)).contains("new_name").doesNotContain("to_drop", "old_name");
        assertThat(Schema.indexes(db)).contains("content_user_id_idx", "users_email_live", "content_body_hash")
                .doesNotContain("to_drop_idx");
        assertThat(Schema.snapshot(db)).contains(
                "constraint content content_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE",
                "constraint users users_age_positive CHECK ((age > 0))",
                "enum mood neutral 3");
    }

    @Test
    void runningEveryOperationTwiceSkipsWhatIsAlreadyDoneAndLeavesTheSchemaUnchanged() throws SQLException {
        inTransaction(TypedOperationsTest::migrate);
        List<String> before = Schema.snapshot(db);

        Report second = inTransaction(TypedOperationsTest::migrate);

        assertThat(Schema.snapshot(db)).isEqualTo(before);
        assertThat(second.skippedOutcomes()).extracting(Outcome::operation).contains(
                "create schema reporting", "create table reporting.daily", "drop table to_drop",
                "rename table old_name to new_name", "add column users.password", "drop column users.legacy",
                "rename column users.email", "drop index to_drop_idx", "drop constraint check_to_drop on users", "add foreign key content_user_id_fkey on "
                        + "content referencing users", "create enum type mood", "add value neutral to enum type mood");
        assertThat(second.skippedOutcomes()).extracting(Outcome::sqlState).doesNotContainNull();
    }

    @Test
    void quotesMixedCaseReservedWordsEmbeddedQuotesAndUnicode() throws SQLException {
        inTransaction(ops -> {
            ops.createTable("Order", Column.of("select", "int"), Column.of("say \"hi\"", "text"),
                    Column.of("größe", "int"));
            ops.addColumn("Order", Column.of("CamelCase", "int"));
        });

        assertThat(Schema.columnsOf(db, "Order")).containsExactly("select", "say \"hi\"", "größe", "CamelCase");
    }

    @Test
    void schemaQualifiedNamesMayQuoteDots() throws SQLException {
        inTransaction(ops -> {
            ops.createSchema("my.schema");
            ops.createTable("\"my.schema\".\"t.1\"", Column.of("id", "int"));
        });

        assertThat(Schema.strings(db, "SELECT to_regclass('\"my.schema\".\"t.1\"')::text")).containsExactly(
                "\"my.schema\".\"t.1\"");
    }

    @Test
    void rejectsANameOverSixtyThreeBytesBeforeSendingAnything() {
        String longName = "a".repeat(62) + "ä";

        assertThatThrownBy(() -> inTransaction(ops -> ops.createTable(longName, Column.of("id", "int"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 bytes")
                .hasMessageContaining("truncate");
    }

    @Test
    void rejectsBlankAndNullNames() {
        assertThatThrownBy(() -> inTransaction(ops -> ops.dropTable(" "))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table name must not be null or blank");
        assertThatThrownBy(() -> Column.of(null, "int")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsADefaultIndexNameThatPostgresWouldTruncate() {
        Index index = Index.on("a_rather_long_table_name_for_reports", "a_rather_long_column_name_too");

        assertThatThrownBy(index::sql).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("named(");
    }

    interface Migration {
        void apply(SafeOps ops) throws SQLException;
    }

    private static Report inTransaction(Migration migration) throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);
            migration.apply(ops);
            connection.commit();
            return ops.report();
        }
    }
}

package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SQL every typed operation sends, without a database: the operations run on a connection in
 * autocommit mode that only writes down the statements it is given (what the server does with them
 * is specified against a real PostgreSQL in {@link TypedOperationsTest}).
 */
class TypedOperationSqlTest {

    private final List<String> sent = new ArrayList<>();
    private final SafeOps ops = SafeOps.on(recordingConnection());

    @Test
    void createSchemaQuotesTheName() throws SQLException {
        ops.createSchema("billing");
        assertThat(sent).containsExactly("CREATE SCHEMA \"billing\"");
    }

    @Test
    void createTableListsColumnsThenThePrimaryKey() throws SQLException {
        ops.createTable("app.users", Column.of("id", "bigint").primaryKey(), Column.of("email", "text").notNull(),
                Column.of("state", "text").defaultTo("'new'"));
        assertThat(sent).containsExactly("CREATE TABLE \"app\".\"users\" (\"id\" bigint, \"email\" text NOT NULL, "
                + "\"state\" text DEFAULT 'new', PRIMARY KEY (\"id\"))");
    }

    @Test
    void dropTable() throws SQLException {
        ops.dropTable("users");
        assertThat(sent).containsExactly("DROP TABLE \"users\"");
    }

    @Test
    void renameTable() throws SQLException {
        ops.renameTable("users", "accounts");
        assertThat(sent).containsExactly("ALTER TABLE \"users\" RENAME TO \"accounts\"");
    }

    @Test
    void addColumnWithEveryAttribute() throws SQLException {
        ops.addColumn("users", Column.of("age", "integer").notNull().defaultTo("0"));
        assertThat(sent).containsExactly("ALTER TABLE \"users\" ADD COLUMN \"age\" integer NOT NULL DEFAULT 0");
    }

    @Test
    void addColumnAsPrimaryKey() throws SQLException {
        ops.addColumn("users", Column.of("id", "bigint").primaryKey());
        assertThat(sent).containsExactly("ALTER TABLE \"users\" ADD COLUMN \"id\" bigint PRIMARY KEY");
    }

    @Test
    void dropColumn() throws SQLException {
        ops.dropColumn("users", "age");
        assertThat(sent).containsExactly("ALTER TABLE \"users\" DROP COLUMN \"age\"");
    }

    @Test
    void renameColumn() throws SQLException {
        ops.renameColumn("users", "mail", "email");
        assertThat(sent).containsExactly("ALTER TABLE \"users\" RENAME COLUMN \"mail\" TO \"email\"");
    }

    @Test
    void alterColumnTypeWithAndWithoutUsing() throws SQLException {
        ops.alterColumnType("users", "age", "bigint");
        ops.alterColumnType("users", "age", "text", "age::text");
        assertThat(sent).containsExactly("ALTER TABLE \"users\" ALTER COLUMN \"age\" TYPE bigint",
                "ALTER TABLE \"users\" ALTER COLUMN \"age\" TYPE text USING age::text");
    }

    @Test
    void setAndDropNotNull() throws SQLException {
        ops.setNotNull("users", "email");
        ops.dropNotNull("users", "email");
        assertThat(sent).containsExactly("ALTER TABLE \"users\" ALTER COLUMN \"email\" SET NOT NULL",
                "ALTER TABLE \"users\" ALTER COLUMN \"email\" DROP NOT NULL");
    }

    @Test
    void setAndDropDefault() throws SQLException {
        ops.setDefault("users", "created", "now()");
        ops.dropDefault("users", "created");
        assertThat(sent).containsExactly("ALTER TABLE \"users\" ALTER COLUMN \"created\" SET DEFAULT now()",
                "ALTER TABLE \"users\" ALTER COLUMN \"created\" DROP DEFAULT");
    }

    @Test
    void createIndexWithDefaultName() throws SQLException {
        ops.createIndex(Index.on("users", "email"));
        assertThat(sent).containsExactly("CREATE INDEX \"users_email_idx\" ON \"users\" (\"email\")");
    }

    @Test
    void createUniquePartialIndexWithMethod() throws SQLException {
        ops.createIndex(Index.on("app.users", "email").named("users_live_email").unique().using("btree")
                .where("deleted_at IS NULL"));
        assertThat(sent).containsExactly("CREATE UNIQUE INDEX \"users_live_email\" ON \"app\".\"users\" USING btree "
                + "(\"email\") WHERE deleted_at IS NULL");
    }

    @Test
    void dropIndex() throws SQLException {
        ops.dropIndex("users_email_idx");
        assertThat(sent).containsExactly("DROP INDEX \"users_email_idx\"");
    }

    @Test
    void createIndexConcurrentlyLooksForLeftoversOfAFailedReindexThenBuildsConcurrently() throws SQLException {
        ops.createIndex(Index.on("app.orders", "customer_id").named("orders_customer_idx").unique().concurrently());
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0)).startsWith("SELECT ").contains("to_regclass(E'\"app\".\"orders\"')",
                "NOT i.indisvalid", "'_cc(new|old)[0-9]*$'", "E'orders_customer_idx'");
        assertThat(sent.get(1)).isEqualTo("CREATE UNIQUE INDEX CONCURRENTLY \"orders_customer_idx\" ON "
                + "\"app\".\"orders\" (\"customer_id\")");
    }

    @Test
    void dropIndexConcurrentlyNamesTheIndexInItsTablesSchema() throws SQLException {
        ops.dropIndex(Index.on("app.orders", "customer_id").named("orders_customer_idx").concurrently());
        assertThat(sent).hasSize(3); // whose table the index is on, the leftovers of a failed reindex, the drop
        assertThat(sent.get(0)).startsWith("SELECT ").contains("E'\"app\".\"orders_customer_idx\"'");
        assertThat(sent.get(1)).startsWith("SELECT ").contains("E'orders_customer_idx'");
        assertThat(sent.get(2)).isEqualTo("DROP INDEX CONCURRENTLY \"app\".\"orders_customer_idx\"");
    }

    @Test
    void dropIndexByItsValueWithoutConcurrentlyIsAPlainDrop() throws SQLException {
        ops.dropIndex(Index.on("users", "email"));
        assertThat(sent).containsExactly("DROP INDEX \"users_email_idx\"");
    }

    @Test
    void concurrentlyKeepsEveryOtherPartOfTheIndex() {
        Index index = Index.on("users", "email").named("users_live_email").unique().using("gin").where("live");

        assertThat(index.concurrently()).isEqualTo(new Index("users", java.util.List.of("email"), "users_live_email",
                true, "gin", "live", true));
        assertThat(index.isConcurrent()).isFalse();
    }

    @Test
    void addForeignKeyWithActions() throws SQLException {
        ops.addForeignKey(ForeignKey.from("orders", "user_id").to("users", "id").named("orders_user_fk")
                .onDelete(ForeignKey.Action.CASCADE).onUpdate(ForeignKey.Action.SET_NULL));
        assertThat(sent).containsExactly("ALTER TABLE \"orders\" ADD CONSTRAINT \"orders_user_fk\" FOREIGN KEY "
                + "(\"user_id\") REFERENCES \"users\" (\"id\") ON DELETE CASCADE ON UPDATE SET NULL");
    }

    @Test
    void addCheck() throws SQLException {
        ops.addCheck("users", "users_age_positive", "age > 0");
        assertThat(sent).containsExactly("ALTER TABLE \"users\" ADD CONSTRAINT \"users_age_positive\" CHECK (age > 0)");
    }

    @Test
    void addUnique() throws SQLException {
        ops.addUnique("users", "users_email_key", "email", "tenant");
        assertThat(sent).containsExactly(
                "ALTER TABLE \"users\" ADD CONSTRAINT \"users_email_key\" UNIQUE (\"email\", \"tenant\")");
    }

    @Test
    void dropConstraint() throws SQLException {
        ops.dropConstraint("users", "users_email_key");
        assertThat(sent).containsExactly("ALTER TABLE \"users\" DROP CONSTRAINT \"users_email_key\"");
    }

    @Test
    void createEnumTypeQuotesEveryLabelAsAnEscapeString() throws SQLException {
        ops.createEnumType("mood", "sad", "it's ok");
        assertThat(sent).containsExactly("CREATE TYPE \"mood\" AS ENUM (E'sad', E'it''s ok')");
    }

    @Test
    void addEnumValue() throws SQLException {
        ops.addEnumValue("mood", "happy");
        assertThat(sent).containsExactly("ALTER TYPE \"mood\" ADD VALUE E'happy'");
    }

    @Test
    void quotesIdentifiersThatNeedIt() throws SQLException {
        ops.addColumn("Order Items", Column.of("say \"hi\"", "text"));
        assertThat(sent).containsExactly("ALTER TABLE \"Order Items\" ADD COLUMN \"say \"\"hi\"\"\" text");
    }

    /** A connection in autocommit mode, hiding its driver, whose statements only write down what they are given. */
    private Connection recordingConnection() {
        Statement statement = (Statement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Statement.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "execute" -> {
                        sent.add((String) args[0]);
                        yield false;
                    }
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAutoCommit" -> true;
                    case "isWrapperFor", "isClosed" -> false;
                    case "createStatement" -> statement;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}

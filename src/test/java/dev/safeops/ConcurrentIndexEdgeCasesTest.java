package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Typed indexes built and dropped concurrently where a careless look would take the wrong object for
 * the wanted one: another collation, another table's index of the same name, the leftovers of an
 * index whose long name starts like this one's.
 */
class ConcurrentIndexEdgeCasesTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final Index ORDERS_V = Index.on("orders", "v").named("orders_v").concurrently();

    @BeforeEach
    void oneTable() throws SQLException {
        Schema.reset(db, "CREATE TABLE orders (v int, t text); INSERT INTO orders VALUES (1, 'a'), (2, 'b')");
    }

    @Test
    void failsABuildOfAnIndexThereWithAnotherCollation() throws SQLException {
        run("CREATE INDEX orders_t ON orders (t COLLATE \"C\")");
        try (Connection connection = db.connect()) {
            assertThatThrownBy(() -> SafeOps.on(connection)
                    .createIndex(Index.on("orders", "t").named("orders_t").concurrently()))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.getMessage())
                            .contains("already exists but not as wanted: existing btree (t COLLATE \"C\"), wanted btree (t)"));
        }
    }

    @Test
    void skipsABuildOfAnIndexThereOnAColumnWithACollationOfItsOwn() throws SQLException {
        run("CREATE TABLE labels (t text COLLATE \"C\"); CREATE INDEX labels_t ON labels (t)");
        try (Connection connection = db.connect()) {
            Outcome outcome = SafeOps.on(connection).createIndex(Index.on("labels", "t").named("labels_t").concurrently());

            assertThat(outcome.isSkipped()).as(outcome.toString()).isTrue();
        }
    }

    @Test
    void dropsTheLeftoverOfAFailedReindexOfAMixedCaseIndex() throws SQLException {
        run("CREATE INDEX \"Orders_V\" ON orders (v)");
        failedReindex("\"Orders_V\"");
        try (Connection connection = db.connect()) {
            SafeOps ops = SafeOps.on(connection);

            ops.dropIndex(Index.on("orders", "v").named("Orders_V").concurrently());

            assertThat(ops.report().outcomes().get(0).sql()).isEqualTo("DROP INDEX CONCURRENTLY \"Orders_V_ccnew\"");
        }
        assertThat(Schema.indexes(db)).isEmpty();
    }

    @Test
    void failsAConcurrentDropOfTheIndexBehindAPrimaryKeyNamingTheConstraint() throws SQLException {
        run("ALTER TABLE orders ADD CONSTRAINT orders_v PRIMARY KEY (v)");
        try (Connection connection = db.connect()) {
            assertThatThrownBy(() -> SafeOps.on(connection).dropIndex(ORDERS_V))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("2BP01");
                        assertThat(e.getMessage()).contains("constraint orders_v on table orders requires it");
                    });
        }
        assertThat(Schema.indexes(db)).containsExactly("orders_v");
    }

    @Test
    void failsAConcurrentBuildOnAPartitionedTableSayingWhy() throws SQLException {
        run("CREATE TABLE parts (v int) PARTITION BY RANGE (v); "
                + "CREATE TABLE parts_low PARTITION OF parts FOR VALUES FROM (0) TO (10)");
        try (Connection connection = db.connect()) {
            assertThatThrownBy(() -> SafeOps.on(connection)
                    .createIndex(Index.on("parts", "v").named("parts_v").concurrently()))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("0A000");
                        assertThat(e.getMessage()).contains("cannot create index on partitioned table \"parts\" concurrently");
                    });
        }
        assertThat(Schema.indexes(db)).isEmpty();
    }

    @Test
    void leavesTheLeftoverOfAnotherIndexWhoseLongNameStartsThisOne() throws SQLException {
        String other = "o".repeat(54); // its copy, other_ccnew, is 60 bytes long and was not truncated
        run("CREATE INDEX " + other + " ON orders (v)");
        failedReindex(other);
        try (Connection connection = db.connect()) {
            SafeOps ops = SafeOps.on(connection);

            ops.createIndex(Index.on("orders", "v").named(other + "abcd").concurrently());

            assertThat(ops.report().outcomes()).hasSize(1);
        }
        assertThat(Schema.indexes(db)).contains(other + "_ccnew");
    }

    @Test
    void refusesAConcurrentDropOfAnIndexOfThatNameOnAnotherTable() throws SQLException {
        run("CREATE TABLE customers (v int); CREATE INDEX orders_v ON customers (v)");
        try (Connection connection = db.connect()) {
            assertThatThrownBy(() -> SafeOps.on(connection).dropIndex(ORDERS_V))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.kind()).isEqualTo(SafeOpsException.Kind.REFUSED);
                        assertThat(e.getMessage()).contains("index orders_v is on customers, not on orders");
                        assertThat(e.location().toString()).startsWith("ConcurrentIndexEdgeCasesTest.java:");
                    });
        }
        assertThat(Schema.indexes(db)).containsExactly("orders_v");
    }

    @Test
    void refusesAConcurrentDropThatTheSearchPathWouldSendToAnotherSchemasIndex() throws SQLException {
        run("CREATE SCHEMA app; CREATE TABLE app.orders (v int); CREATE INDEX orders_v ON public.orders (v)");
        try (Connection connection = db.connect(); Statement session = connection.createStatement()) {
            session.execute("SET search_path = app, public");

            assertThatThrownBy(() -> SafeOps.on(connection).dropIndex(ORDERS_V))
                    .isInstanceOfSatisfying(SafeOpsException.class,
                            e -> assertThat(e.getMessage()).contains("not on orders"));
        }
        assertThat(Schema.indexes(db)).containsExactly("orders_v");
    }

    @Test
    void aBuildThatTimesOutWhileAnotherSessionBuildsTheSameIndexLeavesThatBuildAlone() throws Exception {
        try (Connection blocker = db.connect(); Statement holding = blocker.createStatement();
                Connection other = db.connect(); Statement building = other.createStatement();
                Connection connection = db.connect(); Statement session = connection.createStatement()) {
            // Another deployment's build of the same index, waiting at its end for a transaction's snapshot.
            blocker.setAutoCommit(false);
            holding.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            holding.execute("SELECT 1");
            CompletableFuture<Boolean> build = CompletableFuture.supplyAsync(() -> {
                try {
                    return building.execute("CREATE INDEX CONCURRENTLY orders_v ON orders (v)");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitBuildInProgress("orders_v");
            session.execute("SET lock_timeout = '100ms'");

            assertThatThrownBy(() -> SafeOps.on(connection).createIndex(ORDERS_V))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("55P03");
                        assertThat(e.getMessage()).doesNotContain("left the index", "DROP INDEX");
                    });
            blocker.rollback();
            build.get(30, TimeUnit.SECONDS);
        }
        assertThat(Schema.strings(db, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'orders_v'::regclass"))
                .containsExactly("true");
    }

    private static void awaitBuildInProgress(String index) throws Exception {
        for (int attempt = 0; attempt < 200; attempt++) {
            if (!Schema.strings(db, "SELECT 1 FROM pg_stat_progress_create_index WHERE index_relid = to_regclass(?)",
                    index).isEmpty()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the other session's build of " + index + " did not start");
    }

    /** A {@code REINDEX INDEX CONCURRENTLY} stopped by a lock timeout, leaving {@code name_ccnew} invalid. */
    private static void failedReindex(String name) throws SQLException {
        try (Connection blocker = db.connect(); Statement holding = blocker.createStatement();
                Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            blocker.setAutoCommit(false);
            holding.execute("INSERT INTO orders VALUES (3)");
            statement.execute("SET lock_timeout = '100ms'");
            assertThatThrownBy(() -> statement.execute("REINDEX INDEX CONCURRENTLY " + name))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("55P03"));
            blocker.rollback();
        }
    }

    private static void run(String sql) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}

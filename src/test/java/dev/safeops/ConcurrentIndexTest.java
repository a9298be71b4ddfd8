package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Typed indexes built and dropped {@code CONCURRENTLY}: outside a transaction, repairing what failed
 * concurrent builds and reindexes left, and leaving nothing half-built when they fail themselves.
 */
class ConcurrentIndexTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @RegisterExtension
    static final ThroughProxy proxy = new ThroughProxy(db);

    private static final Index ORDERS_V = Index.on("orders", "v").named("orders_v").concurrently();

    @BeforeEach
    void oneTable() throws SQLException {
        Schema.reset(db, "CREATE TABLE orders (v int); INSERT INTO orders VALUES (1), (2)");
    }

    @Test
    void buildsAnIndexConcurrentlyInAutocommitMode() throws SQLException {
        try (Connection connection = db.connect()) {
            Outcome outcome = SafeOps.on(connection).createIndex(ORDERS_V);

            assertThat(outcome.isApplied()).isTrue();
            assertThat(outcome.sql()).isEqualTo("CREATE INDEX CONCURRENTLY \"orders_v\" ON \"orders\" (\"v\")");
            assertThat(outcome.operation()).isEqualTo("create index orders_v on orders concurrently");
        }
        assertThat(valid("orders_v")).containsExactly("true");
    }

    @Test
    void skipsAConcurrentBuildOfAnIndexAlreadyThereAsWanted() throws SQLException {
        try (Connection connection = db.connect()) {
            SafeOps ops = SafeOps.on(connection);
            ops.createIndex(ORDERS_V);

            Outcome again = ops.createIndex(ORDERS_V);

            assertThat(again.isSkipped()).isTrue();
            assertThat(again.reason()).contains("already exists as wanted");
        }
    }

    @Test
    void skipsAConcurrentBuildOnAMissingOptionalTable() throws SQLException {
        try (Connection connection = db.connect()) {
            Outcome outcome = SafeOps.on(connection, Policy.defaults().withOptionalTables("pipeline_*"))
                    .createIndex(Index.on("pipeline_stages", "position").concurrently());

            assertThat(outcome.isSkipped()).isTrue();
            assertThat(outcome.sqlState()).isEqualTo("42P01");
        }
    }

    @Test
    void failsAConcurrentBuildOfAnIndexThereButNotAsWanted() throws SQLException {
        Catalog.run("CREATE INDEX orders_v ON orders (v) WHERE v > 1");
        try (Connection connection = db.connect()) {
            assertThatThrownBy(() -> SafeOps.on(connection).createIndex(ORDERS_V))
                    .isInstanceOfSatisfying(SafeOpsException.class,
                            e -> assertThat(e.getMessage()).contains("already exists but not as wanted"));
        }
        assertThat(valid("orders_v")).containsExactly("true");
    }

    @Test
    void refusesAConcurrentBuildInATransactionBeforeSendingAnything() throws SQLException {
        try (Connection connection = proxy.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.createIndex(ORDERS_V)).isInstanceOfSatisfying(SafeOpsException.class, e -> {
                assertThat(e.kind()).isEqualTo(SafeOpsException.Kind.REFUSED);
                assertThat(e.getSQLState()).isEqualTo("25001");
                assertThat(e.getMessage()).contains("create index orders_v on orders concurrently",
                        "connection.setAutoCommit(true)", "Nothing was sent");
                assertThat(e.transactionUsable()).isTrue();
            });
            assertThat(proxy.bytesSent()).isZero();
            assertThat(ops.report().outcomes()).isEmpty();
            connection.rollback();
        }
        assertThat(Schema.indexes(db)).isEmpty();
    }

    @Test
    void refusesAConcurrentDropInATransactionBeforeSendingAnything() throws SQLException {
        Catalog.run("CREATE INDEX orders_v ON orders (v)");
        try (Connection connection = proxy.connectInTransaction()) {
            assertThatThrownBy(() -> SafeOps.on(connection).dropIndex(ORDERS_V))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.kind()).isEqualTo(SafeOpsException.Kind.REFUSED);
                        assertThat(e.getMessage()).contains("drop index orders_v concurrently", "autocommit is off");
                    });
            assertThat(proxy.bytesSent()).isZero();
            connection.rollback();
        }
        assertThat(Schema.indexes(db)).containsExactly("orders_v");
    }

    @Test
    void repairsAnInvalidIndexOfTheSameNameByDroppingItAndBuildingItAgain() throws SQLException {
        invalidUniqueIndex("orders_v");
        Catalog.run("DELETE FROM orders WHERE v = 1 AND ctid <> (SELECT min(ctid) FROM orders WHERE v = 1)");
        try (Connection connection = db.connect()) {
            Outcome outcome = SafeOps.on(connection).createIndex(ORDERS_V.unique());

            assertThat(outcome.isApplied()).isTrue();
            assertThat(outcome.reason()).contains("repaired", "exists but is invalid",
                    "DROP INDEX CONCURRENTLY \"orders_v\"");
        }
        assertThat(valid("orders_v")).containsExactly("true");
    }

    @Test
    void dropsTheInvalidIndexItsOwnFailedBuildLeft() throws SQLException {
        Catalog.run("INSERT INTO orders VALUES (1)");
        try (Connection connection = db.connect()) {
            assertThatThrownBy(() -> SafeOps.on(connection).createIndex(ORDERS_V.unique()))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("23505");
                        assertThat(e.getMessage()).contains("left the index orders_v behind INVALID",
                                "dropped it (DROP INDEX CONCURRENTLY \"orders_v\") so that nothing half-built stays");
                    });
        }
        assertThat(Schema.indexes(db)).isEmpty();
    }

    @Test
    void dropsTheIndexAFailedRepairBuiltAgain() throws SQLException {
        invalidUniqueIndex("orders_v");
        try (Connection connection = db.connect()) {
            assertThatThrownBy(() -> SafeOps.on(connection).createIndex(ORDERS_V.unique()))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("23505");
                        assertThat(e.getMessage()).contains("repairing the invalid index", "dropped it");
                    });
        }
        assertThat(Schema.indexes(db)).isEmpty();
    }

    @Test
    void dropsTheLeftoverOfAFailedReindexConcurrentlyBeforeTheBuild() throws SQLException {
        Catalog.run("CREATE INDEX orders_v ON orders (v)");
        failedReindex("orders_v");
        assertThat(valid("orders_v_ccnew")).containsExactly("false");
        try (Connection connection = db.connect()) {
            SafeOps ops = SafeOps.on(connection);

            Outcome build = ops.createIndex(ORDERS_V);

            assertThat(build.isSkipped()).as(build.toString()).isTrue();
            assertThat(ops.report().outcomes()).hasSize(2);
            Outcome drop = ops.report().outcomes().get(0);
            assertThat(drop.isApplied()).isTrue();
            assertThat(drop.operation()).isEqualTo("drop index orders_v_ccnew concurrently, left invalid by a "
                    + "failed REINDEX CONCURRENTLY of orders_v");
            assertThat(drop.sql()).isEqualTo("DROP INDEX CONCURRENTLY orders_v_ccnew");
        }
        assertThat(Schema.indexes(db)).containsExactly("orders_v");
    }

    @Test
    void dropsTheOldIndexAReindexThatFailedAfterTheSwapLeft() throws SQLException {
        Catalog.run("CREATE INDEX orders_v ON orders (v)");
        failedReindex("orders_v", "LOCK TABLE orders IN ACCESS SHARE MODE");
        assertThat(valid("orders_v_ccold")).containsExactly("false");
        try (Connection connection = db.connect()) {
            SafeOps ops = SafeOps.on(connection);

            assertThat(ops.createIndex(ORDERS_V).isSkipped()).isTrue();
            assertThat(ops.report().outcomes().get(0).sql()).isEqualTo("DROP INDEX CONCURRENTLY orders_v_ccold");
        }
        assertThat(Schema.indexes(db)).containsExactly("orders_v");
    }

    @Test
    void findsTheLeftoverOfAReindexWhoseNamePostgresqlTruncated() throws SQLException {
        String name = "i".repeat(63);
        Catalog.run("CREATE INDEX " + name + " ON orders (v)");
        failedReindex(name);
        String copy = "i".repeat(57) + "_ccnew";
        assertThat(valid(copy)).containsExactly("false");
        try (Connection connection = db.connect()) {
            SafeOps.on(connection).createIndex(Index.on("orders", "v").named(name).concurrently());
        }
        assertThat(Schema.indexes(db)).containsExactly(name);
    }

    @Test
    void leavesTheLeftoversOfAnotherIndexAlone() throws SQLException {
        Catalog.run("CREATE INDEX orders_ ON orders (v)"); // a prefix of orders_v
        failedReindex("orders_");
        try (Connection connection = db.connect()) {
            SafeOps.on(connection).createIndex(ORDERS_V);
        }
        assertThat(valid("orders__ccnew")).containsExactly("false");
    }

    @Test
    void aConcurrentDropAlsoDropsTheLeftoverOfAFailedReindex() throws SQLException {
        Catalog.run("CREATE INDEX orders_v ON orders (v)");
        failedReindex("orders_v");
        try (Connection connection = db.connect()) {
            SafeOps ops = SafeOps.on(connection);

            Outcome outcome = ops.dropIndex(ORDERS_V);

            assertThat(outcome.isApplied()).isTrue();
            assertThat(ops.report().applied()).isEqualTo(2);
        }
        assertThat(Schema.indexes(db)).isEmpty();
    }

    @Test
    void aConcurrentDropOfAnAbsentIndexIsASkipTheCatalogConfirms() throws SQLException {
        try (Connection connection = db.connect()) {
            Outcome outcome = SafeOps.on(connection).dropIndex(ORDERS_V);

            assertThat(outcome.isSkipped()).isTrue();
            assertThat(outcome.sqlState()).isEqualTo("42704");
            assertThat(outcome.sql()).isEqualTo("DROP INDEX CONCURRENTLY \"orders_v\"");
            assertThat(outcome.reason()).contains("relation orders_v is absent (to_regclass)");
        }
    }

    @Test
    void aConcurrentDropOfAnIndexOnAnotherSchemasTableNamesItsSchema() throws SQLException {
        Catalog.run("CREATE SCHEMA billing; CREATE TABLE billing.invoices (v int); "
                + "CREATE INDEX invoices_v ON billing.invoices (v)");
        try (Connection connection = db.connect()) {
            Outcome outcome = SafeOps.on(connection)
                    .dropIndex(Index.on("billing.invoices", "v").named("invoices_v").concurrently());

            assertThat(outcome.isApplied()).isTrue();
        }
        assertThat(Schema.strings(db, "SELECT to_regclass('billing.invoices_v')::text")).containsOnlyNulls();
    }

    @Test
    void aLockTimeoutAtTheEndOfTheBuildLeavesNoInvalidIndex() throws SQLException {
        try (Connection blocker = db.connect(); Statement holding = blocker.createStatement();
                Connection connection = db.connect(); Statement session = connection.createStatement()) {
            // A transaction that holds a snapshot, and no lock on the table: the build's last phase waits for it.
            blocker.setAutoCommit(false);
            holding.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            holding.execute("SELECT 1");
            session.execute("SET lock_timeout = '100ms'");

            assertThatThrownBy(() -> SafeOps.on(connection).createIndex(ORDERS_V))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("55P03");
                        assertThat(e.getMessage()).contains("left the index orders_v behind INVALID", "dropped it");
                    });
            blocker.rollback();
        }
        assertThat(Schema.indexes(db)).isEmpty();
    }

    @Test
    void aConcurrentBuildWaitsForOlderTransactionsWithoutTheSettingsLockTimeout() throws Exception {
        try (Connection blocker = db.connect(); Statement holding = blocker.createStatement();
                Connection connection = db.connect(); Statement session = connection.createStatement()) {
            // A transaction that holds a snapshot for longer than every lock timeout of the schedule
            // would wait: the build's last phase waits for it, blocking no one's reads or writes.
            blocker.setAutoCommit(false);
            holding.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            holding.execute("SELECT 1");
            session.execute("SET lock_timeout = '5min'");
            Thread release = new Thread(() -> {
                try {
                    Thread.sleep(300);
                    blocker.rollback();
                } catch (InterruptedException | SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            release.start();

            Outcome outcome = SafeOps.on(connection, Policy.defaults(),
                    Settings.production().withLockTimeout(java.time.Duration.ofMillis(10))).createIndex(ORDERS_V);
            release.join();

            assertThat(outcome.isApplied()).isTrue();
            assertThat(outcome.lockRetries()).isZero();
            assertThat(outcome.reason()).isNull();
            try (var rows = session.executeQuery("SHOW lock_timeout")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("5min");
            }
        }
        assertThat(valid("orders_v")).containsExactly("true");
    }

    @Test
    void aLockTimeoutThatAlsoStopsTheDropSaysToDropTheIndexLater() throws SQLException {
        try (Connection blocker = db.connect(); Statement holding = blocker.createStatement();
                Connection connection = db.connect(); Statement session = connection.createStatement()) {
            // A writer still in its transaction: the build waits for it, and so does the drop of what it left.
            blocker.setAutoCommit(false);
            holding.execute("INSERT INTO orders VALUES (3)");
            session.execute("SET lock_timeout = '100ms'");

            assertThatThrownBy(() -> SafeOps.on(connection).createIndex(ORDERS_V))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("55P03");
                        assertThat(e.getMessage()).contains("behind INVALID",
                                "dropping it (DROP INDEX CONCURRENTLY \"orders_v\") failed too, with SQLSTATE 55P03",
                                "drop it before running again");
                    });
            blocker.rollback();
        }
        assertThat(valid("orders_v")).containsExactly("false");
    }

    @Test
    void failsABuildOfAnIndexThereWithAnotherCollation() throws SQLException {
        Catalog.run("CREATE TABLE labels (t text); CREATE INDEX labels_t ON labels (t COLLATE \"C\")");
        try (Connection connection = db.connect()) {
            assertThatThrownBy(() -> SafeOps.on(connection)
                    .createIndex(Index.on("labels", "t").named("labels_t").concurrently()))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.getMessage())
                            .contains("already exists but not as wanted: existing btree (t COLLATE \"C\"), wanted btree (t)"));
        }
    }

    @Test
    void skipsABuildOfAnIndexThereOnAColumnWithACollationOfItsOwn() throws SQLException {
        Catalog.run("CREATE TABLE labels (t text COLLATE \"C\"); CREATE INDEX labels_t ON labels (t)");
        try (Connection connection = db.connect()) {
            Outcome outcome = SafeOps.on(connection).createIndex(Index.on("labels", "t").named("labels_t").concurrently());

            assertThat(outcome.isSkipped()).as(outcome.toString()).isTrue();
        }
    }

    @Test
    void dropsTheLeftoverOfAFailedReindexOfAMixedCaseIndex() throws SQLException {
        Catalog.run("CREATE INDEX \"Orders_V\" ON orders (v)");
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
        Catalog.run("ALTER TABLE orders ADD CONSTRAINT orders_v PRIMARY KEY (v)");
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
        Catalog.run("CREATE TABLE parts (v int) PARTITION BY RANGE (v); "
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
        Catalog.run("CREATE INDEX " + other + " ON orders (v)");
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
        Catalog.run("CREATE TABLE customers (v int); CREATE INDEX orders_v ON customers (v)");
        try (Connection connection = db.connect()) {
            assertThatThrownBy(() -> SafeOps.on(connection).dropIndex(ORDERS_V))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.kind()).isEqualTo(SafeOpsException.Kind.REFUSED);
                        assertThat(e.getSQLState()).isEqualTo("42809");
                        assertThat(e.getMessage()).contains("index orders_v is on customers, not on orders");
                        assertThat(e.location().toString()).startsWith("ConcurrentIndexTest.java:");
                    });
        }
        assertThat(Schema.indexes(db)).containsExactly("orders_v");
    }

    @Test
    void refusesAConcurrentDropThatTheSearchPathWouldSendToAnotherSchemasIndex() throws SQLException {
        Catalog.run("CREATE SCHEMA app; CREATE TABLE app.orders (v int); CREATE INDEX orders_v ON public.orders (v)");
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
        try (Connection blocker = db.connect(); Connection other = db.connect();
                Connection connection = db.connect(); Statement session = connection.createStatement()) {
            // Another deployment's build of the same index, waiting at its end for a transaction's snapshot.
            CompletableFuture<Boolean> build = behindASnapshot(blocker, other,
                    "CREATE INDEX CONCURRENTLY orders_v ON orders (v)");
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

    @Test
    void leavesAloneTheCopyOfAReindexStillRunning() throws Exception {
        Catalog.run("CREATE INDEX orders_v ON orders (v)");
        try (Connection blocker = db.connect(); Connection other = db.connect();
                Connection connection = db.connect(); Statement session = connection.createStatement()) {
            CompletableFuture<Boolean> reindex = behindASnapshot(blocker, other, "REINDEX INDEX CONCURRENTLY orders_v");
            awaitReindexInProgress("orders_v");
            assertThat(valid("orders_v_ccnew")).containsExactly("false");
            session.execute("SET lock_timeout = '100ms'");

            assertThatThrownBy(() -> SafeOps.on(connection).createIndex(ORDERS_V))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("55P03");
                        assertThat(e.operation()).isEqualTo("create index orders_v on orders concurrently");
                    });
            blocker.rollback();
            reindex.get(30, TimeUnit.SECONDS);
        }
        assertThat(Schema.indexes(db)).containsExactly("orders_v");
    }

    /**
     * Starts {@code sql}, a concurrent build or reindex, in {@code other}'s session, after {@code blocker}
     * has taken a snapshot that it will wait for until {@code blocker} rolls back.
     */
    private static CompletableFuture<Boolean> behindASnapshot(Connection blocker, Connection other, String sql)
            throws SQLException {
        blocker.setAutoCommit(false);
        try (Statement holding = blocker.createStatement()) {
            holding.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            holding.execute("SELECT 1");
        }
        return CompletableFuture.supplyAsync(() -> {
            try (Statement statement = other.createStatement()) {
                return statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void awaitBuildInProgress(String index) throws Exception {
        awaitRows("SELECT 1 FROM pg_stat_progress_create_index WHERE index_relid = to_regclass(?)", index);
    }

    /** Until a concurrent reindex of {@code index} in another session has made its copy {@code index_ccnew}. */
    private static void awaitReindexInProgress(String index) throws Exception {
        awaitRows("SELECT 1 FROM pg_stat_progress_create_index p JOIN pg_index i ON i.indrelid = p.relid "
                + "WHERE i.indexrelid = to_regclass(?) AND to_regclass(? || '_ccnew') IS NOT NULL", index, index);
    }

    private static void awaitRows(String query, String... parameters) throws Exception {
        for (int attempt = 0; attempt < 200; attempt++) {
            if (!Schema.strings(db, query, parameters).isEmpty()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the other session's work did not start: " + query);
    }

    /** A unique index built concurrently on duplicates: the build fails and leaves it invalid. */
    private static void invalidUniqueIndex(String name) throws SQLException {
        Catalog.run("INSERT INTO orders VALUES (1)");
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE UNIQUE INDEX CONCURRENTLY " + name + " ON orders (v)");
        } catch (SQLException expected) {
            assertThat(expected.getSQLState()).isEqualTo("23505");
        }
        assertThat(valid(name)).containsExactly("false");
    }

    /**
     * A {@code REINDEX INDEX CONCURRENTLY} that fails as production ones do: a lock timeout while it
     * waits for a writer, after it has made its copy {@code name_ccnew}, which stays behind invalid.
     */
    private static void failedReindex(String name) throws SQLException {
        failedReindex(name, "INSERT INTO orders VALUES (3)");
    }

    /**
     * A reindex that waits for the transaction that ran {@code blocking} and times out: a writer
     * stops it before its build, leaving the copy {@code name_ccnew}; a lock on the table alone, which
     * only the phase after the swap waits for, stops it there, leaving the old index as
     * {@code name_ccold}.
     */
    private static void failedReindex(String name, String blocking) throws SQLException {
        try (Connection blocker = db.connect(); Statement holding = blocker.createStatement();
                Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            blocker.setAutoCommit(false);
            holding.execute(blocking);
            statement.execute("SET lock_timeout = '100ms'");
            assertThatThrownBy(() -> statement.execute("REINDEX INDEX CONCURRENTLY " + name))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("55P03"));
            blocker.rollback();
        }
    }

    private static List<String> valid(String index) throws SQLException {
        return Schema.strings(db, "SELECT i.indisvalid::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                + "WHERE c.relname = ?", index);
    }

    /** Runs DDL outside safe-ops, committed. */
    private static final class Catalog {
        static void run(String sql) throws SQLException {
            try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }
    }
}

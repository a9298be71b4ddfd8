package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Operations that lock or rewrite a table are judged with the table's real size before they run:
 * on a large table they carry a warning (the lock, the size, the safe recipe) in their outcome, or
 * with fail-on-risk are refused before anything is sent; on an empty table they are not news.
 * "Large" is set to one byte here, so that a table of a few rows counts.
 */
class RiskyOperationTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @RegisterExtension
    static final ThroughProxy proxy = new ThroughProxy(db, ThroughProxy.EXACT_ROUND_TRIPS);

    private static final Settings ANY_ROW_IS_LARGE = Settings.defaults().withLargeTableBytes(1);
    private static final String ORDERS = "CREATE TABLE orders (id int PRIMARY KEY, customer int, note varchar(10), "
            + "total numeric(10,2), placed timestamp, code text); CREATE TABLE customers (id int PRIMARY KEY);"
            + " INSERT INTO customers VALUES (1); INSERT INTO orders VALUES (1, 1, 'a', 1.5, now(), 'x');"
            + " CREATE TABLE drafts (id int, note text); CREATE INDEX orders_customer ON orders (customer)";

    private static List<String> warnings(String sql) throws SQLException {
        return warnings(sql, ANY_ROW_IS_LARGE);
    }

    private static List<String> warnings(String sql, Settings settings) throws SQLException {
        return warnings("SELECT 1", sql, settings);
    }

    /** The warnings of running {@code sql} after the caller's own {@code setting}, rolled back. */
    private static List<String> warnings(String setting, String sql, Settings settings) throws SQLException {
        try (Connection connection = db.connectInTransaction(); Statement statement = connection.createStatement()) {
            statement.execute(setting);
            Report report = SafeOps.on(connection, Policy.defaults(), settings).run(Script.parse("change.sql", sql));
            connection.rollback();
            return report.outcomes().stream().flatMap(outcome -> outcome.warnings().stream()).toList();
        }
    }

    @Test
    void warnsAboutAnIndexBuiltWithoutConcurrentlyOnALargeTable() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(warnings("CREATE INDEX orders_total ON orders (total);")).singleElement().asString()
                .contains("CREATE INDEX without CONCURRENTLY: orders (about")
                .contains("takes SHARE (blocks writes)").contains("Safe recipe: CREATE INDEX CONCURRENTLY");
    }

    @Test
    void warnsAboutATableWhoseNameHoldsTheLookUpsSeparator() throws SQLException {
        // U+001F separates the look-up's answers: a table's name may hold it too, quoted.
        Schema.reset(db, "CREATE TABLE \"ord\u001fers\" (id int); INSERT INTO \"ord\u001fers\" VALUES (1)");

        try (Connection connection = db.connectInTransaction()) {
            Report report = SafeOps.on(connection, Policy.defaults(), ANY_ROW_IS_LARGE).run(Script.parse("change.sql",
                    "CREATE INDEX orders_id ON \"ord\u001fers\" (id);\nCREATE TABLE audit (id int);"));

            assertThat(report.applied()).isEqualTo(2);
            assertThat(report.outcomes().get(0).warnings()).singleElement().asString()
                    .contains("CREATE INDEX without CONCURRENTLY: \"ord");
            connection.rollback();
        }
    }

    @Test
    void judgesThousandsOfRiskyStatementsInOneLookUp() throws SQLException {
        Schema.reset(db, ORDERS);
        String script = "ALTER TABLE orders ALTER COLUMN customer SET NOT NULL;\n".repeat(2000);

        assertThat(warnings(script)).hasSize(2000)
                .allSatisfy(warning -> assertThat(warning).startsWith("SET NOT NULL"));
    }

    @Test
    void saysNothingAboutAnEmptyTable() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(warnings("CREATE INDEX drafts_note ON drafts (note); ALTER TABLE drafts ALTER COLUMN id TYPE bigint;"))
                .isEmpty();
    }

    @Test
    void saysNothingAboutATableBelowTheLargeTableSize() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(warnings("CREATE INDEX orders_total ON orders (total);", Settings.defaults())).isEmpty();
    }

    @Test
    void reportsTheWarningAtNoExtraRoundTripInATransaction() throws SQLException {
        Schema.reset(db, ORDERS);
        try (Connection connection = proxy.connectInTransaction()) {
            Outcome outcome = SafeOps.on(connection, Policy.defaults(), ANY_ROW_IS_LARGE)
                    .execute("CREATE INDEX orders_total ON orders (total)");

            assertThat(outcome.warnings()).hasSize(1);
            assertThat(proxy.roundTrips()).isEqualTo(1);
            connection.rollback();
        }
    }

    @Test
    void aFailedSizeLookUpIsReportedAsSafeOpsOwnAndBlamesNoStatement() throws SQLException {
        Schema.reset(db, "CREATE SCHEMA hidden; CREATE TABLE hidden.t (id int); DO $$ BEGIN IF NOT EXISTS "
                + "(SELECT 1 FROM pg_roles WHERE rolname = 'safeops_outsider') THEN CREATE ROLE safeops_outsider; END IF; "
                + "END $$; REVOKE ALL ON SCHEMA hidden FROM PUBLIC");
        try (Connection connection = db.connectInTransaction(); Statement statement = connection.createStatement()) {
            // The look-up runs first, as a role that may not see the schema: to_regclass refuses (42501).
            statement.execute("SET LOCAL ROLE safeops_outsider");
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), ANY_ROW_IS_LARGE);

            SafeOpsException failed = catchThrowableOfType(() -> ops.run(Script.parse("change.sql",
                    "CREATE TABLE audit (id int);\nCREATE INDEX t_id ON hidden.t (id);")), SafeOpsException.class);

            assertThat(failed.kind()).isEqualTo(SafeOpsException.Kind.GUARD_FAILED);
            assertThat(failed.getSQLState()).isEqualTo("42501");
            assertThat(failed.reason()).startsWith("safe-ops' look-up of the sizes of the tables the script locks")
                    .contains("permission denied for schema hidden").doesNotContain("could not be reached");
            assertThat(failed.statement()).isNull();
            assertThat(failed.transactionUsable()).isFalse();
            assertThat(ops.report().outcomes()).isEmpty();
            connection.rollback();
        }
    }

    @Test
    void refusesARiskyOperationBeforeAnythingIsSentWhenFailingOnRisk() throws SQLException {
        Schema.reset(db, ORDERS);
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), ANY_ROW_IS_LARGE.withFailOnRisk(true));

            SafeOpsException refused = catchThrowableOfType(() -> ops.run(Script.parse("change.sql",
                    "CREATE TABLE audit (id int);\nALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0);")),
                    SafeOpsException.class);

            assertThat(refused.kind()).isEqualTo(SafeOpsException.Kind.RISK);
            assertThat(refused.location()).isEqualTo(new Location("change.sql", 2));
            assertThat(refused.reason()).contains("ADD CHECK without NOT VALID").contains("NOT VALID, then VALIDATE");
            connection.rollback();
        }
        assertThat(Schema.tables(db)).doesNotContain("audit");
    }

    @Test
    void warnsAboutATypeChangeThatRewritesTheTable() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(warnings("ALTER TABLE orders ALTER COLUMN customer TYPE bigint;")).singleElement().asString()
                .contains("ALTER COLUMN TYPE that rewrites").contains("ACCESS EXCLUSIVE");
    }

    @Test
    void saysNothingAboutTypeChangesThatKeepTheTable() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(warnings("ALTER TABLE orders ALTER COLUMN note TYPE varchar(20);"
                + " ALTER TABLE orders ALTER COLUMN code TYPE varchar;"
                + " ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);")).isEmpty();
    }

    @Test
    void judgesTimestampToTimestamptzByTheSessionTimeZone() throws SQLException {
        Schema.reset(db, ORDERS);
        String change = "ALTER TABLE orders ALTER COLUMN placed TYPE timestamptz;";

        assertThat(warnings("SET LOCAL TimeZone = 'UTC'", change, ANY_ROW_IS_LARGE)).isEmpty();
        assertThat(warnings("SET LOCAL TimeZone = 'Europe/Berlin'", change, ANY_ROW_IS_LARGE)).hasSize(1);
    }

    @Test
    void warnsAboutSetNotNullWithoutAValidatedCheck() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(warnings("ALTER TABLE orders ALTER COLUMN customer SET NOT NULL;")).singleElement().asString()
                .contains("SET NOT NULL without a validated CHECK");
    }

    @Test
    void saysNothingAboutSetNotNullBehindAValidatedCheck() throws SQLException {
        Schema.reset(db, ORDERS + "; ALTER TABLE orders ADD CONSTRAINT customer_nn CHECK (customer IS NOT NULL)");

        assertThat(warnings("ALTER TABLE orders ALTER COLUMN customer SET NOT NULL;")).isEmpty();
    }

    @Test
    void warnsAboutAVolatileDefaultButNotAStableOne() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(warnings("ALTER TABLE orders ADD COLUMN token float8 DEFAULT random();")).singleElement().asString()
                .contains("ADD COLUMN with a volatile default");
        assertThat(warnings("ALTER TABLE orders ADD COLUMN created timestamptz DEFAULT now();")).isEmpty();
    }

    @Test
    void warnsAboutSerialIdentityAndStoredGeneratedColumns() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(warnings("ALTER TABLE orders ADD COLUMN seq bigserial;")).hasSize(1);
        assertThat(warnings("ALTER TABLE orders ADD COLUMN n int GENERATED ALWAYS AS IDENTITY;")).hasSize(1);
        assertThat(warnings("ALTER TABLE orders ADD COLUMN twice numeric GENERATED ALWAYS AS (total * 2) STORED;"))
                .hasSize(1);
    }

    @Test
    void warnsAboutAForeignKeyWithoutNotValidOnly() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(warnings("ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer) "
                + "REFERENCES customers (id);")).singleElement().asString().contains("SHARE ROW EXCLUSIVE");
        assertThat(warnings("ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer) "
                + "REFERENCES customers (id) NOT VALID;")).isEmpty();
    }

    @Test
    void warnsAboutValidatingInTheTransactionThatAddedTheConstraint() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(warnings("ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;\n"
                + "ALTER TABLE orders VALIDATE CONSTRAINT positive;")).singleElement().asString()
                .contains("VALIDATE CONSTRAINT in the transaction that added it");
    }

    @Test
    void warnsAboutAUniqueConstraintBuiltWithoutAnExistingIndex() throws SQLException {
        Schema.reset(db, ORDERS + "; CREATE UNIQUE INDEX orders_code ON orders (code)");

        assertThat(warnings("ALTER TABLE orders ADD CONSTRAINT code_unique UNIQUE (code);")).hasSize(1);
        assertThat(warnings("ALTER TABLE orders ADD CONSTRAINT code_unique UNIQUE USING INDEX orders_code;")).isEmpty();
    }

    @Test
    void warnsAboutDroppingAndRebuildingIndexesWithoutConcurrently() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(warnings("DROP INDEX orders_customer;")).singleElement().asString()
                .contains("DROP INDEX without CONCURRENTLY: orders");
        assertThat(warnings("REINDEX INDEX orders_customer;")).singleElement().asString()
                .contains("REINDEX without CONCURRENTLY: orders");
    }

    @Test
    void warnsAboutClusterAndVacuumFull() throws SQLException {
        Schema.reset(db, ORDERS);
        try (Connection connection = db.connect()) {
            Report report = SafeOps.on(connection, Policy.defaults(), ANY_ROW_IS_LARGE)
                    .run(Script.parse("maintenance.sql", "VACUUM (FULL) orders; CLUSTER orders USING orders_pkey;"));

            assertThat(report.outcomes()).extracting(outcome -> outcome.warnings().get(0))
                    .allSatisfy(warning -> assertThat(warning).contains("pg_repack"));
        }
    }

    @Test
    void saysNothingAboutAConcurrentIndexBuildOnAFixedServer() throws SQLException {
        Schema.reset(db, ORDERS);
        try (Connection connection = db.connect()) {
            Outcome outcome = SafeOps.on(connection, Policy.defaults(), ANY_ROW_IS_LARGE)
                    .execute("CREATE INDEX CONCURRENTLY orders_total ON orders (total)");

            assertThat(outcome.warnings()).isEmpty();
        }
    }

    @Test
    void judgesAPartitionedTableByItsPartitions() throws SQLException {
        Schema.reset(db, "CREATE TABLE events (id int, at date) PARTITION BY RANGE (at); CREATE TABLE events_2026 "
                + "PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01'); INSERT INTO events VALUES "
                + "(1, '2026-05-01'); ANALYZE events_2026");

        assertThat(warnings("CREATE INDEX events_id ON events (id);")).singleElement().asString()
                .contains("CREATE INDEX without CONCURRENTLY: events (");
    }

    @Test
    void judgesATableAnotherSessionHoldsLockedByItsPagesWithoutWaitingForTheLock() throws SQLException {
        Schema.reset(db, ORDERS + "; ANALYZE orders");
        try (Connection holder = db.connectInTransaction(); Statement lock = holder.createStatement();
             Connection connection = db.connectInTransaction()) {
            lock.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), ANY_ROW_IS_LARGE.withFailOnRisk(true));

            SafeOpsException refused = catchThrowableOfType(() -> ops.execute("CREATE INDEX orders_total ON orders "
                    + "(total)"), SafeOpsException.class);

            assertThat(refused.kind()).isEqualTo(SafeOpsException.Kind.RISK);
            assertThat(refused.reason()).contains("8 kB");
            connection.rollback();
            holder.rollback();
        }
    }
}

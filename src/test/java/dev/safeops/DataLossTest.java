package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Incident 2: a statement that would destroy data is refused before anything of its script is
 * sent, with what would be lost, unless the caller accepts the loss for that very object.
 */
class DataLossTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @RegisterExtension
    static final ThroughProxy proxy = new ThroughProxy(db, ThroughProxy.EXACT_ROUND_TRIPS);

    private static final String ORDERS = "CREATE TABLE orders (id int PRIMARY KEY, legacy_note text, total numeric(10,2),"
            + " weight double precision, placed timestamptz, code text);"
            + " INSERT INTO orders VALUES (1, 'keep me', 12.34, 1.5, now(), 'ABCDEF'), (2, NULL, 10.00, 2, NULL, 'AB');"
            + " CREATE TABLE empty_archive (id int, note text)";

    private static SafeOpsException refusal(String sql) throws SQLException {
        return refusal(sql, Settings.defaults());
    }

    private static SafeOpsException refusal(String sql, Settings settings) throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection, Policy.defaults(), settings);
            SafeOpsException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> ops.run(Script.parse("migration.sql", sql)), SafeOpsException.class);
            assertThat((Throwable) refused).as("refusal of " + sql).isNotNull();
            connection.rollback();
            return refused;
        }
    }

    private static Report run(String sql, Settings settings) throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            Report report = SafeOps.on(connection, Policy.defaults(), settings).run(Script.parse("migration.sql", sql));
            connection.commit();
            return report;
        }
    }

    @Test
    void refusesDropTableOfANonEmptyTableSayingHowManyRows() throws SQLException {
        Schema.reset(db, ORDERS);

        SafeOpsException refused = refusal("DROP TABLE orders;");

        assertThat(refused.kind()).isEqualTo(SafeOpsException.Kind.DATA_LOSS);
        assertThat(refused.reason()).contains("2 rows of table orders").contains("--accept-data-loss orders");
        assertThat(refused.getMessage()).contains("migration.sql:1").contains("DROP TABLE orders");
        assertThat(refused.transactionUsable()).isTrue();
        assertThat(Schema.tables(db)).contains("orders");
    }

    @Test
    void dropsAnEmptyTable() throws SQLException {
        Schema.reset(db, ORDERS);

        Report report = run("DROP TABLE empty_archive;", Settings.defaults());

        assertThat(report.applied()).isEqualTo(1);
        assertThat(Schema.tables(db)).doesNotContain("empty_archive");
    }

    @Test
    void sendsNothingOfTheScriptWhenALaterStatementWouldLoseData() throws SQLException {
        Schema.reset(db, ORDERS);

        refusal("CREATE TABLE audit (id int);\nALTER TABLE orders ADD COLUMN flag int;\nDROP TABLE orders;");

        assertThat(Schema.tables(db)).doesNotContain("audit");
        assertThat(Schema.columnsOf(db, "orders")).doesNotContain("flag");
    }

    @Test
    void namesTheStatementsFileAndLine() throws SQLException {
        Schema.reset(db, ORDERS);

        SafeOpsException refused = refusal("CREATE TABLE audit (id int);\n\nALTER TABLE orders DROP COLUMN legacy_note;");

        assertThat(refused.location()).isEqualTo(new Location("migration.sql", 3));
        assertThat(refused.statement()).isEqualTo("ALTER TABLE orders DROP COLUMN legacy_note");
        assertThat(refused.reason()).contains("1 non-null value of column orders.legacy_note")
                .contains("Nothing of the script was sent");
    }

    @Test
    void dropsAColumnHoldingOnlyNulls() throws SQLException {
        Schema.reset(db, ORDERS + "; UPDATE orders SET legacy_note = NULL");

        assertThat(run("ALTER TABLE orders DROP COLUMN legacy_note;", Settings.defaults()).applied()).isEqualTo(1);
    }

    @Test
    void refusesTruncateOfANonEmptyTable() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(refusal("TRUNCATE orders;").reason()).contains("2 rows of table orders");
    }

    @Test
    void truncatesAnEmptyTable() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(run("TRUNCATE empty_archive;", Settings.defaults()).applied()).isEqualTo(1);
    }

    @Test
    void refusesDropCascadeListingWhatDependsOnTheObject() throws SQLException {
        Schema.reset(db, ORDERS + "; CREATE VIEW archive_view AS SELECT * FROM empty_archive");

        SafeOpsException refused = refusal("DROP TABLE empty_archive CASCADE;");

        assertThat(refused.reason()).contains("drop with CASCADE what depends on it: view archive_view");
    }

    @Test
    void refusesDropSchemaCascadeListingItsObjects() throws SQLException {
        Schema.reset(db, "CREATE SCHEMA legacy; CREATE TABLE legacy.events (id int)");

        assertThat(refusal("DROP SCHEMA legacy CASCADE;").reason()).contains("schema legacy")
                .contains("table legacy.events");
    }

    @Test
    void refusesANumericScaleReductionThatChangesAValue() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(refusal("ALTER TABLE orders ALTER COLUMN total TYPE numeric(10,0);").reason())
                .contains("1 value that would lose digits beyond scale 0 of column orders.total");
    }

    @Test
    void allowsAScaleReductionThatChangesNoValue() throws SQLException {
        Schema.reset(db, ORDERS + "; UPDATE orders SET total = 10");

        assertThat(run("ALTER TABLE orders ALTER COLUMN total TYPE numeric(10,1);", Settings.defaults()).applied())
                .isEqualTo(1);
    }

    @Test
    void refusesFloatToIntegerThatDropsAFraction() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(refusal("ALTER TABLE orders ALTER COLUMN weight TYPE integer;").reason())
                .contains("1 value that would lose a fractional part of column orders.weight");
    }

    @Test
    void refusesTimestamptzToTimestampWhenARowHasAValue() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(refusal("ALTER TABLE orders ALTER placed SET DATA TYPE timestamp;").reason())
                .contains("1 value that would lose the time zone offset");
    }

    @Test
    void refusesAUsingCastThatTruncatesValues() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(refusal("ALTER TABLE orders ALTER COLUMN code TYPE varchar(3) USING code::varchar(3);").reason())
                .contains("1 value longer than 3 characters");
    }

    @Test
    void leavesATooLongValueForAShorterVarcharToPostgresql() throws SQLException {
        Schema.reset(db, ORDERS);

        SafeOpsException failed = refusal("ALTER TABLE orders ALTER COLUMN code TYPE varchar(3);");

        assertThat(failed.kind()).isEqualTo(SafeOpsException.Kind.NOT_TOLERATED);
        assertThat(failed.getSQLState()).isEqualTo("22001");
    }

    @Test
    void acceptsTheLossOfTheNamedObjectOnly() throws SQLException {
        Schema.reset(db, ORDERS);
        Settings accepting = Settings.defaults().withAcceptedDataLoss("orders.legacy_note");

        assertThat(run("ALTER TABLE orders DROP COLUMN legacy_note;", accepting).applied()).isEqualTo(1);
        assertThat(refusal("ALTER TABLE orders DROP COLUMN code;", accepting).kind())
                .isEqualTo(SafeOpsException.Kind.DATA_LOSS);
    }

    @Test
    void acceptsASchemaQualifiedName() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(run("DROP TABLE orders;", Settings.defaults().withAcceptedDataLoss("public.orders")).applied())
                .isEqualTo(1);
    }

    @Test
    void leavesAStatementOnAnAbsentTableToTheToleranceRules() throws SQLException {
        Schema.reset(db, "");

        Report report = run("DROP TABLE orders;", Settings.defaults());

        assertThat(report.skippedOutcomes()).extracting(Outcome::sqlState).containsExactly("42P01");
    }

    @Test
    void countsNoFurtherThanAThousandRows() throws SQLException {
        Schema.reset(db, "CREATE TABLE big AS SELECT g AS id FROM generate_series(1, 5000) g");

        assertThat(refusal("DROP TABLE big;").reason()).contains("more than 1000 rows of table big");
    }

    @Test
    void fallsBackOnThePlannersEstimateWhenCountingTimesOut() throws SQLException {
        Schema.reset(db, ORDERS + "; ANALYZE orders");
        try (Connection holder = db.connectInTransaction(); Statement lock = holder.createStatement()) {
            lock.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");

            SafeOpsException refused = refusal("DROP TABLE orders;",
                    Settings.defaults().withDataLossCheckTimeout(Duration.ofMillis(200)));

            assertThat(refused.reason()).contains("about 2 rows of table orders (a planner estimate")
                    .contains("200 ms statement timeout");
            holder.rollback();
        }
    }

    @Test
    void refusesTheTypedDropTableToo() throws SQLException {
        Schema.reset(db, ORDERS);
        try (Connection connection = db.connectInTransaction()) {
            assertThatThrownBy(() -> SafeOps.on(connection).dropTable("orders"))
                    .isInstanceOfSatisfying(SafeOpsException.class,
                            e -> assertThat(e.kind()).isEqualTo(SafeOpsException.Kind.DATA_LOSS));
            connection.rollback();
        }
    }

    @Test
    void leavesTheCallersStatementTimeoutAsItWas() throws SQLException {
        Schema.reset(db, ORDERS);
        try (Connection connection = db.connectInTransaction(); Statement statement = connection.createStatement()) {
            statement.execute("SET statement_timeout = '7s'");
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute("DROP TABLE orders")).isInstanceOf(SafeOpsException.class);
            try (var rows = statement.executeQuery("SHOW statement_timeout")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("7s");
            }
            connection.rollback();
        }
    }

    @Test
    void refusesDroppingATableTheScriptRenamedBeforeItsDataCouldBeCounted() throws SQLException {
        Schema.reset(db, ORDERS);

        assertThat(refusal("ALTER TABLE orders RENAME TO old_orders;\nDROP TABLE old_orders;").reason())
                .contains("which the script itself renamed (ALTER TABLE orders RENAME TO old_orders)");
        assertThat(refusal("ALTER TABLE orders RENAME code TO old_code;\nALTER TABLE orders DROP old_code;").reason())
                .contains("column orders.old_code");
    }

    @Test
    void costsOneRoundTripBeforeTheScriptToCountWhatItWouldDestroy() throws SQLException {
        Schema.reset(db, ORDERS);
        try (Connection connection = proxy.connectInTransaction()) {
            SafeOps.on(connection).execute("DROP TABLE empty_archive");

            assertThat(proxy.roundTrips()).isEqualTo(2);
            connection.rollback();
        }
    }

    @Test
    void refusesInAutocommitModeToo() throws SQLException {
        Schema.reset(db, ORDERS);
        try (Connection connection = db.connect()) {
            assertThatThrownBy(() -> SafeOps.on(connection).execute("TRUNCATE orders"))
                    .isInstanceOfSatisfying(SafeOpsException.class,
                            e -> assertThat(e.kind()).isEqualTo(SafeOpsException.Kind.DATA_LOSS));
        }
        assertThat(Schema.strings(db, "SELECT count(*)::text FROM orders")).containsExactly("2");
    }
}

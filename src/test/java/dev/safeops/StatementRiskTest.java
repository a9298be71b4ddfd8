package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which statements are destructive or risky, read from their text alone; no database needed. */
class StatementRiskTest {

    private static List<RiskyOperation> risks(String sql) {
        return RiskyOperation.in(StatementShape.of(sql), List.of());
    }

    private static List<Destruction> destructions(String sql) {
        return Destruction.in(StatementShape.of(sql));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ALTER TABLE t ADD COLUMN c text", "ALTER TABLE t ADD COLUMN c int DEFAULT 0",
            "DROP INDEX CONCURRENTLY i", "REINDEX INDEX CONCURRENTLY i",
            "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (c) REFERENCES u (id) NOT VALID",
            "ALTER TABLE t ADD CONSTRAINT k CHECK (c > 0) NOT VALID", "ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX i",
            "ALTER TABLE t VALIDATE CONSTRAINT k", "VACUUM t", "VACUUM (ANALYZE) t", "INSERT INTO t VALUES (1)",
            "CREATE TABLE t (id int PRIMARY KEY)"})
    void findsNoRiskInStatementsThatNeitherLockLongNorRewrite(String sql) {
        assertThat(risks(sql)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CREATE UNIQUE INDEX i ON ONLY t (c)|CREATE INDEX without CONCURRENTLY",
            "ALTER TABLE IF EXISTS ONLY t ALTER COLUMN c SET DATA TYPE bigint|ALTER COLUMN TYPE that rewrites",
            "ALTER TABLE t ALTER c SET NOT NULL|SET NOT NULL without a validated CHECK",
            "ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid()|ADD COLUMN with a volatile default",
            "ALTER TABLE t ADD PRIMARY KEY (id)|ADD UNIQUE or PRIMARY KEY without USING INDEX",
            "ALTER TABLE t ADD FOREIGN KEY (c) REFERENCES u|ADD FOREIGN KEY without NOT VALID",
            "REINDEX (VERBOSE) TABLE t|REINDEX without CONCURRENTLY",
            "VACUUM FULL VERBOSE t|VACUUM FULL",
            "CLUSTER VERBOSE t|CLUSTER"})
    void namesTheRuleARiskyStatementBreaks(String sql, String rule) {
        assertThat(risks(sql)).extracting(RiskyOperation::rule).containsExactly(rule);
    }

    @Test
    void judgesEachActionOfAnAlterTable() {
        assertThat(risks("ALTER TABLE t ADD COLUMN a int, ALTER COLUMN b TYPE text, ADD CHECK (a > 0)"))
                .extracting(RiskyOperation::rule)
                .containsExactly("ALTER COLUMN TYPE that rewrites", "ADD CHECK without NOT VALID");
    }

    @Test
    void seesAConstraintValidatedInTheTransactionThatAddedIt() {
        StatementShape added = StatementShape.of("ALTER TABLE t ADD CONSTRAINT k CHECK (c > 0) NOT VALID");

        assertThat(RiskyOperation.in(StatementShape.of("ALTER TABLE t VALIDATE CONSTRAINT k"), List.of(added)))
                .extracting(RiskyOperation::rule).containsExactly("VALIDATE CONSTRAINT in the transaction that added it");
    }

    @ParameterizedTest
    @CsvSource({"140000, true", "140003, true", "140004, false", "130010, false", "180001, false"})
    void holdsAConcurrentIndexBuildRiskyOnlyOnPostgresql14Point0To14Point3(int version, boolean risky) {
        RiskyOperation build = risks("CREATE INDEX CONCURRENTLY i ON t (c)").get(0);

        assertThat(build.risky(8192, null, version, true, Long.MAX_VALUE)).isEqualTo(risky);
    }

    @Test
    void holdsNothingRiskyOnAnEmptyTable() {
        RiskyOperation build = risks("CREATE INDEX i ON t (c)").get(0);

        assertThat(build.risky(0, null, 180000, true, 1)).isFalse();
        assertThat(build.risky(8192, null, 180000, true, 1)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "character varying(10)|varchar(20)|true|true",
            "character varying(20)|varchar(10)|true|false",
            "character varying(20)|text|true|true",
            "text|varchar|true|true",
            "text|varchar(5)|true|false",
            "numeric(10,2)|numeric(12,2)|true|true",
            "numeric(10,2)|decimal(12, 3)|true|false",
            "numeric(10,2)|numeric|true|true",
            "timestamp without time zone|timestamptz|true|true",
            "timestamp without time zone|timestamp with time zone|false|false",
            "integer|bigint|true|false",
            "integer|int4|true|true"})
    void tellsWhichTypeChangesKeepTheTable(String from, String to, boolean utc, boolean keeps) {
        assertThat(ColumnType.parse(to).keepsTableFrom(ColumnType.parse(from), utc)).isEqualTo(keeps);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ALTER TABLE a ADD CONSTRAINT f FOREIGN KEY (x) REFERENCES b ON DELETE CASCADE",
            "DROP VIEW v", "DROP INDEX i CASCADE", "ALTER TABLE t DROP CONSTRAINT k", "ALTER TABLE t ALTER c TYPE text",
            "ALTER TABLE t ALTER c TYPE numeric", "DELETE FROM t"})
    void findsNoDestructionInStatementsThatKeepData(String sql) {
        assertThat(destructions(sql)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "DROP TABLE IF EXISTS a, s.b CASCADE|table a, table s.b",
            "TRUNCATE TABLE ONLY a, b|table a, table b",
            "ALTER TABLE t DROP COLUMN IF EXISTS c, DROP d|column t.c, column t.d",
            "ALTER TABLE t ALTER COLUMN c TYPE int|column t.c",
            "ALTER TABLE t ALTER COLUMN c TYPE text USING c::varchar(3)|column t.c",
            "DROP TYPE mood CASCADE|type mood",
            "DROP SCHEMA legacy CASCADE|schema legacy"})
    void namesWhatADestructiveStatementWouldDestroy(String sql, String objects) {
        assertThat(destructions(sql)).extracting(Destruction::object).containsExactly(objects.split(", "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ALTER TABLE t ALTER c TYPE varchar(99999999999)",
            "ALTER TABLE t ALTER c TYPE text USING c::varchar(1_000)"})
    void readsATypeModifierNoTypeTakesWithoutFailing(String sql) {
        assertThat(risks(sql)).extracting(RiskyOperation::rule).containsExactly("ALTER COLUMN TYPE that rewrites");
        assertThat(destructions(sql)).isEmpty();
    }
}

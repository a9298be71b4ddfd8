package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What safe-ops can tell from a statement's text alone it refuses before sending anything — not a
 * byte reaches the server — and it does so identically on every kind of connection, wherever the
 * statement sits in a script.
 */
class RefusalTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    /** The kinds of connection safe-ops meets: each takes a different path to the server. */
    enum Kind {
        PIPELINED_PGJDBC, PGJDBC_SIMPLE_QUERY_MODE, DRIVER_HIDDEN_BEHIND_A_WRAPPER
    }

    @RegisterExtension
    static final ThroughProxy proxy = new ThroughProxy(db);

    @BeforeEach
    void oneTable() throws SQLException {
        Schema.reset(db, "CREATE TABLE t (id int)");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesAMultiStatementStringThatWouldCommitBeforeSendingAnything(Kind kind) throws SQLException {
        try (Connection connection = inTransaction(kind)) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute("CREATE TABLE m (x int); COMMIT"))
                    .isInstanceOf(SafeOpsException.class).hasMessageContaining("one statement");
            assertThat(proxy.bytesSent()).isZero();
            connection.rollback();
        }
        assertThat(Schema.tables(db)).doesNotContain("m");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesAMultiStatementStringThatScriptsWouldRejectBeforeSendingAnything(Kind kind) throws SQLException {
        try (Connection connection = inTransaction(kind)) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute("SET standard_conforming_strings = off; COMMIT"))
                    .isInstanceOfSatisfying(SafeOpsException.class,
                            e -> assertThat(e.kind()).isEqualTo(SafeOpsException.Kind.REFUSED));
            assertThat(proxy.bytesSent()).isZero();
            connection.rollback();
        }
    }

    @ParameterizedTest
    @MethodSource("refusedStatementsOnEveryKindOfConnection")
    void refusesStatementsThatWouldBreakTheConnectionBeforeSendingAnything(Kind kind, String sql)
            throws SQLException {
        try (Connection connection = inTransaction(kind)) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute(sql)).isInstanceOf(SafeOpsException.class);
            assertThat(proxy.bytesSent()).isZero();
            assertThat(ops.execute("ALTER TABLE t ADD COLUMN still_usable int").isApplied()).isTrue();
            connection.commit();
        }
        assertThat(Schema.columnsOf(db, "t")).containsExactly("id", "still_usable");
    }

    static Stream<Arguments> refusedStatementsOnEveryKindOfConnection() {
        List<String> statements = List.of(
                "COPY t FROM STDIN",
                "COPY t TO STDOUT",
                "COPY (SELECT 1) TO STDOUT",
                "SET client_encoding = 'LATIN1'",
                "SET SESSION client_encoding TO 'SQL_ASCII'",
                "SET LOCAL client_encoding = 'LATIN1'",
                "SET NAMES 'LATIN1'",
                "SET DateStyle = 'German'",
                "SELECT set_config('client_encoding', 'LATIN1', false)");
        return Stream.of(Kind.values()).flatMap(kind -> statements.stream().map(sql -> Arguments.of(kind, sql)));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void acceptsOneStatementWithSemicolonsInsideItsBody(Kind kind) throws SQLException {
        try (Connection connection = inTransaction(kind)) {
            SafeOps ops = SafeOps.on(connection);

            ops.execute("CREATE FUNCTION two() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;");
            ops.execute("DO $$ BEGIN PERFORM 1; PERFORM 2; END $$");
            assertThat(ops.report().applied()).isEqualTo(2);
            connection.rollback();
        }
    }

    @ParameterizedTest
    @MethodSource("refusalsFarIntoAScript")
    void refusesAStatementAtPosition100OfAScriptBeforeSendingAnything(Kind kind, String refused) throws SQLException {
        List<String> statements = new ArrayList<>();
        IntStream.range(0, 120).forEach(i -> statements.add("ALTER TABLE t ADD COLUMN c" + i + " int"));
        statements.set(99, refused);
        Script script = Script.parse("late-refusal.sql", String.join(";\n", statements) + ";");
        try (Connection connection = inTransaction(kind)) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.run(script)).isInstanceOfSatisfying(SafeOpsException.class,
                    e -> assertThat(e.location()).isEqualTo(new Location("late-refusal.sql", 100)));
            assertThat(proxy.bytesSent()).isZero();
            assertThat(ops.report().outcomes()).isEmpty();
            connection.commit();
        }
        assertThat(Schema.columnsOf(db, "t")).containsExactly("id");
    }

    static Stream<Arguments> refusalsFarIntoAScript() {
        List<String> statements = List.of("COMMIT", "CREATE INDEX CONCURRENTLY t_id ON t (id)",
                "SET client_encoding = 'LATIN1'", "COPY t TO STDOUT");
        return Stream.of(Kind.values()).flatMap(kind -> statements.stream().map(sql -> Arguments.of(kind, sql)));
    }

    /** A connection of that kind through the proxy, autocommit off, nothing counted yet. */
    private static Connection inTransaction(Kind kind) throws SQLException {
        return switch (kind) {
            case PIPELINED_PGJDBC -> proxy.connectInTransaction(Map.of());
            case PGJDBC_SIMPLE_QUERY_MODE -> proxy.connectInTransaction(Map.of("preferQueryMode", "simple"));
            case DRIVER_HIDDEN_BEHIND_A_WRAPPER -> HiddenDriver.hide(proxy.connectInTransaction(Map.of()));
        };
    }
}

package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The forecast: which statements of a script the catalog expects to be skipped, asked in a query
 * per shape of fact, against a real server.
 */
class ForecastTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final Judge JUDGE = new Judge(Policy.defaults());

    @Test
    void statementsOnAbsentTablesAndPresentObjectsAreExpectedToBeSkipped() throws SQLException {
        Schema.reset(db, "CREATE TABLE present (id bigint, amount integer, note text);"
                + " CREATE INDEX present_amount_idx ON present (amount)");
        List<Guard.Step> steps = steps(
                "ALTER TABLE present ADD COLUMN note text",
                "ALTER TABLE present ADD COLUMN other text",
                "CREATE INDEX present_amount_idx ON present (amount)",
                "CREATE INDEX present_id_idx ON present (id)",
                "ALTER TABLE absent ADD COLUMN note text",
                "CREATE INDEX absent_idx ON absent (id)");

        List<Verdict> expected = forecast(steps);

        assertThat(expected).extracting(verdict -> verdict != null)
                .containsExactly(true, false, true, false, true, true);
    }

    @Test
    void factsOfOneShapeAreAskedInOneQueryHoweverManyStatementsRestOnThem() {
        List<String> statements = new ArrayList<>();
        for (int table = 0; table < 300; table++) {
            statements.add("ALTER TABLE t" + table + " ADD COLUMN note text");
            statements.add("CREATE INDEX t" + table + "_idx ON t" + table + " (id)");
        }

        Forecast forecast = Forecast.of(JUDGE, steps(statements.toArray(String[]::new)));

        // A savepoint, a query per shape (table absent, column present, valid index, invalid index), and
        // the rollback and release of the savepoint.
        assertThat(forecast.statements()).hasSize(3 + 4);
    }

    @Test
    void namesWithQuotesAndBackslashesAreLookedUpAsWritten() throws SQLException {
        Schema.reset(db, "CREATE TABLE \"it's \\ here\" (id bigint)");
        List<Guard.Step> steps = steps(
                "ALTER TABLE \"it's \\ here\" ADD COLUMN id bigint",
                "ALTER TABLE \"it's \\ gone\" ADD COLUMN id bigint");

        List<Verdict> expected = forecast(steps);

        assertThat(expected).extracting(verdict -> verdict != null).containsExactly(true, true);
    }

    private static List<Verdict> forecast(List<Guard.Step> steps) throws SQLException {
        Forecast forecast = Forecast.of(JUDGE, steps);
        try (Connection connection = db.connectInTransaction()) {
            Answers answers = Channel.on(connection).sendEach(forecast.statements());
            List<Verdict> expected = forecast.expected(JUDGE, answers);
            assertThat(Channel.on(connection).aborted()).isFalse();
            return expected;
        }
    }

    private static List<Guard.Step> steps(String... statements) {
        List<Guard.Step> steps = new ArrayList<>();
        for (String sql : statements) {
            Location location = new Location("forecast.sql", steps.size() + 1);
            steps.add(new Guard.Step(Operation.statement(sql, location), location, "forecast.sql", steps.size()));
        }
        return steps;
    }
}

package dev.safeops.testing;

import dev.safeops.Outcome;
import dev.safeops.Report;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a safe-ops {@link Report}; start them with {@link SchemaAssertions#assertThat(Report)}.
 * A failure shows the report's summary and every outcome, with its file and line when it came from a script.
 */
public final class ReportAssert extends AbstractAssert<ReportAssert, Report> {

    ReportAssert(Report report) {
        super(report, ReportAssert.class);
    }

    /** Verifies that exactly this many operations were applied. */
    public ReportAssert applied(int expected) {
        isNotNull();
        return hasCount(expected, actual.applied(), "applied operation");
    }

    /** Verifies that exactly this many operations were skipped. */
    public ReportAssert skipped(int expected) {
        isNotNull();
        return hasCount(expected, actual.skipped(), "skipped operation");
    }

    /** Verifies that every skip has one of these SQLSTATEs (a report without skips passes). */
    public ReportAssert skippedOnly(String... sqlStates) {
        isNotNull();
        Set<String> allowed = Set.of(sqlStates);
        List<Outcome> others = actual.skippedOutcomes().stream()
                .filter(outcome -> !allowed.contains(outcome.sqlState())).toList();
        if (!others.isEmpty()) {
            failWithMessage("%s", "Expecting only skips with SQLSTATE " + String.join(" or ", sqlStates)
                    + ", but " + count(others.size(), "skip") + " had another:" + lines(others)
                    + "\nReport: " + actual.summary());
        }
        return this;
    }

    private ReportAssert hasCount(int expected, int counted, String noun) {
        if (counted != expected) {
            failWithMessage("%s", "Expecting " + count(expected, noun) + ", but the report has " + counted + ": "
                    + shown());
        }
        return this;
    }

    private String shown() {
        return actual.summary() + lines(actual.outcomes());
    }

    private static String lines(List<Outcome> outcomes) {
        return outcomes.stream().map(outcome -> "\n  " + outcome).collect(Collectors.joining());
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}

package dev.safeops;

import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decides whether a failed statement may be skipped: by SQLSTATE, the operation's defaults, the
 * policy and, always, the catalog, which must confirm that the statement's own target is absent
 * (or already there) as the {@link SkipRule} requires. It sends nothing itself.
 */
final class Judge {

    private final Policy policy;

    Judge(Policy policy) {
        this.policy = policy;
    }

    Verdict judge(Operation operation, SQLException error) {
        return judge(operation, error.getSQLState(), serverMessage(error));
    }

    /** The same, for an error known by its SQLSTATE and the server's message (a forecast's, before any is raised). */
    Verdict judge(Operation operation, String sqlState, String message) {
        ErrorClass errorClass = ErrorClass.of(sqlState);
        if (errorClass == ErrorClass.FATAL) {
            return Verdict.fail(sqlState + " " + SqlStates.name(sqlState) + " is never tolerated");
        }
        Tolerance tolerance = errorClass.tolerance();
        String reason = tolerance.description() + " (" + sqlState + "): " + message;
        if (!operation.tolerates().contains(tolerance)) {
            return Verdict.fail("this operation does not tolerate \"" + tolerance.description() + "\"");
        }
        if (!policy.allows(tolerance)) {
            return Verdict.fail("the policy does not tolerate \"" + tolerance.description() + "\" (" + policy + ")");
        }
        Confirmation confirmation = SkipRule.confirmation(operation.shape(), errorClass, sqlState, policy);
        String generic = generic(sqlState);
        if (!confirmation.possible()) {
            return Verdict.fail(generic + confirmation.unknown());
        }
        boolean hopeless = confirmation.alternatives().stream()
                .allMatch(facts -> facts.stream().anyMatch(Fact::neverHolds));
        if (hopeless && confirmation.invalidIndex() == null) {
            return Verdict.fail(generic + unconfirmed(confirmation));
        }
        return Verdict.confirm(reason, confirmation);
    }

    /**
     * The verdict once the catalog has answered a {@link Verdict.Kind#CONFIRM}: {@code answers} holds
     * one {@code t} or {@code f} per fact of {@link Confirmation#facts()}.
     */
    Verdict confirmed(Verdict pending, String sqlState, String answers) {
        ErrorClass errorClass = ErrorClass.of(sqlState);
        Confirmation confirmation = pending.confirmation();
        int next = 0;
        List<List<Fact>> alternatives = confirmation.alternatives();
        for (int a = 0; a < alternatives.size(); a++) {
            List<Fact> facts = alternatives.get(a);
            boolean holds = true;
            for (int i = 0; i < facts.size(); i++) {
                holds &= answer(answers, next + i);
            }
            if (holds) {
                boolean present = errorClass != ErrorClass.MISSING || a > 0;
                return Verdict.tolerate(pending.reason() + "; confirmed: " + facts.stream().map(Fact::claim)
                        .distinct().collect(Collectors.joining(" and ")), present);
            }
            next += facts.size();
        }
        if (confirmation.invalidIndex() != null && answer(answers, next)) {
            return Verdict.repair(confirmation.invalidIndex().claim(), confirmation.repair());
        }
        return Verdict.fail(generic(sqlState) + unconfirmed(confirmation, answers));
    }

    private static String generic(String sqlState) {
        return ErrorClass.of(sqlState) == ErrorClass.EXISTING_IF_CONFIRMED
                ? sqlState + " is a generic SQLSTATE, so only the catalog can tell: " : "";
    }

    private static boolean answer(String answers, int index) {
        return answers != null && index < answers.length() && answers.charAt(index) == 't';
    }

    /** Why no alternative holds, when some fact can never hold. */
    private static String unconfirmed(Confirmation confirmation) {
        return unconfirmed(confirmation, null);
    }

    /** Names the first fact that does not hold in the most specific (last) alternative. */
    private static String unconfirmed(Confirmation confirmation, String answers) {
        List<List<Fact>> alternatives = confirmation.alternatives();
        int offset = 0;
        for (int a = 0; a < alternatives.size() - 1; a++) {
            offset += alternatives.get(a).size();
        }
        List<Fact> last = alternatives.get(alternatives.size() - 1);
        for (int i = 0; i < last.size(); i++) {
            Fact fact = last.get(i);
            boolean never = fact.neverHolds();
            if (never || (answers != null && !answer(answers, offset + i))) {
                String why = never ? fact.claim() : "the catalog does not confirm that " + fact.claim();
                if (fact.action() != null && last.size() > 1) {
                    return "action " + (i + 1) + " of " + last.size() + " (" + fact.action() + ") is not a no-op: "
                            + why + "; split the statement into one ALTER TABLE per action so that each is "
                            + "judged on its own";
                }
                if (fact.action() != null) {
                    return "the action " + fact.action() + " is not a no-op: " + why;
                }
                return why;
            }
        }
        return "the catalog does not confirm it";
    }

    /** The server's own words, without the severity prefix and the driver's extra lines. */
    static String serverMessage(SQLException error) {
        String message = String.valueOf(error.getMessage());
        int newline = message.indexOf('\n');
        String first = newline < 0 ? message : message.substring(0, newline);
        return first.startsWith("ERROR: ") ? first.substring("ERROR: ".length()) : first;
    }
}

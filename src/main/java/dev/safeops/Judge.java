package dev.safeops;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides whether a failed statement may be skipped: by SQLSTATE, the operation's defaults, the
 * policy and, where the SQLSTATE alone cannot tell, the catalog. It sends nothing itself.
 */
final class Judge {

    private final Policy policy;

    Judge(Policy policy) {
        this.policy = policy;
    }

    Verdict judge(Operation operation, SQLException error) {
        String sqlState = error.getSQLState();
        ErrorClass errorClass = ErrorClass.of(sqlState);
        if (errorClass == ErrorClass.FATAL) {
            return Verdict.fail(sqlState + " " + SqlStates.name(sqlState) + " is never tolerated");
        }
        Tolerance tolerance = errorClass.tolerance();
        String reason = tolerance.description() + " (" + sqlState + "): " + serverMessage(error);
        if (!operation.tolerates().contains(tolerance)) {
            return Verdict.fail("this operation does not tolerate \"" + tolerance.description() + "\"");
        }
        if (!policy.allows(tolerance)) {
            return Verdict.fail("the policy does not tolerate \"" + tolerance.description() + "\" (" + policy + ")");
        }
        if (errorClass == ErrorClass.EXISTING_IF_CONFIRMED) {
            Optional<String> check = CatalogCheck.alreadyThere(operation.sql());
            return check.map(query -> Verdict.confirm(reason, query))
                    .orElseGet(() -> Verdict.fail(sqlState + " is a generic SQLSTATE and the statement is not one "
                            + "whose object safe-ops can look up in the catalog"));
        }
        if (tolerance == Tolerance.MISSING && policy.restrictsMissingObjects()) {
            List<QualifiedName> optional = operation.namedRelations().stream().filter(policy::isOptional)
                    .collect(Collectors.toList());
            if (optional.isEmpty()) {
                return Verdict.fail("the statement names no relation matching the optional tables "
                        + policy.optionalTables());
            }
            return Verdict.confirm(reason + " (optional: " + optional.stream().map(QualifiedName::toString)
                    .collect(Collectors.joining(", ")) + ")", CatalogCheck.anyAbsent(optional));
        }
        return Verdict.tolerate(reason);
    }

    /** The verdict once the catalog has answered a {@link Verdict.Kind#CONFIRM}. */
    Verdict confirmed(Verdict pending, boolean catalogAgrees) {
        return catalogAgrees
                ? Verdict.tolerate(pending.reason())
                : Verdict.fail("the catalog does not confirm it: " + pending.reason());
    }

    /** The server's own words, without the severity prefix and the driver's extra lines. */
    static String serverMessage(SQLException error) {
        String message = String.valueOf(error.getMessage());
        int newline = message.indexOf('\n');
        String first = newline < 0 ? message : message.substring(0, newline);
        return first.startsWith("ERROR: ") ? first.substring("ERROR: ".length()) : first;
    }
}

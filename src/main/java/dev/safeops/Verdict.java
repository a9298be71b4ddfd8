package dev.safeops;

/**
 * What the guard makes of one failed statement: skip it, fail, or ask the catalog first.
 *
 * @param kind      the decision
 * @param reason    for a skip, why (shown in reports); for a failure, why the error was not tolerated
 * @param catalogQuery for {@link Kind#CONFIRM}, a query returning one boolean: true when the object
 *                  really is there (or, for optional tables, really is absent) as the skip assumes
 */
record Verdict(Kind kind, String reason, String catalogQuery) {

    enum Kind { TOLERATE, FAIL, CONFIRM }

    static Verdict tolerate(String reason) {
        return new Verdict(Kind.TOLERATE, reason, null);
    }

    static Verdict fail(String reason) {
        return new Verdict(Kind.FAIL, reason, null);
    }

    static Verdict confirm(String reason, String catalogQuery) {
        return new Verdict(Kind.CONFIRM, reason, catalogQuery);
    }
}

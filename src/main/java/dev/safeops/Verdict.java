package dev.safeops;

/**
 * What the guard makes of one failed statement: skip it, fail, ask the catalog first, or repair an
 * invalid index.
 *
 * @param kind          the decision
 * @param reason        for a skip, why, naming what the catalog confirmed and how (shown in reports);
 *                      for a failure, why the error was not tolerated; for a repair, what is repaired
 * @param confirmation  for {@link Kind#CONFIRM}, what the catalog must confirm; else {@code null}
 * @param objectPresent for a skip, whether it rests on the object being there (so that a typed
 *                      operation compares it with what it wants) rather than on its absence
 * @param repair        for {@link Kind#REPAIR}, the statement that drops the invalid index
 */
record Verdict(Kind kind, String reason, Confirmation confirmation, boolean objectPresent, String repair) {

    enum Kind { TOLERATE, FAIL, CONFIRM, REPAIR }

    static Verdict tolerate(String reason, boolean objectPresent) {
        return new Verdict(Kind.TOLERATE, reason, null, objectPresent, null);
    }

    static Verdict fail(String reason) {
        return new Verdict(Kind.FAIL, reason, null, false, null);
    }

    static Verdict confirm(String reason, Confirmation confirmation) {
        return new Verdict(Kind.CONFIRM, reason, confirmation, false, null);
    }

    static Verdict repair(String reason, String dropStatement) {
        return new Verdict(Kind.REPAIR, reason, null, false, dropStatement);
    }
}

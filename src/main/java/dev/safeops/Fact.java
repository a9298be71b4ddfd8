package dev.safeops;

/**
 * One thing the catalog must confirm before a failed statement may be skipped, such as "table
 * public.legacy_users is absent".
 *
 * @param condition a boolean SQL expression over {@code pg_catalog}, true when the claim holds
 * @param claim     the claim in words, naming the object and how it is looked up, e.g.
 *                  {@code table legacy_users is absent (to_regclass)}
 * @param action    for a multi-action {@code ALTER TABLE}, the action the fact is about; else {@code null}
 */
record Fact(Condition condition, String claim, String action) {

    private static final Condition NEVER = Condition.of("false");

    static Fact of(Condition condition, String claim) {
        return new Fact(condition, claim, null);
    }

    /** A fact that never holds, for an action whose effect the catalog cannot be asked about. */
    static Fact never(String claim) {
        return new Fact(NEVER, claim, null);
    }

    /** Whether this is a fact that {@link #never never} holds, so that the catalog need not be asked. */
    boolean neverHolds() {
        return condition.equals(NEVER);
    }

    /** The condition with its values as literals. */
    String sql() {
        return condition.sql();
    }

    Fact about(String alterAction) {
        return new Fact(condition, claim, alterAction);
    }
}

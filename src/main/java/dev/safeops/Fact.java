package dev.safeops;

/**
 * One thing the catalog must confirm before a failed statement may be skipped, such as "table
 * public.legacy_users is absent".
 *
 * @param sql    a boolean SQL expression over {@code pg_catalog}, true when the claim holds
 * @param claim  the claim in words, naming the object and how it is looked up, e.g.
 *               {@code table legacy_users is absent (to_regclass)}
 * @param action for a multi-action {@code ALTER TABLE}, the action the fact is about; else {@code null}
 */
record Fact(String sql, String claim, String action) {

    static Fact of(String sql, String claim) {
        return new Fact(sql, claim, null);
    }

    /** A fact that never holds, for an action whose effect the catalog cannot be asked about. */
    static Fact never(String claim) {
        return new Fact("false", claim, null);
    }

    Fact about(String alterAction) {
        return new Fact(sql, claim, alterAction);
    }
}

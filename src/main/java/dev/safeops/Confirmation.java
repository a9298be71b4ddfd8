package dev.safeops;

import java.util.ArrayList;
import java.util.List;

/**
 * What the catalog must confirm for one failed statement to be a skip: alternatives, each a list of
 * {@link Fact facts} that must all hold; the skip is confirmed when one alternative holds entirely.
 * Without alternatives the statement's target cannot be determined and nothing can confirm a skip.
 *
 * @param alternatives the ways a skip can be confirmed, most general first (for {@code ALTER TABLE}:
 *                     the table is absent; or every action is a no-op)
 * @param invalidIndex for a {@code CREATE INDEX} that hit an existing name, a fact that holds when
 *                     that index exists but is invalid; else {@code null}
 * @param repair       for such an index, the statement that drops it; else {@code null}
 * @param unknown      why no alternative exists, when there is none
 */
record Confirmation(List<List<Fact>> alternatives, Fact invalidIndex, String repair, String unknown) {

    Confirmation {
        alternatives = alternatives.stream().map(List::copyOf).toList();
    }

    static Confirmation of(List<Fact> facts) {
        return new Confirmation(List.of(facts), null, null, null);
    }

    static Confirmation either(List<Fact> first, List<Fact> second) {
        return new Confirmation(List.of(first, second), null, null, null);
    }

    static Confirmation none(String why) {
        return new Confirmation(List.of(), null, null, why);
    }

    Confirmation withInvalidIndex(Fact invalid, String dropStatement) {
        return new Confirmation(alternatives, invalid, dropStatement, unknown);
    }

    boolean possible() {
        return !alternatives.isEmpty();
    }

    /** Every fact, in the order {@link CatalogCheck#query} asks about them. */
    List<Fact> facts() {
        List<Fact> all = new ArrayList<>();
        alternatives.forEach(all::addAll);
        if (invalidIndex != null) {
            all.add(invalidIndex);
        }
        return all;
    }
}

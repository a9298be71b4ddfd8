package dev.safeops;

import java.util.ArrayList;
import java.util.List;

/**
 * A boolean SQL expression over {@code pg_catalog} whose literal values (the names it looks up) are
 * held apart from its text. Conditions that differ only in their values share a {@link #text()}, so
 * that many of them can be asked in one set-based query, planned once ({@link Forecast}), rather
 * than as one subquery each, which PostgreSQL plans one by one.
 * Equal conditions (the same text and values) are one question; a forecast keys hundreds of them
 * in a map, so the hash is computed once.
 */
final class Condition {

    /** The SQL around the values, one more piece than there are values. */
    private final List<String> text;
    /** The literal text values, each standing between two pieces of {@code text}. */
    private final List<String> values;
    private final int hash;

    private Condition(List<String> text, List<String> values) {
        this.text = List.copyOf(text);
        this.values = List.copyOf(values);
        if (this.text.size() != this.values.size() + 1) {
            throw new IllegalArgumentException("a condition has one more piece of text than values");
        }
        this.hash = 31 * this.text.hashCode() + this.values.hashCode();
    }

    /** The SQL around the values: conditions with equal text differ only in the names they look up. */
    List<String> text() {
        return text;
    }

    List<String> values() {
        return values;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Condition that && hash == that.hash && text.equals(that.text)
                && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return sql();
    }

    /** A literal text value, such as a name to look up. */
    static Condition value(String value) {
        return new Condition(List.of("", ""), List.of(value));
    }

    /** The parts in order: a {@link String} is SQL text, a {@link Condition} is spliced in with its values. */
    static Condition of(Object... parts) {
        List<String> text = new ArrayList<>();
        List<String> values = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof String sql) {
                piece.append(sql);
            } else if (part instanceof Condition condition) {
                piece.append(condition.text.get(0));
                for (int i = 0; i < condition.values.size(); i++) {
                    text.add(piece.toString());
                    values.add(condition.values.get(i));
                    piece.setLength(0);
                    piece.append(condition.text.get(i + 1));
                }
            } else {
                throw new IllegalArgumentException("a condition is made of SQL text and conditions, not " + part);
            }
        }
        text.add(piece.toString());
        return new Condition(text, values);
    }

    /** The expression with its values as literals. */
    String sql() {
        List<String> literals = new ArrayList<>(values.size());
        values.forEach(value -> literals.add(Literal.quote(value)));
        return over(literals);
    }

    /** The expression with each value replaced by the SQL expression at the same position, such as a column. */
    String over(List<String> expressions) {
        if (expressions.size() != values.size()) {
            throw new IllegalArgumentException("expected " + values.size() + " expressions, got " + expressions.size());
        }
        StringBuilder sql = new StringBuilder(text.get(0));
        for (int i = 0; i < values.size(); i++) {
            sql.append(expressions.get(i)).append(text.get(i + 1));
        }
        return sql.toString();
    }
}

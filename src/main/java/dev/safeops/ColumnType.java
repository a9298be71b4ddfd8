package dev.safeops;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column's type as a base name and its modifiers ({@code varchar} 20, {@code numeric} 10, 2),
 * read from what a statement writes after {@code TYPE} or from {@code format_type()}; the two
 * spellings of one type compare equal. It answers the two questions a type change raises: does
 * PostgreSQL rewrite the table for it, and which values does it silently change.
 *
 * @param name      the canonical base name ({@code int4}, {@code varchar}, {@code timestamptz}, …),
 *                  or the text as written for a type this class does not know
 * @param modifiers the numbers in parentheses, empty when unconstrained
 */
record ColumnType(String name, List<Integer> modifiers) {

    private static final Pattern MODIFIERS = Pattern.compile("\\(([0-9 ,]*)\\)");
    static final String NUMERIC_OID = "1700";
    static final String FLOAT_OIDS = "700, 701";
    static final String TIMESTAMPTZ_OID = "1184";

    ColumnType {
        modifiers = List.copyOf(modifiers);
    }

    static ColumnType parse(String text) {
        String folded = text.strip().toLowerCase(Locale.ROOT).replace("pg_catalog.", "").replace("\"", "")
                .replaceAll("\\s+", " ");
        List<Integer> modifiers = new ArrayList<>();
        Matcher matcher = MODIFIERS.matcher(folded);
        if (matcher.find()) {
            for (String number : matcher.group(1).split(",")) {
                if (!number.isBlank()) {
                    try {
                        modifiers.add(Integer.parseInt(number.strip()));
                    } catch (NumberFormatException tooLarge) {
                        return new ColumnType(folded, List.of()); // no type takes it: judged as unknown
                    }
                }
            }
            folded = (folded.substring(0, matcher.start()) + " " + folded.substring(matcher.end())).strip()
                    .replaceAll("\\s+", " ");
        }
        String name = switch (folded) {
            case "character varying", "varchar" -> "varchar";
            case "character", "char", "bpchar" -> "bpchar";
            case "integer", "int", "int4" -> "int4";
            case "smallint", "int2" -> "int2";
            case "bigint", "int8" -> "int8";
            case "numeric", "decimal" -> "numeric";
            case "real", "float4" -> "float4";
            case "double precision", "float8" -> "float8";
            case "float" -> !modifiers.isEmpty() && modifiers.get(0) <= 24 ? "float4" : "float8";
            case "timestamp", "timestamp without time zone" -> "timestamp";
            case "timestamptz", "timestamp with time zone" -> "timestamptz";
            default -> folded;
        };
        if (name.startsWith("float")) {
            modifiers = List.of();
        }
        return new ColumnType(name, modifiers);
    }

    /**
     * Whether changing a column of type {@code from} to this type keeps the table as it is (no
     * rewrite, no scan): a longer or unbounded varchar, varchar to text and back to an unbounded
     * varchar, more numeric precision at the same scale, and timestamp to timestamptz when the
     * session's time zone is UTC (PostgreSQL 12 and later).
     */
    boolean keepsTableFrom(ColumnType from, boolean sessionInUtc) {
        if (equals(from)) {
            return true;
        }
        boolean unbounded = modifiers.isEmpty();
        return switch (from.name) {
            case "varchar" -> (name.equals("varchar") && (unbounded || (!from.modifiers.isEmpty()
                    && modifiers.get(0) >= from.modifiers.get(0)))) || name.equals("text");
            case "text" -> name.equals("varchar") && unbounded;
            case "numeric" -> name.equals("numeric") && (unbounded || (!from.modifiers.isEmpty()
                    && modifiers.get(0) >= from.modifiers.get(0) && scale() == from.scale()));
            case "timestamp" -> name.equals("timestamptz") && sessionInUtc && modifiers.equals(from.modifiers);
            default -> false;
        };
    }

    /** The numeric scale: the second modifier, 0 when only a precision is given. */
    private int scale() {
        return modifiers.size() > 1 ? modifiers.get(1) : 0;
    }

    /**
     * When changing a column to this type silently changes some values, a SQL condition on the
     * column's {@code pg_attribute} row ({@code atttypid}, {@code atttypmod}, alias {@code a}) that
     * holds for the old types that lose something, and the predicate on {@code value} (an SQL
     * expression) that finds a value that would change: numeric scale reduction, a float or numeric
     * to an integer, timestamptz to timestamp (the offset is dropped).
     */
    Optional<Loss> lossFrom() {
        return switch (name) {
            case "int2", "int4", "int8" -> Optional.of(new Loss("a.atttypid IN (" + NUMERIC_OID + ", " + FLOAT_OIDS + ")",
                    "%1$s::numeric <> round(%1$s::numeric)", "a fractional part"));
            case "numeric" -> modifiers.isEmpty() ? Optional.empty() : Optional.of(new Loss("a.atttypid IN ("
                    + FLOAT_OIDS + ") OR (a.atttypid = " + NUMERIC_OID + " AND (a.atttypmod = -1 OR ((a.atttypmod - 4) "
                    + "& 65535) > " + scale() + "))", "%1$s::numeric <> round(%1$s::numeric, " + scale() + ")",
                    "digits beyond scale " + scale()));
            case "timestamp" -> Optional.of(new Loss("a.atttypid = " + TIMESTAMPTZ_OID, "%1$s IS NOT NULL",
                    "the time zone offset"));
            default -> Optional.empty();
        };
    }

    /**
     * What a type change loses: which old types lose something, how to find a value that changes
     * ({@link String#format} pattern over the value), and what is lost, in words.
     */
    record Loss(String oldTypeCondition, String changedValue, String what) {
    }

    @Override
    public String toString() {
        return modifiers.isEmpty() ? name : name + modifiers.toString().replace('[', '(').replace(']', ')')
                .replace(" ", "");
    }
}

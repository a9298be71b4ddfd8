package dev.safeops;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which errors may become reported skips. Immutable; every {@code with…}/{@code tolerating…}
 * method returns a new policy and can only narrow what the previous one allowed.
 *
 * <p>Each operation has its own defaults: operations that change or drop something tolerate
 * {@link Tolerance#MISSING}, operations that create something tolerate {@link Tolerance#EXISTING}
 * (an operation that creates something inside an existing table, such as adding a column, tolerates
 * both), and {@link SafeOps#execute(String)} tolerates both. A policy intersects those defaults; it
 * never widens them. Whatever the policy, safe-ops never tolerates an aborted transaction (25P02),
 * connection errors, cancellations and timeouts, deadlocks and serialization failures, syntax or
 * permission errors, or any other error outside the two classes.
 */
public final class Policy {

    private static final Policy DEFAULTS = new Policy(EnumSet.allOf(Tolerance.class), List.of());

    private final Set<Tolerance> allowed;
    private final List<String> optionalTables;
    private final List<Pattern> optionalPatterns;

    private Policy(Set<Tolerance> allowed, List<String> optionalTables) {
        this.allowed = allowed.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(allowed));
        this.optionalTables = List.copyOf(optionalTables);
        this.optionalPatterns = optionalTables.stream().map(Policy::glob).collect(Collectors.toUnmodifiableList());
    }

    /** Every operation tolerates what its defaults allow. */
    public static Policy defaults() {
        return DEFAULTS;
    }

    /** Nothing is tolerated: the first error of any kind is thrown. */
    public static Policy strict() {
        return new Policy(Set.of(), List.of());
    }

    /**
     * Keeps only the given classes of the operations' defaults; with no argument, the same as
     * {@link #strict()}.
     */
    public Policy tolerating(Tolerance... classes) {
        EnumSet<Tolerance> kept = EnumSet.noneOf(Tolerance.class);
        for (Tolerance tolerance : classes) {
            if (allowed.contains(Objects.requireNonNull(tolerance, "tolerance"))) {
                kept.add(tolerance);
            }
        }
        return new Policy(kept, optionalTables);
    }

    /**
     * Tolerates a missing object only when the statement names a relation matching one of these
     * patterns and the catalog confirms that relation is absent: the optional-module case. A
     * missing table that matches no pattern still fails. Patterns are globs ({@code *} any run of
     * characters, {@code ?} one character) matched case-sensitively against the relation name, or
     * against {@code schema.name} when the pattern contains a dot. Calling this again adds patterns
     * to the existing ones.
     */
    public Policy withOptionalTables(String... patterns) {
        List<String> all = new java.util.ArrayList<>(optionalTables);
        for (String pattern : patterns) {
            if (pattern == null || pattern.isBlank()) {
                throw new IllegalArgumentException("an optional-table pattern must not be null or blank");
            }
            all.add(pattern);
        }
        return new Policy(allowed, all);
    }

    /** The classes this policy lets through (still intersected with each operation's defaults). */
    public Set<Tolerance> tolerated() {
        return allowed;
    }

    /** The optional-table patterns; empty means a missing object of any name may be tolerated. */
    public List<String> optionalTables() {
        return optionalTables;
    }

    /**
     * Whether a table of this schema and name matches one of the {@linkplain #withOptionalTables optional-table
     * patterns}, by the same rules the policy applies to statements.
     */
    public boolean isOptionalTable(String schema, String table) {
        return isOptional(new QualifiedName(schema, table));
    }

    boolean allows(Tolerance tolerance) {
        return allowed.contains(tolerance);
    }

    boolean restrictsMissingObjects() {
        return !optionalPatterns.isEmpty();
    }

    boolean isOptional(QualifiedName relation) {
        String qualified = relation.schema() == null ? relation.name() : relation.schema() + "." + relation.name();
        for (int i = 0; i < optionalPatterns.size(); i++) {
            String subject = optionalTables.get(i).contains(".") ? qualified : relation.name();
            if (optionalPatterns.get(i).matcher(subject).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Policy other && allowed.equals(other.allowed) && optionalTables.equals(other.optionalTables);
    }

    @Override
    public int hashCode() {
        return Objects.hash(allowed, optionalTables);
    }

    @Override
    public String toString() {
        String classes = allowed.isEmpty() ? "nothing"
                : Arrays.stream(Tolerance.values()).filter(allowed::contains).map(Tolerance::description)
                        .collect(Collectors.joining(", "));
        return "Policy[tolerates " + classes
                + (optionalTables.isEmpty() ? "" : "; missing only for " + optionalTables) + "]";
    }
}

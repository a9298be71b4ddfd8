package dev.safeops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
    private final List<OptionalPattern> optionalPatterns;

    private Policy(Set<Tolerance> allowed, List<String> optionalTables) {
        this.allowed = allowed.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(allowed));
        this.optionalTables = List.copyOf(optionalTables);
        this.optionalPatterns = optionalTables.stream().map(OptionalPattern::parse)
                .collect(Collectors.toUnmodifiableList());
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
     * Tolerates a missing object only when the relation the statement acts on matches one of these
     * patterns and the catalog confirms it is absent: the optional-module case (a statement that
     * references such a table, as a foreign key or a view does, counts too, provided every other
     * table it references exists). A missing table that matches no pattern still fails, and so does a
     * missing type, function, schema or column. Patterns never match an object being created.
     *
     * <p>Patterns are globs ({@code *} any run of characters, {@code ?} one character) written as SQL
     * names: unquoted parts fold to lower case as PostgreSQL folds identifiers ({@code Legacy_*}
     * matches {@code legacy_users}), a part in double quotes is kept as written. A pattern without a
     * dot matches the relation's name in any schema; a dotted one ({@code public.pipeline_*}) matches
     * the schema too — the one written in the statement or, for an unqualified name, any schema of
     * the connection's {@code search_path} (the name is absent from all of them). Calling this again
     * adds patterns to the existing ones.
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
        // With the schema known, a matching pattern's condition is "true" and nothing is left to the server.
        return optionalCondition(new QualifiedName(Objects.requireNonNull(schema, "schema"), table)).isPresent();
    }

    boolean allows(Tolerance tolerance) {
        return allowed.contains(tolerance);
    }

    boolean restrictsMissingObjects() {
        return !optionalPatterns.isEmpty();
    }

    /**
     * A boolean SQL condition that holds when the relation matches an optional-table pattern, or
     * empty when it cannot match any: the schema of an unqualified name is only known on the server.
     */
    Optional<String> optionalCondition(QualifiedName relation) {
        List<String> conditions = new ArrayList<>();
        for (OptionalPattern pattern : optionalPatterns) {
            if (!pattern.name().matcher(relation.name()).matches()) {
                continue;
            }
            if (pattern.schemaLike() == null) {
                return Optional.of("true");
            }
            if (relation.schema() != null) {
                if (pattern.schema().matcher(relation.schema()).matches()) {
                    return Optional.of("true");
                }
                continue;
            }
            conditions.add("EXISTS (SELECT 1 FROM pg_catalog.unnest(pg_catalog.current_schemas(false)) s"
                    + " WHERE s LIKE " + Literal.quote(pattern.schemaLike()) + ")");
        }
        return conditions.isEmpty() ? Optional.empty() : Optional.of("(" + String.join(" OR ", conditions) + ")");
    }

    /** A pattern's name part, and its schema part (as a regex and a LIKE pattern) when it has one. */
    private record OptionalPattern(Pattern name, Pattern schema, String schemaLike) {

        static OptionalPattern parse(String pattern) {
            List<String> parts = new ArrayList<>();
            StringBuilder part = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                    part.append(c);
                } else if (c == '.' && !quoted && parts.isEmpty()) {
                    parts.add(part.toString());
                    part.setLength(0);
                } else {
                    part.append(c);
                }
            }
            parts.add(part.toString());
            String name = folded(parts.get(parts.size() - 1));
            if (parts.size() == 1) {
                return new OptionalPattern(glob(name), null, null);
            }
            String schema = folded(parts.get(0));
            return new OptionalPattern(glob(name), glob(schema), like(schema));
        }

        /** As PostgreSQL reads a name: ASCII letters fold to lower case unless the part is double-quoted. */
        private static String folded(String part) {
            if (part.length() >= 2 && part.startsWith("\"") && part.endsWith("\"")) {
                return part.substring(1, part.length() - 1).replace("\"\"", "\"");
            }
            return SqlLexer.asciiLowerCase(part);
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

        private static String like(String pattern) {
            StringBuilder like = new StringBuilder();
            for (char c : pattern.toCharArray()) {
                switch (c) {
                    case '*' -> like.append('%');
                    case '?' -> like.append('_');
                    case '%', '_', '\\' -> like.append('\\').append(c);
                    default -> like.append(c);
                }
            }
            return like.toString();
        }
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

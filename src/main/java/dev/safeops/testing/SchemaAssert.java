package dev.safeops.testing;

import dev.safeops.Expectation;
import dev.safeops.SchemaCheck;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on the schema a connection sees; start them with
 * {@link SchemaAssertions#assertThatSchema(Connection)}.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Names follow SQL: unquoted ones fold to lower case, {@code "Quoted"} ones are kept as written, and
 *       {@code schema.name} looks in that schema only. An unqualified name is looked up in the schemas of the
 *       connection's search path, as a query would resolve it.</li>
 *   <li>Each assertion reads the catalog afresh with the queries {@code safe-ops verify} uses ({@link SchemaCheck}),
 *       read-only: it changes nothing, and works inside the caller's transaction, seeing what it sees.</li>
 *   <li>A failure says what is missing and what exists nearby: the same name in another schema or of another
 *       kind, an index that exists but is INVALID, a column of another type, the table's actual columns.</li>
 *   <li>A catalog that cannot be read (an aborted transaction, a closed connection) is an
 *       {@link IllegalStateException}, not a failed assertion.</li>
 * </ul>
 */
public final class SchemaAssert extends AbstractAssert<SchemaAssert, Connection> {

    private static final Pattern NULLABILITY =
            Pattern.compile("(?i)^(.*?)\\s+(not\\s+null|null)\\s*$", Pattern.DOTALL);

    SchemaAssert(Connection connection) {
        super(connection, SchemaAssert.class);
    }

    /** Verifies that a table (ordinary, partitioned or foreign) of this name exists. */
    public SchemaAssert hasTable(String table) {
        return has("table " + table);
    }

    /** Verifies that no table of this name exists (objects of other kinds may). */
    public SchemaAssert doesNotHaveTable(String table) {
        isNotNull();
        SchemaCheck.Lookup lookup = lookup("table " + table);
        List<SchemaCheck.Found> matching = lookup.matching();
        if (!matching.isEmpty()) {
            failWithMessage("%s", "Expecting the schema not to have " + lookup.expectation() + ", but it has "
                    + matching.stream().map(found -> describe(found, lookup.expectation())).collect(Collectors.joining(" and ")) + ".");
        }
        return this;
    }

    /** Verifies that a table, view or materialized view has this column. */
    public SchemaAssert hasColumn(String table, String column) {
        return has("column " + table + "." + column);
    }

    /**
     * Verifies that a table, view or materialized view has this column, of this type. The type is SQL, compared
     * as PostgreSQL resolves it ({@code int} is {@code integer}, {@code varchar(20)} is
     * {@code character varying(20)}); a trailing {@code NOT NULL} or {@code NULL} also checks the nullability,
     * e.g. {@code hasColumn("users", "email", "text not null")}.
     */
    public SchemaAssert hasColumn(String table, String column, String type) {
        isNotNull();
        Matcher nullability = NULLABILITY.matcher(type.strip());
        String typeOnly = nullability.matches() ? nullability.group(1) : type.strip();
        Boolean notNull = nullability.matches()
                ? nullability.group(2).toLowerCase(Locale.ROOT).startsWith("not") : null;
        String expectedType = canonicalType(typeOnly);
        SchemaCheck.Lookup lookup = lookup("column " + table + "." + column);
        String wanted = lookup.expectation() + " of type " + expectedType
                + (notNull == null ? "" : notNull ? " NOT NULL" : " NULL");
        List<SchemaCheck.Found> matching = lookup.matching();
        if (matching.isEmpty()) {
            failWithMessage("%s", missing(wanted, lookup));
        }
        boolean met = matching.stream().anyMatch(found -> found.type().equals(expectedType)
                && (notNull == null || notNull.equals(found.notNull())));
        if (!met) {
            failWithMessage("%s", "Expecting the schema to have " + wanted + ", but "
                    + matching.stream().map(found -> describe(found, lookup.expectation()) + " is " + found.type()
                            + (found.notNull() ? " NOT NULL" : " NULL"))
                    .collect(Collectors.joining(" and ")) + ".");
        }
        return this;
    }

    /** Verifies that an index of this name exists and is valid (usable by queries, enforcing if unique). */
    public SchemaAssert hasIndex(String index) {
        return has("index " + index);
    }

    /** Verifies that a table or domain constraint of this name exists. */
    public SchemaAssert hasConstraint(String constraint) {
        return has("constraint " + constraint);
    }

    /** Verifies that a function, procedure or aggregate of this name exists, whatever its arguments. */
    public SchemaAssert hasFunction(String function) {
        return has("function " + function);
    }

    /**
     * Verifies that an enum type of this name exists; with labels, that it has exactly these, in this order.
     * Labels are values, compared exactly (not folded).
     */
    public SchemaAssert hasEnumType(String type, String... labels) {
        isNotNull();
        SchemaCheck.Lookup lookup = lookup("type " + type);
        String wanted = "enum " + lookup.expectation()
                + (labels.length == 0 ? "" : " with labels " + Arrays.toString(labels));
        List<SchemaCheck.Found> matching = lookup.matching();
        if (matching.isEmpty()) {
            failWithMessage("%s", missing(wanted, lookup));
        }
        List<SchemaCheck.Found> enums = matching.stream().filter(f -> f.kind().equals("enum type")).toList();
        if (enums.isEmpty()) {
            failWithMessage("%s", "Expecting the schema to have " + wanted + ", but "
                    + matching.stream().map(f -> f.schema() + "." + f.name() + " is a " + f.kind())
                    .collect(Collectors.joining(" and ")) + ".");
        }
        if (labels.length > 0 && enums.stream().noneMatch(f -> f.labels().equals(List.of(labels)))) {
            failWithMessage("%s", "Expecting the schema to have " + wanted + ", but "
                    + enums.stream().map(f -> describe(f, lookup.expectation()) + " has labels " + f.labels())
                    .collect(Collectors.joining(" and ")) + ".");
        }
        return this;
    }

    private SchemaAssert has(String expectation) {
        isNotNull();
        SchemaCheck.Lookup lookup = lookup(expectation);
        switch (lookup.presence()) {
            case PRESENT -> {
                return this;
            }
            case INVALID -> failWithMessage("%s", "Expecting the schema to have " + lookup.expectation()
                    + ", but " + describe(lookup.matching().get(0), lookup.expectation()) + " is INVALID, as a failed CREATE INDEX"
                    + " CONCURRENTLY leaves it: queries do not use it and a unique one enforces nothing."
                    + " Drop it (DROP INDEX CONCURRENTLY) and create it again.");
            case MISSING -> failWithMessage("%s", missing(lookup.expectation().toString(), lookup));
        }
        return this;
    }

    /** "Expecting …, but it is missing." and the objects of that name found elsewhere, one per line. */
    private static String missing(String wanted, SchemaCheck.Lookup lookup) {
        Expectation expectation = lookup.expectation();
        StringBuilder message = new StringBuilder("Expecting the schema to have ").append(wanted)
                .append(", but it is missing");
        List<String> nearby = new ArrayList<>();
        if (expectation.kind() == Expectation.Kind.COLUMN) {
            lookup.found().stream()
                    .collect(Collectors.groupingBy(f -> f.kind() + " " + f.schema() + "." + expectation.name()
                            + (scopeNote(f, expectation).isEmpty() ? "" : " (" + scopeNote(f, expectation) + ")"),
                            java.util.LinkedHashMap::new, Collectors.toList()))
                    .forEach((table, columns) -> nearby.add(table + " has columns " + columns.stream()
                            .map(c -> c.name() + " " + c.type()).collect(Collectors.joining(", "))));
        } else {
            for (SchemaCheck.Found found : lookup.found()) {
                String note = found.wanted() ? scopeNote(found, expectation) : "";
                nearby.add(describe(found, expectation) + (note.isEmpty() ? "" : " (" + note + ")"));
            }
        }
        if (nearby.isEmpty()) {
            return message.append("; nothing of that name exists in any schema.").toString();
        }
        message.append(". Nearby:");
        nearby.forEach(line -> message.append("\n  ").append(line));
        return message.toString();
    }

    /** Why an object of the right kind and name does not count: its schema. */
    private static String scopeNote(SchemaCheck.Found found, Expectation expectation) {
        if (expectation.schema() == null) {
            return found.onSearchPath() ? "" : "schema " + found.schema() + " is not on the search path";
        }
        return found.schema().equals(expectation.schema()) ? "" : "in schema " + found.schema() + ", not "
                + expectation.schema();
    }

    /** For a column, {@code column public.users.email}; otherwise {@code <kind> schema.name}. */
    private static String describe(SchemaCheck.Found found, Expectation expectation) {
        return expectation.kind() == Expectation.Kind.COLUMN
                ? "column " + found.schema() + "." + expectation.name() + "." + found.name()
                : found.kind() + " " + found.schema() + "." + found.name();
    }

    private SchemaCheck.Lookup lookup(String expectation) {
        try {
            return SchemaCheck.lookup(actual, Expectation.parse(expectation));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the catalog to check " + expectation + ": " + e.getMessage()
                    + " (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    /** The type as {@code format_type} writes it, so that {@code int} and {@code integer} compare equal. */
    private String canonicalType(String type) {
        int parenthesis = type.indexOf('(');
        String base = parenthesis < 0 ? type : type.substring(0, parenthesis).strip();
        String modifier = parenthesis < 0 ? "" : type.substring(parenthesis).replaceAll("\\s+", "");
        try (PreparedStatement statement = actual.prepareStatement(
                "SELECT pg_catalog.format_type(pg_catalog.to_regtype(?), NULL)")) {
            statement.setString(1, base);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                String canonical = rows.getString(1);
                if (canonical == null) {
                    throw new IllegalArgumentException("type \"" + type + "\" does not exist in the database");
                }
                return canonical + modifier;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot resolve type " + type + ": " + e.getMessage(), e);
        }
    }
}

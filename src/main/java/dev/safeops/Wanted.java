package dev.safeops;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How a typed operation tells whether the object already there is the one it wants ("already
 * exists" must mean "exists as wanted"): optional statements that build a model of the wanted
 * object on a temporary table, run inside a savepoint that is always rolled back, and a query whose
 * one text value the {@code difference} function reads.
 *
 * @param probe      statements that build the model; empty when the query needs none
 * @param query      returns one text, read by {@code difference}
 * @param difference given that text, empty when the existing object is as wanted, else what differs
 *                   and what to do (shown in the {@link SafeOpsException})
 */
record Wanted(List<String> probe, String query, Function<String, Optional<String>> difference) {

    /** The temporary table that models the wanted object. */
    static final String PROBE_TABLE = "pg_temp.safe_ops_probe";
    static final String PROBE_SAVEPOINT = "safe_ops_probe";
    /** Separates the existing and the wanted definition in a query's text. */
    static final char SEPARATOR = '\u001f';

    Wanted {
        probe = List.copyOf(probe);
    }

    /**
     * A query returning {@code existing SEPARATOR wanted}, as wanted when both are equal; {@code what}
     * names the object in the message.
     */
    static Wanted sameText(List<String> probe, String existing, String wanted, String what) {
        String query = "SELECT coalesce((" + existing + "), '(none)') || chr(31) || coalesce((" + wanted + "), '(none)')";
        return new Wanted(probe, query, answer -> {
            int split = answer == null ? -1 : answer.indexOf(SEPARATOR);
            if (split < 0) {
                return Optional.of(what + " could not be compared");
            }
            String there = answer.substring(0, split);
            String want = answer.substring(split + 1);
            return there.equals(want) ? Optional.empty()
                    : Optional.of(what + " already exists but not as wanted: existing " + there + ", wanted " + want);
        });
    }

    /** A temporary table with the columns of {@code table}, for models of indexes and constraints. */
    static String probeTableLike(QualifiedName table) {
        return "CREATE TEMP TABLE safe_ops_probe (LIKE " + table.sql() + ")";
    }

    static String probeRelation() {
        return "pg_catalog.to_regclass('" + PROBE_TABLE + "')";
    }

    /** Whether {@code wanted} appears in {@code existing} in the same order, other labels between them allowed. */
    private static boolean inOrder(List<String> wanted, List<String> existing) {
        int at = 0;
        for (String label : existing) {
            if (at < wanted.size() && wanted.get(at).equals(label)) {
                at++;
            }
        }
        return at == wanted.size();
    }

    /** A column: its type as {@code format_type} prints it, nullability and default. */
    static Wanted column(QualifiedName table, Column column) {
        String probe = "CREATE TEMP TABLE safe_ops_probe (" + column.definition()
                + (column.isPrimaryKey() ? " PRIMARY KEY" : "") + ")";
        return sameText(List.of(probe), describeColumn(CatalogCheck.regclass(table), column.name()),
                describeColumn(probeRelation(), column.name()), "column " + column.name() + " of " + table);
    }

    private static String describeColumn(String relation, String column) {
        return "SELECT pg_catalog.format_type(a.atttypid, a.atttypmod)"
                + " || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END"
                + " || coalesce(' DEFAULT ' || pg_catalog.pg_get_expr(d.adbin, d.adrelid), '')"
                + " FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d"
                + " ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE a.attrelid = " + relation + " AND a.attname = " + Literal.quote(column)
                + " AND a.attnum > 0 AND NOT a.attisdropped";
    }

    /**
     * An index: access method, uniqueness (and {@code NULLS NOT DISTINCT}), key columns or expressions
     * with their collation, order and any operator class but the default, included columns, predicate.
     */
    static Wanted index(QualifiedName table, Index index) {
        Index model = new Index(PROBE_TABLE, index.columns(), "safe_ops_probe_index", index.isUnique(), index.method(),
                index.predicate());
        return sameText(List.of(probeTableLike(table), model.sql()),
                describeIndex(CatalogCheck.regclass(table), index.effectiveName()),
                describeIndex(probeRelation(), "safe_ops_probe_index"), "index " + index.effectiveName() + " on " + table);
    }

    private static String describeIndex(String relation, String name) {
        String column = "pg_catalog.pg_get_indexdef(i.indexrelid, k, true)";
        // indoption bits: 1 DESC, 2 NULLS FIRST; indcollation, indclass and indoption are 0-based, columns
        // 1-based. pg_get_indexdef prints a column's collation only with the whole definition: a collation
        // other than the column's (an expression has none) is added here, as the opclass is.
        String options = " || coalesce((SELECT ' COLLATE ' || pg_catalog.quote_ident(l.collname)"
                + " FROM pg_catalog.pg_collation l WHERE l.oid = i.indcollation[k - 1] AND l.oid IS DISTINCT FROM"
                + " (SELECT a.attcollation FROM pg_catalog.pg_attribute a"
                + " WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1])), '')"
                + " || coalesce((SELECT ' ' || o.opcname FROM pg_catalog.pg_opclass o"
                + " WHERE o.oid = i.indclass[k - 1] AND NOT o.opcdefault), '')"
                + " || CASE WHEN i.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END"
                + " || CASE WHEN i.indoption[k - 1] & 2 = 2 THEN ' NULLS FIRST' ELSE '' END";
        return "SELECT am.amname || CASE WHEN i.indisunique THEN ' unique' ELSE '' END"
                // indnullsnotdistinct exists from PostgreSQL 15 on: read through jsonb, older servers answer null
                + " || CASE WHEN pg_catalog.to_jsonb(i) ->> 'indnullsnotdistinct' = 'true' THEN ' nulls not distinct'"
                + " ELSE '' END || ' ('"
                + " || (SELECT pg_catalog.string_agg(" + column + options + ", ', ' ORDER BY k)"
                + " FROM pg_catalog.generate_series(1, i.indnkeyatts::int) k) || ')'"
                + " || coalesce(' INCLUDE (' || (SELECT pg_catalog.string_agg(" + column + ", ', ' ORDER BY k)"
                + " FROM pg_catalog.generate_series(i.indnkeyatts::int + 1, i.indnatts::int) k) || ')', '')"
                + " || coalesce(' WHERE ' || pg_catalog.pg_get_expr(i.indpred, i.indrelid, true), '')"
                + " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
                + " JOIN pg_catalog.pg_am am ON am.oid = c.relam"
                + " WHERE i.indrelid = " + relation + " AND c.relname = " + Literal.quote(name);
    }

    /** A CHECK or UNIQUE constraint: its definition as {@code pg_get_constraintdef} prints it. */
    static Wanted constraint(QualifiedName table, String name, String definition) {
        String model = "ALTER TABLE " + PROBE_TABLE + " ADD CONSTRAINT " + Identifier.quote(name, "constraint name")
                + " " + definition;
        return sameText(List.of(probeTableLike(table), model), describeConstraint(CatalogCheck.regclass(table), name),
                describeConstraint(probeRelation(), name), "constraint " + name + " on " + table);
    }

    private static String describeConstraint(String relation, String name) {
        return "SELECT pg_catalog.pg_get_constraintdef(c.oid) FROM pg_catalog.pg_constraint c"
                + " WHERE c.conrelid = " + relation + " AND c.conname = " + Literal.quote(name);
    }

    /**
     * A foreign key: columns, referenced table and columns (its primary key when none are given) and
     * actions, compared with {@code pg_get_constraintdef} (a temporary table cannot reference a
     * permanent one, so there is no model to build).
     */
    static Wanted foreignKey(ForeignKey key) {
        String referenced = CatalogCheck.regclass(key.referenced());
        String referencedColumns = key.referencedColumns().isEmpty()
                ? "(SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY k.ord)"
                        + " FROM pg_catalog.pg_constraint p CROSS JOIN pg_catalog.unnest(p.conkey) WITH ORDINALITY k(attnum, ord)"
                        + " JOIN pg_catalog.pg_attribute a ON a.attrelid = p.conrelid AND a.attnum = k.attnum"
                        + " WHERE p.conrelid = " + referenced + " AND p.contype = 'p')"
                : quotedList(key.referencedColumns());
        String wanted = "SELECT 'FOREIGN KEY (' || " + quotedList(key.columns()) + " || ') REFERENCES ' || "
                + referenced + "::text || '(' || " + referencedColumns + " || ')'"
                + action("UPDATE", key.onUpdate()) + action("DELETE", key.onDelete());
        return sameText(List.of(), describeConstraint(CatalogCheck.regclass(key.target()), key.effectiveName()), wanted,
                "foreign key " + key.effectiveName() + " on " + key.target());
    }

    private static String quotedList(List<String> names) {
        return names.stream().map(n -> "pg_catalog.quote_ident(" + Literal.quote(n) + ")")
                .collect(Collectors.joining(" || ', ' || "));
    }

    private static String action(String event, ForeignKey.Action action) {
        return action == ForeignKey.Action.NO_ACTION ? "" : " || ' ON " + event + " " + action.name().replace('_', ' ') + "'";
    }

    /**
     * An enum type: the same labels in the same order. Labels it lacks fail with the commands that
     * add them; other differences show both lists.
     */
    static Wanted enumLabels(QualifiedName type, List<String> labels) {
        String query = "SELECT coalesce(pg_catalog.string_agg(e.enumlabel, chr(31) ORDER BY e.enumsortorder), '')"
                + " FROM pg_catalog.pg_enum e WHERE e.enumtypid = pg_catalog.to_regtype(" + Literal.quote(type.sql()) + ")";
        return new Wanted(List.of(), query, answer -> {
            List<String> existing = answer == null || answer.isEmpty() ? List.of()
                    : List.of(answer.split(String.valueOf(SEPARATOR), -1));
            if (inOrder(labels, existing)) {
                return Optional.empty(); // labels added later, by ADD VALUE, keep it as wanted
            }
            if (existing.isEmpty()) {
                return Optional.of("type " + type + " already exists but is not an enum with labels; wanted " + labels);
            }
            List<String> missing = labels.stream().filter(l -> !existing.contains(l)).toList();
            String differs = "enum type " + type + " already exists but not as wanted: existing labels " + existing
                    + ", wanted " + labels;
            List<String> present = labels.stream().filter(existing::contains).toList();
            if (missing.isEmpty() || !inOrder(present, existing)) {
                return Optional.of(differs);
            }
            StringBuilder commands = new StringBuilder();
            for (String label : missing) {
                int at = labels.indexOf(label);
                commands.append(commands.length() == 0 ? "" : "; ").append("ALTER TYPE ").append(type.sql())
                        .append(" ADD VALUE ").append(Literal.quote(label));
                if (at > 0) {
                    commands.append(" AFTER ").append(Literal.quote(labels.get(at - 1)));
                }
            }
            return Optional.of(differs + "; add the missing labels with: " + commands);
        });
    }
}

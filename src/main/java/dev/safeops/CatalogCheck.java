package dev.safeops;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The catalog look-ups that confirm a skip, each a boolean SQL expression over {@code pg_catalog}
 * (see {@link Fact}), and the one query that asks about many of them at once. Names resolve as
 * PostgreSQL resolves them: a schema-qualified name in that schema, an unqualified one through the
 * connection's {@code search_path} (the {@code to_reg*} functions, or visibility in the search path).
 */
final class CatalogCheck {

    private CatalogCheck() {
    }

    /**
     * One query answering every fact in one row: a text of {@code t} and {@code f}, one character
     * per fact in order (a fact that is NULL counts as false).
     */
    static String query(List<Fact> facts) {
        return "SELECT " + answers(facts);
    }

    /** The expression of {@link #query}: a text of {@code t} and {@code f}, one per fact. */
    private static String answers(List<Fact> facts) {
        if (facts.isEmpty()) {
            return "''";
        }
        return facts.stream().map(f -> answer(f.sql())).collect(Collectors.joining(" || "));
    }

    /** {@code t} when the boolean SQL expression holds, else {@code f} (NULL too). */
    static String answer(String condition) {
        return "CASE WHEN (" + condition + ") THEN 't' ELSE 'f' END";
    }

    /**
     * Like {@link #query}, but the query fails (SQLSTATE 22P02) unless one alternative of the
     * confirmation holds entirely: sent ahead of the statements that follow a failed one, in the same
     * round trip, it stops the server from running them when the skip is not confirmed.
     */
    static String assertion(Confirmation confirmation) {
        String holds = confirmation.alternatives().stream()
                .map(facts -> facts.stream().map(f -> "coalesce((" + f.sql() + "), false)")
                        .collect(Collectors.joining(" AND ", "(", ")")))
                .collect(Collectors.joining(" OR "));
        // The cast only runs, and fails, when the skip is not confirmed; answers is never a number.
        return "SELECT CASE WHEN q.holds THEN q.answers ELSE ('safe-ops: not confirmed ' || q.answers)::int::text END"
                + " FROM (" + query(confirmation.facts()) + " AS answers, " + holds + " AS holds) q";
    }

    static String regclass(QualifiedName relation) {
        return lookUp("to_regclass", relation.sql()).sql();
    }

    /** A catalog function looking an object up by name: NULL when there is none. */
    private static Condition lookUp(String function, String name) {
        return Condition.of("pg_catalog." + function + "(", Condition.value(name), ")");
    }

    static Condition regclassOf(QualifiedName relation) {
        return lookUp("to_regclass", relation.sql());
    }

    static Fact relationAbsent(QualifiedName relation) {
        return Fact.of(Condition.of(regclassOf(relation), " IS NULL"), "relation " + relation + " is absent (to_regclass)");
    }

    /** The relation exists and is of one of these kinds ({@code pg_class.relkind}). */
    static Fact relationPresent(QualifiedName relation, String what, String relkinds) {
        return Fact.of(Condition.of("EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = ", regclassOf(relation),
                " AND c.relkind IN (" + relkinds + "))"), what + " " + relation + " exists (to_regclass)");
    }

    /** A valid index of that name on that table (an index lives in its table's schema). */
    static Fact indexValid(QualifiedName table, String index) {
        return Fact.of(Condition.of(indexOn(table, index), " AND i.indisvalid)"),
                "index " + index + " on " + table + " exists and is valid (pg_index)");
    }

    static Fact indexInvalid(QualifiedName table, String index) {
        return Fact.of(Condition.of(indexOn(table, index), " AND NOT i.indisvalid)"),
                "index " + index + " on " + table + " exists but is invalid (pg_index)");
    }

    private static Condition indexOn(QualifiedName table, String index) {
        return Condition.of("EXISTS (SELECT 1 FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
                + " WHERE i.indrelid = ", regclassOf(table), " AND c.relname = ", Condition.value(index));
    }

    static Fact typePresent(QualifiedName type) {
        return Fact.of(Condition.of(lookUp("to_regtype", type.sql()), " IS NOT NULL"),
                "type " + type + " exists (to_regtype)");
    }

    static Fact typeAbsent(QualifiedName type) {
        return Fact.of(Condition.of(lookUp("to_regtype", type.sql()), " IS NULL"),
                "type " + type + " is absent (to_regtype)");
    }

    static Fact schemaPresent(String schema) {
        return Fact.of(Condition.of(regnamespace(schema), " IS NOT NULL"),
                "schema " + schema + " exists (to_regnamespace)");
    }

    static Fact schemaAbsent(String schema) {
        return Fact.of(Condition.of(regnamespace(schema), " IS NULL"), "schema " + schema + " is absent (to_regnamespace)");
    }

    private static Condition regnamespace(String schema) {
        return lookUp("to_regnamespace", Identifier.quote(schema, "schema name"));
    }

    /** A function, procedure or aggregate of that name, whatever its arguments. */
    static Fact routinePresent(QualifiedName routine) {
        return Fact.of(routine(routine), "function " + routine + " exists (pg_proc)");
    }

    static Fact routineAbsent(QualifiedName routine) {
        return Fact.of(Condition.of("NOT ", routine(routine)), "function " + routine + " is absent (pg_proc)");
    }

    private static Condition routine(QualifiedName routine) {
        return Condition.of("EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.proname = ", Condition.value(routine.name()),
                " AND ", routine.schema() == null ? "pg_catalog.pg_function_is_visible(p.oid)"
                        : Condition.of("p.pronamespace = ", regnamespace(routine.schema())), ")");
    }

    static Fact columnPresent(QualifiedName table, String column) {
        return Fact.of(column(table, column), "column " + column + " of " + table + " exists (pg_attribute)");
    }

    static Fact columnAbsent(QualifiedName table, String column) {
        return Fact.of(Condition.of(regclassOf(table), " IS NOT NULL AND NOT ", column(table, column)),
                "column " + column + " of " + table + " is absent (pg_attribute)");
    }

    /** The column is an identity column, generated {@code a}lways or by {@code d}efault. */
    static Fact identityColumn(QualifiedName table, String column, String kind) {
        return Fact.of(Condition.of("EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = ", regclassOf(table),
                " AND a.attname = ", Condition.value(column), " AND a.attidentity = " + Literal.quote(kind) + ")"),
                "column " + column + " of " + table + " is an identity column generated "
                        + (kind.equals("a") ? "always" : "by default") + " (pg_attribute)");
    }

    private static Condition column(QualifiedName table, String column) {
        return Condition.of("EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = ", regclassOf(table),
                " AND a.attname = ", Condition.value(column), " AND a.attnum > 0 AND NOT a.attisdropped)");
    }

    /** A constraint, trigger, policy or rule of that name on the table. */
    static Fact memberPresent(Member member, QualifiedName table, String name) {
        return Fact.of(member(member, table, name),
                member.word + " " + name + " on " + table + " exists (" + member.catalog + ")");
    }

    static Fact memberAbsent(Member member, QualifiedName table, String name) {
        return Fact.of(Condition.of(regclassOf(table), " IS NOT NULL AND NOT ", member(member, table, name)),
                member.word + " " + name + " on " + table + " is absent (" + member.catalog + ")");
    }

    private static Condition member(Member member, QualifiedName table, String name) {
        return Condition.of("EXISTS (SELECT 1 FROM pg_catalog." + member.catalog + " WHERE " + member.relation + " = ",
                regclassOf(table), " AND " + member.name + " = ", Condition.value(name), ")");
    }

    /** Objects that belong to a table and are named within it. */
    enum Member {
        CONSTRAINT("constraint", "pg_constraint", "conrelid", "conname"),
        TRIGGER("trigger", "pg_trigger", "tgrelid", "tgname"),
        POLICY("policy", "pg_policy", "polrelid", "polname"),
        RULE("rule", "pg_rewrite", "ev_class", "rulename");

        final String word;
        final String catalog;
        final String relation;
        final String name;

        Member(String word, String catalog, String relation, String name) {
            this.word = word;
            this.catalog = catalog;
            this.relation = relation;
            this.name = name;
        }
    }

    /** An extended statistics object of that name. */
    static Fact statisticsPresent(QualifiedName statistics) {
        return Fact.of(Condition.of("EXISTS (SELECT 1 FROM pg_catalog.pg_statistic_ext s WHERE s.stxname = ",
                Condition.value(statistics.name()), " AND ", statistics.schema() == null
                        ? "pg_catalog.pg_statistics_obj_is_visible(s.oid)"
                        : Condition.of("s.stxnamespace = ", regnamespace(statistics.schema())), ")"),
                "statistics " + statistics + " exists (pg_statistic_ext)");
    }

    /** An object named database- or cluster-wide: extension, role, publication. */
    static Fact globalPresent(String what, String catalog, String column, String name) {
        return Fact.of(Condition.of("EXISTS (SELECT 1 FROM pg_catalog." + catalog + " WHERE " + column + " = ",
                Condition.value(name), ")"), what + " " + name + " exists (" + catalog + ")");
    }

    static Fact enumLabelPresent(QualifiedName type, String label) {
        return Fact.of(Condition.of("EXISTS (SELECT 1 FROM pg_catalog.pg_enum e WHERE e.enumtypid = ",
                lookUp("to_regtype", type.sql()), " AND e.enumlabel = ", Condition.value(label), ")"),
                "label '" + label + "' of enum type " + type + " exists (pg_enum)");
    }

    /** The table has a primary key on exactly these columns, in this order. */
    static Fact primaryKeyExists(QualifiedName table, List<String> columns) {
        List<Object> parts = new ArrayList<>();
        parts.add("EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.conrelid = ");
        parts.add(regclassOf(table));
        parts.add(" AND c.contype = 'p'"
                + " AND ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(c.conkey) WITH ORDINALITY k(attnum, ord)"
                + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum"
                + " ORDER BY k.ord) = ARRAY[");
        for (int i = 0; i < columns.size(); i++) {
            parts.add(i == 0 ? "" : ", ");
            parts.add(Condition.value(columns.get(i)));
        }
        parts.add("]::text[])");
        return Fact.of(Condition.of(parts.toArray()),
                "primary key of " + table + " on (" + String.join(", ", columns) + ") exists (pg_constraint)");
    }

    /** The child is a partition of that parent. */
    static Fact partitionAttached(QualifiedName parent, QualifiedName child) {
        return Fact.of(Condition.of("EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = ", regclassOf(child),
                " AND i.inhparent = ", regclassOf(parent), ")"),
                child + " is attached as a partition of " + parent + " (pg_inherits)");
    }
}

package dev.safeops;

import dev.safeops.StatementShape.Cursor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One way a statement would destroy data, read from its tokens, with the catalog questions that
 * tell how much: the rows of a table it drops or truncates, the values of a column it drops, the
 * values a type change silently alters, and what {@code CASCADE} drops along. The questions are
 * SQL expressions of type text, asked together with those of the rest of the script in one query;
 * each is NULL when there is nothing to say (the object is absent: the tolerance rules judge that).
 *
 * <p>Counting is bounded: it reads at most {@value #COUNT_LIMIT} + 1 matching rows through
 * {@code query_to_xml}, so a table that does not exist is never named in the query's own text.
 *
 * @param statement how the statement destroys, e.g. {@code DROP TABLE}
 * @param kind      what kind of object loses data: table, view, schema, type, …
 * @param name      the object's name as written (a table, or a schema, type, … dropped with CASCADE)
 * @param column    the column of table {@code name}, when a column loses its values
 * @param schema    SQL text: the schema of the object as the catalog resolves it
 * @param count     SQL text: how many rows or values would be lost, bounded; NULL when none can be
 * @param estimate  SQL text: the planner's estimate of the same, for when counting took too long
 * @param dependents SQL text: what CASCADE drops along, as a list; NULL without CASCADE
 * @param unit      what {@code count} counts: rows, non-null values, values that would change
 */
record Destruction(String statement, String kind, QualifiedName name, String column, String schema, String count,
                   String estimate, String dependents, String unit) {

    static final int COUNT_LIMIT = 1000;
    private static final String PG_CLASS = "'pg_catalog.pg_class'::pg_catalog.regclass";

    /** Every way the statement would destroy data; empty for most statements, which destroy nothing. */
    static List<Destruction> in(StatementShape shape) {
        Cursor c = shape.cursor(0);
        boolean cascade = shape.word(shape.tokens().size() - 1).equals("CASCADE");
        if (c.take("DROP")) {
            return drop(c, cascade);
        }
        if (c.take("TRUNCATE")) {
            c.take("TABLE");
            List<Destruction> found = new ArrayList<>();
            for (QualifiedName table : SkipRule.names(c)) {
                found.add(rows("TRUNCATE", table, cascade ? referencingTables(table) : null));
            }
            return found;
        }
        Optional<QualifiedName> table = c.alteredTable();
        if (table.isPresent()) {
            List<Destruction> found = new ArrayList<>();
            for (Cursor action : c.commaSeparated()) {
                alterAction(table.get(), action).ifPresent(found::add);
            }
            return found;
        }
        return List.of();
    }

    private static List<Destruction> drop(Cursor c, boolean cascade) {
        if (c.take("TABLE")) {
            c.take("IF", "EXISTS");
            List<Destruction> found = new ArrayList<>();
            for (QualifiedName table : SkipRule.names(c)) {
                found.add(rows("DROP TABLE", table, cascade ? dependents(PG_CLASS, regclass(table), null) : null));
            }
            return found;
        }
        if (!cascade) {
            return List.of();
        }
        String kind = c.take("MATERIALIZED", "VIEW") ? "materialized view" : c.take("VIEW") ? "view"
                : c.take("SEQUENCE") ? "sequence" : c.take("FOREIGN", "TABLE") ? "foreign table"
                : c.take("TYPE") ? "type" : c.take("DOMAIN") ? "domain" : c.take("SCHEMA") ? "schema"
                : c.take("EXTENSION") ? "extension" : null;
        if (kind == null) {
            return List.of();
        }
        c.take("IF", "EXISTS");
        List<Destruction> found = new ArrayList<>();
        for (QualifiedName name : SkipRule.names(c)) {
            String catalog;
            String oid;
            String schema;
            switch (kind) {
                case "type", "domain" -> {
                    catalog = "'pg_catalog.pg_type'::pg_catalog.regclass";
                    oid = "pg_catalog.to_regtype(" + Literal.quote(name.sql()) + ")::oid";
                    schema = "(SELECT n.nspname::text FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = "
                            + "t.typnamespace WHERE t.oid = " + oid + ")";
                }
                case "schema" -> {
                    catalog = "'pg_catalog.pg_namespace'::pg_catalog.regclass";
                    oid = "pg_catalog.to_regnamespace(" + Literal.quote(Identifier.quote(name.name(), "schema name"))
                            + ")::oid";
                    schema = "(SELECT n.nspname::text FROM pg_catalog.pg_namespace n WHERE n.oid = " + oid + ")";
                }
                case "extension" -> {
                    catalog = "'pg_catalog.pg_extension'::pg_catalog.regclass";
                    oid = "(SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extname = " + Literal.quote(name.name())
                            + ")";
                    schema = "(SELECT ''::text FROM pg_catalog.pg_extension e WHERE e.oid = " + oid + ")";
                }
                default -> {
                    catalog = PG_CLASS;
                    oid = regclass(name) + "::oid";
                    schema = schemaOf(name);
                }
            }
            found.add(new Destruction("DROP " + kind.toUpperCase(java.util.Locale.ROOT) + " … CASCADE", kind, name,
                    null, schema, null, null, dependents(catalog, oid, null), "rows"));
        }
        return found;
    }

    private static Optional<Destruction> alterAction(QualifiedName table, Cursor c) {
        if (c.take("DROP")) {
            if (c.word().equals("CONSTRAINT")) {
                return Optional.empty();
            }
            c.take("COLUMN");
            c.take("IF", "EXISTS");
            Optional<String> column = c.identifier();
            if (column.isEmpty()) {
                return Optional.empty();
            }
            boolean cascade = c.take("CASCADE");
            String attnum = "(SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = " + regclass(table)
                    + " AND a.attname = " + Literal.quote(column.get()) + " AND NOT a.attisdropped)";
            String ifColumn = "CASE WHEN " + attnum + " > 0 THEN ";
            String predicate = Identifier.quote(column.get(), "column name") + " IS NOT NULL";
            return Optional.of(new Destruction("DROP COLUMN", "table", table, column.get(), schemaOf(table), ifColumn + bounded(table, predicate) + " END",
                    ifColumn + nonNullEstimate(table, column.get()) + " END",
                    cascade ? dependents(PG_CLASS, regclass(table) + "::oid", attnum) : null, "non-null values"));
        }
        if (!c.take("ALTER")) {
            return Optional.empty();
        }
        c.take("COLUMN");
        Optional<String> column = c.identifier();
        if (column.isEmpty() || !(c.take("TYPE") || c.take("SET", "DATA", "TYPE"))) {
            return Optional.empty();
        }
        String typeText = typeText(c);
        String quoted = Identifier.quote(column.get(), "column name");
        Optional<Integer> truncatedTo = Optional.empty();
        String usingValue = quoted;
        if (c.take("USING")) {
            Optional<UsingCast> cast = UsingCast.at(c);
            if (cast.isPresent()) {
                truncatedTo = Optional.of(cast.get().length());
                usingValue = "(" + cast.get().value() + ")";
            }
        }
        String attribute = "FROM pg_catalog.pg_attribute a WHERE a.attrelid = " + regclass(table) + " AND a.attname = "
                + Literal.quote(column.get()) + " AND a.attnum > 0 AND NOT a.attisdropped";
        String changed;
        String what;
        if (truncatedTo.isPresent()) {
            changed = "length((" + usingValue + ")::text) > " + truncatedTo.get();
            what = "values longer than " + truncatedTo.get() + " characters, cut by the USING cast";
        } else {
            Optional<ColumnType.Loss> loss = ColumnType.parse(typeText).lossFrom();
            if (loss.isEmpty()) {
                return Optional.empty();
            }
            changed = String.format(loss.get().changedValue(), quoted);
            what = "values that would lose " + loss.get().what();
            attribute += " AND (" + loss.get().oldTypeCondition() + ")";
        }
        String ifLossy = "CASE WHEN EXISTS (SELECT 1 " + attribute + ") THEN ";
        return Optional.of(new Destruction("ALTER COLUMN TYPE " + typeText, "table", table, column.get(), schemaOf(table), ifLossy + bounded(table, changed) + " END",
                ifLossy + rowEstimate(table) + " END", null, what));
    }

    /** The type as written after TYPE, up to USING, COLLATE or the end of the action. */
    static String typeText(Cursor c) {
        StringBuilder type = new StringBuilder();
        int depth = 0;
        while (!c.atEnd()) {
            String word = c.word();
            if (depth == 0 && (word.equals("USING") || word.equals("COLLATE"))) {
                break;
            }
            SqlLexer.Token token = c.token();
            if (depth == 0 && token.isSymbol(",")) {
                break;
            }
            depth += token.isSymbol("(") ? 1 : token.isSymbol(")") ? -1 : 0;
            type.append(type.length() == 0 || token.isSymbol("(") || token.isSymbol(")") || token.isSymbol(",")
                    || type.charAt(type.length() - 1) == '(' ? "" : " ").append(token.text());
            c.advance();
        }
        return type.toString();
    }

    /** {@code USING expr::varchar(n)} (or char(n)): an explicit cast, which truncates silently. */
    record UsingCast(String value, int length) {

        static Optional<UsingCast> at(Cursor c) {
            int start = c.position();
            StatementShape shape = c.shape();
            int end = c.commaOrEnd();
            // the cast must be the last thing of the expression: … :: varchar ( n )
            int i = end - 1;
            if (i - 3 < start || !shape.tokens().get(i).isSymbol(")")
                    || shape.tokens().get(i - 1).kind() != SqlLexer.Kind.NUMBER || !shape.tokens().get(i - 2).isSymbol("(")) {
                return Optional.empty();
            }
            int typeEnd = i - 3;
            int typeStart = typeEnd;
            while (typeStart > start && shape.tokens().get(typeStart - 1).kind() == SqlLexer.Kind.WORD) {
                typeStart--;
            }
            if (typeStart - 1 <= start || !shape.tokens().get(typeStart - 1).isSymbol("::")) {
                return Optional.empty();
            }
            StringBuilder typeName = new StringBuilder();
            for (int t = typeStart; t <= typeEnd; t++) {
                typeName.append(t == typeStart ? "" : " ").append(shape.tokens().get(t).value());
            }
            String name = ColumnType.parse(typeName.toString()).name();
            if (!name.equals("varchar") && !name.equals("bpchar")) {
                return Optional.empty();
            }
            try {
                int length = Integer.parseInt(shape.tokens().get(i - 1).text());
                return Optional.of(new UsingCast(shape.text(start, typeStart - 1), length));
            } catch (NumberFormatException notPlain) {
                return Optional.empty(); // 0x10, 1_000: PostgreSQL rejects them as a type modifier anyway
            }
        }
    }

    private static Destruction rows(String statement, QualifiedName table, String dependents) {
        String ifTable = "CASE WHEN (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = " + regclass(table)
                + ") IN ('r', 'p') THEN ";
        return new Destruction(statement, "table", table, null, schemaOf(table),
                ifTable + bounded(table, "true") + " END", ifTable + rowEstimate(table) + " END", dependents, "rows");
    }

    static String regclass(QualifiedName relation) {
        return CatalogCheck.regclass(relation);
    }

    private static String schemaOf(QualifiedName table) {
        return "(SELECT n.nspname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
                + "c.relnamespace WHERE c.oid = " + regclass(table) + ")";
    }

    /** How many rows match, reading at most one more than {@link #COUNT_LIMIT}. */
    private static String bounded(QualifiedName table, String predicate) {
        String query = "SELECT count(*) AS n FROM (SELECT 1 FROM " + table.sql() + " WHERE " + predicate + " LIMIT "
                + (COUNT_LIMIT + 1) + ") s";
        return "(pg_catalog.xpath('/row/n/text()', pg_catalog.query_to_xml(" + Literal.quote(query)
                + ", false, true, '')))[1]::text";
    }

    private static String rowEstimate(QualifiedName table) {
        return "(SELECT c.reltuples::bigint::text FROM pg_catalog.pg_class c WHERE c.oid = " + regclass(table) + ")";
    }

    private static String nonNullEstimate(QualifiedName table, String column) {
        return "(SELECT CASE WHEN c.reltuples < 0 THEN '-1' ELSE (c.reltuples * (1 - coalesce((SELECT s.null_frac "
                + "FROM pg_catalog.pg_stats s JOIN pg_catalog.pg_namespace n ON n.nspname = s.schemaname WHERE "
                + "n.oid = c.relnamespace AND s.tablename = c.relname AND s.attname = " + Literal.quote(column)
                + " LIMIT 1), 0)))::bigint::text END FROM pg_catalog.pg_class c WHERE c.oid = " + regclass(table) + ")";
    }

    /**
     * The objects that depend on the object directly (pg_depend, normal dependencies: what DROP …
     * CASCADE drops along), as one comma-separated text; a view is named as the view, not its rule.
     */
    private static String dependents(String catalog, String oid, String subId) {
        return "(SELECT pg_catalog.string_agg(DISTINCT x.d, ', ') FROM (SELECT CASE WHEN dep.classid = "
                + "'pg_catalog.pg_rewrite'::pg_catalog.regclass THEN (SELECT 'view ' || r.ev_class::pg_catalog.regclass::text "
                + "FROM pg_catalog.pg_rewrite r WHERE r.oid = dep.objid) ELSE pg_catalog.pg_describe_object(dep.classid, "
                + "dep.objid, dep.objsubid) END AS d FROM pg_catalog.pg_depend dep WHERE dep.refclassid = " + catalog
                + " AND dep.refobjid = " + oid + (subId == null ? "" : " AND dep.refobjsubid = " + subId)
                + " AND dep.deptype = 'n') x)";
    }

    /** TRUNCATE … CASCADE empties every table whose foreign key references the table too. */
    private static String referencingTables(QualifiedName table) {
        return "(SELECT pg_catalog.string_agg(DISTINCT 'table ' || k.conrelid::pg_catalog.regclass::text, ', ') FROM "
                + "pg_catalog.pg_constraint k WHERE k.contype = 'f' AND k.confrelid = " + regclass(table)
                + " AND k.conrelid <> k.confrelid)";
    }


    /** What loses data, in words: {@code table orders}, {@code column orders.note}, {@code schema legacy}. */
    String object() {
        return column == null ? kind + " " + name : "column " + name + "." + column;
    }

    /**
     * The spellings by which a caller may accept this loss: the object with and without its schema
     * ({@code orders}, {@code public.orders}, {@code orders.note}, {@code public.orders.note}).
     */
    List<List<String>> spellings(String resolvedSchema) {
        List<String> own = new ArrayList<>();
        own.add(name.name());
        if (column != null) {
            own.add(column);
        }
        List<List<String>> spellings = new ArrayList<>();
        spellings.add(own);
        if (kind.equals("schema") || kind.equals("extension")) {
            return spellings;
        }
        for (String schema : new String[] {resolvedSchema, name.schema()}) {
            if (schema != null && !schema.isEmpty()) {
                List<String> qualified = new ArrayList<>();
                qualified.add(schema);
                qualified.addAll(own);
                spellings.add(qualified);
            }
        }
        return spellings;
    }
}

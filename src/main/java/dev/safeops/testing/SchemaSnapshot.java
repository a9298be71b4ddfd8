package dev.safeops.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The schema of a database as sorted lines, one per object, for comparing two databases or one database at two
 * moments: schemas, tables, views (with their query), sequences, columns (type, nullability, default), indexes and
 * constraints (with their definitions), enum types (labels in order), domains, functions (with a digest of their
 * definition), triggers and extensions, in every schema but PostgreSQL's own. Data is not part of it.
 *
 * @param lines the objects, sorted
 */
record SchemaSnapshot(List<String> lines) {

    private static final String USER_SCHEMA = "n.nspname NOT IN ('pg_catalog', 'information_schema')"
            + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

    private static final String QUERY = String.join("\nUNION ALL\n",
            "SELECT 'schema ' || n.nspname FROM pg_catalog.pg_namespace n WHERE " + USER_SCHEMA,
            "SELECT CASE c.relkind WHEN 'r' THEN 'table ' WHEN 'p' THEN 'partitioned table ' WHEN 'f' THEN 'foreign table '"
                    + " WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view ' WHEN 'S' THEN 'sequence '"
                    + " ELSE 'composite type ' END || n.nspname || '.' || c.relname"
                    + " || CASE WHEN c.relkind IN ('v', 'm') THEN ': ' || pg_catalog.regexp_replace("
                    + "pg_catalog.pg_get_viewdef(c.oid), '\\s+', ' ', 'g') ELSE '' END"
                    + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S', 'c') AND " + USER_SCHEMA,
            "SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' '"
                    + " || pg_catalog.format_type(a.atttypid, a.atttypmod)"
                    + " || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END"
                    + " || coalesce(' DEFAULT ' || pg_catalog.pg_get_expr(d.adbin, d.adrelid), '')"
                    + " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                    + " WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'c')"
                    + " AND " + USER_SCHEMA,
            "SELECT 'index ' || n.nspname || '.' || c.relname || ': ' || pg_catalog.pg_get_indexdef(c.oid)"
                    + " || CASE WHEN i.indisvalid THEN '' ELSE ' (INVALID)' END"
                    + " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_SCHEMA,
            "SELECT 'constraint ' || n.nspname || '.' || coalesce(r.relname || '.', t.typname || '.', '') || co.conname"
                    + " || ': ' || pg_catalog.pg_get_constraintdef(co.oid)"
                    + " FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_namespace n ON n.oid = co.connamespace"
                    + " LEFT JOIN pg_catalog.pg_class r ON r.oid = co.conrelid"
                    + " LEFT JOIN pg_catalog.pg_type t ON t.oid = co.contypid WHERE " + USER_SCHEMA,
            "SELECT 'enum type ' || n.nspname || '.' || t.typname || ' ('"
                    + " || pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_literal(e.enumlabel)"
                    + " FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), ', ') || ')'"
                    + " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
                    + " WHERE t.typtype = 'e' AND " + USER_SCHEMA,
            "SELECT 'domain ' || n.nspname || '.' || t.typname || ' ' || pg_catalog.format_type(t.typbasetype, t.typtypmod)"
                    + " || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END"
                    + " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
                    + " WHERE t.typtype = 'd' AND " + USER_SCHEMA,
            "SELECT CASE p.prokind WHEN 'p' THEN 'procedure ' WHEN 'a' THEN 'aggregate ' ELSE 'function ' END"
                    + " || n.nspname || '.' || p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid)"
                    + " || ')' || CASE WHEN p.prokind IN ('f', 'w') THEN ' returns '"
                    + " || pg_catalog.pg_get_function_result(p.oid) || ', definition md5 '"
                    + " || pg_catalog.md5(pg_catalog.pg_get_functiondef(p.oid)) ELSE '' END"
                    + " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                    + " WHERE " + USER_SCHEMA + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep"
                    + " WHERE dep.objid = p.oid AND dep.deptype = 'e')",
            "SELECT 'trigger ' || n.nspname || '.' || c.relname || '.' || tg.tgname || ': '"
                    + " || pg_catalog.pg_get_triggerdef(tg.oid)"
                    + " FROM pg_catalog.pg_trigger tg JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE NOT tg.tgisinternal AND "
                    + USER_SCHEMA,
            "SELECT 'extension ' || x.extname || ' ' || x.extversion FROM pg_catalog.pg_extension x");

    SchemaSnapshot {
        lines = List.copyOf(lines);
    }

    /** The schema as this connection sees it, read in one query. */
    static SchemaSnapshot of(Connection connection) throws SQLException {
        TreeSet<String> lines = new TreeSet<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(QUERY)) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return new SchemaSnapshot(new ArrayList<>(lines));
    }

    /**
     * What changed from this snapshot to {@code after}: {@code - line} for what is gone, {@code + line} for what is
     * new, in object order so that a changed object's two lines are adjacent; empty when nothing changed.
     */
    List<String> diff(SchemaSnapshot after) {
        TreeSet<String> gone = new TreeSet<>(lines);
        after.lines.forEach(gone::remove);
        TreeSet<String> added = new TreeSet<>(after.lines);
        lines.forEach(added::remove);
        TreeSet<String> changed = new TreeSet<>(gone);
        changed.addAll(added);
        List<String> diff = new ArrayList<>();
        for (String line : changed) {
            diff.add((gone.contains(line) ? "- " : "+ ") + line);
        }
        return diff;
    }
}

package dev.safeops.bench;

import dev.safeops.Script;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Internal, for the {@code bench} command and tests; not part of the safe-ops API. The migration a
 * benchmark runs: for each of N tables in schema {@value #SCHEMA}, three DDL statements in one
 * transaction (add a column, create an index, add a check constraint). A share of the tables can
 * be missing, as an optional module's tables are in a drifted database; the missing ones are
 * spread evenly over the script. Immutable.
 */
public final class Workload {

    public static final String SCHEMA = "safe_ops_bench";
    private static final int STATEMENTS_PER_TABLE = 3;

    private final int tables;
    private final int missingPercent;

    private Workload(int tables, int missingPercent) {
        this.tables = tables;
        this.missingPercent = missingPercent;
    }

    /**
     * @throws IllegalArgumentException if there is no table or the share is not 0 to 100
     */
    public static Workload of(int tables, int missingPercent) {
        if (tables < 1) {
            throw new IllegalArgumentException("a workload needs at least one table, was " + tables);
        }
        if (missingPercent < 0 || missingPercent > 100) {
            throw new IllegalArgumentException("the missing share is a percentage, 0 to 100, was " + missingPercent);
        }
        return new Workload(tables, missingPercent);
    }

    public int tables() {
        return tables;
    }

    public int missingPercent() {
        return missingPercent;
    }

    /** The same statements on a database where every table is there. */
    public Workload withoutMissingTables() {
        return new Workload(tables, 0);
    }

    /** {@code factor} times the tables, with the same share missing. */
    public Workload scaled(int factor) {
        return of(Math.multiplyExact(tables, factor), missingPercent);
    }

    public int statementCount() {
        return tables * STATEMENTS_PER_TABLE;
    }

    /** How many statements touch a missing table, and so must be skipped by a variant that survives them. */
    public int statementsOnMissingTables() {
        return (int) IntStream.range(0, tables).filter(this::isMissing).count() * STATEMENTS_PER_TABLE;
    }

    /** The statements, table after table. */
    public List<String> statements() {
        List<String> statements = new ArrayList<>(statementCount());
        for (int table = 0; table < tables; table++) {
            String name = tableName(table);
            String qualified = SCHEMA + "." + name;
            statements.add("ALTER TABLE " + qualified + " ADD COLUMN note text");
            statements.add("CREATE INDEX " + name + "_amount_idx ON " + qualified + " (amount)");
            statements.add("ALTER TABLE " + qualified + " ADD CONSTRAINT " + name + "_amount_check CHECK (amount >= 0)");
        }
        return statements;
    }

    /** The statements as one script, as a migration file would hold them. */
    public Script script() {
        return Script.parse("bench.sql", String.join(";\n", statements()) + ";\n");
    }

    /** Creates the schema afresh with the tables that are not missing; commits. */
    public void prepare(Connection direct) throws SQLException {
        StringBuilder ddl = new StringBuilder("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE; CREATE SCHEMA " + SCHEMA
                + ";\n");
        for (String table : presentTables()) {
            ddl.append("CREATE TABLE ").append(SCHEMA).append('.').append(table)
                    .append(" (id bigint PRIMARY KEY, amount integer);\n");
        }
        boolean autoCommit = direct.getAutoCommit();
        direct.setAutoCommit(true);
        try (Statement statement = direct.createStatement()) {
            statement.execute(ddl.toString());
        } finally {
            direct.setAutoCommit(autoCommit);
        }
    }

    /** Drops schema {@value #SCHEMA} with everything in it, so that a benchmark leaves nothing behind. */
    public static void dropSchema(Connection direct) throws SQLException {
        try (Statement statement = direct.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    /**
     * How the committed schema differs from what the statements should have made of it: every
     * present table with its column, index and check constraint, and no missing table; empty when
     * it is right.
     */
    public List<String> problems(Connection direct) throws SQLException {
        Set<String> expected = new TreeSet<>(presentTables());
        List<String> problems = new ArrayList<>();
        try (Statement statement = direct.createStatement(); ResultSet rows = statement.executeQuery("""
                SELECT c.relname,
                       EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                                WHERE a.attrelid = c.oid AND a.attname = 'note' AND NOT a.attisdropped),
                       EXISTS (SELECT 1 FROM pg_catalog.pg_class i
                                WHERE i.relnamespace = c.relnamespace AND i.relkind = 'i'
                                  AND i.relname = c.relname || '_amount_idx'),
                       EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                                WHERE k.conrelid = c.oid AND k.contype = 'c' AND k.conname = c.relname || '_amount_check')
                  FROM pg_catalog.pg_class c
                 WHERE c.relnamespace = to_regnamespace('%s') AND c.relkind = 'r'
                """.formatted(SCHEMA))) {
            while (rows.next()) {
                String table = rows.getString(1);
                if (!expected.remove(table)) {
                    problems.add("table " + table + " should be missing but exists");
                }
                if (!rows.getBoolean(2)) {
                    problems.add("table " + table + " has no column note");
                }
                if (!rows.getBoolean(3)) {
                    problems.add("table " + table + " has no index " + table + "_amount_idx");
                }
                if (!rows.getBoolean(4)) {
                    problems.add("table " + table + " has no constraint " + table + "_amount_check");
                }
            }
        }
        expected.forEach(table -> problems.add("table " + table + " is gone"));
        return problems;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d tables × %d statements = %d statements, %d%% of tables missing",
                tables, STATEMENTS_PER_TABLE, statementCount(), missingPercent);
    }

    private List<String> presentTables() {
        return IntStream.range(0, tables).filter(table -> !isMissing(table)).mapToObj(Workload::tableName)
                .collect(Collectors.toList());
    }

    /** Spreads the missing tables evenly: table i is missing when the running share crosses a whole number. */
    private boolean isMissing(int table) {
        return (long) (table + 1) * missingPercent / 100 > (long) table * missingPercent / 100;
    }

    private static String tableName(int table) {
        return String.format(Locale.ROOT, "t%05d", table + 1);
    }
}

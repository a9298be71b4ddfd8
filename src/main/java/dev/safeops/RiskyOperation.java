package dev.safeops;

import dev.safeops.SqlLexer.Token;
import dev.safeops.StatementShape.Cursor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An operation that locks or rewrites a table, read from a statement's tokens, with what the
 * catalog must tell before it is judged: the table's size always, and for some rules one more fact
 * (the column's current type, a validated {@code CHECK (c IS NOT NULL)}, a volatile function in a
 * default). README's "Risky operations and data loss" table is this class in words.
 *
 * @param rule      the rule, as the README's table names it
 * @param table     SQL text: the oid of the table the operation locks (an index's table for index
 *                  statements)
 * @param lock      the lock it takes and what that blocks
 * @param effect    what it does to the table while holding the lock
 * @param recipe    the safe way to get the same result
 * @param condition the rule's own catalog fact, when it has one
 */
record RiskyOperation(String rule, String table, String lock, String effect, String recipe, Condition condition) {

    private static final String ACCESS_EXCLUSIVE = "ACCESS EXCLUSIVE (blocks reads and writes)";
    private static final String SHARE = "SHARE (blocks writes)";
    private static final Set<String> SERIAL = Set.of("serial", "serial4", "bigserial", "serial8", "smallserial",
            "serial2");

    /** What else, besides the size, decides whether the operation is risky. */
    sealed interface Condition {
        /** SQL text of type text for the fact, or null when the rule needs none. */
        String question();
    }

    /** Risky whenever the table is large. */
    record Always() implements Condition {
        public String question() {
            return null;
        }
    }

    /** A type change: risky unless the change needs no rewrite from the column's current type. */
    record TypeChange(QualifiedName table, String column, ColumnType target, boolean using) implements Condition {
        public String question() {
            return "(SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a WHERE "
                    + "a.attrelid = " + CatalogCheck.regclass(table) + " AND a.attname = " + Literal.quote(column)
                    + " AND a.attnum > 0 AND NOT a.attisdropped)";
        }
    }

    /** SET NOT NULL: risky unless a validated {@code CHECK (c IS NOT NULL)} spares the scan. */
    record NotNull(QualifiedName table, String column) implements Condition {
        public String question() {
            return "(SELECT 't' FROM pg_catalog.pg_constraint k WHERE k.conrelid = " + CatalogCheck.regclass(table)
                    + " AND k.contype = 'c' AND k.convalidated AND pg_catalog.pg_get_constraintdef(k.oid) ~ "
                    + Literal.quote("^CHECK \\(+\"?" + column.replaceAll("[^A-Za-z0-9_]", "\\\\$0")
                            + "\"? IS NOT NULL\\)+$") + " LIMIT 1)";
        }
    }

    /** A default calling these functions: risky when one of them is volatile. */
    record VolatileDefault(Set<String> functions) implements Condition {
        public String question() {
            return "(SELECT 't' FROM pg_catalog.pg_proc p WHERE p.provolatile = 'v' AND p.proname IN ("
                    + String.join(", ", functions.stream().map(Literal::quote).toList()) + ") LIMIT 1)";
        }
    }

    /** CREATE INDEX CONCURRENTLY, which can corrupt the index on PostgreSQL 14.0 to 14.3. */
    record BrokenConcurrentBuild() implements Condition {
        public String question() {
            return null;
        }
    }

    /** Every risky operation of the statement; {@code earlier} are the statements of its script before it. */
    static List<RiskyOperation> in(StatementShape shape, List<StatementShape> earlier) {
        Cursor c = shape.cursor(0);
        Optional<QualifiedName> altered = c.alteredTable();
        if (altered.isPresent()) {
            List<RiskyOperation> found = new ArrayList<>();
            for (Cursor action : c.commaSeparated()) {
                alterAction(altered.get(), action, earlier).ifPresent(found::add);
            }
            return found;
        }
        c = shape.cursor(0);
        if (c.take("CREATE")) {
            c.take("UNIQUE");
            if (!c.take("INDEX")) {
                return List.of();
            }
            boolean concurrently = c.word().equals("CONCURRENTLY");
            Optional<QualifiedName> table = c.skipPast("ON") ? onlyName(c) : Optional.empty();
            if (table.isEmpty()) {
                return List.of();
            }
            return List.of(concurrently
                    ? new RiskyOperation("CREATE INDEX CONCURRENTLY on PostgreSQL 14.0–14.3", regclass(table.get()),
                            "SHARE UPDATE EXCLUSIVE", "can build a corrupt index while rows are written (a bug fixed in "
                            + "14.4)", "upgrade to PostgreSQL 14.4 or later first, or REINDEX … CONCURRENTLY the index "
                            + "after upgrading", new BrokenConcurrentBuild())
                    : new RiskyOperation("CREATE INDEX without CONCURRENTLY", regclass(table.get()), SHARE,
                            "for the whole index build", "CREATE INDEX CONCURRENTLY, outside a transaction", new Always()));
        }
        if (c.take("DROP", "INDEX")) {
            if (c.word().equals("CONCURRENTLY")) {
                return List.of();
            }
            c.take("IF", "EXISTS");
            return c.name().map(index -> List.of(new RiskyOperation("DROP INDEX without CONCURRENTLY",
                    indexTable(index), ACCESS_EXCLUSIVE, "on the index's table, queued behind every running query",
                    "DROP INDEX CONCURRENTLY, outside a transaction", new Always()))).orElse(List.of());
        }
        if (c.take("REINDEX")) {
            if (c.takePunctuation("(")) {
                while (!c.atEnd() && !c.takePunctuation(")")) {
                    c.advance();
                }
            }
            boolean index = c.take("INDEX");
            if (!index && !c.take("TABLE")) {
                return List.of();
            }
            if (c.word().equals("CONCURRENTLY")) {
                return List.of();
            }
            return c.name().map(name -> List.of(new RiskyOperation("REINDEX without CONCURRENTLY",
                    index ? indexTable(name) : regclass(name), SHARE + " and ACCESS EXCLUSIVE on the index",
                    "for the whole rebuild", "REINDEX … CONCURRENTLY, outside a transaction", new Always())))
                    .orElse(List.of());
        }
        if (c.take("VACUUM")) {
            boolean full = false;
            if (c.takePunctuation("(")) {
                while (!c.atEnd() && !c.token().isSymbol(")")) {
                    full |= c.word().equals("FULL") && !c.shape().word(c.position() + 1).equals("FALSE")
                            && !c.shape().word(c.position() + 1).equals("OFF");
                    c.advance();
                }
                c.takePunctuation(")");
            }
            while (List.of("FULL", "FREEZE", "VERBOSE", "ANALYZE", "ANALYSE").contains(c.word())) {
                full |= c.word().equals("FULL");
                c.advance();
            }
            if (!full) {
                return List.of();
            }
            return c.name().map(table -> List.of(rewrite("VACUUM FULL", table))).orElse(List.of());
        }
        if (c.take("CLUSTER")) {
            c.take("VERBOSE");
            return c.name().map(table -> List.of(rewrite("CLUSTER", table))).orElse(List.of());
        }
        return List.of();
    }

    private static RiskyOperation rewrite(String rule, QualifiedName table) {
        return new RiskyOperation(rule, regclass(table), ACCESS_EXCLUSIVE, "while it rewrites the whole table",
                "pg_repack or pg_squeeze, which rebuild the table without holding the lock", new Always());
    }

    private static Optional<RiskyOperation> alterAction(QualifiedName table, Cursor c, List<StatementShape> earlier) {
        String oid = regclass(table);
        if (c.take("ALTER")) {
            c.take("COLUMN");
            Optional<String> column = c.identifier();
            if (column.isEmpty()) {
                return Optional.empty();
            }
            if (c.take("TYPE") || c.take("SET", "DATA", "TYPE")) {
                ColumnType target = ColumnType.parse(Destruction.typeText(c));
                boolean using = c.take("USING") && !isJust(c, column.get());
                return Optional.of(new RiskyOperation("ALTER COLUMN TYPE that rewrites", oid, ACCESS_EXCLUSIVE,
                        "while it rewrites the table and rebuilds its indexes", "add a new column of the new type, "
                        + "backfill it in batches, switch the application over, then drop the old column",
                        new TypeChange(table, column.get(), target, using)));
            }
            if (c.take("SET", "NOT", "NULL")) {
                return Optional.of(new RiskyOperation("SET NOT NULL without a validated CHECK", oid, ACCESS_EXCLUSIVE,
                        "while it scans the whole table", "ADD CONSTRAINT … CHECK (" + column.get() + " IS NOT NULL) "
                        + "NOT VALID; VALIDATE CONSTRAINT in a later transaction; then SET NOT NULL (which uses the "
                        + "validated check and skips the scan) and drop the check", new NotNull(table, column.get())));
            }
            return Optional.empty();
        }
        if (c.take("VALIDATE", "CONSTRAINT")) {
            Optional<String> name = c.identifier();
            if (name.isPresent() && addedNotValid(name.get(), earlier)) {
                return Optional.of(new RiskyOperation("VALIDATE CONSTRAINT in the transaction that added it", oid,
                        "the ADD CONSTRAINT's lock, held until the transaction ends,", "while VALIDATE scans the table",
                        "commit after ADD CONSTRAINT … NOT VALID and validate in a later transaction", new Always()));
            }
            return Optional.empty();
        }
        if (!c.take("ADD")) {
            return Optional.empty();
        }
        if (c.take("CONSTRAINT")) {
            c.identifier();
        }
        boolean notValid = endsWithNotValid(c);
        if (c.take("FOREIGN", "KEY")) {
            return notValid ? Optional.empty() : Optional.of(new RiskyOperation("ADD FOREIGN KEY without NOT VALID", oid,
                    "SHARE ROW EXCLUSIVE on both tables (blocks writes)", "while it checks every row",
                    "ADD CONSTRAINT … FOREIGN KEY … NOT VALID, then VALIDATE CONSTRAINT in a later transaction",
                    new Always()));
        }
        if (c.take("CHECK")) {
            return notValid ? Optional.empty() : Optional.of(new RiskyOperation("ADD CHECK without NOT VALID", oid,
                    ACCESS_EXCLUSIVE, "while it checks every row",
                    "ADD CONSTRAINT … CHECK (…) NOT VALID, then VALIDATE CONSTRAINT in a later transaction",
                    new Always()));
        }
        if (c.take("UNIQUE") || c.take("PRIMARY", "KEY")) {
            if (containsWords(c, "USING", "INDEX") && !containsWords(c, "USING", "INDEX", "TABLESPACE")) {
                return Optional.empty();
            }
            return Optional.of(new RiskyOperation("ADD UNIQUE or PRIMARY KEY without USING INDEX", oid,
                    ACCESS_EXCLUSIVE, "while it builds the index", "CREATE UNIQUE INDEX CONCURRENTLY, then ADD "
                    + "CONSTRAINT … UNIQUE (or PRIMARY KEY) USING INDEX", new Always()));
        }
        if (List.of("EXCLUDE").contains(c.word())) {
            return Optional.empty();
        }
        c.take("COLUMN");
        c.take("IF", "NOT", "EXISTS");
        if (c.identifier().isEmpty()) {
            return Optional.empty();
        }
        String type = c.word().toLowerCase(Locale.ROOT);
        if (SERIAL.contains(type)) {
            return Optional.of(addColumn(oid, "a serial column", "add the column without a default, attach a "
                    + "sequence as its default for new rows, backfill old rows in batches"));
        }
        if (containsWords(c, "GENERATED") && containsWords(c, "IDENTITY")) {
            return Optional.of(addColumn(oid, "an identity column", "add a plain nullable column, backfill it in "
                    + "batches, then ALTER COLUMN … ADD GENERATED … AS IDENTITY"));
        }
        if (containsWords(c, "GENERATED") && containsWords(c, "STORED")) {
            return Optional.of(addColumn(oid, "a STORED generated column", "add a plain column filled by a trigger and "
                    + "backfilled in batches (or, on PostgreSQL 18, a VIRTUAL generated column, which needs no rewrite)"));
        }
        Set<String> functions = defaultFunctions(c);
        if (!functions.isEmpty()) {
            return Optional.of(new RiskyOperation("ADD COLUMN with a volatile default", oid, ACCESS_EXCLUSIVE,
                    "while it rewrites the table to store the default in every row", "add the column without the "
                    + "default, SET DEFAULT for new rows, then backfill old rows in batches",
                    new VolatileDefault(functions)));
        }
        return Optional.empty();
    }

    private static RiskyOperation addColumn(String oid, String what, String recipe) {
        return new RiskyOperation("ADD COLUMN with " + what, oid, ACCESS_EXCLUSIVE, "while it rewrites the table",
                recipe, new Always());
    }

    /** The functions called in the action's DEFAULT expression (names followed by a parenthesis). */
    private static Set<String> defaultFunctions(Cursor c) {
        Set<String> functions = new LinkedHashSet<>();
        List<Token> tokens = c.shape().tokens();
        int depth = 0;
        boolean inDefault = false;
        for (int i = c.position(); i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (depth == 0 && token.isSymbol(",")) {
                break;
            }
            if (depth == 0 && token.kind() == SqlLexer.Kind.WORD) {
                inDefault = token.isWord("DEFAULT") || (inDefault && !List.of("NOT", "NULL", "CONSTRAINT", "CHECK",
                        "REFERENCES", "UNIQUE", "PRIMARY", "COLLATE").contains(c.shape().word(i)));
            }
            if (inDefault && (token.kind() == SqlLexer.Kind.WORD || token.kind() == SqlLexer.Kind.QUOTED_IDENTIFIER)
                    && i + 1 < tokens.size() && tokens.get(i + 1).isSymbol("(")) {
                functions.add(token.value());
            }
            depth += token.isSymbol("(") ? 1 : token.isSymbol(")") ? -1 : 0;
        }
        return functions;
    }

    /** Whether the rest of this action (to the next top-level comma) holds these words in a row. */
    private static boolean containsWords(Cursor c, String... words) {
        int end = c.commaOrEnd();
        for (int i = c.position(); i < end; i++) {
            boolean match = true;
            for (int w = 0; w < words.length && match; w++) {
                match = c.shape().word(i + w).equals(words[w]);
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsWithNotValid(Cursor c) {
        int end = c.commaOrEnd();
        return end >= 2 && c.shape().word(end - 2).equals("NOT") && c.shape().word(end - 1).equals("VALID");
    }

    /** {@code USING column}: the same values, which PostgreSQL converts without a rewrite when the types allow. */
    private static boolean isJust(Cursor c, String column) {
        List<Token> tokens = c.shape().tokens();
        int at = c.position();
        if (at >= tokens.size()) {
            return false;
        }
        Token only = tokens.get(at);
        boolean name = only.kind() == SqlLexer.Kind.WORD || only.kind() == SqlLexer.Kind.QUOTED_IDENTIFIER;
        return name && only.value().equals(column) && (at + 1 == tokens.size() || tokens.get(at + 1).isSymbol(","));
    }

    /** Whether an earlier statement of the script added the constraint NOT VALID. */
    private static boolean addedNotValid(String constraint, List<StatementShape> earlier) {
        for (StatementShape shape : earlier) {
            Cursor c = shape.cursor(0);
            if (c.alteredTable().isEmpty()) {
                continue;
            }
            for (Cursor action : c.commaSeparated()) {
                if (action.take("ADD", "CONSTRAINT") && action.identifier().filter(constraint::equals).isPresent()
                        && endsWithNotValid(action)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Optional<QualifiedName> onlyName(Cursor c) {
        c.take("ONLY");
        return c.name();
    }

    private static String regclass(QualifiedName table) {
        return CatalogCheck.regclass(table) + "::oid";
    }

    /** The oid of the table an index belongs to. */
    private static String indexTable(QualifiedName index) {
        return "(SELECT i.indrelid FROM pg_catalog.pg_index i WHERE i.indexrelid = " + CatalogCheck.regclass(index) + ")";
    }

    /**
     * Whether the operation is a risk on this table, with what the catalog answered: the table's
     * size ({@code bytes}), the rule's own fact ({@code fact}, null when it has none or it is
     * unknown) and the server. An empty table never is.
     */
    boolean risky(long bytes, String fact, int serverVersion, boolean sessionInUtc, long largeTableBytes) {
        if (bytes <= 0) {
            return false;
        }
        if (condition instanceof BrokenConcurrentBuild) {
            return serverVersion >= 140000 && serverVersion < 140004;
        }
        if (bytes < largeTableBytes) {
            return false;
        }
        if (condition instanceof TypeChange change) {
            return fact != null && (change.using() || !change.target().keepsTableFrom(ColumnType.parse(fact),
                    sessionInUtc));
        }
        if (condition instanceof NotNull) {
            return fact == null;
        }
        if (condition instanceof VolatileDefault) {
            return fact != null;
        }
        return true;
    }
}
